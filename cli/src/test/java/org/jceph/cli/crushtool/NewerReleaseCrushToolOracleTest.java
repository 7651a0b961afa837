package org.jceph.cli.crushtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jceph crushtool} against Reef 18.2.7's and Tentacle 20.2.4's own crushtool: the CRUSH
 * maps of the live clusters (osdmap-RELEASE/crush.*) and a text map with MSR rules compiled by
 * Tentacle's crushtool (crush-msr/; provenance in fixtures/README.md). The --test outputs cover
 * seven rules (one conventional, six msr_firstn / msr_indep: several choosemsr levels, choosemsr 0,
 * two EMIT blocks, a device class, SET_MSR_* steps) for x 0..1023 and nine replica counts, also
 * with OSDs reweighted out and partly out.
 */
class NewerReleaseCrushToolOracleTest {
    private static Path fixtures() {
        return ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures");
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int rc = CrushTool.run(args, ps, ps);
        ps.flush();
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String read(Path p) throws IOException {
        if (p.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(p);
    }

    @ParameterizedTest
    @CsvSource({"osdmap-reef-18.2.7,reef", "osdmap-tentacle-20.2.4,tentacle", "crush-msr,tentacle"})
    void decompileDumpAndTreeMatch(String dir, String release) throws IOException {
        Path d = fixtures().resolve(dir);
        String base = dir.equals("crush-msr") ? "msr" : "crush";
        String map = d.resolve(base + ".bin").toString();
        assertEquals(read(d.resolve(base + ".d.txt")), run("-d", map, "--release", release));
        assertEquals(read(d.resolve(base + ".dump.txt")), run("-i", map, "--dump", "--release", release));
        assertEquals(read(d.resolve(base + ".tree.txt")), run("-i", map, "--tree"));
    }

    @ParameterizedTest
    @CsvSource({"osdmap-reef-18.2.7", "osdmap-tentacle-20.2.4"})
    void liveClusterMapTestMatches(String dir) throws IOException {
        Path d = fixtures().resolve(dir);
        assertEquals(read(d.resolve("crush.test.txt")), run("-i", d.resolve("crush.bin").toString(), "--test",
                "--show-mappings", "--show-statistics", "--num-rep", "3", "--min-x", "0", "--max-x", "1023"));
    }

    /** A map with MSR rules prints as Tentacle's crushtool without --release (only Squid+ writes one). */
    @Test
    void msrMapDefaultsToTentacleFormat() throws IOException {
        Path d = fixtures().resolve("crush-msr");
        assertEquals(read(d.resolve("msr.d.txt")), run("-d", d.resolve("msr.bin").toString()));
        String pacific = run("-d", d.resolve("msr.bin").toString(), "--release", "pacific");
        assertTrue(pacific.contains("\ttype 5\n") && pacific.contains("min_size"), pacific);
    }

    @Test
    void msrRulesMapLikeTentacle() throws IOException {
        Path d = fixtures().resolve("crush-msr");
        StringBuilder ours = new StringBuilder();
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 10}) {
            ours.append(run("-i", d.resolve("msr.bin").toString(), "--test", "--show-mappings", "--show-statistics",
                    "--num-rep", String.valueOf(n), "--min-x", "0", "--max-x", "1023"));
        }
        assertEquals(read(d.resolve("msr.test.txt.gz")), ours.toString());
    }

    @Test
    void msrRulesWithOutOsdsMapLikeTentacle() throws IOException {
        Path d = fixtures().resolve("crush-msr");
        StringBuilder ours = new StringBuilder();
        for (int n : new int[] {2, 4, 6, 8}) {
            List<String> a = new ArrayList<>(List.of("-i", d.resolve("msr.bin").toString(), "--test", "--show-mappings",
                    "--show-statistics", "--num-rep", String.valueOf(n), "--min-x", "0", "--max-x", "1023",
                    "--weight", "3", "0", "--weight", "7", "0.5", "--weight", "10", "0", "--weight", "13", "0.25"));
            ours.append(run(a.toArray(new String[0])));
        }
        String want = read(d.resolve("msr.weights.test.txt.gz"));
        assertTrue(want.contains("2147483647"), "the fixture has unfilled INDEP positions");
        assertEquals(want, ours.toString());
    }

    /**
     * Pinned from the Tentacle generator (fixtures/README.md, crush-msr): non-default MSR
     * tunables in -d and --dump, weight-set weights with 5 decimals in -d.
     */
    @Test
    void generatedMsrTunablesMapPrintsAsTentacle() throws IOException {
        Path d = fixtures().resolve("crush-msr");
        String map = d.resolve("fuzz-msr-tunables.bin").toString();
        assertEquals(read(d.resolve("fuzz-msr-tunables.d.txt")), run("-d", map, "--release", "tentacle"));
        assertEquals(read(d.resolve("fuzz-msr-tunables.dump.txt")), run("-i", map, "--dump", "--release", "tentacle"));
        assertEquals(read(d.resolve("fuzz-msr-tunables.tree.txt")), run("-i", map, "--tree"));
        assertEquals(read(d.resolve("fuzz-msr-tunables.test.txt")), run("-i", map, "--test", "--show-mappings",
                "--show-statistics", "--num-rep", "3", "--min-x", "0", "--max-x", "63", "--pool-id", "1"));
    }

    /**
     * Pinned from the Tentacle generator: MSR rules Tentacle compiles but whose mapping asserts
     * (rules 0, 1, 4 and 5: crushtool aborts) are refused with an error, not an exception; a descent
     * ending on a device where a bucket is needed (rule 2: crushtool segfaults) maps nothing there.
     */
    @Test
    void generatedUnmappableMsrRulesAreRefusedWithoutThrowing() throws IOException {
        Path d = fixtures().resolve("crush-msr");
        String map = d.resolve("fuzz-msr-unmappable.bin").toString();
        assertEquals(read(d.resolve("fuzz-msr-unmappable.d.txt")), run("-d", map, "--release", "tentacle"));
        assertEquals(read(d.resolve("fuzz-msr-unmappable.dump.txt")), run("-i", map, "--dump", "--release", "tentacle"));
        assertEquals(read(d.resolve("fuzz-msr-unmappable.tree.txt")), run("-i", map, "--tree"));
        assertEquals(read(d.resolve("fuzz-msr-unmappable.rule3.test.txt")), run("-i", map, "--test", "--show-mappings",
                "--show-statistics", "--rule", "3", "--num-rep", "2", "--min-x", "0", "--max-x", "7"));
        for (String rule : new String[] {"0", "1", "4", "5"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = CrushTool.run(new String[] {"-i", map, "--test", "--show-mappings", "--rule", rule, "--num-rep",
                rule.compareTo("4") >= 0 ? "3" : "2", "--min-x", "0", "--max-x", "3"},
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, rc, "rule " + rule);
            assertEquals("", out.toString(StandardCharsets.UTF_8), "rule " + rule);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("asserts"), err.toString(StandardCharsets.UTF_8));
        }
        String empty = run("-i", map, "--test", "--show-mappings", "--rule", "2", "--num-rep", "2", "--min-x", "0",
                "--max-x", "3");
        assertEquals("CRUSH rule 2 x 0 [2147483647,2147483647]\nCRUSH rule 2 x 1 [2147483647,2147483647]\n"
                + "CRUSH rule 2 x 2 [2147483647,2147483647]\nCRUSH rule 2 x 3 [2147483647,2147483647]\n", empty);
    }
}
