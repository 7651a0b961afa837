package org.jceph.cli.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jceph rados} against the stock {@code rados} tool, both directions, bench runs included. */
@RealCluster(config = {"mon allow pool delete = true"}) // its own cluster: pool snapshots need a pool no RBD test has put in self-managed snaps mode
@CrossRelease
class RadosCommandIT {
    @TempDir
    Path tmp;

    private record Run(int rc, String out, String err) {
    }

    /** {@code jceph rados -c CONF -p TESTPOOL ARGS...}, in-process. */
    private static Run runAll(CephCluster c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        all[0] = "-c";
        all[1] = c.confPath().toString();
        all[2] = "-p";
        all[3] = c.testPool();
        System.arraycopy(args, 0, all, 4, args.length);
        int rc = RadosCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String run(CephCluster c, String... args) {
        Run r = runAll(c, args);
        assertEquals(0, r.rc(), r.err());
        return r.out();
    }

    @Test
    void putAndGetInteroperateWithTheStockTool(CephCluster c) throws IOException {
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        Path in = tmp.resolve("in");
        Files.write(in, data);
        run(c, "put", "cmd-obj", in.toString());
        Path theirs = tmp.resolve("theirs");
        c.radosOrThrow("-p", c.testPool(), "get", "cmd-obj", theirs.toString());
        assertArrayEquals(data, Files.readAllBytes(theirs));
        c.radosOrThrow("-p", c.testPool(), "put", "cmd-obj2", in.toString());
        Path ours = tmp.resolve("ours");
        run(c, "get", "cmd-obj2", ours.toString());
        assertArrayEquals(data, Files.readAllBytes(ours));
        assertTrue(run(c, "stat", "cmd-obj").contains("size 300000"));
        run(c, "setxattr", "cmd-obj", "k", "v");
        assertEquals("v", c.radosOrThrow("-p", c.testPool(), "getxattr", "cmd-obj", "k").trim());
        run(c, "setomapval", "cmd-obj", "key1", "value1");
        assertEquals("key1", run(c, "listomapkeys", "cmd-obj").trim());
        run(c, "rm", "cmd-obj");
        assertFalse(c.rados("-p", c.testPool(), "stat", "cmd-obj").ok());
    }

    @Test
    void benchRunsAreInterchangeableWithTheStockTool(CephCluster c) {
        String pool = c.testPool();
        // ours writes and keeps its objects; the stock tool's seq reads and verifies every one of them
        String w = run(c, "bench", "2", "write", "-b", "4096", "-t", "4", "--no-cleanup");
        assertTrue(w.contains("Total writes made:") && w.contains("CPU seconds per op:"), w);
        CommandResult stockSeq = c.rados("-p", pool, "bench", "10", "seq", "-t", "4");
        assertEquals(0, stockSeq.exitCode(), stockSeq.stderr());
        assertFalse(stockSeq.stderr().contains("not correct"), stockSeq.stderr());
        long written = Long.parseLong(w.lines().filter(l -> l.startsWith("Total writes made:")).findFirst()
                .orElseThrow().replaceAll("\\D", ""));
        assertTrue(stockSeq.stdout().contains("Total reads made:     " + written), stockSeq.stdout());
        assertTrue(run(c, "cleanup").contains("Removed " + written + " objects"));
        assertFalse(c.radosOrThrow("-p", pool, "ls").contains("benchmark_"), "cleaned up");

        // the stock tool writes; ours reads in order and at random, verifying, under a run name
        c.radosOrThrow("-p", pool, "bench", "2", "write", "-b", "4096", "-t", "4", "--no-cleanup", "--run-name", "r1");
        assertTrue(run(c, "bench", "2", "seq", "-t", "4", "--run-name", "r1").contains("Total reads made:"));
        assertTrue(run(c, "bench", "1", "rand", "-t", "4", "--run-name", "r1").contains("Total reads made:"));
        // an object that does not hold what the run wrote fails the read bench as the stock tool does
        String victim = c.radosOrThrow("-p", pool, "ls").lines().filter(l -> l.endsWith("_object1")).findFirst()
                .orElseThrow();
        c.radosOrThrow("-p", pool, "put", victim, "/etc/hostname");
        CommandResult theirs = c.rados("-p", pool, "bench", "10", "seq", "-t", "4", "--run-name", "r1");
        Run ours = runAll(c, "bench", "10", "seq", "-t", "4", "--run-name", "r1");
        assertEquals(theirs.exitCode(), ours.rc());
        assertEquals(theirs.toolStderr(), ours.err());
        assertTrue(ours.err().startsWith(victim + " is not correct!\n"), ours.err());
        run(c, "cleanup", "--run-name", "r1");
        assertFalse(c.radosOrThrow("-p", pool, "ls").contains("benchmark_"), "cleaned up");

        // a read bench with no write run before it: the stock tool's words and status
        theirs = c.rados("-p", pool, "bench", "1", "seq");
        ours = runAll(c, "bench", "1", "seq");
        assertEquals(theirs.exitCode(), ours.rc());
        assertEquals(theirs.toolStderr().replace("hints = 1\n", ""), ours.err());
        // write without --no-cleanup leaves nothing behind
        assertTrue(run(c, "bench", "1", "write", "-b", "4096", "-t", "4").contains("Cleaning up (deleting benchmark objects)"));
        assertFalse(c.radosOrThrow("-p", pool, "ls").contains("benchmark_"), "cleaned up");
    }

    @Test
    void listingSnapshotsAndLocksLikeTheStockTool(CephCluster c) {
        String pool = c.testPool();
        run(c, "-N", "cmdns", "setomapval", "nsobj", "k", "v");
        assertTrue(run(c, "-N", "cmdns", "ls").lines().anyMatch("nsobj"::equals));
        assertTrue(run(c, "ls", "--all").contains("cmdns\tnsobj"));
        assertTrue(run(c, "lspools").lines().anyMatch(pool::equals));
        assertTrue(run(c, "df").contains(pool));
        run(c, "lock", "get", "nsobj-lock", "l1", "--lock-cookie", "ck");
        assertTrue(c.radosOrThrow("-p", pool, "lock", "list", "nsobj-lock").contains("l1"));
        assertTrue(run(c, "lock", "info", "nsobj-lock", "l1").contains("\"cookie\":\"ck\""));
    }

    /** Our tool's exit status, stdout and stderr, for comparison with the stock tool's. */
    private record Out(int rc, String stdout, String stderr) {
    }

    private static Out ours(CephCluster c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        all[0] = "-c";
        all[1] = c.confPath().toString();
        all[2] = "-p";
        all[3] = c.testPool();
        System.arraycopy(args, 0, all, 4, args.length);
        int rc = RadosCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The same command through the stock rados and through ours: same exit status, stdout and stderr. */
    private static void same(CephCluster c, String... args) {
        String[] stock = new String[args.length + 2];
        stock[0] = "-p";
        stock[1] = c.testPool();
        System.arraycopy(args, 0, stock, 2, args.length);
        org.jceph.fixtures.cluster.CommandResult theirs = c.rados(stock);
        Out mine = ours(c, args);
        String what = "rados " + String.join(" ", args);
        assertEquals(theirs.exitCode() == 0 ? 0 : 1, mine.rc(), what + ": " + mine.stderr());
        assertEquals(theirs.stdout(), mine.stdout(), what);
        // the stock tool's stderr can carry librados log lines (a monclient auth retry, say): not output
        String theirErr = theirs.stderr().lines().filter(l -> !l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ [0-9a-f]+ +-?\\d+ .*"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(theirErr.trim(), mine.stderr().trim(), what);
    }

    @Test
    void outputsMatchTheStockToolCommandByCommand(CephCluster c) throws Exception {
        Path small = tmp.resolve("small");
        Files.writeString(small, "hello rados");
        c.radosOrThrow("-p", c.testPool(), "put", "cmp", small.toString());
        c.radosOrThrow("-p", c.testPool(), "setxattr", "cmp", "color", "blue");
        c.radosOrThrow("-p", c.testPool(), "setomapval", "cmp", "k1", "v1");
        c.radosOrThrow("-p", c.testPool(), "setomapval", "cmp", "k2", "a value longer than sixteen bytes, twice over");
        c.radosOrThrow("-p", c.testPool(), "setomapheader", "cmp", "hdr");
        c.radosOrThrow("-p", c.testPool(), "-N", "cmpns", "put", "inns", small.toString());
        for (int i = 0; i < 12; i++) {
            c.radosOrThrow("-p", c.testPool(), "put", "cmp-" + i, small.toString());
        }
        c.radosOrThrow("-p", c.testPool(), "lock", "get", "cmp", "lk", "--lock-cookie", "ck1", "--lock-tag", "t1",
                "--lock-type", "shared", "--lock-description", "held by the stock tool");
        c.radosOrThrow("-p", c.testPool(), "mksnap", "cmpsnap");

        same(c, "stat", "cmp");
        same(c, "ls");
        same(c, "ls", "--all");
        same(c, "-N", "cmpns", "ls");
        same(c, "lspools");
        same(c, "listxattr", "cmp");
        same(c, "getxattr", "cmp", "color");
        same(c, "listomapkeys", "cmp");
        same(c, "listomapvals", "cmp");
        same(c, "getomapval", "cmp", "k2");
        same(c, "getomapheader", "cmp");
        same(c, "lock", "list", "cmp");
        same(c, "lock", "info", "cmp", "lk");
        same(c, "lssnap");
        // errors: the same line and status
        same(c, "stat", "nope");
        same(c, "rm", "nope");
        same(c, "create", "cmp");
        same(c, "get", "nope", tmp.resolve("x").toString());
        same(c, "getxattr", "cmp", "nope");
        same(c, "getomapval", "cmp", "nokey");
        // df: the mgr refreshes pool stats every few seconds; compare once both reads agree
        String lastTheirs = "";
        String lastOurs = "";
        for (int i = 0; i < 20 && !(lastTheirs.equals(lastOurs) && !lastOurs.isEmpty()); i++) {
            lastTheirs = c.radosOrThrow("-p", c.testPool(), "df");
            lastOurs = ours(c, "df").stdout();
            if (!lastTheirs.equals(lastOurs)) {
                Thread.sleep(1000);
            }
        }
        assertEquals(lastTheirs, lastOurs, "rados df");

        // and ours writes what the stock tool reads, in the same shapes
        assertEquals(0, ours(c, "setomapval", "mine", "key", "val").rc());
        assertEquals(0, ours(c, "setomapheader", "mine", "h").rc());
        assertEquals(0, ours(c, "setxattr", "mine", "a", "b").rc());
        same(c, "listomapvals", "mine");
        same(c, "getomapheader", "mine");
        same(c, "listxattr", "mine");
        assertEquals(0, ours(c, "truncate", "cmp", "5").rc());
        assertEquals(0, ours(c, "append", "cmp", small.toString()).rc());
        same(c, "stat", "cmp");
        Path got = tmp.resolve("got");
        c.radosOrThrow("-p", c.testPool(), "get", "cmp", got.toString());
        assertEquals("hellohello rados", Files.readString(got));
        assertEquals(0, ours(c, "rollback", "cmp", "cmpsnap").rc());
        c.radosOrThrow("-p", c.testPool(), "get", "cmp", got.toString());
        assertEquals("hello rados", Files.readString(got), "rolled back to the snapshot");
        assertEquals(0, ours(c, "rmsnap", "cmpsnap").rc());
        // "-" is standard input for put and standard output for get, as in the stock tool
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, ours(c, "put", "piped", "-").rc());
        } finally {
            System.setIn(stdin);
        }
        assertEquals("from stdin", c.radosOrThrow("-p", c.testPool(), "get", "piped", "-"));
        same(c, "get", "piped", "-");
        same(c, "lssnap");
        assertEquals(0, ours(c, "rmomapkey", "cmp", "k1").rc());
        assertEquals(0, ours(c, "clearomap", "mine").rc());
        assertEquals(0, ours(c, "rmxattr", "cmp", "color").rc());
        same(c, "listomapkeys", "cmp");
        same(c, "listomapvals", "mine");
        same(c, "listxattr", "cmp");
    }

    @Test
    void notifyRepliesAsTheStockToolDoes(CephCluster c) throws Exception {
        Path small = tmp.resolve("w");
        Files.writeString(small, "w");
        c.radosOrThrow("-p", c.testPool(), "put", "watched", small.toString());
        // a watcher of ours acks with the payload, as the stock watcher does; notify from both tools
        ByteArrayOutputStream wout = new ByteArrayOutputStream();
        java.io.PipedOutputStream enter = new java.io.PipedOutputStream();
        java.io.InputStream stdin = System.in;
        System.setIn(new java.io.PipedInputStream(enter));
        Thread watcher = new Thread(() -> RadosCommand.run(new String[] {"-c", c.confPath().toString(), "-p",
            c.testPool(), "watch", "watched"}, new PrintStream(wout, true, StandardCharsets.UTF_8), System.err));
        try {
            watcher.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!wout.toString(StandardCharsets.UTF_8).contains("press enter") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String theirs = c.radosOrThrow("-p", c.testPool(), "notify", "watched", "hello");
            Out mine = ours(c, "notify", "watched", "hello");
            assertEquals(theirs, mine.stdout());
            assertTrue(theirs.startsWith("reply client.") && theirs.contains(": 9 bytes"), theirs);
            String w = wout.toString(StandardCharsets.UTF_8);
            assertEquals(2, w.lines().filter(l -> l.startsWith("NOTIFY cookie ")).count(), w);
        } finally {
            enter.write('\n');
            enter.flush();
            watcher.join(30_000);
            System.setIn(stdin);
        }
        assertFalse(watcher.isAlive(), "enter ends the watch");
    }
}
