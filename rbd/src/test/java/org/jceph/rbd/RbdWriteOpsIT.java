package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.jceph.fixtures.cluster.CrossRelease;
import org.junit.jupiter.api.Test;

/**
 * writesame and compare-and-write (the OSD's WRITESAME and CMPEXT under librbd's rules) on
 * plain, object-map, striped and clone images, read back by the stock tool.
 */
@CrossRelease
class RbdWriteOpsIT extends LiveRbdTest {
    private static final int MIB = 1 << 20;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void fillPattern(byte[] model, int off, int len, byte[] pattern) {
        for (int i = 0; i < len; i++) {
            model[off + i] = pattern[i % pattern.length];
        }
    }

    @Test
    void writeSameRepeatsThePatternAcrossObjectsAndStripes() throws Exception {
        int size = 8 * MIB;
        c.rbdOrThrow("create", "--size", "8M", "--object-size", "1M", "--image-feature",
                "layering,exclusive-lock,object-map,fast-diff", pool + "/ws-om");
        c.rbdOrThrow("create", "--size", "8M", "--object-size", "1M", "--stripe-unit", "64K", "--stripe-count", "3",
                pool + "/ws-striped");
        for (String name : new String[] {"ws-om", "ws-striped"}) {
            byte[] model = new byte[size];
            try (RbdImage img = RbdImage.open(io(), name, false)) {
                byte[] p = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
                img.writeSame(MIB - 1200, 2 * MIB + 2392, p); // crosses objects (and stripe units)
                fillPattern(model, MIB - 1200, 2 * MIB + 2392, p);
                byte[] p512 = random(512, 1);
                img.writeSame(5 * MIB, 512 * 300, p512);
                fillPattern(model, 5 * MIB, 512 * 300, p512);
                // a zero pattern is a write-zeroes
                img.writeSame(MIB, 4096 * 4, new byte[4096]);
                Arrays.fill(model, MIB, MIB + 4096 * 4, (byte) 0);
                assertArrayEquals(model, img.read(0, size), name + ": our read");
                RbdException bad = assertThrows(RbdException.class, () -> img.writeSame(0, 1000, new byte[3]));
                assertEquals(-22, bad.errno());
                assertThrows(RbdException.class, () -> img.writeSame(0, 10, new byte[0]));
                assertThrows(RbdException.class, () -> img.writeSame(size - 8, 16, new byte[8]));
            }
            assertArrayEquals(model, export(name), name + ": the stock tool reads what writesame wrote");
            if (name.equals("ws-om")) {
                c.rbdOrThrow("object-map", "check", pool + "/" + name);
            }
        }
    }

    @Test
    void compareAndWriteWritesOnlyOnAMatch() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", "--object-size", "1M", "--image-feature",
                "layering,exclusive-lock,object-map,fast-diff", pool + "/caw");
        byte[] model = new byte[4 * MIB];
        try (RbdImage img = RbdImage.open(io(), "caw", false)) {
            byte[] base = random(MIB, 2);
            img.write(MIB, base);
            System.arraycopy(base, 0, model, MIB, MIB);
            // a match: written
            int off = MIB + 1024 + 100;
            byte[] cmp = Arrays.copyOfRange(base, 1024 + 100, 1024 + 400);
            byte[] data = random(300, 3);
            img.compareAndWrite(off, cmp, data);
            System.arraycopy(data, 0, model, off, 300);
            // a mismatch at byte 37 of the range: nothing written, the offset reported
            byte[] stale = data.clone();
            stale[37] ^= 0x5a;
            byte[] other = random(300, 4);
            CompareMismatchException m = assertThrows(CompareMismatchException.class,
                    () -> img.compareAndWrite(off, stale, other));
            assertEquals(off + 37, m.mismatchOffset());
            assertEquals(-84, m.errno());
            // an object never written reads (and compares) as zeros
            img.compareAndWrite(3 * MIB + 512, new byte[512], random(512, 5));
            System.arraycopy(random(512, 5), 0, model, 3 * MIB + 512, 512);
            CompareMismatchException z = assertThrows(CompareMismatchException.class,
                    () -> img.compareAndWrite(3 * MIB + 1024, random(16, 6), new byte[16]));
            assertEquals(3 * MIB + 1024, z.mismatchOffset());
            // librbd's limits: one 512-byte sector, equal lengths
            assertEquals(-22, assertThrows(RbdException.class,
                    () -> img.compareAndWrite(MIB + 500, new byte[20], new byte[20])).errno());
            assertEquals(-22, assertThrows(RbdException.class,
                    () -> img.compareAndWrite(MIB, new byte[20], new byte[10])).errno());
            assertArrayEquals(model, img.read(0, model.length));
        }
        assertArrayEquals(model, export("caw"), "the stock tool reads what compare-and-write wrote");
        c.rbdOrThrow("object-map", "check", pool + "/caw");
    }

    @Test
    void compareAndWriteOnACloneComparesTheParentsBytes() throws Exception {
        RbdImage.create(io(), "caw-parent", 2 * MIB, 20, RbdFeatures.LAYERING);
        byte[] parent = random(2 * MIB, 7);
        try (RbdImage img = RbdImage.open(io(), "caw-parent", false)) {
            img.write(0, parent);
            img.snapCreate("s");
        }
        RbdImage.clone(io(), "caw-parent", "s", io(), "caw-child", RbdFeatures.LAYERING, RbdImage.CloneFormat.V2);
        byte[] model = parent.clone();
        try (RbdImage child = RbdImage.open(io(), "caw-child", false)) {
            byte[] data = random(256, 8);
            child.compareAndWrite(MIB + 256, Arrays.copyOfRange(parent, MIB + 256, MIB + 512), data);
            System.arraycopy(data, 0, model, MIB + 256, 256);
            assertThrows(CompareMismatchException.class, () -> child.compareAndWrite(0, new byte[64], new byte[64]));
            child.writeSame(4096, 8192, new byte[] {9, 8, 7, 6});
            fillPattern(model, 4096, 8192, new byte[] {9, 8, 7, 6});
            assertArrayEquals(model, child.read(0, model.length));
        }
        assertArrayEquals(model, export("caw-child"), "the copy-up kept the parent's other bytes");
    }
}
