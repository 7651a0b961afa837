package org.jceph.osdmap;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.EdgeFuzz;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's edge-case fuzzing of OSDMap, OSDMap::Incremental and pg_pool_t decoding: captured
 * Pacific maps and incrementals and every corpus sample, with 1 to 16 stacked mutations
 * ({@link EdgeFuzz}: lengths set to edge values and to the bytes left ± 1, versions and counts
 * at edges, splices from other samples). Only DecodeException, bounded allocation, and each decode
 * within 10 s. A fixed-seed jqwik slice (edge cases first) and a varying seed slice whose seed is
 * printed ({@code -Dcodecfuzz.seed}, {@code -Dcodecfuzz.tries} for the long run).
 */
class MapEdgeFuzzTest {
    static List<EdgeFuzz.Target> targets() throws IOException {
        return MapFuzzTest.seeds().stream().map(s -> new EdgeFuzz.Target(s.type(), s.bytes(), s.decode(),
                e -> e instanceof DecodeException)).toList();
    }

    @Provide
    Arbitrary<EdgeFuzz.Case> cases() throws IOException {
        return EdgeFuzz.cases(targets());
    }

    @Property(tries = 3000, seed = "20261217", edgeCases = EdgeCasesMode.FIRST)
    void fixedSeedSlice(@ForAll("cases") EdgeFuzz.Case c) {
        c.check(10_000);
    }

    @Test
    void varyingSeedSlice() throws IOException {
        EdgeFuzz.runSlice("osdmap", targets(), 20_000, 10_000);
    }
}
