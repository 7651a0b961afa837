package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbd migration prepare|execute|commit|abort}: jceph's and the stock tool's runs on each
 * other's migrations, with {@code rbd status}, {@code info}, {@code ls -l} and
 * {@code trash ls --all} printed the same by both tools in each state, the data exported by the
 * stock tool, and the stock tool's failure words and exit statuses.
 */
@RealCluster
class RbdMigrationIT {
    @TempDir
    Path tmp;

    private static final List<List<String>> FORMATS = List.of(List.of(), List.of("--format", "json"));
    private static final String[] QUIET = {"--err_to_stderr=false", "--log_to_stderr=false"};

    private static String ownPool(CephCluster c, String pool) {
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    private static String[] args(List<String> head, List<String> format, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(format);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    /** What both tools print for the migration's images and pools, in text and JSON. */
    private static void sameViews(CephCluster c, String dst, String... pools) {
        for (List<String> f : FORMATS) {
            for (List<String> cmd : List.of(List.of("status"), List.of("info"))) {
                String[] a = args(cmd, f, dst);
                assertEquals(c.rbdOrThrow(a), run(c, a), String.join(" ", a));
            }
            for (String p : pools) {
                for (List<String> cmd : List.of(List.of("ls", "-l"), List.of("trash", "ls", "--all"),
                        List.of("trash", "ls", "--all", "-l"))) {
                    String[] a = args(cmd, f, p);
                    assertEquals(c.rbdOrThrow(a), run(c, a), String.join(" ", a));
                }
            }
        }
    }

    private byte[] data(CephCluster c, String spec, long seed) throws Exception {
        byte[] bytes = new byte[4 << 20];
        java.util.Random r = new java.util.Random(seed);
        r.nextBytes(bytes);
        java.util.Arrays.fill(bytes, 1 << 20, 2 << 20, (byte) 0); // a hole
        Path f = tmp.resolve("data-" + seed);
        Files.write(f, bytes);
        c.rbdOrThrow("import", "--no-progress", "--object-size", "1M", f.toString(), spec);
        return bytes;
    }

    private byte[] export(CephCluster c, String spec) throws Exception {
        Path p = tmp.resolve(spec.replace('/', '_') + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, p.toString());
        return Files.readAllBytes(p);
    }

    private static String[] quiet(String... a) {
        String[] all = new String[a.length + QUIET.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(QUIET, 0, all, a.length, QUIET.length);
        return all;
    }

    /** The same exit status and stderr from both tools. */
    private static void sameFailure(CephCluster c, String... a) {
        CommandResult stock = c.rbd(quiet(a));
        Result ours = runRc(c, a);
        assertEquals(stock.exitCode(), ours.rc(), String.join(" ", a) + ": " + ours.err());
        assertEquals(stock.toolStderr(), ours.err(), String.join(" ", a));
    }

    @Test
    void jcephPreparesAcrossPoolsAndTheStockToolExecutesAndCommits(CephCluster c) throws Exception {
        String p = c.testPool();
        String p2 = ownPool(c, "rbdx-mig1");
        byte[] bytes = data(c, p + "/cm1", 1);
        Result prep = runRc(c, "migration", "prepare", "--image-feature", "layering,exclusive-lock,object-map,fast-diff",
                "--data-pool", p, p + "/cm1", p2 + "/cm1-new");
        assertEquals(0, prep.rc(), prep.err());
        assertEquals("", prep.out() + prep.err(), "prepare prints nothing");
        sameViews(c, p2 + "/cm1-new", p, p2);
        assertTrue(c.rbdOrThrow("info", p2 + "/cm1-new").contains("data_pool: " + p));
        assertArrayEquals(bytes, export(c, p2 + "/cm1-new"));
        c.rbdOrThrow("migration", "execute", "--no-progress", p2 + "/cm1-new");
        sameViews(c, p2 + "/cm1-new", p, p2);
        Result commit = runRc(c, "migration", "commit", p2 + "/cm1-new");
        assertEquals(0, commit.rc(), commit.err());
        assertTrue(commit.err().endsWith("\rCommit image migration: 100% complete...done.\n"), commit.err());
        sameViews(c, p2 + "/cm1-new", p, p2);
        assertArrayEquals(bytes, export(c, p2 + "/cm1-new"));
    }

    @Test
    void stockPreparesJcephExecutesThenAbortsAndFailuresReadAsStock(CephCluster c) throws Exception {
        String p = c.testPool();
        byte[] bytes = data(c, p + "/cm2", 2);
        c.rbdOrThrow("migration", "prepare", "--object-size", "2M", p + "/cm2", p + "/cm2");
        sameViews(c, p + "/cm2", p);
        sameFailure(c, "migration", "commit", p + "/cm2"); // not executed yet: EINVAL
        // the source waits in the trash, out of reach; the destination cannot be removed
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"source_image_id\":\"([0-9a-f]+)\"")
                .matcher(c.rbdOrThrow("status", "--format", "json", p + "/cm2"));
        assertTrue(m.find());
        sameFailure(c, "trash", "rm", p + "/" + m.group(1));
        sameFailure(c, "trash", "restore", p + "/" + m.group(1));
        sameFailure(c, "trash", "mv", p + "/cm2");
        sameFailure(c, "rm", p + "/cm2");
        // the stock tool writes to the destination while prepared; we execute around its copy-ups
        c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4K", "--io-total", "64K", "--io-pattern", "rand",
                p + "/cm2");
        bytes = export(c, p + "/cm2");
        Result exec = runRc(c, "migration", "execute", p + "/cm2");
        assertEquals(0, exec.rc(), exec.err());
        assertTrue(exec.err().endsWith("\rImage migration: 100% complete...done.\n"), exec.err());
        sameViews(c, p + "/cm2", p);
        assertArrayEquals(bytes, export(c, p + "/cm2"));
        Result abort = runRc(c, "migration", "abort", "--no-progress", p + "/cm2");
        assertEquals(0, abort.rc(), abort.err());
        sameViews(c, p + "/cm2", p);
        assertTrue(c.rbdOrThrow("info", p + "/cm2").contains("order 20 (1 MiB objects)"), "the source is back");
        assertArrayEquals(bytes, export(c, p + "/cm2"), "with what was written to the destination");

        sameFailure(c, "migration", "execute", p + "/cm2");
        sameFailure(c, "migration", "commit", p + "/cm2");
        sameFailure(c, "migration", "abort", p + "/cm2");
        sameFailure(c, "migration", "abort", p + "/no-such-image");
        sameFailure(c, "migration", "prepare", p + "/cm2"); // no destination: pool rbd, which this cluster lacks
        // a smaller object keeps the source's 1 MiB stripe unit: EINVAL, and the source stays as it was
        sameFailure(c, "migration", "prepare", "--object-size", "512K", p + "/cm2", p + "/cm2-small");
        assertArrayEquals(bytes, export(c, p + "/cm2"));
        assertEquals("", c.rbdOrThrow("trash", "ls", "--all", p));
    }

    // ---- snapshots and import-only (issue 18, session 9) ----------------------------------------

    private static final String[] WRITE_4K = {"bench", "--io-type", "write", "--io-size", "4K", "--io-pattern",
        "rand", "--io-total"};

    /**
     * A 4 MiB image of 1 MiB objects with snapshots s1 (the imported data) and s2 (after random
     * 4 KiB writes and a grow to 6 MiB), then two more random 4 KiB writes at HEAD: what the
     * stock tool exports for "@s1", "@s2" and "" (HEAD). Objects 0, 2 and 3 exist from s1 on and
     * two writes reach at most two of them, so at least one is unchanged at HEAD since s2
     * (OBJECT_EXISTS_CLEAN at HEAD for librbd's object map check), whatever the random offsets.
     */
    private java.util.Map<String, byte[]> snapshotted(CephCluster c, String spec, long seed) throws Exception {
        data(c, spec, seed);
        c.rbdOrThrow("snap", "create", "--no-progress", spec + "@s1");
        c.rbdOrThrow(args(List.of(WRITE_4K), List.of(), "64K", spec));
        c.rbdOrThrow("resize", "--no-progress", "--size", "6M", spec);
        c.rbdOrThrow("snap", "create", "--no-progress", spec + "@s2");
        c.rbdOrThrow(args(List.of(WRITE_4K), List.of(), "8K", spec));
        java.util.Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        for (String at : List.of("@s1", "@s2", "")) {
            m.put(at, export(c, spec + at));
        }
        return m;
    }

    /** Each snapshot (and HEAD) of {@code spec} as both tools export it, against {@code want}. */
    private void sameSnapshots(CephCluster c, String spec, java.util.Map<String, byte[]> want) throws Exception {
        for (java.util.Map.Entry<String, byte[]> e : want.entrySet()) {
            assertArrayEquals(e.getValue(), export(c, spec + e.getKey()), "stock export " + spec + e.getKey());
            Result ours = runRc(c, "export", "--no-progress", spec + e.getKey(), "-");
            assertEquals(0, ours.rc(), ours.err());
            assertArrayEquals(e.getValue(), ours.bytes(), "jceph export " + spec + e.getKey());
        }
    }

    /** The stock tool finds every object map of {@code spec} (snapshots and HEAD) valid. */
    private static void objectMapsValid(CephCluster c, String spec, java.util.Set<String> ats) {
        for (String at : ats) {
            c.rbdOrThrow("object-map", "check", "--no-progress", spec + at);
            String info = c.rbdOrThrow("info", spec + at);
            assertTrue(!info.contains("invalid"), spec + at + ": " + info);
        }
    }

    @Test
    void snapshotsMigrateBothWays(CephCluster c) throws Exception {
        String p = c.testPool();
        // jceph prepares (copying snapshot by snapshot), the stock tool reads, executes and commits
        java.util.Map<String, byte[]> want = snapshotted(c, p + "/cs1", 11);
        Result prep = runRc(c, "migration", "prepare", p + "/cs1", p + "/cs1-new");
        assertEquals(0, prep.rc(), prep.err());
        sameViews(c, p + "/cs1-new", p);
        sameSnapshots(c, p + "/cs1-new", want);
        c.rbdOrThrow("migration", "execute", "--no-progress", p + "/cs1-new");
        c.rbdOrThrow("migration", "commit", "--no-progress", p + "/cs1-new");
        sameSnapshots(c, p + "/cs1-new", want);
        objectMapsValid(c, p + "/cs1-new", want.keySet());
        assertTrue(!List.of(c.rbdOrThrow("ls", p).split("\n")).contains("cs1"), "the source is gone");

        // the stock tool prepares (empty destination snapshots); jceph reads them through to the
        // source, writes (deep copy-up), executes (deep copy per object) and commits
        want = snapshotted(c, p + "/cs2", 12);
        // (first jceph prepares and aborts: the source is back with its snapshots)
        Result tmpPrep = runRc(c, "migration", "prepare", p + "/cs2", p + "/cs2-tmp");
        assertEquals(0, tmpPrep.rc(), tmpPrep.err());
        Result tmpAbort = runRc(c, "migration", "abort", "--no-progress", p + "/cs2-tmp");
        assertEquals(0, tmpAbort.rc(), tmpAbort.err());
        sameSnapshots(c, p + "/cs2", want);
        c.rbdOrThrow("migration", "prepare", p + "/cs2", p + "/cs2-new");
        sameViews(c, p + "/cs2-new", p);
        sameSnapshots(c, p + "/cs2-new", want);
        // jceph writes the first 8 KiB of object 0 (absent: a deep copy-up of s1, s2 and HEAD
        // first); the snapshots keep the source's bytes, HEAD changes only there
        Result write = runRc(c, "bench", "--io-type", "write", "--io-size", "4K", "--io-pattern", "seq",
                "--io-total", "8K", p + "/cs2-new");
        assertEquals(0, write.rc(), write.err());
        byte[] head = export(c, p + "/cs2-new");
        assertArrayEquals(java.util.Arrays.copyOfRange(want.get(""), 8192, want.get("").length),
                java.util.Arrays.copyOfRange(head, 8192, head.length), "HEAD past the write");
        want.put("", head);
        sameSnapshots(c, p + "/cs2-new", want);
        Result exec = runRc(c, "migration", "execute", p + "/cs2-new");
        assertEquals(0, exec.rc(), exec.err());
        assertTrue(exec.err().endsWith("\rImage migration: 100% complete...done.\n"), exec.err());
        Result commit = runRc(c, "migration", "commit", "--no-progress", p + "/cs2-new");
        assertEquals(0, commit.rc(), commit.err());
        sameSnapshots(c, p + "/cs2-new", want);
        objectMapsValid(c, p + "/cs2-new", want.keySet());
        assertTrue(!List.of(c.rbdOrThrow("ls", p).split("\n")).contains("cs2"), "the source is gone");
    }

    @Test
    void importOnlyNativeSourcesBothWays(CephCluster c) throws Exception {
        String p = c.testPool();
        java.util.Map<String, byte[]> src = snapshotted(c, p + "/ci", 13);
        // jceph prepares from a JSON spec at s2: the destination has s1, s2 and HEAD = s2
        String json = "{\"type\": \"native\", \"pool_name\": \"" + p + "\", \"image_name\": \"ci\", "
                + "\"snap_name\": \"s2\"}";
        Result prep = runRc(c, "migration", "prepare", "--import-only", "--source-spec", json, p + "/ci-imp");
        assertEquals(0, prep.rc(), prep.err());
        sameViews(c, p + "/ci-imp", p);
        assertTrue(c.rbdOrThrow("status", p + "/ci-imp").contains("\tsource: {\"image_name\":\"ci\",\"pool_name\":\""
                + p + "\",\"snap_name\":\"s2\",\"type\":\"native\"}\n"));
        java.util.Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        want.put("@s1", src.get("@s1"));
        want.put("@s2", src.get("@s2"));
        want.put("", src.get("@s2"));
        sameSnapshots(c, p + "/ci-imp", want);
        c.rbdOrThrow("migration", "execute", "--no-progress", p + "/ci-imp");
        c.rbdOrThrow("migration", "commit", "--no-progress", p + "/ci-imp");
        // the stock execute of a native import at a snapshot copies the source's HEAD into the
        // destination's HEAD, on every release (Pacific, Reef, Tentacle: Ceph tracker 67401, the
        // deep copy reads the source's HEAD; its own prepare does the same); the snapshots stay right
        want.put("", src.get(""));
        sameSnapshots(c, p + "/ci-imp", want);
        objectMapsValid(c, p + "/ci-imp", want.keySet());
        sameSnapshots(c, p + "/ci", src); // untouched, still linked

        // the stock tool prepares from POOL/IMAGE@SNAP; jceph reads, executes and commits
        c.rbdOrThrow("migration", "prepare", "--import-only", p + "/ci@s1", p + "/ci-imp2");
        sameViews(c, p + "/ci-imp2", p);
        want = new java.util.LinkedHashMap<>();
        want.put("@s1", src.get("@s1"));
        // every release sizes the destination by the source's HEAD (6 MiB), not by s1 (4 MiB):
        // zeros follow; and it gets all the source's snapshots, s2 (after s1) too
        want.put("", java.util.Arrays.copyOf(src.get("@s1"), 6 << 20));
        assertEquals(6L << 20, size(c, p + "/ci-imp2"));
        assertEquals(List.of("s1", "s2"), snapNames(c, p + "/ci-imp2"));
        // before execute Pacific cannot read that HEAD past s1's end itself (EINVAL reading the
        // source beyond the snapshot); Reef and Tentacle read zeros there, as jceph does
        CommandResult early = c.rbd(quiet("export", "--no-progress", p + "/ci-imp2", tmp.resolve("imp2").toString()));
        if (CephCluster.PACIFIC.equals(c.release())) {
            assertEquals(22, early.exitCode(), early.toolStderr());
            assertTrue(early.toolStderr().endsWith("rbd: export error: (22) Invalid argument\n"), early.toolStderr());
        } else {
            assertEquals(0, early.exitCode(), early.toolStderr());
            assertArrayEquals(want.get(""), Files.readAllBytes(tmp.resolve("imp2")), "stock export of ci-imp2");
        }
        assertArrayEquals(want.get("@s1"), export(c, p + "/ci-imp2@s1"));
        for (java.util.Map.Entry<String, byte[]> e : want.entrySet()) {
            assertArrayEquals(e.getValue(), runRc(c, "export", "--no-progress", p + "/ci-imp2" + e.getKey(), "-")
                    .bytes(), "jceph export ci-imp2" + e.getKey());
        }
        Result exec = runRc(c, "migration", "execute", "--no-progress", p + "/ci-imp2");
        assertEquals(0, exec.rc(), exec.err());
        Result commit = runRc(c, "migration", "commit", "--no-progress", p + "/ci-imp2");
        assertEquals(0, commit.rc(), commit.err());
        sameSnapshots(c, p + "/ci-imp2", want);
        objectMapsValid(c, p + "/ci-imp2", want.keySet());
        // abort of an import leaves the source alone; non-native sources are refused
        Result again = runRc(c, "migration", "prepare", "--import-only", p + "/ci@s2", p + "/ci-imp3");
        assertEquals(0, again.rc(), again.err());
        Result abort = runRc(c, "migration", "abort", "--no-progress", p + "/ci-imp3");
        assertEquals(0, abort.rc(), abort.err());
        assertTrue(!List.of(c.rbdOrThrow("ls", p).split("\n")).contains("ci-imp3"));
        sameSnapshots(c, p + "/ci", src);
        Result qcow = runRc(c, "migration", "prepare", "--import-only", "--source-spec",
                "{\"type\":\"qcow\",\"stream\":{\"type\":\"file\",\"file_path\":\"/nonexistent\"}}", p + "/ci-q");
        assertEquals(95, qcow.rc(), qcow.err());
        assertEquals("rbd: preparing import migration failed: (95) Operation not supported\n", qcow.err());
    }

    /** The image's snapshot names, in id order. */
    private static List<String> snapNames(CephCluster c, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\":\"([^\"]+)\"")
                .matcher(c.rbdOrThrow("snap", "ls", "--format", "json", spec));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static long size(CephCluster c, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"size\":(\\d+)")
                .matcher(c.rbdOrThrow("info", "--format", "json", spec));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    /** The image's data objects, by object number. */
    private static java.util.Set<Long> dataObjects(CephCluster c, String pool, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"block_name_prefix\":\"([^\"]+)\"")
                .matcher(c.rbdOrThrow("info", "--format", "json", pool + "/" + spec));
        assertTrue(m.find());
        String prefix = m.group(1) + ".";
        java.util.Set<Long> out = new java.util.TreeSet<>();
        for (String o : c.radosOrThrow("-p", pool, "ls").split("\n")) {
            if (o.startsWith(prefix)) {
                out.add(Long.parseLong(o.substring(prefix.length()), 16));
            }
        }
        return out;
    }

    @Test
    void importOnlyRawFileBothWays(CephCluster c) throws Exception {
        String p = c.testPool();
        // 3.5 MiB + 12 KiB of random bytes; object 1 (of 1 MiB objects) all zero
        byte[] bytes = new byte[(7 << 19) + (12 << 10)];
        new java.util.Random(21).nextBytes(bytes);
        java.util.Arrays.fill(bytes, 1 << 20, 2 << 20, (byte) 0);
        Path f = tmp.resolve("img.raw");
        Files.write(f, bytes);
        String json = "{\"type\": \"raw\", \"stream\": {\"type\": \"file\", \"file_path\": \"" + f + "\"}}";
        String stored = "\tsource: {\"stream\":{\"file_path\":\"" + f + "\",\"type\":\"file\"},\"type\":\"raw\"}\n";

        // jceph prepares; the stock tool reads through to the file, executes and commits
        Result prep = runRc(c, "migration", "prepare", "--import-only", "--object-size", "1M", "--source-spec", json,
                p + "/rw1");
        assertEquals(0, prep.rc(), prep.err());
        sameViews(c, p + "/rw1", p);
        assertTrue(c.rbdOrThrow("status", p + "/rw1").contains(stored), c.rbdOrThrow("status", p + "/rw1"));
        assertEquals(java.util.Set.of(), dataObjects(c, p, "rw1"), "prepare copies nothing");
        assertArrayEquals(bytes, export(c, p + "/rw1"));
        c.rbdOrThrow("migration", "execute", "--no-progress", p + "/rw1");
        c.rbdOrThrow("migration", "commit", "--no-progress", p + "/rw1");
        assertArrayEquals(bytes, export(c, p + "/rw1"));

        // the stock tool prepares; jceph reads through to the file, executes and commits
        c.rbdOrThrow("migration", "prepare", "--import-only", "--object-size", "1M", "--source-spec", json,
                p + "/rw2");
        sameViews(c, p + "/rw2", p);
        assertTrue(c.rbdOrThrow("status", p + "/rw2").contains(stored), "the header holds what jceph stores");
        assertEquals(size(c, p + "/rw1"), size(c, p + "/rw2"));
        assertEquals(bytes.length, size(c, p + "/rw2"));
        assertArrayEquals(bytes, runRc(c, "export", "--no-progress", p + "/rw2", "-").bytes());
        Result exec = runRc(c, "migration", "execute", "--no-progress", p + "/rw2");
        assertEquals(0, exec.rc(), exec.err());
        assertEquals(java.util.Set.of(0L, 2L, 3L), dataObjects(c, p, "rw2"), "the zero object is not copied");
        sameViews(c, p + "/rw2", p);
        Result commit = runRc(c, "migration", "commit", "--no-progress", p + "/rw2");
        assertEquals(0, commit.rc(), commit.err());
        assertArrayEquals(bytes, export(c, p + "/rw2"));
        assertArrayEquals(bytes, Files.readAllBytes(f), "commit leaves the file alone");

        // abort removes the destination only; a missing file fails as the stock tool's prepare
        assertEquals(0, runRc(c, "migration", "prepare", "--import-only", "--source-spec", json, p + "/rw3").rc());
        Result abort = runRc(c, "migration", "abort", "--no-progress", p + "/rw3");
        assertEquals(0, abort.rc(), abort.err());
        assertTrue(!List.of(c.rbdOrThrow("ls", p).split("\n")).contains("rw3"));
        assertArrayEquals(bytes, Files.readAllBytes(f));
        sameFailure(c, "migration", "prepare", "--import-only", "--source-spec",
                "{\"type\":\"raw\",\"stream\":{\"type\":\"file\",\"file_path\":\"" + tmp.resolve("none") + "\"}}",
                p + "/rw4");
    }
}
