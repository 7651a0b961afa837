package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Standard output of {@code jceph osdmaptool} equals what Ceph's osdmaptool printed for the same
 * captured map and arguments (fixtures/src/main/resources/fixtures/osdmap, with provenance in
 * fixtures/README.md).
 */
class OsdmapToolOracleTest {
    private static final List<String> OBJECTS = List.of("obj-a", "rbd_data.1234", "foo", "bar", "baz", "hello");
    private static final List<String> PGS = List.of("1.0", "2.1", "2.2", "2.3", "3.3", "3.4", "3.b", "4.9", "5.2",
            "6.5", "9.0");

    static Stream<Path> maps() throws IOException {
        Path dir = ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap");
        List<Path> maps;
        try (var s = Files.list(dir)) {
            maps = s.filter(p -> p.toString().endsWith(".osdmap")).sorted().toList();
        }
        assertTrue(maps.size() >= 12, "captured maps in " + dir + ": " + maps.size());
        return maps.stream();
    }

    private static String expected(Path map, String suffix) throws IOException {
        return Files.readString(map.resolveSibling(map.getFileName().toString().replaceFirst("\\.osdmap$", suffix)));
    }

    /** Runs the tool; returns stdout. */
    static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OsdmapTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(rc == 0 || stderr.contains("There is no pool"), "rc " + rc + ": " + stderr);
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("maps")
    void printMatches(Path map) throws IOException {
        assertEquals(expected(map, ".print.txt"), run(map.toString(), "--print"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void dumpJsonMatchesByteForByte(Path map) throws IOException {
        assertEquals(expected(map, ".dump.json"), run(map.toString(), "--dump", "json"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void treeMatches(Path map) throws IOException {
        assertEquals(expected(map, ".tree.txt"), run(map.toString(), "--tree"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void testMapPgsDumpMatchesIncludingStatistics(Path map) throws IOException {
        assertEquals(expected(map, ".pgs-dump.txt"), run(map.toString(), "--test-map-pgs-dump"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void testMapPgsDumpAllMatches(Path map) throws IOException {
        assertEquals(expected(map, ".pgs-dump-all.txt"), run(map.toString(), "--test-map-pgs-dump-all"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void markOutMatches(Path map) throws IOException {
        assertEquals(expected(map, ".mark-out-0.txt"), run(map.toString(), "--mark-out", "0", "--test-map-pgs-dump"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void markUpInMatches(Path map) throws IOException {
        assertEquals(expected(map, ".mark-up-in.txt"),
                run(map.toString(), "--mark-up-in", "--test-map-pgs-dump", "--pool", "3"));
    }

    @ParameterizedTest
    @MethodSource("maps")
    void testMapPgMatches(Path map) throws IOException {
        StringBuilder ours = new StringBuilder();
        for (String pg : PGS) {
            ours.append(run(map.toString(), "--test-map-pg", pg));
        }
        assertEquals(expected(map, ".map-pg.txt"), ours.toString());
    }

    @ParameterizedTest
    @MethodSource("maps")
    void testMapObjectMatches(Path map) throws IOException {
        StringBuilder ours = new StringBuilder();
        for (int pool = 1; pool <= 6; pool++) {
            for (String obj : OBJECTS) {
                ours.append(run(map.toString(), "--test-map-object", obj, "--pool", String.valueOf(pool)));
            }
        }
        assertEquals(expected(map, ".map-object.txt"), ours.toString());
    }

    /** The map osdmaptool --createsimple built: OSDs that do not exist until --mark-up-in. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ':', value = {
        "print:--print", "tree:--tree", "dump.json:--dump json", "pgs-dump.txt:--test-map-pgs-dump",
        "mark-up-in.txt:--mark-up-in --test-map-pgs-dump", "mark-up-in-all.txt:--mark-up-in --test-map-pgs-dump-all",
        "mark-up-in-out.txt:--mark-up-in --mark-out 7 --test-map-pg 1.1f"})
    void simpleMapMatches(String suffix, String args) throws IOException {
        Path map = ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap/simple/simple-40.osdmap");
        List<String> argv = new java.util.ArrayList<>(List.of(map.toString()));
        argv.addAll(List.of(args.split(" ")));
        assertEquals(expected(map, "." + suffix), run(argv.toArray(new String[0])));
    }
}
