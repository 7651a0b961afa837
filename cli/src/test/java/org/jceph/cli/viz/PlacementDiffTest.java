package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jceph.cli.explain.ExplainCommand;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code jceph explain --diff MAP_A MAP_B POOL}: the PGs that move, and how many copies, are the
 * difference between osdmaptool's own --test-map-pgs-dump of the two states (all up and in, then
 * one OSD out); the picture carries the same counts and renders in Chromium.
 */
class PlacementDiffTest {
    @TempDir
    Path dir;

    private static Map<String, List<String>> dump(String text) {
        Map<String, List<String>> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3 && f[1].startsWith("[")) {
                m.put(f[0], List.of(f[1].substring(1, f[1].length() - 1).split(",")));
            }
        }
        return m;
    }

    @Test
    void movedPgsAndCopiesEqualTheDifferenceOfOsdmaptoolDumps() throws Exception {
        Path a = dir.resolve("a.osdmap");
        ExplainPictureTest.tool(dir, "osdmaptool", "--createsimple", "40", "--with-default-pool", "--pg_bits", "4",
                a.toString());
        ExplainPictureTest.tool(dir, "crushtool", "--build", "--num_osds", "40", "host", "straw2", "5", "root", "straw2",
                "0", "-o", dir.resolve("crush.bin").toString());
        ExplainPictureTest.tool(dir, "osdmaptool", a.toString(), "--import-crush", dir.resolve("crush.bin").toString());
        Map<String, List<String>> before = dump(ExplainPictureTest.tool(dir, "osdmaptool", a.toString(), "--mark-up-in",
                "--test-map-pgs-dump"));
        Map<String, List<String>> after = dump(ExplainPictureTest.tool(dir, "osdmaptool", a.toString(), "--mark-up-in",
                "--mark-out", "7", "--test-map-pgs-dump"));
        int changed = 0;
        int copies = 0;
        for (Map.Entry<String, List<String>> e : before.entrySet()) {
            List<String> b = after.get(e.getKey());
            if (!b.equals(e.getValue())) {
                changed++;
            }
            Set<String> old = new HashSet<>(e.getValue());
            copies += (int) b.stream().filter(o -> !old.contains(o)).count();
        }
        assertTrue(changed > 0);

        OsdMap mapA = ExplainPictureTest.upIn(OsdMapCodec.decode(Files.readAllBytes(a)));
        OsdMap mapB = mapA.withOsd(7, mapA.osdState().get(7), OsdMap.WEIGHT_OUT);
        Path fa = dir.resolve("A.osdmap");
        Path fb = dir.resolve("B.osdmap");
        Files.write(fa, OsdMapCodec.encode(mapA));
        Files.write(fb, OsdMapCodec.encode(mapB));
        PlacementDiff d = new PlacementDiff(mapA, mapB, 1);
        assertEquals(changed, d.upChanged());
        assertEquals(copies, d.replicasMoved());
        assertEquals(0, d.perOsd().get(7)[0], "the out OSD gains nothing");
        assertEquals(before.values().stream().filter(l -> l.contains("7")).count(), d.perOsd().get(7)[1],
                "it loses every PG it held");

        Path svg = dir.resolve("diff.svg");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, ExplainCommand.run(new String[] {"--diff", fa.toString(), fb.toString(), "rbd", "--format", "svg",
            "-o", svg.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        Document doc = ExplainPictureTest.parse(Files.readString(svg));
        Element summary = null;
        for (int i = 0; i < doc.getElementsByTagName("text").getLength(); i++) {
            Element t = (Element) doc.getElementsByTagName("text").item(i);
            if (t.hasAttribute("data-up-changed")) {
                summary = t;
            }
        }
        assertEquals(Integer.toString(changed), summary.getAttribute("data-up-changed"));
        assertEquals(Integer.toString(copies), summary.getAttribute("data-moved"));
        long size = Browser.screenshot(svg, Browser.pictures().resolve("explain-diff-osd-out.png"), 1000, 620);
        assertTrue(size > 10_000 && size < 300_000, "screenshot " + size);

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertEquals(0, ExplainCommand.run(new String[] {"--diff", fa.toString(), fb.toString(), "1"},
                new PrintStream(text, true, StandardCharsets.UTF_8), System.err));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains(changed + " of 640 placement seeds change their up set"),
                text.toString(StandardCharsets.UTF_8));
    }

    /**
     * pg_num 8 -> 16 with pgp_num still 8 (the captured pgp-lag and upmap scenarios): every child PG
     * is compared with the parent that held its objects, by osdmaptool's dump of both maps.
     */
    @Test
    void aPgSplitComparesChildrenWithTheirParents() throws Exception {
        Path a = ExplainPictureTest.MAPS.resolve("02-pgp-lag.e17.osdmap");
        Path b = ExplainPictureTest.MAPS.resolve("03-upmap.e20.osdmap");
        Map<String, List<String>> before = dump(ExplainPictureTest.tool(dir, "osdmaptool", a.toString(),
                "--test-map-pgs-dump", "--pool", "4"));
        Map<String, List<String>> after = dump(ExplainPictureTest.tool(dir, "osdmaptool", b.toString(),
                "--test-map-pgs-dump", "--pool", "4"));
        assertEquals(8, before.size());
        assertEquals(16, after.size());
        PlacementDiff d = new PlacementDiff(OsdMapCodec.decode(Files.readAllBytes(a)), OsdMapCodec.decode(Files.readAllBytes(b)), 4);
        assertEquals(16, d.rows().size());
        int changed = 0;
        for (PlacementDiff.Row r : d.rows()) {
            String parent = "4." + Long.toHexString(r.seed() & 7);
            assertEquals(parent, r.pgA().toString());
            assertEquals(before.get(parent), r.a().acting().stream().map(String::valueOf).toList(), parent);
            assertEquals(after.get(r.pgB().toString()), r.b().acting().stream().map(String::valueOf).toList(),
                    r.pgB().toString());
            if (!before.get(parent).equals(after.get(r.pgB().toString()))) {
                changed++;
            }
        }
        assertEquals(changed, d.upChanged());
        String text = d.text();
        assertTrue(text.contains("pg_num 8 -> 16"), text);
        Path html = dir.resolve("split.html");
        Files.writeString(html, d.html());
        Browser.assertScriptRan(html, false);
        Browser.screenshot(html, dir.resolve("split.png"), 1000, 600);
    }
}
