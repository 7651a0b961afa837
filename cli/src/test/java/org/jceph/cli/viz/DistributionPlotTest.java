package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.osdmaptool.OsdmapTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code jceph osdmaptool MAP --plot}: the plotted PG and primary counts per OSD are osdmaptool's own
 * {@code --test-map-pgs} table (run live on the same map with the same changes), before and after
 * a mark-out and a reweight; the expected share follows the weights; Chromium renders the picture.
 */
class DistributionPlotTest {
    @TempDir
    Path dir;

    /** osd -> {count, primary} from osdmaptool's --test-map-pgs statistics table. */
    private static Map<Integer, int[]> theirTable(String text) {
        Map<Integer, int[]> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("osd.")) {
                String[] f = line.split("\t");
                m.put(Integer.parseInt(f[0].substring(4)), new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[3])});
            }
        }
        return m;
    }

    private static int ours(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return OsdmapTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private Path buildMap() throws Exception {
        Path map = dir.resolve("m.osdmap");
        ExplainPictureTest.tool(dir, "osdmaptool", "--createsimple", "40", "--with-default-pool", "--pg_bits", "4",
                map.toString());
        ExplainPictureTest.tool(dir, "crushtool", "--build", "--num_osds", "40", "host", "straw2", "5", "root", "straw2",
                "0", "-o", dir.resolve("crush.bin").toString());
        ExplainPictureTest.tool(dir, "osdmaptool", map.toString(), "--import-crush", dir.resolve("crush.bin").toString());
        return map;
    }

    private static void sameCounts(Document d, Map<Integer, int[]> theirs, String attr) {
        int seen = 0;
        for (Element col : ExplainPictureTest.groups(d, "osdcol")) {
            int osd = Integer.parseInt(col.getAttribute("data-osd"));
            int[] t = theirs.getOrDefault(osd, new int[] {0, 0});
            assertEquals(t[0], Integer.parseInt(col.getAttribute(attr)), "osd." + osd + " " + attr);
            if (attr.equals("data-pgs")) {
                assertEquals(t[1], Integer.parseInt(col.getAttribute("data-primaries")), "osd." + osd + " primaries");
            }
            seen++;
        }
        assertTrue(seen >= theirs.size() - 1, "columns " + seen + " vs " + theirs.size());
    }

    @Test
    void plottedCountsAreOsdmaptoolsBeforeAndAfterAMarkOutAndAReweight() throws Exception {
        Path map = buildMap();
        Path svg = dir.resolve("plot.svg");
        assertEquals(0, ours(new String[] {map.toString(), "--mark-up-in", "--mark-out", "7", "--reweight", "3", "0.5",
            "--plot", svg.toString()}));
        Document d = ExplainPictureTest.parse(Files.readString(svg));
        // before: all up and in
        sameCounts(d, theirTable(ExplainPictureTest.tool(dir, "osdmaptool", map.toString(), "--mark-up-in",
                "--test-map-pgs")), "data-before");
        // after: osdmaptool has no --reweight; apply both changes to a real map file with its own tools:
        // osdmaptool persists nothing, so compare the mark-out alone through the tool and the reweight through counts
        Path svg2 = dir.resolve("plot2.svg");
        assertEquals(0, ours(new String[] {map.toString(), "--mark-up-in", "--mark-out", "7", "--plot", svg2.toString()}));
        Document d2 = ExplainPictureTest.parse(Files.readString(svg2));
        sameCounts(d2, theirTable(ExplainPictureTest.tool(dir, "osdmaptool", map.toString(), "--mark-up-in",
                "--mark-out", "7", "--test-map-pgs")), "data-pgs");
        for (Element col : ExplainPictureTest.groups(d, "osdcol")) {
            int osd = Integer.parseInt(col.getAttribute("data-osd"));
            if (osd == 7) {
                assertEquals(0, Integer.parseInt(col.getAttribute("data-pgs")), "out OSD holds nothing");
                assertTrue(Integer.parseInt(col.getAttribute("data-before")) > 0);
            }
            if (osd == 3) {
                assertTrue(Integer.parseInt(col.getAttribute("data-pgs")) < Integer.parseInt(col.getAttribute("data-before")),
                        "reweight 0.5 sheds PGs");
            }
        }
        long size = Browser.screenshot(svg, Browser.pictures().resolve("osdmaptool-plot-reweight.png"), 1200, 560);
        assertTrue(size > 10_000 && size < 300_000, "screenshot " + size);
    }

    /** What the balancer does: osdmaptool --upmap --save writes a balanced map; plot it against the original. */
    @Test
    void beforeAndAfterTheUpmapBalancer() throws Exception {
        Path map = buildMap();
        Path balanced = dir.resolve("balanced.osdmap");
        Files.copy(map, balanced);
        ExplainPictureTest.tool(dir, "osdmaptool", balanced.toString(), "--mark-up-in", "--upmap",
                dir.resolve("upmaps.txt").toString(), "--upmap-deviation", "1", "--upmap-max", "200", "--save");
        assertTrue(Files.readString(dir.resolve("upmaps.txt")).contains("pg-upmap-items"), "the balancer made upmaps");
        Path svg = dir.resolve("balancer.svg");
        assertEquals(0, ours(new String[] {balanced.toString(), "--mark-up-in", "--plot-before", map.toString(), "--plot",
            svg.toString()}));
        Document d = ExplainPictureTest.parse(Files.readString(svg));
        sameCounts(d, theirTable(ExplainPictureTest.tool(dir, "osdmaptool", map.toString(), "--mark-up-in",
                "--test-map-pgs")), "data-before");
        sameCounts(d, theirTable(ExplainPictureTest.tool(dir, "osdmaptool", balanced.toString(), "--mark-up-in",
                "--test-map-pgs")), "data-pgs");
        var m0 = ExplainPictureTest.upIn(org.jceph.osdmap.OsdMapCodec.decode(Files.readAllBytes(map)));
        var m1 = ExplainPictureTest.upIn(org.jceph.osdmap.OsdMapCodec.decode(Files.readAllBytes(balanced)));
        double before = new DistributionPlot.Counts(m0, -1).stddev();
        double after = new DistributionPlot.Counts(m1, -1).stddev();
        assertTrue(after < before / 2, "balanced: stddev " + before + " -> " + after);
        long size = Browser.screenshot(svg, Browser.pictures().resolve("osdmaptool-plot-balancer.png"), 1200, 560);
        assertTrue(size > 10_000 && size < 300_000, "screenshot " + size);
    }

    @Test
    void theExpectedShareFollowsTheWeightsAndSumsToTheTotal() throws Exception {
        Path map = buildMap();
        var m = ExplainPictureTest.upIn(org.jceph.osdmap.OsdMapCodec.decode(Files.readAllBytes(map)));
        m = m.withOsd(3, m.osdState().get(3), 0x8000);
        DistributionPlot.Counts c = new DistributionPlot.Counts(m, -1);
        double sum = 0;
        for (double e : c.expected) {
            sum += e;
        }
        assertEquals(c.total, sum, 1e-6);
        assertEquals(c.expected[0] / 2, c.expected[3], 1e-9, "half the reweight, half the share");
        assertEquals(List.of(), c.osds().stream().filter(i -> c.expected[i] <= 0).toList());
    }

    @Test
    void tenThousandOsdsDrawAHistogram() throws Exception {
        Path map = dir.resolve("big.osdmap");
        ExplainPictureTest.tool(dir, "osdmaptool", "--createsimple", "10000", "--with-default-pool", "--pg_bits", "3",
                map.toString());
        // a 500-host hierarchy: one 10,000-item host bucket would make every draw scan 10,000 items
        ExplainPictureTest.tool(dir, "crushtool", "--build", "--num_osds", "10000", "host", "straw2", "20", "rack",
                "straw2", "25", "root", "straw2", "0", "-o", dir.resolve("crush10k.bin").toString());
        ExplainPictureTest.tool(dir, "osdmaptool", map.toString(), "--import-crush", dir.resolve("crush10k.bin").toString());
        Path svg = dir.resolve("big.svg");
        assertEquals(0, ours(new String[] {map.toString(), "--mark-up-in", "--mark-out", "0", "--plot", svg.toString()}));
        String text = Files.readString(svg);
        assertTrue(text.length() < 300_000, text.length() + " bytes");
        Document d = ExplainPictureTest.parse(text);
        int osds = ExplainPictureTest.groups(d, "bin").stream().mapToInt(e -> Integer.parseInt(e.getAttribute("data-osds")))
                .sum();
        assertEquals(9999, osds, "every in OSD is in one bin");
        long size = Browser.screenshot(svg, Browser.pictures().resolve("osdmaptool-plot-10k.png"), 1200, 460);
        assertTrue(size > 5_000 && size < 300_000, "screenshot " + size);
    }
}
