package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jceph rbd} and the stock {@code rbd} tool on the same images, both directions. */
@RealCluster
class RbdCommandIT {
    @TempDir
    Path tmp;

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
        String mixed = run(c, "bench", "--io-type", "readwrite", "--rw-mix-read", "70", "--io-size", "4K",
                "--io-threads", "4", "--io-total", "2M", "--io-pattern", "rand", pool + "/moved");
        assertTrue(mixed.contains("ops: 512"), mixed);
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
        // a group snapshot lands on the image in the group namespace: rbd snap ls and du leave it out
        c.rbdOrThrow("group", "create", pool + "/snapgroup");
        c.rbdOrThrow("group", "image", "add", pool + "/snapgroup", pool + "/snapcmd");
        c.rbdOrThrow("group", "snap", "create", pool + "/snapgroup@gs");
        assertTrue(c.rbdOrThrow("snap", "ls", "--all", pool + "/snapcmd").contains("group ("));
        for (String[] args : new String[][] {{"snap", "ls", pool + "/snapcmd"}, {"snap", "ls", "--format", "json", pool + "/snapcmd"},
            {"du", pool + "/snapcmd"}, {"snap", "ls", "--all", pool + "/snapcmd"},
            {"snap", "ls", "--all", "--format", "json", "--pretty-format", pool + "/snapcmd"},
            {"snap", "ls", "--format", "json", "--pretty-format", pool + "/snapcmd"}, {"info", pool + "/snapcmd"}}) {
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args)); // ids, names, sizes, "yes", timestamps
        }
        // the group snapshot is not a user snapshot: neither tool removes it by name
        String member = c.rbdOrThrow("snap", "ls", "--all", "--format", "json", pool + "/snapcmd").replaceAll(
                "(?s).*\"name\":\"(\\.group\\.[^\"]+)\".*", "$1");
        assertEquals(c.rbd("snap", "rm", pool + "/snapcmd@" + member).exitCode(),
                JcephRbd.runRc(c, "snap", "rm", "--no-progress", pool + "/snapcmd@" + member).rc());
        c.rbdOrThrow("group", "snap", "rm", pool + "/snapgroup@gs");
        c.rbdOrThrow("group", "image", "remove", pool + "/snapgroup", pool + "/snapcmd");
        c.rbdOrThrow("group", "rm", pool + "/snapgroup");
        run(c, "snap", "unprotect", pool + "/snapcmd@one");
        run(c, "snap", "rollback", pool + "/snapcmd@one");
        run(c, "snap", "rm", pool + "/snapcmd@one");
        assertTrue(c.rbdOrThrow("snap", "ls", pool + "/snapcmd").lines().noneMatch(l -> l.contains(" one ")));
        c.rbdOrThrow("snap", "purge", pool + "/snapcmd");
        assertEquals("", run(c, "snap", "ls", pool + "/snapcmd"), "no snapshots: nothing printed, as the tool");
    }

    @Test
    void imageMetaMatchesTheRbdTool(CephCluster c) {
        String img = c.testPool() + "/meta";
        c.rbdOrThrow("create", "--size", "4M", img);
        assertEquals(c.rbdOrThrow("image-meta", "list", img), run(c, "image-meta", "list", img));
        run(c, "image-meta", "set", img, "foo", "bar");
        assertEquals("bar\n", c.rbdOrThrow("image-meta", "get", img, "foo"));
        assertEquals(c.rbdOrThrow("image-meta", "list", img), run(c, "image-meta", "list", img));
        c.rbdOrThrow("image-meta", "set", img, "k2", "v v");
        assertEquals(c.rbdOrThrow("image-meta", "list", img), run(c, "image-meta", "list", img));
        assertEquals(c.rbdOrThrow("image-meta", "list", "--format", "json", img),
                run(c, "image-meta", "list", "--format", "json", img));
        assertEquals("v v\n", run(c, "image-meta", "get", img, "k2"));
        run(c, "image-meta", "remove", img, "foo");
        assertEquals(2, c.rbd("image-meta", "get", img, "foo").exitCode());
        Result missing = runRc(c, "image-meta", "get", img, "foo");
        assertEquals(2, missing.rc(), missing.err());
        assertEquals(2, runRc(c, "image-meta", "remove", img, "foo").rc());
        assertEquals(c.rbdOrThrow("image-meta", "list", img), run(c, "image-meta", "list", img));
    }

    @Test
    void advisoryLocksMatchTheRbdTool(CephCluster c) {
        String img = c.testPool() + "/locked";
        c.rbdOrThrow("create", "--size", "4M", img);
        assertEquals("", run(c, "lock", "ls", img));
        run(c, "lock", "add", img, "mylock");
        String ls = c.rbdOrThrow("lock", "ls", img);
        assertTrue(ls.startsWith("There is 1 exclusive lock on this image.\nLocker "), ls);
        assertEquals(ls, run(c, "lock", "ls", img));
        assertEquals(c.rbdOrThrow("lock", "ls", "--format", "json", img), run(c, "lock", "ls", "--format", "json", img));
        assertEquals(16, c.rbd("lock", "add", img, "other").exitCode(), "librbd sees our lock");
        Result again = runRc(c, "lock", "add", img, "other");
        assertEquals(16, again.rc());
        assertEquals("rbd: lock is already held by someone else\n", again.err());
        String locker = ls.lines().skip(2).findFirst().orElseThrow().split("\\s+")[0];
        run(c, "lock", "rm", img, "mylock", locker);
        assertEquals("", c.rbdOrThrow("lock", "ls", img));

        c.rbdOrThrow("lock", "add", "--shared", "tagx", img, "l1");
        run(c, "lock", "add", "--shared", "tagx", img, "l2");
        String shared = c.rbdOrThrow("lock", "ls", img);
        assertTrue(shared.contains("There are 2 shared locks on this image.\nLock tag: tagx\n"), shared);
        assertEquals(shared, run(c, "lock", "ls", img));
        assertEquals(c.rbdOrThrow("lock", "ls", "--format", "json", "--pretty-format", img),
                run(c, "lock", "ls", "--format", "json", "--pretty-format", img));
        // a lock that is not there: the same words and status
        var stockMissing = c.rbd("lock", "rm", img, "nope", "client.1");
        Result ourMissing = runRc(c, "lock", "rm", img, "nope", "client.1");
        assertEquals(stockMissing.exitCode(), ourMissing.rc());
        assertEquals(stockMissing.toolStderr(), ourMissing.err());
    }

    @Test
    void duAndObjectMapCheckMatchTheRbdTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        byte[] data = new byte[5 << 20];
        new Random(3).nextBytes(data);
        Path in = tmp.resolve("du.raw");
        Files.write(in, data);
        run(c, "import", in.toString(), pool + "/used"); // librbd's default features
        assertTrue(c.rbdOrThrow("info", pool + "/used").contains("features: layering, exclusive-lock, object-map, fast-diff,"
                + " deep-flatten"));
        run(c, "snap", "create", pool + "/used@s1");
        run(c, "bench", "--io-type", "write", "--io-size", "64K", "--io-threads", "4", "--io-total", "1M",
                "--io-pattern", "seq", pool + "/used");
        run(c, "resize", "--size", "4100K", "--allow-shrink", pool + "/used");
        c.rbdOrThrow("create", "--size", "8M", pool + "/unused");
        for (String[] args : new String[][] {{"du", pool + "/used"}, {"du", "--format", "json", pool + "/used"},
            {"du", "-p", pool}, {"du", "--format", "json", "-p", pool}, {"du", pool + "/used@s1"}}) {
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
        }
        var check = c.rbd("object-map", "check", pool + "/used");
        assertEquals(0, check.exitCode(), check.stderr());
        Result ours = runRc(c, "object-map", "check", pool + "/used");
        assertEquals(0, ours.rc(), ours.err());
        assertEquals("Object Map Check: 100% complete...done.\n", ours.err());
        assertEquals(0, runRc(c, "object-map", "check", pool + "/used@s1").rc());
    }

    @Test
    void diffMatchesTheRbdTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        byte[] data = new byte[(10 << 20) + 5000];
        new Random(4).nextBytes(data);
        Path in = tmp.resolve("diff.raw");
        Files.write(in, data);
        run(c, "import", in.toString(), pool + "/diffed");
        run(c, "snap", "create", pool + "/diffed@a");
        try (org.jceph.rados.RadosClient rados = org.jceph.rados.RadosClient.connect(
                org.jceph.messenger.config.CephConfig.fromEnvironment("-c", c.confPath().toString()));
                org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(rados.ioCtx(pool), "diffed", false)) {
            img.writeAsync(100, new byte[] {1, 2, 3}).get(60, java.util.concurrent.TimeUnit.SECONDS);
            img.discardAsync(4 << 20, 4 << 20).get(60, java.util.concurrent.TimeUnit.SECONDS); // object 1 goes
            img.snapCreate("b");
            img.writeAsync(9 << 20, new byte[] {4}).get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        for (String[] args : new String[][] {
            {"diff", pool + "/diffed"},
            {"diff", "--whole-object", pool + "/diffed"},
            {"diff", "--whole-object", "--from-snap", "a", pool + "/diffed"},
            {"diff", "--whole-object", "--from-snap", "a", "--format", "json", pool + "/diffed"},
            {"diff", "--whole-object", "--from-snap", "b", pool + "/diffed"},
            {"diff", "--whole-object", "--from-snap", "a", pool + "/diffed@b"},
            {"diff", "--whole-object", pool + "/diffed@a"},
            // extent-precise, from the OSDs' snap sets
            {"diff", "--from-snap", "a", pool + "/diffed"},
            {"diff", "--from-snap", "b", pool + "/diffed"},
            {"diff", "--from-snap", "a", pool + "/diffed@b"},
            {"diff", "--from-snap", "a", "--format", "json", pool + "/diffed"}}) {
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
        }
        // an image without fast-diff: snap sets for whole objects too; shrink and regrow across snaps
        c.rbdOrThrow("create", "--size", "12M", "--image-feature", "layering", pool + "/diffed2");
        try (org.jceph.rados.RadosClient rados = org.jceph.rados.RadosClient.connect(
                org.jceph.messenger.config.CephConfig.fromEnvironment("-c", c.confPath().toString()));
                org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(rados.ioCtx(pool), "diffed2", false)) {
            byte[] blob = new byte[3 << 20];
            new Random(6).nextBytes(blob);
            img.write(1 << 20, blob);
            img.snapCreate("p");
            img.write((2 << 20) + 7, new byte[5000]);
            img.write(10 << 20, new byte[] {9});
            img.snapCreate("q");
            img.resize(6 << 20);
            img.resize(12 << 20);
            img.write(5 << 20, new byte[] {1, 2});
        }
        for (String[] args : new String[][] {
            {"diff", "--from-snap", "p", pool + "/diffed2"},
            {"diff", "--from-snap", "q", pool + "/diffed2"},
            {"diff", "--from-snap", "p", pool + "/diffed2@q"},
            {"diff", "--whole-object", "--from-snap", "p", pool + "/diffed2"}}) {
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
        }
        assertTrue(run(c, "diff", "--whole-object", "--from-snap", "a", pool + "/diffed").contains("4194304  4194304  zero"));
        // leave the shared pool as we found it (the du test measures it whole)
        for (String image : new String[] {"diffed", "diffed2"}) {
            c.rbdOrThrow("snap", "purge", pool + "/" + image);
            c.rbdOrThrow("rm", pool + "/" + image);
        }
    }

    /**
     * du and diff of striped images, of images without fast-diff that have snapshots, and of a
     * clone, across shrinks, regrowth, discards and deletions between snapshots: line for line
     * what the rbd tool prints (it walks stripe periods, merges within them, and reads snap sets
     * where there is no valid fast-diff map).
     */
    @Test
    void duAndDiffOfStripedImagesAndOfSnapshotsWithoutFastDiffMatchTheRbdTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        String[][] images = {
            // name, features, object size, stripe unit, stripe count
            {"dd-striped", "layering", "1M", "64K", "3"},
            {"dd-striped-fd", "layering,exclusive-lock,object-map,fast-diff", "1M", "64K", "3"},
            {"dd-plain", "layering", "1M", "1M", "1"},
            {"dd-wide", "layering,exclusive-lock,object-map,fast-diff", "4M", "64K", "4"}};
        Random rnd = new Random(42);
        try (org.jceph.rados.RadosClient rados = org.jceph.rados.RadosClient.connect(
                org.jceph.messenger.config.CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            for (String[] im : images) {
                c.rbdOrThrow("create", "--size", "13M", "--image-feature", im[1], "--object-size", im[2],
                        "--stripe-unit", im[3], "--stripe-count", im[4], pool + "/" + im[0]);
                try (org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(rados.ioCtx(pool), im[0], false)) {
                    for (int i = 0; i < 40; i++) {
                        byte[] b = new byte[1 + rnd.nextInt(20000)];
                        rnd.nextBytes(b);
                        img.write(rnd.nextInt((13 << 20) - b.length), b);
                    }
                    img.snapCreate("x");
                    for (int i = 0; i < 10; i++) {
                        img.write(rnd.nextInt(12 << 20), new byte[] {(byte) i, 1, 2, 3});
                    }
                    img.discard(2 << 20, 1 << 20);           // whole objects go (non-striped) or are zeroed
                    img.discard((5 << 20) + 4096, 70000);    // a partial discard
                    img.resize(7 << 20);                     // a shrink cuts objects and removes others
                    img.snapCreate("y");
                    img.resize(15 << 20);                    // regrowth
                    for (int i = 0; i < 8; i++) {
                        img.write(rnd.nextInt(15 << 20), new byte[] {9, 9});
                    }
                }
            }
            // objects that shrink between two clones (discards reaching an object's end cut it):
            // where Pacific's snap-set diff and that of Reef and later (tracker 63770) part
            c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering", "--object-size", "1M",
                    pool + "/dd-cut");
            try (org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(rados.ioCtx(pool), "dd-cut", false)) {
                int k = 1024;
                byte[] b = new byte[1 << 20];
                rnd.nextBytes(b);
                img.write(0, java.util.Arrays.copyOf(b, 512 * k));               // object 0: 512K at x
                img.write(1 << 20, b);                                            // object 1: 1M at x
                img.write(3 << 20, java.util.Arrays.copyOf(b, 256 * k));         // object 3: 256K at x
                img.snapCreate("x");
                img.write(512 * k, java.util.Arrays.copyOf(b, 512 * k));         // object 0 grows to 1M
                img.write(2 << 20, b);                                            // object 2 is born, 1M
                img.write((3 << 20) + 256 * k, java.util.Arrays.copyOf(b, 768 * k)); // object 3 grows to 1M
                img.snapCreate("y");
                img.discard(256 * k, 768 * k);                                    // each cut after y:
                img.discard((1 << 20) + 256 * k, 768 * k);                        // 0, 1 and 2 to 256K,
                img.discard((2 << 20) + 256 * k, 768 * k);
                img.discard((3 << 20) + 512 * k, 512 * k);                        // 3 to 512K
            }
        }
        // a clone of a non-fast-diff parent: from the beginning, the parent shows through
        c.rbdOrThrow("snap", "protect", pool + "/dd-plain@x");
        c.rbdOrThrow("clone", "--image-feature", "layering", pool + "/dd-plain@x", pool + "/dd-child");
        c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4K", "--io-total", "8K", pool + "/dd-child");
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String[] im : images) {
            names.add(im[0]);
        }
        names.add("dd-cut");
        for (String name : names) {
            String spec = pool + "/" + name;
            for (String[] args : new String[][] {
                {"du", spec}, {"du", "--exact", spec}, {"du", "--from-snap", "x", spec}, {"du", spec + "@y"},
                {"du", "--merge-snapshots", spec}, {"du", "--format", "json", spec},
                {"diff", spec}, {"diff", "--whole-object", spec}, {"diff", spec + "@x"}, {"diff", "--whole-object", spec + "@y"},
                {"diff", "--from-snap", "x", spec}, {"diff", "--from-snap", "y", spec}, {"diff", "--from-snap", "x", spec + "@y"},
                {"diff", "--whole-object", "--from-snap", "x", spec}, {"diff", "--whole-object", "--from-snap", "y", spec},
                {"diff", "--whole-object", "--from-snap", "x", spec + "@y"},
                {"diff", "--from-snap", "x", "--format", "json", spec}}) {
                assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
            }
        }
        // the exact export-diff from x follows the same rule
        Path cutOurs = tmp.resolve("cut-ours");
        Path cutTheirs = tmp.resolve("cut-theirs");
        c.rbdOrThrow("export-diff", "--from-snap", "x", pool + "/dd-cut", cutTheirs.toString());
        run(c, "export-diff", "--from-snap", "x", pool + "/dd-cut", cutOurs.toString());
        assertArrayEquals(Files.readAllBytes(cutTheirs), Files.readAllBytes(cutOurs), "export-diff --from-snap x dd-cut");
        String child = pool + "/dd-child";
        for (String[] args : new String[][] {{"diff", child}, {"diff", "--whole-object", child}, {"du", child}}) {
            assertEquals(c.rbdOrThrow(args), run(c, args), String.join(" ", args));
        }
        // the warning for images without fast-diff goes to stderr, as the tool's
        assertEquals(c.rbd("du", pool + "/dd-plain").toolStderr(), runRc(c, "du", pool + "/dd-plain").err());
        // nothing between a snapshot and itself: not even the header
        assertEquals("", run(c, "diff", "--from-snap", "x", pool + "/dd-plain@x"));
        Result missing = runRc(c, "diff", "--from-snap", "nope", pool + "/dd-plain");
        assertEquals(2, missing.rc());
        assertEquals("rbd: diff error: (2) No such file or directory\n", missing.err());
        // leave the shared pool as we found it (the du test measures it whole)
        c.rbdOrThrow("rm", child);
        c.rbdOrThrow("snap", "unprotect", pool + "/dd-plain@x");
        for (String name : names) {
            c.rbdOrThrow("snap", "purge", pool + "/" + name);
            c.rbdOrThrow("rm", pool + "/" + name);
        }
    }

    @Test
    void format1ClonesChildrenFlattenAndSnapshotExportAsTheStockTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        // format 1: made by us, described by librbd exactly as we describe it
        Result made = runRc(c, "create", "--image-format", "1", "--size", "8M", pool + "/cli-f1");
        assertEquals(0, made.rc(), made.err());
        assertEquals(c.rbdOrThrow("info", pool + "/cli-f1"), run(c, "info", pool + "/cli-f1"));
        assertTrue(run(c, "ls", "-l", pool).lines().anyMatch(l -> l.startsWith("cli-f1") && l.trim().endsWith(" 1")));
        byte[] data = new byte[3 << 20];
        new Random(5).nextBytes(data);
        Path in = tmp.resolve("f1.raw");
        Files.write(in, data);
        run(c, "import", "--image-feature", "layering", in.toString(), pool + "/cli-parent");

        // clone, as rbd clone does, from a protected snapshot (v1 on this cluster's min compat)
        c.rbdOrThrow("snap", "create", pool + "/cli-parent@s");
        c.rbdOrThrow("snap", "protect", pool + "/cli-parent@s");
        run(c, "clone", pool + "/cli-parent@s", pool + "/cli-child");
        assertEquals(c.rbdOrThrow("children", pool + "/cli-parent@s"), run(c, "children", pool + "/cli-parent@s"));
        String info = c.rbdOrThrow("info", pool + "/cli-child");
        assertTrue(info.contains("parent: " + pool + "/cli-parent@s"), info);
        assertTrue(run(c, "info", pool + "/cli-child").contains("parent: " + pool + "/cli-parent@s"));
        Path snapOurs = tmp.resolve("snap-ours.raw");
        Path snapTheirs = tmp.resolve("snap-theirs.raw");
        run(c, "export", pool + "/cli-parent@s", snapOurs.toString());
        c.rbdOrThrow("export", pool + "/cli-parent@s", snapTheirs.toString());
        assertArrayEquals(Files.readAllBytes(snapTheirs), Files.readAllBytes(snapOurs));
        run(c, "flatten", pool + "/cli-child");
        assertTrue(c.rbdOrThrow("children", pool + "/cli-parent@s").isBlank());
        assertTrue(!c.rbdOrThrow("info", pool + "/cli-child").contains("parent:"));
        Path child = tmp.resolve("child.raw");
        c.rbdOrThrow("export", pool + "/cli-child", child.toString());
        assertArrayEquals(data, Files.readAllBytes(child));

        run(c, "rm", pool + "/cli-f1");
        assertTrue(c.rbdOrThrow("ls", pool).lines().noneMatch("cli-f1"::equals));
        // leave the shared pool as we found it (other tests measure it whole)
        run(c, "rm", pool + "/cli-child");
        c.rbdOrThrow("snap", "unprotect", pool + "/cli-parent@s");
        c.rbdOrThrow("snap", "rm", pool + "/cli-parent@s");
        run(c, "rm", pool + "/cli-parent");
    }

    @Test
    void progressGoesToStderrAsTheStockTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        c.rbdOrThrow("create", "--size", "12M", "--image-feature", "layering", pool + "/progress");
        Result ours = runRc(c, "export", pool + "/progress", tmp.resolve("p1.raw").toString());
        var theirs = c.rbd("export", pool + "/progress", tmp.resolve("p2.raw").toString());
        assertEquals(0, ours.rc(), ours.err());
        assertEquals(theirs.stdout(), ours.out(), "nothing on stdout");
        String done = "\rExporting image: 100% complete...done.\n";
        assertTrue(theirs.stderr().endsWith(done), theirs.stderr());
        assertTrue(ours.err().endsWith(done) && ours.err().startsWith("\rExporting image: "), ours.err());
        Result quiet = runRc(c, "export", "--no-progress", pool + "/progress", tmp.resolve("p3.raw").toString());
        assertEquals("", quiet.err());
        // a 3-object image: object n of 3 reported as its removal starts (33%, 66%), then done.
        c.rbdOrThrow("create", "--size", "12M", "--image-feature", "layering", pool + "/progress2");
        var stockRm = c.rbd("rm", pool + "/progress2");
        Result rm = runRc(c, "rm", pool + "/progress");
        assertEquals(stockRm.toolStderr(), rm.err());
        assertEquals("\rRemoving image: 33% complete...\rRemoving image: 66% complete..."
                + "\rRemoving image: 100% complete...done.\n", rm.err());
    }
}
