package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.Message;

/**
 * The fixed-layout pieces of msgr1 (src/include/msgr.h, src/msg/async/ProtocolV1.cc), written and
 * read through the packed layouts of {@link CephStructs}:
 * <pre>
 *  banner          "ceph v027" (9 bytes, no newline)
 *  server hello    banner | ceph_entity_addr server (136) | ceph_entity_addr client-as-seen (136)
 *  client hello    banner (sent on connect) ... ceph_entity_addr ours (136)
 *  connect         ceph_msg_connect (33) | authorizer (authorizer_len bytes)
 *  connect reply   ceph_msg_connect_reply (26) | authorizer reply | [tag SEQ: u64 acked seq]
 *  message         u8 MSG | ceph_msg_header (53) | front | middle | data | ceph_msg_footer (21)
 *                  (13-byte ceph_msg_footer_old when the peer lacks MSG_AUTH)
 *  ack             u8 ACK | u64 seq;   keepalive2(_ack)  u8 tag | ceph_timespec (u32 sec, u32 nsec)
 * </pre>
 * Header crc = crc32c(0) over its first 49 bytes; front/middle/data crcs = crc32c(0) of each part.
 */
public final class V1Codec {
    public static final byte[] BANNER = "ceph v027".getBytes(StandardCharsets.US_ASCII);
    public static final PackedLayout CONNECT = CephStructs.CEPH_MSG_CONNECT;
    public static final PackedLayout REPLY = CephStructs.CEPH_MSG_CONNECT_REPLY;
    public static final PackedLayout HEADER = CephStructs.CEPH_MSG_HEADER;
    public static final PackedLayout FOOTER = CephStructs.CEPH_MSG_FOOTER;
    public static final PackedLayout FOOTER_OLD = CephStructs.CEPH_MSG_FOOTER_OLD;
    public static final int ADDR_LEN = CephStructs.CEPH_ENTITY_ADDR.size();
    public static final int SERVER_HELLO_LEN = BANNER.length + 2 * ADDR_LEN;
    /** Bytes of the header the crc covers: everything before the crc field. */
    public static final int HEADER_CRC_LEN = HEADER.field("crc").offset();

    static final PackedField H_SEQ = HEADER.at("seq");
    static final PackedField H_TID = HEADER.at("tid");
    static final PackedField H_TYPE = HEADER.at("type");
    static final PackedField H_PRIO = HEADER.at("priority");
    static final PackedField H_VERSION = HEADER.at("version");
    static final PackedField H_FRONT = HEADER.at("front_len");
    static final PackedField H_MIDDLE = HEADER.at("middle_len");
    static final PackedField H_DATA = HEADER.at("data_len");
    static final PackedField H_DATA_OFF = HEADER.at("data_off");
    static final PackedField H_SRC_TYPE = HEADER.at("src.type");
    static final PackedField H_SRC_NUM = HEADER.at("src.num");
    static final PackedField H_COMPAT = HEADER.at("compat_version");
    static final PackedField H_CRC = HEADER.at("crc");

    private V1Codec() {
    }

    /** The connect request: ceph_msg_connect followed by the authorizer bytes. */
    public record Connect(long features, int hostType, long globalSeq, long connectSeq, int protocolVersion,
                          int authorizerProtocol, byte[] authorizer, int flags) {
        public byte[] encode() {
            ByteBuf b = Unpooled.buffer(CONNECT.size() + authorizer.length);
            CONNECT.at("features").setLong(b, 0, features);
            CONNECT.at("host_type").setLong(b, 0, hostType);
            CONNECT.at("global_seq").setLong(b, 0, globalSeq);
            CONNECT.at("connect_seq").setLong(b, 0, connectSeq);
            CONNECT.at("protocol_version").setLong(b, 0, protocolVersion);
            CONNECT.at("authorizer_protocol").setLong(b, 0, authorizer.length == 0 ? 0 : authorizerProtocol);
            CONNECT.at("authorizer_len").setLong(b, 0, authorizer.length);
            CONNECT.at("flags").setLong(b, 0, flags);
            b.writerIndex(CONNECT.size());
            b.writeBytes(authorizer);
            return CephEncoder.readableBytes(b);
        }
    }

    /** The server's ceph_msg_connect_reply, its authorizer reply, and (tag SEQ) the acked seq. */
    public record ConnectReply(int tag, long features, long globalSeq, long connectSeq, int protocolVersion,
                               int flags, byte[] authorizerReply, long ackedSeq) {
        @Override
        public String toString() {
            return "ConnectReply[" + Tags.name(tag) + " features=0x" + Long.toHexString(features) + " gseq=" + globalSeq
                    + " cseq=" + connectSeq + " proto=" + protocolVersion + " flags=" + flags + " authorizer_reply="
                    + authorizerReply.length + " bytes]";
        }
    }

    /** What the server said first: its address and ours as it sees us. */
    public record ServerHello(EntityAddr server, EntityAddr clientAsSeen) {
    }

    /** The legacy 136-byte form of {@code addr} (type written as 0, as Ceph's legacy encoding does). */
    public static byte[] legacyAddr(EntityAddr addr) {
        return CephEncoder.toBytes(addr::encodeLegacy);
    }

    /** ceph_msg_header with its crc filled in. */
    public static byte[] header(Message m, long seq, int srcType, long srcNum) {
        ByteBuf b = Unpooled.buffer(HEADER.size());
        b.setZero(0, HEADER.size());
        H_SEQ.setLong(b, 0, seq);
        H_TID.setLong(b, 0, m.tid());
        H_TYPE.setLong(b, 0, m.type());
        H_PRIO.setLong(b, 0, m.priority());
        H_VERSION.setLong(b, 0, m.version());
        H_FRONT.setLong(b, 0, m.front().length);
        H_MIDDLE.setLong(b, 0, m.middle().length);
        H_DATA.setLong(b, 0, m.dataLength());
        H_DATA_OFF.setLong(b, 0, 0);
        H_SRC_TYPE.setLong(b, 0, srcType);
        H_SRC_NUM.setLong(b, 0, srcNum);
        H_COMPAT.setLong(b, 0, m.compatVersion());
        H_CRC.setLong(b, 0, Integer.toUnsignedLong(Crc32c.update(0, b, 0, HEADER_CRC_LEN)));
        byte[] out = new byte[HEADER.size()];
        b.getBytes(0, out);
        return out;
    }

    /** The footer's three crcs (seed 0). */
    public record Crcs(int front, int middle, int data) {
        /** Computed over the parts in place (the data is not copied). */
        public static Crcs of(Message m) {
            return new Crcs(Crc32c.update(0, m.front()), Crc32c.update(0, m.middle()), Crc32c.update(0, m.data()));
        }
    }

    /** ceph_msg_footer (21 bytes, {@code withSig}) or ceph_msg_footer_old (13). */
    public static byte[] footer(Crcs crcs, long sig, int flags, boolean withSig) {
        PackedLayout l = withSig ? FOOTER : FOOTER_OLD;
        ByteBuf b = Unpooled.buffer(l.size());
        b.setZero(0, l.size());
        l.at("front_crc").setLong(b, 0, Integer.toUnsignedLong(crcs.front()));
        l.at("middle_crc").setLong(b, 0, Integer.toUnsignedLong(crcs.middle()));
        l.at("data_crc").setLong(b, 0, Integer.toUnsignedLong(crcs.data()));
        if (withSig) {
            l.at("sig").setLong(b, 0, sig);
        }
        l.at("flags").setLong(b, 0, flags);
        byte[] out = new byte[l.size()];
        b.getBytes(0, out);
        return out;
    }

    /** u8 tag | u64 seq. */
    public static byte[] ack(long seq) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(9).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) Tags.ACK).putLong(seq);
        return b.array();
    }

    public static final PackedLayout TIMESPEC = CephStructs.CEPH_TIMESPEC;

    /** u8 KEEPALIVE2 or KEEPALIVE2_ACK | ceph_timespec. */
    public static byte[] keepalive2(int tag, long sec, long nsec) {
        ByteBuf b = Unpooled.buffer(1 + TIMESPEC.size());
        b.setByte(0, tag);
        TIMESPEC.at("tv_sec").setLong(b, 1, sec);
        TIMESPEC.at("tv_nsec").setLong(b, 1, nsec);
        byte[] out = new byte[1 + TIMESPEC.size()];
        b.getBytes(0, out);
        return out;
    }
}
