package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.Message;
import org.jceph.messenger.internal.Buffers;
import org.jceph.messenger.v1.V1FrameException;

/**
 * Incremental msgr1 decoder for the client side. Each {@code read*}/{@link #next} call either
 * returns a whole unit and consumes its bytes, or returns null and consumes nothing: units may be
 * split anywhere by TCP. Every length is checked against a cap before anything is allocated, the
 * header crc before the lengths it covers are trusted; errors are {@link V1FrameException}s naming
 * the unit and field and the offset in the receive stream.
 */
public final class V1Reader {
    /** ProtocolV1 asserts authorizer replies are shorter than this. */
    public static final int MAX_AUTHORIZER_REPLY = 4096;
    public static final long DEFAULT_MAX_MESSAGE = 256L << 20;

    private final long maxMessage;
    private long streamOffset;
    private long features;
    private MessageSigner signer;

    /** One thing the peer sent on an open session. */
    public sealed interface Event permits Msg, Ack, Keepalive, Keepalive2, Keepalive2Ack, Close {
    }

    /** A message; its data is a retained view of the receive buffer: release it when handled. */
    public record Msg(Message message, int srcType, long srcNum, int footerFlags) implements Event {
    }

    public record Ack(long seq) implements Event {
    }

    public record Keepalive() implements Event {
    }

    public record Keepalive2(long sec, long nsec) implements Event {
    }

    public record Keepalive2Ack(long sec, long nsec) implements Event {
    }

    public record Close() implements Event {
    }

    public V1Reader() {
        this(DEFAULT_MAX_MESSAGE);
    }

    public V1Reader(long maxMessage) {
        this.maxMessage = maxMessage;
    }

    /** The negotiated features: MSG_AUTH selects the 21-byte footer. */
    public void features(long f) {
        this.features = f;
    }

    /** Checks every incoming message's signature from now on (null: no signatures). */
    public void signer(MessageSigner s) {
        this.signer = s;
    }

    public long streamOffset() {
        return streamOffset;
    }

    private V1FrameException error(String part, long at, String reason) {
        return new V1FrameException(part, streamOffset + at, reason);
    }

    /** Banner, the server's address and ours as it sees it (281 bytes). */
    public V1Codec.ServerHello readServerHello(ByteBuf in) {
        int r = in.readerIndex();
        int n = Math.min(in.readableBytes(), V1Codec.BANNER.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(r + i) != V1Codec.BANNER[i]) {
                boolean v2 = in.readableBytes() >= 7 && in.toString(r, 7, java.nio.charset.StandardCharsets.US_ASCII)
                        .equals("ceph v2");
                throw error("banner", i, v2 ? "peer speaks msgr2 (banner 'ceph v2'), not msgr1"
                        : "not a msgr1 banner (expected 'ceph v027')");
            }
        }
        if (in.readableBytes() < V1Codec.SERVER_HELLO_LEN) {
            return null;
        }
        CephDecoder d = new CephDecoder(in.slice(r + V1Codec.BANNER.length, 2 * V1Codec.ADDR_LEN), "server hello");
        EntityAddr server;
        EntityAddr me;
        try {
            server = EntityAddr.decodeLegacy(d);
            me = EntityAddr.decodeLegacy(d);
        } catch (org.jceph.encoding.DecodeException e) {
            throw error("banner/addr", V1Codec.BANNER.length, e.getMessage());
        }
        consume(in, V1Codec.SERVER_HELLO_LEN);
        return new V1Codec.ServerHello(server, me);
    }

    /** ceph_msg_connect_reply, its authorizer reply and (tag SEQ) the u64 that follows. */
    public V1Codec.ConnectReply readConnectReply(ByteBuf in) {
        PackedLayout l = V1Codec.REPLY;
        if (in.readableBytes() < l.size()) {
            return null;
        }
        int r = in.readerIndex();
        int tag = (int) l.at("tag").getLong(in, r);
        long authLen = l.at("authorizer_len").getLong(in, r);
        if (authLen >= MAX_AUTHORIZER_REPLY) {
            throw error("connect_reply.authorizer_len", l.at("authorizer_len").offset(),
                    "authorizer reply of " + authLen + " bytes (limit " + MAX_AUTHORIZER_REPLY + ")");
        }
        int total = l.size() + (int) authLen + (tag == Tags.SEQ ? 8 : 0);
        if (in.readableBytes() < total) {
            return null;
        }
        byte[] auth = new byte[(int) authLen];
        in.getBytes(r + l.size(), auth);
        long acked = tag == Tags.SEQ ? in.getLongLE(r + l.size() + (int) authLen) : 0;
        V1Codec.ConnectReply reply = new V1Codec.ConnectReply(tag, l.at("features").getLong(in, r),
                l.at("global_seq").getLong(in, r), l.at("connect_seq").getLong(in, r),
                (int) l.at("protocol_version").getLong(in, r), (int) l.at("flags").getLong(in, r), auth, acked);
        consume(in, total);
        return reply;
    }

    /** The next event on an open session, or null if {@code in} does not hold a whole one yet. */
    public Event next(ByteBuf in) {
        if (in.readableBytes() < 1) {
            return null;
        }
        int r = in.readerIndex();
        int tag = in.getUnsignedByte(r);
        switch (tag) {
            case Tags.MSG:
                return message(in, r);
            case Tags.ACK:
                if (in.readableBytes() < 9) {
                    return null;
                }
                long seq = in.getLongLE(r + 1);
                consume(in, 9);
                return new Ack(seq);
            case Tags.KEEPALIVE:
                consume(in, 1);
                return new Keepalive();
            case Tags.KEEPALIVE2:
            case Tags.KEEPALIVE2_ACK:
                if (in.readableBytes() < 1 + V1Codec.TIMESPEC.size()) {
                    return null;
                }
                long sec = V1Codec.TIMESPEC.at("tv_sec").getLong(in, r + 1);
                long nsec = V1Codec.TIMESPEC.at("tv_nsec").getLong(in, r + 1);
                consume(in, 1 + V1Codec.TIMESPEC.size());
                return tag == Tags.KEEPALIVE2 ? new Keepalive2(sec, nsec) : new Keepalive2Ack(sec, nsec);
            case Tags.CLOSE:
                consume(in, 1);
                return new Close();
            default:
                throw error("tag", 0, "unexpected " + Tags.name(tag) + " on an open session");
        }
    }

    private Event message(ByteBuf in, int r) {
        PackedLayout h = V1Codec.HEADER;
        if (in.readableBytes() < 1 + h.size()) {
            return null;
        }
        int hb = r + 1;
        int crc = (int) V1Codec.H_CRC.getLong(in, hb);
        int expect = Crc32c.update(0, in, hb, V1Codec.HEADER_CRC_LEN);
        if (crc != expect) {
            throw error("MSG/header.crc", 1 + V1Codec.H_CRC.offset(),
                    String.format("header crc %08x, computed %08x", crc, expect));
        }
        long front = V1Codec.H_FRONT.getLong(in, hb);
        long middle = V1Codec.H_MIDDLE.getLong(in, hb);
        long data = V1Codec.H_DATA.getLong(in, hb);
        if (front + middle + data > maxMessage) {
            throw error("MSG/header.front_len", 1 + V1Codec.H_FRONT.offset(), "message of " + front + "+" + middle
                    + "+" + data + " bytes exceeds the limit of " + maxMessage);
        }
        boolean withSig = CephFeature.MSG_AUTH.isIn(features);
        PackedLayout fl = withSig ? V1Codec.FOOTER : V1Codec.FOOTER_OLD;
        long total = 1 + h.size() + front + middle + data + fl.size();
        if (in.readableBytes() < total) {
            return null;
        }
        int pos = hb + h.size();
        byte[] f = new byte[(int) front];
        in.getBytes(pos, f);
        pos += f.length;
        byte[] m = new byte[(int) middle];
        in.getBytes(pos, m);
        pos += m.length;
        int dataAt = pos; // the data is checked in place and handed up as a view, never copied
        pos += (int) data;
        int fo = pos - r; // footer offset within this unit
        int flags = (int) fl.at("flags").getLong(in, pos);
        V1Codec.Crcs got = new V1Codec.Crcs((int) fl.at("front_crc").getLong(in, pos),
                (int) fl.at("middle_crc").getLong(in, pos), (int) fl.at("data_crc").getLong(in, pos));
        V1Codec.Crcs computed = new V1Codec.Crcs(Crc32c.update(0, f), Crc32c.update(0, m),
                (flags & Tags.FOOTER_NOCRC) == 0 ? Crc32c.update(0, in, dataAt, (int) data) : got.data());
        check("front_crc", got.front(), computed.front(), fo + fl.at("front_crc").offset());
        check("middle_crc", got.middle(), computed.middle(), fo + fl.at("middle_crc").offset());
        check("data_crc", got.data(), computed.data(), fo + fl.at("data_crc").offset());
        long seq = V1Codec.H_SEQ.getLong(in, hb);
        if (signer != null && withSig) {
            long sig = fl.at("sig").getLong(in, pos);
            long want = signer.sign(crc, got, f.length, m.length, (int) data, seq);
            if (sig != want) {
                throw error("MSG/footer.sig", fo + fl.at("sig").offset(), "message seq " + seq
                        + " has a bad cephx signature" + ((flags & Tags.FOOTER_SIGNED) == 0 ? " (sender did not sign)" : ""));
            }
        }
        // Every check passed: only now take the (retained) view, which the receiver releases.
        Message msg = new Message((int) V1Codec.H_TYPE.getLong(in, hb), (int) V1Codec.H_VERSION.getLong(in, hb),
                (int) V1Codec.H_COMPAT.getLong(in, hb), (int) V1Codec.H_PRIO.getLong(in, hb),
                V1Codec.H_TID.getLong(in, hb), seq, f, m, Buffers.retainedRange(in, dataAt, (int) data));
        Msg out = new Msg(msg, (int) V1Codec.H_SRC_TYPE.getLong(in, hb), V1Codec.H_SRC_NUM.getLong(in, hb), flags);
        consume(in, (int) total);
        return out;
    }

    private void check(String field, int got, int computed, int at) {
        if (got != computed) {
            throw error("MSG/footer." + field, at, String.format("%s %08x, computed %08x", field, got, computed));
        }
    }

    private void consume(ByteBuf in, int n) {
        in.skipBytes(n);
        streamOffset += n;
    }
}
