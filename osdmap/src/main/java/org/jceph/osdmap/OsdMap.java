package org.jceph.osdmap;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.PgId;

/**
 * One epoch of the OSDMap (src/osd/OSDMap.h), immutable. Built by {@link OsdMapCodec#decode} or by
 * {@link Incremental#applyTo}; a new epoch is a new object.
 *
 * <p>Field groups follow the two encoded sections: the client-usable data (pools, OSD states and
 * weights, temps, upmaps, the CRUSH map, ...) and the OSD-only data (cluster and heartbeat
 * addresses, osd_info/osd_xinfo, blocklist, ratios, releases, stretch mode). The CRUSH map is kept
 * as its encoded bytes ({@link #crushBytes()}), byte for byte.
 */
public final class OsdMap implements Cloneable {
    /** CEPH_OSD_* state bits (src/include/rados.h). */
    public static final int STATE_EXISTS = 1;
    public static final int STATE_UP = 2;
    public static final int STATE_AUTOOUT = 4;
    public static final int STATE_NEW = 8;
    public static final int STATE_FULL = 16;
    public static final int STATE_NEARFULL = 32;
    public static final int STATE_BACKFILLFULL = 64;
    public static final int STATE_DESTROYED = 128;
    public static final int STATE_NOUP = 256;
    public static final int STATE_NODOWN = 512;
    public static final int STATE_NOIN = 1024;
    public static final int STATE_NOOUT = 2048;
    public static final int STATE_STOP = 4096;

    /** CEPH_OSD_IN / CEPH_OSD_OUT: 16.16 fixed-point weights. */
    public static final long WEIGHT_IN = 0x10000;
    public static final long WEIGHT_OUT = 0;
    /** CEPH_OSD_DEFAULT_PRIMARY_AFFINITY. */
    public static final long DEFAULT_PRIMARY_AFFINITY = 0x10000;
    /** CRUSH_ITEM_NONE: an empty position in an erasure-coded set. */
    public static final int ITEM_NONE = 0x7fffffff;

    // ---- envelope versions (re-encoding writes what was decoded) ---------------------------------
    int wrapperVersion;
    int wrapperCompat;
    int clientVersion;
    int clientCompat;
    int osdVersion;
    int osdCompat;
    /** 6 for the pre-Firefly single-version ("classic") encoding, 0 otherwise. */
    int classicVersion;
    int classicExtendedVersion;
    byte[] clientTail = new byte[0];
    byte[] osdTail = new byte[0];
    byte[] wrapperTail = new byte[0];
    long crc;
    boolean crcDefined;

    // ---- client-usable data --------------------------------------------------------------------
    UUID fsid;
    long epoch;
    UTime created;
    UTime modified;
    Map<Long, PgPool> pools;
    Map<Long, String> poolNames;
    int poolMax;
    long flags;
    int maxOsd;
    List<Long> osdState;
    List<Long> osdWeight;
    List<EntityAddrVec> clientAddrs;
    Map<PgId, List<Integer>> pgTemp;
    Map<PgId, Integer> primaryTemp;
    /** Empty when every OSD has the default affinity (Ceph encodes an empty vector then). */
    List<Long> osdPrimaryAffinity;
    byte[] crush;
    Map<String, Map<String, String>> erasureCodeProfiles;
    Map<PgId, List<Integer>> pgUpmap;
    Map<PgId, List<int[]>> pgUpmapItems;
    int crushVersion;
    Map<Long, List<PgPool.Interval>> newRemovedSnaps;
    Map<Long, List<PgPool.Interval>> newPurgedSnaps;
    UTime lastUpChange;
    UTime lastInChange;
    Map<PgId, Integer> pgUpmapPrimaries;

    // ---- OSD-only data -------------------------------------------------------------------------
    List<EntityAddrVec> hbBackAddrs;
    List<OsdInfo> osdInfo;
    Map<EntityAddr, UTime> blocklist;
    List<EntityAddrVec> clusterAddrs;
    long clusterSnapshotEpoch;
    String clusterSnapshot;
    List<UUID> osdUuid;
    List<OsdXInfo> osdXinfo;
    List<EntityAddrVec> hbFrontAddrs;
    float nearfullRatio;
    float fullRatio;
    float backfillfullRatio;
    String requireMinCompatClientString;
    int requireMinCompatClient;
    int requireOsdRelease;
    Map<Long, List<PgPool.Interval>> removedSnapsQueue;
    Map<Integer, Long> crushNodeFlags;
    Map<Integer, Long> deviceClassFlags;
    boolean stretchModeEnabled;
    long stretchBucketCount;
    long degradedStretchMode;
    long recoveringStretchMode;
    int stretchModeBucket;
    Map<EntityAddr, UTime> rangeBlocklist;
    boolean allowCrimson;

    OsdMap() {
    }

    /** A field-by-field copy sharing the (unmodifiable) collections, to build the next epoch from. */
    OsdMap shallowCopy() {
        try {
            return (OsdMap) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    public boolean exists(int osd) {
        return osd >= 0 && osd < maxOsd && (osdState.get(osd) & STATE_EXISTS) != 0;
    }

    public boolean isUp(int osd) {
        return exists(osd) && (osdState.get(osd) & STATE_UP) != 0;
    }

    public boolean isDown(int osd) {
        return !isUp(osd);
    }

    public boolean isOut(int osd) {
        return !exists(osd) || osdWeight.get(osd) == WEIGHT_OUT;
    }

    /** The primary affinity of {@code osd} (0x10000 = 1.0). */
    public long primaryAffinity(int osd) {
        return osdPrimaryAffinity.isEmpty() ? DEFAULT_PRIMARY_AFFINITY : osdPrimaryAffinity.get(osd);
    }

    public PgPool pool(long id) {
        return pools.get(id);
    }

    /** The id of the pool called {@code name}, or -1. */
    public long poolId(String name) {
        for (Map.Entry<Long, String> e : poolNames.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return -1;
    }

    /**
     * A copy of this snapshot with one OSD's state bits and weight replaced (what osdmaptool's
     * --mark-up-in and --mark-out do in memory, through OSDMap::set_state and set_weight: a
     * non-zero weight also sets EXISTS). This snapshot is unchanged.
     */
    public OsdMap withOsd(int osd, long state, long weight) {
        if (osd < 0 || osd >= maxOsd) {
            throw new IllegalArgumentException("osd." + osd + " is not below max_osd " + maxOsd);
        }
        OsdMap m = shallowCopy();
        java.util.List<Long> st = new java.util.ArrayList<>(osdState);
        java.util.List<Long> w = new java.util.ArrayList<>(osdWeight);
        st.set(osd, weight != 0 ? state | STATE_EXISTS : state);
        w.set(osd, weight);
        m.osdState = java.util.Collections.unmodifiableList(st);
        m.osdWeight = java.util.Collections.unmodifiableList(w);
        return m;
    }

    /**
     * As {@link #withOsd} for every OSD at once: {@code states} and {@code weights} have max_osd
     * entries (a non-zero weight sets EXISTS, as OSDMap::set_weight does).
     */
    public OsdMap withOsdStatesAndWeights(java.util.List<Long> states, java.util.List<Long> weights) {
        if (states.size() != maxOsd || weights.size() != maxOsd) {
            throw new IllegalArgumentException("need " + maxOsd + " states and weights");
        }
        OsdMap m = shallowCopy();
        java.util.List<Long> st = new java.util.ArrayList<>(maxOsd);
        for (int i = 0; i < maxOsd; i++) {
            st.add(weights.get(i) != 0 ? states.get(i) | STATE_EXISTS : states.get(i));
        }
        m.osdState = java.util.Collections.unmodifiableList(st);
        m.osdWeight = java.util.List.copyOf(weights);
        return m;
    }

    // ---- accessors -----------------------------------------------------------------------------

    public UUID fsid() { return fsid; }
    public long epoch() { return epoch; }
    public UTime created() { return created; }
    public UTime modified() { return modified; }
    public Map<Long, PgPool> pools() { return pools; }
    public Map<Long, String> poolNames() { return poolNames; }
    public int poolMax() { return poolMax; }
    public long flags() { return flags; }
    public int maxOsd() { return maxOsd; }
    public List<Long> osdState() { return osdState; }
    public List<Long> osdWeight() { return osdWeight; }
    public List<EntityAddrVec> clientAddrs() { return clientAddrs; }
    public Map<PgId, List<Integer>> pgTemp() { return pgTemp; }
    public Map<PgId, Integer> primaryTemp() { return primaryTemp; }
    public List<Long> osdPrimaryAffinity() { return osdPrimaryAffinity; }
    /** The encoded CRUSH map (CrushWrapper::encode), exactly as it came. */
    public byte[] crushBytes() { return crush.clone(); }
    public Map<String, Map<String, String>> erasureCodeProfiles() { return erasureCodeProfiles; }
    public Map<PgId, List<Integer>> pgUpmap() { return pgUpmap; }
    /** (from, to) pairs per PG; each array has two elements. */
    public Map<PgId, List<int[]>> pgUpmapItems() { return pgUpmapItems; }
    public Map<PgId, Integer> pgUpmapPrimaries() { return pgUpmapPrimaries; }
    public int crushVersion() { return crushVersion; }
    public Map<Long, List<PgPool.Interval>> newRemovedSnaps() { return newRemovedSnaps; }
    public Map<Long, List<PgPool.Interval>> newPurgedSnaps() { return newPurgedSnaps; }
    public UTime lastUpChange() { return lastUpChange; }
    public UTime lastInChange() { return lastInChange; }
    public List<EntityAddrVec> hbBackAddrs() { return hbBackAddrs; }
    public List<EntityAddrVec> hbFrontAddrs() { return hbFrontAddrs; }
    public List<EntityAddrVec> clusterAddrs() { return clusterAddrs; }
    public List<OsdInfo> osdInfo() { return osdInfo; }
    public List<OsdXInfo> osdXinfo() { return osdXinfo; }
    public Map<EntityAddr, UTime> blocklist() { return blocklist; }
    public Map<EntityAddr, UTime> rangeBlocklist() { return rangeBlocklist; }
    public long clusterSnapshotEpoch() { return clusterSnapshotEpoch; }
    public String clusterSnapshot() { return clusterSnapshot; }
    public List<UUID> osdUuid() { return osdUuid; }
    public float nearfullRatio() { return nearfullRatio; }
    public float fullRatio() { return fullRatio; }
    public float backfillfullRatio() { return backfillfullRatio; }
    /** ceph_release_t as a number (luminous 12, mimic 13, nautilus 14, octopus 15, pacific 16). */
    public int requireMinCompatClient() { return requireMinCompatClient; }
    public int requireOsdRelease() { return requireOsdRelease; }
    public Map<Long, List<PgPool.Interval>> removedSnapsQueue() { return removedSnapsQueue; }
    public Map<Integer, Long> crushNodeFlags() { return crushNodeFlags; }
    public Map<Integer, Long> deviceClassFlags() { return deviceClassFlags; }
    public boolean stretchModeEnabled() { return stretchModeEnabled; }
    public long stretchBucketCount() { return stretchBucketCount; }
    public long degradedStretchMode() { return degradedStretchMode; }
    public long recoveringStretchMode() { return recoveringStretchMode; }
    public int stretchModeBucket() { return stretchModeBucket; }
    public boolean allowCrimson() { return allowCrimson; }
    /** The CRC the map carried (0 if its encoding had none). */
    public long crc() { return crc; }
    public boolean crcDefined() { return crcDefined; }
    public int clientVersion() { return clientVersion; }
    public int osdVersion() { return osdVersion; }
    /** 6 for a classic (pre-Firefly) encoding, else 0. */
    public int classicVersion() { return classicVersion; }
}
