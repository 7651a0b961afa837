package org.jceph.cli.crushtool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.fixtures.cluster.CephCluster;

/**
 * The judge for generated maps: compiles the text with a real {@code crushtool -c} of one release
 * (Pacific: the host's; Tentacle: the chroot's, see {@link #tentacle()}), then runs {@code crushtool
 * -d}, {@code --dump}, {@code --tree} and {@code --test ...} with that crushtool and with our
 * {@link CrushTool} (in process, in that release's output mode: {@code --release}), and compares
 * standard output line by line and the exit status. Fails (does not skip) when the judge's
 * crushtool is missing.
 */
final class CrushOracle {
    enum Outcome { MATCH, COMPILE_REJECTED, UNDEFINED, CRUSHTOOL_CRASHED, CRUSHTOOL_ASSERTED, CRUSHTOOL_SEGFAULT }

    /** The host's crushtool: Pacific 16.2.15. */
    static final CrushOracle PACIFIC = new CrushOracle("pacific", null);
    private static volatile CrushOracle tentacle;

    final String release;
    /** The root crushtool runs in, or null for the host. */
    private final Path chroot;
    final AtomicLong matched = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong undefined = new AtomicLong();
    final AtomicLong crashed = new AtomicLong();
    final AtomicLong asserted = new AtomicLong();
    final AtomicLong segfaulted = new AtomicLong();
    final AtomicLong judged = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean firstFailure = new java.util.concurrent.atomic.AtomicBoolean();

    private CrushOracle(String release, Path chroot) {
        this.release = release;
        this.chroot = chroot;
    }

    /**
     * Tentacle 20.2's crushtool, in the chroot bin/jceph-chroot builds (CI builds it before the
     * tests: bin/jceph-test): found as the cluster fixtures find it ({@link
     * CephCluster#requireRelease}, which builds it when missing, then {@code jceph-chroot path}).
     * Maps are copied into CHROOT/tmp under a unique directory, deleted after each map.
     */
    static CrushOracle tentacle() {
        CrushOracle t = tentacle;
        if (t == null) {
            synchronized (CrushOracle.class) {
                t = tentacle;
                if (t == null) {
                    CephCluster.requireRelease("tentacle");
                    Path script = CephCluster.launcher().resolveSibling("jceph-chroot");
                    Run r = exec(List.of("bash", script.toString(), "path", "tentacle"), 60_000);
                    Path root = Path.of(r.out().strip());
                    if (r.rc() != 0 || !Files.isExecutable(root.resolve("usr/bin/crushtool"))) {
                        throw new AssertionError("no crushtool in the tentacle chroot " + root + " (" + r.err().strip()
                                + "): bin/jceph-chroot build tentacle");
                    }
                    t = new CrushOracle("tentacle", root);
                    tentacle = t;
                }
            }
        }
        return t;
    }

    String counts() {
        return release + ": judged " + judged.get() + ", matched " + matched.get() + ", rejected by crushtool -c "
                + rejected.get() + ", undefined in crushtool (out-of-bounds read: tree bucket past its items, or MSR bucket array at a device id) " + undefined.get()
                + ", rule emits bucket ids so crushtool corrupts its heap (mapping lines compared only) "
                + crashed.get() + ", crushtool asserted in mapper.c (jceph refused the rule) " + asserted.get()
                + ", crushtool segfaulted on an MSR descent ending at a device " + segfaulted.get();
    }

    /** A new directory crushtool can read and write (under the chroot's /tmp for Tentacle). */
    Path newDir() {
        try {
            return chroot == null ? Files.createTempDirectory("crushfuzz")
                    : Files.createTempDirectory(chroot.resolve("tmp"), "crushfuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Judges {@code spec} in a fresh directory, deleted afterwards. */
    Outcome judge(CrushMapGen.Spec spec) {
        Path dir = newDir();
        try {
            Outcome o = judge(spec, dir);
            judged.incrementAndGet();
            return o;
        } catch (AssertionError e) {
            judged.incrementAndGet();
            if (firstFailure.compareAndSet(false, true)) {
                // jqwik reports only after shrinking, which can take many minutes with a real judge
                System.out.println("crushfuzz: " + release + ": first failure (shrinking follows): " + e.getMessage());
            }
            throw e;
        } finally {
            try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The path crushtool sees for {@code p}. */
    private String inside(Path p) {
        return chroot == null ? p.toString() : "/" + chroot.relativize(p);
    }

    static String crushtool() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "crushtool"))) {
                return dir + "/crushtool";
            }
        }
        throw new AssertionError("crushtool not found: install the oracle with `apt-get install -y ceph-common`");
    }

    record Run(int rc, String out, String err, boolean timedOut) {
    }

    static Run exec(List<String> cmd, long timeoutMs) {
        return exec(cmd, timeoutMs, null);
    }

    /**
     * Runs {@code cmd}; {@code crashDir} (as crushtool sees it), when given, receives the crash
     * report Ceph's signal handler writes when crushtool aborts, instead of /var/lib/ceph/crash.
     */
    static Run exec(List<String> cmd, long timeoutMs, String crashDir) {
        try {
            Path errFile = Files.createTempFile("crushfuzz", ".err");
            Path outFile = Files.createTempFile("crushfuzz", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outFile.toFile())
                        .redirectError(errFile.toFile());
                if (crashDir != null) {
                    pb.environment().put("CEPH_ARGS", "--crash_dir=" + crashDir);
                }
                Process p = pb.start();
                if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    return new Run(-1, "", "", true);
                }
                // ISO-8859-1: crushtool prints bytes from a corrupted heap in some cases (rules emitting bucket ids)
                return new Run(p.exitValue(), Files.readString(outFile, StandardCharsets.ISO_8859_1),
                        Files.readString(errFile, StandardCharsets.ISO_8859_1), false);
            } finally {
                Files.deleteIfExists(errFile);
                Files.deleteIfExists(outFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs the stock processes of {@link #judge(CrushMapGen.Spec, Path)} (daemon threads). */
    private static final ExecutorService STOCK_RUNS = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "crushtool-oracle");
        t.setDaemon(true);
        return t;
    });

    /** {@link #exec(List, long, String)} on another thread. */
    static CompletableFuture<Run> execAsync(List<String> cmd, long timeoutMs, String crashDir) {
        return CompletableFuture.supplyAsync(() -> exec(cmd, timeoutMs, crashDir), STOCK_RUNS);
    }

    /** The run's result; its failure (an I/O error, an interrupt) rethrown as it was. */
    private static Run result(CompletableFuture<Run> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    static Run jceph(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CrushTool.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), false);
    }

    /** Compiles {@code text} with the judge's crushtool into {@code dir}/map.bin; null when it refuses it. */
    byte[] compile(String text, Path dir) {
        try {
            Path src = dir.resolve("map.txt");
            Path bin = dir.resolve("map.bin");
            Files.writeString(src, text);
            Run r = exec(cmd(List.of("-c", inside(src), "-o", inside(bin))), 20_000, inside(dir));
            if (r.rc() != 0 || r.timedOut()) {
                if (System.getProperty("crushfuzz.logRejects") != null) {
                    System.out.println("crushfuzz: " + release + " crushtool -c rejected: " + r.err().strip());
                }
                return null;
            }
            return Files.readAllBytes(bin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True when a mapping may read past the end of a tree bucket's items array in crushtool and land
     * outside memory that is known to be zero: see {@link org.jceph.crush.CrushMapper}'s treeChoose.
     * crushtool's output then depends on the heap layout (observed: a hang, or ids from another
     * allocation), so the comparison is not meaningful; our mapper must still not throw.
     */
    static boolean treeReadsHeapGarbage(CrushMap map) {
        for (CrushBucket b : map.bucketSlots()) {
            if (b == null || b.algorithm() != CrushBucket.ALG_TREE || b.size() == 0) {
                continue;
            }
            int size = b.size();
            int chunk = Math.max(32, (4 * size + 8 + 15) & ~15); // glibc chunk of calloc(size * 4)
            int[] nw = b.nodeWeights();
            if (nw.length < 2) {
                continue;
            }
            java.util.BitSet leaves = new java.util.BitSet();
            reachableLeaves(nw, nw.length >> 1, leaves);
            for (int leaf = leaves.nextSetBit(size); leaf >= 0; leaf = leaves.nextSetBit(leaf + 1)) {
                int offset = 4 * leaf;
                boolean zero = offset + 4 <= chunk - 8 || offset == chunk - 4;
                if (!zero) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when some MSR rule has a non-leaf {@code choosemsr} step followed by another, whose
     * descent (crush_msr_descend: through buckets until one of the step's type or a device) can
     * end on a device: crush_msr_choose then indexes map->buckets with that device id.
     */
    static boolean msrDescentCanEndOnDevice(CrushMap map) {
        for (org.jceph.crush.CrushRule r : map.ruleSlots()) {
            if (r == null || !r.isMsr()) {
                continue;
            }
            List<org.jceph.crush.RuleStep> steps = r.steps();
            java.util.Set<Integer> at = new java.util.HashSet<>();
            for (int i = 0; i < steps.size(); i++) {
                org.jceph.crush.RuleStep st = steps.get(i);
                if (st.op() == org.jceph.crush.RuleStep.TAKE) {
                    at = new java.util.HashSet<>(List.of(st.arg1()));
                } else if (st.op() == org.jceph.crush.RuleStep.CHOOSE_MSR) {
                    boolean more = i + 1 < steps.size() && steps.get(i + 1).op() == org.jceph.crush.RuleStep.CHOOSE_MSR;
                    java.util.Set<Integer> next = new java.util.HashSet<>();
                    boolean device = false;
                    for (int b : at) {
                        device |= descend(map, b, st.arg2(), next, new java.util.HashSet<>());
                    }
                    if (device && more && st.arg2() != 0) {
                        return true;
                    }
                    at = next;
                }
            }
        }
        return false;
    }

    /** Collects the buckets of {@code type} a descent from {@code id} can end on; true if a device too. */
    private static boolean descend(CrushMap map, int id, int type, java.util.Set<Integer> out,
            java.util.Set<Integer> seen) {
        if (id >= 0 || !seen.add(id)) {
            return id >= 0;
        }
        CrushBucket b = map.bucket(id);
        if (b == null) {
            return false;
        }
        boolean device = false;
        for (int item : b.items()) {
            if (item >= 0) {
                device = true;
            } else {
                CrushBucket c = map.bucket(item);
                if (c != null && c.type() == type) {
                    out.add(item);
                } else {
                    device |= descend(map, item, type, out, seen);
                }
            }
        }
        return device;
    }

    /**
     * Leaves bucket_tree_choose can end on: t = hash * w >> 32 covers [0, w) (just 0 when w is 0), so
     * the left child is reachable when its weight is not 0 and the right one when t can reach the
     * left weight. crushtool -c leaves node weights of shadow tree buckets uninitialised, so any
     * leaf past the items may be reachable, not only the last.
     */
    private static void reachableLeaves(int[] nw, int n, java.util.BitSet out) {
        if ((n & 1) == 1) {
            out.set(n >> 1);
            return;
        }
        int h = Integer.numberOfTrailingZeros(n);
        int l = n - (1 << (h - 1));
        int r = n + (1 << (h - 1));
        long w = Integer.toUnsignedLong(nw[n]);
        long maxT = w == 0 ? 0 : w - 1;
        long wl = Integer.toUnsignedLong(nw[l]);
        if (wl != 0) {
            reachableLeaves(nw, l, out);
        }
        if (maxT >= wl && r < nw.length) {
            reachableLeaves(nw, r, out);
        }
    }

    /**
     * Compares {@code -d}, {@code --dump}, {@code --tree} and {@code --test} for the compiled map
     * in {@code dir}/map.bin. jceph prints {@code -d} and {@code --dump} in the judge's release
     * mode ({@code --release}); {@code --tree} and {@code --test} have no release-dependent output.
     */
    Outcome judge(CrushMapGen.Spec spec, Path dir) {
        byte[] bin = compile(spec.text(), dir);
        if (bin == null) {
            rejected.incrementAndGet();
            return Outcome.COMPILE_REJECTED;
        }
        Path map = dir.resolve("map.bin");
        String mine = map.toString();
        String theirs = inside(map);
        String crash = inside(dir);
        List<String> test = new ArrayList<>(List.of("-i", mine));
        test.addAll(spec.testArgs());
        List<String> testTheirs = new ArrayList<>(List.of("-i", theirs));
        testTheirs.addAll(spec.testArgs());
        Run ours = null;
        RuntimeException oursThrew = null;
        try {
            ours = jceph(test);
        } catch (RuntimeException e) {
            oursThrew = e;
        }
        // A rule that emits bucket ids makes CrushTester.cc write per[negative] (heap corruption):
        // crushtool prints the mappings, then usually aborts, and may hang in its crash handler.
        boolean emitsBuckets = ours != null && EMITS_BUCKET.matcher(ours.out()).find();
        // The four stock runs do not depend on each other and the tool's start-up is most of each:
        // they run side by side; the comparisons below go in the same order as before.
        List<CompletableFuture<Run>> stock = List.of(execAsync(cmd(List.of("-d", theirs)), 20_000, crash),
                execAsync(cmd(List.of("-i", theirs, "--dump")), 20_000, crash),
                execAsync(cmd(List.of("-i", theirs, "--tree")), 20_000, crash),
                oursThrew != null ? CompletableFuture.completedFuture(null)
                        : execAsync(cmd(testTheirs), emitsBuckets ? 3_000 : 20_000, crash));
        Run ct;
        try {
            compare(spec, List.of("-d", theirs), result(stock.get(0)), jceph(List.of("-d", mine, "--release", release)));
            compare(spec, List.of("-i", theirs, "--dump"), result(stock.get(1)),
                    jceph(List.of("-i", mine, "--dump", "--release", release)));
            compare(spec, List.of("-i", theirs, "--tree"), result(stock.get(2)), jceph(List.of("-i", mine, "--tree")));
            if (oursThrew != null) {
                throw new AssertionError("jceph crushtool " + String.join(" ", test) + " threw on\n" + spec, oursThrew);
            }
            ct = result(stock.get(3));
        } finally {
            // none still running when the caller deletes the directory
            CompletableFuture.allOf(stock.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }
        boolean ub = treeReadsHeapGarbage(CrushMap.decode(bin));
        if (ub) {
            if (ct.timedOut() || !ct.out().equals(ours.out())) {
                undefined.incrementAndGet();
                return Outcome.UNDEFINED;
            }
        } else if (emitsBuckets) {
            // crushtool's statistics are corrupted (or never printed): compare the per-x lines it
            // printed; all of them when it exited normally, those before it died otherwise
            List<String> t = mappingLines(completeLines(ct.out()));
            List<String> m = mappingLines(ours.out());
            // CrushTester counts per[out[i]]++ right after printing an x's mapping line; the first
            // negative id writes outside the array and corrupts crushtool's heap, so what it prints
            // after that line need not be Ceph's mapping (Tentacle, seed 270003: per[-7]++ landed
            // on the result vector itself, and the same x's "bad mapping" line printed [-7,1]
            // after its mapping line [-7,0]). Compare up to and including that line.
            int cut = firstBucketEmittingX(m);
            m = m.subList(0, cut);
            t = t.subList(0, Math.min(t.size(), cut));
            boolean died = ct.timedOut() || ct.rc() != 0;
            if (died ? t.size() > m.size() || !t.equals(m.subList(0, t.size())) : !t.equals(m)) {
                throw new AssertionError(release + " crushtool " + String.join(" ", testTheirs)
                        + " (rule emits bucket ids, " + (died ? "crushtool died" : "statistics not compared") + "): "
                        + firstDifference(String.join("\n", t), String.join("\n", m)) + "\n" + spec);
            }
            crashed.incrementAndGet();
            return Outcome.CRUSHTOOL_CRASHED;
        }
        if (!ct.timedOut() && ct.rc() == 134 && ct.err().contains("mapper.c") && ct.err().contains("Assertion")) {
            // crushtool's mapper asserted (SIGABRT) on a rule Ceph compiles but cannot map: jceph
            // must refuse it with an error, after printing the same lines crushtool printed
            String t = completeLines(ct.out());
            if (ours.rc() == 0 && ours.out().startsWith(t) && msrDescentCanEndOnDevice(CrushMap.decode(bin))) {
                // the assertion came after crush_msr_choose was handed map->buckets[-1 - device]
                // (out of bounds): what that memory holds decides between an assertion (a "size"
                // of 0 in crush_bucket_choose), a segfault or a mapping. Undefined; jceph maps
                // nothing for that stride and must not throw.
                undefined.incrementAndGet();
                return Outcome.UNDEFINED;
            }
            if (ours.rc() == 0 || !ours.out().startsWith(t)) {
                throw new AssertionError(release + " crushtool " + String.join(" ", testTheirs)
                        + " asserted in mapper.c; jceph exited " + ours.rc() + " (" + ours.err().strip() + "): "
                        + firstDifference(t, ours.out().substring(0, Math.min(t.length(), ours.out().length())))
                        + "\n" + spec);
            }
            asserted.incrementAndGet();
            return Outcome.CRUSHTOOL_ASSERTED;
        }
        if (!ct.timedOut() && ct.rc() == 139 && !spec.msrRules().isEmpty()) {
            // SIGSEGV: crush_msr_choose indexes map->buckets with a device id when a non-leaf
            // choosemsr step's descent ends on a device (mapper.c), reading out of bounds. jceph
            // maps nothing for that stride (CrushMapper.msrChoose); compare the lines crushtool
            // printed before it died.
            String t = completeLines(ct.out());
            if (!ours.out().startsWith(t)) {
                throw new AssertionError(release + " crushtool " + String.join(" ", testTheirs)
                        + " crashed (SIGSEGV): " + firstDifference(t, ours.out().substring(0,
                                Math.min(t.length(), ours.out().length()))) + "\n" + spec);
            }
            segfaulted.incrementAndGet();
            return Outcome.CRUSHTOOL_SEGFAULT;
        }
        compare(spec, testTheirs, ct, ours);
        matched.incrementAndGet();
        return Outcome.MATCH;
    }

    private static final java.util.regex.Pattern EMITS_BUCKET =
            java.util.regex.Pattern.compile("(?m)^CRUSH rule \\d+ x \\d+ \\[(?:.*,)?-\\d");

    /** {@code out} without a last line crushtool did not finish (it died while printing it). */
    private static String completeLines(String out) {
        return out.substring(0, out.lastIndexOf('\n') + 1);
    }

    /** The number of lines up to and including the first one whose mapping has a bucket id. */
    static int firstBucketEmittingX(List<String> lines) {
        java.util.regex.Pattern neg = java.util.regex.Pattern.compile("[\\[,]-\\d");
        for (int i = 0; i < lines.size(); i++) {
            if (neg.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return lines.size();
    }

    private static List<String> mappingLines(String out) {
        return out.lines().filter(l -> l.startsWith("CRUSH rule ") || l.startsWith("bad mapping ")).toList();
    }

    private List<String> cmd(List<String> args) {
        List<String> c = new ArrayList<>();
        if (chroot == null) {
            c.add(crushtool());
        } else {
            c.addAll(List.of("chroot", chroot.toString(), "crushtool"));
        }
        c.addAll(args);
        return c;
    }

    void compare(CrushMapGen.Spec spec, List<String> args, Run expected, Run actual) {
        String what = release + " crushtool " + String.join(" ", args);
        if (expected.timedOut()) {
            throw new AssertionError(what + " timed out\n" + spec);
        }
        String diff = firstDifference(expected.out(), actual.out());
        if (diff != null) {
            throw new AssertionError(what + ": " + diff + "\n" + spec);
        }
        if (expected.rc() != actual.rc()) {
            throw new AssertionError(what + ": exit " + actual.rc() + ", crushtool " + expected.rc() + " (stderr "
                    + expected.err().strip() + " / ours " + actual.err().strip() + ")\n" + spec);
        }
    }

    static String firstDifference(String expected, String actual) {
        if (expected.equals(actual)) {
            return null;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) {
                return "line " + (i + 1) + ": crushtool `" + e[i] + "`, jceph `" + a[i] + "`";
            }
        }
        return "line count: crushtool " + e.length + ", jceph " + a.length
                + (e.length > a.length ? ", next crushtool line `" + e[a.length] + "`"
                        : ", next jceph line `" + a[e.length] + "`");
    }
}
