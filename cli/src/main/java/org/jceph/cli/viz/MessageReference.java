package org.jceph.cli.viz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jceph.cli.decode.FrontFields;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.UTime;
import org.jceph.encoding.WireTrace;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.internal.v2.Banner;
import org.jceph.messenger.internal.v2.Frame;
import org.jceph.messenger.internal.v2.FrameReader;
import org.jceph.messenger.internal.v2.Tag;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.rados.WatchNotify;
import org.jceph.rados.internal.Backoffs;
import org.jceph.rados.internal.MonStatMessages;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.PoolOps;

/**
 * The message half of the protocol reference (docs/protocol/messages.md): for every message jceph
 * sends or receives, its type, header version and compat, and the field sequence of its front as
 * the codec itself writes or reads it, recorded with {@link WireTrace} while the codec runs over a
 * sample. Messages we send are traced through their encoder; messages we receive through their
 * decoder, over a front captured from a real daemon where the captures hold one, else over a
 * front built here (the field sequence is then still the decoder's: what it reads, in order).
 */
final class MessageReference {
    /** Reads a capture by its name under fixtures/messenger. */
    interface Captures {
        byte[] load(String name);
    }

    /**
     * The name {@code jceph decode} gives the bytes of {@code s}: the annotated field with the same
     * span, or the fields that tile it, or the field it lies inside; null when the annotation's
     * boundaries disagree with the codec's.
     */
    static String nameOf(WireTrace.Step s, List<FrontFields.Field> fields) {
        int start = s.offset();
        int end = s.offset() + s.width();
        List<FrontFields.Field> inside = new ArrayList<>();
        for (FrontFields.Field f : fields) {
            int fe = f.offset() + f.width();
            if (f.offset() == start && fe == end) {
                return f.name();
            }
            if (f.offset() <= start && fe >= end && f.width() > s.width()) {
                return "(in " + f.name() + ")";
            }
            if (f.offset() >= start && fe <= end) {
                inside.add(f);
            }
        }
        int next = start;
        for (FrontFields.Field f : inside) {
            if (f.offset() != next) {
                return null;
            }
            next = f.offset() + f.width();
        }
        if (inside.isEmpty() || next != end) {
            return null;
        }
        return inside.size() == 1 ? inside.get(0).name()
                : inside.get(0).name() + " \u2026 " + inside.get(inside.size() - 1).name() + " (" + inside.size() + " fields)";
    }

    /** The decode names of every step of {@code e} (null entries where they disagree), or null if decode does not know it. */
    static List<String> names(Entry e) {
        if (!FrontFields.known(e.type())) {
            return null;
        }
        List<FrontFields.Field> fields = FrontFields.of(e.type(), e.message().front());
        List<String> out = new ArrayList<>();
        for (WireTrace.Step s : e.steps()) {
            out.add(nameOf(s, fields));
        }
        return out;
    }

    /** One message section. */
    record Entry(String name, int type, boolean sent, String codec, String sample, Message message,
                 List<WireTrace.Step> steps) {
    }

    private static final UUID FSID = UUID.fromString("8f2c6a1e-4b7d-4c3a-9e51-2f0d6b8a7c14");
    private static final UTime MTIME = new UTime(1_700_000_000L, 123_456_789L);

    private MessageReference() {
    }

    private static Entry sent(String name, String codec, String sample, Supplier<Message> encoder) {
        Message[] out = new Message[1];
        List<WireTrace.Step> steps = WireTrace.record(() -> out[0] = encoder.get());
        return new Entry(name, out[0].type(), true, codec, sample, out[0], steps);
    }

    private static Entry received(String name, String codec, String sample, Message m, Function<Message, ?> decoder) {
        List<WireTrace.Step> steps = WireTrace.record(() -> decoder.apply(m));
        return new Entry(name, m.type(), false, codec, sample, m, steps);
    }

    private static byte[] front(java.util.function.Consumer<CephEncoder> body) {
        return CephEncoder.toBytes(body);
    }

    /** Every message section, sent ones first, each group in type order. */
    static List<Entry> entries(Captures captures) {
        List<Entry> out = new ArrayList<>();
        // ---- sent ------------------------------------------------------------------------------
        out.add(sent("MStatfs", "MonStatMessages.statfs", "cluster-wide statfs", () -> MonStatMessages.statfs(FSID)));
        out.add(sent("MMonGetMap", "MonMessages.getMonMap", "empty front", MonMessages::getMonMap));
        out.add(sent("MMonSubscribe", "MonMessages.subscribe", "osdmap from epoch 0, monmap one-time",
                () -> MonMessages.subscribe(new TreeMap<>(Map.of("osdmap", new long[] {0, 0}, "monmap",
                        new long[] {0, MonMessages.SUBSCRIBE_ONETIME})), "client-host")));
        out.add(sent("MMonGetVersion", "MonStatMessages.getVersion", "handle 1, \"osdmap\"",
                () -> MonStatMessages.getVersion(1, "osdmap")));
        out.add(sent("MOSDOp", "OsdOpMessages.encode", "a read and a stat of one object, pool 2, no snaps",
                () -> OsdOpMessages.encode(new OsdOpMessages.Request(7, new PgId(2, 0x1a, -1), 0x5a3f001aL, 31, "obj",
                        new ObjectLocator(2, -1, "", "", -1, 6), List.of(OsdOp.read(0, 4096), OsdOp.stat()), MTIME,
                        0x3f01cfbffffdffffL, OsdOpMessages.NOSNAP, SnapContext.EMPTY, 0))));
        out.add(sent("MPoolOp", "PoolOps.request", "create pool snapshot \"s1\" of pool 2",
                () -> PoolOps.request(FSID, 31, 2, PoolOps.CREATE_SNAP, 0, "s1")));
        out.add(sent("MMonCommand", "MonMessages.command", "{\"prefix\": \"status\"}",
                () -> MonMessages.command(9, FSID, List.of("{\"prefix\": \"status\"}"), new byte[0])));
        out.add(sent("MGetPoolStats", "MonStatMessages.poolStats", "pools \"rbd\" and \"data\"",
                () -> MonStatMessages.poolStats(FSID, List.of("rbd", "data"))));
        out.add(sent("MOSDBackoff (ack)", "Backoffs.ackFor", "ack of a block on one object",
                () -> Backoffs.ackFor(new Backoffs.Backoff(new SPgId(new PgId(2, 0x1a, -1), SPgId.NO_SHARD), 31,
                        Backoffs.OP_BLOCK, 5, Backoffs.target(2, "", "", "obj", 0x5a3f001aL),
                        Backoffs.target(2, "", "", "obj", 0x5a3f001aL)))));
        // ---- received: captured fronts -----------------------------------------------------------
        Map<Integer, Entry> captured = new TreeMap<>();
        for (String name : List.of("pacific-16.2.15-crc-server.bin", "tentacle-20.2.4-crc-server.bin")) {
            for (Message m : messages(captures.load(name))) {
                Function<Message, ?> dec = decoder(m.type());
                if (dec != null && !captured.containsKey(m.type())) {
                    captured.put(m.type(), received(decoderName(m.type()), codecName(m.type()),
                            "captured: " + name + " (the first such message)", m, dec));
                }
            }
        }
        // ---- received: built fronts for what the captures do not hold ---------------------------
        Map<Integer, Entry> built = new TreeMap<>();
        built.put(MessageType.STATFS_REPLY.number(), received("MStatfsReply", "MonStatMessages.decodeStatfs", "built: version 31, 1 TiB, 123 objects",
                Message.of(MessageType.STATFS_REPLY.number(), 1, 1, front(e -> e.writeUuid(FSID).writeU64Le(31).writeU64Le(1L << 30)
                        .writeU64Le(1L << 20).writeU64Le((1L << 30) - (1L << 20)).writeU64Le(123))),
                MonStatMessages::decodeStatfs));
        built.put(MessageType.OSD_BACKOFF.number(), received("MOSDBackoff (block)", "Backoffs.decode", "built by Backoffs.encode: a block on one object",
                Backoffs.encode(new Backoffs.Backoff(new SPgId(new PgId(2, 0x1a, -1), SPgId.NO_SHARD), 31,
                        Backoffs.OP_BLOCK, 5, Backoffs.target(2, "", "", "obj", 0x5a3f001aL),
                        Backoffs.target(2, "", "", "obj", 0x5a3f001aL))), Backoffs::decode));
        built.put(MessageType.CONFIG.number(), received("MConfig", "MonStatMessages.decodeConfig", "built: one option",
                Message.of(MessageType.CONFIG.number(), 1, 1, front(e -> e.writeMap(new TreeMap<>(Map.of("ms_mon_client_mode", "crc")),
                        CephEncoder::writeString, CephEncoder::writeString))), MonStatMessages::decodeConfig));
        built.put(MessageType.MON_GET_VERSION_REPLY.number(), received("MMonGetVersionReply", "MonStatMessages.decodeVersion", "built: handle 1, newest 31, oldest 1",
                Message.of(MessageType.MON_GET_VERSION_REPLY.number(), 1, 1, front(e -> e.writeU64Le(1).writeU64Le(31).writeU64Le(1))),
                MonStatMessages::decodeVersion));
        built.put(MessageType.OSD_OPREPLY.number(), received("MOSDOpReply", "OsdOpMessages.decode", "built: a v8 reply to the read above, 4096 bytes read",
                new Message(MessageType.OSD_OPREPLY.number(), 8, 2, Message.PRIO_DEFAULT, 7, 0, osdOpReply(), new byte[0], new byte[4096]),
                OsdOpMessages::decode));
        built.put(MessageType.WATCH_NOTIFY.number(), received("MWatchNotify", "WatchNotify.decode", "built: a v3 notify with a 5-byte payload",
                new Message(MessageType.WATCH_NOTIFY.number(), 3, 1, Message.PRIO_DEFAULT, 0, 0, front(e -> e.writeU8(1).writeU8(WatchNotify.EVENT_NOTIFY)
                        .writeU64Le(0x10).writeU64Le(3).writeU64Le(0x4242).writeBlob("hello".getBytes())
                        .writeS32Le(0).writeU64Le(4170)), new byte[0], new byte[0]),
                WatchNotify::decode));
        built.put(MessageType.POOLOP_REPLY.number(), received("MPoolOpReply", "PoolOps.decode", "built: success at epoch 32, no data",
                Message.of(MessageType.POOLOP_REPLY.number(), 1, 1, front(e -> e.writeU64Le(32).writeU16Le(0xFFFF).writeU64Le(0).writeUuid(FSID)
                        .writeS32Le(0).writeU32Le(32).writeU8(0))), PoolOps::decode));
        built.put(MessageType.MON_COMMAND_ACK.number(), received("MMonCommandAck", "MonMessages.decodeCommandAck", "built: r = 0, status \"\"",
                new Message(MessageType.MON_COMMAND_ACK.number(), 1, 1, Message.PRIO_DEFAULT, 9, 0, front(e -> e.writeU64Le(0).writeU16Le(0xFFFF)
                        .writeU64Le(0).writeS32Le(0).writeString("").writeList(List.of("{\"prefix\": \"status\"}"),
                                CephEncoder::writeString)), new byte[0], new byte[0]),
                MonMessages::decodeCommandAck));
        for (Map.Entry<Integer, Entry> e : built.entrySet()) {
            captured.putIfAbsent(e.getKey(), e.getValue());
        }
        out.addAll(captured.values());
        return out;
    }

    /** An MOSDOpReply v8 front answering a read of 4096 bytes. */
    private static byte[] osdOpReply() {
        var layout = org.jceph.encoding.packed.CephStructs.CEPH_OSD_OP;
        byte[] ops = new byte[layout.size()];
        layout.encode(Unpooled.wrappedBuffer(ops), 0, Map.of("op", (long) OsdOp.READ, "u.extent.length", 4096L,
                "payload_len", 4096L), Map.of());
        return front(e -> {
            e.writeString("obj");
            new PgId(2, 0x1a, -1).encode(e);
            e.writeU64Le(0x10 | 0x4); // READ | ONDISK
            e.writeS32Le(0);
            new EVersion(0, 0).encode(e);
            e.writeU32Le(31);
            e.writeU32Le(1);
            e.writeBytes(ops);
            e.writeS32Le(0); // retry_attempt
            e.writeS32Le(0); // rval of the one op
            new EVersion(0, 0).encode(e);
            e.writeU64Le(17); // user_version
            e.writeU8(0); // no redirect
        });
    }

    /** The received messages whose captured fronts the reference shows, and the codec that reads each. */
    private static final Map<MessageType, Function<Message, ?>> DECODERS = Map.of(
            MessageType.MON_MAP, MonMessages::decodeMonMap,
            MessageType.OSD_MAP, MonMessages::decodeOsdMap,
            MessageType.CONFIG, MonStatMessages::decodeConfig,
            MessageType.MON_GET_VERSION_REPLY, MonStatMessages::decodeVersion);
    private static final Map<MessageType, String> CODEC_NAMES = Map.of(
            MessageType.MON_MAP, "MonMessages.decodeMonMap",
            MessageType.OSD_MAP, "MonMessages.decodeOsdMap",
            MessageType.CONFIG, "MonStatMessages.decodeConfig",
            MessageType.MON_GET_VERSION_REPLY, "MonStatMessages.decodeVersion");

    private static Function<Message, ?> decoder(int type) {
        return MessageType.byNumber(type).map(DECODERS::get).orElse(null);
    }

    private static String decoderName(int type) {
        return MessageType.nameOf(type);
    }

    private static String codecName(int type) {
        return MessageType.byNumber(type).map(CODEC_NAMES::get).orElse("?");
    }

    /** The messages of one captured msgr2.1 crc stream (a peer's bytes from its banner on). */
    static List<Message> messages(byte[] stream) {
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        int len = Banner.wireLength(in);
        Banner.read(in);
        FrameReader r = new FrameReader();
        r.advanceStreamOffset(len);
        List<Message> out = new ArrayList<>();
        Frame f;
        while ((f = r.next(in)) != null) {
            try {
                if (f.tag() == Tag.MESSAGE) {
                    ByteBuf h = f.buf(0);
                    var h2 = org.jceph.encoding.packed.CephStructs.CEPH_MSG_HEADER2;
                    int base = h.readerIndex();
                    out.add(new Message(h2.field("type").getInt(h, base), h2.field("version").getInt(h, base),
                            h2.field("compat_version").getInt(h, base), h2.field("priority").getInt(h, base),
                            h2.field("tid").getLong(h, base), h2.field("seq").getLong(h, base), f.segment(1),
                            f.segment(2), f.segment(3)));
                }
            } finally {
                f.release();
            }
        }
        return out;
    }

    // ---- markdown --------------------------------------------------------------------------------

    static String markdown(List<Entry> entries) {
        StringBuilder md = new StringBuilder();
        md.append("# Message fronts, field by field\n\n")
                .append("Generated by `org.jceph.cli.viz.MessageReference`: each section is a recording (`WireTrace`) of ")
                .append("the codec itself writing or reading the front of one sample message, so it shows what the ")
                .append("code puts on the wire, in order. Do not edit; `ProtocolReferenceTest` fails when this file and ")
                .append("the codecs disagree (regenerate as docs/protocol/README.md says).\n\n")
                .append("Offsets are within the sample's front (segment 1 in msgr2, the front in msgr1) and depend on ")
                .append("the sample's strings and counts. `struct NAME vV compat C` is a versioned envelope (u8 version, ")
                .append("u8 compat, le32 length); the rows after it, indented, are its contents. `le32 count` precedes ")
                .append("the elements of a list or map. The field names are those `jceph decode --pcap` prints for the ")
                .append("same bytes (its annotator is written from Ceph's src/messages headers, independently of the ")
                .append("codecs; a test requires both to agree on every field boundary). The last column is the codec ")
                .append("method that wrote or read the field. ")
                .append("Sent messages are traced through jceph's encoder; received ones through its decoder, over a ")
                .append("front captured from a real daemon when the fixtures hold one (\"captured\"), else over one ")
                .append("built for the purpose (\"built\"). The packed ")
                .append("structs some fronts embed (`ceph_osd_op`) are drawn byte by byte in [README.md](README.md).\n\n");
        md.append("| message | type | header version / compat | direction | codec |\n|---|---:|---|---|---|\n");
        for (Entry e : entries) {
            md.append("| [").append(e.name()).append("](#").append(slug(e.name()))
                    .append(") | ").append(e.type()).append(" | ").append(e.message().version()).append(" / ")
                    .append(e.message().compatVersion()).append(" | ").append(e.sent() ? "sent" : "received")
                    .append(" | `").append(e.codec()).append("` |\n");
        }
        for (Entry e : entries) {
            int frontLen = e.message().front().length;
            md.append("\n## ").append(e.name()).append("\n\n")
                    .append("Type ").append(e.type()).append(", header version ").append(e.message().version())
                    .append(", compat ").append(e.message().compatVersion()).append("; ")
                    .append(e.sent() ? "sent, written by `" : "received, read by `").append(e.codec())
                    .append("`. Sample: ").append(e.sample()).append("; front ").append(frontLen).append(" bytes.\n\n");
            if (e.steps().isEmpty()) {
                md.append("The front is empty.\n");
                continue;
            }
            if (asLayout(e) != null) {
                md.append("![").append(e.name()).append(" front](").append(svgName(e)).append(")\n\n");
            }
            List<String> names = names(e);
            md.append("| offset | bytes | type | field (as `jceph decode` names it) | by |\n|---:|---:|---|---|---|\n");
            int end = 0;
            for (int i = 0; i < e.steps().size(); i++) {
                WireTrace.Step s = e.steps().get(i);
                String name = names == null ? "" : names.get(i) == null ? "(decode disagrees)" : names.get(i);
                md.append("| ").append(s.offset()).append(" | ").append(s.width()).append(" | ")
                        .append("\u00a0\u00a0".repeat(s.depth())).append(s.depth() > 0 ? "\u21b3 " : "")
                        .append(s.type().replace("|", "\\|")).append(" | ").append(name.replace("|", "\\|"))
                        .append(" | `").append(s.site()).append("` |\n");
                end = Math.max(end, s.offset() + s.width());
            }
            if (end < frontLen) {
                md.append("| ").append(end).append(" | ").append(frontLen - end)
                        .append(" | (not read: later fields this decoder ignores) | | |\n");
            }
        }
        return md.toString();
    }

    /** The steps tile the front from 0: consecutive at depth 0, no gap and no overlap. */
    static List<String> gaps(Entry e) {
        List<String> problems = new ArrayList<>();
        int next = 0;
        for (WireTrace.Step s : e.steps()) {
            if (s.offset() != next) {
                problems.add(e.name() + ": step " + s + " does not start at " + next);
            }
            next = s.offset() + s.width();
        }
        if (e.sent() && next != e.message().front().length) {
            problems.add(e.name() + ": the steps end at " + next + ", the front has " + e.message().front().length + " bytes");
        }
        return problems;
    }

    /** Fronts longer than this are tabled but not drawn. */
    static final int MAX_DRAWN = 512;

    /**
     * The recorded front as a layout for the byte diagram: one leaf per step (envelope headers,
     * strings and blobs as byte runs), named as decode names it where it does, else by type; null
     * when the front is empty, too long to draw, or not tiled by the steps.
     */
    static org.jceph.encoding.packed.PackedLayout asLayout(Entry e) {
        int len = e.message().front().length;
        if (len == 0 || len > MAX_DRAWN || !gaps(e).isEmpty()) {
            return null;
        }
        List<String> names = names(e);
        var b = org.jceph.encoding.packed.PackedLayout.builder(e.name()).cName(e.name() + " front");
        java.util.Set<String> used = new java.util.HashSet<>();
        int end = 0;
        for (int i = 0; i < e.steps().size(); i++) {
            WireTrace.Step s = e.steps().get(i);
            String base = names != null && names.get(i) != null ? names.get(i) : s.type();
            String n = base;
            for (int k = 2; !used.add(n); k++) {
                n = base + " #" + k;
            }
            boolean integer = s.type().matches("u8|s8|bool|le16|s16|le32|s32|le64|s64|le32 count.*|u8 present");
            switch (!integer ? "n" : s.width() == 1 ? "1" : s.width() == 2 ? "2" : s.width() == 4 ? "4" : s.width() == 8 ? "8" : "n") {
                case "1" -> b.u8(n);
                case "2" -> b.u16le(n);
                case "4" -> b.u32le(n);
                case "8" -> b.u64le(n);
                default -> b.bytes(n, s.width());
            }
            end = s.offset() + s.width();
        }
        if (end < len) {
            b.pad("(not read)", len - end);
        }
        return b.build(len);
    }

    /** Leaf name of {@link #asLayout} to the traced type of its step. */
    static Map<String, String> leafTypes(Entry e, org.jceph.encoding.packed.PackedLayout layout) {
        Map<String, String> out = new LinkedHashMap<>();
        List<org.jceph.encoding.packed.PackedField> leaves = layout.leaves(Map.of());
        for (int i = 0; i < e.steps().size() && i < leaves.size(); i++) {
            out.put(leaves.get(i).name(), e.steps().get(i).type().replaceFirst("^struct \\S+ v(\\d+) compat (\\d+)$",
                    "struct v$1 c$2"));
        }
        return out;
    }

    static String svgName(Entry e) {
        return "message-" + slug(e.name()) + ".svg";
    }

    /** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to dashes. */
    static String slug(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    static Map<String, Entry> byName(List<Entry> entries) {
        Map<String, Entry> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.name(), e));
        return m;
    }
}
