package org.jceph.osdmap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.PgId;

/**
 * OSDMap::apply_incremental (src/osd/OSDMap.cc) on copies: the previous snapshot is never touched.
 * Maps are rebuilt as sorted maps with Ceph's key order (pg_t: pool, preferred, seed; strings
 * bytewise), because the encoding, and so the CRC, depends on it.
 */
final class IncrementalApplier {
    // CEPH_OSDMAP_* (src/include/rados.h)
    static final long REQUIRE_JEWEL = 1L << 16;
    static final long REQUIRE_KRAKEN = 1L << 17;
    static final long REQUIRE_LUMINOUS = 1L << 18;
    static final long RECOVERY_DELETES = 1L << 19;
    static final long PGLOG_HARDLIMIT = 1L << 22;
    static final long LEGACY_REQUIRE_FLAGS = REQUIRE_JEWEL | REQUIRE_KRAKEN | REQUIRE_LUMINOUS;
    // ceph_release_t
    static final int RELEASE_JEWEL = 10;
    static final int RELEASE_KRAKEN = 11;
    static final int RELEASE_LUMINOUS = 12;
    static final int RELEASE_NAUTILUS = 14;
    static final int RELEASE_REEF = 18;
    static final int RELEASE_TENTACLE = 20;

    static final Comparator<PgId> PG_ORDER = Comparator.comparing(PgId::pool, Long::compareUnsigned)
            .thenComparingInt(PgId::preferred).thenComparingLong(PgId::seed);
    static final Comparator<String> STRING_ORDER = (a, b) -> java.util.Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * The CRUSH map as a full map carries it. The monitor writes an incremental's CRUSH map with
     * its quorum features, which on Squid and later include CRUSH_MSR (the msr_descents and
     * msr_collision_tries tunables at the end), but encodes full maps with OSDMap's significant
     * features, which do not: Tentacle 20.2.4's full maps never carry the MSR tunables, even
     * with MSR rules. OSDMap::apply_incremental decodes the new CRUSH map and the full map
     * re-encodes it, so the section is dropped here; any other CRUSH map is kept byte for byte.
     */
    static byte[] fullMapCrush(byte[] incCrush) {
        org.jceph.crush.CrushMap c = org.jceph.crush.CrushMap.decode(incCrush);
        int msr = org.jceph.crush.CrushMap.Section.MSR_TUNABLES.ordinal();
        if (c.encodedSections() <= msr) {
            return incCrush;
        }
        return c.withEncodedSections(msr).encode();
    }

    private IncrementalApplier() {
    }

    static OsdMap apply(OsdMap prev, Incremental inc) {
        if (inc.classicVersion != 0) {
            throw new IllegalArgumentException("classic (pre-Firefly) incrementals are decoded, not applied");
        }
        if (inc.epoch != prev.epoch + 1) {
            throw new IllegalArgumentException("incremental epoch " + inc.epoch + " does not follow map epoch "
                    + prev.epoch);
        }
        if (inc.epoch != 1 && !inc.fsid.equals(prev.fsid)) {
            throw new IllegalArgumentException("incremental fsid " + inc.fsid + " is not the map's " + prev.fsid);
        }
        if (inc.fullmap.length > 0) {
            return OsdMapCodec.decode(inc.fullmap);
        }
        OsdMap m = prev.shallowCopy();
        m.epoch = inc.epoch;
        m.modified = inc.modified;

        if (inc.newFlags >= 0) {
            m.flags = inc.newFlags & 0xffffffffL;
            if ((m.flags & REQUIRE_KRAKEN) != 0) {
                m.requireOsdRelease = Math.max(m.requireOsdRelease, RELEASE_KRAKEN);
            } else if ((m.flags & REQUIRE_JEWEL) != 0) {
                m.requireOsdRelease = Math.max(m.requireOsdRelease, RELEASE_JEWEL);
            }
        }

        List<Long> state = new ArrayList<>(m.osdState);
        List<Long> weight = new ArrayList<>(m.osdWeight);
        List<Long> affinity = new ArrayList<>(m.osdPrimaryAffinity);
        List<EntityAddrVec> client = new ArrayList<>(m.clientAddrs);
        List<EntityAddrVec> cluster = new ArrayList<>(m.clusterAddrs);
        List<EntityAddrVec> hbBack = new ArrayList<>(m.hbBackAddrs);
        List<EntityAddrVec> hbFront = new ArrayList<>(m.hbFrontAddrs);
        List<OsdInfo> info = new ArrayList<>(m.osdInfo);
        List<OsdXInfo> xinfo = new ArrayList<>(m.osdXinfo);
        List<UUID> uuid = new ArrayList<>(m.osdUuid);

        if (inc.newMaxOsd >= 0) {
            // OSDMap::set_max_osd: new slots are absent, out, default affinity, empty addresses
            int n = inc.newMaxOsd;
            resize(state, n, 0L);
            resize(weight, n, OsdMap.WEIGHT_OUT);
            if (!affinity.isEmpty()) {
                resize(affinity, n, OsdMap.DEFAULT_PRIMARY_AFFINITY);
            }
            EntityAddrVec none = new EntityAddrVec(List.of(), EntityAddrVec.FORM_VECTOR);
            resize(client, n, none);
            resize(cluster, n, none);
            resize(hbBack, n, none);
            resize(hbFront, n, none);
            resize(info, n, OsdInfo.empty());
            resize(xinfo, n, OsdXInfo.empty());
            resize(uuid, n, new UUID(0, 0));
            m.maxOsd = n;
        }
        if (inc.newPoolMax != -1) {
            m.poolMax = (int) inc.newPoolMax;
        }

        TreeMap<Long, PgPool> pools = new TreeMap<>(m.pools);
        for (Map.Entry<Long, PgPool> e : inc.newPools.entrySet()) {
            pools.put(e.getKey(), e.getValue().withLastChange(inc.epoch));
        }

        m.newRemovedSnaps = inc.newRemovedSnaps;
        m.newPurgedSnaps = inc.newPurgedSnaps;
        TreeMap<Long, List<PgPool.Interval>> queue = new TreeMap<>(m.removedSnapsQueue);
        for (Map.Entry<Long, List<PgPool.Interval>> e : inc.newRemovedSnaps.entrySet()) {
            queue.put(e.getKey(), Intervals.union(queue.getOrDefault(e.getKey(), List.of()), e.getValue()));
        }
        for (Map.Entry<Long, List<PgPool.Interval>> e : inc.newPurgedSnaps.entrySet()) {
            List<PgPool.Interval> left = Intervals.subtract(queue.getOrDefault(e.getKey(), List.of()), e.getValue());
            if (left.isEmpty()) {
                queue.remove(e.getKey());
            } else {
                queue.put(e.getKey(), left);
            }
        }
        m.removedSnapsQueue = frozen(queue);

        if (!inc.newLastUpChange.equals(org.jceph.encoding.UTime.ZERO)) {
            m.lastUpChange = inc.newLastUpChange;
        }
        if (!inc.newLastInChange.equals(org.jceph.encoding.UTime.ZERO)) {
            m.lastInChange = inc.newLastInChange;
        }

        TreeMap<Long, String> names = new TreeMap<>(m.poolNames);
        names.putAll(inc.newPoolNames);
        for (long id : inc.oldPools) {
            pools.remove(id);
            names.remove(id);
        }
        m.pools = frozen(pools);
        m.poolNames = frozen(names);

        for (Map.Entry<Integer, Long> e : inc.newWeight.entrySet()) {
            int osd = e.getKey();
            weight.set(osd, e.getValue());
            if (e.getValue() != 0) {
                // OSDMap::set_weight: a non-zero weight makes the OSD exist; marking in clears
                // AUTOOUT and NEW and forgets the weight it had before being marked out
                state.set(osd, (state.get(osd) | OsdMap.STATE_EXISTS) & ~(OsdMap.STATE_AUTOOUT | OsdMap.STATE_NEW));
                OsdXInfo x = xinfo.get(osd);
                xinfo.set(osd, new OsdXInfo(x.version(), x.compat(), x.downStamp(), x.laggyProbabilityRaw(),
                        x.laggyInterval(), x.features(), 0, x.lastPurgedSnapsScrub(), x.hasDeadEpoch(), x.deadEpoch(),
                        x.tail()));
            }
        }
        for (Map.Entry<Integer, Long> e : inc.newPrimaryAffinity.entrySet()) {
            setAffinity(affinity, m.maxOsd, e.getKey(), e.getValue());
        }

        TreeMap<String, Map<String, String>> profiles = new TreeMap<>(STRING_ORDER);
        profiles.putAll(m.erasureCodeProfiles);
        inc.oldErasureCodeProfiles.forEach(profiles::remove);
        profiles.putAll(inc.newErasureCodeProfiles);
        m.erasureCodeProfiles = frozen(profiles);

        for (Map.Entry<Integer, Long> e : inc.newState.entrySet()) {
            int osd = e.getKey();
            long s = e.getValue() != 0 ? e.getValue() : OsdMap.STATE_UP;
            long cur = state.get(osd);
            if ((cur & OsdMap.STATE_UP) != 0 && (s & OsdMap.STATE_UP) != 0) {
                OsdInfo i = info.get(osd);
                info.set(osd, new OsdInfo(i.version(), i.lastCleanBegin(), i.lastCleanEnd(), i.upFrom(), i.upThru(),
                        inc.epoch, i.lostAt()));
                OsdXInfo x = xinfo.get(osd);
                xinfo.set(osd, new OsdXInfo(x.version(), x.compat(), inc.modified, x.laggyProbabilityRaw(),
                        x.laggyInterval(), x.features(), x.oldWeight(), x.lastPurgedSnapsScrub(), x.hasDeadEpoch(),
                        x.deadEpoch(), x.tail()));
            }
            if ((cur & OsdMap.STATE_EXISTS) != 0 && (s & OsdMap.STATE_EXISTS) != 0) {
                // destroyed: forget everything about it
                uuid.set(osd, new UUID(0, 0));
                info.set(osd, OsdInfo.empty());
                xinfo.set(osd, OsdXInfo.empty());
                setAffinity(affinity, m.maxOsd, osd, OsdMap.DEFAULT_PRIMARY_AFFINITY);
                EntityAddrVec none = new EntityAddrVec(List.of(), EntityAddrVec.FORM_VECTOR);
                client.set(osd, none);
                cluster.set(osd, none);
                hbFront.set(osd, none);
                hbBack.set(osd, none);
                state.set(osd, 0L);
            } else {
                state.set(osd, cur ^ s);
            }
        }

        for (Map.Entry<Integer, EntityAddrVec> e : inc.newUpClient.entrySet()) {
            int osd = e.getKey();
            state.set(osd, (state.get(osd) | OsdMap.STATE_EXISTS | OsdMap.STATE_UP) & ~OsdMap.STATE_STOP);
            client.set(osd, e.getValue());
            hbBack.set(osd, inc.newHbBackUp.get(osd));
            hbFront.set(osd, inc.newHbFrontUp.get(osd));
            OsdInfo i = info.get(osd);
            info.set(osd, new OsdInfo(i.version(), i.lastCleanBegin(), i.lastCleanEnd(), inc.epoch, i.upThru(),
                    i.downAt(), i.lostAt()));
        }
        inc.newUpCluster.forEach(cluster::set);
        for (Map.Entry<Integer, Long> e : inc.newUpThru.entrySet()) {
            OsdInfo i = info.get(e.getKey());
            info.set(e.getKey(), new OsdInfo(i.version(), i.lastCleanBegin(), i.lastCleanEnd(), i.upFrom(),
                    e.getValue(), i.downAt(), i.lostAt()));
        }
        for (Map.Entry<Integer, long[]> e : inc.newLastCleanInterval.entrySet()) {
            OsdInfo i = info.get(e.getKey());
            info.set(e.getKey(), new OsdInfo(i.version(), e.getValue()[0], e.getValue()[1], i.upFrom(), i.upThru(),
                    i.downAt(), i.lostAt()));
        }
        for (Map.Entry<Integer, Long> e : inc.newLost.entrySet()) {
            OsdInfo i = info.get(e.getKey());
            info.set(e.getKey(), new OsdInfo(i.version(), i.lastCleanBegin(), i.lastCleanEnd(), i.upFrom(),
                    i.upThru(), i.downAt(), e.getValue()));
        }
        inc.newXinfo.forEach(xinfo::set);
        inc.newUuid.forEach(uuid::set);

        TreeMap<PgId, List<Integer>> pgTemp = new TreeMap<>(PG_ORDER);
        pgTemp.putAll(m.pgTemp);
        inc.newPgTemp.forEach((pg, osds) -> {
            if (osds.isEmpty()) {
                pgTemp.remove(pg);
            } else {
                pgTemp.put(pg, osds);
            }
        });
        m.pgTemp = frozen(pgTemp);
        TreeMap<PgId, Integer> primaryTemp = new TreeMap<>(PG_ORDER);
        primaryTemp.putAll(m.primaryTemp);
        inc.newPrimaryTemp.forEach((pg, osd) -> {
            if (osd == -1) {
                primaryTemp.remove(pg);
            } else {
                primaryTemp.put(pg, osd);
            }
        });
        m.primaryTemp = frozen(primaryTemp);

        TreeMap<PgId, List<Integer>> upmap = new TreeMap<>(PG_ORDER);
        upmap.putAll(m.pgUpmap);
        upmap.putAll(inc.newPgUpmap);
        inc.oldPgUpmap.forEach(upmap::remove);
        m.pgUpmap = frozen(upmap);
        TreeMap<PgId, List<int[]>> items = new TreeMap<>(PG_ORDER);
        items.putAll(m.pgUpmapItems);
        items.putAll(inc.newPgUpmapItems);
        inc.oldPgUpmapItems.forEach(items::remove);
        m.pgUpmapItems = frozen(items);
        TreeMap<PgId, Integer> upPrimary = new TreeMap<>(PG_ORDER);
        upPrimary.putAll(m.pgUpmapPrimaries);
        upPrimary.putAll(inc.newPgUpmapPrimary);
        inc.oldPgUpmapPrimary.forEach(upPrimary::remove);
        m.pgUpmapPrimaries = frozen(upPrimary);

        if (!inc.newBlocklist.isEmpty() || !inc.oldBlocklist.isEmpty()) {
            // entity_addr_t order is a byte comparison of the C struct; new entries go last here,
            // which keeps the order only when they sort after the others (else full_crc says so)
            Map<org.jceph.encoding.types.EntityAddr, org.jceph.encoding.UTime> bl = new LinkedHashMap<>(m.blocklist);
            bl.putAll(inc.newBlocklist);
            inc.oldBlocklist.forEach(bl::remove);
            m.blocklist = Collections.unmodifiableMap(bl);
        }
        if (!inc.newRangeBlocklist.isEmpty() || !inc.oldRangeBlocklist.isEmpty()) {
            Map<org.jceph.encoding.types.EntityAddr, org.jceph.encoding.UTime> bl =
                    new LinkedHashMap<>(m.rangeBlocklist);
            bl.putAll(inc.newRangeBlocklist);
            inc.oldRangeBlocklist.forEach(bl::remove);
            m.rangeBlocklist = Collections.unmodifiableMap(bl);
        }

        TreeMap<Integer, Long> nodeFlags = new TreeMap<>(m.crushNodeFlags);
        inc.newCrushNodeFlags.forEach((k, v) -> {
            if (v != 0) {
                nodeFlags.put(k, v);
            } else {
                nodeFlags.remove(k);
            }
        });
        m.crushNodeFlags = frozen(nodeFlags);
        TreeMap<Integer, Long> classFlags = new TreeMap<>(m.deviceClassFlags);
        inc.newDeviceClassFlags.forEach((k, v) -> {
            if (v != 0) {
                classFlags.put(k, v);
            } else {
                classFlags.remove(k);
            }
        });
        m.deviceClassFlags = frozen(classFlags);

        if (!inc.clusterSnapshot.isEmpty()) {
            m.clusterSnapshot = inc.clusterSnapshot;
            m.clusterSnapshotEpoch = inc.epoch;
        } else {
            m.clusterSnapshot = "";
            m.clusterSnapshotEpoch = 0;
        }
        if (inc.newNearfullRatio >= 0) {
            m.nearfullRatio = inc.newNearfullRatio;
        }
        if (inc.newBackfillfullRatio >= 0) {
            m.backfillfullRatio = inc.newBackfillfullRatio;
        }
        if (inc.newFullRatio >= 0) {
            m.fullRatio = inc.newFullRatio;
        }
        // 0xff (and 0 for the client release) mean "unchanged" in an incremental
        if (inc.newRequireMinCompatClient > 0 && inc.newRequireMinCompatClient != 0xff) {
            m.requireMinCompatClient = inc.newRequireMinCompatClient;
        }
        if (inc.newRequireOsdRelease != 0xff) {
            m.requireOsdRelease = inc.newRequireOsdRelease;
            if (m.requireOsdRelease >= RELEASE_LUMINOUS) {
                m.flags = (m.flags & ~LEGACY_REQUIRE_FLAGS) | RECOVERY_DELETES;
            }
            if (m.requireOsdRelease >= RELEASE_NAUTILUS) {
                m.flags |= PGLOG_HARDLIMIT;
            }
        }
        if (inc.crush.length > 0) {
            // CRUSH last, after the up/down changes. Device class flags of classes the new map lost
            // are not pruned here (that needs the decoded CRUSH map); full_crc catches it.
            m.crush = fullMapCrush(inc.crush);
            if (m.requireOsdRelease >= RELEASE_LUMINOUS) {
                m.crushVersion++;
            }
        }
        if (inc.changeStretchMode) {
            m.stretchModeEnabled = inc.stretchModeEnabled;
            m.stretchBucketCount = inc.newStretchBucketCount;
            m.degradedStretchMode = inc.newDegradedStretchMode;
            m.recoveringStretchMode = inc.newRecoveringStretchMode;
            m.stretchModeBucket = inc.newStretchModeBucket;
        }
        if (inc.mutateAllowCrimson == 1) {
            m.allowCrimson = true;
        } else if (inc.mutateAllowCrimson == 2) {
            m.allowCrimson = false;
        }

        m.osdState = frozen(state);
        m.osdWeight = frozen(weight);
        m.osdPrimaryAffinity = frozen(affinity);
        m.clientAddrs = frozen(client);
        m.clusterAddrs = frozen(cluster);
        m.hbBackAddrs = frozen(hbBack);
        m.hbFrontAddrs = frozen(hbFront);
        m.osdInfo = frozen(info);
        m.osdXinfo = frozen(xinfo);
        m.osdUuid = frozen(uuid);
        m.clientVersion = canonicalClientVersion(m.clientVersion, m.requireOsdRelease);
        m.pools = canonicalPools(m.pools, m.requireOsdRelease);
        // as OSDMap::apply_incremental: the new map's crc is the one the incremental announces
        // (verifies() checks that it is what the new map's encoding gives), not the previous map's
        m.crc = inc.fullCrc;
        m.crcDefined = inc.haveCrc;
        return m;
    }

    /**
     * The client-data version of the canonical full map, the encoding full_crc covers. Reef
     * 18.2.7 monitors write a map's client section v10 (with pg_upmap_primaries) only for peers
     * that have SERVER_REEF, v9 for others; jceph does not advertise SERVER_REEF, so the full
     * maps it is sent are v9, and so are the incrementals re-encoded for it (their
     * encode_features are cut down to ours too), while every full_crc is of the monitors' own v10
     * encoding. A cluster whose require_osd_release is reef or later has Reef or later monitors
     * (they are upgraded first), whose canonical maps are v10, so the applied map takes v10
     * there; a v9 map holds no pg_upmap_primaries, so v10 writes an empty map. Any other
     * version is kept as decoded.
     */
    static int canonicalClientVersion(int decoded, int requireOsdRelease) {
        return decoded == 9 && requireOsdRelease >= RELEASE_REEF ? 10 : decoded;
    }

    /**
     * The pools as the canonical full map encodes them. Tentacle 20.2.4 monitors write pg_pool_t
     * v32 in their own maps but v29 for peers without SERVER_TENTACLE (jceph does not advertise
     * it), both in the full maps they send us and in the new_pools of incrementals re-encoded for
     * us, while full_crc is of the v32 encoding. A cluster whose require_osd_release is tentacle
     * or later has Tentacle monitors, so there every v29 pool takes v32 (an empty stretch tuple
     * and no non-primary shards, the fields v29 lacks); earlier releases keep what was decoded.
     */
    static Map<Long, PgPool> canonicalPools(Map<Long, PgPool> pools, int requireOsdRelease) {
        if (requireOsdRelease < RELEASE_TENTACLE) {
            return pools;
        }
        TreeMap<Long, PgPool> out = new TreeMap<>(pools);
        out.replaceAll((id, p) -> p.asTentacleEncoding());
        return frozen(out);
    }

    /** OSDMap::set_primary_affinity: the vector appears (all default) on first non-default use. */
    private static void setAffinity(List<Long> affinity, int maxOsd, int osd, long value) {
        if (affinity.isEmpty()) {
            if (value == OsdMap.DEFAULT_PRIMARY_AFFINITY) {
                return;
            }
            resize(affinity, maxOsd, OsdMap.DEFAULT_PRIMARY_AFFINITY);
        }
        affinity.set(osd, value);
    }

    private static <T> void resize(List<T> l, int n, T fill) {
        while (l.size() > n) {
            l.remove(l.size() - 1);
        }
        while (l.size() < n) {
            l.add(fill);
        }
    }

    private static <T> List<T> frozen(List<T> l) {
        return Collections.unmodifiableList(l);
    }

    private static <K, V> Map<K, V> frozen(Map<K, V> m) {
        return Collections.unmodifiableMap(m);
    }
}
