package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Positive;

/**
 * Against the live crushtool: build a map from random parameters with {@code crushtool --build},
 * test random x values with random device weights, and compare every mapping line. Fails (does not
 * skip) when crushtool is missing.
 */
class LiveCrushtoolPropertyTest {
    private static final String[] ALGS = {"straw2", "straw", "list", "tree", "uniform"};

    static String crushtool() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "crushtool"))) {
                return dir + "/crushtool";
            }
        }
        fail("crushtool not found: install the oracle with `apt-get install -y ceph-common`");
        return null;
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        int rc = p.waitFor();
        if (rc != 0) {
            fail(String.join(" ", cmd) + " exited " + rc);
        }
        return lines;
    }

    @Property(tries = 15)
    void buildMapsMapLikeCrushtool(@ForAll @IntRange(min = 1, max = 40) int osds,
            @ForAll @IntRange(min = 1, max = 6) int hostSize, @ForAll @IntRange(min = 0, max = 4) int hostAlg,
            @ForAll @IntRange(min = 0, max = 4) int rootAlg, @ForAll @IntRange(min = 1, max = 6) int numRep,
            @ForAll @IntRange(min = 0, max = 100000) int minX, @ForAll @Positive @IntRange(max = 3) int seedWeights,
            @ForAll @IntRange(min = 0, max = 39) int reweighted) throws Exception {
        String ct = crushtool();
        Path dir = Files.createTempDirectory("jceph-crush");
        try {
            Path map = dir.resolve("map");
            run(List.of(ct, "--build", "--num_osds", "" + osds, "host", ALGS[hostAlg], "" + hostSize, "root",
                    ALGS[rootAlg], "0", "-o", map.toString()));
            List<String> cmd = new ArrayList<>(List.of(ct, "-i", map.toString(), "--test", "--show-mappings",
                    "--num-rep", "" + numRep, "--min-x", "" + minX, "--max-x", "" + (minX + 99)));
            int dev = reweighted % osds;
            String w = seedWeights == 1 ? "0" : seedWeights == 2 ? "0.5" : "0.05";
            cmd.addAll(List.of("--weight", "" + dev, w));
            List<String> expected = run(cmd);
            CrushMapper mapper = new CrushMapper(CrushMap.decode(Files.readAllBytes(map)));
            int[] weights = new int[mapper.maxDevices()];
            for (int o = 0; o < weights.length; o++) {
                weights[o] = mapper.map().itemPresent(o) ? 0x10000 : 0;
            }
            weights[dev] = (int) (Float.parseFloat(w) * 0x10000);
            if (java.util.Arrays.stream(weights).sum() == 0) {
                assertEquals(List.of(), expected, "crushtool skips a rule when every device weighs 0");
                return;
            }
            assertEquals(100, expected.size(), String.join(" ", cmd));
            int[] result = new int[numRep];
            for (int i = 0; i < 100; i++) {
                int x = minX + i;
                int n = mapper.doRule(0, x, result, numRep, weights, 0);
                StringBuilder sb = new StringBuilder("CRUSH rule 0 x " + x + " [");
                for (int k = 0; k < n; k++) {
                    sb.append(k > 0 ? "," : "").append(result[k]);
                }
                assertEquals(expected.get(i), sb.append(']').toString(), String.join(" ", cmd));
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
