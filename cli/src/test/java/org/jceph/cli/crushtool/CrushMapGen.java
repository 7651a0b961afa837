package org.jceph.cli.crushtool;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A jqwik generator of valid CRUSH maps in crushtool's text form. The generated value is a
 * structured {@link Spec}; {@link Spec#text()} renders it. Every part of a spec is independent of
 * the others (buckets and devices are numbered while rendering, rules and choose_args refer to
 * buckets by index modulo the bucket count), so whatever jqwik shrinks it to is still a valid map:
 * shrinking removes buckets, devices, rules, steps and choose_args and lowers every knob.
 *
 * <p>Covers: all five bucket algorithms mixed in one hierarchy, depths 1 to 5 with empty buckets,
 * zero, tiny, fractional and huge weights (including u32 weights >= 2^31), explicit item weights on
 * bucket items that disagree with the child's own weight, device classes (so crushtool builds
 * shadow trees over every algorithm), choose_args weight sets (1 to 3 positions) and id overrides
 * under the default key and pool keys, every tunables profile plus random odd tunables, rules with
 * several take/emit blocks, class takes, device takes, firstn/indep choose and chooseleaf with
 * positive, zero and negative counts, nested chooses and every set_* step, and device reweights
 * (0, partial, 1, above 1) passed as {@code --weight}.
 */
final class CrushMapGen {
    private CrushMapGen() {
    }

    static final String[] ALGS = {"uniform", "list", "tree", "straw", "straw2"};
    static final String[] CLASSES = {null, "hdd", "ssd"};
    /** Item weights as written in the text map: zero, tiny (rounds to 0 or 1/65536ths), fractional, huge. */
    static final String[] WEIGHTS = {"1.000", "0.000", "0.500", "2.000", "0.010", "1.337", "0.001", "0.00001",
        "7.250", "100.000", "99.999", "33.333", "0.100", "20000.000", "40000.000", "65535.000"};
    /** crushtool -c limits device weights to 100; bucket items and weight sets may weigh up to 65535. */
    static final int DEVICE_WEIGHTS = 13;
    /** Reweight values passed with --weight. */
    static final String[] REWEIGHTS = {"0", "0.5", "1", "0.25", "0.999", "2", "0.0001"};
    static final String[] STEP_SETS = {"set_choose_tries", "set_chooseleaf_tries", "set_choose_local_tries",
        "set_choose_local_fallback_tries", "set_chooseleaf_vary_r", "set_chooseleaf_stable"};
    static final String[] CHOOSES = {"choose firstn", "chooseleaf firstn", "choose indep", "chooseleaf indep"};
    static final int MAX_TYPE = 10;

    sealed interface Node permits Dev, Bkt {
    }

    record Dev(int weight, int cls) implements Node {
    }

    /** itemWeight -1: children weigh what they weigh; otherwise every bucket child gets WEIGHTS[itemWeight]. */
    record Bkt(int alg, int typeBump, int itemWeight, List<Node> children) implements Node {
    }

    record Tun(int profile, int localTries, int fallback, int total, int descend, int varyR, int stable,
            int strawCalc) {
    }

    /** kind 0-3: CHOOSES[kind] n type; 4-9: STEP_SETS[kind-4] n; 10: emit then take (a new block). */
    record Step(int kind, int n, int type) {
    }

    record Rule(int take, boolean takeDevice, int cls, boolean erasure, List<Step> steps) {
    }

    /** key -1 = default; else a pool id. */
    record ChooseArgs(int bucket, int key, int positions, List<Integer> weights, boolean ids, int idBase) {
    }

    record Reweight(int device, int value) {
    }

    /**
     * A step of an MSR rule. kind 0: {@code choosemsr n type T}; 1: {@code set_msr_descents n};
     * 2: {@code set_msr_collision_tries n}; 3: emit, then take another bucket (a new EMIT block);
     * 4: a classic {@code CHOOSES[n & 3]} step, which makes the rule malformed for
     * crush_msr_do_rule (it maps to nothing).
     */
    record MsrStep(int kind, int n, int type) {
    }

    /**
     * An MSR rule (Squid and later): {@code config} steps (SET_MSR_*) first, then a take (a bucket,
     * by index; never a device, which crush_msr_do_rule cannot map) and {@code steps}.
     */
    record MsrRule(int take, int cls, boolean indep, List<MsrStep> config, List<MsrStep> steps) {
    }

    /** The map's msr_descents and msr_collision_tries tunables; written only when {@code set}. */
    record MsrTun(boolean set, int descents, int collisionTries) {
    }

    /**
     * A generated map. {@code msrRules} and {@code msrTun} are Squid+ only ({@link #msrSpecs()}):
     * empty and null in {@link #specs()}, whose maps every release compiles.
     */
    record Spec(Tun tun, List<Node> roots, List<Rule> rules, List<ChooseArgs> chooseArgs, List<Reweight> reweights,
            int numRep, int minX, int xCount, int poolId, List<MsrRule> msrRules, MsrTun msrTun) {
        String text() {
            return new Renderer(this).render();
        }

        /** crushtool --test arguments (without -i). */
        List<String> testArgs() {
            Renderer r = new Renderer(this);
            r.render();
            List<String> a = new ArrayList<>(List.of("--test", "--show-mappings", "--show-statistics",
                    "--show-bad-mappings", "--num-rep", "" + numRep, "--min-x", "" + minX, "--max-x",
                    "" + (minX + xCount - 1)));
            if (poolId >= 0) {
                a.addAll(List.of("--pool-id", "" + poolId));
            }
            for (Reweight w : reweights) {
                if (r.devices > 0) {
                    a.addAll(List.of("--weight", "" + (w.device % (r.devices + 1)), REWEIGHTS[w.value]));
                }
            }
            return a;
        }

        @Override
        public String toString() {
            return text() + "# args: " + String.join(" ", testArgs()) + "\n";
        }
    }

    // ---------------------------------------------------------------- arbitraries

    static Arbitrary<Spec> specs() {
        Arbitrary<Tun> tun = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 80), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 2)).as(Tun::new);
        Arbitrary<List<Node>> roots = Arbitraries.integers().between(1, 5)
                .flatMap(depth -> bucket(depth).list().ofMinSize(1).ofMaxSize(3));
        Arbitrary<List<Rule>> rules = rule().list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<ChooseArgs>> cas = chooseArgs().list().ofMaxSize(4);
        Arbitrary<List<Reweight>> rws = Combinators.combine(Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, REWEIGHTS.length - 1)).as(Reweight::new).list().ofMaxSize(3);
        return Combinators.combine(tun, roots, rules, cas, rws, Arbitraries.integers().between(1, 7),
                Arbitraries.integers().between(0, 100000), Arbitraries.integers().between(1, 64))
                .flatAs((t, r, ru, ca, rw, nr, mx, xc) -> Arbitraries.integers().between(-1, 3)
                        .map(pool -> new Spec(t, r, ru, ca, rw, nr, mx, xc, pool, List.of(), null)));
    }

    /** MSR tunable values: 0 (no descents, so nothing maps), small ones that leave holes, Ceph's default 100. */
    static final int[] MSR_TUNABLE_VALUES = {100, 0, 1, 2, 3, 5, 10, 25};

    /**
     * Maps for Squid and later (judged by Tentacle's crushtool): the {@link #specs()} hierarchy,
     * choose_args, reweights and tunables, with 1 to 3 MSR rules (msr_firstn / msr_indep) after 0 to
     * 2 classic rules, and the msr_descents / msr_collision_tries tunables (default, or any of
     * {@link #MSR_TUNABLE_VALUES}).
     */
    static Arbitrary<Spec> msrSpecs() {
        Arbitrary<MsrTun> msrTun = Combinators.combine(Arbitraries.of(false, true),
                Arbitraries.integers().between(0, MSR_TUNABLE_VALUES.length - 1),
                Arbitraries.integers().between(0, MSR_TUNABLE_VALUES.length - 1)).as(MsrTun::new);
        Arbitrary<List<MsrRule>> msr = msrRule().list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<Rule>> classic = rule().list().ofMaxSize(2);
        return Combinators.combine(specs(), classic, msr, msrTun, Arbitraries.integers().between(1, 10))
                .as((s, c, m, t, nr) -> new Spec(s.tun(), s.roots(), c, s.chooseArgs(), s.reweights(), nr, s.minX(),
                        s.xCount(), s.poolId(), m, t));
    }

    private static Arbitrary<MsrRule> msrRule() {
        Arbitrary<MsrStep> config = Combinators.combine(Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(0, MSR_TUNABLE_VALUES.length - 1), Arbitraries.just(0))
                .as(MsrStep::new);
        Arbitrary<Integer> type = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(4, MAX_TYPE)));
        Arbitrary<Integer> count = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 4)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(5, 8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-2, -1)));
        Arbitrary<MsrStep> step = Combinators.combine(
                Arbitraries.frequency(net.jqwik.api.Tuple.of(20, 0), net.jqwik.api.Tuple.of(1, 1),
                        net.jqwik.api.Tuple.of(1, 2), net.jqwik.api.Tuple.of(3, 3), net.jqwik.api.Tuple.of(1, 4)),
                count, type).as(MsrStep::new);
        return Combinators.combine(Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, CLASSES.length - 1), Arbitraries.of(false, true),
                config.list().ofMaxSize(2), step.list().ofMinSize(1).ofMaxSize(4)).as(MsrRule::new);
    }

    private static Arbitrary<Node> device() {
        return Combinators.combine(Arbitraries.frequency(weightFrequencies()),
                Arbitraries.integers().between(0, CLASSES.length - 1)).as(Dev::new);
    }

    @SuppressWarnings("unchecked")
    private static net.jqwik.api.Tuple.Tuple2<Integer, Integer>[] weightFrequencies() {
        int[] freq = {30, 8, 6, 4, 2, 3, 2, 2, 3, 1, 1, 1, 2, 1, 1, 1};
        net.jqwik.api.Tuple.Tuple2<Integer, Integer>[] out = new net.jqwik.api.Tuple.Tuple2[freq.length];
        for (int i = 0; i < freq.length; i++) {
            out[i] = net.jqwik.api.Tuple.of(freq[i], i);
        }
        return out;
    }

    /** A bucket of height at most {@code depth} (1 = holds only devices). */
    private static Arbitrary<Node> bucket(int depth) {
        Arbitrary<Node> child = depth <= 1 ? device()
                : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, device()),
                        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> bucket(depth - 1))));
        int maxChildren = depth <= 1 ? 7 : depth == 2 ? 4 : 3;
        return Combinators.combine(Arbitraries.integers().between(0, ALGS.length - 1),
                Arbitraries.integers().between(0, 2),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(6, -1), net.jqwik.api.Tuple.of(1, 0),
                        net.jqwik.api.Tuple.of(1, 1), net.jqwik.api.Tuple.of(1, 2), net.jqwik.api.Tuple.of(1, 13),
                        net.jqwik.api.Tuple.of(1, 14), net.jqwik.api.Tuple.of(1, 15)),
                child.list().ofMaxSize(maxChildren)).as(Bkt::new);
    }

    private static Arbitrary<Rule> rule() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.frequency(net.jqwik.api.Tuple.of(4, 0), net.jqwik.api.Tuple.of(4, 1),
                        net.jqwik.api.Tuple.of(3, 2), net.jqwik.api.Tuple.of(3, 3), net.jqwik.api.Tuple.of(1, 4),
                        net.jqwik.api.Tuple.of(1, 5), net.jqwik.api.Tuple.of(1, 6), net.jqwik.api.Tuple.of(1, 7),
                        net.jqwik.api.Tuple.of(1, 8), net.jqwik.api.Tuple.of(1, 9), net.jqwik.api.Tuple.of(1, 10)),
                Arbitraries.integers().between(-2, 6), Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, MAX_TYPE)))).as(Step::new);
        return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.of(false, false, false, true),
                Arbitraries.integers().between(0, CLASSES.length - 1), Arbitraries.of(false, true),
                step.list().ofMinSize(1).ofMaxSize(4)).as(Rule::new);
    }

    private static Arbitrary<ChooseArgs> chooseArgs() {
        return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(-1, 2),
                Arbitraries.integers().between(0, 3),
                Arbitraries.frequency(weightFrequencies()).list().ofMinSize(1).ofMaxSize(12),
                Arbitraries.of(false, true), Arbitraries.integers().between(-50, 1000)).as(ChooseArgs::new);
    }

    // ---------------------------------------------------------------- rendering

    /** Numbers devices and buckets (post-order) and writes the text map crushtool -c reads. */
    static final class Renderer {
        final Spec spec;
        final StringBuilder buckets = new StringBuilder();
        final List<String> bucketNames = new ArrayList<>();
        final List<Integer> bucketSizes = new ArrayList<>();
        final List<int[]> deviceClasses = new ArrayList<>();
        final boolean[] classUsed = new boolean[CLASSES.length];
        int devices;

        Renderer(Spec spec) {
            this.spec = spec;
        }

        /** Renders a subtree; returns {name, type, weight text or null}. */
        private String[] node(Node n) {
            if (n instanceof Dev d) {
                int id = devices++;
                deviceClasses.add(new int[] {id, d.cls()});
                classUsed[d.cls()] = true;
                return new String[] {"osd." + id, "0", WEIGHTS[d.weight() % DEVICE_WEIGHTS]};
            }
            Bkt b = (Bkt) n;
            List<String[]> kids = new ArrayList<>();
            int type = 0;
            for (Node c : b.children()) {
                String[] k = node(c);
                kids.add(k);
                type = Math.max(type, Integer.parseInt(k[1]));
            }
            type = Math.min(MAX_TYPE, type + 1 + b.typeBump());
            int index = bucketNames.size();
            String name = "b" + (index + 1);
            bucketNames.add(name);
            bucketSizes.add(kids.size());
            StringBuilder s = buckets;
            s.append("t").append(type).append(' ').append(name).append(" {\n");
            s.append("\tid ").append(-1 - index).append('\n');
            s.append("\talg ").append(ALGS[b.alg()]).append('\n');
            s.append("\thash 0\n");
            String uniform = null;
            for (String[] k : kids) {
                String w = k[2];
                if (!k[0].startsWith("osd.") && b.itemWeight() >= 0) {
                    w = WEIGHTS[b.itemWeight()];
                }
                if (b.alg() == 0) { // uniform: every item must weigh the same
                    if (uniform == null) {
                        uniform = w == null ? "1.000" : w;
                    }
                    w = uniform;
                }
                s.append("\titem ").append(k[0]);
                if (w != null) {
                    s.append(" weight ").append(w);
                }
                s.append('\n');
            }
            s.append("}\n");
            return new String[] {name, "" + type, null};
        }

        String render() {
            for (Node r : spec.roots()) {
                node(r);
            }
            StringBuilder out = new StringBuilder();
            Tun t = spec.tun();
            int[][] profiles = { // local, fallback, total, descend_once, vary_r, stable
                {2, 5, 19, 0, 0, 0}, {0, 0, 50, 1, 0, 0}, {0, 0, 50, 1, 1, 0}, {0, 0, 50, 1, 1, 0},
                {0, 0, 50, 1, 1, 1}};
            int[] p = t.profile() < profiles.length ? profiles[t.profile()]
                    : new int[] {t.localTries(), t.fallback(), t.total(), t.descend(), t.varyR(), t.stable()};
            out.append("tunable choose_local_tries ").append(p[0]).append('\n');
            out.append("tunable choose_local_fallback_tries ").append(p[1]).append('\n');
            out.append("tunable choose_total_tries ").append(p[2]).append('\n');
            out.append("tunable chooseleaf_descend_once ").append(p[3]).append('\n');
            out.append("tunable chooseleaf_vary_r ").append(p[4]).append('\n');
            out.append("tunable chooseleaf_stable ").append(p[5]).append('\n');
            out.append("tunable straw_calc_version ").append(t.strawCalc()).append('\n');
            out.append("tunable allowed_bucket_algs ").append(t.profile() == 0 ? 22 : 54).append('\n');
            MsrTun mt = spec.msrTun();
            if (mt != null && mt.set()) {
                out.append("tunable msr_descents ").append(MSR_TUNABLE_VALUES[mt.descents()]).append('\n');
                out.append("tunable msr_collision_tries ").append(MSR_TUNABLE_VALUES[mt.collisionTries()]).append('\n');
            }
            for (int[] dc : deviceClasses) {
                out.append("device ").append(dc[0]).append(" osd.").append(dc[0]);
                if (CLASSES[dc[1]] != null) {
                    out.append(" class ").append(CLASSES[dc[1]]);
                }
                out.append('\n');
            }
            for (int i = 0; i <= MAX_TYPE; i++) {
                out.append("type ").append(i).append(" t").append(i).append('\n');
            }
            out.append(buckets);
            int id = 0;
            for (Rule r : spec.rules()) {
                out.append("rule r").append(id).append(" {\n\tid ").append(id).append("\n\ttype ")
                        .append(r.erasure() ? "erasure" : "replicated").append("\n\tmin_size 1\n\tmax_size 10\n");
                out.append(take(r));
                for (Step s : r.steps()) {
                    if (s.kind() < 4) {
                        out.append("\tstep ").append(CHOOSES[s.kind()]).append(' ').append(s.n()).append(" type t")
                                .append(s.type()).append('\n');
                    } else if (s.kind() < 10) {
                        out.append("\tstep ").append(STEP_SETS[s.kind() - 4]).append(' ').append(Math.abs(s.n()))
                                .append('\n');
                    } else {
                        out.append("\tstep emit\n");
                        out.append(take(new Rule(r.take() + s.type() + 1, s.n() < 0, s.n() & 1, false, List.of())));
                    }
                }
                out.append("\tstep emit\n");
                out.append("}\n");
                id++;
            }
            for (MsrRule r : spec.msrRules()) {
                out.append("rule m").append(id).append(" {\n\tid ").append(id).append("\n\ttype ")
                        .append(r.indep() ? "msr_indep" : "msr_firstn").append('\n');
                for (MsrStep c : r.config()) {
                    msrStep(c, r, out);
                }
                out.append(msrTake(r.take(), r.cls()));
                for (MsrStep s : r.steps()) {
                    msrStep(s, r, out);
                }
                out.append("\tstep emit\n");
                out.append("}\n");
                id++;
            }
            for (int key : new int[] {-1, 0, 1, 2}) {
                StringBuilder ca = new StringBuilder();
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (ChooseArgs c : spec.chooseArgs()) {
                    if (c.key() != key || bucketNames.isEmpty()) {
                        continue;
                    }
                    int b = c.bucket() % bucketNames.size();
                    int size = bucketSizes.get(b);
                    if (size == 0 || !seen.add(b) || (c.positions() == 0 && !c.ids())) {
                        continue;
                    }
                    ca.append("  {\n    bucket_id ").append(-1 - b).append('\n');
                    if (c.positions() > 0) {
                        ca.append("    weight_set [\n");
                        for (int pos = 0; pos < c.positions(); pos++) {
                            ca.append("      [");
                            for (int i = 0; i < size; i++) {
                                ca.append(' ').append(WEIGHTS[c.weights().get((i + pos * size) % c.weights().size())]);
                            }
                            ca.append(" ]\n");
                        }
                        ca.append("    ]\n");
                    }
                    if (c.ids()) {
                        ca.append("    ids [");
                        for (int i = 0; i < size; i++) {
                            ca.append(' ').append(c.idBase() + 7 * i - 3 * b);
                        }
                        ca.append(" ]\n");
                    }
                    ca.append("  }\n");
                }
                if (ca.length() > 0) {
                    out.append("choose_args ").append(key == -1 ? "18446744073709551615" : "" + key).append(" {\n")
                            .append(ca).append("}\n");
                }
            }
            return out.toString();
        }

        private void msrStep(MsrStep s, MsrRule r, StringBuilder out) {
            switch (s.kind()) {
                case 0 -> out.append("\tstep choosemsr ").append(s.n()).append(" type t").append(s.type()).append('\n');
                case 1 -> out.append("\tstep set_msr_descents ").append(MSR_TUNABLE_VALUES[Math.floorMod(s.n(),
                        MSR_TUNABLE_VALUES.length)]).append('\n');
                case 2 -> out.append("\tstep set_msr_collision_tries ").append(MSR_TUNABLE_VALUES[Math.floorMod(s.n(),
                        MSR_TUNABLE_VALUES.length)]).append('\n');
                case 3 -> {
                    out.append("\tstep emit\n");
                    out.append(msrTake(r.take() + s.type() + 1, Math.floorMod(s.n(), CLASSES.length)));
                }
                default -> out.append("\tstep ").append(CHOOSES[s.n() & 3]).append(' ').append(Math.abs(s.n()))
                        .append(" type t").append(s.type()).append('\n');
            }
        }

        /** An MSR take: always a bucket (crush_msr_do_rule cannot map a take of a device). */
        private String msrTake(int take, int cls) {
            if (bucketNames.isEmpty()) {
                return "\tstep take osd.0\n"; // no bucket at all: crushtool -c refuses a take of a missing item
            }
            return take(new Rule(take, false, cls, false, List.of()));
        }

        private String take(Rule r) {
            if (r.takeDevice() && devices > 0 || bucketNames.isEmpty()) {
                return "\tstep take osd." + (r.take() % Math.max(1, devices)) + "\n";
            }
            String name = bucketNames.get(r.take() % bucketNames.size());
            if (r.cls() > 0 && classUsed[r.cls()]) {
                return "\tstep take " + name + " class " + CLASSES[r.cls()] + "\n";
            }
            return "\tstep take " + name + "\n";
        }
    }
}
