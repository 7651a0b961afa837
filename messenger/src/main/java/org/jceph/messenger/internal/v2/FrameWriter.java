package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.messenger.internal.compress.SegmentCodec;

/**
 * Assembles msgr2.1 frames for the wire, in crc mode until {@link #secure} is called.
 *
 * <pre>
 * crc:    preamble(32) | seg0 | crc32c(-1,seg0) (if seg0 non-empty) | seg1 | seg2 | seg3
 *         | epilogue (13, only if seg1..3 not all empty): u8 late_status=0x0E, u32 crc[3]
 * secure: GCM(preamble(32) + first 48 bytes of seg0, zero padded)         = 80 + 16 tag
 *         | GCM(rest of seg0, padded to 16)  (only if seg0 > 48 bytes)     + 16 tag
 *         | GCM(seg1|seg2|seg3 each padded to 16 + epilogue u8 late_status, 15 zeros)
 *                                            (only if seg1..3 not all empty) + 16 tag
 * </pre>
 * msgr2.0 (revision 0, crc only): {@code preamble(32) | seg0 | seg1 | seg2 | seg3 | epilogue(17):
 * u8 late_flags=0, u32 crc32c(-1, seg_i)[4]} (unused slots 0), the epilogue after every frame.
 */
public final class FrameWriter {
    static final int LATE_STATUS_COMPLETE = 0x0E;
    /** msgr2.1 crc epilogue (frames_v2.h epilogue_crc_rev1_block_t): late_status, crc of segments 1..3. */
    static final PackedLayout CRC_EPILOGUE = CephStructs.MSGR2_EPILOGUE_CRC_REV1;
    static final int CRC_EPILOGUE_LEN = CRC_EPILOGUE.size();
    static final PackedField CRC_LATE_STATUS = CRC_EPILOGUE.field("late_status");
    /** {@code CRC_VALUES[i]}: the crc of segment i + 1. */
    static final PackedField[] CRC_VALUES = arrayOf(CRC_EPILOGUE, "crc_values", Frame.MAX_SEGMENTS - 1);
    /** msgr2.1 secure epilogue: one AES block, late_status then named padding. */
    static final PackedLayout SECURE_EPILOGUE = CephStructs.MSGR2_EPILOGUE_SECURE_REV1;
    static final int SECURE_BLOCK = SECURE_EPILOGUE.size();
    static final PackedField SECURE_LATE_STATUS = SECURE_EPILOGUE.field("late_status");
    /** The first sealed block: preamble, the first bytes of segment 0, the GCM tag. */
    static final PackedLayout SECURE_HEAD = CephStructs.MSGR2_SECURE_HEAD;
    static final int SECURE_INLINE_LEN = SECURE_HEAD.field("segment0_inline").width();
    /** Default segment alignment hints (frames_v2.h segment_t): 8, and a page for message data. */
    static final int ALIGN_DEFAULT = 8;
    static final int ALIGN_PAGE = 4096;

    /** msgr2.0 crc epilogue (epilogue_crc_rev0_block_t): late_flags (bit 0 = aborted), crc[4], after every frame. */
    static final PackedLayout REV0_EPILOGUE = CephStructs.MSGR2_EPILOGUE_CRC_REV0;
    static final int REV0_EPILOGUE_LEN = REV0_EPILOGUE.size();
    static final PackedField REV0_LATE_FLAGS = REV0_EPILOGUE.field("late_flags");
    /** {@code REV0_CRC_VALUES[i]}: the crc of segment i. */
    static final PackedField[] REV0_CRC_VALUES = arrayOf(REV0_EPILOGUE, "crc_values", Frame.MAX_SEGMENTS);

    static {
        if (SECURE_HEAD.field("auth_tag").width() != GcmCipher.TAG_LEN
                || SECURE_HEAD.field("preamble").offset() != 0 || SECURE_HEAD.field("preamble").width() != Preamble.SIZE) {
            throw new IllegalStateException("CephStructs.MSGR2_SECURE_HEAD disagrees with the cipher or the preamble");
        }
    }

    private static PackedField[] arrayOf(PackedLayout l, String name, int n) {
        PackedField[] out = new PackedField[n];
        for (int i = 0; i < n; i++) {
            out[i] = l.field(name + "[" + i + "]");
        }
        return out;
    }

    private GcmCipher tx;
    private boolean rev0;
    private SegmentCodec txCodec;
    private long compressMinSize;

    /**
     * Switches to the msgr2.0 (revision 0) frame layout, negotiated when the peer or we do not
     * advertise REVISION_1 in the banner. Only crc mode exists for rev0 here.
     */
    public void rev0(boolean on) {
        this.rev0 = on;
    }

    public boolean isRev0() {
        return rev0;
    }

    /**
     * Compresses every later frame whose segments total at least {@code minSize} bytes
     * (ms_osd_compress_min_size), as Ceph's onwire TxHandler does: each non-empty segment on its
     * own, the preamble's lengths become the compressed ones and its flags get
     * FRAME_EARLY_DATA_COMPRESSED; CRCs (crc mode) and encryption (secure mode) then apply to the
     * compressed bytes. Smaller frames go out as they are.
     */
    public void compression(SegmentCodec codec, long minSize) {
        this.txCodec = codec;
        this.compressMinSize = minSize;
    }

    public boolean isCompressing() {
        return txCodec != null;
    }

    /** Switches to secure mode for every later frame. */
    public void secure(GcmCipher txCipher) {
        this.tx = txCipher;
    }

    public boolean isSecure() {
        return tx != null;
    }

    public byte[] control(Tag tag, byte[] payload) {
        return frame(tag, payload);
    }

    /** A frame of 1..4 segments as one array (control frames, tests); see {@link #encode}. */
    public byte[] frame(Tag tag, byte[]... segs) {
        ByteBuf[] bufs = new ByteBuf[segs.length];
        for (int i = 0; i < segs.length; i++) {
            bufs[i] = Unpooled.wrappedBuffer(segs[i]);
        }
        ByteBuf out = encode(tag, bufs);
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /**
     * A frame of 1..4 segments (their readable bytes; trailing empty segments are not counted in
     * num_segments), ready to write. In crc mode nothing of segments 1..3 is copied: the result is
     * a composite whose components are the preamble with segment 0 and its crc, retained
     * duplicates of the segments themselves, and the epilogue, every crc computed over the
     * segments in place. In secure mode the segments are read in place once, by the cipher. The
     * caller keeps its own references to {@code segs}; the result is the caller's to write (or
     * release).
     */
    public ByteBuf encode(Tag tag, ByteBuf... segs) {
        if (segs.length < 1 || segs.length > Frame.MAX_SEGMENTS) {
            throw new IllegalArgumentException("a frame has 1 to 4 segments, got " + segs.length);
        }
        int flags = 0;
        ByteBuf[] owned = null;
        if (txCodec != null) {
            long total = 0;
            for (ByteBuf s : segs) {
                total += s.readableBytes();
            }
            if (total >= compressMinSize) {
                ByteBuf[] packed = new ByteBuf[segs.length];
                for (int i = 0; i < segs.length; i++) {
                    packed[i] = segs[i].isReadable() ? Unpooled.wrappedBuffer(txCodec.compress(segs[i]))
                            : Unpooled.EMPTY_BUFFER;
                }
                segs = packed;
                owned = packed;
                flags = Preamble.FLAG_COMPRESSED;
            }
        }
        byte[] pre = preamble(tag, segs, flags);
        if (rev0) {
            if (tx != null) {
                throw new IllegalStateException("msgr2.0 secure mode is not implemented");
            }
        }
        try {
            if (rev0) {
                return crcRev0(pre, segs);
            }
            boolean tail = anyNonEmpty(segs, 1);
            return tx == null ? crc(pre, segs, tail) : secure(pre, segs, tail);
        } finally {
            if (owned != null) {
                for (ByteBuf b : owned) {
                    b.release(); // the frame holds its own references (crc) or copies (secure)
                }
            }
        }
    }

    /** Frames of fewer bytes than this are written whole into one buffer by {@link #encodeSmall}. */
    static final int SMALL_FRAME = 64 << 10;

    /**
     * As {@link #encode}, but a crc-mode (msgr2.1) frame of under {@value #SMALL_FRAME} bytes comes
     * back as one buffer of {@code alloc}'s (direct when the allocator prefers direct buffers, as a
     * channel's does), every byte written once: the socket write takes it as it is, where the
     * composite {@link #encode} builds would have been copied into a direct buffer of the
     * transport's anyway (a small op's frame, a read request or a 4 KiB write, then costs one
     * copy and one buffer instead of a composite of five). Larger, secure, compressed and msgr2.0
     * frames, and every frame when {@code alloc} does not pool direct buffers, go through
     * {@link #encode}. The caller releases the result (or has it written).
     */
    public ByteBuf encodeSmall(ByteBufAllocator alloc, Tag tag, ByteBuf... segs) {
        if (tx != null || txCodec != null || rev0 || !alloc.isDirectBufferPooled() || segs.length < 1
                || segs.length > Frame.MAX_SEGMENTS) {
            // an unpooled allocator (short CLI commands) would malloc a buffer per frame, where the
            // socket's copy of a heap frame goes through a reused thread-local one
            return encode(tag, segs);
        }
        int len0 = segs[0].readableBytes();
        long total = Preamble.SIZE + (len0 > 0 ? len0 + 4L : 0);
        for (int i = 1; i < segs.length; i++) {
            total += segs[i].readableBytes();
        }
        boolean tail = anyNonEmpty(segs, 1);
        total += tail ? CRC_EPILOGUE_LEN : 0;
        if (total >= SMALL_FRAME) {
            return encode(tag, segs);
        }
        byte[] pre = preamble(tag, segs, 0);
        ByteBuf out = alloc.buffer((int) total);
        try {
            writeCrcHead(out, pre, segs[0]);
            for (int i = 1; i < segs.length; i++) {
                out.writeBytes(segs[i], segs[i].readerIndex(), segs[i].readableBytes());
            }
            if (tail) {
                writeCrcEpilogue(out, pre[1], segs);
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static boolean anyNonEmpty(ByteBuf[] segs, int from) {
        for (int i = from; i < segs.length; i++) {
            if (segs[i].isReadable()) {
                return true;
            }
        }
        return false;
    }

    private static int segCrc(ByteBuf[] segs, int i) {
        // Used segments carry their CRC (an empty used one: 0xFFFFFFFF); the caller zeroes unused slots.
        return i < segs.length ? Crc32c.update(-1, segs[i]) : -1;
    }

    private static void addPayload(CompositeByteBuf out, ByteBuf seg) {
        if (seg.isReadable()) {
            out.addComponent(true, seg.retainedDuplicate());
        }
    }

    private static ByteBuf crc(byte[] pre, ByteBuf[] segs, boolean tail) {
        int len0 = segs[0].readableBytes();
        ByteBuf head = org.jceph.encoding.CephEncoder.heapBuffer(Preamble.SIZE + (len0 > 0 ? len0 + 4 : 0));
        writeCrcHead(head, pre, segs[0]);
        CompositeByteBuf out = Unpooled.compositeBuffer(Frame.MAX_SEGMENTS + 1);
        out.addComponent(true, head);
        for (int i = 1; i < segs.length; i++) {
            addPayload(out, segs[i]);
        }
        if (tail) {
            ByteBuf epi = org.jceph.encoding.CephEncoder.heapBuffer(CRC_EPILOGUE_LEN);
            writeCrcEpilogue(epi, pre[1], segs);
            out.addComponent(true, epi);
        }
        return out;
    }

    /** The preamble of a frame of {@code segs} (their readable bytes). */
    private static byte[] preamble(Tag tag, ByteBuf[] segs, int flags) {
        int[] lengths = new int[Frame.MAX_SEGMENTS];
        int[] aligns = new int[Frame.MAX_SEGMENTS];
        for (int i = 0; i < segs.length; i++) {
            lengths[i] = segs[i].readableBytes();
            aligns[i] = i == 3 ? ALIGN_PAGE : ALIGN_DEFAULT;
        }
        byte[] pre = new byte[Preamble.SIZE];
        Preamble.write(pre, tag.code, lengths, aligns, flags);
        return pre;
    }

    /** msgr2.1 crc: the preamble, then segment 0 and its crc when it is not empty. */
    private static void writeCrcHead(ByteBuf dst, byte[] pre, ByteBuf seg0) {
        dst.writeBytes(pre);
        int len0 = seg0.readableBytes();
        if (len0 > 0) {
            dst.writeBytes(seg0, seg0.readerIndex(), len0).writeIntLE(Crc32c.update(-1, seg0));
        }
    }

    /** msgr2.1 crc: the epilogue (late status complete, then the crc of segments 1..3), appended to {@code dst}. */
    private static void writeCrcEpilogue(ByteBuf dst, int num, ByteBuf[] segs) {
        int at = dst.writerIndex();
        dst.writeZero(CRC_EPILOGUE_LEN);
        CRC_LATE_STATUS.setLong(dst, at, LATE_STATUS_COMPLETE);
        for (int i = 1; i < Frame.MAX_SEGMENTS; i++) {
            CRC_VALUES[i - 1].setLong(dst, at, i < num ? segCrc(segs, i) : 0);
        }
    }

    /**
     * msgr2.0 crc: preamble | seg0 | seg1 | seg2 | seg3 | epilogue(17), no inline crc after seg0;
     * the epilogue is always present and carries crc32c(-1) of each used segment.
     */
    private static ByteBuf crcRev0(byte[] pre, ByteBuf[] segs) {
        int num = pre[1];
        ByteBuf seg0 = segs[0];
        ByteBuf head = org.jceph.encoding.CephEncoder.heapBuffer(Preamble.SIZE + seg0.readableBytes());
        head.writeBytes(pre).writeBytes(seg0, seg0.readerIndex(), seg0.readableBytes());
        CompositeByteBuf out = Unpooled.compositeBuffer(Frame.MAX_SEGMENTS + 1);
        out.addComponent(true, head);
        for (int i = 1; i < segs.length; i++) {
            addPayload(out, segs[i]);
        }
        ByteBuf epi = org.jceph.encoding.CephEncoder.heapBuffer(REV0_EPILOGUE_LEN).writeZero(REV0_EPILOGUE_LEN);
        REV0_LATE_FLAGS.setLong(epi, 0, 0); // complete
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            REV0_CRC_VALUES[i].setLong(epi, 0, i < num ? segCrc(segs, i) : 0);
        }
        out.addComponent(true, epi);
        return out;
    }

    /** Zero padding for the secure layout (less than one AES block at a time). */
    private static final byte[] ZEROS = new byte[SECURE_BLOCK];
    /** The secure epilogue's plaintext: late_status complete, then zero padding. */
    private static final byte[] SECURE_EPILOGUE_COMPLETE = new byte[SECURE_BLOCK];

    static {
        SECURE_EPILOGUE_COMPLETE[SECURE_LATE_STATUS.offset()] = (byte) LATE_STATUS_COMPLETE;
    }

    /** Adds the nio views of {@code len} bytes of {@code b} from {@code index} to {@code parts}. */
    private static void addViews(List<ByteBuffer> parts, ByteBuf b, int index, int len) {
        if (len == 0) {
            return;
        }
        if (b.nioBufferCount() == 1) {
            parts.add(b.nioBuffer(index, len));
        } else {
            parts.addAll(List.of(b.nioBuffers(index, len)));
        }
    }

    private static void addPadding(List<ByteBuffer> parts, int len) {
        int pad = padded(len) - len;
        if (pad > 0) {
            parts.add(ByteBuffer.wrap(ZEROS, 0, pad));
        }
    }

    /**
     * The secure layout: the preamble and segment 0's first bytes are copied into the first
     * block's plaintext (80 bytes); everything else is read in place by the cipher, which writes
     * the whole frame into direct memory from the allocator (the one copy secure mode needs on
     * the way out: a heap frame would be copied again into direct memory by the channel or
     * {@code SendCopies}). A frame of up to {@value #SECURE_PIECE} bytes goes into one buffer,
     * a larger one into pieces of that size (a single 4 MiB buffer would be a "huge", unpooled,
     * allocation for Netty's pool).
     */
    private ByteBuf secure(byte[] pre, ByteBuf[] segs, boolean tail) {
        ByteBuf seg0 = segs[0];
        int len0 = seg0.readableBytes();
        int inline = Math.min(SECURE_INLINE_LEN, len0);
        int rest0 = len0 - inline;
        int tailLen = 0;
        if (tail) {
            tailLen = SECURE_BLOCK;
            for (int i = 1; i < segs.length; i++) {
                tailLen += padded(segs[i].readableBytes());
            }
        }
        int total = SECURE_HEAD.size()
                + (rest0 > 0 ? padded(rest0) + GcmCipher.TAG_LEN : 0) + (tail ? tailLen + GcmCipher.TAG_LEN : 0);
        ByteBuf wire = wireBuffer(total);
        try {
            ByteBuffer[] out = wire.nioBuffers(0, total);
            // preamble + the first 48 bytes of segment 0, zero padded
            byte[] head = new byte[Preamble.SIZE + SECURE_INLINE_LEN];
            System.arraycopy(pre, 0, head, 0, Preamble.SIZE);
            seg0.getBytes(seg0.readerIndex(), head, Preamble.SIZE, inline);
            tx.encrypt(out, ByteBuffer.wrap(head));
            List<ByteBuffer> parts = new ArrayList<>();
            if (rest0 > 0) {
                addViews(parts, seg0, seg0.readerIndex() + inline, rest0);
                addPadding(parts, rest0);
                tx.encrypt(out, parts.toArray(NO_BUFFERS));
            }
            if (tail) {
                parts.clear();
                for (int i = 1; i < segs.length; i++) {
                    int n = segs[i].readableBytes();
                    addViews(parts, segs[i], segs[i].readerIndex(), n);
                    addPadding(parts, n);
                }
                parts.add(ByteBuffer.wrap(SECURE_EPILOGUE_COMPLETE)); // the cipher only reads it
                tx.encrypt(out, parts.toArray(NO_BUFFERS));
            }
            for (ByteBuffer o : out) {
                if (o.hasRemaining()) {
                    throw new IllegalStateException("secure frame: " + o.remaining() + " bytes of a piece not produced");
                }
            }
            return wire;
        } catch (RuntimeException | Error e) {
            wire.release();
            throw e;
        }
    }

    /** Largest piece of a secure frame's wire buffer. */
    static final int SECURE_PIECE = 256 << 10;

    /** Direct memory for {@code total} wire bytes (all readable, filled by the caller): one buffer, or a composite of pieces. */
    private static ByteBuf wireBuffer(int total) {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        if (total <= SECURE_PIECE) {
            return alloc.directBuffer(total, total).writerIndex(total);
        }
        CompositeByteBuf c = alloc.compositeDirectBuffer((total + SECURE_PIECE - 1) / SECURE_PIECE);
        try {
            for (int at = 0; at < total; at += SECURE_PIECE) {
                int n = Math.min(SECURE_PIECE, total - at);
                c.addComponent(true, alloc.directBuffer(n, n).writerIndex(n));
            }
        } catch (RuntimeException | Error e) {
            c.release();
            throw e;
        }
        return c;
    }

    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];

    static int padded(int len) {
        return (len + SECURE_BLOCK - 1) / SECURE_BLOCK * SECURE_BLOCK;
    }
}
