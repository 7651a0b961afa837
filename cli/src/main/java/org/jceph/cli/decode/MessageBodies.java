package org.jceph.cli.decode;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;

/**
 * Annotates the front section of the messages a client session to a monitor carries; any other
 * message is shown by type and length only. Field layouts follow src/messages/M*.h.
 */
final class MessageBodies {
    private MessageBodies() {
    }

    static void front(int type, Annotator a) {
        try {
            switch (type) {
                case 4 -> monMap(a);
                case 15 -> {
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
                case 16 -> {
                    a.u32("interval");
                    a.field("uuid", "fsid", CephDecoder::readUuid);
                }
                case 17 -> {
                    paxos(a);
                    a.field("u32", "protocol", CephDecoder::readU32Le, MessageBodies::authProtocol);
                    a.blob("auth_payload");
                    if (a.remaining() >= 4) {
                        a.u32("monmap_epoch");
                    }
                }
                case 18 -> {
                    a.field("u32", "protocol", CephDecoder::readU32Le, MessageBodies::authProtocol);
                    a.s32("result");
                    a.u64("global_id");
                    a.blob("result_bl");
                    a.string("result_msg");
                }
                case 19 -> {
                    a.u64("handle");
                    a.string("what");
                }
                case 20 -> {
                    a.u64("handle");
                    a.u64("version");
                    a.u64("oldest_version");
                }
                case 41 -> osdMap(a);
                case 50 -> {
                    paxos(a);
                    a.field("uuid", "fsid", CephDecoder::readUuid);
                    strings(a, "cmd");
                }
                case 51 -> {
                    paxos(a);
                    a.s32("r");
                    a.string("rs");
                    strings(a, "cmd");
                }
                case 62 -> {
                    int n = a.field("u32", "config.count", d -> d.readCountLe("config", 8));
                    for (int i = 0; i < n; i++) {
                        String k = a.string("key[" + i + "]");
                        a.string(k);
                    }
                }
                default -> {
                    // shown as a length only
                }
            }
            a.rest(type == 4 || type == 41 || type == 50 || type == 15 || type == 62 || type == 51
                    || type == 16 || type == 17 || type == 18 || type == 19 || type == 20 ? "(trailing)" : "front");
        } catch (DecodeException e) {
            a.note("! front does not decode as " + MessageTypes.name(type) + ": " + e.getMessage());
        }
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
