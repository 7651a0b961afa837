package org.jceph.osdmap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.UTime;

/**
 * {@code pg_pool_t} (src/osd/osd_types.{h,cc}): one pool as the OSDMap describes it. Immutable.
 *
 * <p>Wire layout (DECODE_START_LEGACY_COMPAT_LEN(29, 5, 5): versions below 5 have neither compat
 * byte nor length). Fields in order, with the version that introduced them:
 *
 * <pre>
 *  u8 type, u8 size, u8 crush_rule, u8 object_hash, u32 pg_num, u32 pgp_num,
 *  u32 lpg_num(0), u32 lpgp_num(0), u32 last_change, u64 snap_seq, u32 snap_epoch,
 *  v&lt;3: u32 n_snaps, u32 n_removed, u64 auid, snaps and removed_snaps without counts
 *  v3:  map&lt;u64,pool_snap_info_t&gt; snaps, interval_set&lt;u64&gt; removed_snaps, u64 auid
 *  v4:  u64 flags, u32 crash_replay_interval
 *  v7:  u8 min_size          v8: u64 quota_max_bytes, u64 quota_max_objects
 *  v9:  set&lt;u64&gt; tiers, s64 tier_of, u8 cache_mode, s64 read_tier, s64 write_tier
 *  v10: map&lt;string,string&gt; properties
 *  v11: HitSet::Params, u32 hit_set_period, u32 hit_set_count       v12: u32 stripe_width
 *  v13: u64 target_max_bytes, u64 target_max_objects, u32 cache_target_dirty_ratio_micro,
 *       u32 cache_target_full_ratio_micro, u32 cache_min_flush_age, u32 cache_min_evict_age
 *  v14: string erasure_code_profile        v15: u32 last_force_op_resend_preluminous
 *  v16: s32 min_read_recency_for_promote   v17: u64 expected_num_objects
 *  v19: u32 cache_target_dirty_high_ratio_micro   v20: s32 min_write_recency_for_promote
 *  v21: bool use_gmt_hitset   v22: bool fast_read
 *  v23: u32 hit_set_grade_decay_rate, u32 hit_set_search_last_n   v24: pool_opts_t
 *  v25: u32 last_force_op_resend_prenautilus   v26: map&lt;string,map&lt;string,string&gt;&gt; application_metadata
 *  v27: utime create_time
 *  v28: u32 pg_num_target, u32 pgp_num_target, u32 pg_num_pending, u32 x2 (14.1 merge epochs),
 *       u32 last_force_op_resend, u8 pg_autoscale_mode
 *  v29: pg_merge_meta_t last_pg_merge_meta
 *  v30: u32 peering_crush_bucket_count, u32 peering_crush_bucket_target,
 *       u32 peering_crush_bucket_barrier, s32 peering_crush_mandatory_member   (stretch pools)
 *  v31 (Squid): the four stretch fields again, now as std::optional&lt;tuple&lt;u32 x4&gt;&gt;
 *       (u8 present, then the four values) instead of v30's bare fields
 *  v32 (Tentacle): shard_id_set nonprimary_shards (bitset_set&lt;128&gt;: two 64-bit words, each a
 *       denc varint, 7 bits per byte low first; EC shards that never become primary)
 *  newer: kept as raw bytes ({@link #unknownTail()})
 * </pre>
 *
 * Re-encoding writes the version that was decoded, so every sample round-trips byte for byte;
 * {@link #encode(CephEncoder, int)} writes any other supported version.
 *
 * <p>Why one class of ~730 lines (over the project's ~600): pg_pool_t has some 65 fields across 32
 * encoding versions; the decoder, the encoder and the accessors walk the same list in the same order,
 * and keeping them side by side is what lets a reviewer check each version's fields once.
 */
public final class PgPool implements Cloneable {
    public static final int TYPE_REPLICATED = 1;
    public static final int TYPE_ERASURE = 3;

    public static final int HASH_LINUX = 1;
    public static final int HASH_RJENKINS = 2;

    public static final long FLAG_HASHPSPOOL = 1L << 0;
    public static final long FLAG_FULL = 1L << 1;
    public static final long FLAG_EC_OVERWRITES = 1L << 2;
    public static final long FLAG_INCOMPLETE_CLONES = 1L << 3;
    public static final long FLAG_NODELETE = 1L << 4;
    public static final long FLAG_NOPGCHANGE = 1L << 5;
    public static final long FLAG_NOSIZECHANGE = 1L << 6;
    public static final long FLAG_WRITE_FADVISE_DONTNEED = 1L << 7;
    public static final long FLAG_NOSCRUB = 1L << 8;
    public static final long FLAG_NODEEP_SCRUB = 1L << 9;
    public static final long FLAG_FULL_QUOTA = 1L << 10;
    public static final long FLAG_NEARFULL = 1L << 11;
    public static final long FLAG_BACKFILLFULL = 1L << 12;
    public static final long FLAG_SELFMANAGED_SNAPS = 1L << 13;
    public static final long FLAG_POOL_SNAPS = 1L << 14;
    public static final long FLAG_CREATING = 1L << 15;

    /** The newest version this class decodes field by field (Pacific's stretch-pool encoding). */
    public static final int MAX_KNOWN_VERSION = 32;

    /** One interval of an {@code interval_set<snapid_t>}: [start, start + length). */
    public record Interval(long start, long length) {
    }

    // envelope
    int version;
    int compat;
    // v1+
    int type;
    int size;
    int crushRule;
    int objectHash;
    long pgNum;
    long pgpNum;
    long lpgNum;
    long lpgpNum;
    long lastChange;
    long snapSeq;
    long snapEpoch;
    Map<Long, PoolSnapInfo> snaps = Map.of();
    List<Interval> removedSnaps = List.of();
    long auid;
    // v4
    long wireFlags;
    long crashReplayInterval;
    // v7
    int minSize;
    // v8
    long quotaMaxBytes;
    long quotaMaxObjects;
    // v9
    Set<Long> tiers = Set.of();
    long tierOf = -1;
    int cacheMode;
    long readTier = -1;
    long writeTier = -1;
    // v10
    Map<String, String> properties = Map.of();
    // v11
    VersionedBlob hitSetParams;
    long hitSetPeriod;
    long hitSetCount;
    // v12
    long stripeWidth;
    // v13
    long targetMaxBytes;
    long targetMaxObjects;
    long cacheTargetDirtyRatioMicro;
    long cacheTargetFullRatioMicro;
    long cacheMinFlushAge;
    long cacheMinEvictAge;
    // v14
    String erasureCodeProfile = "";
    // v15
    long lastForceOpResendPreluminous;
    // v16
    int minReadRecencyForPromote;
    // v17
    long expectedNumObjects;
    // v19
    long cacheTargetDirtyHighRatioMicro;
    // v20
    int minWriteRecencyForPromote;
    // v21, v22
    boolean useGmtHitset;
    boolean fastRead;
    // v23
    long hitSetGradeDecayRate;
    long hitSetSearchLastN;
    // v24
    PoolOpts opts = PoolOpts.EMPTY;
    // v25
    long lastForceOpResendPrenautilus;
    // v26
    Map<String, Map<String, String>> applicationMetadata = Map.of();
    // v27
    UTime createTime = UTime.ZERO;
    // v28
    long pgNumTarget;
    long pgpNumTarget;
    long pgNumPending;
    long oldMergeLastEpochStarted;
    long oldMergeLastEpochClean;
    long lastForceOpResend;
    int pgAutoscaleMode;
    // v29
    PgMergeMeta lastPgMergeMeta;
    // v30
    long peeringCrushBucketCount;
    long peeringCrushBucketTarget;
    long peeringCrushBucketBarrier;
    int peeringCrushMandatoryMember = Integer.MAX_VALUE;
    // v31: whether the optional stretch tuple was present
    boolean peeringCrushDataPresent;
    // v32
    long[] nonprimaryShardWords = new long[2];
    // newer
    byte[] unknownTail = new byte[0];

    PgPool() {
    }

    /** A copy with last_change set, for OSDMap::apply_incremental (fields are immutable values). */
    PgPool withLastChange(long epoch) {
        try {
            PgPool c = (PgPool) super.clone();
            c.lastChange = epoch;
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * This pool as a Tentacle (v32) encoder writes it, for a pool a Tentacle monitor sent us at v29
     * (its encoding for peers without SERVER_TENTACLE, seen for replicated non-stretch pools;
     * what it sends for stretch pools or EC pools with non-primary shards was not observed). v29
     * carries none of the v30 to v32 fields, so v32 writes them empty (no stretch tuple, no
     * non-primary shards); other versions, and v29 pools with bytes we do not know, are returned
     * unchanged.
     */
    PgPool asTentacleEncoding() {
        if (version != 29 || unknownTail.length != 0) {
            return this;
        }
        try {
            PgPool c = (PgPool) super.clone();
            c.version = 32;
            c.compat = 5;
            c.peeringCrushDataPresent = false;
            c.nonprimaryShardWords = new long[2];
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A copy of this pool with its placement fields replaced, as the monitor's pool commands would
     * leave them (for building test maps; the encoding version is unchanged). {@code pgNum} and
     * {@code pgpNum} are 1..2^31 with pgp_num at most pg_num; the targets are what {@code ceph osd
     * pool set} asked for (pg_num_target, pgp_num_target: v28 and later).
     *
     * @throws IllegalArgumentException on values pg_pool_t cannot hold (a caller's mistake, not input)
     */
    public PgPool withPlacement(int type, int size, int minSize, int crushRule, long pgNum, long pgpNum,
            long pgNumTarget, long pgpNumTarget, long flags) {
        if ((type != TYPE_REPLICATED && type != TYPE_ERASURE) || size < 1 || size > 255 || minSize < 0
                || minSize > 255 || crushRule < 0 || crushRule > 255 || pgNum < 1 || pgNum > 0x7fffffffL
                || pgpNum < 1 || pgpNum > pgNum || pgNumTarget < 1 || pgpNumTarget < 1) {
            throw new IllegalArgumentException("not a pool: type " + type + " size " + size + " min_size " + minSize
                    + " rule " + crushRule + " pg_num " + pgNum + " pgp_num " + pgpNum);
        }
        PgPool c = copy();
        c.type = type;
        c.size = size;
        c.minSize = minSize;
        c.crushRule = crushRule;
        c.pgNum = pgNum;
        c.pgpNum = pgpNum;
        c.pgNumTarget = pgNumTarget;
        c.pgpNumTarget = pgpNumTarget;
        c.pgNumPending = pgNum;
        c.wireFlags = flags;
        return c;
    }

    /** A copy naming an erasure-code profile and stripe width (as {@code ceph osd pool create ... erasure P}). */
    public PgPool withErasureCodeProfile(String profile, long stripeWidth) {
        PgPool c = copy();
        c.erasureCodeProfile = profile;
        c.stripeWidth = stripeWidth;
        return c;
    }

    private PgPool copy() {
        try {
            return (PgPool) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- decode ---------------------------------------------------------------------------------

    public static PgPool decode(CephDecoder d) {
        PgPool p = new PgPool();
        CephDecoder.Envelope env = d.beginStructLegacy("pg_pool_t", MAX_KNOWN_VERSION, 5, 5);
        int v = env.version();
        p.version = v;
        p.compat = env.compat();
        p.type = d.readU8();
        p.size = d.readU8();
        p.crushRule = d.readU8();
        p.objectHash = d.readU8();
        p.pgNum = d.readU32Le();
        p.pgpNum = d.readU32Le();
        p.lpgNum = d.readU32Le();
        p.lpgpNum = d.readU32Le();
        p.lastChange = d.readU32Le();
        p.snapSeq = d.readU64Le();
        p.snapEpoch = d.readU32Le();
        if (v >= 3) {
            p.snaps = readSnaps(d, d.readCountLe("snaps", 8 + 15));
            p.removedSnaps = readIntervals(d, d.readCountLe("removed_snaps", 16));
            p.auid = d.readU64Le();
        } else {
            int nSnaps = d.readCountLe("snaps", 8 + 15);
            int nRemoved = d.readCountLe("removed_snaps", 16);
            p.auid = d.readU64Le();
            p.snaps = readSnaps(d, nSnaps);
            p.removedSnaps = readIntervals(d, nRemoved);
        }
        if (v >= 4) {
            p.wireFlags = d.readU64Le();
            p.crashReplayInterval = d.readU32Le();
        }
        p.minSize = v >= 7 ? d.readU8() : p.size - p.size / 2;
        if (v >= 8) {
            p.quotaMaxBytes = d.readU64Le();
            p.quotaMaxObjects = d.readU64Le();
        }
        if (v >= 9) {
            p.tiers = d.readSet(8, CephDecoder::readU64Le);
            p.tierOf = d.readS64Le();
            p.cacheMode = d.readU8();
            p.readTier = d.readS64Le();
            p.writeTier = d.readS64Le();
        }
        if (v >= 10) {
            p.properties = d.readMap(8, CephDecoder::readString, CephDecoder::readString);
        }
        if (v >= 11) {
            p.hitSetParams = VersionedBlob.decode(d, "HitSet::Params");
            p.hitSetPeriod = d.readU32Le();
            p.hitSetCount = d.readU32Le();
        }
        if (v >= 12) {
            p.stripeWidth = d.readU32Le();
        }
        if (v >= 13) {
            p.targetMaxBytes = d.readU64Le();
            p.targetMaxObjects = d.readU64Le();
            p.cacheTargetDirtyRatioMicro = d.readU32Le();
            p.cacheTargetFullRatioMicro = d.readU32Le();
            p.cacheMinFlushAge = d.readU32Le();
            p.cacheMinEvictAge = d.readU32Le();
        }
        if (v >= 14) {
            p.erasureCodeProfile = d.readString();
        }
        if (v >= 15) {
            p.lastForceOpResendPreluminous = d.readU32Le();
        }
        p.minReadRecencyForPromote = v >= 16 ? d.readS32Le() : 1;
        if (v >= 17) {
            p.expectedNumObjects = d.readU64Le();
        }
        p.cacheTargetDirtyHighRatioMicro = v >= 19 ? d.readU32Le() : p.cacheTargetDirtyRatioMicro;
        p.minWriteRecencyForPromote = v >= 20 ? d.readS32Le() : 1;
        if (v >= 21) {
            p.useGmtHitset = d.readBool();
        }
        if (v >= 22) {
            p.fastRead = d.readBool();
        }
        if (v >= 23) {
            p.hitSetGradeDecayRate = d.readU32Le();
            p.hitSetSearchLastN = d.readU32Le();
        } else {
            p.hitSetSearchLastN = 1;
        }
        if (v >= 24) {
            p.opts = PoolOpts.decode(d);
        }
        p.lastForceOpResendPrenautilus = v >= 25 ? d.readU32Le() : p.lastForceOpResendPreluminous;
        if (v >= 26) {
            p.applicationMetadata = d.readMap(8, CephDecoder::readString,
                    dd -> dd.readMap(8, CephDecoder::readString, CephDecoder::readString));
        }
        if (v >= 27) {
            p.createTime = d.readUtime();
        }
        if (v >= 28) {
            p.pgNumTarget = d.readU32Le();
            p.pgpNumTarget = d.readU32Le();
            p.pgNumPending = d.readU32Le();
            p.oldMergeLastEpochStarted = d.readU32Le();
            p.oldMergeLastEpochClean = d.readU32Le();
            p.lastForceOpResend = d.readU32Le();
            p.pgAutoscaleMode = d.readU8();
        } else {
            p.pgNumTarget = p.pgNum;
            p.pgpNumTarget = p.pgpNum;
            p.pgNumPending = p.pgNum;
            p.lastForceOpResend = p.lastForceOpResendPrenautilus;
            p.pgAutoscaleMode = 1; // WARN, as Ceph defaults on upgrade
        }
        if (v >= 29) {
            p.lastPgMergeMeta = PgMergeMeta.decode(d);
        }
        if (v == 30) {
            p.peeringCrushBucketCount = d.readU32Le();
            p.peeringCrushBucketTarget = d.readU32Le();
            p.peeringCrushBucketBarrier = d.readU32Le();
            p.peeringCrushMandatoryMember = d.readS32Le();
        }
        if (v >= 31) {
            p.peeringCrushDataPresent = d.readBool();
            if (p.peeringCrushDataPresent) {
                p.peeringCrushBucketCount = d.readU32Le();
                p.peeringCrushBucketTarget = d.readU32Le();
                p.peeringCrushBucketBarrier = d.readU32Le();
                p.peeringCrushMandatoryMember = d.readS32Le();
            }
        }
        if (v >= 32) {
            p.nonprimaryShardWords = new long[] {readVarint(d), readVarint(d)};
        }
        if (v >= 5) { // only enveloped versions can carry fields we do not know
            p.unknownTail = d.readBytes(env.remainingIn(d));
        }
        d.endStructLegacy(env);
        return p;
    }

    private static Map<Long, PoolSnapInfo> readSnaps(CephDecoder d, int n) {
        Map<Long, PoolSnapInfo> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            long id = d.readU64Le();
            out.put(id, PoolSnapInfo.decode(d));
        }
        return Collections.unmodifiableMap(out);
    }

    static List<Interval> readIntervals(CephDecoder d, int n) {
        List<Interval> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Interval(d.readU64Le(), d.readU64Le()));
        }
        return Collections.unmodifiableList(out);
    }

    // ---- encode ---------------------------------------------------------------------------------

    /** Writes the encoding this pool was decoded from (byte-identical for decoded pools). */
    public void encode(CephEncoder e) {
        encode(e, version);
    }

    /**
     * Writes version {@code v} as Ceph's encoder would for older peers: 2 and 4 are the bare
     * pre-OSDENC layouts, 5 and above an ENCODE_START envelope with compat 5; below v27 the
     * SELFMANAGED_SNAPS, POOL_SNAPS and CREATING flags are stripped, below v28 pool_opts_t is v1.
     * Only re-encoding the decoded version is proven byte-exact on the whole corpus; a
     * down-conversion was checked in one case (a v32 sample written as v29 equals the corpus's
     * v29 encoding of the same pool).
     */
    public void encode(CephEncoder e, int v) {
        if (v < 5) {
            e.writeU8(v);
            writeBody(e, v);
            return;
        }
        int mark = e.beginStruct(v, v == version ? compat : 5);
        writeBody(e, v);
        e.finishStruct(mark);
    }

    private void writeBody(CephEncoder e, int v) {
        e.writeU8(type).writeU8(size).writeU8(crushRule).writeU8(objectHash);
        e.writeU32Le(pgNum).writeU32Le(pgpNum).writeU32Le(lpgNum).writeU32Le(lpgpNum);
        e.writeU32Le(lastChange).writeU64Le(snapSeq).writeU32Le(snapEpoch);
        if (v >= 3) {
            writeSnaps(e);
            writeIntervals(e);
            e.writeU64Le(auid);
        } else {
            e.writeU32Le(snaps.size()).writeU32Le(removedSnaps.size()).writeU64Le(auid);
            for (Map.Entry<Long, PoolSnapInfo> s : snaps.entrySet()) {
                e.writeU64Le(s.getKey());
                s.getValue().encode(e);
            }
            for (Interval i : removedSnaps) {
                e.writeU64Le(i.start()).writeU64Le(i.length());
            }
        }
        if (v >= 4) {
            long f = wireFlags;
            if (v != version && v < 27) {
                // pre-Mimic encodings never carry these three (osd_types.cc pg_pool_t::encode)
                f &= ~(FLAG_SELFMANAGED_SNAPS | FLAG_POOL_SNAPS | FLAG_CREATING);
            }
            e.writeU64Le(f).writeU32Le(crashReplayInterval);
        }
        if (v >= 7) {
            e.writeU8(minSize);
        }
        if (v >= 8) {
            e.writeU64Le(quotaMaxBytes).writeU64Le(quotaMaxObjects);
        }
        if (v >= 9) {
            e.writeList(tiers, CephEncoder::writeU64Le);
            e.writeS64Le(tierOf).writeU8(cacheMode).writeS64Le(readTier).writeS64Le(writeTier);
        }
        if (v >= 10) {
            e.writeMap(properties, CephEncoder::writeString, CephEncoder::writeString);
        }
        if (v >= 11) {
            hitSetParamsOrNone().encode(e);
            e.writeU32Le(hitSetPeriod).writeU32Le(hitSetCount);
        }
        if (v >= 12) {
            e.writeU32Le(stripeWidth);
        }
        if (v >= 13) {
            e.writeU64Le(targetMaxBytes).writeU64Le(targetMaxObjects);
            e.writeU32Le(cacheTargetDirtyRatioMicro).writeU32Le(cacheTargetFullRatioMicro);
            e.writeU32Le(cacheMinFlushAge).writeU32Le(cacheMinEvictAge);
        }
        if (v >= 14) {
            e.writeString(erasureCodeProfile);
        }
        if (v >= 15) {
            e.writeU32Le(lastForceOpResendPreluminous);
        }
        if (v >= 16) {
            e.writeS32Le(minReadRecencyForPromote);
        }
        if (v >= 17) {
            e.writeU64Le(expectedNumObjects);
        }
        if (v >= 19) {
            e.writeU32Le(cacheTargetDirtyHighRatioMicro);
        }
        if (v >= 20) {
            e.writeS32Le(minWriteRecencyForPromote);
        }
        if (v >= 21) {
            e.writeBool(useGmtHitset);
        }
        if (v >= 22) {
            e.writeBool(fastRead);
        }
        if (v >= 23) {
            e.writeU32Le(hitSetGradeDecayRate).writeU32Le(hitSetSearchLastN);
        }
        if (v >= 24) {
            // pool_opts_t is v2 (s64 integers) only with SERVER_NAUTILUS, i.e. pg_pool_t v28+
            opts.encode(e, v == version ? opts.version() : v >= 28 ? 2 : 1);
        }
        if (v >= 25) {
            e.writeU32Le(lastForceOpResendPrenautilus);
        }
        if (v >= 26) {
            e.writeMap(applicationMetadata, CephEncoder::writeString,
                    (ee, m) -> ee.writeMap(m, CephEncoder::writeString, CephEncoder::writeString));
        }
        if (v >= 27) {
            e.writeUtime(createTime);
        }
        if (v >= 28) {
            e.writeU32Le(pgNumTarget).writeU32Le(pgpNumTarget).writeU32Le(pgNumPending);
            e.writeU32Le(oldMergeLastEpochStarted).writeU32Le(oldMergeLastEpochClean);
            e.writeU32Le(lastForceOpResend).writeU8(pgAutoscaleMode);
        }
        if (v >= 29) {
            if (lastPgMergeMeta == null) {
                throw new IllegalStateException("pg_pool_t v" + v + " needs last_pg_merge_meta");
            }
            lastPgMergeMeta.encode(e);
        }
        if (v == 30) {
            e.writeU32Le(peeringCrushBucketCount).writeU32Le(peeringCrushBucketTarget);
            e.writeU32Le(peeringCrushBucketBarrier).writeS32Le(peeringCrushMandatoryMember);
        }
        if (v >= 31) {
            e.writeBool(peeringCrushDataPresent);
            if (peeringCrushDataPresent) {
                e.writeU32Le(peeringCrushBucketCount).writeU32Le(peeringCrushBucketTarget);
                e.writeU32Le(peeringCrushBucketBarrier).writeS32Le(peeringCrushMandatoryMember);
            }
        }
        if (v >= 32) {
            writeVarint(e, nonprimaryShardWords[0]);
            writeVarint(e, nonprimaryShardWords[1]);
        }
        if (v == version) {
            e.writeBytes(unknownTail);
        }
    }

    private void writeSnaps(CephEncoder e) {
        e.writeU32Le(snaps.size());
        for (Map.Entry<Long, PoolSnapInfo> s : snaps.entrySet()) {
            e.writeU64Le(s.getKey());
            s.getValue().encode(e);
        }
    }

    private void writeIntervals(CephEncoder e) {
        e.writeU32Le(removedSnaps.size());
        for (Interval i : removedSnaps) {
            e.writeU64Le(i.start()).writeU64Le(i.length());
        }
    }

    private VersionedBlob hitSetParamsOrNone() {
        return hitSetParams != null ? hitSetParams : new VersionedBlob(1, 1, new byte[] {0});
    }

    // ---- derived values -------------------------------------------------------------------------

    /** Flags as Ceph holds them after decode: pre-v27 encodings get SELFMANAGED or POOL_SNAPS back. */
    public long flags() {
        long f = wireFlags;
        if (snapSeq != 0 && (f & (FLAG_SELFMANAGED_SNAPS | FLAG_POOL_SNAPS)) == 0) {
            f |= removedSnaps.isEmpty() ? FLAG_POOL_SNAPS : FLAG_SELFMANAGED_SNAPS;
        }
        return f;
    }

    public boolean hasFlag(long flag) {
        return (flags() & flag) != 0;
    }

    /** Replicated pools drop missing OSDs from a set; erasure pools keep positions (NONE). */
    public boolean canShiftOsds() {
        return type == TYPE_REPLICATED;
    }

    public boolean isErasure() {
        return type == TYPE_ERASURE;
    }

    /** {@code pg_num_mask}: 2^bits(pg_num - 1) - 1 (pg_pool_t::calc_pg_masks). */
    public long pgNumMask() {
        return mask(pgNum);
    }

    public long pgpNumMask() {
        return mask(pgpNum);
    }

    static long mask(long n) {
        return n <= 1 ? 0 : (1L << (64 - Long.numberOfLeadingZeros(n - 1))) - 1;
    }

    // ---- accessors ------------------------------------------------------------------------------

    public int version() { return version; }
    public int compat() { return compat; }
    public int type() { return type; }
    public int size() { return size; }
    public int minSize() { return minSize; }
    public int crushRule() { return crushRule; }
    public int objectHash() { return objectHash; }
    public long pgNum() { return pgNum; }
    public long pgpNum() { return pgpNum; }
    public long lastChange() { return lastChange; }
    public long snapSeq() { return snapSeq; }
    public long snapEpoch() { return snapEpoch; }
    public Map<Long, PoolSnapInfo> snaps() { return snaps; }
    public List<Interval> removedSnaps() { return removedSnaps; }
    public long auid() { return auid; }
    /** The flags exactly as encoded. */
    public long wireFlags() { return wireFlags; }
    public long quotaMaxBytes() { return quotaMaxBytes; }
    public long quotaMaxObjects() { return quotaMaxObjects; }
    public Set<Long> tiers() { return tiers; }
    public long tierOf() { return tierOf; }
    public int cacheMode() { return cacheMode; }
    public long readTier() { return readTier; }
    public long writeTier() { return writeTier; }
    public Map<String, String> properties() { return properties; }
    public VersionedBlob hitSetParams() { return hitSetParamsOrNone(); }
    public long hitSetPeriod() { return hitSetPeriod; }
    public long hitSetCount() { return hitSetCount; }
    public long stripeWidth() { return stripeWidth; }
    public long targetMaxBytes() { return targetMaxBytes; }
    public long targetMaxObjects() { return targetMaxObjects; }
    public long cacheTargetDirtyRatioMicro() { return cacheTargetDirtyRatioMicro; }
    public long cacheTargetDirtyHighRatioMicro() { return cacheTargetDirtyHighRatioMicro; }
    public long cacheTargetFullRatioMicro() { return cacheTargetFullRatioMicro; }
    public long cacheMinFlushAge() { return cacheMinFlushAge; }
    public long cacheMinEvictAge() { return cacheMinEvictAge; }
    public String erasureCodeProfile() { return erasureCodeProfile; }
    public long lastForceOpResendPreluminous() { return lastForceOpResendPreluminous; }
    public long lastForceOpResendPrenautilus() { return lastForceOpResendPrenautilus; }
    public long lastForceOpResend() { return lastForceOpResend; }
    public int minReadRecencyForPromote() { return minReadRecencyForPromote; }
    public int minWriteRecencyForPromote() { return minWriteRecencyForPromote; }
    public long expectedNumObjects() { return expectedNumObjects; }
    public boolean useGmtHitset() { return useGmtHitset; }
    public boolean fastRead() { return fastRead; }
    public long hitSetGradeDecayRate() { return hitSetGradeDecayRate; }
    public long hitSetSearchLastN() { return hitSetSearchLastN; }
    public PoolOpts opts() { return opts; }
    public Map<String, Map<String, String>> applicationMetadata() { return applicationMetadata; }
    public UTime createTime() { return createTime; }
    public long pgNumTarget() { return pgNumTarget; }
    public long pgpNumTarget() { return pgpNumTarget; }
    public long pgNumPending() { return pgNumPending; }
    public int pgAutoscaleMode() { return pgAutoscaleMode; }
    public PgMergeMeta lastPgMergeMeta() { return lastPgMergeMeta; }
    public long peeringCrushBucketCount() { return peeringCrushBucketCount; }
    public long peeringCrushBucketTarget() { return peeringCrushBucketTarget; }
    public long peeringCrushBucketBarrier() { return peeringCrushBucketBarrier; }
    public int peeringCrushMandatoryMember() { return peeringCrushMandatoryMember; }
    /** Bytes of fields newer than {@link #MAX_KNOWN_VERSION}, kept for re-encoding. */
    public byte[] unknownTail() { return unknownTail.clone(); }
    /** v32: the EC shards that never become primary (empty for older encodings). */
    public List<Integer> nonprimaryShards() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            if ((nonprimaryShardWords[i / 64] >>> (i % 64) & 1) != 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** denc_varint of a u64: 7 bits per byte, lowest first, high bit set while more follow. */
    static long readVarint(CephDecoder d) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = d.readU8();
            if (shift == 63 && (b & 0x7e) != 0) {
                throw d.error("varint longer than 64 bits");
            }
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            if (shift >= 63) {
                throw d.error("varint longer than 64 bits");
            }
        }
    }

    static void writeVarint(CephEncoder e, long v) {
        while (Long.compareUnsigned(v, 0x80) >= 0) {
            e.writeU8((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        e.writeU8((int) v);
    }
    /** pg_pool_t::is_stretch_pool: peering_crush_bucket_count != 0. */
    public boolean isStretchPool() { return peeringCrushBucketCount != 0; }
}
