package org.jceph.osdmap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.PgId;

/**
 * {@code OSDMap::Incremental} (src/osd/OSDMap.{h,cc}): the changes from epoch N-1 to N. Immutable;
 * {@link #applyTo} builds the next {@link OsdMap}.
 *
 * <pre>
 *  wrapper ENCODE_START(8, 7)                     (struct_v &lt; 7: classic u16 encoding, v6 here)
 *    client ENCODE_START(v, 1)  v = 8 Pacific, 9 Reef+
 *      uuid fsid | u32 epoch | utime modified | s64 new_pool_max | s32 new_flags |
 *      blob fullmap | blob crush | s32 new_max_osd | map new_pools | map new_pool_names |
 *      set old_pools | map&lt;s32,addrvec&gt; new_up_client | map&lt;s32,u32&gt; new_state (u8 before v5) |
 *      map new_weight | map new_pg_temp | map new_primary_temp | v2: map new_primary_affinity |
 *      v3: new/old erasure_code_profiles | v4: new/old pg_upmap, new/old pg_upmap_items |
 *      v6: new_removed_snaps, new_purged_snaps | v8: new_last_up_change, new_last_in_change |
 *      v9: new/old pg_upmap_primary
 *    osd ENCODE_START(v, 1)  v = 9 Pacific (10 stretch, 11 range blocklist, 12 crimson)
 *      new_hb_back_up | new_up_thru | new_last_clean_interval | new_lost | new_blocklist |
 *      old_blocklist | new_up_cluster | cluster_snapshot | new_uuid | new_xinfo | new_hb_front_up |
 *      v2: u64 encode_features | v3: f32 nearfull, f32 full | v4: f32 backfillfull |
 *      v5: string min compat | v6: u8 require_min_compat_client, u8 require_osd_release |
 *      v8: new_crush_node_flags | v9: new_device_class_flags | v10: stretch | v11: range blocklist |
 *      v12: u8 mutate_allow_crimson
 *    u32 inc_crc (crc32c(-1) of everything before it, continued over full_crc)
 *    u32 full_crc (the CRC of the full map after applying this incremental)
 * </pre>
 */
public final class Incremental {
    int wrapperVersion;
    int wrapperCompat;
    int clientVersion;
    int clientCompat;
    int osdVersion;
    int osdCompat;
    int classicVersion;
    int classicExtendedVersion;
    byte[] clientTail = new byte[0];
    byte[] osdTail = new byte[0];
    byte[] wrapperTail = new byte[0];
    boolean haveCrc;
    long incCrc;
    long fullCrc;

    UUID fsid;
    long epoch;
    UTime modified;
    long newPoolMax = -1;
    int newFlags = -1;
    byte[] fullmap = new byte[0];
    byte[] crush = new byte[0];
    int newMaxOsd = -1;
    Map<Long, PgPool> newPools = Map.of();
    Map<Long, String> newPoolNames = Map.of();
    Set<Long> oldPools = Set.of();
    Map<Integer, EntityAddrVec> newUpClient = Map.of();
    Map<Integer, Long> newState = Map.of();
    Map<Integer, Long> newWeight = Map.of();
    Map<PgId, List<Integer>> newPgTemp = Map.of();
    Map<PgId, Integer> newPrimaryTemp = Map.of();
    Map<Integer, Long> newPrimaryAffinity = Map.of();
    Map<String, Map<String, String>> newErasureCodeProfiles = Map.of();
    List<String> oldErasureCodeProfiles = List.of();
    Map<PgId, List<Integer>> newPgUpmap = Map.of();
    Set<PgId> oldPgUpmap = Set.of();
    Map<PgId, List<int[]>> newPgUpmapItems = Map.of();
    Set<PgId> oldPgUpmapItems = Set.of();
    Map<Long, List<PgPool.Interval>> newRemovedSnaps = Map.of();
    Map<Long, List<PgPool.Interval>> newPurgedSnaps = Map.of();
    UTime newLastUpChange = UTime.ZERO;
    UTime newLastInChange = UTime.ZERO;
    Map<PgId, Integer> newPgUpmapPrimary = Map.of();
    Set<PgId> oldPgUpmapPrimary = Set.of();

    Map<Integer, EntityAddrVec> newHbBackUp = Map.of();
    Map<Integer, Long> newUpThru = Map.of();
    Map<Integer, long[]> newLastCleanInterval = Map.of();
    Map<Integer, Long> newLost = Map.of();
    Map<EntityAddr, UTime> newBlocklist = Map.of();
    List<EntityAddr> oldBlocklist = List.of();
    Map<Integer, EntityAddrVec> newUpCluster = Map.of();
    String clusterSnapshot = "";
    Map<Integer, UUID> newUuid = Map.of();
    Map<Integer, OsdXInfo> newXinfo = Map.of();
    Map<Integer, EntityAddrVec> newHbFrontUp = Map.of();
    long encodeFeatures;
    float newNearfullRatio = -1;
    float newFullRatio = -1;
    float newBackfillfullRatio = -1;
    String newRequireMinCompatClientString = "";
    int newRequireMinCompatClient;
    int newRequireOsdRelease = 0xff;
    Map<Integer, Long> newCrushNodeFlags = Map.of();
    Map<Integer, Long> newDeviceClassFlags = Map.of();
    boolean changeStretchMode;
    long newStretchBucketCount;
    long newDegradedStretchMode;
    long newRecoveringStretchMode;
    int newStretchModeBucket;
    boolean stretchModeEnabled;
    Map<EntityAddr, UTime> newRangeBlocklist = Map.of();
    List<EntityAddr> oldRangeBlocklist = List.of();
    int mutateAllowCrimson;

    Incremental() {
    }

    // ---- decode ---------------------------------------------------------------------------------

    public static Incremental decode(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "OSDMap::Incremental");
        Incremental inc = decode(d);
        d.expectEnd();
        return inc;
    }

    public static Incremental decode(CephDecoder d) {
        ByteBuf buf = d.buffer();
        int start = buf.readerIndex();
        if (d.remaining() < 1) {
            throw d.error("empty OSDMap::Incremental");
        }
        if (buf.getUnsignedByte(start) < 7) {
            return decodeClassic(d);
        }
        Incremental inc = new Incremental();
        CephDecoder.Envelope wrapper = d.beginStructLegacy("OSDMap::Incremental", 8, 7, 7);
        inc.wrapperVersion = wrapper.version();
        inc.wrapperCompat = wrapper.compat();
        inc.decodeClient(d);
        inc.decodeOsd(d);
        if (wrapper.version() >= 8) {
            int crcAt = buf.readerIndex();
            inc.haveCrc = true;
            inc.incCrc = d.readU32Le();
            int tailAt = buf.readerIndex();
            inc.fullCrc = d.readU32Le();
            inc.wrapperTail = d.readBytes(wrapper.remainingIn(d));
            int actual = Crc32c.update(-1, buf, start, crcAt - start);
            actual = Crc32c.update(actual, buf, tailAt, buf.readerIndex() - tailAt);
            if ((actual & 0xffffffffL) != inc.incCrc) {
                throw d.error(String.format("incremental crc mismatch: encoded 0x%08x, computed 0x%08x",
                        inc.incCrc, actual));
            }
        } else {
            inc.wrapperTail = d.readBytes(wrapper.remainingIn(d));
        }
        d.endStruct(wrapper);
        return inc;
    }

    private void decodeClient(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("client data", 9);
        int v = env.version();
        clientVersion = v;
        clientCompat = env.compat();
        fsid = d.readUuid();
        epoch = d.readU32Le();
        modified = d.readUtime();
        newPoolMax = d.readS64Le();
        newFlags = d.readS32Le();
        fullmap = d.readBlob();
        crush = d.readBlob();
        newMaxOsd = d.readS32Le();
        newPools = d.readMap(9, CephDecoder::readS64Le, PgPool::decode);
        newPoolNames = d.readMap(12, CephDecoder::readS64Le, CephDecoder::readString);
        oldPools = d.readSet(8, CephDecoder::readS64Le);
        newUpClient = d.readMap(5, CephDecoder::readS32Le, EntityAddrVec::decode);
        newState = v >= 5 ? d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le)
                : d.readMap(5, CephDecoder::readS32Le, dd -> (long) dd.readU8());
        newWeight = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        newPgTemp = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readOsdList);
        newPrimaryTemp = d.readMap(PgId.SIZE + 4, PgId::decode, CephDecoder::readS32Le);
        if (v >= 2) {
            newPrimaryAffinity = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        }
        if (v >= 3) {
            newErasureCodeProfiles = OsdMapCodec.readProfiles(d);
            oldErasureCodeProfiles = d.readList(4, CephDecoder::readString);
        }
        if (v >= 4) {
            newPgUpmap = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readOsdList);
            oldPgUpmap = d.readSet(PgId.SIZE, PgId::decode);
            newPgUpmapItems = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readPairs);
            oldPgUpmapItems = d.readSet(PgId.SIZE, PgId::decode);
        }
        if (v >= 6) {
            newRemovedSnaps = OsdMapCodec.readSnapSets(d);
            newPurgedSnaps = OsdMapCodec.readSnapSets(d);
        }
        if (v >= 8) {
            newLastUpChange = d.readUtime();
            newLastInChange = d.readUtime();
        }
        if (v >= 9) {
            newPgUpmapPrimary = d.readMap(PgId.SIZE + 4, PgId::decode, CephDecoder::readS32Le);
            oldPgUpmapPrimary = d.readSet(PgId.SIZE, PgId::decode);
        }
        clientTail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
    }

    private void decodeOsd(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("osd-only data", 12);
        int v = env.version();
        osdVersion = v;
        osdCompat = env.compat();
        readOsdCommon(d, 100);
        if (v >= 2) {
            encodeFeatures = d.readU64Le();
        }
        if (v >= 3) {
            newNearfullRatio = d.readF32Le();
            newFullRatio = d.readF32Le();
        }
        if (v >= 4) {
            newBackfillfullRatio = d.readF32Le();
        }
        if (v == 5) {
            newRequireMinCompatClientString = d.readString();
        }
        if (v >= 6) {
            newRequireMinCompatClient = d.readU8();
            newRequireOsdRelease = d.readU8();
        }
        if (v >= 8) {
            newCrushNodeFlags = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        }
        if (v >= 9) {
            newDeviceClassFlags = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        }
        if (v >= 10) {
            changeStretchMode = d.readBool();
            newStretchBucketCount = d.readU32Le();
            newDegradedStretchMode = d.readU32Le();
            newRecoveringStretchMode = d.readU32Le();
            newStretchModeBucket = d.readS32Le();
            stretchModeEnabled = d.readBool();
        }
        if (v >= 11) {
            newRangeBlocklist = d.readMap(8, EntityAddr::decode, CephDecoder::readUtime);
            oldRangeBlocklist = d.readList(1, EntityAddr::decode);
        }
        if (v >= 12) {
            mutateAllowCrimson = d.readU8();
        }
        osdTail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
    }

    /** The OSD-side fields shared by both encodings; {@code ev} gates them in the classic one. */
    private void readOsdCommon(CephDecoder d, int ev) {
        newHbBackUp = d.readMap(5, CephDecoder::readS32Le, EntityAddrVec::decode);
        newUpThru = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        newLastCleanInterval = d.readMap(12, CephDecoder::readS32Le,
                dd -> new long[] {dd.readU32Le(), dd.readU32Le()});
        newLost = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        newBlocklist = d.readMap(9, EntityAddr::decode, CephDecoder::readUtime);
        oldBlocklist = d.readList(1, EntityAddr::decode);
        if (ev >= 6) {
            newUpCluster = d.readMap(5, CephDecoder::readS32Le, EntityAddrVec::decode);
        }
        if (ev >= 7) {
            clusterSnapshot = d.readString();
        }
        if (ev >= 8) {
            newUuid = d.readMap(20, CephDecoder::readS32Le, CephDecoder::readUuid);
        }
        if (ev >= 9) {
            newXinfo = d.readMap(10, CephDecoder::readS32Le, OsdXInfo::decode);
        }
        if (ev >= 10) {
            newHbFrontUp = d.readMap(5, CephDecoder::readS32Le, EntityAddrVec::decode);
        }
    }

    /** OSDMap::Incremental::decode_classic for struct_v 6, the oldest the corpus holds. */
    private static Incremental decodeClassic(CephDecoder d) {
        Incremental inc = new Incremental();
        d.push("OSDMap::Incremental(classic)");
        int v = d.readU16Le();
        if (v != 6) {
            throw d.error("classic incremental encoding v" + v + " is not supported (only v6)");
        }
        inc.classicVersion = v;
        inc.fsid = d.readUuid();
        inc.epoch = d.readU32Le();
        inc.modified = d.readUtime();
        inc.newPoolMax = d.readS64Le();
        inc.newFlags = d.readS32Le();
        inc.fullmap = d.readBlob();
        inc.crush = d.readBlob();
        inc.newMaxOsd = d.readS32Le();
        inc.newPools = d.readMap(9, CephDecoder::readS64Le, PgPool::decode);
        inc.newPoolNames = d.readMap(12, CephDecoder::readS64Le, CephDecoder::readString);
        inc.oldPools = d.readSet(8, CephDecoder::readS64Le);
        inc.newUpClient = d.readMap(5, CephDecoder::readS32Le, EntityAddrVec::decode);
        inc.newState = d.readMap(5, CephDecoder::readS32Le, dd -> (long) dd.readU8());
        inc.newWeight = d.readMap(8, CephDecoder::readS32Le, CephDecoder::readU32Le);
        inc.newPgTemp = d.readMap(PgId.SIZE + 4, PgId::decode, OsdMapCodec::readOsdList);
        int ev = d.readU16Le();
        inc.classicExtendedVersion = ev;
        inc.readOsdCommon(d, ev);
        d.pop();
        return inc;
    }

    // ---- encode ---------------------------------------------------------------------------------

    public byte[] encode() {
        ByteBuf buf = Unpooled.buffer(4096);
        encode(new CephEncoder(buf));
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** Writes the encoding this incremental was decoded from, recomputing inc_crc. */
    public void encode(CephEncoder e) {
        if (classicVersion != 0) {
            encodeClassic(e);
            return;
        }
        ByteBuf buf = e.buffer();
        int start = buf.writerIndex();
        int mark = e.beginStruct(wrapperVersion, wrapperCompat);
        encodeClient(e);
        encodeOsd(e);
        if (wrapperVersion >= 8) {
            int crcAt = buf.writerIndex();
            e.writeU32Le(0);
            int tailAt = buf.writerIndex();
            e.writeU32Le(fullCrc);
            e.writeBytes(wrapperTail);
            e.finishStruct(mark);
            int crc = Crc32c.update(-1, buf, start, crcAt - start);
            crc = Crc32c.update(crc, buf, tailAt, buf.writerIndex() - tailAt);
            buf.setIntLE(crcAt, crc);
        } else {
            e.writeBytes(wrapperTail);
            e.finishStruct(mark);
        }
    }

    private void encodeClient(CephEncoder e) {
        int v = clientVersion;
        int mark = e.beginStruct(v, clientCompat);
        e.writeUuid(fsid).writeU32Le(epoch).writeUtime(modified).writeS64Le(newPoolMax).writeS32Le(newFlags);
        e.writeBlob(fullmap).writeBlob(crush).writeS32Le(newMaxOsd);
        e.writeMap(newPools, CephEncoder::writeS64Le, (ee, p) -> p.encode(ee));
        e.writeMap(newPoolNames, CephEncoder::writeS64Le, CephEncoder::writeString);
        e.writeList(oldPools, CephEncoder::writeS64Le);
        e.writeMap(newUpClient, CephEncoder::writeS32Le, (ee, a) -> a.encode(ee));
        if (v >= 5) {
            e.writeMap(newState, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        } else {
            e.writeMap(newState, CephEncoder::writeS32Le, (ee, s) -> ee.writeU8((int) (long) s));
        }
        e.writeMap(newWeight, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        e.writeMap(newPgTemp, (ee, pg) -> pg.encode(ee), OsdMapCodec::writeOsdList);
        e.writeMap(newPrimaryTemp, (ee, pg) -> pg.encode(ee), CephEncoder::writeS32Le);
        if (v >= 2) {
            e.writeMap(newPrimaryAffinity, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        }
        if (v >= 3) {
            OsdMapCodec.writeProfiles(e, newErasureCodeProfiles);
            e.writeList(oldErasureCodeProfiles, CephEncoder::writeString);
        }
        if (v >= 4) {
            e.writeMap(newPgUpmap, (ee, pg) -> pg.encode(ee), OsdMapCodec::writeOsdList);
            e.writeList(oldPgUpmap, (ee, pg) -> pg.encode(ee));
            e.writeMap(newPgUpmapItems, (ee, pg) -> pg.encode(ee), OsdMapCodec::writePairs);
            e.writeList(oldPgUpmapItems, (ee, pg) -> pg.encode(ee));
        }
        if (v >= 6) {
            OsdMapCodec.writeSnapSets(e, newRemovedSnaps);
            OsdMapCodec.writeSnapSets(e, newPurgedSnaps);
        }
        if (v >= 8) {
            e.writeUtime(newLastUpChange).writeUtime(newLastInChange);
        }
        if (v >= 9) {
            e.writeMap(newPgUpmapPrimary, (ee, pg) -> pg.encode(ee), CephEncoder::writeS32Le);
            e.writeList(oldPgUpmapPrimary, (ee, pg) -> pg.encode(ee));
        }
        e.writeBytes(clientTail);
        e.finishStruct(mark);
    }

    private void encodeOsd(CephEncoder e) {
        int v = osdVersion;
        int mark = e.beginStruct(v, osdCompat);
        writeOsdCommon(e, 100);
        if (v >= 2) {
            e.writeU64Le(encodeFeatures);
        }
        if (v >= 3) {
            e.writeF32Le(newNearfullRatio).writeF32Le(newFullRatio);
        }
        if (v >= 4) {
            e.writeF32Le(newBackfillfullRatio);
        }
        if (v == 5) {
            e.writeString(newRequireMinCompatClientString);
        }
        if (v >= 6) {
            e.writeU8(newRequireMinCompatClient).writeU8(newRequireOsdRelease);
        }
        if (v >= 8) {
            e.writeMap(newCrushNodeFlags, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        }
        if (v >= 9) {
            e.writeMap(newDeviceClassFlags, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        }
        if (v >= 10) {
            e.writeBool(changeStretchMode).writeU32Le(newStretchBucketCount).writeU32Le(newDegradedStretchMode)
                    .writeU32Le(newRecoveringStretchMode).writeS32Le(newStretchModeBucket).writeBool(stretchModeEnabled);
        }
        if (v >= 11) {
            e.writeMap(newRangeBlocklist, (ee, a) -> a.encode(ee), CephEncoder::writeUtime);
            e.writeList(oldRangeBlocklist, (ee, a) -> a.encode(ee));
        }
        if (v >= 12) {
            e.writeU8(mutateAllowCrimson);
        }
        e.writeBytes(osdTail);
        e.finishStruct(mark);
    }

    private void writeOsdCommon(CephEncoder e, int ev) {
        e.writeMap(newHbBackUp, CephEncoder::writeS32Le, (ee, a) -> a.encode(ee));
        e.writeMap(newUpThru, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        e.writeMap(newLastCleanInterval, CephEncoder::writeS32Le, (ee, p) -> ee.writeU32Le(p[0]).writeU32Le(p[1]));
        e.writeMap(newLost, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        e.writeMap(newBlocklist, (ee, a) -> a.encode(ee), CephEncoder::writeUtime);
        e.writeList(oldBlocklist, (ee, a) -> a.encode(ee));
        if (ev >= 6) {
            e.writeMap(newUpCluster, CephEncoder::writeS32Le, (ee, a) -> a.encode(ee));
        }
        if (ev >= 7) {
            e.writeString(clusterSnapshot);
        }
        if (ev >= 8) {
            e.writeMap(newUuid, CephEncoder::writeS32Le, CephEncoder::writeUuid);
        }
        if (ev >= 9) {
            e.writeMap(newXinfo, CephEncoder::writeS32Le, (ee, x) -> x.encode(ee));
        }
        if (ev >= 10) {
            e.writeMap(newHbFrontUp, CephEncoder::writeS32Le, (ee, a) -> a.encode(ee));
        }
    }

    private void encodeClassic(CephEncoder e) {
        e.writeU16Le(classicVersion).writeUuid(fsid).writeU32Le(epoch).writeUtime(modified);
        e.writeS64Le(newPoolMax).writeS32Le(newFlags).writeBlob(fullmap).writeBlob(crush).writeS32Le(newMaxOsd);
        e.writeMap(newPools, CephEncoder::writeS64Le, (ee, p) -> p.encode(ee));
        e.writeMap(newPoolNames, CephEncoder::writeS64Le, CephEncoder::writeString);
        e.writeList(oldPools, CephEncoder::writeS64Le);
        e.writeMap(newUpClient, CephEncoder::writeS32Le, (ee, a) -> a.encode(ee));
        e.writeMap(newState, CephEncoder::writeS32Le, (ee, s) -> ee.writeU8((int) (long) s));
        e.writeMap(newWeight, CephEncoder::writeS32Le, CephEncoder::writeU32Le);
        e.writeMap(newPgTemp, (ee, pg) -> pg.encode(ee), OsdMapCodec::writeOsdList);
        e.writeU16Le(classicExtendedVersion);
        writeOsdCommon(e, classicExtendedVersion);
    }

    // ---- apply ----------------------------------------------------------------------------------

    /**
     * The map of epoch {@code epoch()}, from {@code previous} (epoch - 1), as OSDMap::apply_incremental
     * builds it. {@code previous} is not changed. Callers check the result against {@link #fullCrc()}
     * with {@link #verifies(OsdMap)} and fetch a full map when it does not match (as librados does).
     */
    public OsdMap applyTo(OsdMap previous) {
        return IncrementalApplier.apply(previous, this);
    }

    /** True when {@code next}'s encoding has this incremental's full_crc (or there is none to check). */
    public boolean verifies(OsdMap next) {
        return !haveCrc || OsdMapCodec.computeCrc(next) == fullCrc;
    }

    // ---- accessors ------------------------------------------------------------------------------

    public long epoch() { return epoch; }
    public UUID fsid() { return fsid; }
    public UTime modified() { return modified; }
    public boolean haveCrc() { return haveCrc; }
    public long incCrc() { return incCrc; }
    public long fullCrc() { return fullCrc; }
    public boolean hasFullMap() { return fullmap.length > 0; }
    public byte[] fullMapBytes() { return fullmap.clone(); }
    public byte[] crushBytes() { return crush.clone(); }
    public int newMaxOsd() { return newMaxOsd; }
    public int newFlags() { return newFlags; }
    public Map<Long, PgPool> newPools() { return newPools; }
    public Set<Long> oldPools() { return oldPools; }
    public Map<Integer, Long> newState() { return newState; }
    public Map<Integer, Long> newWeight() { return newWeight; }
    public Map<PgId, List<Integer>> newPgTemp() { return newPgTemp; }
    public Map<PgId, Integer> newPrimaryTemp() { return newPrimaryTemp; }
    public Map<PgId, List<Integer>> newPgUpmap() { return newPgUpmap; }
    public Map<PgId, List<int[]>> newPgUpmapItems() { return newPgUpmapItems; }
    public Map<Integer, Long> newPrimaryAffinity() { return newPrimaryAffinity; }
    public int clientVersion() { return clientVersion; }
    public int osdVersion() { return osdVersion; }
    public int classicVersion() { return classicVersion; }
}
