package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.OpenOptions;
import org.jceph.rbd.RbdImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbd cp}, {@code rbd deep cp} and {@code rbd sparsify}: jceph's and the stock tool's
 * results side by side (what {@code rbd info}, {@code snap ls}, {@code du}, {@code image-meta
 * list} and {@code export} of every snapshot say), and each side's copies read by the other.
 */
@RealCluster
class RbdCopyIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Result run(CephCluster c, String... args) {
        Result r = runRc(c, args);
        assertEquals(0, r.rc(), r.err());
        return r;
    }

    private static RadosClient connect(CephCluster c) throws java.io.IOException {
        return RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void await(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Stock commands run beside ours (daemon threads: the common pool has one thread on 2 cores). */
    private static final ExecutorService STOCK = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stock-rbd");
        t.setDaemon(true);
        return t;
    });

    private static <T> CompletableFuture<T> beside(Supplier<T> stock) {
        return CompletableFuture.supplyAsync(stock, STOCK);
    }

    private byte[] stockExportUnchecked(CephCluster c, String spec) {
        try {
            return stockExport(c, spec);
        } catch (Exception e) {
            throw new AssertionError("stock export of " + spec, e);
        }
    }

    private byte[] stockExport(CephCluster c, String spec) throws Exception {
        Path p = tmp.resolve("export-" + spec.replace('/', '_').replace('@', '_') + "-" + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, p.toString());
        return Files.readAllBytes(p);
    }

    private static JsonNode json(CephCluster c, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--format");
        a.add("json");
        return JSON.readTree(c.rbdOrThrow(a.toArray(String[]::new)));
    }

    /** What rbd info says about a copy, less what differs between any two images (name, id, prefix, times). */
    private static String infoShape(CephCluster c, String spec) throws Exception {
        JsonNode n = json(c, "info", spec);
        StringBuilder b = new StringBuilder();
        for (String f : List.of("size", "objects", "order", "object_size", "features", "op_features", "flags",
                "stripe_unit", "stripe_count", "data_pool", "snapshot_count")) {
            b.append(f).append('=').append(n.get(f)).append(' ');
        }
        JsonNode p = n.get("parent");
        if (p != null) {
            b.append("parent=").append(p.get("pool")).append('/').append(p.get("image")).append('@')
                    .append(p.get("snapshot")).append(" overlap=").append(p.get("overlap"));
        }
        return b.toString();
    }

    /** rbd snap ls: names, sizes and protection, in order. */
    private static String snaps(CephCluster c, String spec) throws Exception {
        StringBuilder b = new StringBuilder();
        for (JsonNode s : json(c, "snap", "ls", spec)) {
            b.append(s.get("name").asText()).append(':').append(s.get("size").asLong()).append(':')
                    .append(s.get("protected").asText()).append(' ');
        }
        return b.toString();
    }

    private static long used(CephCluster c, String spec) throws Exception {
        JsonNode images = json(c, "du", spec).get("images");
        for (JsonNode i : images) {
            if (!i.has("snapshot")) {
                return i.get("used_size").asLong();
            }
        }
        throw new AssertionError("rbd du listed no HEAD for " + spec);
    }

    private static String ownPool(CephCluster c, String pool) {
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    /** 12 MiB in 1 MiB objects: data, an object written as zeros, zero runs inside objects, snapshots s1 (protected) and s2. */
    private static void build(CephCluster c, String pool, String name, boolean snapshots) throws Exception {
        c.rbdOrThrow("image-meta", "set", pool + "/" + name, "conf_rbd_cache", "false");
        try (RadosClient rados = connect(c); RbdImage img = RbdImage.open(rados.ioCtx(pool), name, false)) {
            await(img.writeAsync(0, random((1 << 20) + 5000, 1))); // object 0 and the start of 1
            await(img.writeAsync(2 << 20, new byte[1 << 20])); // object 2: written, all zeros
            byte[] holes = random(1 << 20, 2);
            java.util.Arrays.fill(holes, 8192, 8192 + 3 * 4096, (byte) 0); // 3 zero blocks inside object 3
            java.util.Arrays.fill(holes, (1 << 20) - 8192, 1 << 20, (byte) 0); // and a zero tail
            await(img.writeAsync(3 << 20, holes));
            img.metadataSet("user.key", "value");
            if (!snapshots) {
                return;
            }
            img.snapCreate("s1");
            img.snapProtect("s1");
            await(img.writeAsync((5 << 20) + 77, random(300_000, 3)));
            await(img.discardAsync(0, 1 << 20)); // object 0 goes
            img.resize(8 << 20);
            img.snapCreate("s2");
            img.resize(14 << 20);
            await(img.writeAsync((13 << 20) + 1, random(4096, 4)));
            await(img.writeAsync(3 << 20, random(100, 5)));
        }
    }

    private static byte[] ourRead(CephCluster c, String pool, String name, String snap) throws Exception {
        try (RadosClient rados = connect(c); RbdImage img = RbdImage.open(rados.ioCtx(pool), name,
                snap == null ? OpenOptions.readOnlyHead() : OpenOptions.atSnapshot(snap))) {
            return img.read(0, (int) img.size());
        }
    }

    @Test
    void copyMatchesTheStockToolBothWays(CephCluster c) throws Exception {
        String pool = ownPool(c, "rbdx-cp");
        for (String features : List.of("layering,exclusive-lock,object-map,fast-diff,deep-flatten", "layering")) {
            String tag = features.equals("layering") ? "plain" : "fd";
            String src = pool + "/src-" + tag;
            c.rbdOrThrow("create", "--size", "12M", "--object-size", "1M", "--image-feature", features, src);
            build(c, pool, "src-" + tag, true);
            for (String from : List.of(src, src + "@s1")) {
                String suffix = tag + (from.contains("@") ? "-s1" : "");
                // the two copies only read the source: the stock one goes beside ours
                CompletableFuture<CommandResult> stockCp = beside(() -> c.rbd("cp", from, pool + "/stock-" + suffix));
                Result r = run(c, "cp", from, pool + "/ours-" + suffix);
                assertTrue(r.err().endsWith("Image copy: 100% complete...done.\n"), r.err());
                CommandResult st = stockCp.get(5, TimeUnit.MINUTES);
                assertEquals(0, st.exitCode(), st.stderr());
                // the same image as the stock tool makes: layout, features, no snapshots, metadata
                assertEquals(infoShape(c, pool + "/stock-" + suffix), infoShape(c, pool + "/ours-" + suffix), from);
                assertEquals("", snaps(c, pool + "/ours-" + suffix));
                assertEquals(c.rbdOrThrow("image-meta", "list", pool + "/stock-" + suffix),
                        c.rbdOrThrow("image-meta", "list", pool + "/ours-" + suffix));
                byte[] want = stockExport(c, from);
                assertArrayEquals(want, stockExport(c, pool + "/ours-" + suffix), "stock reads our copy of " + from);
                assertArrayEquals(want, ourRead(c, pool, "stock-" + suffix, null), "we read the stock copy of " + from);
                // sparse: zero objects are not written, so both use the same space
                assertEquals(used(c, pool + "/stock-" + suffix), used(c, pool + "/ours-" + suffix), "du of " + from);
                assertEquals(objects(c, pool, "stock-" + suffix), objects(c, pool, "ours-" + suffix), "objects of " + from);
            }
        }
        // destination options the stock tool takes
        String src = pool + "/src-fd";
        String[] opts = {"--object-size", "2M", "--image-feature", "layering,exclusive-lock"};
        List<String> ours = new ArrayList<>(List.of("cp"));
        ours.addAll(List.of(opts));
        ours.addAll(List.of(src, pool + "/ours-opt"));
        run(c, ours.toArray(String[]::new));
        List<String> stock = new ArrayList<>(List.of("cp"));
        stock.addAll(List.of(opts));
        stock.addAll(List.of(src, pool + "/stock-opt"));
        c.rbdOrThrow(stock.toArray(String[]::new));
        assertEquals(infoShape(c, pool + "/stock-opt"), infoShape(c, pool + "/ours-opt"));
        assertArrayEquals(stockExport(c, src), stockExport(c, pool + "/ours-opt"));
        // a destination that exists: the stock words and errno
        Result dup = runRc(c, "cp", "--no-progress", src, pool + "/ours-opt");
        CommandResult stockDup = c.rbd("cp", "--no-progress", src, pool + "/ours-opt");
        assertEquals(stockDup.exitCode(), dup.rc());
        // librbd's own log lines ("<time> <thread> -1 librbd: ...") may land on stderr in the middle
        // of the tool's line, with blank lines after them (both seen in CI): compare the tool's words
        assertTrue(stockDup.toolWords().contains("rbd: copy failed: (17) File exists"), stockDup.stderr());
        assertTrue(dup.err().contains("rbd: copy failed: (17) File exists"), dup.err());
    }

    @Test
    void deepCopyKeepsSnapshotsBothWays(CephCluster c) throws Exception {
        String pool = ownPool(c, "rbdx-deep");
        for (String features : List.of("layering,exclusive-lock,object-map,fast-diff,deep-flatten", "layering")) {
            String tag = features.equals("layering") ? "plain" : "fd";
            String src = pool + "/src-" + tag;
            c.rbdOrThrow("create", "--size", "12M", "--object-size", "1M", "--image-feature", features, src);
            build(c, pool, "src-" + tag, true);
            CompletableFuture<String> stockCp = beside(() -> c.rbdOrThrow("deep", "cp", "--no-progress", src,
                    pool + "/stock-" + tag));
            run(c, "deep", "cp", "--no-progress", src, pool + "/ours-" + tag);
            stockCp.get(5, TimeUnit.MINUTES);
            // the source does not change from here on: each of its exports is taken once
            Map<String, byte[]> source = new HashMap<>();
            for (String who : List.of("ours-", "stock-")) {
                String dst = pool + "/" + who + tag;
                assertEquals(snaps(c, src), snaps(c, dst), "snap ls of " + dst);
                assertEquals(infoShape(c, pool + "/stock-" + tag), infoShape(c, dst));
                for (String snap : List.of("@s1", "@s2", "")) {
                    byte[] want = source.computeIfAbsent(snap, sn -> stockExportUnchecked(c, src + sn));
                    assertArrayEquals(want, stockExport(c, dst + snap), "stock export of " + dst + snap);
                    assertArrayEquals(want, ourRead(c, pool, who + tag, snap.isEmpty() ? null : snap.substring(1)),
                            "our read of " + dst + snap);
                }
                assertEquals(c.rbdOrThrow("image-meta", "list", src), c.rbdOrThrow("image-meta", "list", dst));
            }
            // a deep copy of a snapshot: the snapshots up to it, the head as that snapshot
            CompletableFuture<String> stockAt = beside(() -> c.rbdOrThrow("deep", "cp", "--no-progress", src + "@s1",
                    pool + "/stock-at-" + tag));
            run(c, "deep", "cp", "--no-progress", src + "@s1", pool + "/ours-at-" + tag);
            stockAt.get(5, TimeUnit.MINUTES);
            assertEquals(snaps(c, pool + "/stock-at-" + tag), snaps(c, pool + "/ours-at-" + tag));
            assertEquals(infoShape(c, pool + "/stock-at-" + tag), infoShape(c, pool + "/ours-at-" + tag));
            assertArrayEquals(source.get("@s1"), stockExport(c, pool + "/ours-at-" + tag));
        }
    }

    @Test
    void deepCopyOfACloneIsACloneOfTheSameParent(CephCluster c) throws Exception {
        String pool = ownPool(c, "rbdx-deepclone");
        c.rbdOrThrow("create", "--size", "8M", "--object-size", "1M", pool + "/parent");
        try (RadosClient rados = connect(c); RbdImage img = RbdImage.open(rados.ioCtx(pool), "parent", false)) {
            await(img.writeAsync(0, random(8 << 20, 10)));
        }
        c.rbdOrThrow("snap", "create", pool + "/parent@base");
        c.rbdOrThrow("snap", "protect", pool + "/parent@base");
        c.rbdOrThrow("clone", pool + "/parent@base", pool + "/child");
        try (RadosClient rados = connect(c); RbdImage img = RbdImage.open(rados.ioCtx(pool), "child", false)) {
            await(img.writeAsync((1 << 20) + 100, random(5000, 11)));
            await(img.writeZeroesAsync(3 << 20, 1 << 20)); // zeros over parent data
            img.snapCreate("c1");
            await(img.writeAsync((6 << 20) + 3, random(70_000, 12)));
            img.resize(6 << 20); // the overlap shrinks
            img.snapCreate("c2");
            img.resize(10 << 20);
            await(img.writeAsync(9 << 20, random(4096, 13)));
        }
        run(c, "deep", "cp", "--no-progress", pool + "/child", pool + "/ours");
        c.rbdOrThrow("deep", "cp", "--no-progress", pool + "/child", pool + "/stock");
        for (String dst : List.of("ours", "stock")) {
            String info = infoShape(c, pool + "/" + dst);
            assertTrue(info.contains("parent=\"" + pool + "\"/\"parent\"@\"base\""), info);
            assertEquals(infoShape(c, pool + "/stock"), info);
            assertEquals(snaps(c, pool + "/child"), snaps(c, pool + "/" + dst));
            for (String snap : List.of("@c1", "@c2", "")) {
                assertArrayEquals(stockExport(c, pool + "/child" + snap), stockExport(c, pool + "/" + dst + snap),
                        dst + snap);
                assertArrayEquals(stockExport(c, pool + "/child" + snap),
                        ourRead(c, pool, dst, snap.isEmpty() ? null : snap.substring(1)), dst + snap);
            }
        }
        // the parent lists both as children
        String children = c.rbdOrThrow("children", pool + "/parent@base");
        assertTrue(children.contains(pool + "/ours") && children.contains(pool + "/stock"), children);
        // --flatten: no parent, same data
        run(c, "deep", "cp", "--no-progress", "--flatten", pool + "/child", pool + "/ours-flat");
        c.rbdOrThrow("deep", "cp", "--no-progress", "--flatten", pool + "/child", pool + "/stock-flat");
        assertEquals(infoShape(c, pool + "/stock-flat"), infoShape(c, pool + "/ours-flat"));
        assertTrue(!infoShape(c, pool + "/ours-flat").contains("parent="));
        assertArrayEquals(stockExport(c, pool + "/child"), stockExport(c, pool + "/ours-flat"));
        assertArrayEquals(stockExport(c, pool + "/child@c1"), stockExport(c, pool + "/ours-flat@c1"));
    }

    @Test
    void sparsifyReclaimsWhatTheStockToolReclaims(CephCluster c) throws Exception {
        String pool = ownPool(c, "rbdx-sparse");
        for (String features : List.of("layering,exclusive-lock,object-map,fast-diff", "layering")) {
            String tag = features.equals("layering") ? "plain" : "fd";
            List<String> names = List.of("ours-" + tag, "stock-" + tag);
            for (String n : names) {
                c.rbdOrThrow("create", "--size", "12M", "--object-size", "1M", "--image-feature", features, pool + "/" + n);
                build(c, pool, n, false);
            }
            byte[] before = stockExport(c, pool + "/ours-" + tag);
            long usedBefore = used(c, pool + "/ours-" + tag);
            List<String> objectsBefore = objects(c, pool, "ours-" + tag);
            Result r = run(c, "sparsify", pool + "/ours-" + tag);
            assertTrue(r.err().endsWith("Image sparsify: 100% complete...done.\n"), r.err());
            c.rbdOrThrow("sparsify", "--no-progress", pool + "/stock-" + tag);
            assertArrayEquals(before, stockExport(c, pool + "/ours-" + tag));
            assertArrayEquals(before, ourRead(c, pool, "stock-" + tag, null));
            long ours = used(c, pool + "/ours-" + tag);
            assertEquals(used(c, pool + "/stock-" + tag), ours, "du after sparsify");
            assertTrue(ours < usedBefore, "sparsify reclaimed nothing: " + ours + " of " + usedBefore);
            // the same objects remain, of the same sizes (the zero tail truncated, the zero object gone)
            List<String> after = objects(c, pool, "ours-" + tag);
            assertEquals(objects(c, pool, "stock-" + tag), after);
            assertNotEquals(objectsBefore, after);
            if (tag.equals("fd")) {
                c.rbdOrThrow("object-map", "check", pool + "/ours-" + tag);
            }
        }
        // the tool's check of --sparse-size
        Result bad = runRc(c, "sparsify", "--sparse-size", "1K", pool + "/ours-fd");
        CommandResult stockBad = c.rbd("sparsify", "--sparse-size", "1K", pool + "/ours-fd");
        assertEquals(stockBad.exitCode(), bad.rc(), stockBad.stderr());
        assertNotEquals(0, bad.rc());
    }

    /** The image's data objects: object number and size, as rados stat says. */
    private static List<String> objects(CephCluster c, String pool, String name) throws Exception {
        String prefix;
        try (RadosClient rados = connect(c); RbdImage img = RbdImage.open(rados.ioCtx(pool), name, true)) {
            prefix = img.objectPrefix();
        }
        List<String> out = new ArrayList<>();
        for (String oid : c.radosOrThrow("-p", pool, "ls").lines().sorted().toList()) {
            if (oid.startsWith(prefix + ".")) {
                String stat = c.radosOrThrow("-p", pool, "stat", oid).trim();
                out.add(oid.substring(prefix.length()) + " " + stat.substring(stat.lastIndexOf("size")));
            }
        }
        return out;
    }

    @Test
    void helpMatchesTheStockCommands(CephCluster c) throws Exception {
        for (String[] words : new String[][] {{"cp"}, {"deep", "cp"}, {"sparsify"}}) {
            List<String> a = new ArrayList<>(List.of("help"));
            a.addAll(List.of(words));
            Result ours = runRc(c, a.toArray(String[]::new));
            CommandResult stock = c.rbd(a.toArray(String[]::new));
            assertEquals(stock.exitCode(), ours.rc());
            String stockUsage = stock.stdout().lines().findFirst().orElse("");
            String ourUsage = ours.out().lines().findFirst().orElse("");
            // the same command and first options; jceph lists only the options it implements
            assertEquals(stockUsage.substring(0, stockUsage.indexOf('[')), ourUsage.substring(0, ourUsage.indexOf('[')));
            // the description is Pacific's (Reef's deep cp says "Deep copy (including snapshots) src image to dest.")
            if (c.release().equals(CephCluster.PACIFIC)) {
                assertTrue(stock.stdout().contains(ours.out().lines().reduce((x, y) -> y).orElse("")),
                        "description: " + ours.out());
            }
        }
    }
}
