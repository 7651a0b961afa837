package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.messenger.v2.FrameException;

/**
 * The 32-byte msgr2 preamble (frames_v2.h {@code preamble_block_t}), the same in every mode, read
 * and written through its one declaration, {@link CephStructs#MSGR2_PREAMBLE}: u8 tag, u8
 * num_segments (1..4), four {le32 length, le16 alignment} descriptors, u8 flags (Quincy+: bit 0 =
 * FRAME_EARLY_DATA_COMPRESSED, every non-empty segment compressed), a reserved byte, and le32
 * crc32c (seed 0) of everything before it.
 */
record Preamble(int tagCode, int numSegments, int[] lengths, int[] alignments, int flags) {
    static final PackedLayout LAYOUT = CephStructs.MSGR2_PREAMBLE;
    static final int SIZE = LAYOUT.size();
    private static final PackedField TAG = LAYOUT.field("tag");
    private static final PackedField NUM = LAYOUT.field("num_segments");
    private static final PackedField FLAGS = LAYOUT.field("flags");
    private static final PackedField CRC = LAYOUT.field("crc");
    /** Bytes covered by the crc: all before it. */
    static final int CRC_COVERS = CRC.offset();
    private static final PackedField[] LENGTH = new PackedField[Frame.MAX_SEGMENTS];
    private static final PackedField[] ALIGN = new PackedField[Frame.MAX_SEGMENTS];

    static {
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            LENGTH[i] = LAYOUT.at("segments[" + i + "].length");
            ALIGN[i] = LAYOUT.at("segments[" + i + "].alignment");
        }
    }

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
        ByteBuf b = Unpooled.wrappedBuffer(out);
        b.setZero(0, SIZE); // the reserved byte and unused descriptors
        TAG.setLong(b, 0, tag);
        NUM.setLong(b, 0, num);
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            boolean used = i < num;
            LENGTH[i].setLong(b, 0, used && i < lengths.length ? lengths[i] : 0);
            ALIGN[i].setLong(b, 0, used && i < alignments.length ? alignments[i] : 0);
        }
        FLAGS.setLong(b, 0, flags);
        CRC.setLong(b, 0, Crc32c.update(0, out, 0, CRC_COVERS));
    }

    /** Parses and validates a preamble; {@code streamOffset} locates it for errors. */
    static Preamble parse(ByteBuf b, int index, long streamOffset, int maxControl, long maxMessage) {
        int crc = CRC.getInt(b, index);
        int expect = Crc32c.update(0, b, index, CRC_COVERS);
        if (crc != expect) {
            throw new FrameException("preamble", streamOffset + CRC.offset(), String.format(
                    "preamble crc %08x, computed %08x", crc, expect));
        }
        int tag = TAG.getInt(b, index);
        Tag t = Tag.of(tag);
        if (t == null) {
            throw new FrameException("preamble", streamOffset + TAG.offset(), "unknown frame tag " + tag);
        }
        int num = NUM.getInt(b, index);
        if (num < 1 || num > Frame.MAX_SEGMENTS) {
            throw new FrameException(t + "/preamble", streamOffset + NUM.offset(), "num_segments " + num);
        }
        int flags = FLAGS.getInt(b, index);
        if ((flags & ~FLAG_COMPRESSED) != 0) {
            throw new FrameException(t + "/preamble", streamOffset + FLAGS.offset(),
                    String.format("unknown preamble flags 0x%02x", flags));
        }
        int[] lengths = new int[Frame.MAX_SEGMENTS];
        int[] aligns = new int[Frame.MAX_SEGMENTS];
        long total = 0;
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            long len = LENGTH[i].getLong(b, index);
            if (i >= num && len != 0) {
                throw new FrameException(t + "/preamble", streamOffset + LENGTH[i].offset(),
                        "segment " + i + " has length " + len + " beyond num_segments " + num);
            }
            total += len;
            lengths[i] = (int) Math.min(len, Integer.MAX_VALUE);
            aligns[i] = ALIGN[i].getInt(b, index);
        }
        long cap = t == Tag.MESSAGE ? maxMessage : maxControl;
        if (total > cap || (t != Tag.MESSAGE && num != 1)) {
            throw new FrameException(t + "/preamble", streamOffset + LENGTH[0].offset(), "frame of " + total
                    + " bytes in " + num + " segments exceeds the limit of " + cap
                    + (t != Tag.MESSAGE ? " (control: 1 segment)" : ""));
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
