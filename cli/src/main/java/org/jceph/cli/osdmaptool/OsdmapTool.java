package org.jceph.cli.osdmaptool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushWeights;
import org.jceph.crush.UnsupportedCrushFeatureException;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.OsdMapEdit;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;

/**
 * {@code jceph osdmaptool MAP [options]}: the subset of Ceph's osdmaptool (src/tools/osdmaptool.cc,
 * Pacific) that reads a map, with the same standard output: --print, --dump json|plain, --tree,
 * --test-map-object NAME
 * [--pool P], --test-map-pg PGID, --test-map-pgs, --test-map-pgs-dump, --test-map-pgs-dump-all
 * [--pool P], --mark-up-in, --mark-out N. Like osdmaptool, the marks change only the map in
 * memory, and the actions run in osdmaptool's order whatever the order of the options.
 *
 * <p>--print and --dump follow the output of the osdmaptool of one release: by default the map's
 * require_osd_release (a Reef cluster's map prints as Reef's osdmaptool prints it: per-pool
 * read_balance_score, pg_upmap_primary lines, allow_crimson; Tentacle adds score_type,
 * is_stretch_pool and nonprimary_shards), or the release named by {@code --release NAME}
 * (a jceph option; osdmaptool has none).
 *
 * <p>Not supported (an error, never a silent difference): --dump xml and other formats, --tree with a
 * format, pools with hit sets (cache tiering) in --print/--dump, map creation or
 * modification (--createsimple, --import-crush, --upmap, ...). --mark-up-in on an OSD whose
 * CRUSH weight is 0 sets that weight to 1.0 as osdmaptool does ({@link CrushWeights}).
 *
 * <p>Why ~660 lines (over the project's ~600): osdmaptool's option parser and its action order, and
 * the --test-map-pgs family (the PG ranges mapped on every core, then the three report forms printed
 * in PG order byte for byte as the stock tool prints them); the mapping itself lives in the osdmap
 * module, the --print/--dump text in its own classes.
 */
public final class OsdmapTool {
    private static final String ME = "osdmaptool";

    private OsdmapTool() {
    }

    /** Parsed command line; option names accept '-' and '_' alike, and --opt=value. */
    private static final class Options {
        String file;
        boolean print;
        boolean tree;
        boolean dumpJson;
        String testMapObject;
        String testMapPg;
        long pool = -1;
        boolean testMapPgs;
        boolean testMapPgsDump;
        boolean testMapPgsDumpAll;
        boolean markUpIn;
        int markOut = -1;
        String plot;
        String plotBefore;
        List<int[]> reweights = new ArrayList<>(); // {osd, weight 16.16}
        /** --release NAME: print as that release's osdmaptool does (default: the map's require_osd_release). */
        int release = -1;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(ME + ": " + e.getMessage());
            usage(err);
            return 1;
        }
        err.println(ME + ": osdmap file '" + o.file + "'");
        OsdMap map;
        try {
            map = OsdMapCodec.decode(Files.readAllBytes(Path.of(o.file)));
        } catch (IOException e) {
            err.println(ME + ": couldn't open " + o.file + ": " + e.getMessage());
            return 255;
        } catch (DecodeException e) {
            err.println(ME + ": error decoding osdmap '" + o.file + "'");
            return 255;
        }
        CrushMap crush = CrushMap.decode(map.crushBytes());

        if (o.markUpIn) {
            out.println("marking all OSDs up and in");
            try {
                map = upIn(map);
            } catch (UnsupportedCrushFeatureException e) {
                err.println(ME + ": --mark-up-in would change a CRUSH weight of 0 to 1: " + e.getMessage()
                        + " is not supported");
                return 1;
            }
            crush = CrushMap.decode(map.crushBytes());
        }
        OsdMap beforeChanges = map;
        List<String> changes = new ArrayList<>();
        if (o.markOut >= 0 && o.markOut < map.maxOsd()) {
            changes.add("osd." + o.markOut + " out");
            out.println("marking OSD@" + o.markOut + " as out");
            int id = o.markOut;
            map = map.withOsd(id, map.osdState().get(id) | OsdMap.STATE_UP, OsdMap.WEIGHT_OUT);
        }
        for (int[] rw : o.reweights) {
            if (rw[0] < 0 || rw[0] >= map.maxOsd()) {
                err.println(ME + ": --reweight: no osd." + rw[0]);
                return 1;
            }
            out.println("reweighting osd." + rw[0] + " to " + rw[1] / 65536.0);
            changes.add("osd." + rw[0] + " reweight " + rw[1] / 65536.0);
            map = map.withOsd(rw[0], map.osdState().get(rw[0]), rw[1]);
        }
        Placement placement = new Placement(map);
        if (o.plot != null) {
            long poolFilter = o.pool;
            if (poolFilter != -1 && map.pool(poolFilter) == null) {
                err.println("There is no pool " + poolFilter);
                return 1;
            }
            org.jceph.cli.viz.DistributionPlot.Counts after = new org.jceph.cli.viz.DistributionPlot.Counts(map, poolFilter);
            if (o.plotBefore != null) {
                try {
                    beforeChanges = OsdMapCodec.decode(Files.readAllBytes(Path.of(o.plotBefore)));
                } catch (IOException | DecodeException e) {
                    err.println(ME + ": cannot read --plot-before map " + o.plotBefore + ": " + e.getMessage());
                    return 1;
                }
                if (o.markUpIn) {
                    try {
                        beforeChanges = upIn(beforeChanges);
                    } catch (UnsupportedCrushFeatureException e) {
                        err.println(ME + ": --mark-up-in on " + o.plotBefore + ": " + e.getMessage()
                                + " is not supported");
                        return 1;
                    }
                }
                if (poolFilter != -1 && beforeChanges.pool(poolFilter) == null) {
                    err.println("There is no pool " + poolFilter + " in " + o.plotBefore);
                    return 1;
                }
                changes.add(0, "map " + Path.of(o.plotBefore).getFileName() + " (epoch " + beforeChanges.epoch()
                        + ") -> " + Path.of(o.file).getFileName() + " (epoch " + map.epoch() + ")");
            }
            org.jceph.cli.viz.DistributionPlot.Counts before = changes.isEmpty() ? null
                    : new org.jceph.cli.viz.DistributionPlot.Counts(beforeChanges, poolFilter);
            String caption = (poolFilter == -1 ? "all pools" : "pool " + poolFilter)
                    + (changes.isEmpty() ? "" : ", before/after " + String.join(", ", changes));
            org.jceph.cli.viz.DistributionPlot plot = new org.jceph.cli.viz.DistributionPlot(after, before, caption);
            try {
                Files.writeString(Path.of(o.plot), o.plot.endsWith(".html") ? "<!DOCTYPE html>\n<html><head><meta "
                        + "charset=\"utf-8\"><title>jceph osdmaptool --plot</title></head><body>\n" + plot.svg().inline()
                        + "</body></html>\n" : plot.svg().toString());
            } catch (IOException e) {
                err.println(ME + ": cannot write " + o.plot + ": " + e.getMessage());
                return 1;
            }
            if (before != null) {
                out.println("before: " + plot.summary(before));
            }
            out.println((before != null ? "after: " : "") + plot.summary(after));
            out.println("wrote " + o.plot);
        }

        if (o.testMapObject != null) {
            long pool = o.pool;
            if (pool == -1) {
                out.println(ME + ": assuming pool 1 (use --pool to override)");
                pool = 1;
            }
            if (map.pool(pool) == null) {
                err.println("There is no pool " + pool);
                return 1;
            }
            PgId pg = placement.rawPgToPg(placement.objectToRawPg(pool, o.testMapObject, "", ""));
            Placement.Result r = placement.pgToUpActing(pg);
            out.println(" object '" + o.testMapObject + "' -> " + pg + " -> " + CFormat.vec(r.acting()));
        }
        if (o.testMapPg != null) {
            PgId pg = parsePg(o.testMapPg);
            if (pg == null) {
                err.println(ME + ": failed to parse pg '" + o.testMapPg);
                usage(err);
                return 1;
            }
            out.println(" parsed '" + o.testMapPg + "' -> " + pg);
            PgPool pool = map.pool(pg.pool());
            List<Integer> raw = pool == null ? List.of() : placement.rawOsds(pool, pg);
            Placement.Result r = pool == null ? new Placement.Result(pg, List.of(), -1, List.of(), -1)
                    : placement.pgToUpActing(pg);
            out.println(pg + " raw (" + CFormat.vec(raw) + ", p" + firstNotNone(raw) + ") up ("
                    + CFormat.vec(r.up()) + ", p" + r.upPrimary() + ") acting (" + CFormat.vec(r.acting()) + ", p"
                    + r.actingPrimary() + ")");
        }
        if (o.testMapPgs || o.testMapPgsDump || o.testMapPgsDumpAll) {
            if (o.pool != -1 && map.pool(o.pool) == null) {
                err.println("There is no pool " + o.pool);
                return 1;
            }
            mapAllPgs(map, crush, placement, o, out);
        }
        if (!o.print && !o.tree && o.plot == null && o.testMapObject == null && o.testMapPg == null && !o.testMapPgs && !o.testMapPgsDump
                && !o.testMapPgsDumpAll) {
            err.println(ME + ": no action specified?");
            usage(err);
            return 1;
        }
        int release = o.release >= 0 ? o.release : map.requireOsdRelease();
        if (o.print && o.dumpJson) {
            DumpJson.print(map, crush, out, release, placement);
        } else if (o.print) {
            MapPrinter.print(map, crush, out, release, placement);
        }
        if (o.tree) {
            TreePrinter.print(map, crush, out);
        }
        return 0;
    }

    /**
     * All OSDs up and in, as --mark-up-in does: every OSD below max_osd gets the UP bit and weight
     * 1.0 (which makes it exist), and an OSD whose CRUSH weight is 0 gets CRUSH weight 1.0
     * (osdmaptool.cc: {@code if (crush->get_item_weight(i) == 0) crush->adjust_item_weightf(cct, i,
     * 1.0)}; an OSD in no bucket is left alone). crush_version is not changed.
     */
    static OsdMap upIn(OsdMap map) {
        List<Long> states = new ArrayList<>(map.maxOsd());
        List<Long> weights = new ArrayList<>(map.maxOsd());
        CrushMap crush = CrushMap.decode(map.crushBytes());
        boolean crushChanged = false;
        // each OSD's weight in the first bucket holding it, as CrushWeights.itemWeight finds it, in
        // one pass (per OSD that is a scan of every bucket: 0.2 s at 10,000 OSDs); adjusting one
        // OSD's weight changes no other OSD's
        Map<Integer, Integer> itemWeights = crushWeights(crush);
        for (int i = 0; i < map.maxOsd(); i++) {
            states.add(map.osdState().get(i) | OsdMap.STATE_UP);
            weights.add(OsdMap.WEIGHT_IN);
            Integer w = itemWeights.get(i);
            if (w != null && w == 0) {
                crush = CrushWeights.adjustItemWeight(crush, i, 0x10000);
                crushChanged = true;
            }
        }
        OsdMap out = map.withOsdStatesAndWeights(states, weights);
        return crushChanged ? OsdMapEdit.of(out).crush(crush.encode()).build() : out;
    }

    /** Below this many PGs in all the --test-map-pgs family maps on the calling thread only (tests lower it). */
    static long parallelMinPgs = 1 << 14;
    /** The fewest PGs in one run handed to a mapping thread (tests lower it). */
    static long minRunLength = 1024;
    /** Mapping threads; 0: one per available core (tests set it). */
    static int mappingThreads = 0;

    /**
     * What mapping one run of consecutive PGs of one pool produced: the dump lines (when dumping),
     * acting-set counts per OSD (all, first position, primary) and per set size. Counts add up in
     * any order; the text is printed in PG order.
     */
    private static final class MappedRange {
        final StringBuilder text = new StringBuilder();
        final int[] count;
        final int[] firstCount;
        final int[] primaryCount;
        final int[] size = new int[30];
        int maxSize;

        MappedRange(int maxOsd) {
            count = new int[maxOsd];
            firstCount = new int[maxOsd];
            primaryCount = new int[maxOsd];
        }

        void add(MappedRange o) {
            for (int i = 0; i < count.length; i++) {
                count[i] += o.count[i];
                firstCount[i] += o.firstCount[i];
                primaryCount[i] += o.primaryCount[i];
            }
            for (int i = 0; i < size.length; i++) {
                size[i] += o.size[i];
            }
            maxSize = Math.max(maxSize, o.maxSize);
        }
    }

    /** Maps the PGs [from, to) of one pool into {@code m}, as osdmaptool's --test-map-pgs loop does. */
    private static void mapRange(Placement placement, long poolId, PgPool pool, long from, long to, Options o,
            MappedRange m, StringBuilder b) {
        int n = m.count.length;
        for (long ps = from; ps < to; ps++) {
            PgId pg = new PgId(poolId, ps);
            Placement.Result r = placement.pgToUpActingOnce(pg);
            List<Integer> osds = r.acting();
            int primary = r.actingPrimary();
            m.size[osds.size()]++;
            m.maxSize = Math.max(m.maxSize, osds.size());
            if (o.testMapPgsDump) {
                b.append(pg).append('\t').append(CFormat.vec(osds)).append('\t').append(primary).append('\n');
            } else if (o.testMapPgsDumpAll) {
                List<Integer> raw = placement.rawOsds(pool, pg);
                b.append(pg).append(" raw (").append(CFormat.vec(raw)).append(", p").append(firstNotNone(raw))
                        .append(") up (").append(CFormat.vec(r.up())).append(", p").append(r.upPrimary())
                        .append(") acting (").append(CFormat.vec(osds)).append(", p").append(primary)
                        .append(")\n");
            }
            // osdmaptool indexes vectors of max_osd entries with these ids unchecked. Up and
            // acting sets only hold existing OSDs, but a primary_temp is taken as it is, so an
            // id at or past max_osd (a map no monitor writes) is an out-of-bounds write there;
            // such ids are not counted here.
            for (int osd : osds) {
                if (osd != Placement.NONE && osd >= 0 && osd < n) {
                    m.count[osd]++;
                }
            }
            if (!osds.isEmpty() && osds.get(0) != Placement.NONE && osds.get(0) >= 0 && osds.get(0) < n) {
                m.firstCount[osds.get(0)]++;
            }
            if (primary >= 0 && primary < n) {
                m.primaryCount[primary]++;
            }
        }
    }

    /** One run of consecutive PGs of one pool; {@code header} is the pool's "pool N pg_num M" line or null. */
    private record Range(long poolId, PgPool pool, long from, long to, String header) {
    }

    /**
     * The --test-map-pgs family: every PG of every (or one) pool, then per-OSD statistics. Each PG
     * maps independently, so on several cores the PGs are cut into runs mapped by a fixed pool of
     * threads (one per core); the dump lines are printed run by run in PG order and the counts
     * summed, so the output is the same as mapping them one after another.
     */
    private static void mapAllPgs(OsdMap map, CrushMap crush, Placement placement, Options o, PrintStream out) {
        int n = map.maxOsd();
        List<Map.Entry<Long, PgPool>> pools = new ArrayList<>();
        long totalPgs = 0;
        for (Map.Entry<Long, PgPool> e : map.pools().entrySet()) {
            if (o.pool == -1 || e.getKey() == o.pool) {
                pools.add(e);
                totalPgs += e.getValue().pgNum();
            }
        }
        int threads = mappingThreads > 0 ? mappingThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
        // a few runs per thread keeps the cores busy to the end; small enough runs keep the
        // dump text waiting to be printed small
        long runLength = Math.max(minRunLength, Math.min(1 << 16, totalPgs / (threads * 8L) + 1));
        List<Range> ranges = new ArrayList<>();
        for (Map.Entry<Long, PgPool> e : pools) {
            long pgNum = e.getValue().pgNum();
            String header = "pool " + e.getKey() + " pg_num " + pgNum + "\n";
            if (pgNum == 0) {
                ranges.add(new Range(e.getKey(), e.getValue(), 0, 0, header));
            }
            for (long from = 0; from < pgNum; from += runLength) {
                ranges.add(new Range(e.getKey(), e.getValue(), from, Math.min(pgNum, from + runLength),
                        from == 0 ? header : null));
            }
        }
        MappedRange all = new MappedRange(n);
        if (threads == 1 || totalPgs < parallelMinPgs) {
            for (Range r : ranges) {
                if (r.header() != null) {
                    all.text.append(r.header());
                }
                mapRange(placement, r.poolId(), r.pool(), r.from(), r.to(), o, all, all.text);
            }
            out.print(all.text);
            all.text.setLength(0);
        } else {
            mapInParallel(placement, ranges, threads, n, o, out, all);
        }
        StringBuilder b = all.text;
        int[] count = all.count;
        int[] firstCount = all.firstCount;
        int[] primaryCount = all.primaryCount;
        int[] size = all.size;
        int maxSize = all.maxSize;
        long total = 0;
        int in = 0;
        int minOsd = -1;
        int maxOsd = -1;
        b.append("#osd\tcount\tfirst\tprimary\tc wt\twt\n");
        List<Integer> counted = new ArrayList<>();
        Map<Integer, Integer> crushWeights = crushWeights(crush);
        for (int i = 0; i < n; i++) {
            int cw = crushWeights.getOrDefault(i, -2);
            if (map.isOut(i) || cw <= 0) {
                continue;
            }
            counted.add(i);
            in++;
            b.append("osd.").append(i).append('\t').append(count[i]).append('\t').append(firstCount[i]).append('\t')
                    .append(primaryCount[i]).append('\t').append(CFormat.g(cw / 65536.0f))
                    .append('\t').append(CFormat.g(map.osdWeight().get(i) / 65536.0f)).append('\n');
            total += count[i];
            if (count[i] != 0 && (minOsd < 0 || count[i] < count[minOsd])) {
                minOsd = i;
            }
            if (count[i] != 0 && (maxOsd < 0 || count[i] > count[maxOsd])) {
                maxOsd = i;
            }
        }
        long avg = in != 0 ? Long.divideUnsigned(total, in) : 0;
        double dev = 0;
        for (int i : counted) {
            long d = avg - count[i]; // uint64_t arithmetic in osdmaptool; the square is the same mod 2^64
            dev += unsigned(d * d);
        }
        dev /= in;
        dev = Math.sqrt(dev);
        double edev = Math.sqrt((double) total / (double) in * (1.0 - (1.0 / (double) in)));
        b.append(" in ").append(in).append('\n');
        b.append(" avg ").append(avg).append(" stddev ").append(CFormat.g(dev)).append(" (")
                .append(CFormat.g(dev / unsigned(avg))).append("x) (expected ").append(CFormat.g(edev)).append(' ')
                .append(CFormat.g(edev / unsigned(avg))).append("x))\n");
        if (minOsd >= 0) {
            b.append(" min osd.").append(minOsd).append(' ').append(count[minOsd]).append('\n');
        }
        if (maxOsd >= 0) {
            b.append(" max osd.").append(maxOsd).append(' ').append(count[maxOsd]).append('\n');
        }
        for (int i = 0; i <= maxSize; i++) {
            if (size[i] != 0) {
                b.append("size ").append(i).append('\t').append(size[i]).append('\n');
            }
        }
        out.print(b);
    }

    /**
     * Maps {@code ranges} on {@code threads} threads, printing each range's text in order as soon
     * as it and every range before it are done, and sums the counts into {@code all}.
     */
    private static void mapInParallel(Placement placement, List<Range> ranges, int threads, int maxOsd, Options o,
            PrintStream out, MappedRange all) {
        java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "osdmaptool-map-pgs");
            t.setDaemon(true);
            return t;
        });
        try {
            // one set of counters per thread, not per range: 10,000 OSDs make them 120 KB each
            ThreadLocal<MappedRange> counters = new ThreadLocal<>();
            List<MappedRange> perThread = java.util.Collections.synchronizedList(new ArrayList<>());
            List<java.util.concurrent.Future<StringBuilder>> texts = new ArrayList<>();
            for (Range r : ranges) {
                texts.add(exec.submit(() -> {
                    MappedRange m = counters.get();
                    if (m == null) {
                        m = new MappedRange(maxOsd);
                        counters.set(m);
                        perThread.add(m);
                    }
                    StringBuilder text = new StringBuilder();
                    if (r.header() != null) {
                        text.append(r.header());
                    }
                    mapRange(placement, r.poolId(), r.pool(), r.from(), r.to(), o, m, text);
                    return text;
                }));
            }
            for (java.util.concurrent.Future<StringBuilder> f : texts) {
                StringBuilder text = f.get();
                if (text.length() > 0) {
                    out.print(text);
                }
            }
            exec.shutdown();
            // every task is done (each future returned): the counters are final
            synchronized (perThread) {
                for (MappedRange m : perThread) {
                    all.add(m);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mapping PGs", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } finally {
            exec.shutdownNow();
        }
    }

    /** A uint64_t converted to double, as C++ does. */
    private static double unsigned(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static int firstNotNone(List<Integer> osds) {
        for (int osd : osds) {
            if (osd != Placement.NONE) {
                return osd;
            }
        }
        return -1;
    }

    /**
     * CrushWrapper::get_item_weight for every item: its weight in the first bucket (by index) that
     * holds it. Items in no bucket are absent (Ceph returns -ENOENT for them).
     */
    public static Map<Integer, Integer> crushWeights(CrushMap crush) {
        Map<Integer, Integer> w = new java.util.HashMap<>();
        for (CrushBucket b : crush.bucketSlots()) {
            if (b == null) {
                continue;
            }
            for (int i = 0; i < b.size(); i++) {
                w.putIfAbsent(b.item(i), b.itemWeight(i));
            }
        }
        return w;
    }

    /** pg_t::parse: POOL.SEED with the seed in hex. */
    static PgId parsePg(String s) {
        int dot = s.indexOf('.');
        if (dot <= 0 || dot == s.length() - 1) {
            return null;
        }
        try {
            long pool = Long.parseLong(s.substring(0, dot));
            long seed = Long.parseLong(s.substring(dot + 1), 16);
            if (pool < 0 || seed < 0 || seed > 0xffffffffL) {
                return null;
            }
            return new PgId(pool, seed);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.startsWith("--") && a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            String name = a.startsWith("--") ? a.replace('_', '-') : a;
            switch (name) {
                case "-p", "--print" -> o.print = true;
                case "--test-map-pgs" -> o.testMapPgs = true;
                case "--test-map-pgs-dump" -> o.testMapPgsDump = true;
                case "--test-map-pgs-dump-all" -> o.testMapPgsDumpAll = true;
                case "--mark-up-in" -> o.markUpIn = true;
                case "--reweight" -> {
                    if (i + 2 >= args.length) {
                        throw new IllegalArgumentException("--reweight needs OSD and WEIGHT (0..1)");
                    }
                    int osd = (int) parseNumber(a, args[++i]);
                    double w;
                    try {
                        w = Double.parseDouble(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--reweight: not a weight: " + args[i]);
                    }
                    if (!(w >= 0 && w <= 1)) {
                        throw new IllegalArgumentException("--reweight: weight must be in 0..1: " + args[i]);
                    }
                    o.reweights.add(new int[] {osd, (int) Math.round(w * 0x10000)});
                }
                case "--test-map-object", "--test-map-pg", "--pool", "--mark-out", "--plot", "--plot-before", "--release" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + a + " requires an argument");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--test-map-object" -> o.testMapObject = value;
                        case "--test-map-pg" -> o.testMapPg = value;
                        case "--pool" -> o.pool = parseNumber(a, value);
                        case "--plot" -> o.plot = value;
                        case "--plot-before" -> o.plotBefore = value;
                        case "--release" -> o.release = MapPrinter.releaseNumber(value);
                        default -> o.markOut = (int) parseNumber(a, value);
                    }
                }
                case "--tree" -> {
                    if (value != null && !value.isEmpty() && !value.equals("plain")) {
                        throw new IllegalArgumentException("--tree=" + value + " is not supported (plain only)");
                    }
                    o.tree = true;
                }
                case "--dump" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + a + " requires an argument");
                        }
                        value = args[++i];
                    }
                    o.print = true;
                    // osdmaptool: "plain" (or empty) is --print; any other format name falls back to json
                    o.dumpJson = !value.isEmpty() && !value.equals("plain");
                    if (o.dumpJson && !value.equals("json")) {
                        throw new IllegalArgumentException("--dump " + value + " is not supported (json or plain)");
                    }
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new IllegalArgumentException("unsupported option " + a);
                    }
                    files.add(a);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("must specify osdmap filename");
        }
        if (files.size() > 1) {
            throw new IllegalArgumentException("too many arguments");
        }
        o.file = files.get(0);
        return o;
    }

    private static long parseNumber(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
    }

    private static void usage(PrintStream err) {
        err.println(" usage: [--print] <mapfilename>");
        err.println("   --test-map-pgs [--pool <poolid>] map all pgs");
        err.println("   --test-map-pgs-dump [--pool <poolid>] map all pgs");
        err.println("   --test-map-pgs-dump-all [--pool <poolid>] map all pgs to osds");
        err.println("   --mark-up-in            mark osds up and in (but do not persist)");
        err.println("   --mark-out <osdid>      mark an osd as out (but do not persist)");
        err.println("   --test-map-pg <pgid>    map a pgid to osds");
        err.println("   --test-map-object <objectname> [--pool <poolid>] map an object to osds");
        err.println("   --plot FILE.svg|html [--pool <poolid>]  PGs and primaries per OSD against CRUSH weight;");
        err.println("                           with --mark-out/--reweight, before and after");
        err.println("   --reweight <osdid> <w>  set an osd's reweight (0..1, not persisted)");
        err.println("   --plot-before MAP       with --plot: draw MAP as 'before' (e.g. the map before osdmaptool --upmap --save)");
        err.println("   --release <name>        print as that release's osdmaptool (jceph; default: the map's require_osd_release)");
    }
}
