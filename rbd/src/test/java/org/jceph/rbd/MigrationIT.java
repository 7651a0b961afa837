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
