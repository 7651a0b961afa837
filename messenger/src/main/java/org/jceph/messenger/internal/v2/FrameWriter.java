package org.jceph.messenger.internal.v2;

import org.jceph.encoding.Crc32c;

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
    static final int CRC_EPILOGUE_LEN = 13;
    static final int SECURE_INLINE_LEN = 48;
    static final int SECURE_BLOCK = 16;
    /** Default segment alignment hints (frames_v2.h segment_t): 8, and a page for message data. */
    static final int ALIGN_DEFAULT = 8;
    static final int ALIGN_PAGE = 4096;

    /** msgr2.0 crc epilogue: u8 late_flags (bit 0 = aborted) and u32 crc[4], after every frame. */
    static final int REV0_EPILOGUE_LEN = 17;

    private GcmCipher tx;
    private boolean rev0;

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

    /** A frame of 1..4 segments; trailing empty segments are not counted in num_segments. */
    public byte[] frame(Tag tag, byte[]... segs) {
        int[] lengths = new int[Frame.MAX_SEGMENTS];
        int[] aligns = new int[Frame.MAX_SEGMENTS];
        for (int i = 0; i < segs.length; i++) {
            lengths[i] = segs[i].length;
            aligns[i] = i == 3 ? ALIGN_PAGE : ALIGN_DEFAULT;
        }
        byte[] pre = new byte[Preamble.SIZE];
        Preamble.write(pre, tag.code, lengths, aligns);
        byte[] seg0 = segs[0];
        boolean tail = anyNonEmpty(segs, 1);
        if (rev0) {
            if (tx != null) {
                throw new IllegalStateException("msgr2.0 secure mode is not implemented");
            }
            return crcRev0(pre, segs);
        }
        return tx == null ? crc(pre, segs, tail) : secure(pre, segs, seg0, tail);
    }

    private static boolean anyNonEmpty(byte[][] segs, int from) {
        for (int i = from; i < segs.length; i++) {
            if (segs[i].length != 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] crc(byte[] pre, byte[][] segs, boolean tail) {
        int num = pre[1];
        int len = Preamble.SIZE + (segs[0].length > 0 ? segs[0].length + 4 : 0);
        for (int i = 1; i < segs.length; i++) {
            len += segs[i].length;
        }
        if (tail) {
            len += CRC_EPILOGUE_LEN;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(pre);
        if (segs[0].length > 0) {
            b.put(segs[0]).putInt(Crc32c.update(-1, segs[0]));
        }
        for (int i = 1; i < segs.length; i++) {
            b.put(segs[i]);
        }
        if (tail) {
            b.put((byte) LATE_STATUS_COMPLETE);
            for (int i = 1; i < Frame.MAX_SEGMENTS; i++) {
                // Used segments carry their CRC (an empty used one: 0xFFFFFFFF); unused slots stay 0.
                b.putInt(i < num ? Crc32c.update(-1, i < segs.length ? segs[i] : new byte[0]) : 0);
            }
        }
        return b.array();
    }

    /**
     * msgr2.0 crc: preamble | seg0 | seg1 | seg2 | seg3 | epilogue(17), no inline crc after seg0;
     * the epilogue is always present and carries crc32c(-1) of each used segment.
     */
    private static byte[] crcRev0(byte[] pre, byte[][] segs) {
        int num = pre[1];
        int len = Preamble.SIZE + REV0_EPILOGUE_LEN;
        for (byte[] s : segs) {
            len += s.length;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(pre);
        for (byte[] s : segs) {
            b.put(s);
        }
        b.put((byte) 0); // late_flags: complete
        for (int i = 0; i < Frame.MAX_SEGMENTS; i++) {
            b.putInt(i < num ? Crc32c.update(-1, i < segs.length ? segs[i] : new byte[0]) : 0);
        }
        return b.array();
    }

    private byte[] secure(byte[] pre, byte[][] segs, byte[] seg0, boolean tail) {
        byte[] head = new byte[Preamble.SIZE + SECURE_INLINE_LEN];
        System.arraycopy(pre, 0, head, 0, Preamble.SIZE);
        int inline = Math.min(SECURE_INLINE_LEN, seg0.length);
        System.arraycopy(seg0, 0, head, Preamble.SIZE, inline);
        byte[] a = tx.encrypt(head, 0, head.length);
        byte[] b = new byte[0];
        if (seg0.length > SECURE_INLINE_LEN) {
            byte[] rest = new byte[padded(seg0.length - SECURE_INLINE_LEN)];
            System.arraycopy(seg0, SECURE_INLINE_LEN, rest, 0, seg0.length - SECURE_INLINE_LEN);
            b = tx.encrypt(rest, 0, rest.length);
        }
        byte[] c = new byte[0];
        if (tail) {
            int n = SECURE_BLOCK;
            for (int i = 1; i < segs.length; i++) {
                n += padded(segs[i].length);
            }
            byte[] t = new byte[n];
            int p = 0;
            for (int i = 1; i < segs.length; i++) {
                System.arraycopy(segs[i], 0, t, p, segs[i].length);
                p += padded(segs[i].length);
            }
            t[p] = LATE_STATUS_COMPLETE;
            c = tx.encrypt(t, 0, t.length);
        }
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    static int padded(int len) {
        return (len + SECURE_BLOCK - 1) / SECURE_BLOCK * SECURE_BLOCK;
    }
}
