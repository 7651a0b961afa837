package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.rbd.format1.Format1Header;
import org.jceph.rbd.format1.Format1Image;
import org.junit.jupiter.api.Test;

/**
 * Format 1 images, which current librbd opens but can no longer create: we create them (packed
 * header, tmap directory entry), and librbd (the rbd CLI, qemu-io through qemu's driver) lists,
 * reads, writes, snapshots and removes them, and the reverse.
 */
@CrossRelease
class Format1ImageIT extends LiveRbdTest {
    private static final int MIB = 1 << 20;
    @Test
    void librbdSeesWhatWeCreateAndWrite() throws Exception {
        String name = "f1-ours";
        long size = 10L * MIB + 4096;
        Format1Image.create(io(), name, size, 20);
        assertTrue(Format1Image.list(io()).contains(name));
        assertTrue(Arrays.asList(c.rbdOrThrow("ls", pool).split("\n")).contains(name), "rbd ls lists it");
        String info = c.rbdOrThrow("info", pool + "/" + name);
        assertTrue(info.contains("format: 1"), info);
        assertTrue(info.contains("size 10 MiB in 11 objects"), info);
        assertTrue(info.contains("order 20 (1 MiB objects)"), info);

        byte[] model = new byte[(int) size];
        Random r = new Random(3);
        try (Format1Image img = Format1Image.open(io(), name, false)) {
            String prefix = img.blockName();
            assertTrue(info.contains("block_name_prefix: " + prefix), info);
            img.writeAsync(0, new byte[] {7}).get(30, TimeUnit.SECONDS);
            model[0] = 7;
            for (int i = 0; i < 15; i++) {
                byte[] d = new byte[1 + r.nextInt(2 * MIB)];
                r.nextBytes(d);
                int off = r.nextInt(model.length - d.length);
                img.writeAsync(off, d).get(30, TimeUnit.SECONDS);
                System.arraycopy(d, 0, model, off, d.length);
            }
            img.discardAsync(3L * MIB, 2L * MIB + 100).get(30, TimeUnit.SECONDS);
            Arrays.fill(model, 3 * MIB, 5 * MIB + 100, (byte) 0);
            assertArrayEquals(model, img.readAsync(0, model.length).get(30, TimeUnit.SECONDS));
            assertTrue(io().statOrNull(String.format("%s.%012x", prefix, 0)) != null, "data objects named %012x");
        }
        assertArrayEquals(model, export(name), "librbd exports what we wrote");

        // snapshots: ours seen by librbd, librbd's seen by us
        try (Format1Image img = Format1Image.open(io(), name, false)) {
            img.snapCreate("mine");
            byte[] after = new byte[MIB];
            Arrays.fill(after, (byte) 0x5a);
            img.writeAsync(0, after).get(30, TimeUnit.SECONDS);
            assertTrue(c.rbdOrThrow("snap", "ls", pool + "/" + name).contains("mine"));
            assertArrayEquals(model, export(name + "@mine"), "librbd reads our snapshot");
            assertArrayEquals(model, img.atSnapshot("mine").readAsync(0, model.length).get(30, TimeUnit.SECONDS));
            System.arraycopy(after, 0, model, 0, MIB);
        }
        c.rbdOrThrow("snap", "create", pool + "/" + name + "@theirs");
        try (Format1Image img = Format1Image.open(io(), name, false)) {
            List<String> snaps = img.snapshots().stream().map(Format1Header.Snap::name).toList();
            assertTrue(snaps.containsAll(List.of("mine", "theirs")), snaps.toString());
            assertArrayEquals(model, img.atSnapshot("theirs").readAsync(0, model.length).get(30, TimeUnit.SECONDS));
            // rollback to ours, then remove both snapshots
            img.snapRollback("mine");
        }
        byte[] atMine = export(name + "@mine");
        assertArrayEquals(atMine, export(name), "after rollback the head is the snapshot");
        try (Format1Image img = Format1Image.open(io(), name, false)) {
            img.snapRemove("mine");
            img.snapRemove("theirs");
            assertTrue(img.snapshots().isEmpty());
            img.resize(4L * MIB);
        }
        assertTrue(c.rbdOrThrow("info", pool + "/" + name).contains("size 4 MiB in 4 objects"));
        assertArrayEquals(Arrays.copyOf(atMine, 4 * MIB), export(name));

        Format1Image.remove(io(), name);
        assertFalse(Format1Image.list(io()).contains(name));
        assertFalse(Arrays.asList(c.rbdOrThrow("ls", pool).split("\n")).contains(name));
        assertFalse(Format1Image.exists(io(), name));
    }

    @Test
    void weReadWhatLibrbdWritesIntoOurImageAndLibrbdRemovesIt() throws Exception {
        String name = "f1-theirs";
        Format1Image.create(io(), name, 8L * MIB, 22);
        // qemu-io through qemu's librbd driver writes a pattern
        Process p = new ProcessBuilder(c.toolCommand("qemu-io", "-f", "raw", "-c", "write -P 0xab 1M 3M",
                "rbd:" + pool + "/" + name + ":conf=" + c.confPath())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "qemu-io finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        try (Format1Image img = Format1Image.open(io(), name, true)) {
            byte[] all = img.readAsync(0, 8 * MIB).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < all.length; i++) {
                assertEquals(i >= MIB && i < 4 * MIB ? (byte) 0xab : 0, all[i], "byte " + i);
            }
            assertThrows(RbdException.class, () -> img.writeAsync(0, new byte[1]));
        }
        c.rbdOrThrow("rm", pool + "/" + name);
        assertFalse(Format1Image.exists(io(), name));
        assertFalse(Format1Image.list(io()).contains(name));
    }

    @Test
    void createRefusesAnExistingName() {
        Format1Image.create(io(), "f1-dup", MIB, 22);
        assertThrows(RbdException.class, () -> Format1Image.create(io(), "f1-dup", MIB, 22));
        Format1Image.remove(io(), "f1-dup");
    }
}
