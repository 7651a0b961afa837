package org.jceph.osdmap;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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

    record Case(EdgeFuzz.Target target, EdgeFuzz.Target donor, long seed, int count) {
    }

    @Provide
    Arbitrary<Case> cases() throws IOException {
        List<EdgeFuzz.Target> t = targets();
        return Combinators.combine(Arbitraries.of(t), Arbitraries.of(t), Arbitraries.longs(),
                Arbitraries.integers().between(1, 16)).as(Case::new);
    }

    @Property(tries = 3000, seed = "20261217", edgeCases = EdgeCasesMode.FIRST)
    void fixedSeedSlice(@ForAll("cases") Case c) {
        byte[] in = EdgeFuzz.mutate(c.target().bytes(), c.donor().bytes(), c.seed(), c.count());
        EdgeFuzz.check(c.toString(), in, c.target().decode(), c.target().typed(), 10_000);
    }

    @Test
    void varyingSeedSlice() throws IOException {
        EdgeFuzz.runSlice("osdmap", targets(), 20_000, 10_000);
    }
}
