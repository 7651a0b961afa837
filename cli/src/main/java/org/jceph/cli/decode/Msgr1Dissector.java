package org.jceph.cli.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.messenger.MessageType;

/**
 * Annotates a msgr1 session (msg/async/ProtocolV1.cc, include/msgr.h): banners and the legacy
 * address exchange, the connect / connect_reply rounds with their authorizers, then the tagged
 * stream of messages (header, front, middle, data, footer, each CRC checked), acks and
 * keepalives. Both directions are walked together because the number of connect rounds the
 * client sends depends on the server's reply tags.
 */
final class Msgr1Dissector {
    static final byte[] BANNER = "ceph v027".getBytes(StandardCharsets.US_ASCII);
    private static final int ADDR = CephStructs.CEPH_ENTITY_ADDR.size();
    private static final long FEATURE_MSG_AUTH = 1L << 23;
    /** A message section beyond this is treated as corrupt framing, not allocated. */
    private static final long MAX_SECTION = 1L << 30;

    private static final String[] TAGS = {"?", "READY", "RESETSESSION", "WAIT", "RETRY_SESSION", "RETRY_GLOBAL",
        "CLOSE", "MSG", "ACK", "KEEPALIVE", "BADPROTOVER", "BADAUTHORIZER", "FEATURES", "SEQ", "KEEPALIVE2",
        "KEEPALIVE2_ACK", "CHALLENGE_AUTHORIZER"};

    private Msgr1Dissector() {
    }

    static boolean matches(byte[] s) {
        return s.length >= BANNER.length && java.util.Arrays.equals(s, 0, BANNER.length, BANNER, 0, BANNER.length);
    }

    static List<Event> dissect(TcpStreams.Connection c) {
        List<Event> out = new ArrayList<>();
        byte[] cb = c.client().bytes();
        byte[] sb = c.server().bytes();
        int cp = 0;
        int sp = 0;
        // banners and addresses
        if (matches(sb)) {
            sp = prefix(c.server(), sb, false, 2, out);
        }
        if (matches(cb)) {
            cp = prefix(c.client(), cb, true, 1, out);
        }
        if (cp < 0 || sp < 0) {
            return out;
        }
        long features = -1;
        boolean seq = false;
        // connect rounds
        while (true) {
            if (cb.length - cp < CephStructs.CEPH_MSG_CONNECT.size()) {
                if (cp < cb.length) {
                    out.add(incomplete(c.client(), true, cp, "ceph_msg_connect"));
                }
                return out;
            }
            List<String> lines = new Lines();
            Annotator a = new Annotator(cb, cp, cb.length - cp, cp, "connect", lines, "");
            long ourFeatures = field(CephStructs.CEPH_MSG_CONNECT, cb, cp, "features");
            long authLenL = field(CephStructs.CEPH_MSG_CONNECT, cb, cp, "authorizer_len");
            a.packed(CephStructs.CEPH_MSG_CONNECT, "");
            if (authLenL > a.remaining()) {
                out.add(new Event(c.client().timeOf(cp), true, cp, "connect", lines));
                out.add(incomplete(c.client(), true, cp + 33, "authorizer"));
                return out;
            }
            int authLen = (int) authLenL;
            if (authLen > 0) {
                authorizer(a, authLen);
            }
            int end = cp + 33 + authLen;
            out.add(new Event(c.client().timeOf(end - 1), true, cp, "connect (authorizer " + authLen + " bytes)", lines));
            cp = end;

            if (sb.length - sp < CephStructs.CEPH_MSG_CONNECT_REPLY.size()) {
                if (sp < sb.length) {
                    out.add(incomplete(c.server(), false, sp, "ceph_msg_connect_reply"));
                }
                return out;
            }
            List<String> rl = new Lines();
            Annotator r = new Annotator(sb, sp, sb.length - sp, sp, "connect_reply", rl, "");
            int tag = (int) field(CephStructs.CEPH_MSG_CONNECT_REPLY, sb, sp, "tag");
            long replyFeatures = field(CephStructs.CEPH_MSG_CONNECT_REPLY, sb, sp, "features");
            long replyAuthL = field(CephStructs.CEPH_MSG_CONNECT_REPLY, sb, sp, "authorizer_len");
            r.packed(CephStructs.CEPH_MSG_CONNECT_REPLY, "");
            if (replyAuthL > r.remaining()) {
                out.add(new Event(c.server().timeOf(sp), false, sp, "connect_reply " + tagName(tag), rl));
                out.add(incomplete(c.server(), false, sp + 26, "authorizer reply"));
                return out;
            }
            int replyAuth = (int) replyAuthL;
            if (replyAuth > 0) {
                r.field("bytes", tag == 16 ? "authorizer_challenge (encrypted)" : "authorizer_reply (encrypted)",
                        d -> d.readBytes(replyAuth), b -> b.length + " bytes");
            }
            int rend = sp + 26 + replyAuth;
            if (tag == 13 && sb.length - rend >= 8) {
                r.u64("existing_seq");
                rend += 8;
            }
            out.add(new Event(c.server().timeOf(rend - 1), false, sp, "connect_reply " + tagName(tag), rl));
            sp = rend;
            if (tag == 1 || tag == 13) {
                features = ourFeatures & replyFeatures;
                seq = tag == 13;
                break;
            }
            if (tag == 10 || tag == 12 || tag == 11 && authLen == 0) {
                return out; // refused
            }
        }
        if (seq && cb.length - cp >= 8) {
            List<String> l = new Lines();
            new Annotator(cb, cp, 8, cp, "seq", l, "").u64("acked_seq");
            out.add(new Event(c.client().timeOf(cp + 7), true, cp, "seq", l));
            cp += 8;
        }
        boolean signed = (features & FEATURE_MSG_AUTH) != 0;
        tags(c.client(), cb, cp, true, signed, out);
        tags(c.server(), sb, sp, false, signed, out);
        return out;
    }

    private static int prefix(TcpStreams.Stream s, byte[] b, boolean client, int addrs, List<Event> out) {
        int need = BANNER.length + addrs * ADDR;
        List<String> lines = new Lines();
        Annotator a = new Annotator(b, 0, Math.min(b.length, need), 0, "banner", lines, "");
        a.field("char[9]", "banner", d -> new String(d.readBytes(9), StandardCharsets.US_ASCII), Annotator::quote);
        if (b.length < need) {
            out.add(new Event(s.timeOf(0), client, 0, "banner", lines));
            out.add(incomplete(s, client, BANNER.length, "entity_addr exchange"));
            return -1;
        }
        String[] names = client ? new String[] {"my_addr."} : new String[] {"server_addr.", "peer_addr_for_me."};
        for (String n : names) {
            a.packed(CephStructs.CEPH_ENTITY_ADDR, n);
        }
        out.add(new Event(s.timeOf(need - 1), client, 0, "banner msgr1 + address exchange", lines));
        return need;
    }

    /** The authorizer's readable envelope: cephx v1 authorizer = u8 v, u64 global_id, u32 service, ticket. */
    private static void authorizer(Annotator a, int len) {
        int start = a.decoder().offset();
        try {
            a.u8("authorizer.struct_v");
            a.u64("authorizer.global_id");
            a.field("u32", "authorizer.service_id", CephDecoder::readU32Le,
                    t -> Msgr2Dissector.entityType(t.intValue()));
            a.u8("authorizer.ticket.struct_v");
            a.u64("authorizer.ticket.secret_id");
            a.blob("authorizer.ticket.blob (encrypted)");
            int left = len - (a.decoder().offset() - start);
            if (left > 0) {
                a.field("bytes", "authorizer.msg (encrypted)", d -> d.readBytes(left), b -> b.length + " bytes");
            }
        } catch (org.jceph.encoding.DecodeException e) {
            int left = len - (a.decoder().offset() - start);
            a.note("authorizer is not a cephx authorizer: " + e.getMessage());
            if (left > 0) {
                a.decoder().skip(left);
            }
        }
    }

    private static void tags(TcpStreams.Stream s, byte[] b, int p, boolean client, boolean signed, List<Event> out) {
        PackedLayout footer = signed ? CephStructs.CEPH_MSG_FOOTER : CephStructs.CEPH_MSG_FOOTER_OLD;
        PackedLayout header = CephStructs.CEPH_MSG_HEADER;
        while (p < b.length) {
            int tag = b[p] & 0xff;
            List<String> lines = new Lines();
            Annotator t = new Annotator(b, p, b.length - p, p, "tag", lines, "");
            t.field("u8", "tag", CephDecoder::readU8, v -> v + " (" + tagName(v) + ")");
            int start = p;
            int need;
            switch (tag) {
                case 7 -> {
                    if (b.length - p - 1 < header.size()) {
                        out.add(incomplete(s, client, p, "message header"));
                        return;
                    }
                    int h = p + 1;
                    int type = (int) field(header, b, h, "type");
                    long front = field(header, b, h, "front_len");
                    long middle = field(header, b, h, "middle_len");
                    long data = field(header, b, h, "data_len");
                    if (front > MAX_SECTION || middle > MAX_SECTION || data > MAX_SECTION) {
                        lines.add("        ! absurd section lengths: decoding of this direction stops here");
                        out.add(new Event(s.timeOf(p), client, p, "MSG", lines));
                        return;
                    }
                    long needL = 1L + header.size() + front + middle + data + footer.size();
                    if (b.length - p < needL) {
                        out.add(incomplete(s, client, p, "message " + MessageType.nameOf(type) + " (" + needL + " bytes)"));
                        return;
                    }
                    need = (int) needL;
                    lines.add("        -- ceph_msg_header");
                    int hcrc = Crc32c.update(0, b, h, 49);
                    t.packed(header, "");
                    lines.add("        header crc " + ((int) field(header, b, h, "crc") == hcrc ? "ok"
                            : String.format("BAD (computed %08x)", hcrc)));
                    int fs = h + header.size();
                    if (front > 0) {
                        lines.add("        -- front, " + front + " bytes");
                        Annotator fa = new Annotator(b, fs, (int) front, fs, "front", lines, "");
                        MessageBodies.front(type, fa);
                        t.decoder().skip((int) front);
                    }
                    if (middle > 0) {
                        t.field("bytes", "middle", d -> d.readBytes((int) middle), x -> x.length + " bytes");
                    }
                    if (data > 0) {
                        t.field("bytes", "data", d -> d.readBytes((int) data), x -> x.length + " bytes");
                    }
                    int ft = fs + (int) (front + middle + data);
                    lines.add("        -- " + footer.name());
                    t.packed(footer, "");
                    checkCrc(lines, "front", b, fs, (int) front, field(footer, b, ft, "front_crc"));
                    checkCrc(lines, "middle", b, fs + (int) front, (int) middle, field(footer, b, ft, "middle_crc"));
                    long flags = field(footer, b, ft, "flags");
                    if ((flags & 2) == 0) { // NOCRC not set
                        checkCrc(lines, "data", b, fs + (int) (front + middle), (int) data, field(footer, b, ft, "data_crc"));
                    }
                    out.add(new Event(s.timeOf(p + need - 1), client, start, "MSG " + MessageType.nameOf(type), lines));
                    p += need;
                    continue;
                }
                case 8 -> need = 9;
                case 14, 15 -> need = 9;
                case 6, 9 -> need = 1;
                default -> {
                    lines.add("        ! unknown tag: decoding of this direction stops here");
                    out.add(new Event(s.timeOf(p), client, p, "tag " + tag, lines));
                    return;
                }
            }
            if (b.length - p < need) {
                out.add(incomplete(s, client, p, tagName(tag)));
                return;
            }
            if (tag == 8) {
                t.u64("seq");
            } else if (tag == 14 || tag == 15) {
                t.u32("timestamp.sec");
                t.u32("timestamp.nsec");
            }
            out.add(new Event(s.timeOf(p + need - 1), client, start, tagName(tag), lines));
            p += need;
        }
    }

    private static void checkCrc(List<String> lines, String what, byte[] b, int off, int len, long got) {
        int want = Crc32c.update(0, b, off, len);
        lines.add("        " + what + " crc " + ((int) got == want ? "ok" : String.format("BAD (computed %08x)", want)));
    }

    private static long field(PackedLayout l, byte[] b, int base, String name) {
        return l.at(name).getLong(io.netty.buffer.Unpooled.wrappedBuffer(b), base);
    }

    static String tagName(int t) {
        return t > 0 && t < TAGS.length ? TAGS[t] : "unknown tag " + t;
    }

    private static Event incomplete(TcpStreams.Stream s, boolean client, long pos, String what) {
        return new Event(s.timeOf(pos), client, pos, "incomplete " + what,
                List.of("        capture ends inside " + what));
    }
}
