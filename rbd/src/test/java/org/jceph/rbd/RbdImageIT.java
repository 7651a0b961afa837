package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.jceph.fixtures.cluster.CrossRelease;

/** Format 2 images between jceph and librbd (the rbd CLI) on the live cluster, both directions. */
@CrossRelease
class RbdImageIT extends LiveRbdTest {
    /** Random writes through jceph; the model is checked against librbd's export and our reads. */
    private void exercise(RbdImage img, String name, long seed) throws Exception {
        byte[] model = img.readAsync(0, (int) img.size()).get(); // start from what is there
        Random r = new Random(seed);
        for (int i = 0; i < 20; i++) {
            int len = 1 + r.nextInt(700_000);
            int off = r.nextInt(model.length - len);
            byte[] data = new byte[len];
            r.nextBytes(data);
            img.writeAsync(off, data).get();
            System.arraycopy(data, 0, model, off, len);
        }
        int dOff = model.length / 5;
        int dLen = model.length / 3 + 4321;
        img.discardAsync(dOff, dLen).get();
        Arrays.fill(model, dOff, dOff + dLen, (byte) 0);
        assertArrayEquals(model, export(name), "librbd exports what jceph wrote");
        assertArrayEquals(model, img.readAsync(0, model.length).get(), "jceph reads back what it wrote");
        readsIntoBuffers(img, model, seed);
        readViews(img, model, seed, img.layout().stripeCount() == 1);
    }

    /** The i-th range of a read check: the fixed ones first, then random ones of up to 3 MiB within {@code size}. */
    private static int[] range(int[][] fixed, int i, Random r, int size) {
        if (i < fixed.length) {
            return fixed[i];
        }
        int len = 1 + r.nextInt(Math.min(size, 3 << 20));
        return new int[] {r.nextInt(size - len + 1), len};
    }

    /**
     * Issue 16: views of the image (readViewAsync: the objects' received buffers handed over)
     * hold the model's bytes: the whole image, ranges across object boundaries, holes, discarded
     * ranges and the part past a short object as zeros. With {@code zeroCopy} a view spanning
     * several objects must come in several pieces (the objects' replies, not one copied array).
     */
    static void readViews(Image img, byte[] model, long seed, boolean zeroCopy) throws Exception {
        Random r = new Random(seed ^ 0x7e3);
        int size = model.length;
        long objectSize = 1L << img.order();
        int[][] ranges = {{0, size}, {(int) objectSize - 5000, 10_000}, {size - 4096, 4096}, {size / 5 + 10, 3 * 4096}};
        for (int i = 0; i < 16; i++) {
            int[] rg = range(ranges, i, r, size);
            int off = rg[0];
            int len = rg[1];
            try (org.jceph.rados.ReadView v = img.readViewAsync(off, len).get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                assertEquals(len, v.length());
                byte[] got = new byte[len];
                int at = 0;
                java.nio.ByteBuffer[] pieces = v.nioBuffers();
                for (java.nio.ByteBuffer b : pieces) {
                    int n = b.remaining();
                    b.get(got, at, n);
                    at += n;
                }
                assertEquals(len, at);
                assertArrayEquals(Arrays.copyOfRange(model, off, off + len), got, "view " + off + "+" + len);
                if (zeroCopy && off / objectSize != (off + len - 1) / objectSize) {
                    assertTrue(pieces.length > 1, "a view across objects is their replies' buffers: " + v);
                }
            }
        }
    }

    /**
     * Reads into callers' buffers (heap at a position, direct) land exactly the model's bytes:
     * holes, discarded ranges and the part past a short object as zeros over a buffer full of
     * garbage, the bytes around the range untouched, the position moved past it.
     */
    static void readsIntoBuffers(RbdImage img, byte[] model, long seed) throws Exception {
        Random r = new Random(seed ^ 0x5eed);
        int size = model.length;
        int[][] ranges = {{0, size}, {size / 5 - 1000, 9000}, {size / 5 + 10, 3 * 4096}, {size - 4096, 4096}};
        for (int i = 0; i < 24; i++) {
            int[] rg = range(ranges, i, r, size);
            int off = rg[0];
            int len = rg[1];
            int pad = 1 + r.nextInt(100);
            java.nio.ByteBuffer buf = (i % 2 == 0) ? java.nio.ByteBuffer.allocate(len + 2 * pad)
                    : java.nio.ByteBuffer.allocateDirect(len + 2 * pad);
            for (int k = 0; k < buf.capacity(); k++) {
                buf.put(k, (byte) 0x5a); // garbage where zeros must land
            }
            buf.position(pad).limit(pad + len);
            assertEquals(len, img.readAsync(off, buf).get(), "bytes read at " + off + "+" + len);
            assertEquals(pad + len, buf.position(), "position moved past the bytes");
            buf.clear(); // the whole buffer, to look around the range too
            byte[] got = new byte[len];
            buf.get(pad, got);
            assertArrayEquals(Arrays.copyOfRange(model, off, off + len), got,
                    (buf.isDirect() ? "direct" : "heap") + " read " + off + "+" + len);
            assertEquals((byte) 0x5a, buf.get(pad - 1), "byte before the range untouched");
            assertEquals((byte) 0x5a, buf.get(pad + len), "byte after the range untouched");
        }
    }

    @Test
    void anImageLibrbdCreatedIsWrittenByUsAndExportedByLibrbd() throws Exception {
        c.rbdOrThrow("create", "--size", "16M", "--image-feature", "layering", pool + "/theirs");
        try (RbdImage img = RbdImage.open(io(), "theirs", false)) {
            assertEquals(16L << 20, img.size());
            assertEquals(22, img.order());
            exercise(img, "theirs", 1);
        }
    }

    @Test
    void anImageWeCreatedIsListedDescribedAndExportedByLibrbd() throws Exception {
        RbdImage.create(io(), "ours", 24L << 20, 20, RbdFeatures.LAYERING);
        assertTrue(c.rbdOrThrow("ls", pool).lines().anyMatch("ours"::equals));
        String info = c.rbdOrThrow("info", "--format", "json", pool + "/ours");
        assertTrue(info.contains("\"size\":25165824"), info);
        assertTrue(info.contains("\"order\":20"), info);
        assertTrue(info.contains("\"features\":[\"layering\"]"), info);
        assertTrue(info.contains("\"format\":2"), info);
        try (RbdImage img = RbdImage.open(io(), "ours", false)) {
            exercise(img, "ours", 2);
        }
        assertThrows(RbdException.class, () -> RbdImage.create(io(), "ours", 1 << 20, 22, RbdFeatures.LAYERING));
    }

    @Test
    void stripedImagesMapLikeLibrbdInBothDirections() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(3).nextBytes(data);
        Path raw = tmp.resolve("striped.raw");
        Files.write(raw, data);
        c.rbdOrThrow("import", "--image-feature", "layering,striping", "--object-size", "1M", "--stripe-unit", "64K",
                "--stripe-count", "4", raw.toString(), pool + "/striped2");
        try (RbdImage img = RbdImage.open(io(), "striped2", false)) {
            assertEquals(4, img.layout().stripeCount());
            assertArrayEquals(data, img.readAsync(0, data.length).get());
            exercise(img, "striped2", 4);
        }
    }

    @Test
    void defaultFeatureImagesAreWrittenByUsWithLockAndObjectMapKept() throws Exception {
        byte[] data = new byte[5 << 20];
        new Random(9).nextBytes(data);
        Path raw = tmp.resolve("default.raw");
        Files.write(raw, data);
        c.rbdOrThrow("import", raw.toString(), pool + "/defaults");
        try (RbdImage img = RbdImage.open(io(), "defaults", false)) {
            assertArrayEquals(data, img.readAsync(0, data.length).get());
            exercise(img, "defaults", 10);
            assertTrue(img.holdsExclusiveLock());
        }
        var check = c.rbd("object-map", "check", pool + "/defaults");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        String info = c.rbdOrThrow("info", pool + "/defaults");
        assertTrue(!info.contains("invalid"), info);
    }

    @Test
    void journalingIsRefusedByName() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering,exclusive-lock,journaling", pool + "/journaled");
        RbdException.UnsupportedFeaturesException e = assertThrows(RbdException.UnsupportedFeaturesException.class,
                () -> RbdImage.open(io(), "journaled", false));
        assertTrue(e.getMessage().contains("journaling") && !e.getMessage().contains("exclusive-lock"), e.getMessage());
        // Nor read: the journal may hold writes the data objects do not have yet (krbd refuses it too).
        e = assertThrows(RbdException.UnsupportedFeaturesException.class, () -> RbdImage.open(io(), "journaled", true));
        assertTrue(e.getMessage().contains("journaling"), e.getMessage());
    }

    @Test
    void unknownImagesAreTypedErrors() {
        RbdException e = assertThrows(RbdException.class, () -> RbdImage.open(io(), "no-such-image", true));
        assertTrue(e.getMessage().contains("no image no-such-image"), e.getMessage());
    }

    @Test
    void resizeRenameListAndRemoveAsLibrbdSeesThem() throws Exception {
        RbdImage.create(io(), "life", 12L << 20, 22, RbdFeatures.LAYERING);
        byte[] data = new byte[12 << 20];
        new Random(21).nextBytes(data);
        try (RbdImage img = RbdImage.open(io(), "life", false)) {
            img.writeAsync(0, data).get();
            img.resize((5L << 20) + 1000); // cuts object 1 at 1 MiB + 1000 and removes object 2
            assertTrue(c.rbdOrThrow("info", "--format", "json", pool + "/life").contains("\"size\":5243880"));
            byte[] shrunk = export("life");
            assertArrayEquals(Arrays.copyOf(data, (5 << 20) + 1000), shrunk);
            img.resize(9L << 20);
            byte[] grown = export("life");
            byte[] want = new byte[9 << 20];
            System.arraycopy(data, 0, want, 0, (5 << 20) + 1000);
            assertArrayEquals(want, grown, "growing shows zeros past the old end, not the old data");
        }
        assertTrue(RbdImage.list(io()).containsKey("life"));
        RbdImage.rename(io(), "life", "life2");
        assertTrue(c.rbdOrThrow("ls", pool).lines().anyMatch("life2"::equals));
        assertTrue(c.rbdOrThrow("ls", pool).lines().noneMatch("life"::equals));
        String id = RbdImage.list(io()).get("life2");
        RbdImage.remove(io(), "life2");
        assertTrue(c.rbdOrThrow("ls", pool).lines().noneMatch("life2"::equals));
        assertTrue(c.radosOrThrow("-p", pool, "ls").lines().noneMatch(o -> o.contains(id)), "no object of the image is left");
    }

    @Test
    void snapshotsWeTakeAreListedAndExportedByLibrbdAndTheirsByUs() throws Exception {
        RbdImage.create(io(), "snappy", 8L << 20, 22, RbdFeatures.LAYERING);
        byte[] a = new byte[8 << 20];
        new Random(41).nextBytes(a);
        byte[] b2 = new byte[3 << 20];
        new Random(42).nextBytes(b2);
        try (RbdImage img = RbdImage.open(io(), "snappy", false)) {
            img.writeAsync(0, a).get();
            RbdImage.Snapshot s1 = img.snapCreate("s1");
            assertTrue(s1.id() > 0);
            img.writeAsync(2 << 20, b2).get();
            assertTrue(c.rbdOrThrow("snap", "ls", pool + "/snappy").contains("s1"));
            Path snapExport = tmp.resolve("s1.export");
            c.rbdOrThrow("export", pool + "/snappy@s1", snapExport.toString());
            assertArrayEquals(a, Files.readAllBytes(snapExport), "librbd reads the snapshot as it was");
            try (RbdImage old = img.atSnapshot("s1")) {
                assertArrayEquals(a, old.readAsync(0, a.length).get(), "so do we");
            }
            byte[] head = a.clone();
            System.arraycopy(b2, 0, head, 2 << 20, b2.length);
            assertArrayEquals(head, export("snappy"));
        }
        c.rbdOrThrow("snap", "create", pool + "/snappy@theirs");
        try (RbdImage img = RbdImage.open(io(), "snappy", false)) {
            assertEquals(java.util.List.of("s1", "theirs"),
                    img.snapshots().stream().map(RbdImage.Snapshot::name).toList());
            img.snapRemove("s1");
            assertTrue(c.rbdOrThrow("snap", "ls", pool + "/snappy").lines().noneMatch(l -> l.contains(" s1 ")));
        }
    }

    @Test
    void protectUnprotectAndRollbackAsLibrbdSeesThem() throws Exception {
        RbdImage.create(io(), "rolly", 8L << 20, 22, RbdFeatures.LAYERING);
        byte[] a = new byte[6 << 20];
        new Random(51).nextBytes(a);
        try (RbdImage img = RbdImage.open(io(), "rolly", false)) {
            img.writeAsync(0, a).get();
            img.snapCreate("base");
            img.snapProtect("base");
            assertTrue(c.rbdOrThrow("info", pool + "/rolly@base").contains("protected: True"));
            assertThrows(RbdException.class, () -> img.snapRemove("base"), "a protected snapshot stays");
            img.snapUnprotect("base");
            assertTrue(c.rbdOrThrow("info", pool + "/rolly@base").contains("protected: False"));

            byte[] junk = new byte[7 << 20];
            new Random(52).nextBytes(junk);
            img.writeAsync(1 << 20, junk).get();
            img.resize(12L << 20);
            img.snapRollback("base");
            byte[] want = new byte[8 << 20];
            System.arraycopy(a, 0, want, 0, a.length);
            assertArrayEquals(want, export("rolly"), "librbd sees the image as it was at the snapshot");
            assertEquals(8L << 20, img.size());
        }
    }
}
