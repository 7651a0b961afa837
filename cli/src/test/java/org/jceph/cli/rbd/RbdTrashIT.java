package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rbd trash}: what one tool puts in the trash, the other lists, restores and removes. */
@RealCluster
class RbdTrashIT {
    @TempDir
    Path tmp;

    private static String idOf(String trashLs, String name) {
        return trashLs.lines().filter(l -> l.endsWith(" " + name)).map(l -> l.split(" ")[0]).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the trash: " + trashLs));
    }

    private byte[] export(CephCluster c, String spec) throws Exception {
        Path p = tmp.resolve(spec.replace('/', '_') + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, p.toString());
        return Files.readAllBytes(p);
    }

    /** A pool of this class's own, so its images do not slow the pool-wide commands of other tests sharing the cluster. */
    private static String ownPool(CephCluster c) {
        String pool = "rbdx-trash";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    @Test
    void trashInteroperatesBothWays(CephCluster c) throws Exception {
        String pool = ownPool(c);
        Path data = tmp.resolve("data");
        byte[] bytes = new byte[3 << 20];
        new java.util.Random(5).nextBytes(bytes);
        Files.write(data, bytes);
        for (String n : List.of("ours-now", "ours-later", "stock-now", "stock-later")) {
            c.rbdOrThrow("import", "--no-progress", data.toString(), pool + "/" + n);
        }
        run(c, "trash", "mv", pool + "/ours-now");
        run(c, "trash", "mv", "--expires-at", "2099-01-02", pool + "/ours-later");
        c.rbdOrThrow("trash", "mv", pool + "/stock-now");
        c.rbdOrThrow("trash", "mv", "--expires-at", "2099-01-02", pool + "/stock-later");
        List<String> ls = c.rbdOrThrow("ls", pool).lines().toList();
        assertTrue(ls.stream().noneMatch(n -> n.startsWith("ours-") || n.startsWith("stock-")), ls.toString());
        assertFalse(run(c, "ls", pool).contains("ours-now"));

        // the listings agree in every form
        for (List<String> f : List.of(List.<String>of(), List.of("-l"), List.of("--format", "json"),
                List.of("--format", "json", "--pretty-format"), List.of("-l", "--format", "json", "--pretty-format"))) {
            String[] args = new String[f.size() + 3];
            args[0] = "trash";
            args[1] = "ls";
            for (int i = 0; i < f.size(); i++) {
                args[i + 2] = f.get(i);
            }
            args[args.length - 1] = pool;
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", f));
        }
        String long1 = run(c, "trash", "ls", "-l", pool);
        assertTrue(long1.contains("protected until Fri Jan  2 00:00:00 2099"), long1);
        assertTrue(long1.contains("expired at "), long1);
        String trash = run(c, "trash", "ls", pool);

        // restores: the stock tool restores ours (under a new name), we restore theirs
        c.rbdOrThrow("trash", "restore", "--image", "ours-back", pool + "/" + idOf(trash, "ours-now"));
        run(c, "trash", "restore", pool + "/" + idOf(trash, "stock-now"));
        assertArrayEquals(bytes, export(c, pool + "/ours-back"));
        assertArrayEquals(bytes, export(c, pool + "/stock-now"));
        assertTrue(c.rbdOrThrow("ls", pool).lines().anyMatch("ours-back"::equals));

        // removal before the deferment end needs --force, on both sides
        Result early = runRc(c, "trash", "rm", pool + "/" + idOf(trash, "stock-later"));
        assertEquals(1, early.rc());
        assertTrue(early.err().startsWith("Deferment time has not expired, please use --force"), early.err());
        CommandResult stockEarly = c.rbd("trash", "rm", pool + "/" + idOf(trash, "ours-later"));
        assertEquals(1, stockEarly.exitCode());
        assertTrue(stockEarly.toolWords().contains("Deferment time has not expired, please use --force"), stockEarly.stderr());
        run(c, "trash", "rm", "--force", pool + "/" + idOf(trash, "stock-later"));
        c.rbdOrThrow("trash", "rm", "--force", pool + "/" + idOf(trash, "ours-later"));
        assertEquals("", c.rbdOrThrow("trash", "ls", pool));
        // nothing left behind: no header of either image
        String objects = c.radosOrThrow("-p", pool, "ls");
        assertFalse(objects.contains("rbd_header." + idOf(trash, "stock-later")), objects);
        assertFalse(objects.contains("rbd_header." + idOf(trash, "ours-later")), objects);

        // purge: expired entries go, protected ones stay, whoever trashed them
        c.rbdOrThrow("trash", "mv", pool + "/ours-back");
        run(c, "trash", "mv", pool + "/stock-now");
        c.rbdOrThrow("create", "--size", "1M", pool + "/kept");
        run(c, "trash", "mv", "--expires-at", "2099-01-02", pool + "/kept");
        run(c, "trash", "purge", pool);
        String left = c.rbdOrThrow("trash", "ls", pool);
        assertEquals(1, left.lines().count(), left);
        assertTrue(left.strip().endsWith(" kept"), left);
        c.rbdOrThrow("trash", "purge", "--expired-before", "2100-01-01", pool);
        assertEquals("", run(c, "trash", "ls", pool));
    }
}
