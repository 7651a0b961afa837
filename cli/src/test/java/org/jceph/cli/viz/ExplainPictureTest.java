package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jceph.fixtures.ProjectRoot;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The drawn placement is the mapping: on every captured map scenario (upmap, affinity, temps, EC,
 * weight sets, out and down OSDs) the picture's final up/acting/primary equal osdmaptool's answer,
 * its CRUSH result equals the mapper's, every drawn straw2 winner is the highest draw of its row,
 * and every chosen OSD is lit in the tree. A generated 10,000-OSD map draws in bounded size. The
 * pages render in headless Chromium without console or script errors.
 */
class ExplainPictureTest {
    static final Path MAPS = ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap");
    private static final Pattern THEIRS = Pattern.compile("object '[^']*' -> (\\S+) -> (\\[[^\\]]*\\])");

    @TempDir
    Path dir;

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> groups(Document d, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagName("g");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String csv(List<Integer> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static String tool(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            fail("osdmaptool/crushtool are needed: apt-get install -y ceph-common ceph-base (" + e.getMessage() + ")");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " timed out");
        }
        return out;
    }

    /** Checks the drawn facts against the mapping; returns the parsed picture. */
    static Document checkDrawnFacts(OsdMap map, long pool, String object) throws Exception {
        ExplainPicture pic = new ExplainPicture(map, pool, object, "", "");
        Document d = parse(pic.svg().toString());
        Placement.Result want = new Placement(map).objectToUpActing(pool, object, "", "");
        Element fin = groups(d, "final").get(0);
        assertEquals(csv(want.up()), fin.getAttribute("data-up"));
        assertEquals(want.upPrimary(), Integer.parseInt(fin.getAttribute("data-up-primary")));
        assertEquals(csv(want.acting()), fin.getAttribute("data-acting"));
        assertEquals(want.actingPrimary(), Integer.parseInt(fin.getAttribute("data-acting-primary")));
        assertEquals(want.pg().toString(), fin.getAttribute("data-pg"));
        // the trace's own result is the CRUSH step's result
        Element crushResult = groups(d, "crushresult").get(0);
        assertEquals(fin.getAttribute("data-crush"), crushResult.getAttribute("data-osds"));
        // each straw2 row: the lit candidate is the chosen item and no shown candidate drew higher
        for (Element choice : groups(d, "choice")) {
            NodeList cands = choice.getElementsByTagName("g");
            if (cands.getLength() == 0) {
                continue;
            }
            long best = Long.MIN_VALUE;
            String winner = null;
            long winnerDraw = 0;
            for (int i = 0; i < cands.getLength(); i++) {
                Element c = (Element) cands.item(i);
                best = Math.max(best, Long.parseLong(c.getAttribute("data-draw")));
                if (c.getAttribute("class").contains("winner")) {
                    assertEquals(null, winner, "two winners");
                    winner = c.getAttribute("data-item");
                    winnerDraw = Long.parseLong(c.getAttribute("data-draw"));
                }
            }
            assertEquals(choice.getAttribute("data-item"), winner, "winner of bucket " + choice.getAttribute("data-bucket"));
            assertEquals(best, winnerDraw, "the winner drew highest");
        }
        // every OSD CRUSH returned was accepted in the trace and is lit in the tree
        List<String> accepted = groups(d, "accept").stream().map(e -> e.getAttribute("data-item")).toList();
        List<String> lit = groups(d, "tnode").stream().filter(e -> e.getAttribute("class").contains("onpath"))
                .map(e -> e.getAttribute("data-item")).toList();
        for (String osd : fin.getAttribute("data-crush").split(",")) {
            if (osd.isEmpty() || Integer.parseInt(osd) == Placement.NONE) {
                continue;
            }
            assertTrue(accepted.contains(osd), "osd." + osd + " not accepted in the drawn trace");
            assertTrue(lit.contains(osd), "osd." + osd + " not lit in the tree");
        }
        return d;
    }

    @Test
    void everyCapturedScenarioDrawsTheMappingOsdmaptoolComputes() throws Exception {
        int checked = 0;
        for (Path file : Files.list(MAPS).filter(f -> f.toString().endsWith(".osdmap")).sorted().toList()) {
            OsdMap map = OsdMapCodec.decode(Files.readAllBytes(file));
            for (long pool : map.pools().keySet()) {
                for (String object : List.of("hello", "rbd_data.1234.0000000000000001")) {
                    checkDrawnFacts(map, pool, object);
                    Matcher t = THEIRS.matcher(tool(dir, "osdmaptool", file.toString(), "--test-map-object", object,
                            "--pool", Long.toString(pool)));
                    assertTrue(t.find());
                    Document d = parse(new ExplainPicture(map, pool, object, "", "").svg().toString());
                    Element fin = groups(d, "final").get(0);
                    assertEquals(t.group(1), fin.getAttribute("data-pg"), file + " " + pool + " " + object);
                    assertEquals(t.group(2).replace(" ", "").replace("[", "").replace("]", ""),
                            fin.getAttribute("data-acting"), file + " " + pool + " " + object);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 40, "checked " + checked);
    }

    @Test
    void outAndDownOsdsAreMarkedInTheTreeAndTheTrace() throws Exception {
        OsdMap map = OsdMapCodec.decode(Files.readAllBytes(MAPS.resolve("11-osd-out.e45.osdmap")));
        String svg = new ExplainPicture(map, 1, "hello", "", "").svg().toString();
        assertTrue(svg.contains(" out"), "the out OSD is labelled out in the tree");
        assertTrue(svg.contains("collision with an earlier choice"), "collisions are drawn");
        assertTrue(svg.contains("retry"), "retries are drawn");
        OsdMap upmap = OsdMapCodec.decode(Files.readAllBytes(MAPS.resolve("03-upmap.e20.osdmap")));
        boolean sawUpmap = false;
        for (long pool : upmap.pools().keySet()) {
            for (int i = 0; i < 200 && !sawUpmap; i++) {
                String s = new ExplainPicture(upmap, pool, "obj" + i, "", "").svg().toString();
                sawUpmap = s.contains("pg_upmap_items") || s.contains("pg_upmap [");
            }
        }
        assertTrue(sawUpmap, "some object of the upmap scenario hits an upmapped pg and the picture says so");
    }

    /** osdmaptool --createsimple 10000 (one host of 10,000 OSDs) and a crushtool-built 500-host hierarchy. */
    @Test
    void tenThousandOsdMapsStayReadableAndBounded() throws Exception {
        Path m = dir.resolve("m.osdmap");
        tool(dir, "osdmaptool", "--createsimple", "10000", "--with-default-pool", "--pg_bits", "3", m.toString());
        Path deep = dir.resolve("deep.osdmap");
        Files.copy(m, deep);
        tool(dir, "crushtool", "--build", "--num_osds", "10000", "host", "straw2", "20", "rack", "straw2", "25", "root",
                "straw2", "0", "-o", dir.resolve("crush.bin").toString());
        tool(dir, "osdmaptool", deep.toString(), "--import-crush", dir.resolve("crush.bin").toString());
        for (Path file : List.of(m, deep)) {
            OsdMap map = upIn(OsdMapCodec.decode(Files.readAllBytes(file)));
            Document d = checkDrawnFacts(map, 1, "hello");
            ExplainPicture pic = new ExplainPicture(map, 1, "hello", "", "");
            String html = pic.html();
            assertTrue(html.length() < 300_000, file + ": " + html.length() + " bytes");
            assertTrue(groups(d, "tnode").size() < 200, "tree collapsed: " + groups(d, "tnode").size() + " nodes");
            assertTrue(html.contains("more off the path"));
            Matcher t = THEIRS.matcher(tool(dir, "osdmaptool", file.toString(), "--mark-up-in", "--test-map-object",
                    "hello", "--pool", "1"));
            assertTrue(t.find());
            assertEquals(t.group(2).replace(" ", "").replace("[", "").replace("]", ""),
                    groups(d, "final").get(0).getAttribute("data-acting"));
            if (file == deep) {
                Path page = dir.resolve("explain-10k.html");
                Files.writeString(page, html);
                Browser.assertScriptRan(page, true);
                long size = Browser.screenshot(page, Browser.pictures().resolve("explain-10k-osds.png"), 1400, 1000);
                assertTrue(size > 20_000 && size < 300_000, "screenshot " + size + " bytes");
            }
        }
    }

    static OsdMap upIn(OsdMap map) {
        List<Long> states = new ArrayList<>();
        List<Long> weights = new ArrayList<>();
        for (int i = 0; i < map.maxOsd(); i++) {
            states.add(map.osdState().get(i) | OsdMap.STATE_EXISTS | OsdMap.STATE_UP);
            weights.add(OsdMap.WEIGHT_IN);
        }
        return map.withOsdStatesAndWeights(states, weights);
    }

    @Test
    void htmlAndSvgRenderInChromiumWithoutErrors() throws Exception {
        Path out = Browser.pictures();
        OsdMap upmap = OsdMapCodec.decode(Files.readAllBytes(MAPS.resolve("03-upmap.e20.osdmap")));
        Path html = dir.resolve("explain.html");
        // an object whose pg the upmap scenario moved, so the picture shows the upmap stage at work
        long upPool = upmap.pgUpmapItems().isEmpty() ? upmap.pgUpmap().keySet().iterator().next().pool()
                : upmap.pgUpmapItems().keySet().iterator().next().pool();
        String obj = "hello";
        for (int i = 0; i < 500; i++) {
            Placement pl = new Placement(upmap);
            var pg = pl.rawPgToPg(pl.objectToRawPg(upPool, "obj" + i, "", ""));
            if (upmap.pgUpmapItems().containsKey(pg) || upmap.pgUpmap().containsKey(pg)) {
                obj = "obj" + i;
                break;
            }
        }
        Files.writeString(html, new ExplainPicture(upmap, upPool, obj, "", "").html());
        Browser.assertScriptRan(html, true);
        // the stepper, opened at step 3: steps 1..3 shown, the rest dimmed, step 3 the current one
        String dom = Browser.dom(html, "step=3");
        Matcher ev = Pattern.compile("<g class=\"([^\"]*)\" data-step=\"(\\d+)\"").matcher(dom);
        int seen = 0;
        while (ev.find()) {
            int step = Integer.parseInt(ev.group(2));
            List<String> cls = List.of(ev.group(1).split(" "));
            assertEquals(step > 2, cls.contains("later"), "step " + step + ": " + ev.group(1));
            assertEquals(step == 2, cls.contains("now"), "step " + step + ": " + ev.group(1));
            seen++;
        }
        assertTrue(seen > 10, "steps in the DOM: " + seen);
        assertTrue(dom.contains("<span id=\"pos\">3</span>"), "position shown");
        long size = Browser.screenshot(html, out.resolve("explain-html.png"), 1400, 900);
        assertTrue(size > 20_000 && size < 300_000, "screenshot " + size + " bytes");
        OsdMap ec = OsdMapCodec.decode(Files.readAllBytes(MAPS.resolve("07-ec-pool.e31.osdmap")));
        long ecPool = ec.pools().entrySet().stream().filter(e -> e.getValue().isErasure()).findFirst().orElseThrow().getKey();
        Path svg = dir.resolve("explain-ec.svg");
        Files.writeString(svg, new ExplainPicture(ec, ecPool, "hello", "", "").svg().toString());
        String ecText = Files.readString(svg);
        assertTrue(ecText.contains("step set_chooseleaf_tries 5") && ecText.contains("step set_choose_tries 100"),
                "the EC rule's tunable steps are named");
        assertTrue(ecText.contains("shards (indep"), "an EC pool says shards");
        size = Browser.screenshot(svg, out.resolve("explain-ec-svg.png"), 1400, 900);
        assertTrue(size > 20_000 && size < 300_000, "screenshot " + size + " bytes");
        assertFalse(Files.readString(html).contains("http://") && Files.readString(html).contains("<script src"),
                "self-contained");
    }
}
