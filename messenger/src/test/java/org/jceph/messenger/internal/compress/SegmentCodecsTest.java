package org.jceph.messenger.internal.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The four segment codecs on their own: round trips, Ceph's framing details (zlib's variation
 * byte, zstd's length prefix, lz4's block table and dependent blocks), and hostile input, which
 * must end in CorruptSegmentException and never in a large allocation. Byte compatibility with
 * Ceph's own output is checked on captured frames in CompressedCaptureTest.
 */
class SegmentCodecsTest {
    static final CompressionAlgorithm[] ALL = {CompressionAlgorithm.SNAPPY, CompressionAlgorithm.ZLIB,
        CompressionAlgorithm.ZSTD, CompressionAlgorithm.LZ4};

    static byte[] sample(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 97 < 60 ? 'a' + (i / 7) % 26 : r.nextInt()); // part text, part noise
        }
        return b;
    }

    @Test
    void roundTripsEverySizeWithEveryCodec() throws Exception {
        for (CompressionAlgorithm a : ALL) {
            SegmentCodec c = SegmentCodec.of(a);
            assertEquals(a, c.algorithm());
            for (int n : new int[] {1, 41, 1000, 65_536, 1 << 20}) {
                byte[] in = sample(n, n);
                byte[] packed = c.compress(Unpooled.wrappedBuffer(in));
                assertArrayEquals(in, c.decompress(Unpooled.wrappedBuffer(packed), n), a + " " + n);
                if (n >= 65_536) {
                    assertTrue(packed.length < n, a + " did not compress " + n + " bytes of mostly text");
                }
            }
        }
    }

    @Property(tries = 200)
    void roundTripsArbitraryBytes(@ForAll @Size(min = 1, max = 5000) byte[] in) throws Exception {
        for (CompressionAlgorithm a : ALL) {
            SegmentCodec c = SegmentCodec.of(a);
            assertArrayEquals(in, c.decompress(Unpooled.wrappedBuffer(c.compress(Unpooled.wrappedBuffer(in))), in.length));
        }
    }

    @Property(tries = 300)
    void garbageIsCorruptNeverAnotherException(@ForAll @Size(min = 0, max = 300) byte[] junk) {
        for (CompressionAlgorithm a : ALL) {
            try {
                byte[] out = SegmentCodec.of(a).decompress(Unpooled.wrappedBuffer(junk), 1 << 16);
                assertTrue(out.length <= 1 << 16);
            } catch (CorruptSegmentException expected) {
                // the one allowed failure
            }
        }
    }

    @Test
    void framingMatchesCephPlugins() throws Exception {
        byte[] in = "on-wire compression, on-wire compression, on-wire compression".getBytes(StandardCharsets.US_ASCII);
        byte[] z = SegmentCodec.of(CompressionAlgorithm.ZLIB).compress(Unpooled.wrappedBuffer(in));
        assertEquals(0, z[0], "zlib: variation mark 0 first");
        java.util.zip.Inflater raw = new java.util.zip.Inflater(true);
        raw.setInput(java.util.Arrays.copyOfRange(z, 1, z.length));
        byte[] back = new byte[in.length];
        assertEquals(in.length, raw.inflate(back));
        raw.end();
        assertArrayEquals(in, back, "zlib: a raw deflate stream after the mark");

        byte[] zs = SegmentCodec.of(CompressionAlgorithm.ZSTD).compress(Unpooled.wrappedBuffer(in));
        assertEquals(in.length, Unpooled.wrappedBuffer(zs).getIntLE(0), "zstd: u32 original length first");
        assertEquals(0xFD2FB528, Unpooled.wrappedBuffer(zs).getIntLE(4), "zstd: then a zstd frame (magic)");

        byte[] l = SegmentCodec.of(CompressionAlgorithm.LZ4).compress(Unpooled.wrappedBuffer(in));
        assertEquals(1, Unpooled.wrappedBuffer(l).getIntLE(0), "lz4: one block");
        assertEquals(in.length, Unpooled.wrappedBuffer(l).getIntLE(4), "lz4: its original length");
        assertEquals(l.length - 12, Unpooled.wrappedBuffer(l).getIntLE(8), "lz4: its compressed length");

        byte[] s = SegmentCodec.of(CompressionAlgorithm.SNAPPY).compress(Unpooled.wrappedBuffer(in));
        assertEquals(in.length, s[0], "snappy: raw format, varint length first");
    }

    @Test
    void lz4BlocksMayCopyFromTheBlockBefore() throws Exception {
        // block 0: literals "abcdefgh"; block 1: a match of 8 at offset 8 (into block 0), then "Z"
        byte[] b0 = {(byte) 0x80, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
        byte[] b1 = {0x04, 8, 0, 0x10, 'Z'};
        io.netty.buffer.ByteBuf seg = Unpooled.buffer().writeIntLE(2).writeIntLE(8).writeIntLE(b0.length)
                .writeIntLE(9).writeIntLE(b1.length).writeBytes(b0).writeBytes(b1);
        assertArrayEquals("abcdefghabcdefghZ".getBytes(StandardCharsets.US_ASCII),
                SegmentCodec.of(CompressionAlgorithm.LZ4).decompress(seg, 100));
    }

    @Test
    void claimsBeyondTheCapAreRefusedBeforeAllocating() {
        int cap = 1 << 20;
        // snappy: varint length 1 GiB
        byte[] snappy = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, 0};
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> SegmentCodec.of(CompressionAlgorithm.SNAPPY).decompress(Unpooled.wrappedBuffer(snappy), cap));
        assertTrue(e.getMessage().contains("1073741824"), e.getMessage());
        // zstd: length prefix 1 GiB
        assertThrows(CorruptSegmentException.class, () -> SegmentCodec.of(CompressionAlgorithm.ZSTD)
                .decompress(Unpooled.buffer().writeIntLE(1 << 30).writeIntLE(0xFD2FB528).writeZero(8), cap));
        // lz4: one block claiming 1 GiB
        assertThrows(CorruptSegmentException.class, () -> SegmentCodec.of(CompressionAlgorithm.LZ4)
                .decompress(Unpooled.buffer().writeIntLE(1).writeIntLE(1 << 30).writeIntLE(1).writeByte(0), cap));
        // zlib has no length: a 16 MiB run of zeros (a few KiB packed) must stop at the cap
        Deflater d = new Deflater(9, true);
        d.setInput(new byte[16 << 20]);
        d.finish();
        byte[] buf = new byte[1 << 20];
        int n = d.deflate(buf, 1, buf.length - 1);
        d.end();
        byte[] bomb = java.util.Arrays.copyOf(buf, n + 1);
        e = assertThrows(CorruptSegmentException.class,
                () -> SegmentCodec.of(CompressionAlgorithm.ZLIB).decompress(Unpooled.wrappedBuffer(bomb), cap));
        assertTrue(e.getMessage().contains("beyond"), e.getMessage());
    }

    @Test
    void truncatedStreamsAreCorrupt() {
        byte[] in = sample(10_000, 3);
        for (CompressionAlgorithm a : ALL) {
            SegmentCodec c = SegmentCodec.of(a);
            byte[] packed = c.compress(Unpooled.wrappedBuffer(in));
            byte[] cut = java.util.Arrays.copyOf(packed, packed.length / 2);
            assertThrows(CorruptSegmentException.class, () -> c.decompress(Unpooled.wrappedBuffer(cut), in.length), a.cephName);
        }
    }

    @Test
    void settingsFollowCephsRegistry() {
        CompressionSettings s = new CompressionSettings(CompressionMode.FORCE,
                CompressionSettings.parseMethods("zstd, snappy;zstd lz4"), 64, false);
        assertEquals(java.util.List.of(CompressionAlgorithm.ZSTD, CompressionAlgorithm.SNAPPY, CompressionAlgorithm.LZ4),
                s.methods());
        assertTrue(s.wants(4, false), "towards an OSD in crc mode");
        assertTrue(!s.wants(4, true), "secure without ms_compress_secure");
        assertTrue(new CompressionSettings(CompressionMode.FORCE, s.methods(), 64, true).wants(4, true));
        assertTrue(!s.wants(1, false), "never towards a monitor");
        assertEquals(java.util.List.of(), s.methodsFor(1));
        assertTrue(!CompressionSettings.NONE.wants(4, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompressionSettings.parseMethods("snappy,brotli"));
        assertTrue(e.getMessage().contains("brotli"), e.getMessage());
    }
}
