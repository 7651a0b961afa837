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
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jceph rados} against the stock {@code rados} tool, both directions, and a short bench. */
@RealCluster
class RadosCommandIT {
    @TempDir
    Path tmp;

    private static String run(CephCluster c, String... args) {
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
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
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
    void benchWritesReadsAndCleansUp(CephCluster c) {
        String out = run(c, "bench", "2", "seq", "-b", "4096", "-t", "4");
        assertTrue(out.contains("Total writes made:"), out);
        assertTrue(out.contains("Total reads made:"), out);
        assertTrue(out.contains("CPU seconds per op:"), out);
        assertFalse(c.radosOrThrow("-p", c.testPool(), "ls").contains("benchmark_data_jceph_"), "cleaned up");
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
        assertTrue(run(c, "lock", "info", "nsobj-lock", "l1").contains("cookie=ck"));
    }
}
