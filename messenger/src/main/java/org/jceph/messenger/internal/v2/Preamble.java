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

    // Offsets of the fields parse() reads from its copy of the preamble, taken from the layout
    // (checked against the widths it reads): constants for the JIT, so that the hot receive path
    // reads a byte[] at fixed offsets instead of dispatching on each field's kind and on the type
    // of the receive buffer (which made C2 deoptimize and recompile the frame reader).
    private static final int TAG_AT = fixed(TAG, PackedField.Kind.U8);
    private static final int NUM_AT = fixed(NUM, PackedField.Kind.U8);
    private static final int FLAGS_AT = fixed(FLAGS, PackedField.Kind.U8);
    private static final int CRC_AT = fixed(CRC, PackedField.Kind.U32LE);
    private static final int LENGTH0_AT = fixed(LENGTH[0], PackedField.Kind.U32LE);
    private static final int ALIGN0_AT = fixed(ALIGN[0], PackedField.Kind.U16LE);
    /** Bytes from one segment descriptor to the next. */
    private static final int DESCRIPTOR = LENGTH[1].offset() - LENGTH[0].offset();

    static {
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            if (fixed(LENGTH[i], PackedField.Kind.U32LE) != LENGTH0_AT + i * DESCRIPTOR
                    || fixed(ALIGN[i], PackedField.Kind.U16LE) != ALIGN0_AT + i * DESCRIPTOR) {
                throw new ExceptionInInitializerError("preamble segment descriptors are not evenly spaced");
            }
        }
    }

    private static int fixed(PackedField f, PackedField.Kind kind) {
        if (f.kind() != kind) {
            throw new ExceptionInInitializerError("preamble field " + f.name() + " is " + f.kind() + ", not " + kind);
        }
        return f.offset();
    }

    private static int u8(byte[] p, int at) {
        return p[at] & 0xFF;
    }

    private static int u16le(byte[] p, int at) {
        return (p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8;
    }

    private static long u32le(byte[] p, int at) {
        return ((p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8 | (p[at + 2] & 0xFF) << 16 | (long) (p[at + 3] & 0xFF) << 24);
    }

    /**
     * Parses and validates a preamble; {@code streamOffset} locates it for errors. The 32 bytes are
     * copied once (the crc needs them in an array anyway); every failure is built out of line.
     */
    static Preamble parse(ByteBuf b, int index, long streamOffset, int maxControl, long maxMessage) {
        byte[] p = new byte[SIZE];
        b.getBytes(index, p);
        int crc = (int) u32le(p, CRC_AT);
        int expect = Crc32c.update(0, p, 0, CRC_COVERS);
        int tag = u8(p, TAG_AT);
        Tag t = Tag.of(tag);
        int num = u8(p, NUM_AT);
        int flags = u8(p, FLAGS_AT);
        if (crc != expect || t == null || num < 1 || num > Frame.MAX_SEGMENTS || (flags & ~FLAG_COMPRESSED) != 0) {
            throw badHead(streamOffset, crc, expect, tag, t, num, flags);
        }
        int[] lengths = new int[Frame.MAX_SEGMENTS];
        int[] aligns = new int[Frame.MAX_SEGMENTS];
        long total = 0;
        long beyond = 0; // non-zero if a descriptor past num_segments has a length
        for (int i = 0, at = LENGTH0_AT; i < Frame.MAX_SEGMENTS; i++, at += DESCRIPTOR) {
            long len = u32le(p, at);
            beyond |= i >= num ? len : 0;
            total += len;
            lengths[i] = (int) Math.min(len, Integer.MAX_VALUE);
            aligns[i] = u16le(p, at - LENGTH0_AT + ALIGN0_AT);
        }
        long cap = t == Tag.MESSAGE ? maxMessage : maxControl;
        if (beyond != 0 || total > cap || (t != Tag.MESSAGE && num != 1)) {
            throw badLengths(p, streamOffset, t, num, total, cap);
        }
        return new Preamble(tag, num, lengths, aligns, flags);
    }

    /** The error for a preamble whose crc, tag, segment count or flags are wrong (in that order of checking). */
    private static FrameException badHead(long streamOffset, int crc, int expect, int tag, Tag t, int num, int flags) {
        if (crc != expect) {
            return new FrameException("preamble", streamOffset + CRC.offset(), String.format(
                    "preamble crc %08x, computed %08x", crc, expect));
        }
        if (t == null) {
            return new FrameException("preamble", streamOffset + TAG.offset(), "unknown frame tag " + tag);
        }
        if (num < 1 || num > Frame.MAX_SEGMENTS) {
            return new FrameException(t + "/preamble", streamOffset + NUM.offset(), "num_segments " + num);
        }
        return new FrameException(t + "/preamble", streamOffset + FLAGS.offset(),
                String.format("unknown preamble flags 0x%02x", flags));
    }

    /** The error for segment lengths beyond num_segments or over the frame size limit. */
    private static FrameException badLengths(byte[] p, long streamOffset, Tag t, int num, long total, long cap) {
        for (int i = num; i < Frame.MAX_SEGMENTS; i++) {
            long len = u32le(p, LENGTH0_AT + i * DESCRIPTOR);
            if (len != 0) {
                return new FrameException(t + "/preamble", streamOffset + LENGTH[i].offset(),
                        "segment " + i + " has length " + len + " beyond num_segments " + num);
            }
        }
        return new FrameException(t + "/preamble", streamOffset + LENGTH[0].offset(), "frame of " + total
                + " bytes in " + num + " segments exceeds the limit of " + cap
                + (t != Tag.MESSAGE ? " (control: 1 segment)" : ""));
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
