package org.jceph.cli.decode;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;
import org.jceph.messenger.MessageType;

/**
 * Annotates the front section of the messages a client session carries (monitor session, pool
 * and OSD ops, watch/notify, backoffs); any other message is shown by type and length only. Field
 * layouts follow src/messages/M*.h. The generated message reference checks these annotations
 * against jceph's own codecs, field boundary by field boundary.
 */
final class MessageBodies {
    private MessageBodies() {
    }

    /** The message types annotated field by field. */
    private static final java.util.Set<MessageType> KNOWN = java.util.EnumSet.of(MessageType.MON_MAP,
            MessageType.STATFS, MessageType.STATFS_REPLY, MessageType.MON_SUBSCRIBE, MessageType.MON_SUBSCRIBE_ACK,
            MessageType.AUTH, MessageType.AUTH_REPLY, MessageType.MON_GET_VERSION, MessageType.MON_GET_VERSION_REPLY,
            MessageType.OSD_MAP, MessageType.OSD_OP, MessageType.OSD_OPREPLY, MessageType.WATCH_NOTIFY,
            MessageType.POOLOP_REPLY, MessageType.POOLOP, MessageType.MON_COMMAND, MessageType.MON_COMMAND_ACK,
            MessageType.GETPOOLSTATS, MessageType.OSD_BACKOFF, MessageType.CONFIG);

    /** Whether fronts of message type {@code type} are annotated field by field. */
    static boolean known(int type) {
        return MessageType.byNumber(type).map(KNOWN::contains).orElse(false);
    }

    static void front(int type, Annotator a) {
        try {
            MessageType known = MessageType.byNumber(type).filter(KNOWN::contains).orElse(null);
            if (known != null) {
                annotate(known, a);
            }
            a.rest(known != null ? "(trailing)" : "front");
        } catch (DecodeException e) {
            a.note("! front does not decode as " + MessageType.nameOf(type) + ": " + e.getMessage());
        }
    }

    private static void annotate(MessageType type, Annotator a) {
        switch (type) {
            case STATFS -> {
                paxos(a);
                a.field("uuid", "fsid", CephDecoder::readUuid);
                if (a.remaining() > 0 && a.u8("data_pool.present") != 0) {
                    a.field("s64", "data_pool", CephDecoder::readS64Le);
                }
            }
            case STATFS_REPLY -> {
                a.field("uuid", "fsid", CephDecoder::readUuid);
                a.u64("version");
                a.u64("st.kb");
                a.u64("st.kb_used");
                a.u64("st.kb_avail");
                a.u64("st.num_objects");
            }
            case OSD_OP -> osdOp(a);
            case OSD_OPREPLY -> osdOpReply(a);
            case WATCH_NOTIFY -> {
                a.u8("msg_ver");
                a.u8("opcode");
                a.hex64("cookie");
                a.u64("ver");
                a.u64("notify_id");
                a.blob("payload");
                if (a.remaining() >= 4) {
                    a.s32("return_code");
                }
                if (a.remaining() >= 8) {
                    a.u64("notifier_gid");
                }
            }
            case POOLOP_REPLY -> {
                paxos(a);
                a.field("uuid", "fsid", CephDecoder::readUuid);
                a.s32("reply_code");
                a.u32("epoch");
                if (a.u8("has_response_data") != 0) {
                    a.blob("response_data");
                }
            }
            case POOLOP -> {
                paxos(a);
                a.field("uuid", "fsid", CephDecoder::readUuid);
                a.u32("pool");
                a.u32("op");
                a.u64("auid");
                a.u64("snapid");
                a.string("name");
                a.u8("pad");
                a.field("s16", "crush_rule", CephDecoder::readS16Le);
            }
            case GETPOOLSTATS -> {
                paxos(a);
                a.field("uuid", "fsid", CephDecoder::readUuid);
                strings(a, "pools");
            }
            case OSD_BACKOFF -> {
                spgT(a, "pgid");
                a.u32("map_epoch");
                a.u8("op");
                a.u64("id");
                hobject(a, "begin");
                hobject(a, "end");
            }
            case MON_MAP -> monMap(a);
            case MON_SUBSCRIBE -> {
                int n = a.field("u32", "what.count", d -> d.readCountLe("subscriptions", 13));
                for (int i = 0; i < n; i++) {
                    a.string("what[" + i + "].name");
                    a.u64("what[" + i + "].start");
                    a.u8("what[" + i + "].flags");
                }
                if (a.remaining() > 0) {
                    a.string("hostname");
                }
            }
            case MON_SUBSCRIBE_ACK -> {
                a.u32("interval");
                a.field("uuid", "fsid", CephDecoder::readUuid);
            }
            case AUTH -> {
                paxos(a);
                a.field("u32", "protocol", CephDecoder::readU32Le, MessageBodies::authProtocol);
                a.blob("auth_payload");
                if (a.remaining() >= 4) {
                    a.u32("monmap_epoch");
                }
            }
            case AUTH_REPLY -> {
                a.field("u32", "protocol", CephDecoder::readU32Le, MessageBodies::authProtocol);
                a.s32("result");
                a.u64("global_id");
                a.blob("result_bl");
                a.string("result_msg");
            }
            case MON_GET_VERSION -> {
                a.u64("handle");
                a.string("what");
            }
            case MON_GET_VERSION_REPLY -> {
                a.u64("handle");
                a.u64("version");
                a.u64("oldest_version");
            }
            case OSD_MAP -> osdMap(a);
            case MON_COMMAND -> {
                paxos(a);
                a.field("uuid", "fsid", CephDecoder::readUuid);
                strings(a, "cmd");
            }
            case MON_COMMAND_ACK -> {
                paxos(a);
                a.s32("r");
                a.string("rs");
                strings(a, "cmd");
            }
            case CONFIG -> {
                int n = a.field("u32", "config.count", d -> d.readCountLe("config", 8));
                for (int i = 0; i < n; i++) {
                    String k = a.string("key[" + i + "]");
                    a.string(k);
                }
            }
            default -> {
                // not in KNOWN: shown as a length only
            }
        }
    }

    private static void pgT(Annotator a, String name) {
        a.u8(name + ".struct_v");
        a.field("s64", name + ".pool", CephDecoder::readS64Le);
        a.field("u32", name + ".seed", CephDecoder::readU32Le, v -> "0x" + Long.toHexString(v));
        a.s32(name + ".preferred");
    }

    private static void spgT(Annotator a, String name) {
        a.envelope(name);
        pgT(a, name + ".pgid");
        a.field("s8", name + ".shard", CephDecoder::readS8);
    }

    private static void eversion(Annotator a, String name) {
        a.u64(name + ".version");
        a.u32(name + ".epoch");
    }

    private static void hobject(Annotator a, String name) {
        a.envelope(name);
        a.string(name + ".key");
        a.string(name + ".oid");
        a.hex64(name + ".snap");
        a.field("u32", name + ".hash", CephDecoder::readU32Le, v -> "0x" + Long.toHexString(v));
        a.field("bool", name + ".max", CephDecoder::readBool);
        a.string(name + ".nspace");
        a.field("s64", name + ".pool", CephDecoder::readS64Le);
    }

    /** MOSDOp, header version 8 (Octopus and later). */
    private static void osdOp(Annotator a) {
        spgT(a, "pgid");
        a.field("u32", "hash", CephDecoder::readU32Le, v -> "0x" + Long.toHexString(v));
        a.u32("osdmap_epoch");
        a.field("u32", "flags", CephDecoder::readU32Le, v -> "0x" + Long.toHexString(v));
        a.envelope("reqid");
        a.u8("reqid.name.type");
        a.field("s64", "reqid.name.num", CephDecoder::readS64Le);
        a.u64("reqid.tid");
        a.s32("reqid.inc");
        blkinTrace(a);
        a.u32("client_inc");
        a.field("utime", "mtime", CephDecoder::readUtime);
        a.envelope("oloc");
        a.field("s64", "oloc.pool", CephDecoder::readS64Le);
        a.s32("oloc.preferred");
        a.string("oloc.key");
        a.string("oloc.nspace");
        a.field("s64", "oloc.hash", CephDecoder::readS64Le);
        a.string("oid");
        int n = a.u16("num_ops");
        for (int i = 0; i < n; i++) {
            a.packed(org.jceph.encoding.packed.CephStructs.CEPH_OSD_OP, "ops[" + i + "].");
        }
        a.hex64("snapid");
        a.u64("snap_seq");
        int snaps = a.field("u32", "snaps.count", d -> d.readCountLe("snaps", 8));
        for (int i = 0; i < snaps; i++) {
            a.u64("snaps[" + i + "]");
        }
        a.s32("retry_attempt");
        a.hex64("features");
    }

    /** MOSDOpReply, header version 8. */
    private static void osdOpReply(Annotator a) {
        a.string("oid");
        pgT(a, "pgid");
        a.field("u64", "flags", CephDecoder::readU64Le, v -> "0x" + Long.toHexString(v));
        a.s32("result");
        eversion(a, "bad_replay_version");
        a.u32("osdmap_epoch");
        int n = a.field("u32", "num_ops", d -> d.readCountLe("ops", 38));
        for (int i = 0; i < n; i++) {
            a.packed(org.jceph.encoding.packed.CephStructs.CEPH_OSD_OP, "ops[" + i + "].");
        }
        a.s32("retry_attempt");
        for (int i = 0; i < n; i++) {
            a.s32("ops[" + i + "].rval");
        }
        eversion(a, "replay_version");
        a.u64("user_version");
        if (a.u8("do_redirect") != 0) {
            a.envelope("redirect");
            a.rest("redirect (object_locator_t, object, osd_instructions) and the trace");
        } else if (a.remaining() >= 24) {
            blkinTrace(a); // encode_trace: the OSD's blkin trace ids, zero when not traced
        }
    }

    /** The 24-byte blkin trace (trace_id, span_id, parent_span_id) MOSDOp and MOSDOpReply carry. */
    private static void blkinTrace(Annotator a) {
        a.field("u8[24]", "trace (blkin: trace_id, span_id, parent_span_id)", d -> d.readBytes(24),
                b -> Annotator.allZero(b) ? "(zero: not traced)" : Annotator.hexString(b));
    }

    private static void paxos(Annotator a) {
        a.u64("paxos.version");
        a.field("s16", "paxos.deprecated_session_mon", CephDecoder::readS16Le);
        a.u64("paxos.deprecated_session_mon_tid");
    }

    private static void strings(Annotator a, String name) {
        int n = a.field("u32", name + ".count", d -> d.readCountLe(name, 4));
        for (int i = 0; i < n; i++) {
            a.string(name + "[" + i + "]");
        }
    }

    private static void monMap(Annotator a) {
        int len = a.field("u32", "monmap.length", d -> d.readLengthLe("monmap"));
        int end = a.decoder().offset() + len;
        a.u8("monmap.struct_v");
        a.u8("monmap.struct_compat");
        a.u32("monmap.struct_len");
        a.field("uuid", "monmap.fsid", CephDecoder::readUuid);
        a.u32("monmap.epoch");
        int left = end - a.decoder().offset();
        if (left > 0) {
            a.field("bytes", "monmap.(addresses, ranks, ...)", d -> d.readBytes(left), b -> b.length + " bytes");
        }
    }

    private static void osdMap(Annotator a) {
        a.field("uuid", "fsid", CephDecoder::readUuid);
        int inc = a.field("u32", "incremental_maps.count", d -> d.readCountLe("incremental_maps", 8));
        for (int i = 0; i < inc; i++) {
            a.u32("incremental[" + i + "].epoch");
            a.blob("incremental[" + i + "].OSDMap::Incremental");
        }
        int full = a.field("u32", "maps.count", d -> d.readCountLe("maps", 8));
        for (int i = 0; i < full; i++) {
            a.u32("maps[" + i + "].epoch");
            a.blob("maps[" + i + "].OSDMap");
        }
        if (a.remaining() >= 8) {
            a.u32("oldest_map");
            a.u32("newest_map");
        }
    }

    static String authProtocol(long p) {
        return p + (p == 1 ? " (none)" : p == 2 ? " (cephx)" : p == 0 ? " (unknown/negotiate)" : "");
    }
}
