package org.jceph.cli.osdmaptool;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

/**
 * jqwik generator of OSDMap cluster states for {@link ClusterStateOracle} (issue 17, OSDMap
 * placement). A {@link Spec} is a structure, not a seed: every part is valid on its own (OSD ids,
 * rules, pools and PGs are taken modulo what exists when the map is built), so jqwik's shrinking
 * removes pools, temps, upmaps and OSD changes and lowers every number.
 *
 * <p>What a spec covers:
 * <ul>
 *   <li>the base map from {@code osdmaptool --createsimple N --with-default-pool --pg-bits B
 *       --pgp-bits P} (pgp_num lagging pg_num when P &lt; B);
 *   <li>a CRUSH map compiled by {@code crushtool -c} and imported with {@code osdmaptool
 *       --import-crush}: hosts under optional racks under one root, each bucket of any algorithm
 *       (uniform only where its items weigh the same), OSD weights including 0, device classes, a
 *       tunables profile, replicated and erasure rules (chooseleaf/choose, firstn/indep, a class
 *       take), and optionally choose_args weight sets (per pool id or the default) on straw2 buckets;
 *   <li>what osdmaptool cannot set, written with jceph's own encoder ({@code OsdMapEdit}, then
 *       {@code OsdMapCodec.encode}): pools (replicated or erasure, size, rule, pg_num and a lagging
 *       pgp_num, hashpspool on or off), OSD states (up/down, in/out, partial reweight, not
 *       existing), primary affinity, pg_temp, primary_temp, pg_upmap and pg_upmap_items.
 * </ul>
 */
final class ClusterStateGen {
    private ClusterStateGen() {
    }

    static final String[] ALGS = {"uniform", "list", "tree", "straw", "straw2"};
    /** CRUSH weights an OSD can have (crushtool's text form), 0 included. */
    static final String[] WEIGHTS = {"1.000", "0.000", "0.500", "2.000", "3.500", "1.000"};

    /** One host: its bucket algorithm, OSD weights (by index into WEIGHTS) and device classes (0 none, 1 hdd, 2 ssd). */
    record Host(int alg, List<Integer> weights, List<Integer> classes) {
    }

    /** CRUSH: hosts, racks (0 = hosts directly under the root), algorithms, tunables, weight sets. */
    record Crush(List<Host> hosts, int racks, int rackAlg, int rootAlg, int tunables, int weightSets,
            List<Integer> weightSetValues) {
    }

    /** A pool: erasure or replicated, size, rule (index into the rules of that type), pg_num, pgp_num, hashpspool. */
    record Pool(boolean erasure, int size, int rule, int pgNum, int pgpNum, boolean hashpspool) {
    }

    /** An OSD change: kind 0 up+in, 1 down+in, 2 up+out, 3 down+out, 4 not existing, 5 up with reweight 0.5. */
    record OsdChange(int osd, int kind) {
    }

    /** A PG (pool index, ps) and OSD ids (taken modulo max_osd + 2, so ids past max_osd occur). */
    record PgOsds(int pool, int ps, List<Integer> osds) {
    }

    record Affinity(int osd, int value) {
    }

    record Spec(int numOsds, int pgBits, int pgpBits, Crush crush, List<Pool> pools, List<OsdChange> osds,
            List<Affinity> affinity, List<PgOsds> pgTemp, List<PgOsds> primaryTemp, List<PgOsds> upmap,
            List<PgOsds> upmapItems, int markOut, int objectPool, String object) {
    }

    static Arbitrary<Host> hosts() {
        return Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, WEIGHTS.length - 1).list().ofMinSize(0).ofMaxSize(5),
                Arbitraries.integers().between(0, 2).list().ofMaxSize(5)).as(Host::new);
    }

    static Arbitrary<Crush> crushes() {
        return Combinators.combine(hosts().list().ofMinSize(1).ofMaxSize(6), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 5).list().ofMaxSize(8)).as(Crush::new);
    }

    static Arbitrary<Pool> pools() {
        return Combinators.combine(Arbitraries.of(false, false, true), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 70),
                Arbitraries.integers().between(1, 70), Arbitraries.of(true, true, false)).as(Pool::new);
    }

    static Arbitrary<PgOsds> pgOsds(int maxLen) {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 40).list().ofMaxSize(maxLen)).as(PgOsds::new);
    }

    static Arbitrary<Spec> specs() {
        return Builders.withBuilder(SpecBuilder::new)
                .use(Arbitraries.integers().between(1, 24)).in((b, v) -> { b.numOsds = v; return b; })
                .use(Arbitraries.integers().between(0, 3)).in((b, v) -> { b.pgBits = v; return b; })
                .use(Arbitraries.integers().between(0, 3)).in((b, v) -> { b.pgpBits = v; return b; })
                .use(crushes()).in((b, v) -> { b.crush = v; return b; })
                .use(pools().list().ofMaxSize(3)).in((b, v) -> { b.pools = v; return b; })
                .use(Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 5))
                        .as(OsdChange::new).list().ofMaxSize(6)).in((b, v) -> { b.osds = v; return b; })
                .use(Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 2))
                        .as(Affinity::new).list().ofMaxSize(4)).in((b, v) -> { b.affinity = v; return b; })
                .use(pgOsds(6).list().ofMaxSize(4)).in((b, v) -> { b.pgTemp = v; return b; })
                .use(pgOsds(1).list().ofMaxSize(3)).in((b, v) -> { b.primaryTemp = v; return b; })
                .use(pgOsds(6).list().ofMaxSize(3)).in((b, v) -> { b.upmap = v; return b; })
                .use(pgOsds(6).list().ofMaxSize(4)).in((b, v) -> { b.upmapItems = v; return b; })
                .use(Arbitraries.integers().between(0, 40)).in((b, v) -> { b.markOut = v; return b; })
                .use(Arbitraries.integers().between(0, 3)).in((b, v) -> { b.objectPool = v; return b; })
                .use(Arbitraries.of("obj-a", "rbd_data.1234", "foo", "x", "benchmark_data_7")).in((b, v) -> { b.object = v; return b; })
                .build(SpecBuilder::build);
    }

    static final class SpecBuilder {
        int numOsds;
        int pgBits;
        int pgpBits;
        Crush crush;
        List<Pool> pools = new ArrayList<>();
        List<OsdChange> osds = new ArrayList<>();
        List<Affinity> affinity = new ArrayList<>();
        List<PgOsds> pgTemp = new ArrayList<>();
        List<PgOsds> primaryTemp = new ArrayList<>();
        List<PgOsds> upmap = new ArrayList<>();
        List<PgOsds> upmapItems = new ArrayList<>();
        int markOut;
        int objectPool;
        String object;

        Spec build() {
            return new Spec(numOsds, pgBits, pgpBits, crush, pools, osds, affinity, pgTemp, primaryTemp, upmap,
                    upmapItems, markOut, objectPool, object);
        }
    }
}
