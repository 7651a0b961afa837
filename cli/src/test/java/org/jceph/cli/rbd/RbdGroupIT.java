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
 * {@code rbd group ...}: groups and group snapshots made by either tool are listed, renamed,
 * rolled back and removed by the other, and every listing and error is the stock tool's, line
 * for line.
 */
@RealCluster
class RbdGroupIT {
    @TempDir
    Path tmp;

    private static final List<List<String>> FORMATS = List.of(List.of(), List.of("--format", "json"),
            List.of("--format", "json", "--pretty-format"));

    /** A pool of this class's own: group ls lists the whole pool. */
    private static String ownPool(CephCluster c) {
        String pool = "rbdx-group";
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

    /** The command's output from both tools, in every format, must be the same. */
    private static void sameListing(CephCluster c, List<String> cmd, String... spec) {
        for (List<String> f : FORMATS) {
            String[] a = args(cmd, f, spec);
            assertEquals(c.rbdOrThrow(a), run(c, a), String.join(" ", a));
        }
    }

    /**
     * The stock tool's stderr without librbd's own error log, which its log thread writes while
     * the tool prints (sometimes in the middle of the tool's line), and without the blank lines
     * that race leaves.
     */
    private static String stockErr(CommandResult r) {
        return r.toolStderr().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.+]+ [0-9a-f]+ +-?\\d+ [^\\n]*\\n", "")
                .replaceAll("(?m)^\\n", "");
    }

    private byte[] export(CephCluster c, String spec) throws Exception {
        Path p = tmp.resolve(spec.replace('/', '_') + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, p.toString());
        return Files.readAllBytes(p);
    }

    @Test
    void groupsAndGroupSnapshotsInteroperateBothWays(CephCluster c) throws Exception {
        String pool = ownPool(c);
        Path data = tmp.resolve("data");
        byte[] bytes = new byte[2 << 20];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(data, bytes);
        for (String n : List.of("o1", "o2", "s1", "s2")) {
            c.rbdOrThrow("import", "--no-progress", data.toString(), pool + "/" + n);
        }
        // ours: made by jceph; theirs: made by the stock tool
        run(c, "group", "create", pool + "/ours");
        run(c, "group", "image", "add", pool + "/ours", pool + "/o1");
        run(c, "group", "image", "add", "--pool", pool, "ours", "o2");
        run(c, "group", "snap", "create", pool + "/ours@snap1");
        c.rbdOrThrow("group", "create", pool + "/theirs");
        c.rbdOrThrow("group", "image", "add", pool + "/theirs", pool + "/s1");
        c.rbdOrThrow("group", "image", "add", pool + "/theirs", pool + "/s2");
        c.rbdOrThrow("group", "snap", "create", pool + "/theirs@snap1");
        c.rbdOrThrow("group", "create", pool + "/empty");

        sameListing(c, List.of("group", "ls"), pool);
        for (String g : List.of("ours", "theirs", "empty")) {
            sameListing(c, List.of("group", "image", "ls"), pool + "/" + g);
            sameListing(c, List.of("group", "snap", "ls"), pool + "/" + g);
        }
        sameListing(c, List.of("group", "image", "ls"), pool + "/missing");
        // a missing group's snapshots: Pacific's tool lists none, Squid's fails with ENOENT (exit 2)
        for (List<String> f : FORMATS) {
            String[] a = args(List.of("group", "snap", "ls"), f, pool + "/missing");
            CommandResult stock = c.rbd(args(List.of(a), List.of("--log_to_stderr=false", "--err_to_stderr=false")));
            Result ours = runRc(c, a);
            assertEquals(stock.exitCode(), ours.rc(), String.join(" ", a));
            assertEquals(stock.stdout(), ours.out(), String.join(" ", a));
            assertEquals(stockErr(stock), ours.err(), String.join(" ", a));
        }
        for (String i : List.of("o1", "o2", "s1", "s2")) {
            sameListing(c, List.of("snap", "ls", "--all"), pool + "/" + i);
            sameListing(c, List.of("snap", "ls"), pool + "/" + i);
            sameListing(c, List.of("info"), pool + "/" + i);
        }

        // renames, each tool on the other's group
        c.rbdOrThrow("group", "snap", "rename", pool + "/ours@snap1", "snap2");
        run(c, "group", "snap", "rename", pool + "/theirs@snap1", "snap2");
        c.rbdOrThrow("group", "rename", pool + "/ours", pool + "/ours2");
        run(c, "group", "rename", pool + "/theirs", pool + "/theirs2");
        sameListing(c, List.of("group", "ls"), pool);
        sameListing(c, List.of("group", "snap", "ls"), pool + "/ours2");
        sameListing(c, List.of("snap", "ls", "--all"), pool + "/s1");

        // rollbacks: change every image, then each tool rolls the other's group back
        for (String i : List.of("o1", "o2", "s1", "s2")) {
            c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "64K", "--io-total", "1M", pool + "/" + i);
        }
        CommandResult stockRollback = c.rbd("group", "snap", "rollback", pool + "/ours2@snap2");
        assertEquals(0, stockRollback.exitCode(), stockRollback.toolStderr());
        Result ourRollback = runRc(c, "group", "snap", "rollback", pool + "/theirs2@snap2");
        assertEquals(0, ourRollback.rc(), ourRollback.err());
        assertTrue(ourRollback.err().endsWith("\rRolling back to group snapshot: 100% complete...done.\n"), ourRollback.err());
        for (String i : List.of("o1", "o2", "s1", "s2")) {
            assertArrayEquals(bytes, export(c, pool + "/" + i), i);
        }

        // removal: images with group snapshots, then images in a group, are refused by both tools alike
        for (List<String> f : List.of(List.of("--no-progress"), List.<String>of())) {
            Result ourRm = runRc(c, args(List.of("rm"), f, pool + "/s2"));
            CommandResult stockRm = c.rbd(args(List.of("rm"), f, pool + "/o2"));
            assertEquals(39, stockRm.exitCode(), stockRm.toolStderr());
            assertEquals(stockRm.exitCode(), ourRm.rc());
            assertEquals(stockErr(stockRm), ourRm.err());
        }
        c.rbdOrThrow("group", "snap", "rm", pool + "/theirs2@snap2");
        run(c, "group", "snap", "rm", pool + "/ours2@snap2");
        for (List<String> f : List.of(List.of("--no-progress"), List.<String>of())) {
            Result ourRm = runRc(c, args(List.of("rm"), f, pool + "/s2"));
            CommandResult stockRm = c.rbd(args(List.of("rm"), f, pool + "/o2"));
            assertEquals(31, stockRm.exitCode(), stockRm.toolStderr());
            assertEquals(stockRm.exitCode(), ourRm.rc());
            assertEquals(stockErr(stockRm).replace(pool + "/ours2", pool + "/theirs2"), ourRm.err());
        }
        run(c, "group", "image", "rm", pool + "/theirs2", pool + "/s2");
        c.rbdOrThrow("group", "image", "rm", pool + "/ours2", pool + "/o2");
        sameListing(c, List.of("group", "image", "ls"), pool + "/ours2");
        sameListing(c, List.of("group", "image", "ls"), pool + "/theirs2");
        c.rbdOrThrow("group", "rm", pool + "/theirs2");
        run(c, "group", "rm", pool + "/ours2");
        run(c, "group", "rm", pool + "/empty");
        assertEquals("", c.rbdOrThrow("group", "ls", pool));
        for (String i : List.of("o1", "o2", "s1", "s2")) {
            assertEquals("", c.rbdOrThrow("snap", "ls", "--all", pool + "/" + i), i);
            run(c, "rm", "--no-progress", pool + "/" + i);
        }
        assertTrue(c.radosOrThrow("-p", pool, "ls").lines().noneMatch(o -> o.startsWith("rbd_group_header.")));
    }

    @Test
    void errorsAreTheStockToolsWordsAndStatuses(CephCluster c) {
        String pool = c.testPool();
        c.rbdOrThrow("create", "--size", "1M", pool + "/err-a");
        c.rbdOrThrow("create", "--size", "1M", pool + "/err-b");
        c.rbdOrThrow("group", "create", pool + "/err-g");
        c.rbdOrThrow("group", "create", pool + "/err-h");
        c.rbdOrThrow("group", "image", "add", pool + "/err-g", pool + "/err-a");
        c.rbdOrThrow("group", "snap", "create", pool + "/err-g@s");
        c.rbdOrThrow("group", "snap", "create", pool + "/err-g@t");
        List<List<String>> cases = List.of(
                List.of("group", "create", pool + "/err-g"),
                List.of("group", "rm", pool + "/nope"),
                List.of("group", "rename", pool + "/nope", pool + "/x"),
                List.of("group", "rename", pool + "/err-h", pool + "/err-g"),
                List.of("group", "image", "add", pool + "/err-h", pool + "/err-a"),
                List.of("group", "image", "add", pool + "/err-g", pool + "/err-a"),
                List.of("group", "image", "add", pool + "/err-g", pool + "/nope"),
                List.of("group", "image", "add", pool + "/nope", pool + "/err-b"),
                List.of("group", "image", "rm", pool + "/err-g", pool + "/nope"),
                List.of("group", "snap", "create", pool + "/err-g@s"),
                List.of("group", "snap", "create", pool + "/err-g"),
                List.of("group", "snap", "rm", pool + "/err-g@nope"),
                List.of("group", "snap", "rename", pool + "/err-g@s", "t"),
                List.of("group", "snap", "rename", pool + "/err-g@nope", "u"),
                List.of("group", "snap", "rollback", pool + "/err-g@nope"),
                List.of("group", "snap", "rollback", "--no-progress", pool + "/err-g@nope"));
        for (List<String> a : cases) {
            String[] argv = a.toArray(String[]::new);
            // librbd's own error log off stderr: its log thread races the tool's line (seen splitting it)
            List<String> quiet = new java.util.ArrayList<>(List.of("--err_to_stderr=false", "--log_to_stderr=false"));
            quiet.addAll(a);
            CommandResult stock = c.rbd(quiet.toArray(String[]::new));
            Result ours = runRc(c, argv);
            assertEquals(stock.exitCode(), ours.rc(), String.join(" ", a) + ": " + ours.err());
            assertEquals(stockErr(stock), ours.err(), String.join(" ", a));
            assertEquals(stock.stdout(), ours.out(), String.join(" ", a));
        }
    }

    /**
     * What an interrupted librbd leaves (a group snapshot record still INCOMPLETE, a member still
     * INCOMPLETE), written into the group header by hand, is listed by both tools alike.
     */
    @Test
    void incompleteRecordsAreListedAsPacificListsThem(CephCluster c) throws Exception {
        String pool = c.testPool();
        c.rbdOrThrow("create", "--size", "1M", pool + "/half-a");
        c.rbdOrThrow("group", "create", pool + "/half-g");
        c.rbdOrThrow("group", "image", "add", pool + "/half-g", pool + "/half-a");
        c.rbdOrThrow("group", "snap", "create", pool + "/half-g@whole");
        try (org.jceph.rados.RadosClient client = org.jceph.rados.RadosClient.connect(
                org.jceph.messenger.config.CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            org.jceph.rados.IoCtx io = client.ioCtx(pool);
            String groupId = org.jceph.rbd.Groups.idOf(io, "half-g");
            String imageId = org.jceph.rbd.RbdImage.list(io).get("half-a");
            // GroupSnapshot v1 {id "deadbeef", name "half", state 0 (incomplete), no member snapshots}
            byte[] record = java.util.HexFormat.of().parseHex("010119000000" + "08000000" + "6465616462656566"
                    + "04000000" + "68616c66" + "00" + "00000000");
            io.omapSetVals(org.jceph.rbd.Groups.header(groupId), java.util.Map.of(
                    "snapshot_deadbeef", record,
                    String.format("image_%016x_%s", io.poolId(), imageId), new byte[] {1}));
        }
        sameListing(c, List.of("group", "snap", "ls"), pool + "/half-g");
        sameListing(c, List.of("group", "image", "ls"), pool + "/half-g");
        assertTrue(run(c, "group", "snap", "ls", pool + "/half-g").lines()
                .anyMatch(l -> l.matches("(deadbeef +)?half +incomplete"))); // Squid's tool shows the id first
        assertTrue(run(c, "group", "image", "ls", pool + "/half-g").contains("/half-a incomplete"));
        // both remove what was left: the half snapshot has no member snapshot to remove
        run(c, "group", "snap", "rm", pool + "/half-g@half");
        c.rbdOrThrow("group", "rm", pool + "/half-g");
        assertEquals("", c.rbdOrThrow("snap", "ls", "--all", pool + "/half-a"));
        run(c, "rm", "--no-progress", pool + "/half-a");
    }
}
