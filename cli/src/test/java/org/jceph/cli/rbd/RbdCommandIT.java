package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jceph rbd} and the stock {@code rbd} tool on the same images, both directions. */
@RealCluster
class RbdCommandIT {
    @TempDir
    Path tmp;

    private static String run(CephCluster c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = c.confPath().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int rc = RbdCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void imagesMoveBetweenJcephAndLibrbd(CephCluster c) throws Exception {
        String pool = c.testPool();
        byte[] data = new byte[(6 << 20) + 12345];
        new Random(31).nextBytes(data);
        Path in = tmp.resolve("in.raw");
        Files.write(in, data);
        run(c, "import", in.toString(), pool + "/from-jceph", "--object-size", "1M");
        Path theirs = tmp.resolve("theirs.raw");
        c.rbdOrThrow("export", pool + "/from-jceph", theirs.toString());
        assertArrayEquals(data, Files.readAllBytes(theirs));
        String info = c.rbdOrThrow("info", pool + "/from-jceph");
        assertTrue(info.contains("order 20 (1 MiB objects)"), info);

        c.rbdOrThrow("import", "--image-feature", "layering", in.toString(), pool + "/from-librbd");
        Path ours = tmp.resolve("ours.raw");
        run(c, "export", pool + "/from-librbd", ours.toString());
        assertArrayEquals(data, Files.readAllBytes(ours));
        assertTrue(run(c, "info", pool + "/from-librbd").contains("features: layering"));

        run(c, "create", "--size", "10M", pool + "/made");
        assertTrue(c.rbdOrThrow("info", pool + "/made").contains("size 10 MiB in 3 objects"));
        run(c, "resize", "--size", "20M", pool + "/made");
        assertTrue(c.rbdOrThrow("info", pool + "/made").contains("size 20 MiB"));
        run(c, "mv", pool + "/made", pool + "/moved");
        assertTrue(run(c, "ls", pool).lines().anyMatch("moved"::equals));
        String bench = run(c, "bench", "--io-type", "write", "--io-size", "4096", "--io-threads", "4", "--io-total", "4M",
                "--io-pattern", "rand", pool + "/moved");
        assertTrue(bench.contains("ops: 1024"), bench);
        run(c, "rm", pool + "/moved");
        assertTrue(c.rbdOrThrow("ls", pool).lines().noneMatch("moved"::equals));
    }

    @Test
    void snapshotSubcommandsMatchTheRbdTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        run(c, "create", "--size", "4M", pool + "/snapcmd");
        run(c, "snap", "create", pool + "/snapcmd@one");
        assertTrue(c.rbdOrThrow("snap", "ls", pool + "/snapcmd").contains("one"));
        c.rbdOrThrow("snap", "create", pool + "/snapcmd@two");
        String ls = run(c, "snap", "ls", pool + "/snapcmd");
        assertTrue(ls.contains("one") && ls.contains("two"), ls);
        run(c, "snap", "protect", pool + "/snapcmd@one");
        assertTrue(c.rbdOrThrow("info", pool + "/snapcmd@one").contains("protected: True"));
        run(c, "snap", "unprotect", pool + "/snapcmd@one");
        run(c, "snap", "rollback", pool + "/snapcmd@one");
        run(c, "snap", "rm", pool + "/snapcmd@one");
        assertTrue(c.rbdOrThrow("snap", "ls", pool + "/snapcmd").lines().noneMatch(l -> l.contains(" one ")));
    }
}
