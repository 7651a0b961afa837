package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.rados.IoCtx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live migration against Pacific's librbd, both ways: whoever prepares, the other side reads the
 * destination through to the source, writes to it (copy-up), executes, commits or aborts, and
 * {@code rbd export} / our reads agree byte for byte with a model; the stock tool's status, info
 * and trash listing show each state. Images are 4 MiB in 1 MiB objects.
 */
class MigrationIT extends LiveRbdTest {
    private static final int MIB = 1 << 20;
    private static final int SIZE = 4 * MIB;
    private static final ObjectMapper JSON = new ObjectMapper();
    private String pool2;

    @BeforeAll
    void secondPool() {
        pool2 = "mig-other";
        c.cephOrThrow("osd", "pool", "create", pool2, "8");
        c.rbdOrThrow("pool", "init", pool2);
    }

    private IoCtx io2() {
        return client.ioCtx(pool2);
    }

    private static void await(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        f.get(60, TimeUnit.SECONDS);
    }

    /** A 4 MiB image in 1 MiB objects: objects 0 and 2 written (object 2 partly), 1 and 3 holes. */
    private byte[] source(String name) throws Exception {
        RbdImage.create(io(), name, SIZE, 20, RbdFeatures.LIBRBD_DEFAULT);
        byte[] model = new byte[SIZE];
        Random r = new Random(name.hashCode());
        byte[] a = new byte[MIB];
        r.nextBytes(a);
        byte[] b = new byte[300_000];
        r.nextBytes(b);
        try (RbdImage img = RbdImage.open(io(), name, false)) {
            await(img.writeAsync(0, a));
            await(img.writeAsync(2L * MIB + 5000, b));
        }
        System.arraycopy(a, 0, model, 0, a.length);
        System.arraycopy(b, 0, model, 2 * MIB + 5000, b.length);
        return model;
    }

    /** Writes into an object still on the source, across two objects, and discards inside one. */
    private byte[] exercise(RbdImage dst, byte[] model) throws Exception {
        model = model.clone();
        byte[] d = new byte[8192];
        new Random(7).nextBytes(d);
        await(dst.writeAsync(2L * MIB + 4096, d)); // object 2: copy-up, then the write
        System.arraycopy(d, 0, model, 2 * MIB + 4096, d.length);
        await(dst.writeAsync(MIB - 4096, d)); // objects 0 and 1 (1 a hole on the source)
        System.arraycopy(d, 0, model, MIB - 4096, d.length);
        await(dst.discardAsync(100_000, 200_000)); // inside object 0, never copied up yet
        Arrays.fill(model, 100_000, 300_000, (byte) 0);
        assertArrayEquals(model, dst.readAsync(0, SIZE).get(60, TimeUnit.SECONDS), "our read of the destination");
        return model;
    }

    private JsonNode stockStatus(String spec) throws Exception {
        return JSON.readTree(c.rbdOrThrow("status", "--format", "json", spec)).get("migration");
    }

    private List<String> stockTrashAll(String p) throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(c.rbdOrThrow("trash", "ls", "--all", "--format", "json", p)).forEach(n -> names.add(
                n.get("name").asText()));
        return names;
    }

    @Test
    void wePrepareAcrossPoolsWriteAndPacificExecutesAndCommits() throws Exception {
        byte[] model = source("m-ours");
        Migration.prepare(io(), "m-ours", io2(), "m-ours-dst", new ImageCopy.Options()
                .features(RbdFeatures.LAYERING | RbdFeatures.EXCLUSIVE_LOCK | RbdFeatures.OBJECT_MAP));
        JsonNode st = stockStatus(pool2 + "/m-ours-dst");
        assertEquals("prepared", st.get("state").asText());
        assertEquals(pool, st.get("source_pool_name").asText());
        assertEquals("m-ours", st.get("source_image_name").asText());
        assertEquals(pool2, st.get("dest_pool_name").asText());
        assertEquals(List.of("m-ours"), stockTrashAll(pool), "the source waits in the trash");
        assertFalse(c.rbdOrThrow("ls", pool).lines().anyMatch("m-ours"::equals));
        assertTrue(c.rbdOrThrow("info", pool2 + "/m-ours-dst").contains(
                "features: layering, exclusive-lock, object-map, migrating"));
        assertArrayEquals(model, exportOf(pool2 + "/m-ours-dst"), "librbd reads through to the source");

        try (RbdImage dst = RbdImage.open(io2(), "m-ours-dst", false)) {
            assertTrue(dst.parent().isMigrationSource());
            model = exercise(dst, model);
            assertArrayEquals(model, exportOf(pool2 + "/m-ours-dst"), "librbd sees our copy-ups and writes");
            // Pacific executes and commits while we keep the destination open (the lock handed over)
            c.rbdOrThrow("migration", "execute", "--no-progress", pool2 + "/m-ours-dst");
            assertEquals("executed", stockStatus(pool2 + "/m-ours-dst").get("state").asText());
            c.rbdOrThrow("migration", "commit", "--no-progress", pool2 + "/m-ours-dst");
            assertEquals(List.of(), stockTrashAll(pool));
            // taking the lock back refreshes the header: the source is gone, so no more copy-up from it
            byte[] d = new byte[4096];
            Arrays.fill(d, (byte) 9);
            await(dst.writeAsync(3L * MIB + 8192, d)); // object 3: a hole on the source
            System.arraycopy(d, 0, model, 3 * MIB + 8192, d.length);
            assertNull(dst.parent());
            assertArrayEquals(model, dst.readAsync(0, SIZE).get(60, TimeUnit.SECONDS));
        }
        assertArrayEquals(model, exportOf(pool2 + "/m-ours-dst"));
        try (RbdImage dst = RbdImage.open(io2(), "m-ours-dst", true)) {
            assertNull(dst.parent());
            assertArrayEquals(model, dst.readAsync(0, SIZE).get(60, TimeUnit.SECONDS));
        }
        assertEquals(0, c.rbd("object-map", "check", "--no-progress", pool2 + "/m-ours-dst").exitCode());
    }

    @Test
    void pacificPreparesWithANewLayoutAndWeWriteExecuteAndCommit() throws Exception {
        byte[] model = source("m-theirs");
        // a bigger object: Pacific keeps the source's 1 MiB stripe unit (striping, count 1)
        c.rbdOrThrow("migration", "prepare", "--object-size", "2M", pool + "/m-theirs", pool2 + "/m-theirs");
        Migration.Status s = Migration.status(io2(), "m-theirs");
        assertEquals("prepared", s.stateName());
        assertEquals("m-theirs", s.sourceImageName());
        assertEquals(io().poolId(), s.sourcePoolId());
        try (RbdImage dst = RbdImage.open(io2(), "m-theirs", false)) {
            assertEquals(21, dst.order());
            assertArrayEquals(model, dst.readAsync(0, SIZE).get(60, TimeUnit.SECONDS), "we read through");
            model = exercise(dst, model);
        }
        List<long[]> seen = new ArrayList<>();
        Migration.execute(io2(), "m-theirs", (done, total) -> seen.add(new long[] {done, total}));
        assertEquals(2, seen.size(), "one progress report per 2 MiB object");
        assertEquals("executed", stockStatus(pool2 + "/m-theirs").get("state").asText());
        assertArrayEquals(model, exportOf(pool2 + "/m-theirs"));
        Migration.commit(io2(), "m-theirs");
        assertEquals(List.of(), stockTrashAll(pool));
        assertFalse(c.rbdOrThrow("info", pool2 + "/m-theirs").contains("migrating"));
        assertNull(io().statOrNull("rbd_header." + s.sourceImageId()), "the source is gone");
        assertArrayEquals(model, exportOf(pool2 + "/m-theirs"));
        assertEquals(0, c.rbd("object-map", "check", "--no-progress", pool2 + "/m-theirs").exitCode());
    }

    @Test
    void abortsBothWaysKeepTheDestinationsWritesInTheRestoredSource() throws Exception {
        // ours, same pool and name; Pacific aborts, copying the destination's HEAD back first
        byte[] one = source("m-abort1");
        Migration.prepare(io(), "m-abort1", io(), "m-abort1", null);
        try (RbdImage dst = RbdImage.open(io(), "m-abort1", false)) {
            one = exercise(dst, one);
        }
        c.rbdOrThrow("migration", "abort", "--no-progress", pool + "/m-abort1");
        assertEquals(List.of(), stockTrashAll(pool));
        assertArrayEquals(one, exportOf(pool + "/m-abort1"), "the source, with what was written meanwhile");
        assertFalse(c.rbdOrThrow("info", pool + "/m-abort1").contains("migrating"));

        // Pacific's, across pools; we write to the destination and abort
        byte[] two = source("m-abort2");
        c.rbdOrThrow("migration", "prepare", pool + "/m-abort2", pool2 + "/m-abort2");
        String dstId;
        try (RbdImage dst = RbdImage.open(io2(), "m-abort2", false)) {
            two = exercise(dst, two);
            dstId = dst.id();
        }
        List<long[]> seen = new ArrayList<>();
        Migration.abort(io2(), "m-abort2", (done, total) -> seen.add(new long[] {done, total}));
        // two steps, as librbd's: 4 objects copied back (0..50%), then 4 removed (50..100%)
        assertTrue(seen.stream().anyMatch(r -> r[0] == 4 && r[1] == 8), "the revert step completes at 50%");
        assertTrue(seen.get(seen.size() - 1)[0] > 4, "the removal step follows");
        assertFalse(c.rbdOrThrow("ls", pool2).lines().anyMatch("m-abort2"::equals));
        assertNull(io2().statOrNull("rbd_header." + dstId), "the destination is gone");
        assertEquals(List.of(), stockTrashAll(pool));
        assertArrayEquals(two, exportOf(pool + "/m-abort2"), "the source, with our writes");
        assertFalse(c.rbdOrThrow("info", pool + "/m-abort2").contains("migrating"));
        assertEquals(0, c.rbd("object-map", "check", "--no-progress", pool + "/m-abort2").exitCode());
    }

    @Test
    void clonesMigrateWithTheirParentBothWays() throws Exception {
        byte[] parent = source("m-parent");
        c.rbdOrThrow("snap", "create", pool + "/m-parent@s");
        c.rbdOrThrow("snap", "protect", pool + "/m-parent@s");
        c.rbdOrThrow("clone", pool + "/m-parent@s", pool + "/m-child1");
        c.rbdOrThrow("clone", pool + "/m-parent@s", pool + "/m-child2");
        byte[] one;
        byte[] two;
        try (RbdImage a = RbdImage.open(io(), "m-child1", false); RbdImage b = RbdImage.open(io(), "m-child2", false)) {
            one = exercise(a, parent);
            two = exercise(b, parent);
        }
        // ours: the destination is a clone of the same parent snapshot, reading through the source first
        Migration.prepare(io(), "m-child1", io2(), "m-child1", null);
        assertTrue(c.rbdOrThrow("info", pool2 + "/m-child1").contains("parent: " + pool + "/m-parent@s"));
        assertArrayEquals(one, exportOf(pool2 + "/m-child1"));
        c.rbdOrThrow("migration", "execute", "--no-progress", pool2 + "/m-child1");
        c.rbdOrThrow("migration", "commit", "--no-progress", pool2 + "/m-child1");
        assertArrayEquals(one, exportOf(pool2 + "/m-child1"));
        // Pacific's: we read through the source to its parent, execute and commit
        c.rbdOrThrow("migration", "prepare", pool + "/m-child2", pool2 + "/m-child2");
        try (RbdImage dst = RbdImage.open(io2(), "m-child2", true)) {
            assertArrayEquals(two, dst.readAsync(0, SIZE).get(60, TimeUnit.SECONDS));
        }
        Migration.execute(io2(), "m-child2");
        Migration.commit(io2(), "m-child2");
        assertArrayEquals(two, exportOf(pool2 + "/m-child2"));
        String children = c.rbdOrThrow("children", pool + "/m-parent@s");
        assertEquals(List.of(pool2 + "/m-child1", pool2 + "/m-child2"),
                children.lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList());
    }

    // ---- deep copy-up: writes to a destination whose source has snapshots (issue 18) ----------

    /**
     * A 4 MiB source of 1 MiB objects with snapshots s1 and s2 holding different data: object 0
     * written at s1 and changed before s2; object 1 a hole at s1, written before s2; object 2
     * written at s1 and removed before s2 (absent at s2 and HEAD); object 3 written at s1 only
     * (the same at s2 and HEAD). HEAD changes object 1 again. Returns the model of "@s1", "@s2"
     * and "" (HEAD).
     */
    private java.util.Map<String, byte[]> snapshottedSource(String name) throws Exception {
        RbdImage.create(io(), name, SIZE, 20, RbdFeatures.LIBRBD_DEFAULT);
        java.util.Map<String, byte[]> want = new java.util.LinkedHashMap<>();
        Random r = new Random(name.hashCode());
        byte[] model = new byte[SIZE];
        try (RbdImage img = RbdImage.open(io(), name, false)) {
            byte[] a = new byte[MIB];
            r.nextBytes(a);
            await(img.writeAsync(0, a));
            byte[] b = new byte[200_000];
            r.nextBytes(b);
            await(img.writeAsync(2L * MIB + 1000, b));
            byte[] d = new byte[MIB - 500];
            r.nextBytes(d);
            await(img.writeAsync(3L * MIB, d));
            System.arraycopy(a, 0, model, 0, a.length);
            System.arraycopy(b, 0, model, 2 * MIB + 1000, b.length);
            System.arraycopy(d, 0, model, 3 * MIB, d.length);
            img.snapCreate("s1");
            want.put("@s1", model.clone());
            byte[] e = new byte[70_000];
            r.nextBytes(e);
            await(img.writeAsync(500_000, e));
            System.arraycopy(e, 0, model, 500_000, e.length);
            byte[] f = new byte[300_000];
            r.nextBytes(f);
            await(img.writeAsync(MIB + 20_000, f));
            System.arraycopy(f, 0, model, MIB + 20_000, f.length);
            await(img.discardAsync(2L * MIB, MIB));
            Arrays.fill(model, 2 * MIB, 3 * MIB, (byte) 0);
            img.snapCreate("s2");
            want.put("@s2", model.clone());
            byte[] g = new byte[5000];
            r.nextBytes(g);
            await(img.writeAsync(MIB + 600_000, g));
            System.arraycopy(g, 0, model, MIB + 600_000, g.length);
            want.put("", model.clone());
        }
        for (java.util.Map.Entry<String, byte[]> w : want.entrySet()) {
            assertArrayEquals(w.getValue(), exportOf(pool + "/" + name + w.getKey()), "the source" + w.getKey());
        }
        return want;
    }

    /** Every snapshot and HEAD of {@code spec} as librbd exports it, and its object maps valid. */
    private void snapshotsAndMapsAre(String spec, java.util.Map<String, byte[]> want) throws Exception {
        for (java.util.Map.Entry<String, byte[]> w : want.entrySet()) {
            assertArrayEquals(w.getValue(), exportOf(spec + w.getKey()), "librbd's export of " + spec + w.getKey());
            c.rbdOrThrow("object-map", "check", "--no-progress", spec + w.getKey());
            String info = c.rbdOrThrow("info", spec + w.getKey());
            assertFalse(info.contains("invalid"), spec + w.getKey() + ": " + info);
        }
    }

    @Test
    void pacificPreparesASourceWithSnapshotsAndOurWritesDeepCopyUp() throws Exception {
        java.util.Map<String, byte[]> want = snapshottedSource("m-deep");
        c.rbdOrThrow("migration", "prepare", pool + "/m-deep", pool2 + "/m-deep");
        byte[] head = want.get("").clone();
        Random r = new Random(99);
        try (RbdImage dst = RbdImage.open(io2(), "m-deep", false)) {
            assertTrue(dst.parent().isMigrationSource());
            assertNull(io2().statOrNull(dst.object(0)), "librbd's prepare copies nothing");
            // object 0 as a deep copy cut short after its first stage leaves it: s1's bytes
            // written under an empty snap context, marked as being copied
            IoCtx half = dst.dataIo().duplicate();
            half.setSelfManagedSnapWriteContext(new org.jceph.encoding.types.SnapContext(0, List.of()));
            half.operate(dst.object(0), new IoCtx.Operation().writeFull(Arrays.copyOf(want.get("@s1"), MIB))
                    .setXattr(MigrationObjectCopier.COPYING, new byte[] {1}));
            byte[] d = new byte[6000];
            r.nextBytes(d);
            await(dst.writeAsync(300_000, d)); // object 0: the copy finished first, then the write
            System.arraycopy(d, 0, head, 300_000, d.length);
            byte[] e = new byte[4096];
            r.nextBytes(e);
            await(dst.writeAsync(310_000, e)); // object 0 again: the copy reached it already
            System.arraycopy(e, 0, head, 310_000, e.length);
            byte[] f = new byte[3000];
            r.nextBytes(f);
            await(dst.writeAsync(2L * MIB + 7000, f)); // object 2: absent at the source's s2 and HEAD
            System.arraycopy(f, 0, head, 2 * MIB + 7000, f.length);
            // two writes racing to object 3: one deep copy-up, both writes kept
            byte[] g1 = new byte[4096];
            byte[] g2 = new byte[4096];
            r.nextBytes(g1);
            r.nextBytes(g2);
            java.util.concurrent.CompletableFuture<Void> w1 = dst.writeAsync(3L * MIB + 8192, g1);
            java.util.concurrent.CompletableFuture<Void> w2 = dst.writeAsync(3L * MIB + 65536, g2);
            await(w1);
            await(w2);
            System.arraycopy(g1, 0, head, 3 * MIB + 8192, g1.length);
            System.arraycopy(g2, 0, head, 3 * MIB + 65536, g2.length);
            await(dst.discardAsync(MIB + 10_000, 50_000)); // object 1: absent, discarded in part
            Arrays.fill(head, MIB + 10_000, MIB + 60_000, (byte) 0);
            assertArrayEquals(head, dst.readAsync(0, SIZE).get(60, TimeUnit.SECONDS), "our read of HEAD");
            for (int n = 0; n < 4; n++) {
                if (io2().statOrNull(dst.object(n)) != null) {
                    assertFalse(io2().getXattrs(dst.object(n)).containsKey(MigrationObjectCopier.COPYING),
                            "no deep copy left marked in object " + n);
                }
            }
            for (String s : List.of("s1", "s2")) {
                try (RbdImage at = dst.atSnapshot(s)) {
                    assertArrayEquals(want.get("@" + s), at.readAsync(0, SIZE).get(60, TimeUnit.SECONDS),
                            "our read of @" + s);
                }
            }
        }
        want.put("", head);
        for (java.util.Map.Entry<String, byte[]> w : want.entrySet()) {
            assertArrayEquals(w.getValue(), exportOf(pool2 + "/m-deep" + w.getKey()),
                    "librbd reads the deep-copied objects at" + w.getKey());
        }
        c.rbdOrThrow("migration", "execute", "--no-progress", pool2 + "/m-deep");
        c.rbdOrThrow("migration", "commit", "--no-progress", pool2 + "/m-deep");
        assertEquals(List.of(), stockTrashAll(pool));
        snapshotsAndMapsAre(pool2 + "/m-deep", want);
    }

    @Test
    void wePrepareASourceWithSnapshotsLibrbdWritesAndWeExecute() throws Exception {
        java.util.Map<String, byte[]> want = snapshottedSource("m-deep2");
        Migration.prepare(io(), "m-deep2", io2(), "m-deep2", null);
        // qemu's librbd driver writes known bytes into the destination while it migrates
        byte[] head = want.get("").clone();
        String spec = "rbd:" + pool2 + "/m-deep2:conf=" + c.confPath();
        long[][] writes = {{2L * MIB + 4096, 8192, 0x5a}, {3L * MIB + 512, 4096, 0x3c}, {MIB - 4096, 8192, 0x77}};
        List<String> args = new ArrayList<>(List.of("-f", "raw"));
        for (long[] w : writes) {
            args.addAll(List.of("-c", "write -P " + w[2] + " " + w[0] + " " + w[1]));
            Arrays.fill(head, (int) w[0], (int) (w[0] + w[1]), (byte) w[2]);
        }
        args.add(spec);
        var res = c.tool(java.time.Duration.ofSeconds(120), "qemu-io", args.toArray(String[]::new));
        assertEquals(0, res.exitCode(), res.toString());
        assertArrayEquals(head, exportOf(pool2 + "/m-deep2"), "librbd's writes");
        Migration.execute(io2(), "m-deep2");
        Migration.commit(io2(), "m-deep2");
        assertEquals(List.of(), stockTrashAll(pool));
        want.put("", head);
        snapshotsAndMapsAre(pool2 + "/m-deep2", want);
    }

    @Test
    void refusals() throws Exception {
        source("m-plain");
        assertEquals(-22, assertThrows(RbdException.class, () -> Migration.execute(io(), "m-plain")).errno());
        assertEquals(-22, assertThrows(RbdException.class, () -> Migration.status(io(), "m-plain")).errno());
        c.rbdOrThrow("migration", "prepare", pool + "/m-plain", pool + "/m-plain2");
        assertEquals(-22, assertThrows(RbdException.class, () -> Migration.commit(io(), "m-plain2")).errno(),
                "commit before execute");
        String srcId = Migration.status(io(), "m-plain2").sourceImageId();
        assertEquals(-30, assertThrows(RbdException.class, () -> RbdImage.openById(io(), srcId,
                OpenOptions.readWrite())).errno(), "the source opens read-only only");
        try (RbdImage src = RbdImage.openById(io(), srcId, OpenOptions.readOnlyHead())) {
            assertEquals(SIZE, src.size());
        }
        assertEquals(-16, assertThrows(RbdException.class, () -> RbdImage.remove(io(), "m-plain2")).errno());
        Migration.abort(io(), "m-plain2");
        assertEquals(-95, assertThrows(RbdException.class, () -> Migration.prepareImport(
                "{\"type\":\"qcow\",\"stream\":{\"type\":\"file\",\"file_path\":\"/x\"}}", io(), "m-p3", null))
                .errno(), "qcow import sources are not supported");
        assertEquals(-2, assertThrows(RbdException.class, () -> Migration.prepareImport(
                "{\"type\":\"raw\",\"stream\":{\"type\":\"file\",\"file_path\":\"/nonexistent/x.raw\"}}", io(),
                "m-p3", null)).errno(), "a raw file that is not there");
        assertEquals(-22, assertThrows(RbdException.class, () -> Migration.prepareImport("{\"type\":\"native\"",
                io(), "m-p3", null)).errno(), "malformed JSON");
        assertEquals(-22, assertThrows(RbdException.class, () -> Migration.prepareImport(
                "{\"type\":\"native\",\"image_name\":\"m-plain\"}", io(), "m-p3", null)).errno(), "no pool");
        assertEquals(-2, assertThrows(RbdException.class, () -> Migration.prepareImport(
                "{\"type\":\"native\",\"pool_name\":\"no-such-pool\",\"image_name\":\"m-plain\"}", io(), "m-p3",
                null)).errno(), "no such pool");
        assertTrue(c.rbdOrThrow("ls", pool).lines().anyMatch("m-plain"::equals), "the source is untouched");
        assertTrue(c.rbdOrThrow("ls", pool).lines().noneMatch("m-p3"::equals), "a refused prepare creates nothing");
    }

    private byte[] exportOf(String spec) throws Exception {
        java.nio.file.Path out = tmp.resolve("export-" + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, out.toString());
        byte[] bytes = java.nio.file.Files.readAllBytes(out);
        java.nio.file.Files.delete(out);
        return bytes;
    }
}
