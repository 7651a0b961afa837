package org.jceph.osdmap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.PgId;

/**
 * OSDMap::encode / OSDMap::decode (src/osd/OSDMap.cc) for full maps.
 *
 * <pre>
 *  wrapper  ENCODE_START(8, 7)                      (struct_v &lt; 7: the "classic" u16 encoding)
 *    client ENCODE_START(v, 1)   v = 3 pre-Luminous ... 9 Pacific, 10 Reef+
 *    osd    ENCODE_START(v, 1)   v = 1 ... 9 Pacific, 10 stretch, 11 range blocklist, 12 crimson
 *    u32 crc = crc32c(-1, bytes from the wrapper's first byte up to this field)
 * </pre>
 *
 * Re-encoding writes the versions that were decoded and keeps unknown trailing bytes of each
 * section, so a decoded map re-encodes to the same bytes and the same CRC.
 */
public final class OsdMapCodec {
    private OsdMapCodec() {
    }

    public static OsdMap decode(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "OSDMap");
        OsdMap m = decode(d);
        d.expectEnd();
        return m;
    }

    public static OsdMap decode(CephDecoder d) {
        ByteBuf buf = d.buffer();
        int start = buf.readerIndex();
        if (d.remaining() < 1) {
            throw d.error("empty OSDMap");
        }
        if (buf.getUnsignedByte(start) < 7) {
            return decodeClassic(d);
        }
        OsdMap m = new OsdMap();
        CephDecoder.Envelope wrapper = d.beginStructLegacy("OSDMap", 8, 7, 7);
        m.wrapperVersion = wrapper.version();
        m.wrapperCompat = wrapper.compat();
        decodeClient(d, m);
        decodeOsd(d, m);
        if (wrapper.version() >= 8) {
            int crcAt = buf.readerIndex();
            m.crc = d.readU32Le();
            m.crcDefined = true;
            m.wrapperTail = d.readBytes(wrapper.remainingIn(d));
            int actual = Crc32c.update(-1, buf, start, crcAt - start);
            if (m.wrapperTail.length > 0) {
                actual = Crc32c.update(actual, m.wrapperTail);
            }
            if ((actual & 0xffffffffL) != m.crc) {
                throw d.error(String.format("OSDMap crc mismatch: encoded 0x%08x, computed 0x%08x", m.crc, actual));
            }
        } else {
            m.wrapperTail = d.readBytes(wrapper.remainingIn(d));
        }
        d.endStruct(wrapper);
        return m;
    }

    private static void decodeClient(CephDecoder d, OsdMap m) {
        CephDecoder.Envelope env = d.beginStruct("client data", 10);
        int v = env.version();
        m.clientVersion = v;
        m.clientCompat = env.compat();
        readCommonHead(d, m);
        m.osdState = v >= 5 ? d.readList(4, CephDecoder::readU32Le) : d.readList(1, dd -> (long) dd.readU8());
        m.osdWeight = d.readList(4, CephDecoder::readU32Le);
        m.clientAddrs = d.readList(1, EntityAddrVec::decode);
        m.pgTemp = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readOsdList);
        m.primaryTemp = d.readMap(PgId.SIZE + 4, PgId::decode, CephDecoder::readS32Le);
        m.osdPrimaryAffinity = v >= 2 ? d.readList(4, CephDecoder::readU32Le) : List.of();
        m.crush = d.readBlob();
        m.erasureCodeProfiles = v >= 3 ? readProfiles(d) : Map.of();
        if (v >= 4) {
            m.pgUpmap = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readOsdList);
            m.pgUpmapItems = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readPairs);
        } else {
            m.pgUpmap = Map.of();
            m.pgUpmapItems = Map.of();
        }
        m.crushVersion = v >= 6 ? d.readS32Le() : 1;
        if (v >= 7) {
            m.newRemovedSnaps = readSnapSets(d);
            m.newPurgedSnaps = readSnapSets(d);
        } else {
            m.newRemovedSnaps = Map.of();
            m.newPurgedSnaps = Map.of();
        }
        if (v >= 9) {
            m.lastUpChange = d.readUtime();
            m.lastInChange = d.readUtime();
        } else {
            m.lastUpChange = UTime.ZERO;
            m.lastInChange = UTime.ZERO;
        }
        m.pgUpmapPrimaries = v >= 10 ? d.readMap(PgId.SIZE + 4, PgId::decode, CephDecoder::readS32Le) : Map.of();
        m.clientTail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
    }

    private static void decodeOsd(CephDecoder d, OsdMap m) {
        CephDecoder.Envelope env = d.beginStruct("osd-only data", 12);
        int v = env.version();
        m.osdVersion = v;
        m.osdCompat = env.compat();
        m.hbBackAddrs = d.readList(1, EntityAddrVec::decode);
        m.osdInfo = d.readList(OsdInfo.SIZE, OsdInfo::decode);
        m.blocklist = d.readMap(8, EntityAddr::decode, CephDecoder::readUtime);
        m.clusterAddrs = d.readList(1, EntityAddrVec::decode);
        m.clusterSnapshotEpoch = d.readU32Le();
        m.clusterSnapshot = d.readString();
        m.osdUuid = d.readList(16, CephDecoder::readUuid);
        m.osdXinfo = d.readList(6, OsdXInfo::decode);
        m.hbFrontAddrs = d.readList(1, EntityAddrVec::decode);
        if (v >= 2) {
            m.nearfullRatio = d.readF32Le();
            m.fullRatio = d.readF32Le();
        }
        if (v >= 3) {
            m.backfillfullRatio = d.readF32Le();
        }
        if (v == 4) {
            m.requireMinCompatClientString = d.readString();
        }
        if (v >= 5) {
            m.requireMinCompatClient = d.readU8();
            m.requireOsdRelease = d.readU8();
        }
        m.removedSnapsQueue = v >= 6 ? readSnapSets(d) : Map.of();
        m.crushNodeFlags = v >= 8 ? d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le) : Map.of();
        m.deviceClassFlags = v >= 9 ? d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le) : Map.of();
        if (v >= 10) {
            m.stretchModeEnabled = d.readBool();
            m.stretchBucketCount = d.readU32Le();
            m.degradedStretchMode = d.readU32Le();
            m.recoveringStretchMode = d.readU32Le();
            m.stretchModeBucket = d.readS32Le();
        }
        m.rangeBlocklist = v >= 11 ? d.readMap(8, EntityAddr::decode, CephDecoder::readUtime) : Map.of();
        if (v >= 12) {
            m.allowCrimson = d.readBool();
        }
        m.osdTail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
    }

    /** OSDMap::decode_classic for struct_v 6 (Bobtail .. Emperor), the oldest the corpus holds. */
    private static OsdMap decodeClassic(CephDecoder d) {
        OsdMap m = new OsdMap();
        d.push("OSDMap(classic)");
        int v = d.readU16Le();
        if (v != 6) {
            throw d.error("classic OSDMap encoding v" + v + " is not supported (only v6)");
        }
        m.classicVersion = v;
        readCommonHead(d, m);
        m.osdState = d.readList(1, dd -> (long) dd.readU8());
        m.osdWeight = d.readList(4, CephDecoder::readU32Le);
        m.clientAddrs = d.readList(1, EntityAddrVec::decode);
        m.pgTemp = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readOsdList);
        m.crush = d.readBlob();
        int ev = d.readU16Le();
        m.classicExtendedVersion = ev;
        m.hbBackAddrs = d.readList(1, EntityAddrVec::decode);
        m.osdInfo = d.readList(OsdInfo.SIZE, OsdInfo::decode);
        m.blocklist = d.readMap(8, EntityAddr::decode, CephDecoder::readUtime);
        m.clusterAddrs = ev >= 6 ? d.readList(1, EntityAddrVec::decode) : List.of();
        if (ev >= 7) {
            m.clusterSnapshotEpoch = d.readU32Le();
            m.clusterSnapshot = d.readString();
        } else {
            m.clusterSnapshot = "";
        }
        m.osdUuid = ev >= 8 ? d.readList(16, CephDecoder::readUuid) : List.of();
        m.osdXinfo = ev >= 9 ? d.readList(6, OsdXInfo::decode) : List.of();
        m.hbFrontAddrs = ev >= 10 ? d.readList(1, EntityAddrVec::decode) : List.of();
        d.pop();
        m.primaryTemp = Map.of();
        m.osdPrimaryAffinity = List.of();
        m.erasureCodeProfiles = Map.of();
        m.pgUpmap = Map.of();
        m.pgUpmapItems = Map.of();
        m.pgUpmapPrimaries = Map.of();
        m.newRemovedSnaps = Map.of();
        m.newPurgedSnaps = Map.of();
        m.removedSnapsQueue = Map.of();
        m.crushNodeFlags = Map.of();
        m.deviceClassFlags = Map.of();
        m.rangeBlocklist = Map.of();
        m.lastUpChange = UTime.ZERO;
        m.lastInChange = UTime.ZERO;
        return m;
    }

    static List<Integer> readOsdList(CephDecoder d) {
        return d.readList(4, CephDecoder::readS32Le);
    }

    static List<int[]> readPairs(CephDecoder d) {
        return d.readList(8, dd -> new int[] {dd.readS32Le(), dd.readS32Le()});
    }

    static Map<String, Map<String, String>> readProfiles(CephDecoder d) {
        return d.readMap(8, CephDecoder::readString,
                dd -> dd.readMap(8, CephDecoder::readString, CephDecoder::readString));
    }

    static Map<Long, List<PgPool.Interval>> readSnapSets(CephDecoder d) {
        return d.readMap(12, CephDecoder::readS64Le, dd -> PgPool.readIntervals(dd, dd.readCountLe("intervals", 16)));
    }

    // ---- encode ---------------------------------------------------------------------------------

    /** The fields both the classic (pre-Firefly) and the client-section encodings open with. */
    private static void readCommonHead(CephDecoder d, OsdMap m) {
        m.fsid = d.readUuid();
        m.epoch = d.readU32Le();
        m.created = d.readUtime();
        m.modified = d.readUtime();
        m.pools = d.readMap(9, CephDecoder::readS64Le, PgPool::decode);
        m.poolNames = d.readMap(12, CephDecoder::readS64Le, CephDecoder::readString);
        m.poolMax = d.readS32Le();
        m.flags = d.readU32Le();
        m.maxOsd = d.readS32Le();
    }

    public static byte[] encode(OsdMap m) {
        ByteBuf buf = Unpooled.buffer(64 * 1024);
        encode(m, new CephEncoder(buf));
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** Writes {@code m}; the CRC field is computed over what was written, as OSDMap::encode does. */
    public static void encode(OsdMap m, CephEncoder e) {
        if (m.classicVersion != 0) {
            encodeClassic(m, e);
            return;
        }
        ByteBuf buf = e.buffer();
        int start = buf.writerIndex();
        int mark = e.beginStruct(m.wrapperVersion, m.wrapperCompat);
        encodeClient(m, e);
        encodeOsd(m, e);
        if (m.wrapperVersion >= 8) {
            int crcAt = buf.writerIndex();
            e.writeU32Le(0);
            e.writeBytes(m.wrapperTail);
            e.finishStruct(mark);
            int crc = Crc32c.update(-1, buf, start, crcAt - start);
            if (m.wrapperTail.length > 0) {
                crc = Crc32c.update(crc, m.wrapperTail);
            }
            buf.setIntLE(crcAt, crc);
        } else {
            e.writeBytes(m.wrapperTail);
            e.finishStruct(mark);
        }
    }

    /** The CRC32C that {@link #encode} writes for {@code m}. */
    public static long computeCrc(OsdMap m) {
        byte[] b = encode(m);
        return m.wrapperVersion >= 8 ? readU32(b, b.length - 4 - m.wrapperTail.length) : 0;
    }

    private static long readU32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static void encodeClient(OsdMap m, CephEncoder e) {
        int v = m.clientVersion;
        int mark = e.beginStruct(v, m.clientCompat);
        e.writeUuid(m.fsid).writeU32Le(m.epoch).writeUtime(m.created).writeUtime(m.modified);
        e.writeMap(m.pools, CephEncoder::writeS64Le, (ee, p) -> p.encode(ee));
        e.writeMap(m.poolNames, CephEncoder::writeS64Le, CephEncoder::writeString);
        e.writeS32Le(m.poolMax).writeU32Le(m.flags).writeS32Le(m.maxOsd);
        if (v >= 5) {
            e.writeList(m.osdState, CephEncoder::writeU32Le);
        } else {
            e.writeList(m.osdState, (ee, s) -> ee.writeU8((int) (long) s));
        }
        e.writeList(m.osdWeight, CephEncoder::writeU32Le);
        e.writeList(m.clientAddrs, (ee, a) -> a.encode(ee));
        e.writeMap(m.pgTemp, (ee, pg) -> pg.encode(ee), OsdMapCodec::writeOsdList);
        e.writeMap(m.primaryTemp, (ee, pg) -> pg.encode(ee), CephEncoder::writeS32Le);
        if (v >= 2) {
            e.writeList(m.osdPrimaryAffinity, CephEncoder::writeU32Le);
        }
        e.writeBlob(m.crush);
        if (v >= 3) {
            writeProfiles(e, m.erasureCodeProfiles);
        }
        if (v >= 4) {
            e.writeMap(m.pgUpmap, (ee, pg) -> pg.encode(ee), OsdMapCodec::writeOsdList);
            e.writeMap(m.pgUpmapItems, (ee, pg) -> pg.encode(ee), OsdMapCodec::writePairs);
        }
        if (v >= 6) {
            e.writeS32Le(m.crushVersion);
        }
        if (v >= 7) {
            writeSnapSets(e, m.newRemovedSnaps);
            writeSnapSets(e, m.newPurgedSnaps);
        }
        if (v >= 9) {
            e.writeUtime(m.lastUpChange).writeUtime(m.lastInChange);
        }
        if (v >= 10) {
            e.writeMap(m.pgUpmapPrimaries, (ee, pg) -> pg.encode(ee), CephEncoder::writeS32Le);
        }
        e.writeBytes(m.clientTail);
        e.finishStruct(mark);
    }

    private static void encodeOsd(OsdMap m, CephEncoder e) {
        int v = m.osdVersion;
        int mark = e.beginStruct(v, m.osdCompat);
        e.writeList(m.hbBackAddrs, (ee, a) -> a.encode(ee));
        e.writeList(m.osdInfo, (ee, i) -> i.encode(ee));
        e.writeMap(m.blocklist, (ee, a) -> a.encode(ee), CephEncoder::writeUtime);
        e.writeList(m.clusterAddrs, (ee, a) -> a.encode(ee));
        e.writeU32Le(m.clusterSnapshotEpoch).writeString(m.clusterSnapshot);
        e.writeList(m.osdUuid, CephEncoder::writeUuid);
        e.writeList(m.osdXinfo, (ee, x) -> x.encode(ee));
        e.writeList(m.hbFrontAddrs, (ee, a) -> a.encode(ee));
        if (v >= 2) {
            e.writeF32Le(m.nearfullRatio).writeF32Le(m.fullRatio);
        }
        if (v >= 3) {
            e.writeF32Le(m.backfillfullRatio);
        }
        if (v == 4) {
            e.writeString(m.requireMinCompatClientString == null ? "" : m.requireMinCompatClientString);
        }
        if (v >= 5) {
            e.writeU8(m.requireMinCompatClient).writeU8(m.requireOsdRelease);
        }
        if (v >= 6) {
            writeSnapSets(e, m.removedSnapsQueue);
        }
        if (v >= 8) {
            e.writeMap(m.crushNodeFlags, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        }
        if (v >= 9) {
            e.writeMap(m.deviceClassFlags, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        }
        if (v >= 10) {
            e.writeBool(m.stretchModeEnabled).writeU32Le(m.stretchBucketCount).writeU32Le(m.degradedStretchMode)
                    .writeU32Le(m.recoveringStretchMode).writeS32Le(m.stretchModeBucket);
        }
        if (v >= 11) {
            e.writeMap(m.rangeBlocklist, (ee, a) -> a.encode(ee), CephEncoder::writeUtime);
        }
        if (v >= 12) {
            e.writeBool(m.allowCrimson);
        }
        e.writeBytes(m.osdTail);
        e.finishStruct(mark);
    }

    private static void encodeClassic(OsdMap m, CephEncoder e) {
        e.writeU16Le(m.classicVersion);
        e.writeUuid(m.fsid).writeU32Le(m.epoch).writeUtime(m.created).writeUtime(m.modified);
        e.writeMap(m.pools, CephEncoder::writeS64Le, (ee, p) -> p.encode(ee));
        e.writeMap(m.poolNames, CephEncoder::writeS64Le, CephEncoder::writeString);
        e.writeS32Le(m.poolMax).writeU32Le(m.flags).writeS32Le(m.maxOsd);
        e.writeList(m.osdState, (ee, s) -> ee.writeU8((int) (long) s));
        e.writeList(m.osdWeight, CephEncoder::writeU32Le);
        e.writeList(m.clientAddrs, (ee, a) -> a.encode(ee));
        e.writeMap(m.pgTemp, (ee, pg) -> pg.encode(ee), OsdMapCodec::writeOsdList);
        e.writeBlob(m.crush);
        int ev = m.classicExtendedVersion;
        e.writeU16Le(ev);
        e.writeList(m.hbBackAddrs, (ee, a) -> a.encode(ee));
        e.writeList(m.osdInfo, (ee, i) -> i.encode(ee));
        e.writeMap(m.blocklist, (ee, a) -> a.encode(ee), CephEncoder::writeUtime);
        if (ev >= 6) {
            e.writeList(m.clusterAddrs, (ee, a) -> a.encode(ee));
        }
        if (ev >= 7) {
            e.writeU32Le(m.clusterSnapshotEpoch).writeString(m.clusterSnapshot);
        }
        if (ev >= 8) {
            e.writeList(m.osdUuid, CephEncoder::writeUuid);
        }
        if (ev >= 9) {
            e.writeList(m.osdXinfo, (ee, x) -> x.encode(ee));
        }
        if (ev >= 10) {
            e.writeList(m.hbFrontAddrs, (ee, a) -> a.encode(ee));
        }
    }

    static void writeOsdList(CephEncoder e, List<Integer> osds) {
        e.writeList(osds, CephEncoder::writeS32Le);
    }

    static void writePairs(CephEncoder e, List<int[]> pairs) {
        e.writeList(pairs, (ee, p) -> ee.writeS32Le(p[0]).writeS32Le(p[1]));
    }

    static void writeProfiles(CephEncoder e, Map<String, Map<String, String>> profiles) {
        e.writeMap(profiles, CephEncoder::writeString,
                (ee, p) -> ee.writeMap(p, CephEncoder::writeString, CephEncoder::writeString));
    }

    static void writeSnapSets(CephEncoder e, Map<Long, List<PgPool.Interval>> sets) {
        e.writeMap(sets, CephEncoder::writeS64Le, (ee, list) -> {
            ee.writeU32Le(list.size());
            for (PgPool.Interval i : list) {
                ee.writeU64Le(i.start()).writeU64Le(i.length());
            }
        });
    }
}
