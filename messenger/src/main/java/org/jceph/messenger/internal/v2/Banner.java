package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jceph.messenger.v2.FrameException;

/**
 * The msgr2 banner (ProtocolV2.cc, msgr.h CEPH_BANNER_V2_PREFIX): {@code "ceph v2\n"}, u16 payload
 * length, then u64 supported and u64 required msgr2 feature bits (REVISION_1 = bit 0,
 * COMPRESSION = bit 1). Not a frame: it has no preamble and no CRC.
 */
public record Banner(long supported, long required) {
    public static final byte[] PREFIX = "ceph v2\n".getBytes(StandardCharsets.US_ASCII);
    public static final int PREFIX_LEN = 10; // prefix + u16 payload length
    public static final long FEATURE_REVISION_1 = 1L;
    public static final long FEATURE_COMPRESSION = 2L;
    private static final byte[] MSGR1 = "ceph v027".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PAYLOAD = 4096;

    public byte[] encode() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(PREFIX_LEN + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(PREFIX).putShort((short) 16).putLong(supported).putLong(required);
        return b.array();
    }

    /** On-wire length of the banner at the reader index, or -1 if more bytes are needed. */
    public static int wireLength(ByteBuf in) {
        int r = in.readerIndex();
        int n = Math.min(in.readableBytes(), PREFIX.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(r + i) != PREFIX[i]) {
                boolean v1 = true;
                for (int j = 0; j < Math.min(in.readableBytes(), MSGR1.length); j++) {
                    v1 &= in.getByte(r + j) == MSGR1[j];
                }
                throw new FrameException("banner", i, v1 ? "peer speaks msgr1 (banner 'ceph v027'), not msgr2"
                        : "not a msgr2 banner");
            }
        }
        if (in.readableBytes() < PREFIX_LEN) {
            return -1;
        }
        int payload = in.getUnsignedShortLE(r + PREFIX.length);
        if (payload < 16 || payload > MAX_PAYLOAD) {
            throw new FrameException("banner", PREFIX.length, "banner payload length " + payload);
        }
        return in.readableBytes() < PREFIX_LEN + payload ? -1 : PREFIX_LEN + payload;
    }

    /** Reads a complete banner (check {@link #wireLength} first), consuming it. */
    public static Banner read(ByteBuf in) {
        int len = wireLength(in);
        if (len < 0) {
            throw new IllegalStateException("incomplete banner");
        }
        int r = in.readerIndex();
        Banner b = new Banner(in.getLongLE(r + PREFIX_LEN), in.getLongLE(r + PREFIX_LEN + 8));
        in.skipBytes(len);
        return b;
    }
}
