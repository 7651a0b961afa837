package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code rbd pool init} and {@code rbd pool stats}: what either tool initialises, the other uses; the same counts. */
@RealCluster
class RbdPoolIT {
    @TempDir
    Path tmp;

    private String rbdInfo(CephCluster c, String pool) throws Exception {
        Path p = tmp.resolve("info-" + pool);
        c.radosOrThrow("-p", pool, "get", "rbd_info", p.toString());
        return Files.readString(p);
    }

    @Test
    void initTagsAndValidatesThePoolAsTheStockTool(CephCluster c) throws Exception {
        c.cephOrThrow("osd", "pool", "create", "rbdx-init-j", "8");
        c.cephOrThrow("osd", "pool", "create", "rbdx-init-s", "8");
        run(c, "pool", "init", "rbdx-init-j");
        c.rbdOrThrow("pool", "init", "rbdx-init-s");
        for (String pool : List.of("rbdx-init-j", "rbdx-init-s")) {
            assertTrue(c.cephOrThrow("osd", "pool", "application", "get", pool).contains("\"rbd\""), pool);
            assertEquals("overwrite validated", rbdInfo(c, pool), pool);
            // from Reef on (18.2.4) librbd's pool init also creates the empty trash, and so do we
            String trash = CephCluster.PACIFIC.equals(c.release()) ? "" : "rbd_trash\n";
            assertEquals("rbd_info\n" + trash, String.join("\n", c.radosOrThrow("-p", pool, "ls").lines().sorted()
                    .toList()) + "\n", pool);
        }
        // a pool we initialised serves the stock tool, and a second init changes nothing
        c.rbdOrThrow("create", "--size", "4M", "rbdx-init-j/img");
        assertEquals("", run(c, "pool", "init", "rbdx-init-j"));
        assertEquals("overwrite validated", rbdInfo(c, "rbdx-init-j"));
        c.rbdOrThrow("rm", "--no-progress", "rbdx-init-j/img");

        // a pool of another application: both report it and exit 0; --force retags it
        c.cephOrThrow("osd", "pool", "create", "rbdx-init-o", "8");
        c.cephOrThrow("osd", "pool", "application", "enable", "rbdx-init-o", "rgw");
        CommandResult stock = c.rbd("pool", "init", "rbdx-init-o");
        Result ours = runRc(c, "pool", "init", "rbdx-init-o");
        assertEquals(stock.exitCode(), ours.rc());
        assertEquals(stock.toolStderr(), ours.err());
        assertEquals("rbd: pool already registered to a different application.\n", ours.err());
        run(c, "pool", "init", "--force", "rbdx-init-o");
        assertTrue(c.cephOrThrow("osd", "pool", "application", "get", "rbdx-init-o").contains("\"rbd\""));
        assertEquals("overwrite validated", rbdInfo(c, "rbdx-init-o"));
    }

    @Test
    void statsCountWhatTheStockToolCounts(CephCluster c) {
        String pool = "rbdx-stats";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        run(c, "pool", "init", pool);
        List<List<String>> forms = List.of(List.of(), List.of("--format", "json"),
                List.of("--format", "json", "--pretty-format"));
        compare(c, pool, forms); // empty
        c.rbdOrThrow("create", "--size", "8M", pool + "/a");
        c.rbdOrThrow("snap", "create", "--no-progress", pool + "/a@s");
        c.rbdOrThrow("resize", "--no-progress", "--allow-shrink", "--size", "4M", pool + "/a"); // a snapshot larger than HEAD
        run(c, "create", "--size", "10M", pool + "/b");
        run(c, "snap", "create", pool + "/b@s1");
        run(c, "snap", "create", pool + "/b@s2");
        compare(c, pool, forms);
        String text = run(c, "pool", "stats", pool);
        assertEquals("Total Images: 2\nTotal Snapshots: 3\nProvisioned Size: 18 MiB\n", text);
        c.rbdOrThrow("create", "--size", "3M", pool + "/t1");
        c.rbdOrThrow("trash", "mv", pool + "/t1");
        run(c, "create", "--size", "1M", pool + "/t2");
        run(c, "trash", "mv", pool + "/t2");
        compare(c, pool, forms);
        assertEquals("Total Images: 2 (2 in trash)\nTotal Snapshots: 3 (0 in trash)\nProvisioned Size: 18 MiB (4 MiB in trash)\n",
                run(c, "pool", "stats", pool));
    }

    private static void compare(CephCluster c, String pool, List<List<String>> forms) {
        for (List<String> f : forms) {
            String[] args = new String[f.size() + 3];
            args[0] = "pool";
            args[1] = "stats";
            for (int i = 0; i < f.size(); i++) {
                args[i + 2] = f.get(i);
            }
            args[args.length - 1] = pool;
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
        }
    }
}
