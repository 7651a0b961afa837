package org.jceph.encoding.types;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;

/**
 * {@code entity_addr_t} (src/msg/msg_types.h): an address type (legacy msgr1, msgr2, any), a nonce
 * that tells incarnations apart, and a socket address.
 *
 * <p>Two encodings exist and both are kept exact:
 * <ul>
 *   <li>legacy (peer lacks MSG_ADDR2, and inside msgr1 handshakes): the packed 136-byte
 *       {@code ceph_entity_addr}, u32 0, u32 nonce, a 128-byte sockaddr_storage whose family is
 *       <em>big-endian</em> — see {@link CephStructs#CEPH_ENTITY_ADDR};</li>
 *   <li>new: marker byte 1, then an envelope (v1, compat 1) holding u32 type, u32 nonce, u32
 *       sockaddr length, and, if non-zero, the family as a <em>little-endian</em> u16 followed by
 *       the sockaddr bytes after the family.</li>
 * </ul>
 * {@code data} is the sockaddr without its family: port (big-endian), then the IPv4 address and
 * eight zeros, or IPv6 flow info, address and scope id.
 */
public final class EntityAddr {
    public static final int TYPE_NONE = 0;
    public static final int TYPE_LEGACY = 1;
    public static final int TYPE_MSGR2 = 2;
    public static final int TYPE_ANY = 3;
    public static final int TYPE_CIDR = 4;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    private static final PackedLayout LEGACY = CephStructs.CEPH_ENTITY_ADDR;
    private static final int LEGACY_DATA_BYTES = 126;

    private final int type;
    private final long nonce;
    private final int family;
    private final byte[] data;
    private final boolean legacyEncoding;

    private EntityAddr(int type, long nonce, int family, byte[] data, boolean legacyEncoding) {
        this.type = type;
        this.nonce = nonce;
        this.family = family;
        this.data = data;
        this.legacyEncoding = legacyEncoding;
    }

    /** An IPv4 or IPv6 address of the given type, to be sent in the new encoding. */
    public static EntityAddr of(int type, long nonce, InetSocketAddress socket) {
        InetAddress ip = socket.getAddress();
        byte[] raw = ip.getAddress();
        byte[] data;
        int family;
        if (raw.length == 4) {
            family = AF_INET;
            data = new byte[14];
            System.arraycopy(raw, 0, data, 2, 4);
        } else {
            family = AF_INET6;
            data = new byte[26];
            System.arraycopy(raw, 0, data, 6, 16);
        }
        data[0] = (byte) (socket.getPort() >>> 8);
        data[1] = (byte) socket.getPort();
        return new EntityAddr(type, nonce, family, data, false);
    }

    /** The empty address (type NONE, no sockaddr). */
    public static EntityAddr none() {
        return new EntityAddr(TYPE_NONE, 0, 0, new byte[0], false);
    }

    public int type() {
        return type;
    }

    public long nonce() {
        return nonce;
    }

    public int family() {
        return family;
    }

    /** Whether this address was decoded from (and so re-encodes to) the legacy form. */
    public boolean legacyEncoding() {
        return legacyEncoding;
    }

    public EntityAddr withLegacyEncoding(boolean legacy) {
        return new EntityAddr(legacy ? TYPE_LEGACY : type, nonce, family, legacy ? legacyData() : data, legacy);
    }

    public EntityAddr withType(int newType) {
        return new EntityAddr(newType, nonce, family, data, legacyEncoding);
    }

    public EntityAddr withNonce(long newNonce) {
        return new EntityAddr(type, newNonce, family, data, legacyEncoding);
    }

    public int port() {
        return data.length >= 2 ? ((data[0] & 0xFF) << 8) | (data[1] & 0xFF) : 0;
    }

    /** The socket address, or null for family 0. */
    public InetSocketAddress socketAddress() {
        try {
            if (family == AF_INET && data.length >= 6) {
                return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(data, 2, 6)), port());
            }
            if (family == AF_INET6 && data.length >= 22) {
                return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(data, 6, 22)), port());
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private byte[] legacyData() {
        return Arrays.copyOf(data, LEGACY_DATA_BYTES);
    }

    /** Decodes either form, as Ceph's decoder does: marker 0 is legacy, marker 1 the new form. */
    public static EntityAddr decode(CephDecoder d) {
        d.push("entity_addr_t");
        ByteBuf in = d.buffer();
        int marker = in.isReadable() ? in.getUnsignedByte(in.readerIndex()) : -1;
        EntityAddr a;
        if (marker == 0) {
            a = decodeLegacy(d);
        } else if (marker == 1) {
            d.readU8();
            CephDecoder.Envelope env = d.beginStruct("entity_addr_t", 1);
            int type = (int) d.readU32Le();
            long nonce = d.readU32Le();
            int saLen = d.readLengthLe("sockaddr");
            int family = 0;
            byte[] data = new byte[0];
            if (saLen > 0) {
                if (saLen < 2) {
                    throw d.error("sockaddr length " + saLen + " cannot hold a family");
                }
                family = d.readU16Le();
                data = d.readBytes(saLen - 2);
            }
            d.endStruct(env);
            a = new EntityAddr(type, nonce, family, data, false);
        } else {
            throw d.error("unknown entity_addr_t marker " + marker);
        }
        d.pop();
        return a;
    }

    /** The packed 136-byte legacy form (msgr1 banners, old encodings). */
    public static EntityAddr decodeLegacy(CephDecoder d) {
        ByteBuf in = d.buffer();
        if (d.remaining() < LEGACY.size()) {
            throw d.error("legacy ceph_entity_addr needs " + LEGACY.size() + " bytes, " + d.remaining() + " remain");
        }
        int base = in.readerIndex();
        long nonce = LEGACY.field("nonce").getLong(in, base);
        int inAddr = base + LEGACY.field("in_addr").offset();
        int family = in.getUnsignedShort(inAddr); // big-endian on the wire
        byte[] data = new byte[LEGACY_DATA_BYTES];
        in.getBytes(inAddr + 2, data);
        d.skip(LEGACY.size());
        int type = family == 0 ? TYPE_NONE : TYPE_LEGACY;
        return new EntityAddr(type, nonce, family, data, true);
    }

    public void encode(CephEncoder e) {
        if (legacyEncoding) {
            encodeLegacy(e);
            return;
        }
        e.writeU8(1);
        int mark = e.beginStruct(1, 1);
        e.writeU32Le(type).writeU32Le(nonce);
        if (family == 0 && data.length == 0) {
            e.writeU32Le(0);
        } else {
            e.writeU32Le(2 + data.length);
            e.writeU16Le(family);
            e.writeBytes(data);
        }
        e.finishStruct(mark);
    }

    /** Writes the packed legacy form: u32 0, nonce, big-endian family, sockaddr bytes, zero padded. */
    public void encodeLegacy(CephEncoder e) {
        ByteBuf out = e.buffer();
        int base = out.writerIndex();
        out.ensureWritable(LEGACY.size());
        out.setZero(base, LEGACY.size());
        LEGACY.field("type").setLong(out, base, 0);
        LEGACY.field("nonce").setLong(out, base, nonce);
        int inAddr = base + LEGACY.field("in_addr").offset();
        out.setShort(inAddr, family);
        out.setBytes(inAddr + 2, data, 0, Math.min(data.length, LEGACY_DATA_BYTES));
        out.writerIndex(base + LEGACY.size());
    }

    public byte[] encodeToBytes() {
        return CephEncoder.toBytes(this::encode);
    }

    public static String typeName(int type) {
        return switch (type) {
            case TYPE_NONE -> "none";
            case TYPE_LEGACY -> "v1";
            case TYPE_MSGR2 -> "v2";
            case TYPE_ANY -> "any";
            case TYPE_CIDR -> "cidr";
            default -> "type" + type;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityAddr a && a.type == type && a.nonce == nonce && a.family == family
                && Arrays.equals(a.data, data) && a.legacyEncoding == legacyEncoding;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nonce) * 31 + Arrays.hashCode(data) + type;
    }

    /** Ceph's notation: {@code v2:127.0.0.1:3300/0}. */
    @Override
    public String toString() {
        InetSocketAddress s = socketAddress();
        String where = s == null ? "-" : (family == AF_INET6 ? "[" + s.getAddress().getHostAddress() + "]"
                : s.getAddress().getHostAddress()) + ":" + s.getPort();
        return typeName(type) + ":" + where + "/" + nonce;
    }
}
