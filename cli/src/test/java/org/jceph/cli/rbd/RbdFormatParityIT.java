package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * Every listing command of the rbd tool in each output form it has (plain text, json, json
 * --pretty-format, xml, xml --pretty-format), byte for byte against Pacific's tool, on a pool
 * holding format 2 images and snapshots, a clone, a format 1 image, an advisory lock, image
 * metadata, an image config override and a trashed image.
 */
@RealCluster
class RbdFormatParityIT {
    private static final List<List<String>> FORMATS = List.of(List.of(), List.of("--format", "json"),
            List.of("--format", "json", "--pretty-format"), List.of("--format", "xml"),
            List.of("--format", "xml", "--pretty-format"));

    @Test
    void everyListingCommandPrintsEveryFormatAsTheStockToolDoes(CephCluster c) throws Exception {
        String pool = "rbdx-formats";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        c.rbdOrThrow("create", "--size", "10M", pool + "/a");
        c.rbdOrThrow("snap", "create", pool + "/a@s1");
        c.rbdOrThrow("snap", "protect", pool + "/a@s1");
        c.rbdOrThrow("snap", "create", pool + "/a@s2");
        c.rbdOrThrow("clone", pool + "/a@s1", pool + "/b");
        c.rbdOrThrow("snap", "create", pool + "/b@cs");
        // format 1 images (Pacific's librbd no longer creates them, but still writes them) in a pool of their own
        String oldPool = "rbdx-formats-v1";
        c.cephOrThrow("osd", "pool", "create", oldPool, "8");
        c.rbdOrThrow("pool", "init", oldPool);
        JcephRbd.run(c, "create", "--size", "3M", "--image-format", "1", oldPool + "/old");
        c.rbdOrThrow("bench", "--io-type", "write", "--io-total", "512K", "--io-size", "64K", oldPool + "/old");
        c.rbdOrThrow("snap", "create", oldPool + "/old@first");
        c.rbdOrThrow("bench", "--io-type", "write", "--io-total", "256K", "--io-size", "64K", "--io-pattern", "rand",
                oldPool + "/old");
        c.rbdOrThrow("create", "--size", "2M", oldPool + "/new");
        c.rbdOrThrow("create", "--size", "1M", "--image-feature", "layering", pool + "/plain");
        c.rbdOrThrow("image-meta", "set", pool + "/a", "key one", "v&<\"'>");
        c.rbdOrThrow("image-meta", "set", pool + "/a", "k2", "plain");
        c.rbdOrThrow("config", "image", "set", pool + "/a", "rbd_cache_max_dirty", "1000000");
        c.rbdOrThrow("group", "create", pool + "/g1");
        c.rbdOrThrow("group", "image", "add", pool + "/g1", pool + "/plain");
        c.rbdOrThrow("group", "snap", "create", pool + "/g1@gs");
        c.rbdOrThrow("create", "--size", "1M", pool + "/gone");
        c.rbdOrThrow("trash", "mv", pool + "/gone");
        c.rbdOrThrow("bench", "--io-type", "write", "--io-total", "1M", "--io-size", "64K", pool + "/a");
        c.rbdOrThrow("lock", "add", "--shared", "tag", pool + "/plain", "l<1>");
        c.rbdOrThrow("lock", "add", pool + "/a", "L1");

        List<String> mismatches = new ArrayList<>();
        String[][] commands = {{"ls", pool}, {"ls", "-l", pool}, {"ls", oldPool}, {"ls", "-l", oldPool}, {"du", "-p", oldPool},
            {"du", oldPool + "/old"}, {"du", "--exact", oldPool + "/old"}, {"children", pool + "/a@s1"}, {"du", pool + "/a"},
            {"du", "-p", pool}, {"diff", pool + "/a"}, {"diff", "--from-snap", "s2", pool + "/a"}, {"status", pool + "/a"},
            {"lock", "ls", pool + "/a"}, {"lock", "ls", pool + "/plain"}, {"image-meta", "list", pool + "/a"},
            {"snap", "ls", pool + "/a"}, {"info", pool + "/a"}, {"info", pool + "/b"}, {"info", pool + "/a@s1"},
            {"trash", "ls", pool}, {"trash", "ls", "-l", pool}, {"config", "image", "list", pool + "/a"},
            {"config", "pool", "list", pool}, {"children", "--descendants", pool + "/a"}, {"pool", "stats", pool},
            {"group", "ls", pool}, {"group", "image", "list", pool + "/g1"}, {"group", "snap", "list", pool + "/g1"},
            {"snap", "ls", "--all", pool + "/plain"}, {"info", pool + "/plain"}};
        List<String[]> alone = new ArrayList<>();
        List<String[]> rest = new ArrayList<>();
        for (String[] cmd : commands) {
            for (List<String> format : FORMATS) {
                List<String> args = new ArrayList<>(List.of(cmd));
                args.addAll(format); // the tool takes options anywhere
                // status lists the image's watchers: nothing else may have it open meanwhile
                (cmd[0].equals("status") ? alone : rest).add(args.toArray(String[]::new));
            }
        }
        for (String[] argv : alone) {
            compare(argv, c.rbd(argv), runRc(c, argv), mismatches);
        }
        // The stock tool's start-up dominates: its read-only runs go a few at a time, while ours run
        // one after the other in this thread (each pair still compared as before).
        ExecutorService stockRuns = Executors.newFixedThreadPool(4);
        try {
            List<Future<CommandResult>> stock = new ArrayList<>();
            for (String[] argv : rest) {
                stock.add(stockRuns.submit(() -> c.rbd(argv)));
            }
            for (int i = 0; i < rest.size(); i++) {
                Result ours = runRc(c, rest.get(i));
                compare(rest.get(i), stock.get(i).get(5, TimeUnit.MINUTES), ours, mismatches);
            }
        } finally {
            stockRuns.shutdownNow();
        }
        assertEquals(List.of(), mismatches);
    }

    private static void compare(String[] argv, CommandResult stock, Result ours, List<String> mismatches) {
        if (stock.exitCode() != ours.rc() || !stock.stdout().equals(ours.out())) {
            mismatches.add(String.join(" ", argv) + "\n--- rbd (" + stock.exitCode() + ")\n" + stock.stdout()
                    + "--- jceph (" + ours.rc() + ")\n" + ours.out() + ours.err());
        }
    }

    @Test
    void anUnknownFormatIsRefusedAsTheStockToolRefusesIt(CephCluster c) {
        CommandResult stock = c.rbd("ls", "--format", "yaml", "rbd");
        Result ours = runRc(c, "ls", "--format", "yaml", "rbd");
        assertEquals(stock.exitCode(), ours.rc());
        assertEquals(stock.toolStderr(), ours.err());
    }
}
