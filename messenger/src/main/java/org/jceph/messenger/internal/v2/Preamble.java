package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import org.jceph.encoding.Crc32c;
import org.jceph.messenger.v2.FrameException;

/**
 * The 32-byte msgr2 preamble (frames_v2.h {@code preamble_block_t}), the same in every mode:
 * <pre>
 *  0  u8  tag
 *  1  u8  num_segments (1..4)
 *  2  4 x { u32 length; u16 alignment }   (24 bytes)
 * 26  u8  flags        (Quincy+: bit 0 = FRAME_EARLY_DATA_COMPRESSED, every non-empty segment compressed)
 * 27  u8  reserved
 * 28  u32 crc32c(seed 0) of bytes 0..27
 * </pre>
 */
record Preamble(int tagCode, int numSegments, int[] lengths, int[] alignments, int flags) {
    static final int SIZE = 32;
    /** frames_v2.h FRAME_EARLY_DATA_COMPRESSED: the segments (as the lengths count them) are compressed. */
    static final int FLAG_COMPRESSED = 0x01;

    static void write(byte[] out, int tag, int[] lengths, int[] alignments) {
        write(out, tag, lengths, alignments, 0);
    }

    static void write(byte[] out, int tag, int[] lengths, int[] alignments, int flags) {
        int num = 1;
        for (int i = lengths.length; i > 0; i--) {
            if (lengths[i - 1] != 0) {
                num = i;
                break;
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) tag).put((byte) num);
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            boolean used = i < num;
            b.putInt(used && i < lengths.length ? lengths[i] : 0);
            b.putShort((short) (used && i < alignments.length ? alignments[i] : 0));
        }
        b.put((byte) flags).put((byte) 0);
        b.putInt(Crc32c.update(0, out, 0, 28));
    }

    /** Parses and validates a preamble; {@code streamOffset} locates it for errors. */
    static Preamble parse(ByteBuf b, int index, long streamOffset, int maxControl, long maxMessage) {
        int crc = b.getIntLE(index + 28);
        int expect = Crc32c.update(0, b, index, 28);
        if (crc != expect) {
            throw new FrameException("preamble", streamOffset + 28, String.format(
                    "preamble crc %08x, computed %08x", crc, expect));
        }
        int tag = b.getUnsignedByte(index);
        Tag t = Tag.of(tag);
        if (t == null) {
            throw new FrameException("preamble", streamOffset, "unknown frame tag " + tag);
        }
        int num = b.getUnsignedByte(index + 1);
        if (num < 1 || num > Frame.MAX_SEGMENTS) {
            throw new FrameException(t + "/preamble", streamOffset + 1, "num_segments " + num);
        }
        int flags = b.getUnsignedByte(index + 26);
        if ((flags & ~FLAG_COMPRESSED) != 0) {
            throw new FrameException(t + "/preamble", streamOffset + 26, String.format("unknown preamble flags 0x%02x", flags));
        }
        int[] lengths = new int[Frame.MAX_SEGMENTS];
        int[] aligns = new int[Frame.MAX_SEGMENTS];
        long total = 0;
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            long len = b.getUnsignedIntLE(index + 2 + 6 * i);
            if (i >= num && len != 0) {
                throw new FrameException(t + "/preamble", streamOffset + 2 + 6 * i,
                        "segment " + i + " has length " + len + " beyond num_segments " + num);
            }
            total += len;
            lengths[i] = (int) Math.min(len, Integer.MAX_VALUE);
            aligns[i] = b.getUnsignedShortLE(index + 6 + 6 * i);
        }
        long cap = t == Tag.MESSAGE ? maxMessage : maxControl;
        if (total > cap || (t != Tag.MESSAGE && num != 1)) {
            throw new FrameException(t + "/preamble", streamOffset + 2, "frame of " + total + " bytes in "
                    + num + " segments exceeds the limit of " + cap + (t != Tag.MESSAGE ? " (control: 1 segment)" : ""));
        }
        return new Preamble(tag, num, lengths, aligns, flags);
    }

    Tag tag() {
        return Tag.of(tagCode);
    }

    boolean compressed() {
        return (flags & FLAG_COMPRESSED) != 0;
    }

    boolean hasTail() {
        return lengths[1] != 0 || lengths[2] != 0 || lengths[3] != 0;
    }
}
