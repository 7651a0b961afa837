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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;

/**
 * The judge for generated maps: compiles the text with the host's real {@code crushtool -c}, then
 * runs {@code crushtool -d} and {@code crushtool -i MAP --test ...} and our {@link CrushTool} (in
 * process) with the same arguments, and compares standard output line by line and the exit
 * status. Fails (does not skip) when crushtool is missing.
 */
final class CrushOracle {
    enum Outcome { MATCH, COMPILE_REJECTED, UNDEFINED, CRUSHTOOL_CRASHED }

    static final AtomicLong MATCHED = new AtomicLong();
    static final AtomicLong REJECTED = new AtomicLong();
    static final AtomicLong UNDEFINED = new AtomicLong();
    static final AtomicLong CRASHED = new AtomicLong();

    private CrushOracle() {
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
        try {
            Path errFile = Files.createTempFile("crushfuzz", ".err");
            Path outFile = Files.createTempFile("crushfuzz", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                        .start();
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

    static Run jceph(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CrushTool.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), false);
    }

    /** Compiles {@code text} with crushtool; null when crushtool refuses it. */
    static byte[] compile(String text, Path dir) {
        try {
            Path src = dir.resolve("map.txt");
            Path bin = dir.resolve("map.bin");
            Files.writeString(src, text);
            Run r = exec(List.of(crushtool(), "-c", src.toString(), "-o", bin.toString()), 20_000);
            if (r.rc() != 0 || r.timedOut()) {
                if (System.getProperty("crushfuzz.logRejects") != null) {
                    System.out.println("crushfuzz: crushtool -c rejected: " + r.err().strip());
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

    /** Compares -d and --test for a compiled map in {@code dir}/map.bin. */
    static Outcome judge(CrushMapGen.Spec spec, Path dir) {
        byte[] bin = compile(spec.text(), dir);
        if (bin == null) {
            REJECTED.incrementAndGet();
            return Outcome.COMPILE_REJECTED;
        }
        String mapPath = dir.resolve("map.bin").toString();
        List<String> d = List.of("-d", mapPath);
        compare(spec, d, exec(cmd(d), 20_000), jceph(d), false);
        List<String> test = new ArrayList<>(List.of("-i", mapPath));
        test.addAll(spec.testArgs());
        Run ours;
        try {
            ours = jceph(test);
        } catch (RuntimeException e) {
            throw new AssertionError("jceph crushtool " + String.join(" ", test) + " threw on\n" + spec, e);
        }
        // A rule that emits bucket ids makes CrushTester.cc write per[negative] (heap corruption):
        // crushtool prints the mappings, then usually aborts, and may hang in its crash handler.
        boolean emitsBuckets = EMITS_BUCKET.matcher(ours.out()).find();
        Run ct = exec(cmd(test), emitsBuckets ? 3_000 : 20_000);
        boolean ub = treeReadsHeapGarbage(CrushMap.decode(bin));
        if (ub) {
            if (ct.timedOut() || !ct.out().equals(ours.out())) {
                UNDEFINED.incrementAndGet();
                return Outcome.UNDEFINED;
            }
        } else if (emitsBuckets) {
            // crushtool's statistics are corrupted (or never printed): compare the per-x lines it
            // printed; all of them when it exited normally, those before it died otherwise
            List<String> theirs = mappingLines(ct.out());
            List<String> mine = mappingLines(ours.out());
            boolean died = ct.timedOut() || ct.rc() != 0;
            if (died ? theirs.size() > mine.size() || !theirs.equals(mine.subList(0, theirs.size()))
                    : !theirs.equals(mine)) {
                throw new AssertionError("crushtool " + String.join(" ", test) + " (rule emits bucket ids, "
                        + (died ? "crushtool died" : "statistics not compared") + "): "
                        + firstDifference(String.join("\n", theirs), String.join("\n", mine)) + "\n" + spec);
            }
            CRASHED.incrementAndGet();
            return Outcome.CRUSHTOOL_CRASHED;
        }
        compare(spec, test, ct, ours, true);
        MATCHED.incrementAndGet();
        return Outcome.MATCH;
    }

    private static final java.util.regex.Pattern EMITS_BUCKET =
            java.util.regex.Pattern.compile("(?m)^CRUSH rule \\d+ x \\d+ \\[(?:.*,)?-\\d");

    private static List<String> mappingLines(String out) {
        return out.lines().filter(l -> l.startsWith("CRUSH rule ") || l.startsWith("bad mapping ")).toList();
    }

    private static List<String> cmd(List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(crushtool());
        c.addAll(args);
        return c;
    }

    static void compare(CrushMapGen.Spec spec, List<String> args, Run expected, Run actual, boolean test) {
        String what = "crushtool " + String.join(" ", args);
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
