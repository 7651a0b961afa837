package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.cli.Main;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.osdmap.OsdMapCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The pictures on a live cluster: {@code explain --cluster --format html} ends where
 * {@code ceph osd map} says, and {@code osd df-plot} plots the counts osdmaptool computes on the
 * very map it fetched (kept with --save-map), on every release the project tests.
 */
@RealCluster
@CrossRelease
class VizLiveIT {
    private static final Pattern ACTING = Pattern.compile("\"acting\":\\[([0-9,]*)\\]");
    private static final Pattern DRAWN = Pattern.compile("data-acting=\"([0-9,]*)\"");

    @TempDir
    Path dir;

    private static int jceph(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void explainHtmlFromTheClusterEndsWhereTheMonitorSays(CephCluster c) throws Exception {
        String conf = c.confPath().toString();
        for (String obj : new String[] {"hello", "rbd_data.1.0000000000000000", "x"}) {
            for (int attempt = 0; ; attempt++) {
                String before = c.cephOrThrow("osd", "map", c.testPool(), obj, "-f", "json");
                Path html = dir.resolve(obj + ".html");
                assertEquals(0, jceph("explain", "--cluster", c.testPool(), obj, "--format", "html", "-o", html.toString(),
                        "-c", conf));
                String after = c.cephOrThrow("osd", "map", c.testPool(), obj, "-f", "json");
                if (!before.equals(after) && attempt < 5) {
                    continue; // the epoch moved under us
                }
                Matcher theirs = ACTING.matcher(after);
                Matcher ours = DRAWN.matcher(Files.readString(html));
                assertTrue(theirs.find() && ours.find(), after);
                assertEquals(theirs.group(1), ours.group(1), obj);
                break;
            }
        }
    }

    @Test
    void dfPlotCountsAreOsdmaptoolsOnTheFetchedMap(CephCluster c) throws Exception {
        Path svg = dir.resolve("df.svg");
        Path map = dir.resolve("live.osdmap");
        assertEquals(0, jceph("osd", "df-plot", svg.toString(), "--save-map", map.toString(), "-c", c.confPath().toString()));
        // the saved map decodes back, and osdmaptool reads it too
        OsdMapCodec.decode(Files.readAllBytes(map));
        // the cluster's own release's osdmaptool (a Tentacle map is read by Tentacle's tool)
        String table = c.tool(Duration.ofSeconds(120), "osdmaptool", map.toString(), "--test-map-pgs").orThrow().stdout();
        Document d = ExplainPictureTest.parse(Files.readString(svg));
        int cols = 0;
        for (var col : ExplainPictureTest.groups(d, "osdcol")) {
            String osd = col.getAttribute("data-osd");
            Matcher m = Pattern.compile("(?m)^osd\\." + osd + "\\t(\\d+)\\t\\d+\\t(\\d+)\\t").matcher(table);
            assertTrue(m.find(), "osd." + osd + " in osdmaptool's table:\n" + table);
            assertEquals(m.group(1), col.getAttribute("data-pgs"), "osd." + osd);
            assertEquals(m.group(2), col.getAttribute("data-primaries"), "osd." + osd);
            cols++;
        }
        assertEquals(c.osds(), cols);
    }
}
