package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jceph.cli.osdmaptool.ClusterStateGen.Host;
import org.jceph.cli.osdmaptool.ClusterStateGen.PgOsds;
import org.jceph.cli.osdmaptool.ClusterStateGen.Spec;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.OsdMapEdit;
import org.jceph.osdmap.PgPool;

/**
 * Builds the cluster state a {@link Spec} describes with the real tools (osdmaptool --createsimple,
 * crushtool -c, osdmaptool --import-crush) and jceph's encoder (for what osdmaptool cannot set),
 * then runs the host's osdmaptool (Pacific 16.2.15) and jceph's osdmaptool (in process) with the
 * same arguments: standard output and success must be identical.
 *
 * <p>Compared per map: {@code --print}, {@code --tree}, {@code --test-map-pgs-dump-all},
 * {@code --test-map-pgs-dump --pool P}, {@code --mark-up-in --test-map-pgs-dump},
 * {@code --mark-out K --test-map-pgs-dump-all} and {@code --test-map-object NAME --pool P}.
 */
final class ClusterStateOracle {
    private ClusterStateOracle() {
    }

    static final AtomicLong MAPS = new AtomicLong();
    static final AtomicLong RUNS = new AtomicLong();
    static final AtomicLong LINES = new AtomicLong();
    static final AtomicLong REJECTED = new AtomicLong();
    static final AtomicLong UNSUPPORTED = new AtomicLong();
    /** pg_upmap_primary entries naming a non-primary member of the PG's up set (they move the primary). */
    static final AtomicLong UPMAP_PRIMARY_MOVES = new AtomicLong();
    /** --mark-up-in comparisons on maps where an OSD had CRUSH weight 0 (osdmaptool sets it to 1). */
    static final AtomicLong ZERO_WEIGHT_UP_IN = new AtomicLong();
    /** Why crushtool -c or osdmaptool --import-crush refused maps: first stderr line, counted. */
    static final Map<String, Integer> REJECTIONS = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static void rejected(String tool, Run r) {
        REJECTED.incrementAndGet();
        String line = r.err().lines().filter(l -> !l.isBlank()).findFirst().orElse("rc " + r.rc());
        REJECTIONS.merge(tool + ": " + line.replaceAll("[0-9]+", "N"), 1, Integer::sum);
    }

    static final int[][] PROFILES = { // local, fallback, total, descend_once, vary_r, stable, straw_calc
        {0, 0, 50, 1, 1, 1, 1}, {2, 5, 19, 0, 0, 0, 0}, {0, 0, 50, 1, 0, 0, 0}, {0, 0, 50, 1, 1, 0, 1},
        {0, 0, 50, 1, 1, 0, 1}, {0, 0, 50, 1, 1, 1, 1}};

    /** Result of one external command. */
    record Run(int rc, String out, String err) {
    }

    static Run exec(Path dir, String... cmd) {
        try {
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", cmd) + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            fail("cannot run " + cmd[0] + " (apt-get install -y ceph-common ceph-base): " + e.getMessage());
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The CRUSH map of a spec, in crushtool's text form. */
    static String crushText(Spec spec) {
        ClusterStateGen.Crush c = spec.crush();
        boolean classes = c.hosts().stream().anyMatch(h -> h.classes().stream().limit(h.weights().size())
                .anyMatch(k -> k != 0));
        StringBuilder dev = new StringBuilder();
        StringBuilder buckets = new StringBuilder();
        int[] p = PROFILES[c.tunables() % PROFILES.length];
        StringBuilder out = new StringBuilder();
        String[] tn = {"choose_local_tries", "choose_local_fallback_tries", "choose_total_tries",
            "chooseleaf_descend_once", "chooseleaf_vary_r", "chooseleaf_stable", "straw_calc_version"};
        for (int i = 0; i < tn.length; i++) {
            out.append("tunable ").append(tn[i]).append(' ').append(p[i]).append('\n');
        }
        out.append("tunable allowed_bucket_algs ").append(c.tunables() % PROFILES.length == 1 ? 22 : 54).append('\n');
        int osd = 0;
        int nextId = -2 - c.racks();
        boolean hdd = false;
        boolean ssd = false;
        List<String> hostNames = new ArrayList<>();
        List<Integer> hostIds = new ArrayList<>();
        List<String> straw2Buckets = new ArrayList<>(); // "id size"
        for (int h = 0; h < c.hosts().size(); h++) {
            Host host = c.hosts().get(h);
            String alg = ClusterStateGen.ALGS[host.alg()];
            if (alg.equals("tree") && classes) {
                alg = "list"; // crushtool -c leaves shadow tree node weights uninitialised (see the CRUSH section)
            }
            List<Integer> w = new ArrayList<>(host.weights());
            if (alg.equals("uniform") && (w.isEmpty() || classes)) {
                // crushtool -c asserts on an empty uniform bucket, and builds no shadow trees over them
                alg = "straw2";
            }
            if (alg.equals("uniform")) {
                int first = w.get(0) == 1 ? 0 : w.get(0); // nor a uniform bucket of weight 0
                w.replaceAll(x -> first);
            }
            if (alg.equals("tree") && !w.isEmpty() && w.stream().allMatch(x -> x == 1)) {
                // an all-zero tree bucket makes mapper.c read past its items (undefined; CRUSH section)
                w.set(0, 0);
            }
            int id = nextId--;
            String name = "host" + h;
            hostNames.add(name);
            hostIds.add(id);
            buckets.append("host ").append(name).append(" {\n\tid ").append(id).append("\n\talg ").append(alg)
                    .append("\n\thash 0\n");
            for (int i = 0; i < w.size(); i++) {
                int cls = i < host.classes().size() ? host.classes().get(i) : 0;
                dev.append("device ").append(osd).append(" osd.").append(osd);
                if (cls == 1) {
                    dev.append(" class hdd");
                    hdd = true;
                } else if (cls == 2) {
                    dev.append(" class ssd");
                    ssd = true;
                }
                dev.append('\n');
                buckets.append("\titem osd.").append(osd).append(" weight ")
                        .append(ClusterStateGen.WEIGHTS[w.get(i)]).append('\n');
                osd++;
            }
            buckets.append("}\n");
            if (alg.equals("straw2")) {
                straw2Buckets.add(id + " " + w.size());
            }
        }
        String[] upper = {"straw2", "list", "tree", "straw", "straw2"}; // never uniform: children weigh differently
        List<String> rootItems = new ArrayList<>();
        if (c.racks() == 0) {
            rootItems.addAll(hostNames);
        } else {
            for (int r = 0; r < c.racks(); r++) {
                String alg = upper[c.rackAlg()];
                if (alg.equals("tree")) {
                    alg = "straw2";
                }
                buckets.append("rack rack").append(r).append(" {\n\tid ").append(-2 - r).append("\n\talg ")
                        .append(alg).append("\n\thash 0\n");
                int n = 0;
                for (int h = r; h < hostNames.size(); h += c.racks()) {
                    buckets.append("\titem ").append(hostNames.get(h)).append('\n');
                    n++;
                }
                buckets.append("}\n");
                if (alg.equals("straw2")) {
                    straw2Buckets.add((-2 - r) + " " + n);
                }
                rootItems.add("rack" + r);
            }
        }
        String rootAlg = upper[c.rootAlg()];
        if (rootAlg.equals("tree")) {
            rootAlg = "straw2";
        }
        buckets.append("root default {\n\tid -1\n\talg ").append(rootAlg).append("\n\thash 0\n");
        for (String item : rootItems) {
            buckets.append("\titem ").append(item).append('\n');
        }
        buckets.append("}\n");
        if (rootAlg.equals("straw2")) {
            straw2Buckets.add("-1 " + rootItems.size());
        }
        out.append(dev);
        out.append("type 0 osd\ntype 1 host\ntype 2 rack\ntype 3 root\n");
        out.append(buckets);
        int rule = 0;
        out.append(rule(rule++, "rep_host", "replicated", "step take default\n\tstep chooseleaf firstn 0 type host"));
        out.append(rule(rule++, "rep_osd", "replicated", "step take default\n\tstep choose firstn 0 type osd"));
        out.append(rule(rule++, "ec_host", "erasure", "step set_chooseleaf_tries 5\n\tstep set_choose_tries 100\n"
                + "\tstep take default\n\tstep chooseleaf indep 0 type host"));
        out.append(rule(rule++, "ec_osd", "erasure", "step take default\n\tstep choose indep 0 type osd"));
        if (c.racks() > 0) {
            out.append(rule(rule++, "rep_rack", "replicated",
                    "step take default\n\tstep choose firstn 0 type rack\n\tstep chooseleaf firstn 1 type host"));
        }
        if (hdd) {
            out.append(rule(rule++, "rep_hdd", "replicated", "step take default class hdd\n\tstep chooseleaf firstn 0 type host"));
        }
        if (ssd) {
            out.append(rule(rule++, "ec_ssd", "erasure", "step take default class ssd\n\tstep choose indep 0 type osd"));
        }
        straw2Buckets.removeIf(b -> b.endsWith(" 0")); // crushtool -c cannot parse an empty weight set
        if (c.weightSets() > 0 && !straw2Buckets.isEmpty()) {
            // key -1 (compat weight set) or a pool id; 1 or 2 positions
            long key = c.weightSets() == 1 ? -1 : c.weightSets() - 1;
            int positions = c.weightSets() == 3 ? 2 : 1;
            int v = 0;
            out.append("choose_args ").append(key == -1 ? "18446744073709551615" : "" + key).append(" {\n");
            for (String b : straw2Buckets) {
                String[] idSize = b.split(" ");
                int size = Integer.parseInt(idSize[1]);
                out.append("  {\n    bucket_id ").append(idSize[0]).append("\n    weight_set [\n");
                for (int pos = 0; pos < positions; pos++) {
                    out.append("      [");
                    for (int i = 0; i < size; i++) {
                        List<Integer> vals = c.weightSetValues();
                        int x = vals.isEmpty() ? 2 : vals.get(v++ % vals.size());
                        out.append(' ').append(ClusterStateGen.WEIGHTS[x]);
                    }
                    out.append(" ]\n");
                }
                out.append("    ]\n  }\n");
            }
            out.append("}\n");
        }
        return out.toString();
    }

    private static String rule(int id, String name, String type, String steps) {
        return "rule " + name + " {\n\tid " + id + "\n\ttype " + type + "\n\tmin_size 1\n\tmax_size 10\n\t" + steps
                + "\n\tstep emit\n}\n";
    }

    /** Replicated and erasure rule ids in the spec's CRUSH map. */
    static List<List<Integer>> rules(String crushText) {
        List<Integer> rep = new ArrayList<>();
        List<Integer> ec = new ArrayList<>();
        String[] parts = crushText.split("rule ");
        for (String part : parts) {
            int id = part.indexOf("\tid ");
            if (id < 0 || !part.contains("\ttype ")) {
                continue;
            }
            int n = Integer.parseInt(part.substring(id + 4, part.indexOf('\n', id)).trim());
            (part.contains("type erasure") ? ec : rep).add(n);
        }
        return List.of(rep, ec);
    }

    /** Devices the spec's CRUSH map holds. */
    static int devices(Spec spec) {
        return spec.crush().hosts().stream().mapToInt(h -> h.weights().size()).sum();
    }

    /** Builds the map file; null when crushtool or osdmaptool refuse the CRUSH map. */
    static Path build(Spec spec, Path dir) throws IOException {
        return build(spec, dir, List.of());
    }

    /**
     * As {@link #build(Spec, Path)}, plus pg_upmap_primary entries (pool index, ps, OSD: taken
     * modulo what exists, like the other PG entries); these raise the client section to v10.
     */
    static Path build(Spec spec, Path dir, List<PgOsds> upmapPrimaries) throws IOException {
        int maxOsd = Math.max(spec.numOsds(), devices(spec));
        Path map = dir.resolve("base.osdmap");
        Run r = exec(dir, "osdmaptool", "--createsimple", "" + maxOsd, "--with-default-pool", "--pg-bits",
                "" + spec.pgBits(), "--pgp-bits", "" + Math.min(spec.pgBits(), spec.pgpBits()), "--clobber",
                map.toString());
        assertEquals(0, r.rc(), "osdmaptool --createsimple: " + r.err());
        String text = crushText(spec);
        Files.writeString(dir.resolve("crush.txt"), text);
        r = exec(dir, "crushtool", "-c", "crush.txt", "-o", "crush.bin");
        if (r.rc() != 0) {
            rejected("crushtool -c", r);
            if (System.getProperty("osdmapfuzz.keep") != null) {
                Files.copy(dir.resolve("crush.txt"), Path.of(System.getProperty("osdmapfuzz.keep"),
                        "rejected-" + REJECTED.get() + ".txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        }
        r = exec(dir, "osdmaptool", map.toString(), "--import-crush", "crush.bin");
        if (r.rc() != 0) {
            rejected("osdmaptool --import-crush", r);
            return null;
        }
        OsdMap base = OsdMapCodec.decode(Files.readAllBytes(map));
        OsdMapEdit e = OsdMapEdit.of(base);
        for (int i = 0; i < maxOsd; i++) {
            e.osd(i, OsdMap.STATE_EXISTS | OsdMap.STATE_UP, OsdMap.WEIGHT_IN);
        }
        List<List<Integer>> rules = rules(text);
        PgPool template = base.pool(1);
        List<Long> poolIds = new ArrayList<>(base.pools().keySet());
        Map<Long, PgPool> pools = new java.util.TreeMap<>(base.pools());
        if (!spec.pools().isEmpty()) {
            poolIds.clear();
            pools.clear();
            e.removePool(1);
            long id = 1;
            for (ClusterStateGen.Pool p : spec.pools()) {
                List<Integer> rs = rules.get(p.erasure() ? 1 : 0);
                int size = p.erasure() ? Math.max(2, p.size()) : Math.min(p.size(), 4);
                long pgNum = p.pgNum();
                long pgpNum = 1 + (p.pgpNum() - 1) % pgNum;
                long flags = p.hashpspool() ? template.flags() | PgPool.FLAG_HASHPSPOOL
                        : template.flags() & ~PgPool.FLAG_HASHPSPOOL;
                PgPool pool = template.withPlacement(p.erasure() ? PgPool.TYPE_ERASURE : PgPool.TYPE_REPLICATED,
                        size, Math.max(1, size - 1), rs.get(p.rule() % rs.size()), pgNum, pgpNum, pgNum, pgpNum,
                        flags);
                if (p.erasure()) {
                    pool = pool.withErasureCodeProfile("default", 4096L * (size - 1));
                }
                e.pool(id, id == 1 ? "rbd" : "pool" + id, pool);
                pools.put(id, pool);
                poolIds.add(id);
                id++;
            }
            if (!base.erasureCodeProfiles().containsKey("default")) {
                e.erasureCodeProfile("default", Map.of("k", "2", "m", "1", "plugin", "jerasure",
                        "technique", "reed_sol_van"));
            }
        }
        for (ClusterStateGen.OsdChange c : spec.osds()) {
            int osd = c.osd() % maxOsd;
            long up = OsdMap.STATE_EXISTS | OsdMap.STATE_UP;
            switch (c.kind()) {
                case 0 -> e.osd(osd, up, OsdMap.WEIGHT_IN);
                case 1 -> e.osd(osd, OsdMap.STATE_EXISTS, OsdMap.WEIGHT_IN);
                case 2 -> e.osd(osd, up, OsdMap.WEIGHT_OUT);
                case 3 -> e.osd(osd, OsdMap.STATE_EXISTS, OsdMap.WEIGHT_OUT);
                case 4 -> e.osd(osd, 0, OsdMap.WEIGHT_OUT);
                default -> e.osd(osd, up, 0x8000);
            }
        }
        long[] aff = {0, 0x8000, 0x10000};
        for (ClusterStateGen.Affinity a : spec.affinity()) {
            e.primaryAffinity(a.osd() % maxOsd, aff[a.value()]);
        }
        for (PgOsds t : spec.pgTemp()) {
            e.pgTemp(pg(t, poolIds, pools), osds(t.osds(), maxOsd + 2, 1));
        }
        for (PgOsds t : spec.primaryTemp()) {
            // below max_osd: the monitor only accepts existing OSDs, and osdmaptool's statistics
            // write out of bounds for an id past max_osd (see OsdmapTool.mapAllPgs)
            e.primaryTemp(pg(t, poolIds, pools), osds(t.osds(), maxOsd, 1).get(0));
        }
        for (PgOsds t : spec.upmap()) {
            e.pgUpmap(pg(t, poolIds, pools), osds(t.osds(), maxOsd, 1));
        }
        for (PgOsds t : spec.upmapItems()) {
            List<Integer> o = osds(t.osds(), maxOsd, 2);
            List<int[]> pairs = new ArrayList<>();
            for (int i = 0; i + 1 < o.size(); i += 2) {
                pairs.add(new int[] {o.get(i), o.get(i + 1)});
            }
            e.pgUpmapItems(pg(t, poolIds, pools), pairs);
        }
        if (!upmapPrimaries.isEmpty()) {
            // mostly an OSD of the PG's up set (as the read balancer picks them; jceph's placement
            // chooses it, the judge decides), sometimes any OSD
            org.jceph.osdmap.Placement before = new org.jceph.osdmap.Placement(e.build());
            for (PgOsds t : upmapPrimaries) {
                PgId pg = pg(t, poolIds, pools);
                int pick = osds(t.osds(), 1 << 16, 1).get(0);
                List<Integer> up = before.pgToUpActing(pg).up().stream().filter(o -> o != OsdMap.ITEM_NONE).toList();
                int osd = up.isEmpty() || pick % 5 == 4 ? pick % maxOsd : up.get(pick % up.size());
                e.pgUpmapPrimary(pg, osd);
                if (up.indexOf(osd) > 0) {
                    UPMAP_PRIMARY_MOVES.incrementAndGet(); // a replica that is not the primary yet
                }
            }
        }
        Path out = dir.resolve("state.osdmap");
        Files.write(out, OsdMapCodec.encode(e.build()));
        return out;
    }

    private static PgId pg(PgOsds t, List<Long> poolIds, Map<Long, PgPool> pools) {
        long pool = poolIds.get(t.pool() % poolIds.size());
        return new PgId(pool, t.ps() % pools.get(pool).pgNum());
    }

    private static List<Integer> osds(List<Integer> in, int mod, int min) {
        List<Integer> out = new ArrayList<>();
        for (int o : in) {
            out.add(o % mod);
        }
        for (int i = 0; out.size() < min; i++) {
            out.add(i % mod);
        }
        return out;
    }

    private static boolean hasZeroWeightOsd(OsdMap m) {
        org.jceph.crush.CrushMap crush = org.jceph.crush.CrushMap.decode(m.crushBytes());
        for (int i = 0; i < m.maxOsd(); i++) {
            Integer w = org.jceph.crush.CrushWeights.itemWeight(crush, i);
            if (w != null && w == 0) {
                return true;
            }
        }
        return false;
    }

    /** jceph's osdmaptool in process. */
    static Run jceph(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OsdmapTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Builds and judges one spec; throws AssertionError (with the CRUSH text) on a difference. */
    static void judge(Spec spec, Path dir) throws IOException {
        Path map = build(spec, dir);
        if (map == null) {
            return;
        }
        MAPS.incrementAndGet();
        OsdMap m = OsdMapCodec.decode(Files.readAllBytes(map));
        List<Long> pools = new ArrayList<>(m.pools().keySet());
        String pool = "" + pools.get(spec.objectPool() % pools.size());
        String out = "" + spec.markOut() % m.maxOsd();
        List<List<String>> cases = List.of(List.of("--print"), List.of("--tree"), List.of("--test-map-pgs-dump-all"),
                List.of("--test-map-pgs-dump", "--pool", pool), List.of("--mark-up-in", "--test-map-pgs-dump"),
                List.of("--mark-out", out, "--test-map-pgs-dump-all"),
                List.of("--test-map-object", spec.object(), "--pool", pool));
        for (List<String> args : cases) {
            List<String> cmd = new ArrayList<>(List.of("osdmaptool", map.toString()));
            cmd.addAll(args);
            Run theirs = exec(dir, cmd.toArray(new String[0]));
            List<String> ours = new ArrayList<>(List.of(map.toString()));
            ours.addAll(args);
            Run mine = jceph(ours.toArray(new String[0]));
            RUNS.incrementAndGet();
            if (mine.rc() != 0 && args.contains("--mark-up-in") && mine.err().contains("is not supported")
                    && theirs.rc() == 0) {
                UNSUPPORTED.incrementAndGet(); // CrushWeights refused the CRUSH map (none expected since straw buckets are supported)
                continue;
            }
            if (args.contains("--mark-up-in") && hasZeroWeightOsd(m)) {
                ZERO_WEIGHT_UP_IN.incrementAndGet();
            }
            String what = String.join(" ", args) + "\n--- CRUSH map ---\n" + Files.readString(dir.resolve("crush.txt"))
                    + "--- spec ---\n" + spec;
            if (theirs.rc() != 0) {
                fail("osdmaptool failed (rc " + theirs.rc() + ": " + theirs.err() + ") on " + what);
            }
            assertEquals(theirs.out(), mine.out(), what + "\njceph stderr: " + mine.err());
            assertEquals(0, mine.rc(), what + "\njceph stderr: " + mine.err());
            LINES.addAndGet(Arrays.stream(theirs.out().split("\n")).count());
        }
    }
}
