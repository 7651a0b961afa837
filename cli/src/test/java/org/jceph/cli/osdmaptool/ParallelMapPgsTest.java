package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The --test-map-pgs family cut into runs of three PGs mapped by three threads prints what one
 * thread mapping the PGs in order prints, on every captured map (several pools, upmaps, temps,
 * EC pools with holes): the dump lines in PG order, each pool's header before its PGs, the same
 * counts. On maps this small the tool never goes parallel by itself; the 600-OSD map of
 * GeneratedMapOracleTest (19,200 PGs) does, and is judged by osdmaptool itself.
 */
class ParallelMapPgsTest {
    private static final long MIN_PGS = OsdmapTool.parallelMinPgs;
    private static final long MIN_RUN = OsdmapTool.minRunLength;

    @AfterEach
    void restore() {
        OsdmapTool.parallelMinPgs = MIN_PGS;
        OsdmapTool.minRunLength = MIN_RUN;
        OsdmapTool.mappingThreads = 0;
    }

    private static String mapped(Path map, String option, boolean parallel) {
        OsdmapTool.parallelMinPgs = parallel ? 0 : Long.MAX_VALUE;
        OsdmapTool.minRunLength = 3;
        OsdmapTool.mappingThreads = 3;
        return OsdmapToolOracleTest.run(map.toString(), "--mark-up-in", option);
    }

    static java.util.stream.Stream<Path> maps() throws java.io.IOException {
        return OsdmapToolOracleTest.maps();
    }

    @ParameterizedTest
    @MethodSource("maps")
    void parallelMappingPrintsWhatSequentialMappingPrints(Path map) {
        for (String option : List.of("--test-map-pgs", "--test-map-pgs-dump", "--test-map-pgs-dump-all")) {
            String one = mapped(map, option, false);
            assertTrue(one.contains(" avg "), one);
            assertEquals(one, mapped(map, option, true), map.getFileName() + " " + option);
        }
    }
}
