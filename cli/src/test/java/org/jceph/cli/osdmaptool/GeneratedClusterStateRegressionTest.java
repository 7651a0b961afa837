package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jceph.cli.osdmaptool.ClusterStateGen.Crush;
import org.jceph.cli.osdmaptool.ClusterStateGen.Host;
import org.jceph.cli.osdmaptool.ClusterStateGen.Spec;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.OsdMapEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minimal cluster states jqwik shrank the generator's findings to (docs/CONFORMANCE.md, "OSDMap
 * placement: generated cluster states", What it found), pinned: each is built with the real tools
 * and judged by Pacific's osdmaptool again.
 */
class GeneratedClusterStateRegressionTest {
    @TempDir
    Path dir;

    private static Spec spec(Crush crush, List<ClusterStateGen.PgOsds> primaryTemp) {
        return new Spec(1, 0, 0, crush, List.of(), List.of(), List.of(), List.of(), primaryTemp, List.of(), List.of(), 0,
                0, "obj-a");
    }

    /** Finding 1: an up OSD with no addresses prints nothing where addresses go (was "[] []"). */
    @Test
    void upOsdWithoutAddresses() throws Exception {
        ClusterStateOracle.judge(spec(new Crush(List.of(new Host(0, List.of(), List.of())), 0, 0, 0, 0, 0, List.of()),
                List.of()), dir);
    }

    /** Finding 2: one compat weight set does not make min_compat_client luminous (osdmaptool: jewel). */
    @Test
    void compatWeightSetKeepsMinCompatClient() throws Exception {
        ClusterStateOracle.judge(spec(new Crush(List.of(new Host(4, List.of(0), List.of())), 0, 0, 0, 0, 1,
                List.of(2)), List.of()), dir);
        ClusterStateOracle.judge(spec(new Crush(List.of(new Host(4, List.of(0, 3), List.of())), 0, 0, 0, 0, 1,
                List.of(2, 0)), List.of()), dir);
    }

    /**
     * Finding 3: a primary_temp at or past max_osd (no monitor writes one; osdmaptool indexes out of
     * its vector) made the statistics throw ArrayIndexOutOfBoundsException; the id is not counted now.
     */
    @Test
    void primaryTempPastMaxOsdIsNotCounted() throws Exception {
        Path map = ClusterStateOracle.build(spec(new Crush(List.of(new Host(4, List.of(0, 0), List.of())), 0, 0, 0, 0,
                0, List.of()), List.of()), dir);
        OsdMap m = OsdMapCodec.decode(Files.readAllBytes(map));
        Path bad = dir.resolve("bad.osdmap");
        Files.write(bad, OsdMapCodec.encode(OsdMapEdit.of(m).primaryTemp(new PgId(1, 0), m.maxOsd() + 3).build()));
        ClusterStateOracle.Run r = ClusterStateOracle.jceph(bad.toString(), "--test-map-pgs-dump-all");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("acting ([") && r.out().contains(", p" + (m.maxOsd() + 3) + ")"), r.out());
    }

    /**
     * Finding 4 (varying seed -9058406949501597767, 2026-12-06): an erasure pool on legacy
     * tunables printed min_compat_client firefly; osdmaptool prints dumpling, since
     * OSD_ERASURE_CODES is not a client feature.
     */
    @Test
    void erasurePoolDoesNotRaiseMinCompatClient() throws Exception {
        ClusterStateOracle.judge(new Spec(1, 0, 0, new Crush(List.of(new Host(0, List.of(0), List.of())), 0, 0, 1, 1, 0,
                List.of()), List.of(new ClusterStateGen.Pool(true, 1, 0, 1, 1, true)), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), 0, 0, "obj-a"), dir);
    }
}
