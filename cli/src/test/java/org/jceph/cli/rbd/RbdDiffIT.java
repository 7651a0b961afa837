package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbd export-diff}, {@code import-diff} and {@code merge-diff}: jceph's streams against
 * the stock Pacific tool's, byte for byte, and each side's streams applied by the other over a
 * chain of snapshots (writes, a whole-object discard, partial zeroing, growth and a shrink).
 */
@RealCluster
class RbdDiffIT {
    @TempDir
    Path tmp;

    private static Result run(CephCluster c, String... args) {
        Result r = runRc(c, args);
        assertEquals(0, r.rc(), r.err());
        return r;
    }

    private static void await(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The image (or snapshot) as the stock tool exports it. */
    private byte[] stockExport(CephCluster c, String spec) throws Exception {
        Path p = tmp.resolve("export-" + spec.replace('/', '_').replace('@', '_') + "-" + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, p.toString());
        return Files.readAllBytes(p);
    }

    /** Builds src with snapshots s1..s3 and a changed HEAD; returns the end points, oldest first. */
    private static void build(CephCluster c, String pool, String name) throws Exception {
        try (RadosClient rados = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
                RbdImage img = RbdImage.open(rados.ioCtx(pool), name, false)) {
            await(img.writeAsync(0, random((3 << 19) + 77, 1))); // objects 0 and 1 (1 MiB objects)
            await(img.writeAsync(5 << 20, random(4096, 2)));
            img.snapCreate("s1");
            await(img.writeAsync((3 << 20) + 100, random(5000, 3)));
            await(img.discardAsync(0, 1 << 20)); // object 0 goes
            await(img.writeZeroesAsync((1 << 20) + 4096, 8192)); // zeroes inside object 1
            await(img.writeAsync((5 << 20) + 4096, new byte[8192])); // data that reads as zeroes
            img.snapCreate("s2");
            img.resize(30 << 20);
            await(img.writeAsync(25 << 20, random(100_000, 4)));
            await(img.writeAsync((7 << 20) - 10, random(20, 5))); // straddles objects 6 and 7
            img.snapCreate("s3");
            img.resize(12 << 20);
            await(img.writeAsync((11 << 20) + 5, random(70_000, 6)));
            await(img.writeAsync(0, random(10, 7)));
        }
    }

    /** A pool of this class's own, so its images do not slow the pool-wide commands of other tests sharing the cluster. */
    private static String ownPool(CephCluster c) {
        String pool = "rbdx-diff";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        return pool;
    }

    @Test
    void exportDiffIsByteIdenticalAndChainsBothWays(CephCluster c) throws Exception {
        ExecutorService side = Executors.newFixedThreadPool(2);
        try {
            exportDiffIsByteIdenticalAndChainsBothWays(c, side);
        } finally {
            side.shutdownNow();
        }
    }

    private void exportDiffIsByteIdenticalAndChainsBothWays(CephCluster c, ExecutorService side) throws Exception {
        String pool = ownPool(c);
        for (String features : List.of("layering,exclusive-lock,object-map,fast-diff,deep-flatten", "layering")) {
            String tag = features.equals("layering") ? "plain" : "fd";
            String src = pool + "/src-" + tag;
            c.rbdOrThrow("create", "--size", "20M", "--object-size", "1M", "--image-feature", features, src);
            build(c, pool, "src-" + tag);

            // the chain: (none -> s1), (s1 -> s2), (s2 -> s3), (s3 -> HEAD); and whole-object forms
            List<String[]> steps = List.of(new String[] {null, src + "@s1"}, new String[] {"s1", src + "@s2"},
                    new String[] {"s2", src + "@s3"}, new String[] {"s3", src}, new String[] {"s1", src + "@s3"});
            List<Path> ours = new ArrayList<>();
            List<Path> theirs = new ArrayList<>();
            for (boolean whole : new boolean[] {false, true}) {
                for (int i = 0; i < steps.size(); i++) {
                    String[] st = steps.get(i);
                    Path o = tmp.resolve(tag + "-ours-" + i + (whole ? "-w" : ""));
                    Path t = tmp.resolve(tag + "-theirs-" + i + (whole ? "-w" : ""));
                    List<String> args = new ArrayList<>(List.of("export-diff"));
                    if (st[0] != null) {
                        args.addAll(List.of("--from-snap", st[0]));
                    }
                    if (whole) {
                        args.add("--whole-object");
                    }
                    args.add(st[1]);
                    List<String> oa = new ArrayList<>(args);
                    oa.add(o.toString());
                    List<String> ta = new ArrayList<>(args);
                    ta.add(t.toString());
                    // both read the same snapshots only: the stock run goes beside ours
                    Future<CommandResult> stock = side.submit(() -> c.rbd(ta.toArray(String[]::new)));
                    Result r = run(c, oa.toArray(String[]::new));
                    assertTrue(r.err().endsWith("\rExporting image: 100% complete...done.\n"), r.err());
                    CommandResult cr = stock.get(5, TimeUnit.MINUTES);
                    assertEquals(0, cr.exitCode(), cr.stderr());
                    assertTrue(cr.stderr().endsWith("\rExporting image: 100% complete...done.\n"), cr.stderr());
                    assertArrayEquals(Files.readAllBytes(t), Files.readAllBytes(o),
                            tag + " export-diff " + String.join(" ", args) + " differs from the stock tool's");
                    if (!whole) {
                        ours.add(o);
                        theirs.add(t);
                    }
                }
            }
            // the chain exercises every record kind: data, zeroes, the snapshots and the sizes
            org.jceph.rbd.DiffStream.Parsed d2;
            try (InputStream in = Files.newInputStream(ours.get(1))) {
                d2 = org.jceph.rbd.DiffStream.parse(in);
            }
            assertEquals("s1", d2.fromSnap());
            assertEquals("s2", d2.toSnap());
            assertEquals(20 << 20, d2.size());
            assertTrue(d2.records().stream().anyMatch(x -> x.data() == null && x.offset() == 0), "object 0 zeroed");
            assertTrue(d2.records().stream().anyMatch(x -> x.data() != null), "data records");
            try (InputStream in = Files.newInputStream(ours.get(3))) {
                assertEquals(12 << 20, org.jceph.rbd.DiffStream.parse(in).size());
            }
            // to stdout: the same stream
            Result piped = run(c, "export-diff", "--no-progress", "--from-snap", "s1", src + "@s2", "-");
            assertArrayEquals(Files.readAllBytes(ours.get(1)), piped.bytes());
            assertEquals("", piped.err());

            // chains: the stock tool applies ours, we apply theirs; each step compared with the source
            String[] ends = {"@s1", "@s2", "@s3", ""};
            c.rbdOrThrow("create", "--size", "1M", "--object-size", "1M", "--image-feature", features,
                    pool + "/by-stock-" + tag);
            c.rbdOrThrow("create", "--size", "1M", "--object-size", "1M", "--image-feature", features,
                    pool + "/by-jceph-" + tag);
            for (int i = 0; i < 4; i++) {
                // two different target images: the stock import goes beside ours, the three exports together
                String ourDiff = ours.get(i).toString();
                Future<String> stockImport = side.submit(() -> c.rbdOrThrow("import-diff", "--no-progress", ourDiff,
                        pool + "/by-stock-" + tag));
                Result r = run(c, "import-diff", theirs.get(i).toString(), pool + "/by-jceph-" + tag);
                assertTrue(r.err().endsWith("\rImporting image diff: 100% complete...done.\n"), r.err());
                stockImport.get(5, TimeUnit.MINUTES);
                String end = ends[i];
                Future<byte[]> byStock = side.submit(() -> stockExport(c, pool + "/by-stock-" + tag + end));
                Future<byte[]> byJceph = side.submit(() -> stockExport(c, pool + "/by-jceph-" + tag + end));
                byte[] want = stockExport(c, src + ends[i]);
                assertArrayEquals(want, byStock.get(5, TimeUnit.MINUTES), "stock import of ours, step " + i);
                assertArrayEquals(want, byJceph.get(5, TimeUnit.MINUTES), "our import of theirs, step " + i);
            }
            // the end snapshots exist on both targets, as import-diff creates them
            for (String t : List.of("by-stock-", "by-jceph-")) {
                String snaps = c.rbdOrThrow("snap", "ls", pool + "/" + t + tag);
                assertTrue(snaps.contains(" s1 ") && snaps.contains(" s2 ") && snaps.contains(" s3 "), snaps);
            }

            // refusals as the stock tool makes them: the start snapshot missing, the end one present
            Result missing = runRc(c, "import-diff", "--no-progress", theirs.get(2).toString(), src);
            assertEquals(17, missing.rc(), missing.err()); // src already has s3
            assertTrue(missing.err().contains("end snapshot 's3' already exists, aborting"), missing.err());
            c.rbdOrThrow("create", "--size", "1M", pool + "/empty-" + tag);
            Result nostart = runRc(c, "import-diff", "--no-progress", theirs.get(1).toString(), pool + "/empty-" + tag);
            assertEquals(22, nostart.rc(), nostart.err());
            assertTrue(nostart.err().contains("start snapshot 's1' does not exist in the image, aborting"), nostart.err());

            // from stdin
            c.rbdOrThrow("create", "--size", "1M", "--object-size", "1M", pool + "/stdin-" + tag);
            InputStream saved = System.in;
            try {
                System.setIn(new ByteArrayInputStream(Files.readAllBytes(theirs.get(0))));
                run(c, "import-diff", "-", pool + "/stdin-" + tag);
            } finally {
                System.setIn(saved);
            }
            assertArrayEquals(stockExport(c, src + "@s1"), stockExport(c, pool + "/stdin-" + tag + "@s1"));

            // merge-diff: ours of (s1->s2)+(s2->s3)+(s3->HEAD) applied by the stock tool after (->s1)
            Path m23 = tmp.resolve(tag + "-m23");
            Path m234 = tmp.resolve(tag + "-m234");
            run(c, "merge-diff", ours.get(1).toString(), ours.get(2).toString(), m23.toString());
            run(c, "merge-diff", m23.toString(), ours.get(3).toString(), m234.toString());
            Path sm23 = tmp.resolve(tag + "-stock-m23");
            c.rbdOrThrow("merge-diff", "--no-progress", theirs.get(1).toString(), theirs.get(2).toString(), sm23.toString());
            assertArrayEquals(Files.readAllBytes(sm23), Files.readAllBytes(m23), "merge-diff differs from the stock tool's");
            c.rbdOrThrow("create", "--size", "1M", "--object-size", "1M", pool + "/merged-" + tag);
            c.rbdOrThrow("import-diff", "--no-progress", ours.get(0).toString(), pool + "/merged-" + tag);
            c.rbdOrThrow("import-diff", "--no-progress", m234.toString(), pool + "/merged-" + tag);
            assertArrayEquals(stockExport(c, src), stockExport(c, pool + "/merged-" + tag));
        }
    }

    @Test
    void exportFormat2CarriesSnapshotsBothWays(CephCluster c) throws Exception {
        String pool = ownPool(c);
        for (String layout : List.of("plain", "striped")) {
            String name = "v2src-" + layout;
            List<String> create = new ArrayList<>(List.of("create", "--size", "20M", "--object-size", "1M"));
            if (layout.equals("striped")) {
                create.addAll(List.of("--stripe-unit", "64K", "--stripe-count", "4"));
            }
            create.add(pool + "/" + name);
            c.rbdOrThrow(create.toArray(String[]::new));
            build(c, pool, name);
            c.rbdOrThrow("snap", "protect", pool + "/" + name + "@s2");
            c.rbdOrThrow("image-meta", "set", pool + "/" + name, "owner", "jceph");
            c.rbdOrThrow("image-meta", "set", pool + "/" + name, "conf_rbd_cache", "false");

            Path ours = tmp.resolve(layout + "-v2-ours");
            Path theirs = tmp.resolve(layout + "-v2-theirs");
            Result r = run(c, "export", "--export-format", "2", pool + "/" + name, ours.toString());
            assertTrue(r.err().endsWith("\rExporting image: 100% complete...done.\n"), r.err());
            c.rbdOrThrow("export", "--no-progress", "--export-format", "2", pool + "/" + name, theirs.toString());
            assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), layout + ": export v2 differs");
            assertArrayEquals(Files.readAllBytes(ours),
                    run(c, "export", "--no-progress", "--export-format", "2", pool + "/" + name, "-").bytes());

            c.rbdOrThrow("import", "--no-progress", "--export-format", "2", ours.toString(), pool + "/" + name + "-by-stock");
            Result ri = run(c, "import", "--export-format", "2", theirs.toString(), pool + "/" + name + "-by-jceph");
            assertTrue(ri.err().endsWith("\rImporting image: 100% complete...done.\n"), ri.err());
            String wantInfo = c.rbdOrThrow("info", pool + "/" + name);
            String wantMeta = c.rbdOrThrow("image-meta", "list", pool + "/" + name);
            for (String t : List.of("-by-stock", "-by-jceph")) {
                String copy = pool + "/" + name + t;
                for (String at : List.of("@s1", "@s2", "@s3", "")) {
                    assertArrayEquals(stockExport(c, pool + "/" + name + at), stockExport(c, copy + at), copy + at);
                }
                String snaps = c.rbdOrThrow("snap", "ls", "--format", "json", copy);
                assertTrue(snaps.contains("\"name\":\"s2\",\"size\":20971520,\"protected\":\"true\""), snaps);
                assertTrue(snaps.contains("\"name\":\"s1\",\"size\":20971520,\"protected\":\"false\""), snaps);
                assertEquals(wantMeta, c.rbdOrThrow("image-meta", "list", copy));
                String info = c.rbdOrThrow("info", copy);
                for (String line : wantInfo.lines().toList()) {
                    if (line.startsWith("rbd image ")) {
                        continue;
                    }
                    if (line.contains("order") || line.contains("features") || line.contains("stripe")
                            || line.contains("snapshot_count")) {
                        assertTrue(info.contains(line.strip()), copy + " lacks '" + line + "':\n" + info);
                    }
                }
            }
        }
    }
}
