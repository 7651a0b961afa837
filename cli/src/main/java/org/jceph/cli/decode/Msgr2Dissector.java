package org.jceph.cli.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.MessageType;

/**
 * Annotates one direction of a msgr2 session (doc/dev/msgr2.rst, msg/async/frames_v2.h): the
 * banner, then every frame with its preamble, segments and CRCs, in revision 1 (both sides set
 * the REVISION_1 feature) or revision 0 layout. Frames after AUTH_DONE in secure mode are
 * AES-GCM ciphertext and are only counted.
 */
final class Msgr2Dissector {
    static final byte[] BANNER = "ceph v2\n".getBytes(StandardCharsets.US_ASCII);
    static final int PREAMBLE = CephStructs.MSGR2_PREAMBLE.size();
    private static final int BANNER_LEN = CephStructs.MSGR2_BANNER.size();
    private static final int PREAMBLE_CRC_AT = CephStructs.MSGR2_PREAMBLE.field("crc").offset();
    private static final int EPILOGUE_REV1 = CephStructs.MSGR2_EPILOGUE_CRC_REV1.size();
    private static final int EPILOGUE_REV0 = CephStructs.MSGR2_EPILOGUE_CRC_REV0.size();
    /** A control frame is small; a message may be large but is bounded by what was captured. */
    private static final long MAX_FRAME = 1L << 30;

    private static final String[] TAGS = {"?", "HELLO", "AUTH_REQUEST", "AUTH_BAD_METHOD", "AUTH_REPLY_MORE",
        "AUTH_REQUEST_MORE", "AUTH_DONE", "AUTH_SIGNATURE", "CLIENT_IDENT", "SERVER_IDENT",
        "IDENT_MISSING_FEATURES", "SESSION_RECONNECT", "SESSION_RESET", "SESSION_RETRY", "SESSION_RETRY_GLOBAL",
        "SESSION_RECONNECT_OK", "WAIT", "MESSAGE", "KEEPALIVE2", "KEEPALIVE2_ACK", "ACK", "COMPRESSION_REQUEST",
        "COMPRESSION_DONE"};

    /** What the banners negotiated and what AUTH_DONE chose; shared by both directions. */
    static final class Session {
        long clientFeatures = -1;
        long serverFeatures = -1;
        /** Stream offset (per direction) after which frames are encrypted; -1 until known. */
        long secureAfterClient = -1;
        long secureAfterServer = -1;
        int conMode;
        /** The algorithm id COMPRESSION_DONE agreed on, 0 while none. */
        int compression;

        boolean rev1() {
            return (clientFeatures & 1) != 0 && (serverFeatures & 1) != 0;
        }
    }

    private Msgr2Dissector() {
    }

    static boolean matches(byte[] s) {
        return s.length >= BANNER.length && java.util.Arrays.equals(s, 0, BANNER.length, BANNER, 0, BANNER.length);
    }

    /** Reads both banners first, since the frame layout depends on what both sides support. */
    static Session banners(byte[] client, byte[] server) {
        Session s = new Session();
        s.clientFeatures = bannerFeatures(client);
        s.serverFeatures = bannerFeatures(server);
        return s;
    }

    private static long bannerFeatures(byte[] b) {
        if (b.length < BANNER_LEN || !matches(b)) {
            return -1;
        }
        return CephStructs.MSGR2_BANNER.field("supported_features").getLong(io.netty.buffer.Unpooled.wrappedBuffer(b), 0);
    }

    /**
     * Dissects the client's stream after the server's, so that AUTH_DONE (server) tells where the
     * client's encrypted part starts: the frame after the client's AUTH_REQUEST_MORE/AUTH_REQUEST.
     */
    static List<Event> dissect(TcpStreams.Stream stream, boolean fromClient, Session session) {
        byte[] b = stream.bytes();
        List<Event> out = new ArrayList<>();
        if (!matches(b)) {
            return out;
        }
        int pos = banner(b, stream, fromClient, out);
        if (pos < 0) {
            return out;
        }
        boolean rev1 = session.rev1();
        while (pos < b.length) {
            long secureFrom = fromClient ? session.secureAfterClient : session.secureAfterServer;
            if (secureFrom >= 0 && pos >= secureFrom) {
                List<String> lines = new Lines();
                lines.add("        " + (b.length - pos) + " bytes of AES-128-GCM frames (secure mode): not decoded");
                out.add(new Event(stream.timeOf(b.length - 1), fromClient, pos, "secure frames", lines));
                return out;
            }
            if (b.length - pos < PREAMBLE) {
                out.add(incomplete(stream, fromClient, pos, b.length - pos, "preamble"));
                return out;
            }
            List<String> lines = new Lines();
            Annotator pre = new Annotator(b, pos, PREAMBLE, pos, "preamble", lines, "");
            int tag = pre.field("u8", "tag", CephDecoder::readU8, t -> t + " (" + tagName(t) + ")");
            int num = pre.u8("num_segments");
            long[] len = new long[4];
            int shown = Math.max(1, Math.min(num, 4));
            for (int i = 0; i < shown; i++) {
                len[i] = pre.u32("segment[" + i + "].length");
                pre.u16("segment[" + i + "].alignment");
            }
            if (shown < 4) {
                byte[] unused = pre.field("u8[" + (6 * (4 - shown)) + "]", "segment[" + shown + "..3]",
                        d -> d.readBytes(6 * (4 - shown)), u -> Annotator.allZero(u) ? "(unused, zero)" : "(unused, NOT zero)");
                java.nio.ByteBuffer ub = java.nio.ByteBuffer.wrap(unused).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = shown; i < 4; i++) {
                    len[i] = ub.getInt(6 * (i - shown)) & 0xffffffffL;
                }
            }
            int flags = pre.field("u8", "flags", CephDecoder::readU8,
                    f -> String.format("0x%02x", f) + ((f & 1) != 0 ? " (FRAME_EARLY_DATA_COMPRESSED)" : ""));
            pre.field("u8", "reserved", CephDecoder::readU8);
            int preCrc = Crc32c.update(0, b, pos, PREAMBLE_CRC_AT);
            long crcL = pre.field("u32", "preamble_crc", CephDecoder::readU32Le, v -> crcNote(v, preCrc));
            String title = "frame " + tagName(tag);
            if ((int) crcL != preCrc || num < 1 || num > 4) {
                lines.add("        ! bad preamble: decoding of this direction stops here");
                out.add(new Event(stream.timeOf(pos), fromClient, pos, title, lines));
                return out;
            }
            long total = 0;
            for (int i = 0; i < 4; i++) {
                total += len[i];
            }
            int epilogue = rev1 ? (num > 1 ? EPILOGUE_REV1 : 0) : EPILOGUE_REV0;
            long frameLen = PREAMBLE + total + (rev1 ? 4 : 0) + epilogue;
            if (total > MAX_FRAME || pos + frameLen > b.length) {
                out.add(incomplete(stream, fromClient, pos, b.length - pos, title + " (" + frameLen + " bytes)"));
                return out;
            }
            int p = pos + PREAMBLE;
            boolean compressed = (flags & 1) != 0;
            byte[][] plain = compressed ? inflate(b, p, len, rev1, session, lines) : null;
            int msgType = -1;
            int typeAt = CephStructs.CEPH_MSG_HEADER2.field("type").offset();
            if (tag == 17 && plain != null && plain[0] != null && plain[0].length >= typeAt + 2) {
                msgType = (plain[0][typeAt] & 0xff) | (plain[0][typeAt + 1] & 0xff) << 8;
            } else if (tag == 17 && !compressed && len[0] >= typeAt + 2) {
                msgType = (b[p + typeAt] & 0xff) | (b[p + typeAt + 1] & 0xff) << 8;
            }
            int[] segStart = new int[4];
            for (int i = 0; i < 4; i++) {
                segStart[i] = p;
                p += (int) len[i];
                if (len[i] > 0 || (rev1 && i == 0)) {
                    if (compressed) {
                        if (len[i] > 0) {
                            lines.add("        -- segment " + i + ", " + len[i] + " bytes compressed"
                                    + (plain == null || plain[i] == null ? " (not inflated)" : ", " + plain[i].length
                                    + " bytes inflated (offsets below are within the inflated bytes):"));
                            if (plain != null && plain[i] != null) {
                                lines.addAll(segmentLines(tag, msgType, i, plain[i], 0, plain[i].length, session, fromClient));
                            }
                        }
                    } else if (len[i] > 0) {
                        lines.addAll(segmentLines(tag, msgType, i, b, segStart[i], (int) len[i], session, fromClient));
                    }
                }
                if (rev1 && i == 0) {
                    int want = Crc32c.update(-1, b, segStart[0], (int) len[0]);
                    Annotator c = new Annotator(b, p, 4, p, "crc", lines, "");
                    c.field("u32", "segment[0].crc", CephDecoder::readU32Le, v -> crcNote(v, want));
                    p += 4;
                }
            }
            if (epilogue > 0) {
                Annotator e = new Annotator(b, p, epilogue, p, "epilogue", lines, "");
                e.field("u8", rev1 ? "epilogue.late_status" : "epilogue.late_flags", CephDecoder::readU8,
                        v -> v + (rev1 ? ((v & 0xf) == 0xe ? " (complete)" : (v & 0xf) == 1 ? " (ABORTED)" : "")
                                : ((v & 1) != 0 ? " (ABORTED)" : "")));
                for (int i = rev1 ? 1 : 0; i < 4; i++) {
                    // segments beyond num_segments carry a zero crc
                    int want = i < num ? Crc32c.update(-1, b, segStart[i], (int) len[i]) : 0;
                    int seg = i;
                    e.field("u32", "epilogue.crc[" + seg + "]", CephDecoder::readU32Le, v -> crcNote(v, want));
                }
                p += epilogue;
            }
            if (msgType >= 0) {
                title = "frame MESSAGE " + MessageType.nameOf(msgType);
            }
            if (tag == 6 && !fromClient && session.conMode == 2) {
                session.secureAfterServer = p; // the server encrypts from the frame after AUTH_DONE
            }
            if ((tag == 2 || tag == 5) && fromClient && session.conMode == 2 && !plainPreambleAt(b, p)) {
                // the client encrypts from the frame after its last AUTH_REQUEST(_MORE), once it has
                // AUTH_DONE; another cleartext AUTH_REQUEST_MORE would carry a valid preamble crc
                session.secureAfterClient = p;
            }
            out.add(new Event(stream.timeOf(p - 1), fromClient, pos, title, lines));
            pos = p;
        }
        return out;
    }

    private static int banner(byte[] b, TcpStreams.Stream stream, boolean fromClient, List<Event> out) {
        if (b.length < BANNER_LEN) {
            out.add(incomplete(stream, fromClient, 0, b.length, "banner"));
            return -1;
        }
        List<String> lines = new Lines();
        Annotator a = new Annotator(b, 0, BANNER_LEN, 0, "banner", lines, "");
        a.field("char[8]", "magic", d -> new String(d.readBytes(8), StandardCharsets.US_ASCII), Annotator::quote);
        a.u16("payload_len");
        a.field("u64", "supported_features", CephDecoder::readU64Le, Msgr2Dissector::features);
        a.field("u64", "required_features", CephDecoder::readU64Le, Msgr2Dissector::features);
        out.add(new Event(stream.timeOf(BANNER_LEN - 1), fromClient, 0, "banner msgr2", lines));
        return BANNER_LEN;
    }

    static String features(long f) {
        StringBuilder s = new StringBuilder("0x" + Long.toHexString(f));
        if (f != 0) {
            List<String> n = new Lines();
            if ((f & 1) != 0) {
                n.add("REVISION_1");
            }
            if ((f & 2) != 0) {
                n.add("COMPRESSION");
            }
            if ((f & ~3L) != 0) {
                n.add("0x" + Long.toHexString(f & ~3L));
            }
            s.append(" (").append(String.join("|", n)).append(')');
        }
        return s.toString();
    }

    /**
     * The segments of a compressed frame inflated with the algorithm COMPRESSION_DONE agreed on
     * (null entries for empty segments), or null when that is unknown or a segment is corrupt.
     */
    private static byte[][] inflate(byte[] b, int p, long[] len, boolean rev1, Session session, List<String> lines) {
        org.jceph.messenger.internal.compress.CompressionAlgorithm a =
                org.jceph.messenger.internal.compress.CompressionAlgorithm.of(session.compression);
        if (a == null || !a.supported()) {
            lines.add("        ! compressed frame, but no supported algorithm was negotiated in this capture");
            return null;
        }
        org.jceph.messenger.internal.compress.SegmentCodec codec = org.jceph.messenger.internal.compress.SegmentCodec.of(a);
        byte[][] out = new byte[4][];
        int q = p;
        for (int i = 0; i < 4; i++) {
            if (len[i] > 0) {
                try {
                    out[i] = codec.decompress(io.netty.buffer.Unpooled.wrappedBuffer(b, q, (int) len[i]), 1 << 30);
                } catch (org.jceph.messenger.internal.compress.CorruptSegmentException e) {
                    lines.add("        ! segment " + i + " does not inflate with " + a.cephName + ": " + e.getMessage());
                    return null;
                }
            }
            q += (int) len[i] + (rev1 && i == 0 ? 4 : 0);
        }
        return out;
    }

    private static boolean plainPreambleAt(byte[] b, int p) {
        return b.length - p >= PREAMBLE && b[p] == 5
                && Crc32c.update(0, b, p, PREAMBLE_CRC_AT) == java.nio.ByteBuffer.wrap(b, p + PREAMBLE_CRC_AT, 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static List<String> segmentLines(int tag, int msgType, int seg, byte[] b, int start, int len,
                                             Session session, boolean fromClient) {
        List<String> lines = new Lines();
        String[] names = {"header", "front", "middle", "data"};
        lines.add("        -- segment " + seg + (tag == 17 ? " (" + names[seg] + ")" : "") + ", " + len + " bytes");
        Annotator a = new Annotator(b, start, len, start, "segment " + seg + (tag == 17 ? " " + names[seg] : ""), lines, "");
        try {
            if (tag == 17) {
                if (seg == 0 && len >= CephStructs.CEPH_MSG_HEADER2.size()) {
                    a.packed(CephStructs.CEPH_MSG_HEADER2, "");
                    a.rest("(beyond the header)");
                } else if (seg == 1) {
                    MessageBodies.front(msgType, a);
                } else {
                    a.rest(names[seg]);
                }
                return lines;
            }
            control(tag, a, session);
            a.rest("(trailing)");
        } catch (DecodeException e) {
            lines.add("        ! " + e.getMessage());
        }
        return lines;
    }

    private static void control(int tag, Annotator a, Session session) {
        switch (tag) {
            case 1 -> {
                a.field("u8", "entity_type", CephDecoder::readU8, Msgr2Dissector::entityType);
                a.field("entity_addr_t", "peer_addr", EntityAddr::decode);
            }
            case 2 -> {
                long method = a.field("u32", "method", CephDecoder::readU32Le, MessageBodies::authProtocol);
                int n = a.field("u32", "preferred_modes.count", dd -> dd.readCountLe("modes", 4));
                for (int i = 0; i < n; i++) {
                    a.field("u32", "preferred_modes[" + i + "]", CephDecoder::readU32Le, Msgr2Dissector::conMode);
                }
                int plen = a.field("u32", "auth_payload.length", dd -> dd.readLengthLe("auth_payload"));
                int first = plen > 0 && a.remaining() > 0 ? a.peekU8() : -1;
                if (method == 2 && plen >= 17 && first == 10) {
                    // to a monitor: AUTH_MODE_MONITOR, then who we are
                    a.field("u8", "cephx.auth_mode", CephDecoder::readU8, m -> m + " (mon)");
                    a.field("u32", "cephx.entity.type", CephDecoder::readU32Le, t -> entityType(t.intValue()));
                    a.string("cephx.entity.id");
                    a.u64("cephx.global_id");
                } else if (method == 2 && plen >= 30 && first == 1) {
                    // to any other daemon: a CephXAuthorizer (struct_v 1, global_id, service_id, the
                    // service ticket, then the encrypted CephXAuthorize with its nonce)
                    a.u8("cephx.authorizer.struct_v");
                    a.u64("cephx.authorizer.global_id");
                    a.field("u32", "cephx.authorizer.service_id", CephDecoder::readU32Le,
                            t -> entityType(t.intValue()));
                    a.u8("cephx.ticket.struct_v");
                    a.u64("cephx.ticket.secret_id");
                    a.field("blob", "cephx.ticket.blob", CephDecoder::readBlob, x -> x.length + " bytes (encrypted)");
                    a.field("blob", "cephx.authorize", CephDecoder::readBlob,
                            x -> x.length + " bytes (encrypted: nonce, challenge)");
                } else if (plen > 0) {
                    a.field("bytes", "auth_payload", dd -> dd.readBytes(plen), x -> x.length + " bytes");
                }
            }
            case 3 -> {
                a.field("u32", "method", CephDecoder::readU32Le, MessageBodies::authProtocol);
                a.s32("result");
                int n = a.field("u32", "allowed_methods.count", dd -> dd.readCountLe("methods", 4));
                for (int i = 0; i < n; i++) {
                    a.field("u32", "allowed_methods[" + i + "]", CephDecoder::readU32Le, MessageBodies::authProtocol);
                }
                int m = a.field("u32", "allowed_modes.count", dd -> dd.readCountLe("modes", 4));
                for (int i = 0; i < m; i++) {
                    a.field("u32", "allowed_modes[" + i + "]", CephDecoder::readU32Le, Msgr2Dissector::conMode);
                }
            }
            case 4, 5 -> a.blob("auth_payload (cephx, encrypted parts not shown)");
            case 6 -> {
                a.u64("global_id");
                long mode = a.field("u32", "con_mode", CephDecoder::readU32Le, Msgr2Dissector::conMode);
                a.blob("auth_payload (cephx, encrypted)");
                session.conMode = (int) mode;
            }
            case 7 -> a.field("u8[32]", "sha256", dd -> dd.readBytes(32), Annotator::hexString);
            case 8 -> {
                a.field("entity_addrvec_t", "addrs", EntityAddrVec::decode);
                a.field("entity_addr_t", "target_addr", EntityAddr::decode);
                a.field("s64", "gid", CephDecoder::readS64Le);
                a.u64("global_seq");
                a.hex64("supported_features");
                a.hex64("required_features");
                a.field("u64", "flags", CephDecoder::readU64Le, f -> f + ((f & 1) != 0 ? " (lossy)" : ""));
                a.hex64("client_cookie");
            }
            case 9 -> {
                a.field("entity_addrvec_t", "addrs", EntityAddrVec::decode);
                a.field("s64", "gid", CephDecoder::readS64Le);
                a.u64("global_seq");
                a.hex64("supported_features");
                a.hex64("required_features");
                a.field("u64", "flags", CephDecoder::readU64Le, f -> f + ((f & 1) != 0 ? " (lossy)" : ""));
                a.hex64("server_cookie");
            }
            case 10 -> a.hex64("missing_features");
            case 11 -> {
                a.field("entity_addrvec_t", "addrs", EntityAddrVec::decode);
                a.hex64("client_cookie");
                a.hex64("server_cookie");
                a.u64("global_seq");
                a.u64("connect_seq");
                a.u64("msg_seq");
            }
            case 12 -> a.field("bool", "full", CephDecoder::readBool);
            case 13 -> a.u64("connect_seq");
            case 14 -> a.u64("global_seq");
            case 15, 20 -> a.u64(tag == 15 ? "msg_seq" : "seq");
            case 18, 19 -> {
                a.u32("timestamp.sec");
                a.u32("timestamp.nsec");
            }
            case 21 -> {
                a.field("bool", "is_compress", CephDecoder::readBool);
                int n = a.field("u32", "preferred_methods.count", dd -> dd.readCountLe("methods", 4));
                for (int i = 0; i < n; i++) {
                    a.field("u32", "preferred_methods[" + i + "]", CephDecoder::readU32Le, Msgr2Dissector::compressionMethod);
                }
            }
            case 22 -> {
                boolean on = a.field("bool", "is_compress", CephDecoder::readBool);
                long m = a.field("u32", "method", CephDecoder::readU32Le, Msgr2Dissector::compressionMethod);
                session.compression = on ? (int) m : 0;
            }
            default -> {
                // WAIT has no payload
            }
        }
    }

    static String compressionMethod(long m) {
        org.jceph.messenger.internal.compress.CompressionAlgorithm a =
                org.jceph.messenger.internal.compress.CompressionAlgorithm.of(m);
        return m + (a == null ? "" : " (" + a.cephName + ")");
    }

    static String conMode(long m) {
        return m + (m == 1 ? " (crc)" : m == 2 ? " (secure)" : "");
    }

    static String entityType(int t) {
        return t + switch (t) {
            case 1 -> " (mon)";
            case 2 -> " (mds)";
            case 4 -> " (osd)";
            case 8 -> " (client)";
            case 16 -> " (mgr)";
            case 32 -> " (auth)";
            default -> "";
        };
    }

    static String tagName(int t) {
        return t > 0 && t < TAGS.length ? TAGS[t] : "unknown tag " + t;
    }

    private static String crcNote(long v, int expect) {
        return String.format("%08x %s", v, (int) v == expect ? "ok" : String.format("BAD (computed %08x)", expect));
    }

    private static Event incomplete(TcpStreams.Stream s, boolean fromClient, long pos, int have, String what) {
        return new Event(s.timeOf(pos), fromClient, pos, "incomplete " + what,
                List.of("        capture ends after " + have + " bytes of " + what));
    }
}
