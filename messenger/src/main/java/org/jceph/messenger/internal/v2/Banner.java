package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.messenger.v2.FrameException;

/**
 * The msgr2 banner (ProtocolV2.cc, msgr.h CEPH_BANNER_V2_PREFIX), declared once as
 * {@link CephStructs#MSGR2_BANNER}: {@code "ceph v2\n"}, le16 payload length, then le64 supported
 * and le64 required msgr2 feature bits (REVISION_1 = bit 0, COMPRESSION = bit 1). Not a frame: it
 * has no preamble and no CRC. A peer may send a longer payload; we read the two words and skip
 * the rest, as Ceph does.
 */
public record Banner(long supported, long required) {
    private static final PackedLayout LAYOUT = CephStructs.MSGR2_BANNER;
    private static final PackedField PREFIX_FIELD = LAYOUT.field("prefix");
    private static final PackedField PAYLOAD_LEN = LAYOUT.field("payload_len");
    private static final PackedField SUPPORTED = LAYOUT.field("supported_features");
    private static final PackedField REQUIRED = LAYOUT.field("required_features");
    public static final byte[] PREFIX = "ceph v2\n".getBytes(StandardCharsets.US_ASCII);
    /** The prefix and the le16 payload length: what must arrive before the payload's size is known. */
    public static final int PREFIX_LEN = SUPPORTED.offset();
    /** The payload we send: the two feature words. */
    private static final int PAYLOAD = LAYOUT.size() - PREFIX_LEN;
    public static final long FEATURE_REVISION_1 = 1L;
    public static final long FEATURE_COMPRESSION = 2L;
    private static final byte[] MSGR1 = "ceph v027".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PAYLOAD = 4096;

    public byte[] encode() {
        byte[] out = new byte[LAYOUT.size()];
        ByteBuf b = Unpooled.wrappedBuffer(out);
        PREFIX_FIELD.setBytes(b, 0, PREFIX);
        PAYLOAD_LEN.setLong(b, 0, PAYLOAD);
        SUPPORTED.setLong(b, 0, supported);
        REQUIRED.setLong(b, 0, required);
        return out;
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
        int payload = PAYLOAD_LEN.getInt(in, r);
        if (payload < PAYLOAD || payload > MAX_PAYLOAD) {
            throw new FrameException("banner", PAYLOAD_LEN.offset(), "banner payload length " + payload);
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
        Banner b = new Banner(SUPPORTED.getLong(in, r), REQUIRED.getLong(in, r));
        in.skipBytes(len);
        return b;
    }
}
