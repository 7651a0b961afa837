package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import io.netty.buffer.Unpooled;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.PackedField;
import org.jceph.messenger.internal.Buffers;
import org.jceph.messenger.internal.compress.CorruptSegmentException;
import org.jceph.messenger.internal.compress.SegmentCodec;
import org.jceph.messenger.v2.FrameException;

/**
 * Incremental msgr2.1 frame decoder (the inverse of {@link FrameWriter}). Feed it a cumulation
 * buffer: {@link #next} returns a whole frame and consumes its bytes, or returns null and consumes
 * nothing when more bytes are needed. It never assumes a frame arrives in one read, and it checks
 * every length against the caps before allocating.
 *
 * <p>Segments 0..2 of a returned frame are small copies; the data segment (3) is a retained view
 * of {@code in}, not a copy, taken only once every check of the frame has passed: release the
 * frame when done with it. In secure mode segments 1..3 are each an array of their own holding
 * the decrypted bytes (the decryption being the one copy), wrapped whole. Fed the clients' composite
 * cumulation, the view holds the received buffers themselves and outlives the cumulation's
 * discarding them.
 *
 * <p>In secure mode the first 96 bytes must be decrypted to learn the frame's size; that uses a
 * nonce, so the decrypted preamble is kept across calls until the rest of the frame has arrived.
 *
 * <p>Errors are {@link FrameException}s naming the frame part and the offset in the stream.
 */
public final class FrameReader {
    public static final int DEFAULT_MAX_CONTROL = 16 << 20; // CEPH_MSG_MAX_CONTROL_LEN
    public static final long DEFAULT_MAX_MESSAGE = 256L << 20;

    private final int maxControl;
    private final long maxMessage;
    private GcmCipher rx;
    private boolean rev0;
    private long streamOffset;
    private Preamble pending; // secure mode: preamble already decrypted
    private byte[] pendingInline; // secure mode: the 48 inline bytes of segment 0
    private byte[] lastWire;
    private boolean captureWire;
    private SegmentCodec rxCodec;

    public FrameReader() {
        this(DEFAULT_MAX_CONTROL, DEFAULT_MAX_MESSAGE);
    }

    public FrameReader(int maxControl, long maxMessage) {
        this.maxControl = maxControl;
        this.maxMessage = maxMessage;
    }

    /** Switches to the msgr2.0 crc layout (see {@link FrameWriter#rev0}). */
    public void rev0(boolean on) {
        this.rev0 = on;
    }

    /** Switches to secure mode; the next frame must be encrypted. */
    public void secure(GcmCipher rxCipher) {
        this.rx = rxCipher;
    }

    /**
     * Accepts compressed frames from now on (COMPRESSION_DONE agreed on {@code codec}'s algorithm):
     * a frame whose preamble has FRAME_EARLY_DATA_COMPRESSED gets each non-empty segment
     * decompressed after its CRCs (or GCM tags) were checked, which cover the compressed bytes.
     * Before this, such a frame is an error.
     */
    public void decompression(SegmentCodec codec) {
        this.rxCodec = codec;
    }

    /** Starts the stream offset after bytes consumed elsewhere (the banner). */
    public void advanceStreamOffset(long n) {
        streamOffset += n;
    }

    public long streamOffset() {
        return streamOffset;
    }

    /** While set, {@link #lastWire()} holds the raw bytes of the last frame (for the pre-auth signature). */
    public void captureWire(boolean on) {
        this.captureWire = on;
        this.lastWire = null;
    }

    public byte[] lastWire() {
        return lastWire;
    }

    /** The next complete frame, or null if {@code in} does not hold one yet. Aborted frames are skipped. */
    public Frame next(ByteBuf in) {
        while (true) {
            if (rev0 && rx != null) {
                throw new FrameException("frame", streamOffset, "msgr2.0 secure mode is not implemented");
            }
            long at = streamOffset;
            Frame f = rev0 ? nextCrcRev0(in) : rx == null ? nextCrc(in) : nextSecure(in);
            if (f != ABORTED) {
                return f == null || !lastCompressed ? f : inflate(f, at);
            }
        }
    }

    private boolean lastCompressed; // the preamble of the frame just read had FRAME_EARLY_DATA_COMPRESSED

    /** Replaces a compressed frame by one with its segments decompressed (the old one is released). */
    private Frame inflate(Frame f, long at) {
        String name = f.tag().name();
        try {
            if (rxCodec == null) {
                throw new FrameException(name + "/preamble", at + 26, "compressed frame, compression was not negotiated");
            }
            long cap = f.tag() == Tag.MESSAGE ? maxMessage : maxControl;
            ByteBuf[] out = new ByteBuf[f.numSegments()];
            long total = 0;
            for (int i = 0; i < out.length; i++) {
                ByteBuf seg = f.buf(i);
                if (!seg.isReadable()) {
                    out[i] = Unpooled.EMPTY_BUFFER;
                    continue;
                }
                byte[] plain;
                try {
                    plain = rxCodec.decompress(seg, (int) Math.min(Integer.MAX_VALUE - 8, cap - total));
                } catch (CorruptSegmentException e) {
                    throw new FrameException(name + "/segment" + i, at, rxCodec.algorithm().cephName + ": "
                            + e.getMessage(), e);
                }
                total += plain.length;
                out[i] = Unpooled.wrappedBuffer(plain);
            }
            return new Frame(f.tag(), out);
        } finally {
            f.release();
        }
    }

    private static final Frame ABORTED = new Frame(Tag.MESSAGE, new byte[][] {new byte[0]});

    /**
     * The segments of a frame whose checks all passed: 0..2 copied into small arrays, the data
     * segment (3) a retained view of {@code in} (no copy).
     */
    private static ByteBuf[] take(ByteBuf in, Preamble p, int[] starts) {
        ByteBuf[] segs = new ByteBuf[p.numSegments()];
        for (int i = 0; i < segs.length; i++) {
            int len = p.lengths()[i];
            if (i == 3) {
                segs[i] = Buffers.retainedRange(in, starts[i], len);
            } else {
                byte[] b = new byte[len];
                in.getBytes(starts[i], b);
                segs[i] = Unpooled.wrappedBuffer(b);
            }
        }
        return segs;
    }

    // The msgr2.1 crc epilogue's fields at constant offsets for the receive path (u8 late_status,
    // le32 crc_values[3]), checked against its layout: no dispatch on the field kinds there.
    private static final int LATE_STATUS_AT = FrameWriter.CRC_LATE_STATUS.offset();
    private static final int CRC_VALUE0_AT = FrameWriter.CRC_VALUES[0].offset();
    private static final int CRC_VALUE_STRIDE = FrameWriter.CRC_VALUES[1].offset() - CRC_VALUE0_AT;

    static {
        if (FrameWriter.CRC_LATE_STATUS.kind() != PackedField.Kind.U8) {
            throw new ExceptionInInitializerError("crc epilogue late_status is not a u8");
        }
        for (int i = 0; i < FrameWriter.CRC_VALUES.length; i++) {
            PackedField f = FrameWriter.CRC_VALUES[i];
            if (f.kind() != PackedField.Kind.U32LE || f.offset() != CRC_VALUE0_AT + i * CRC_VALUE_STRIDE) {
                throw new ExceptionInInitializerError("crc epilogue crc_values are not evenly spaced le32");
            }
        }
    }

    private static FrameException epilogueCrc(String name, long offset, int segment, int crc, int expect) {
        return new FrameException(name + "/epilogue", offset,
                String.format("segment %d crc %08x, computed %08x", segment, crc, expect));
    }

    private Frame nextCrc(ByteBuf in) {
        int r = in.readerIndex();
        if (in.readableBytes() < Preamble.SIZE) {
            return null;
        }
        Preamble p = Preamble.parse(in, r, streamOffset, maxControl, maxMessage);
        long len0 = p.lengths()[0];
        long total = Preamble.SIZE + (len0 > 0 ? len0 + 4 : 0)
                + (long) p.lengths()[1] + p.lengths()[2] + p.lengths()[3]
                + (p.hasTail() ? FrameWriter.CRC_EPILOGUE_LEN : 0);
        if (in.readableBytes() < total) {
            return null;
        }
        String name = p.tag().name();
        int pos = r + Preamble.SIZE;
        int[] starts = new int[Frame.MAX_SEGMENTS];
        starts[0] = pos;
        if (len0 > 0) {
            int crc = in.getIntLE(pos + (int) len0);
            int expect = Crc32c.update(-1, in, pos, (int) len0);
            if (crc != expect) {
                throw new FrameException(name + "/segment0", streamOffset + pos - r + len0,
                        String.format("segment 0 crc %08x, computed %08x", crc, expect));
            }
            pos += (int) len0 + 4;
        }
        for (int i = 1; i < p.numSegments(); i++) {
            starts[i] = pos;
            pos += p.lengths()[i];
        }
        boolean aborted = false;
        if (p.hasTail()) {
            int status = in.getUnsignedByte(pos + LATE_STATUS_AT);
            aborted = checkLateStatus(status, name, streamOffset + pos - r + LATE_STATUS_AT);
            for (int i = 1; i < p.numSegments() && !aborted; i++) {
                int at = CRC_VALUE0_AT + (i - 1) * CRC_VALUE_STRIDE;
                int crc = in.getIntLE(pos + at);
                int expect = Crc32c.update(-1, in, starts[i], p.lengths()[i]);
                if (crc != expect) {
                    throw epilogueCrc(name, streamOffset + pos - r + at, i, crc, expect);
                }
            }
            pos += FrameWriter.CRC_EPILOGUE_LEN;
        }
        Frame f = aborted ? ABORTED : new Frame(p.tag(), take(in, p, starts));
        lastCompressed = p.compressed();
        finish(in, r, pos - r);
        return f;
    }

    private Frame nextCrcRev0(ByteBuf in) {
        int r = in.readerIndex();
        if (in.readableBytes() < Preamble.SIZE) {
            return null;
        }
        Preamble p = Preamble.parse(in, r, streamOffset, maxControl, maxMessage);
        long body = (long) p.lengths()[0] + p.lengths()[1] + p.lengths()[2] + p.lengths()[3];
        long total = Preamble.SIZE + body + FrameWriter.REV0_EPILOGUE_LEN;
        if (in.readableBytes() < total) {
            return null;
        }
        String name = p.tag().name();
        int pos = r + Preamble.SIZE;
        int[] starts = new int[Frame.MAX_SEGMENTS];
        for (int i = 0; i < p.numSegments(); i++) {
            starts[i] = pos;
            pos += p.lengths()[i];
        }
        int flags = FrameWriter.REV0_LATE_FLAGS.getInt(in, pos);
        if ((flags & ~1) != 0) {
            throw new FrameException(name + "/epilogue", streamOffset + pos - r + FrameWriter.REV0_LATE_FLAGS.offset(),
                    String.format("late_flags 0x%02x", flags));
        }
        boolean aborted = (flags & 1) != 0;
        for (int i = 0; i < p.numSegments() && !aborted; i++) {
            PackedField slot = FrameWriter.REV0_CRC_VALUES[i];
            int crc = slot.getInt(in, pos);
            int expect = Crc32c.update(-1, in, starts[i], p.lengths()[i]);
            if (crc != expect) {
                throw new FrameException(name + "/epilogue", streamOffset + pos - r + slot.offset(),
                        String.format("segment %d crc %08x, computed %08x", i, crc, expect));
            }
        }
        pos += FrameWriter.REV0_EPILOGUE_LEN;
        Frame f = aborted ? ABORTED : new Frame(p.tag(), take(in, p, starts));
        lastCompressed = p.compressed();
        finish(in, r, pos - r);
        return f;
    }

    private static boolean checkLateStatus(int status, String name, long offset) {
        int low = status & 0x0F;
        if (low == 0x0E) {
            return false;
        }
        if (low == 0x01) {
            return true;
        }
        throw new FrameException(name + "/epilogue", offset, String.format("late_status 0x%02x", status));
    }

    private Frame nextSecure(ByteBuf in) {
        int r = in.readerIndex();
        int headLen = FrameWriter.SECURE_HEAD.size();
        if (pending == null) {
            if (in.readableBytes() < headLen) {
                return null;
            }
            byte[] sealed = new byte[headLen];
            in.getBytes(r, sealed);
            byte[] head = open(sealed, "preamble", streamOffset);
            ByteBuf hb = Unpooled.wrappedBuffer(head);
            pending = Preamble.parse(hb, 0, streamOffset, maxControl, maxMessage);
            pendingInline = java.util.Arrays.copyOfRange(head, Preamble.SIZE, head.length);
        }
        Preamble p = pending;
        int len0 = p.lengths()[0];
        int rest0 = Math.max(0, len0 - FrameWriter.SECURE_INLINE_LEN);
        long bLen = rest0 > 0 ? FrameWriter.padded(rest0) + GcmCipher.TAG_LEN : 0;
        long cLen = 0;
        if (p.hasTail()) {
            cLen = FrameWriter.SECURE_BLOCK + GcmCipher.TAG_LEN;
            for (int i = 1; i < Frame.MAX_SEGMENTS; i++) {
                cLen += FrameWriter.padded(p.lengths()[i]);
            }
        }
        long total = headLen + bLen + cLen;
        if (in.readableBytes() < total) {
            return null;
        }
        String name = p.tag().name();
        ByteBuf[] segs = new ByteBuf[p.numSegments()];
        byte[] seg0 = new byte[len0];
        System.arraycopy(pendingInline, 0, seg0, 0, Math.min(len0, FrameWriter.SECURE_INLINE_LEN));
        int pos = r + headLen;
        if (rest0 > 0) {
            byte[] plain = open(in, pos, (int) bLen, name + "/segment0", streamOffset + pos - r);
            System.arraycopy(plain, 0, seg0, FrameWriter.SECURE_INLINE_LEN, rest0);
            pos += (int) bLen;
        }
        segs[0] = Unpooled.wrappedBuffer(seg0);
        boolean aborted = false;
        if (p.hasTail()) {
            // Decrypting is the one copy secure mode needs: each segment is decrypted into an
            // array of its own (handed up whole: a front or an object's data is then used as it
            // is, not copied again), the padding and the epilogue into one small array.
            int num = p.numSegments();
            byte[] pads = new byte[FrameWriter.SECURE_BLOCK * num];
            ByteBuffer[] dests = new ByteBuffer[2 * (num - 1) + 1];
            byte[][] arrays = new byte[num][];
            int padAt = 0;
            for (int i = 1; i < num; i++) {
                int n = p.lengths()[i];
                arrays[i] = new byte[n];
                dests[2 * (i - 1)] = ByteBuffer.wrap(arrays[i]);
                int pad = FrameWriter.padded(n) - n;
                dests[2 * (i - 1) + 1] = ByteBuffer.wrap(pads, padAt, pad);
                padAt += pad;
            }
            int epi = padAt;
            dests[dests.length - 1] = ByteBuffer.wrap(pads, epi, FrameWriter.SECURE_BLOCK);
            open(in, pos, (int) cLen, name + "/tail", streamOffset + pos - r, dests);
            for (int i = 1; i < num; i++) {
                segs[i] = arrays[i].length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(arrays[i]);
            }
            aborted = checkLateStatus(pads[epi + FrameWriter.SECURE_LATE_STATUS.offset()] & 0xFF, name,
                    streamOffset + pos - r);
            pos += (int) cLen;
        }
        for (int i = 1; i < p.numSegments(); i++) {
            if (segs[i] == null) {
                segs[i] = Unpooled.EMPTY_BUFFER;
            }
        }
        pending = null;
        pendingInline = null;
        lastCompressed = p.compressed();
        finish(in, r, pos - r);
        Frame f = new Frame(p.tag(), segs);
        if (aborted) {
            f.release();
            return ABORTED;
        }
        return f;
    }

    private byte[] open(byte[] sealed, String what, long offset) {
        try {
            return rx.decrypt(sealed, 0, sealed.length);
        } catch (GeneralSecurityException e) {
            throw new FrameException(what, offset, "AES-GCM authentication failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Decrypts {@code len} sealed bytes of {@code in} from {@code index}, read in place. */
    private byte[] open(ByteBuf in, int index, int len, String what, long offset) {
        try {
            return rx.decrypt(in.nioBuffers(index, len), len);
        } catch (GeneralSecurityException e) {
            throw new FrameException(what, offset, "AES-GCM authentication failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Decrypts {@code len} sealed bytes of {@code in} from {@code index}, read in place, into {@code dests}. */
    private void open(ByteBuf in, int index, int len, String what, long offset, ByteBuffer... dests) {
        try {
            rx.decrypt(in.nioBuffers(index, len), len, dests);
        } catch (GeneralSecurityException e) {
            throw new FrameException(what, offset, "AES-GCM authentication failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void finish(ByteBuf in, int r, int len) {
        if (captureWire) {
            lastWire = new byte[len];
            in.getBytes(r, lastWire);
        }
        in.skipBytes(len);
        streamOffset += len;
    }
}
