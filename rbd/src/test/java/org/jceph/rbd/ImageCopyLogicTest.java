package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jceph.rbd.layout.StripingLayout;
import org.junit.jupiter.api.Test;

/** The pure parts of copy, sparsify and compare-and-write: block runs, librbd's limits, the class input. */
class ImageCopyLogicTest {
    private static String show(List<long[]> runs) {
        StringBuilder b = new StringBuilder();
        for (long[] r : runs) {
            b.append(r[0]).append('+').append(r[1]).append(r[2] == 0 ? "z" : "d").append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void runsSkipZeroBlocksForANewImage() {
        byte[] s = new byte[16];
        s[1] = 1; // block 0 (0..4)
        s[13] = 7; // block 3 (12..16)
        assertEquals("100+4d 112+4d", show(ImageCopy.runs(100, s, null, 4)));
        // blocks follow image offsets, not the buffer: base 2 makes the first block 2 bytes long
        assertEquals("2+2d 12+4d", show(ImageCopy.runs(2, s, null, 4)));
        s[5] = 3;
        assertEquals("0+8d 12+4d", show(ImageCopy.runs(0, s, null, 4)), "adjacent data blocks merge");
    }

    @Test
    void runsAgainstADestinationWriteOnlyWhatDiffers() {
        byte[] s = new byte[12];
        byte[] d = new byte[12];
        d[0] = 9; // block 0 must become zeros
        s[5] = 1; // block 1 data
        d[5] = 1; // ... already there
        s[9] = 2; // block 2 differs
        assertEquals("0+4z 8+4d", show(ImageCopy.runs(0, s, d, 4)));
        assertEquals("", show(ImageCopy.runs(0, d, d, 4)));
    }

    @Test
    void compareAndWriteStaysInOneSectorAndStripeUnit() {
        StripingLayout plain = StripingLayout.ofOrder(22);
        assertTrue(ImageWriteOps.compareAndWriteFits(plain, 0, 512));
        assertTrue(ImageWriteOps.compareAndWriteFits(plain, 1000, 24));
        assertFalse(ImageWriteOps.compareAndWriteFits(plain, 1000, 25), "crosses the sector at 1024");
        assertFalse(ImageWriteOps.compareAndWriteFits(plain, 0, 513));
        StripingLayout striped = new StripingLayout(1 << 22, 512, 4);
        assertTrue(ImageWriteOps.compareAndWriteFits(striped, 512, 512));
        assertFalse(ImageWriteOps.compareAndWriteFits(striped, 511, 2));
    }

    @Test
    void sparsifyInputAndSparseSizeRules() {
        assertArrayEquals(new byte[] {0, 0x10, 0, 0, 0, 0, 0, 0, 1}, Sparsify.input(4096, true));
        assertArrayEquals(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 0}, Sparsify.input(65536, false));
        Sparsify.checkSparseSize(4096, 1 << 22);
        Sparsify.checkSparseSize(1 << 22, 1 << 22);
        assertEquals(-22, assertThrows(RbdException.class, () -> Sparsify.checkSparseSize(2048, 1 << 22)).errno());
        assertThrows(RbdException.class, () -> Sparsify.checkSparseSize(6144, 1 << 22));
        assertThrows(RbdException.class, () -> Sparsify.checkSparseSize(1 << 23, 1 << 22));
    }

    @Test
    void zeroPatternsAreRecognised() {
        assertTrue(ImageWriteOps.allZero(new byte[7]));
        assertFalse(ImageWriteOps.allZero(new byte[] {0, 0, 1}));
    }
}
