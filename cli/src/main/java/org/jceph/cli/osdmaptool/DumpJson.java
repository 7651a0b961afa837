package org.jceph.cli.osdmaptool;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jceph.crush.CrushMap;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.osdmap.OsdInfo;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdXInfo;
import org.jceph.osdmap.PgMergeMeta;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.osdmap.ReadBalance;
import org.jceph.osdmap.PoolOpts;
import org.jceph.osdmap.PoolSnapInfo;

/** OSDMap::dump through a JSONFormatter (Pacific 16.2): what {@code osdmaptool --dump json} prints. */
final class DumpJson {
    private static final String[] OSD_STATES = {"exists", "up", "autoout", "new", "full", "nearfull",
        "backfillfull", "destroyed", "noup", "nodown", "noin", "noout", "stop"};
    private static final String[] CACHE_MODES = {"none", "writeback", "forward", "readonly", "readforward",
        "readproxy", "proxy"};
    private static final String[] OPT_NAMES = {"scrub_min_interval", "scrub_max_interval", "deep_scrub_interval",
        "recovery_priority", "recovery_op_priority", "scrub_priority", "compression_mode", "compression_algorithm",
        "compression_required_ratio", "compression_max_blob_size", "compression_min_blob_size", "csum_type",
        "csum_max_block", "csum_min_block", "fingerprint_algorithm", "pg_num_min", "target_size_bytes",
        "target_size_ratio", "pg_autoscale_bias", "read_lease_interval", "dedup_tier", "dedup_chunk_algorithm",
        "dedup_cdc_chunk_size", "pg_num_max"};

    private DumpJson() {
    }

    static void print(OsdMap m, CrushMap crush, PrintStream out, int release, Placement placement) {
        JsonOut j = new JsonOut();
        j.openObject("osdmap");
        j.number("epoch", m.epoch());
        j.string("fsid", m.fsid().toString());
        j.string("created", CFormat.utime(m.created()));
        j.string("modified", CFormat.utime(m.modified()));
        j.string("last_up_change", CFormat.utime(m.lastUpChange()));
        j.string("last_in_change", CFormat.utime(m.lastInChange()));
        j.string("flags", MapPrinter.mapFlags(m.flags()));
        j.number("flags_num", m.flags());
        j.openArray("flags_set");
        TreeSet<String> flags = new TreeSet<>(List.of(MapPrinter.mapFlags(m.flags()).split(",")));
        flags.remove("");
        flags.forEach(f -> j.string("flag", f));
        j.close();
        j.number("crush_version", m.crushVersion());
        j.floating("full_ratio", m.fullRatio());
        j.floating("backfillfull_ratio", m.backfillfullRatio());
        j.floating("nearfull_ratio", m.nearfullRatio());
        j.string("cluster_snapshot", m.clusterSnapshot());
        j.number("pool_max", m.poolMax());
        j.number("max_osd", m.maxOsd());
        j.string("require_min_compat_client", MapPrinter.release(m.requireMinCompatClient()));
        j.string("min_compat_client", MapPrinter.release(MapPrinter.minCompatClient(m, crush)));
        j.string("require_osd_release", MapPrinter.release(m.requireOsdRelease()));
        if (release >= MapPrinter.REEF) {
            j.bool("allow_crimson", m.allowCrimson());
        }

        j.openArray("pools");
        for (Map.Entry<Long, PgPool> e : m.pools().entrySet()) {
            j.openObject("pool");
            j.number("pool", e.getKey());
            j.string("pool_name", m.poolNames().getOrDefault(e.getKey(), ""));
            pool(j, e.getValue(), release);
            if (release >= MapPrinter.REEF && e.getValue().type() == PgPool.TYPE_REPLICATED) {
                readBalance(j, ReadBalance.compute(placement, e.getKey()), release);
            }
            j.close();
        }
        j.close();

        j.openArray("osds");
        for (int i = 0; i < m.maxOsd(); i++) {
            if (!m.exists(i)) {
                continue;
            }
            OsdInfo info = m.osdInfo().get(i);
            j.openObject("osd_info");
            j.number("osd", i);
            j.string("uuid", m.osdUuid().get(i).toString());
            j.number("up", m.isUp(i) ? 1 : 0);
            j.number("in", m.isOut(i) ? 0 : 1);
            j.floating("weight", m.osdWeight().get(i) / 65536.0f);
            j.floating("primary_affinity", m.primaryAffinity(i) / 65536.0f);
            j.number("last_clean_begin", info.lastCleanBegin());
            j.number("last_clean_end", info.lastCleanEnd());
            j.number("up_from", info.upFrom());
            j.number("up_thru", info.upThru());
            j.number("down_at", info.downAt());
            j.number("lost_at", info.lostAt());
            addrvec(j, "public_addrs", m.clientAddrs().get(i));
            addrvec(j, "cluster_addrs", m.clusterAddrs().get(i));
            addrvec(j, "heartbeat_back_addrs", m.hbBackAddrs().get(i));
            addrvec(j, "heartbeat_front_addrs", m.hbFrontAddrs().get(i));
            j.string("public_addr", legacyStr(m.clientAddrs().get(i)));
            j.string("cluster_addr", legacyStr(m.clusterAddrs().get(i)));
            j.string("heartbeat_back_addr", legacyStr(m.hbBackAddrs().get(i)));
            j.string("heartbeat_front_addr", legacyStr(m.hbFrontAddrs().get(i)));
            j.openArray("state");
            stateSet(m.osdState().get(i)).forEach(s -> j.string("state", s));
            j.close();
            j.close();
        }
        j.close();

        j.openArray("osd_xinfo");
        for (int i = 0; i < m.maxOsd(); i++) {
            if (!m.exists(i)) {
                continue;
            }
            OsdXInfo x = m.osdXinfo().get(i);
            j.openObject("xinfo");
            j.number("osd", i);
            j.string("down_stamp", CFormat.utime(x.downStamp()));
            j.floating("laggy_probability", x.laggyProbability());
            j.number("laggy_interval", x.laggyInterval());
            j.number("features", x.features());
            j.number("old_weight", x.oldWeight());
            j.string("last_purged_snaps_scrub", CFormat.utime(x.lastPurgedSnapsScrub()));
            j.number("dead_epoch", x.deadEpoch());
            j.close();
        }
        j.close();

        j.openArray("pg_upmap");
        m.pgUpmap().forEach((pg, osds) -> {
            j.openObject("mapping").string("pgid", pg.toString()).openArray("osds");
            osds.forEach(o -> j.number("osd", o));
            j.close().close();
        });
        j.close();
        j.openArray("pg_upmap_items");
        m.pgUpmapItems().forEach((pg, items) -> {
            j.openObject("mapping").string("pgid", pg.toString()).openArray("mappings");
            items.forEach(x -> j.openObject("mapping").number("from", x[0]).number("to", x[1]).close());
            j.close().close();
        });
        j.close();
        if (release >= MapPrinter.REEF) {
            j.openArray("pg_upmap_primaries");
            m.pgUpmapPrimaries().forEach((pg, osd) -> j.openObject("primary_mapping").string("pgid", pg.toString())
                    .number("primary_osd", osd).close());
            j.close();
        }
        j.openArray("pg_temp");
        m.pgTemp().forEach((pg, osds) -> {
            j.openObject("osds").string("pgid", pg.toString()).openArray("osds");
            osds.forEach(o -> j.number("osd", o));
            j.close().close();
        });
        j.close();
        j.openArray("primary_temp");
        m.primaryTemp().forEach((pg, osd) -> j.string("pgid", pg.toString()).number("osd", osd));
        j.close();
        j.openObject("blocklist");
        m.blocklist().forEach((a, t) -> j.string(CFormat.addr(a), CFormat.utime(t)));
        j.close();
        j.openObject("range_blocklist");
        m.rangeBlocklist().forEach((a, t) -> j.string(CFormat.addr(a), CFormat.utime(t)));
        j.close();
        j.openObject("erasure_code_profiles");
        m.erasureCodeProfiles().forEach((name, profile) -> {
            j.openObject(name);
            profile.forEach(j::string);
            j.close();
        });
        j.close();
        snapSets(j, "removed_snaps_queue", m.removedSnapsQueue());
        snapSets(j, "new_removed_snaps", m.newRemovedSnaps());
        snapSets(j, "new_purged_snaps", m.newPurgedSnaps());
        j.openObject("crush_node_flags");
        m.crushNodeFlags().forEach((id, f) -> {
            j.openArray(crush.itemNames().getOrDefault(id, ""));
            stateSet(f).forEach(s -> j.string("flag", s));
            j.close();
        });
        j.close();
        j.openObject("device_class_flags");
        m.deviceClassFlags().forEach((id, f) -> {
            j.openArray(crush.classNames().getOrDefault(id, ""));
            stateSet(f).forEach(s -> j.string("flag", s));
            j.close();
        });
        j.close();
        j.openObject("stretch_mode");
        j.bool("stretch_mode_enabled", m.stretchModeEnabled());
        j.number("stretch_bucket_count", m.stretchBucketCount());
        j.number("degraded_stretch_mode", m.degradedStretchMode());
        j.number("recovering_stretch_mode", m.recoveringStretchMode());
        j.number("stretch_mode_bucket", m.stretchModeBucket());
        j.close();
        j.close();
        out.print(j);
    }

    /** pg_pool_t::dump. */
    /** OSDMap::dump_read_balance_score. */
    private static void readBalance(JsonOut j, ReadBalance.Info rb, int release) {
        if (rb.rc() >= 0) {
            j.openObject("read_balance");
            if (release >= MapPrinter.TENTACLE) {
                // 20.2.4 names the distribution the score measures against; only the default
                // policy ("Fair distribution") has been compared with a live cluster's output.
                j.string("score_type", "Fair distribution");
            }
            j.floating("score_acting", rb.actingAdjScore());
            j.floating("score_stable", rb.adjustedScore());
            j.floating("optimal_score", rb.optimalScore());
            j.floating("raw_score_acting", rb.actingRawScore());
            j.floating("raw_score_stable", rb.rawScore());
            j.floating("primary_affinity_weighted", rb.paWeighted());
            j.floating("average_primary_affinity", rb.paAvg());
            j.floating("average_primary_affinity_weighted", rb.paWeightedAvg());
            if (!rb.errMsg().isEmpty()) {
                j.string("error_message", rb.errMsg());
            }
            j.close();
        } else if (!rb.errMsg().isEmpty()) {
            j.openObject("read_balance");
            j.string("error_message", rb.errMsg());
            j.floating("score_acting", rb.actingAdjScore());
            j.floating("score_stable", rb.adjustedScore());
            j.close();
        }
    }

    /** "{1,2}": operator&lt;&lt; of a std::set. */
    private static String setString(List<Integer> s) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < s.size(); i++) {
            b.append(i > 0 ? "," : "").append(s.get(i));
        }
        return b.append('}').toString();
    }

    private static void pool(JsonOut j, PgPool p, int release) {
        j.string("create_time", CFormat.utime(p.createTime()));
        j.unsigned("flags", p.flags());
        j.string("flags_names", MapPrinter.poolFlags(p.flags()));
        j.number("type", p.type());
        j.number("size", p.size());
        j.number("min_size", p.minSize());
        j.number("crush_rule", p.crushRule());
        j.number("peering_crush_bucket_count", p.peeringCrushBucketCount());
        j.number("peering_crush_bucket_target", p.peeringCrushBucketTarget());
        j.number("peering_crush_bucket_barrier", p.peeringCrushBucketBarrier());
        j.number("peering_crush_bucket_mandatory_member", p.peeringCrushMandatoryMember());
        if (release >= MapPrinter.TENTACLE) {
            j.bool("is_stretch_pool", p.isStretchPool());
        }
        j.number("object_hash", p.objectHash());
        String[] modes = {"off", "warn", "on"};
        j.string("pg_autoscale_mode", p.pgAutoscaleMode() < 3 ? modes[p.pgAutoscaleMode()] : "unknown");
        j.number("pg_num", p.pgNum());
        j.number("pg_placement_num", p.pgpNum());
        j.number("pg_placement_num_target", p.pgpNumTarget());
        j.number("pg_num_target", p.pgNumTarget());
        j.number("pg_num_pending", p.pgNumPending());
        PgMergeMeta mm = p.lastPgMergeMeta();
        j.openObject("last_pg_merge_meta");
        j.string("source_pgid", mm == null ? "0.0" : mm.sourcePgId().toString());
        j.number("ready_epoch", mm == null ? 0 : mm.readyEpoch());
        j.number("last_epoch_started", mm == null ? 0 : mm.lastEpochStarted());
        j.number("last_epoch_clean", mm == null ? 0 : mm.lastEpochClean());
        j.string("source_version", mm == null ? "0'0" : mm.sourceVersion().epoch() + "'" + mm.sourceVersion().version());
        j.string("target_version", mm == null ? "0'0" : mm.targetVersion().epoch() + "'" + mm.targetVersion().version());
        j.close();
        j.string("last_change", String.valueOf(p.lastChange()));
        j.string("last_force_op_resend", String.valueOf(p.lastForceOpResend()));
        j.string("last_force_op_resend_prenautilus", String.valueOf(p.lastForceOpResendPrenautilus()));
        j.string("last_force_op_resend_preluminous", String.valueOf(p.lastForceOpResendPreluminous()));
        j.unsigned("auid", p.auid());
        j.string("snap_mode", p.hasFlag(PgPool.FLAG_POOL_SNAPS) ? "pool" : "selfmanaged");
        j.unsigned("snap_seq", p.snapSeq());
        j.number("snap_epoch", p.snapEpoch());
        j.openArray("pool_snaps");
        for (PoolSnapInfo s : p.snaps().values()) {
            j.openObject("pool_snap_info").unsigned("snapid", s.snapId()).string("stamp", CFormat.utime(s.stamp()))
                    .string("name", s.name()).close();
        }
        j.close();
        j.string("removed_snaps", MapPrinter.intervals(p.removedSnaps()));
        j.unsigned("quota_max_bytes", p.quotaMaxBytes());
        j.unsigned("quota_max_objects", p.quotaMaxObjects());
        j.openArray("tiers");
        p.tiers().forEach(t -> j.unsigned("pool_id", t));
        j.close();
        j.number("tier_of", p.tierOf());
        j.number("read_tier", p.readTier());
        j.number("write_tier", p.writeTier());
        j.string("cache_mode", p.cacheMode() < CACHE_MODES.length ? CACHE_MODES[p.cacheMode()] : "unknown");
        j.unsigned("target_max_bytes", p.targetMaxBytes());
        j.unsigned("target_max_objects", p.targetMaxObjects());
        j.number("cache_target_dirty_ratio_micro", p.cacheTargetDirtyRatioMicro());
        j.number("cache_target_dirty_high_ratio_micro", p.cacheTargetDirtyHighRatioMicro());
        j.number("cache_target_full_ratio_micro", p.cacheTargetFullRatioMicro());
        j.number("cache_min_flush_age", p.cacheMinFlushAge());
        j.number("cache_min_evict_age", p.cacheMinEvictAge());
        j.string("erasure_code_profile", p.erasureCodeProfile());
        byte[] hitSet = p.hitSetParams().body();
        if (hitSet.length > 0 && hitSet[0] != 0) {
            throw new UnsupportedOperationException("dumping a pool with a hit set (cache tiering) is not supported");
        }
        j.openObject("hit_set_params").string("type", "none").close();
        j.number("hit_set_period", p.hitSetPeriod());
        j.number("hit_set_count", p.hitSetCount());
        j.bool("use_gmt_hitset", p.useGmtHitset());
        j.number("min_read_recency_for_promote", p.minReadRecencyForPromote());
        j.number("min_write_recency_for_promote", p.minWriteRecencyForPromote());
        j.number("hit_set_grade_decay_rate", p.hitSetGradeDecayRate());
        j.number("hit_set_search_last_n", p.hitSetSearchLastN());
        j.openArray("grade_table");
        // pg_pool_t::calc_grade_table: each grade is the previous one times (1 - decay_rate/100)
        long v = 1000000;
        for (long i = 0; i < p.hitSetCount(); i++) {
            v = (long) (v * (1 - p.hitSetGradeDecayRate() / 100.0));
            j.number("value", v);
        }
        j.close();
        j.number("stripe_width", p.stripeWidth());
        j.unsigned("expected_num_objects", p.expectedNumObjects());
        j.bool("fast_read", p.fastRead());
        if (release >= MapPrinter.TENTACLE) {
            j.string("nonprimary_shards", setString(p.nonprimaryShards()));
        }
        j.openObject("options");
        TreeMap<String, PoolOpts.Option> opts = new TreeMap<>();
        for (PoolOpts.Option o : p.opts().options()) {
            opts.put(o.key() >= 0 && o.key() < OPT_NAMES.length ? OPT_NAMES[o.key()] : "unknown", o);
        }
        opts.forEach((name, o) -> {
            switch (o.type()) {
                case PoolOpts.TYPE_STR -> j.string(name, (String) o.value());
                case PoolOpts.TYPE_INT -> j.number(name, (Long) o.value());
                default -> j.floating(name, (Double) o.value());
            }
        });
        j.close();
        j.openObject("application_metadata");
        p.applicationMetadata().forEach((app, kv) -> {
            j.openObject(app);
            kv.forEach(j::string);
            j.close();
        });
        j.close();
    }

    private static void snapSets(JsonOut j, String name, Map<Long, List<PgPool.Interval>> sets) {
        j.openArray(name);
        sets.forEach((pool, intervals) -> {
            j.openObject("pool").number("pool", pool).openArray("snaps");
            intervals.forEach(i -> j.openObject("interval").unsigned("begin", i.start()).unsigned("length", i.length())
                    .close());
            j.close().close();
        });
        j.close();
    }

    private static TreeSet<String> stateSet(long s) {
        TreeSet<String> st = new TreeSet<>();
        for (int bit = 0; bit < OSD_STATES.length; bit++) {
            if ((s & (1L << bit)) != 0) {
                st.add(OSD_STATES[bit]);
            }
        }
        return st;
    }

    /** entity_addrvec_t::dump: {"addrvec":[{"type":"v2","addr":"ip:port","nonce":N}, ...]}. */
    private static void addrvec(JsonOut j, String name, EntityAddrVec v) {
        j.openObject(name).openArray("addrvec");
        for (EntityAddr a : v.addrs()) {
            String type = switch (a.type()) {
                case EntityAddr.TYPE_NONE -> "none";
                case EntityAddr.TYPE_LEGACY -> "v1";
                case EntityAddr.TYPE_MSGR2 -> "v2";
                case EntityAddr.TYPE_ANY -> "any";
                default -> "cidr";
            };
            String full = CFormat.addr(a);
            String where = full.substring(full.indexOf(':') + 1, full.lastIndexOf('/'));
            if (a.type() == EntityAddr.TYPE_ANY) {
                where = full.substring(0, full.lastIndexOf('/'));
            }
            j.openObject("addr").string("type", type).string("addr", where).number("nonce", a.nonce()).close();
        }
        j.close().close();
    }

    /** get_legacy_str of legacy_or_front_addr: the v1 address (else the first) as ip:port/nonce. */
    private static String legacyStr(EntityAddrVec v) {
        EntityAddr a = v.first(EntityAddr.TYPE_LEGACY);
        if (a == null && !v.addrs().isEmpty()) {
            a = v.addrs().get(0);
        }
        if (a == null || a.type() == EntityAddr.TYPE_NONE) {
            return "-";
        }
        String full = CFormat.addr(a);
        return a.type() == EntityAddr.TYPE_ANY ? full : full.substring(full.indexOf(':') + 1);
    }
}
