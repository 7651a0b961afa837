package org.jceph.messenger.internal.compress;

import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The four codecs, byte-compatible with Ceph's compressor plugins (checked against segments
 * captured from Reef 18.2.7 OSD-to-OSD connections, see the fixtures README):
 * <ul>
 * <li>snappy: the raw snappy block format (varint original length, then elements), nothing else;
 * <li>zlib: one "variation" byte (0 = zlib, 1 = Intel ISA-L; both write the same stream) and a raw
 *     deflate stream (window bits -15, no zlib header or adler32); level 5, Ceph's
 *     compressor_zlib_level default;
 * <li>zstd: u32 LE original length, then one zstd frame;
 * <li>lz4: u32 LE block count, count x (u32 LE original length, u32 LE compressed length), then
 *     the raw LZ4 blocks back to back. Ceph compresses one block per buffer of its bufferlist with
 *     a streaming context, so a block may copy from the blocks before it: they are decoded into one
 *     output array. We write a single block.
 * </ul>
 * The snappy, zstd and lz4 encoders are aircompressor's pure-Java ones (no native code is ever
 * loaded); zlib is java.util.zip; the lz4 decoder is ours (aircompressor's cannot reach back into
 * an earlier block).
 */
final class SegmentCodecs {
    private SegmentCodecs() {
    }

    static final SegmentCodec SNAPPY = new Snappy();
    static final SegmentCodec ZLIB = new Zlib();
    static final SegmentCodec ZSTD = new Zstd();
    static final SegmentCodec LZ4 = new Lz4();

    private static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b, b.readerIndex(), b.readableBytes(), false);
    }

    private static CorruptSegmentException tooLarge(String what, long claimed, int max) {
        return new CorruptSegmentException(what + " segment claims " + claimed + " bytes, more than the "
                + max + " allowed");
    }

    private static final class Snappy implements SegmentCodec {
        @Override
        public CompressionAlgorithm algorithm() {
            return CompressionAlgorithm.SNAPPY;
        }

        @Override
        public byte[] compress(ByteBuf src) {
            byte[] in = bytes(src);
            SnappyCompressor c = new SnappyCompressor();
            byte[] out = new byte[c.maxCompressedLength(in.length)];
            int n = c.compress(in, 0, in.length, out, 0, out.length);
            return Arrays.copyOf(out, n);
        }

        @Override
        public byte[] decompress(ByteBuf src, int maxLength) throws CorruptSegmentException {
            byte[] in = bytes(src);
            try {
                int len = SnappyDecompressor.getUncompressedLength(in, 0);
                if (len < 0 || len > maxLength) {
                    throw tooLarge("snappy", len & 0xFFFFFFFFL, maxLength);
                }
                byte[] out = new byte[len];
                int n = new SnappyDecompressor().decompress(in, 0, in.length, out, 0, len);
                if (n != len) {
                    throw new CorruptSegmentException("snappy segment inflates to " + n + " bytes, its header says " + len);
                }
                return out;
            } catch (RuntimeException e) { // MalformedInputException among others
                // aircompressor reports hostile input with assorted runtime exceptions: all mean corrupt
                throw new CorruptSegmentException("corrupt snappy segment: " + e.getMessage(), e);
            }
        }
    }

    private static final class Zlib implements SegmentCodec {
        /** Ceph's compressor_zlib_level default. */
        private static final int LEVEL = 5;

        @Override
        public CompressionAlgorithm algorithm() {
            return CompressionAlgorithm.ZLIB;
        }

        @Override
        public byte[] compress(ByteBuf src) {
            Deflater d = new Deflater(LEVEL, true);
            try {
                d.setInput(src.nioBuffer(src.readerIndex(), src.readableBytes()));
                d.finish();
                byte[] out = new byte[1 + src.readableBytes() + src.readableBytes() / 1000 + 64];
                out[0] = 0; // variation mark: zlib
                int n = 1;
                while (!d.finished()) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    n += d.deflate(out, n, out.length - n);
                }
                return Arrays.copyOf(out, n);
            } finally {
                d.end();
            }
        }

        @Override
        public byte[] decompress(ByteBuf src, int maxLength) throws CorruptSegmentException {
            if (src.readableBytes() < 2) {
                throw new CorruptSegmentException("zlib segment of " + src.readableBytes() + " bytes");
            }
            int mark = src.getUnsignedByte(src.readerIndex());
            if (mark > 1) {
                throw new CorruptSegmentException("zlib segment starts with variation mark " + mark + " (0 or 1 expected)");
            }
            Inflater inf = new Inflater(true);
            try {
                byte[] in = new byte[src.readableBytes()]; // the mark's place holds the dummy byte raw inflate may want
                src.getBytes(src.readerIndex() + 1, in, 0, in.length - 1);
                inf.setInput(in);
                byte[] out = new byte[Math.min(maxLength, Math.max(64, in.length * 4))];
                int n = 0;
                while (!inf.finished()) {
                    if (n == out.length) {
                        if (out.length >= maxLength) {
                            throw new CorruptSegmentException("zlib segment inflates beyond the " + maxLength + " bytes allowed");
                        }
                        out = Arrays.copyOf(out, (int) Math.min(maxLength, out.length * 2L));
                    }
                    int got = inf.inflate(out, n, out.length - n);
                    n += got;
                    if (got == 0 && (inf.needsInput() || inf.needsDictionary()) && !inf.finished()) {
                        throw new CorruptSegmentException("zlib segment ends before its deflate stream does");
                    }
                }
                return n == out.length ? out : Arrays.copyOf(out, n);
            } catch (DataFormatException e) {
                throw new CorruptSegmentException("corrupt zlib segment: " + e.getMessage(), e);
            } finally {
                inf.end();
            }
        }
    }

    private static final class Zstd implements SegmentCodec {
        @Override
        public CompressionAlgorithm algorithm() {
            return CompressionAlgorithm.ZSTD;
        }

        @Override
        public byte[] compress(ByteBuf src) {
            byte[] in = bytes(src);
            ZstdCompressor c = new ZstdCompressor();
            byte[] out = new byte[4 + c.maxCompressedLength(in.length)];
            putIntLE(out, 0, in.length);
            int n = c.compress(in, 0, in.length, out, 4, out.length - 4);
            return Arrays.copyOf(out, 4 + n);
        }

        @Override
        public byte[] decompress(ByteBuf src, int maxLength) throws CorruptSegmentException {
            if (src.readableBytes() < 4) {
                throw new CorruptSegmentException("zstd segment of " + src.readableBytes() + " bytes");
            }
            long len = src.getUnsignedIntLE(src.readerIndex());
            if (len > maxLength) {
                throw tooLarge("zstd", len, maxLength);
            }
            byte[] in = ByteBufUtil.getBytes(src, src.readerIndex() + 4, src.readableBytes() - 4, false);
            byte[] out = new byte[(int) len];
            try {
                int n = new ZstdDecompressor().decompress(in, 0, in.length, out, 0, out.length);
                if (n != len) {
                    throw new CorruptSegmentException("zstd segment inflates to " + n + " bytes, its header says " + len);
                }
                return out;
            } catch (RuntimeException e) { // MalformedInputException among others
                throw new CorruptSegmentException("corrupt zstd segment: " + e.getMessage(), e);
            }
        }
    }

    private static final class Lz4 implements SegmentCodec {
        @Override
        public CompressionAlgorithm algorithm() {
            return CompressionAlgorithm.LZ4;
        }

        @Override
        public byte[] compress(ByteBuf src) {
            byte[] in = bytes(src);
            Lz4Compressor c = new Lz4Compressor();
            byte[] out = new byte[12 + c.maxCompressedLength(in.length)];
            int n = c.compress(in, 0, in.length, out, 12, out.length - 12);
            putIntLE(out, 0, 1);
            putIntLE(out, 4, in.length);
            putIntLE(out, 8, n);
            return Arrays.copyOf(out, 12 + n);
        }

        @Override
        public byte[] decompress(ByteBuf src, int maxLength) throws CorruptSegmentException {
            int r = src.readerIndex();
            int avail = src.readableBytes();
            if (avail < 4) {
                throw new CorruptSegmentException("lz4 segment of " + avail + " bytes");
            }
            long count = src.getUnsignedIntLE(r);
            if (count > (avail - 4) / 8) {
                throw new CorruptSegmentException("lz4 segment claims " + count + " blocks in " + avail + " bytes");
            }
            long total = 0;
            long packed = 0;
            for (int i = 0; i < count; i++) {
                total += src.getUnsignedIntLE(r + 4 + 8 * i);
                packed += src.getUnsignedIntLE(r + 8 + 8 * i);
            }
            if (total > maxLength) {
                throw tooLarge("lz4", total, maxLength);
            }
            int pos = 4 + 8 * (int) count;
            if (packed != avail - pos) {
                throw new CorruptSegmentException("lz4 segment: blocks of " + packed + " bytes in " + (avail - pos));
            }
            byte[] in = ByteBufUtil.getBytes(src, r, avail, false);
            byte[] out = new byte[(int) total];
            int op = 0;
            for (int i = 0; i < count; i++) {
                int orig = (int) src.getUnsignedIntLE(r + 4 + 8 * i);
                int comp = (int) src.getUnsignedIntLE(r + 8 + 8 * i);
                int got = Lz4Block.decode(in, pos, comp, out, op, op + orig);
                if (got != orig) {
                    throw new CorruptSegmentException("lz4 block " + i + " inflates to " + got + " bytes, its header says " + orig);
                }
                pos += comp;
                op += orig;
            }
            return out;
        }
    }

    private static void putIntLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
