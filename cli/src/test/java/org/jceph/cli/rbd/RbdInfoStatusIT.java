package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdImage;
import org.junit.jupiter.api.Test;

/** {@code rbd info}, {@code rbd status} and {@code rbd snap rename|purge|limit}: jceph's output against Pacific's tool. */
@RealCluster
class RbdInfoStatusIT {
    /** Same output from both tools, in text, json and pretty json. */
    private static void sameAllFormats(CephCluster c, String cmd, String spec) {
        for (List<String> f : List.of(List.<String>of(), List.of("--format", "json"),
                List.of("--format", "json", "--pretty-format"))) {
            String[] args = new String[f.size() + 2];
            args[0] = cmd;
            for (int i = 0; i < f.size(); i++) {
                args[i + 1] = f.get(i);
            }
            args[args.length - 1] = spec;
            assertEquals(c.rbdOrThrow(args), run(c, args), cmd + " " + String.join(" ", f) + " " + spec);
        }
    }

    /** A pool of this class's own, so its images do not slow the pool-wide commands of other tests sharing the cluster. */
    private static String ownPool(CephCluster c) {
        String pool = "rbdx-info";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    @Test
    void infoMatchesTheStockToolFieldForField(CephCluster c) throws Exception {
        String pool = ownPool(c);
        c.cephOrThrow("osd", "pool", "create", "infodata", "8");
        c.rbdOrThrow("pool", "init", "infodata");
        c.rbdOrThrow("create", "--size", "10M", pool + "/plain");
        c.rbdOrThrow("create", "--size", "10M", "--object-size", "1M", "--stripe-unit", "64K", "--stripe-count", "4",
                "--data-pool", "infodata", "--image-feature", "layering,striping", pool + "/striped");
        c.rbdOrThrow("snap", "create", pool + "/plain@s");
        c.rbdOrThrow("snap", "protect", pool + "/plain@s");
        c.rbdOrThrow("clone", "--rbd-default-clone-format", "2", pool + "/plain@s", pool + "/child2");
        c.rbdOrThrow("clone", "--rbd-default-clone-format", "1", pool + "/plain@s", pool + "/child1");
        c.rbdOrThrow("resize", "--size", "5M", "--allow-shrink", pool + "/child1");
        c.rbdOrThrow("snap", "limit", "set", "--limit", "9", pool + "/child1");
        c.rbdOrThrow("snap", "create", pool + "/child2@c");
        for (String spec : List.of("plain", "plain@s", "striped", "child1", "child2", "child2@c")) {
            sameAllFormats(c, "info", pool + "/" + spec);
        }
        String child2 = run(c, "info", pool + "/child2");
        assertTrue(child2.contains("\top_features: clone-child\n") && child2.contains("\tcreate_timestamp: "), child2);
        assertTrue(run(c, "info", pool + "/plain").contains("\top_features: clone-parent\n"));
        assertTrue(run(c, "info", pool + "/striped").contains("\tdata_pool: infodata\n"));
        assertTrue(run(c, "info", pool + "/child1").contains("\tsnapshot_limit: 9\n\tparent: " + pool + "/plain@s\n\toverlap: 5 MiB\n"));

        // an invalid object map shows in flags
        try (RadosClient rados = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            rados.ioCtx(pool).exec("rbd_header." + idOf(c, pool + "/plain"), "rbd", "set_flags",
                    org.jceph.encoding.CephEncoder.toBytes(e -> e.writeU64Le(3).writeU64Le(3).writeU64Le(-2L)));
        }
        assertTrue(run(c, "info", pool + "/plain").contains("\tflags: object map invalid, fast diff invalid\n"));
        sameAllFormats(c, "info", pool + "/plain");
    }

    private static String idOf(CephCluster c, String spec) {
        return c.rbdOrThrow("info", "--format", "json", spec).replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1").strip();
    }

    @Test
    void statusListsTheSameWatchers(CephCluster c) throws Exception {
        String pool = ownPool(c);
        c.rbdOrThrow("create", "--size", "4M", pool + "/watched");
        sameAllFormats(c, "status", pool + "/watched");
        assertEquals("Watchers: none\n", run(c, "status", pool + "/watched"));
        try (RadosClient rados = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
                RbdImage img = RbdImage.open(rados.ioCtx(pool), "watched", false)) {
            img.write(0, new byte[] {1});
            String ours = run(c, "status", pool + "/watched");
            assertTrue(ours.startsWith("Watchers:\n\twatcher="), ours);
            sameAllFormats(c, "status", pool + "/watched");
        }
    }

    @Test
    void snapRenamePurgeAndLimitInteroperate(CephCluster c) {
        String pool = ownPool(c);
        c.rbdOrThrow("create", "--size", "4M", pool + "/snaps");
        for (String s : List.of("a", "b", "c")) {
            c.rbdOrThrow("snap", "create", pool + "/snaps@" + s);
        }
        run(c, "snap", "rename", pool + "/snaps@a", pool + "/snaps@a2");
        c.rbdOrThrow("snap", "rename", pool + "/snaps@b", pool + "/snaps@b2");
        String ls = c.rbdOrThrow("snap", "ls", pool + "/snaps");
        assertTrue(ls.contains(" a2 ") && ls.contains(" b2 ") && !ls.contains(" a "), ls);
        assertTrue(run(c, "snap", "ls", pool + "/snaps").contains(" b2 "));
        Result clash = runRc(c, "snap", "rename", pool + "/snaps@a2", pool + "/snaps@c");
        CommandResult stockClash = c.rbd("snap", "rename", pool + "/snaps@a2", pool + "/snaps@c");
        assertEquals(stockClash.exitCode(), clash.rc(), clash.err() + " / " + stockClash.stderr());
        Result missing = runRc(c, "snap", "rename", pool + "/snaps@zz", pool + "/snaps@q");
        CommandResult stockMissing = c.rbd("snap", "rename", pool + "/snaps@zz", pool + "/snaps@q");
        assertEquals(stockMissing.exitCode(), missing.rc());
        assertEquals(stockMissing.toolStderr(), missing.err());

        // limit: ours set, the stock tool is refused past it; ours clear, it may again
        run(c, "snap", "limit", "set", "--limit", "3", pool + "/snaps");
        assertTrue(c.rbdOrThrow("info", pool + "/snaps").contains("\tsnapshot_limit: 3\n"));
        CommandResult over = c.rbd("snap", "create", pool + "/snaps@d");
        assertEquals(122, over.exitCode(), over.stderr());
        Result ourOver = runRc(c, "snap", "create", pool + "/snaps@d");
        assertEquals(122, ourOver.rc(), ourOver.err());
        assertEquals(over.toolStderr(), ourOver.err());
        run(c, "snap", "limit", "clear", pool + "/snaps");
        assertFalse(c.rbdOrThrow("info", pool + "/snaps").contains("snapshot_limit"));
        c.rbdOrThrow("snap", "create", pool + "/snaps@d");
        c.rbdOrThrow("snap", "limit", "set", "--limit", "7", pool + "/snaps");
        assertTrue(run(c, "info", pool + "/snaps").contains("\tsnapshot_limit: 7\n"));
        Result noLimit = runRc(c, "snap", "limit", "set", pool + "/snaps");
        CommandResult stockNoLimit = c.rbd("snap", "limit", "set", pool + "/snaps");
        assertEquals(stockNoLimit.exitCode(), noLimit.rc());
        assertEquals(stockNoLimit.toolStderr(), noLimit.err());

        // purge: twins, one purged by each tool, with a protected snapshot left behind
        for (String t : List.of("p-ours", "p-stock")) {
            c.rbdOrThrow("create", "--size", "4M", pool + "/" + t);
            for (String s : List.of("x", "y", "z")) {
                c.rbdOrThrow("snap", "create", pool + "/" + t + "@" + s);
            }
            c.rbdOrThrow("snap", "protect", pool + "/" + t + "@y");
        }
        Result ours = runRc(c, "snap", "purge", pool + "/p-ours");
        CommandResult theirs = c.rbd("snap", "purge", pool + "/p-stock");
        assertEquals(theirs.exitCode(), ours.rc());
        assertEquals(theirs.stdout(), ours.out());
        assertEquals(theirs.toolStderr(), ours.err());
        for (String t : List.of("p-ours", "p-stock")) {
            String left = c.rbdOrThrow("snap", "ls", pool + "/" + t);
            assertTrue(left.contains(" y ") && !left.contains(" x ") && !left.contains(" z "), left);
            c.rbdOrThrow("snap", "unprotect", pool + "/" + t + "@y");
        }
        ours = runRc(c, "snap", "purge", pool + "/p-ours");
        theirs = c.rbd("snap", "purge", pool + "/p-stock");
        assertEquals(theirs.toolStderr(), ours.err());
        assertEquals("", c.rbdOrThrow("snap", "ls", pool + "/p-ours"));
    }
}
