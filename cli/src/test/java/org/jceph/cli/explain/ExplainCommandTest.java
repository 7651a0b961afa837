package org.jceph.cli.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;

/**
 * {@code jceph explain} narrates the same answer osdmaptool gives: for captured maps with upmaps,
 * primary affinity, temps, EC and non-hashpspool pools, its conclusion equals
 * {@code osdmaptool --test-map-object} (run live), and every step is printed.
 */
class ExplainCommandTest {
    private static final Path MAPS = ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap");
    private static final Pattern OURS = Pattern.compile("=> object '[^']*' -> pg (\\S+) -> up (\\[[^\\]]*\\]) \\(primary osd\\.(-?\\d+)\\), acting (\\[[^\\]]*\\]) \\(primary osd\\.(-?\\d+)\\)");
    private static final Pattern THEIRS = Pattern.compile("object '[^']*' -> (\\S+) -> (\\[[^\\]]*\\])");

    private static String explain(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = ExplainCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, rc);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String osdmaptool(Path map, String object, long pool) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("osdmaptool", map.toString(), "--test-map-object", object, "--pool", Long.toString(pool))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("osdmaptool is needed: apt-get install -y ceph-common (" + e.getMessage() + ")");
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void conclusionsMatchOsdmaptoolOnEveryCapturedScenario() throws Exception {
        int checked = 0;
        for (Path map : Files.list(MAPS).filter(f -> f.toString().endsWith(".osdmap")).sorted().toList()) {
            for (long pool : List.of(1L, 2L, 3L, 4L, 5L)) {
                for (String object : List.of("hello", "rbd_data.1234.0000000000000001", "x")) {
                    String theirs = osdmaptool(map, object, pool);
                    Matcher t = THEIRS.matcher(theirs);
                    if (!t.find()) {
                        continue; // no such pool in this map
                    }
                    String text = explain(map.toString(), Long.toString(pool), object);
                    Matcher o = OURS.matcher(text);
                    assertTrue(o.find(), text);
                    assertEquals(t.group(1), o.group(1), map + " pool " + pool + " " + object);
                    assertEquals(t.group(2).replace(" ", ""), o.group(4).replace(" ", ""), map + " " + object + "\n" + text);
                    for (String step : List.of("1. hash:", "2. pg:", "3. pps:", "4. CRUSH:", "5. upmap:", "6. up:",
                            "7. primary affinity:", "8. pg_temp:")) {
                        assertTrue(text.contains(step), step + " missing:\n" + text);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked);
    }

    @Test
    void namespacesAndLocatorKeysAreShownInTheHashStep() {
        Path map = MAPS.resolve("00-fresh.e11.osdmap");
        String text = explain(map.toString(), "1", "obj", "--namespace", "tenant", "--key", "k");
        assertTrue(text.contains("rjenkins('tenant' 0x1f 'k')"), text);
        assertTrue(text.contains("the locator key is hashed"), text);
    }
}
