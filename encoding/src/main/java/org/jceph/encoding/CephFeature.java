package org.jceph.encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Ceph's feature bits (src/include/ceph_features.h), one table: bit, incarnation and what the bit
 * changes in the encodings a client sees. Peers exchange 64-bit masks; a bit reused after a retired
 * feature counts only together with its incarnation marker bits (SERVER_JEWEL for incarnation 2,
 * SERVER_JEWEL and SERVER_MIMIC for incarnation 3), which is why {@link #isIn} tests the full mask.
 *
 * <p>The list covers the bits a Pacific client advertises or meets, and the later releases' bits.
 * jceph advertises every bit in the table, as a Tentacle 20.2 client does: it decodes what peers
 * send for each (OSDMap client v10 with pg_upmap_primaries, range blocklists, CRUSH maps with the
 * MSR tunables, pg_pool_t v32, MonMap v10 with its cipher fields) and maps MSR rules. Monitors
 * refuse clients without SERVER_REEF once require_min_compat_client is reef, and without CRUSH_MSR
 * once the CRUSH map has MSR rules. With SERVER_TENTACLE a Tentacle monitor sends pools at v32
 * directly instead of the v29 it sends older peers; older daemons ignore bits they do not know.
 * The encodings jceph sends do not depend on these bits: MOSDOp is v8 on every release (each
 * release's OSD still decodes v8).
 */
public enum CephFeature {
    UID(0, 1, "no encoding change"),
    NOSRCADDR(1, 1, "msgr1 header carries no source address"),
    SERVER_NAUTILUS(2, 3, "MonMap v7+, entity_addr_t types v2/any, MOSDOp/osdmap addrvecs"),
    FLOCK(3, 1, "mds only"),
    SUBSCRIBE2(4, 1, "MMonSubscribe with per-item start/flags"),
    MONNAMES(5, 1, "MonMap names monitors"),
    RECONNECT_SEQ(6, 1, "msgr1 TAG_SEQ on reconnect"),
    DIRLAYOUTHASH(7, 1, "mds only"),
    OBJECTLOCATOR(8, 1, "MOSDOp carries object_locator_t (else the 2010 packed head, v1)"),
    PGID64(9, 1, "pg_t with 64-bit pool"),
    INCSUBOSDMAP(10, 1, "subscribe to incremental osdmaps"),
    PGPOOL3(11, 1, "pg_pool_t v3+"),
    OSDREPLYMUX(12, 1, "replies may come from any osd"),
    OSDENC(13, 1, "versioned osd encodings"),
    SERVER_KRAKEN(14, 2, "kraken-era encodings"),
    MONENC(15, 1, "versioned mon encodings"),
    SERVER_OCTOPUS(16, 3, "octopus-era encodings"),
    CRUSH_TUNABLES(18, 1, "CRUSH tunables in the map"),
    OSD_PGLOG_HARDLIMIT(19, 2, "osd only"),
    SERVER_PACIFIC(20, 3, "pacific-era encodings"),
    SERVER_LUMINOUS(21, 2, "also RESEND_ON_SPLIT, RADOS_BACKOFF, OSDMAP_PG_UPMAP, CRUSH_CHOOSE_ARGS"),
    OSD_FIXED_COLLECTION_LIST(22, 2, "osd only"),
    MSG_AUTH(23, 1, "signed message footers (21-byte footer with sig)"),
    RECOVERY_RESERVATION_2(24, 1, "osd only"),
    CRUSH_TUNABLES2(25, 1, "CRUSH tunables2 (chooseleaf_descend_once)"),
    CREATEPOOLID(26, 1, "pool create may name the id"),
    REPLY_CREATE_INODE(27, 1, "mds only"),
    SERVER_MIMIC(28, 2, "mimic-era encodings"),
    MDSENC(29, 1, "mds only"),
    OSDHASHPSPOOL(30, 1, "pools may hash ps with the pool id (hashpspool)"),
    SERVER_REEF(31, 3, "reef-era encodings: OSDMap client v10 (pg_upmap_primaries)"),
    STRETCH_MODE(32, 3, "OSDMap stretch-mode fields"),
    SERVER_QUINCY(33, 3, "quincy-era encodings"),
    RANGE_BLOCKLIST(34, 3, "CIDR blocklist entries (OSDMap osd v11)"),
    OSD_CACHEPOOL(35, 1, "cache tiers"),
    CRUSH_V2(36, 1, "CRUSH rule steps set_choose_tries etc."),
    EXPORT_PEER(37, 1, "mds only"),
    CRUSH_MSR(38, 2, "CRUSH MSR rules and the msr_descents / msr_collision_tries tunables"),
    OSDMAP_ENC(39, 1, "OSDMap v7+ (client/osd sections with their own envelopes)"),
    MDS_INLINE_DATA(40, 1, "mds only"),
    CRUSH_TUNABLES3(41, 1, "chooseleaf_vary_r; also OSD_PRIMARY_AFFINITY"),
    MSGR_KEEPALIVE2(42, 1, "KEEPALIVE2 with timestamp"),
    OSD_POOLRESEND(43, 1, "pool last_force_op_resend"),
    OSD_FADVISE_FLAGS(46, 1, "per-op fadvise flags"),
    MDS_QUOTA(47, 1, "mds only"),
    CRUSH_V4(48, 1, "straw2 buckets"),
    SERVER_SQUID(49, 2, "squid-era encodings"),
    SERVER_TENTACLE(50, 2, "tentacle-era encodings: pg_pool_t v32 from monitors"),
    NEW_OSDOP_ENCODING(56, 1, "MOSDOp v8 layout (spg_t first)"),
    SERVER_JEWEL(57, 1, "also MON_STATEFUL_SUB, MON_ROUTE_OSDMAP; incarnation-2 marker"),
    CRUSH_TUNABLES5(58, 2, "chooseleaf_stable; also NEW_OSDOPREPLY_ENCODING, FS_FILE_LAYOUT_V2"),
    MSG_ADDR2(59, 2, "entity_addr_t new encoding; also FS_BTIME, FS_CHANGE_ATTR"),
    OSD_RECOVERY_DELETES(60, 2, "osd only"),
    CEPHX_V2(61, 2, "cephx v2 authorizers and message signatures");

    /** Marker bits of each incarnation: index 1, 2, 3. */
    private static final long[] INCARNATION = {0, 0, 1L << 57, (1L << 57) | (1L << 28)};

    private final int bit;
    private final int incarnation;
    private final String effect;

    CephFeature(int bit, int incarnation, String effect) {
        this.bit = bit;
        this.incarnation = incarnation;
        this.effect = effect;
    }

    public int bit() {
        return bit;
    }

    /** 1, 2 or 3: which retirement generation of the bit this feature is. */
    public int incarnation() {
        return incarnation;
    }

    /** What the bit changes on the wire. */
    public String effect() {
        return effect;
    }

    /** The bit itself. */
    public long bitMask() {
        return 1L << bit;
    }

    /** The bit plus its incarnation markers: what a peer must have set for the feature to count. */
    public long fullMask() {
        return bitMask() | INCARNATION[incarnation];
    }

    public boolean isIn(long features) {
        return (features & fullMask()) == fullMask();
    }

    /** What jceph advertises: every bit above, with its incarnation markers. */
    public static final long CLIENT_SUPPORTED;

    static {
        long m = 0;
        for (CephFeature f : values()) {
            m |= f.fullMask();
        }
        CLIENT_SUPPORTED = m;
    }

    /** The features a mask holds, for logs and the protocol decoder. */
    public static List<CephFeature> decodeMask(long features) {
        List<CephFeature> out = new ArrayList<>();
        for (CephFeature f : values()) {
            if (f.isIn(features)) {
                out.add(f);
            }
        }
        return out;
    }
}
