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
}
