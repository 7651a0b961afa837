package org.jceph.cli.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The bytes {@code rados bench} leaves in the pool, pinned to what Pacific 16.2.15's tool wrote on a
 * live cluster ({@code rados bench 2 write -b 4096 -t 4 --no-cleanup}, then {@code rados get}).
 */
class RadosBenchFormatTest {
    @Test
    void metadataIsTheStockToolsRecord() {
        // benchmark_last_metadata after 3173 objects of 4096 bytes written by pid 5016
        byte[] stock = HexFormat.of().parseHex("0010000000000000" + "650c0000" + "98130000" + "0010000000000000");
        RadosBench.Metadata m = RadosBench.Metadata.decode(stock);
        assertEquals(new RadosBench.Metadata(4096, 3173, 5016, 4096), m);
        assertArrayEquals(stock, m.encode());
        // a writer that left out the op size: it equals the object size
        assertEquals(new RadosBench.Metadata(4096, 3173, 5016, 4096),
                RadosBench.Metadata.decode(Arrays.copyOf(stock, 16)));
        assertThrows(IllegalArgumentException.class, () -> RadosBench.Metadata.decode(new byte[7]));
    }

    @Test
    void contentsAreTheStockToolsText() {
        byte[] o5 = RadosBench.contents(5, 4096);
        byte[] head = "I'm the                5th op!\0zz".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(head, Arrays.copyOf(o5, head.length));
        for (int i = 31; i < 4096; i++) {
            assertEquals('z', o5[i], "byte " + i);
        }
        // snprintf cuts the text to size - 1 and ends it with a NUL
        assertArrayEquals("I'm \0".getBytes(StandardCharsets.US_ASCII), RadosBench.contents(5, 5));
        assertEquals(0, RadosBench.contents(5, 0).length);
    }

    @Test
    void readsAreVerifiedInPlaceByteForByte() {
        byte[] zs = new byte[4096];
        Arrays.fill(zs, (byte) 'z');
        for (long index : new long[] {0, 5, 2031, 1234567890123456L, 12345678901234567L}) {
            assertEquals(String.format("I'm the %16dth op!", index),
                    new String(RadosBench.text(index), StandardCharsets.US_ASCII));
            for (int size : new int[] {0, 1, 5, 30, 31, 32, 4096}) {
                byte[] good = RadosBench.contents(index, size);
                assertTrue(RadosBench.matches(good, index, size, zs), index + "/" + size);
                for (int i = 0; i < size; i++) { // any one byte changed is caught
                    byte[] bad = good.clone();
                    bad[i] ^= 1;
                    assertFalse(RadosBench.matches(bad, index, size, zs), index + "/" + size + " byte " + i);
                }
                assertFalse(RadosBench.matches(Arrays.copyOf(good, size + 1), index, size, zs));
            }
        }
        assertFalse(RadosBench.matches(RadosBench.contents(6, 4096), 5, 4096, zs));
    }

    @Test
    void aReadIntoTheBenchsBufferIsVerifiedByItsCount() {
        byte[] zs = new byte[4096];
        Arrays.fill(zs, (byte) 'z');
        byte[] buf = RadosBench.contents(7, 4096); // the buffer a read filled
        assertTrue(RadosBench.matches(buf, 4096, 7, 4096, zs));
        // a short read leaves the buffer's tail as the last read left it: the count decides
        assertFalse(RadosBench.matches(buf, 4095, 7, 4096, zs));
        assertFalse(RadosBench.matches(buf, 0, 7, 4096, zs));
        assertFalse(RadosBench.matches(buf, 4096, 8, 4096, zs));
    }

    /** A view of {@code b} in pieces cut at {@code cuts}, every other piece direct. */
    private static org.jceph.rados.ReadView pieces(byte[] b, int... cuts) {
        java.util.List<java.nio.ByteBuffer> out = new java.util.ArrayList<>();
        int from = 0;
        int k = 0;
        for (int to : java.util.stream.IntStream.concat(Arrays.stream(cuts), java.util.stream.IntStream.of(b.length)).toArray()) {
            java.nio.ByteBuffer p = k++ % 2 == 0 ? java.nio.ByteBuffer.allocateDirect(to - from)
                    : java.nio.ByteBuffer.allocate(to - from + 3).position(3).slice();
            p.put(b, from, to - from).flip();
            out.add(p);
            from = to;
        }
        return org.jceph.rados.ReadView.of(out.toArray(java.nio.ByteBuffer[]::new));
    }

    @Test
    void aViewIsVerifiedInPlacePieceByPiece() {
        java.nio.ByteBuffer zs = java.nio.ByteBuffer.wrap(filled(4096, (byte) 'z'));
        int size = 100;
        byte[] good = RadosBench.contents(12345, size);
        int[][] cutsets = {{}, {1}, {29, 30, 31}, {5, 60}, {99}};
        for (int[] cuts : cutsets) {
            try (org.jceph.rados.ReadView v = pieces(good, cuts)) {
                assertTrue(RadosBench.matches(v, 12345, size, zs), Arrays.toString(cuts));
                assertFalse(RadosBench.matches(v, 12346, size, zs));
                assertFalse(RadosBench.matches(v, 12345, size + 1, zs), "a short read");
            }
            for (int i = 0; i < size; i++) { // any one byte changed is caught, wherever the pieces are cut
                byte[] bad = good.clone();
                bad[i] ^= 1;
                try (org.jceph.rados.ReadView v = pieces(bad, cuts)) {
                    assertFalse(RadosBench.matches(v, 12345, size, zs), Arrays.toString(cuts) + " byte " + i);
                }
            }
        }
        try (org.jceph.rados.ReadView v = pieces(RadosBench.contents(3, 4096), 1000, 2000)) {
            assertTrue(RadosBench.matches(v, 3, 4096, zs));
        }
        try (org.jceph.rados.ReadView v = org.jceph.rados.ReadView.of()) {
            assertTrue(RadosBench.matches(v, 3, 0, zs));
        }
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    @Test
    void namesAreTheStockToolsNames() {
        assertEquals("benchmark_data_vm_5016_object2031", RadosBench.objectName("vm", 5016, 2031));
        assertEquals(true, RadosBench.hostname().length() <= 29);
    }

    @Test
    void compilerCpuIsReadFromTheCompilerThreads() {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertEquals(-1, org.jceph.cli.BenchWarmUp.compilerCpuNanos());
            return;
        }
        // the JVM compiled something to get here (the test framework alone warms up C1); the
        // compiler threads' CPU is part of the process CPU and at least one tick
        long jit = org.jceph.cli.BenchWarmUp.compilerCpuNanos();
        long all = ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        assertTrue(jit > 0, "compiler CPU " + jit);
        assertTrue(jit <= all + 20_000_000L, "compiler CPU " + jit + " within the process CPU " + all);
    }
}
