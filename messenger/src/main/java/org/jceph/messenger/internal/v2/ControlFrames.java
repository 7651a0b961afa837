package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;

/** Payloads of the msgr2 control frames the client sends and receives (frames_v2.h). */
public final class ControlFrames {
    private ControlFrames() {
    }

    /** HELLO: u8 entity_type, entity_addr_t peer address as the sender sees it. */
    public record Hello(int entityType, EntityAddr peerAddr) {
        public byte[] encode() {
            return write(e -> {
                e.writeU8(entityType);
                peerAddr.encode(e);
            });
        }

        public static Hello decode(byte[] p) {
            CephDecoder d = CephDecoder.of(p, "HELLO");
            Hello h = new Hello(d.readU8(), EntityAddr.decode(d));
            d.expectEnd();
            return h;
        }
    }

    /** AUTH_REQUEST: u32 method, vector&lt;u32&gt; preferred modes, blob payload. */
    public static byte[] authRequest(int method, List<Integer> modes, byte[] payload) {
        return write(e -> e.writeU32Le(method).writeList(modes, (en, m) -> en.writeU32Le(m)).writeBlob(payload));
    }

    public static byte[] blob(byte[] payload) {
        return write(e -> e.writeBlob(payload));
    }

    public static byte[] readBlob(byte[] frame, String name) {
        CephDecoder d = CephDecoder.of(frame, name);
        byte[] b = d.readBlob();
        d.expectEnd();
        return b;
    }

    /** AUTH_BAD_METHOD: u32 method, s32 result, vector&lt;u32&gt; allowed methods, vector&lt;u32&gt; allowed modes. */
    public record AuthBadMethod(int method, int result, List<Long> allowedMethods, List<Long> allowedModes) {
        public static AuthBadMethod decode(byte[] p) {
            CephDecoder d = CephDecoder.of(p, "AUTH_BAD_METHOD");
            return new AuthBadMethod((int) d.readU32Le(), d.readS32Le(), d.readList(4, CephDecoder::readU32Le),
                    d.readList(4, CephDecoder::readU32Le));
        }
    }

    /** AUTH_DONE: u64 global_id, u32 con_mode, blob auth payload. */
    public record AuthDone(long globalId, int conMode, byte[] payload) {
        public static AuthDone decode(byte[] p) {
            CephDecoder d = CephDecoder.of(p, "AUTH_DONE");
            AuthDone a = new AuthDone(d.readU64Le(), (int) d.readU32Le(), d.readBlob());
            d.expectEnd();
            return a;
        }
    }

    /**
     * CLIENT_IDENT: addrvec my_addrs, addr target, s64 gid, u64 global_seq, u64 features supported,
     * u64 features required, u64 flags (1 = lossy), u64 client_cookie.
     */
    public record ClientIdent(EntityAddrVec myAddrs, EntityAddr target, long gid, long globalSeq,
                              long supported, long required, long flags, long cookie) {
        public byte[] encode() {
            return write(e -> {
                myAddrs.encode(e);
                target.encode(e);
                e.writeS64Le(gid).writeU64Le(globalSeq).writeU64Le(supported).writeU64Le(required)
                        .writeU64Le(flags).writeU64Le(cookie);
            });
        }

        public static ClientIdent decode(byte[] p) {
            CephDecoder d = CephDecoder.of(p, "CLIENT_IDENT");
            return new ClientIdent(EntityAddrVec.decode(d), EntityAddr.decode(d), d.readS64Le(), d.readU64Le(),
                    d.readU64Le(), d.readU64Le(), d.readU64Le(), d.readU64Le());
        }
    }

    /** SERVER_IDENT: addrvec addrs, s64 gid, u64 global_seq, u64 supported, u64 required, u64 flags, u64 cookie. */
    public record ServerIdent(EntityAddrVec addrs, long gid, long globalSeq, long supported, long required,
                              long flags, long cookie) {
        public static ServerIdent decode(byte[] p) {
            CephDecoder d = CephDecoder.of(p, "SERVER_IDENT");
            return new ServerIdent(EntityAddrVec.decode(d), d.readS64Le(), d.readU64Le(), d.readU64Le(),
                    d.readU64Le(), d.readU64Le(), d.readU64Le());
        }
    }

    /** COMPRESSION_REQUEST: bool is_compress, vector&lt;u32&gt; preferred methods (Compressor.h algorithm ids). */
    public static byte[] compressionRequest(boolean compress, List<Integer> methods) {
        return write(e -> e.writeU8(compress ? 1 : 0).writeList(methods, (en, m) -> en.writeU32Le(m)));
    }

    /** COMPRESSION_DONE: bool is_compress, u32 method (the algorithm id both sides use). */
    public record CompressionDone(boolean compress, long method) {
        public static CompressionDone decode(byte[] p) {
            CephDecoder d = CephDecoder.of(p, "COMPRESSION_DONE");
            CompressionDone c = new CompressionDone(d.readBool(), d.readU32Le());
            d.expectEnd();
            return c;
        }
    }

    public static byte[] u64(long v) {
        return write(e -> e.writeU64Le(v));
    }

    public static long readU64(byte[] p, String name) {
        CephDecoder d = CephDecoder.of(p, name);
        return d.readU64Le();
    }

    /** Writes one payload. */
    public interface Body {
        void write(CephEncoder e);
    }

    public static byte[] write(Body body) {
        ByteBuf b = Unpooled.buffer();
        body.write(new CephEncoder(b));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
