package org.jceph.cli.crushtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pinned maps the differential generator found (fixtures/CRUSH-FIXTURES.md, "Generated-map
 * regressions"), for the cases CrushToolOracleTest's exact replay cannot express. Runs without
 * crushtool.
 */
class GeneratedCrushRegressionTest {
    private static String fixture(String name) throws IOException {
        return Files.readString(CrushToolOracleTest.dir().resolve(name), StandardCharsets.UTF_8);
    }

    /** crushtool printed these mappings and then aborted (per[-1]++ in CrushTester.cc); we print them and go on. */
    @Test
    void ruleEmittingABucketMapsLikeCrushtoolAndIsNotCountedAsADevice() throws IOException {
        String printed = fixture("fuzz-emit-bucket.test.txt");
        assertFalse(printed.isEmpty());
        String ours = CrushToolOracleTest.run(List.of("-i", "fuzz-emit-bucket.bin", "--test", "--show-mappings",
                "--show-bad-mappings", "--min-x", "0", "--max-x", "7", "--num-rep", "2"));
        assertEquals(printed, ours);
        String stats = CrushToolOracleTest.run(List.of("-i", "fuzz-emit-bucket.bin", "--test", "--show-mappings",
                "--show-utilization-all", "--min-x", "0", "--max-x", "7", "--num-rep", "2"));
        for (String l : printed.lines().filter(l -> l.startsWith("CRUSH")).toList()) {
            assertTrue(stats.contains(l + "\n"), l);
        }
        assertTrue(stats.contains("rule 0 (r0) num_rep 2 result size == 1:\t8/8"), stats);
        assertTrue(stats.contains("  device 0:\t\t stored : 0\t expected : "), stats);
    }

    /** Before the fix jceph threw ArrayIndexOutOfBoundsException in CrushMapper.treeChoose here. */
    @Test
    void zeroWeightTreeBucketsDoNotThrow() {
        String ours = CrushToolOracleTest.run(List.of("-i", "fuzz-tree-zero-weight.bin", "--test",
                "--show-mappings", "--min-x", "0", "--max-x", "1000", "--num-rep", "5"));
        assertTrue(ours.contains("CRUSH rule 2 x 1000 [0]"), ours);
    }
}
