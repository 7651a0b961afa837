package org.jceph.cli.osdmaptool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.osdmap.OsdMap;
import org.jceph.crush.CrushRule;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.osdmap.ReadBalance;
import org.jceph.osdmap.PoolOpts;
import org.jceph.osdmap.PoolSnapInfo;

/** OSDMap::print (Pacific 16.2): the text {@code osdmaptool --print} writes. */
final class MapPrinter {
    /** ceph_release_t names, by number. */
    static final String[] RELEASES = {"unknown", "argonaut", "bobtail", "cuttlefish", "dumpling", "emperor",
        "firefly", "giant", "hammer", "infernalis", "jewel", "kraken", "luminous", "mimic", "nautilus", "octopus",
        "pacific", "quincy", "reef", "squid", "tentacle"};

    /** CEPH_OSDMAP_* flag names in get_flag_string order. */
    private static final Object[][] MAP_FLAGS = {
        {1L << 1, "nearfull"}, {1L << 0, "full"}, {1L << 2, "pauserd"}, {1L << 3, "pausewr"}, {1L << 4, "pauserec"},
        {1L << 5, "noup"}, {1L << 6, "nodown"}, {1L << 7, "noout"}, {1L << 8, "noin"}, {1L << 9, "nobackfill"},
        {1L << 10, "norecover"}, {1L << 11, "noscrub"}, {1L << 12, "nodeep-scrub"}, {1L << 13, "notieragent"},
        {1L << 14, "norebalance"}, {1L << 15, "sortbitwise"}, {1L << 16, "require_jewel_osds"},
        {1L << 17, "require_kraken_osds"}, {1L << 18, "require_luminous_osds"}, {1L << 19, "recovery_deletes"},
        {1L << 20, "purged_snapdirs"}, {1L << 21, "nosnaptrim"}, {1L << 22, "pglog_hardlimit"},
    };

    /** pg_pool_t flag names, bit 0 upwards (pg_pool_t::get_flag_name). */
    private static final String[] POOL_FLAGS = {"hashpspool", "full", "ec_overwrites", "incomplete_clones",
        "nodelete", "nopgchange", "nosizechange", "write_fadvise_dontneed", "noscrub", "nodeep-scrub", "full_quota",
        "nearfull", "backfillfull", "selfmanaged_snaps", "pool_snaps", "creating", "eio", "bulk"};

    /** pool_opts_t::key_t names; printed sorted by name (opt_mapping is a std::map). */
    private static final String[] OPT_NAMES = {"scrub_min_interval", "scrub_max_interval", "deep_scrub_interval",
        "recovery_priority", "recovery_op_priority", "scrub_priority", "compression_mode", "compression_algorithm",
        "compression_required_ratio", "compression_max_blob_size", "compression_min_blob_size", "csum_type",
        "csum_max_block", "csum_min_block", "fingerprint_algorithm", "pg_num_min", "target_size_bytes",
        "target_size_ratio", "pg_autoscale_bias", "read_lease_interval", "dedup_tier", "dedup_chunk_algorithm",
        "dedup_cdc_chunk_size", "pg_num_max"};

    private static final String[] CACHE_MODES = {"none", "writeback", "forward", "readonly", "readforward",
        "readproxy", "proxy"};

    private static final String[] OSD_STATES = {"exists", "up", "autoout", "new", "full", "nearfull",
        "backfillfull", "destroyed", "noup", "nodown", "noin", "noout", "stop"};

    private MapPrinter() {
    }

    static String mapFlags(long f) {
        List<String> s = new ArrayList<>();
        for (Object[] e : MAP_FLAGS) {
            if ((f & (Long) e[0]) != 0) {
                s.add((String) e[1]);
            }
        }
        return String.join(",", s);
    }

    static String poolFlags(long f) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < POOL_FLAGS.length; i++) {
            if ((f & (1L << i)) != 0) {
                s.add(POOL_FLAGS[i]);
            }
        }
        return String.join(",", s);
    }

    static final int REEF = 18;
    static final int SQUID = 19;
    static final int TENTACLE = 20;

    /** The ceph_release_t number of a release name (for --release). */
    static int releaseNumber(String name) {
        for (int i = 1; i < RELEASES.length; i++) {
            if (RELEASES[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("--release: unknown release " + name);
    }

    static String release(int r) {
        return r >= 0 && r < RELEASES.length ? RELEASES[r] : "unknown";
    }

    static void print(OsdMap m, CrushMap crush, PrintStream out, int release, Placement placement) {
        StringBuilder b = new StringBuilder();
        b.append("epoch ").append(m.epoch()).append('\n');
        b.append("fsid ").append(m.fsid()).append('\n');
        b.append("created ").append(CFormat.utime(m.created())).append('\n');
        b.append("modified ").append(CFormat.utime(m.modified())).append('\n');
        b.append("flags ").append(mapFlags(m.flags())).append('\n');
        b.append("crush_version ").append(m.crushVersion()).append('\n');
        b.append("full_ratio ").append(CFormat.g(m.fullRatio())).append('\n');
        b.append("backfillfull_ratio ").append(CFormat.g(m.backfillfullRatio())).append('\n');
        b.append("nearfull_ratio ").append(CFormat.g(m.nearfullRatio())).append('\n');
        if (m.requireMinCompatClient() > 0) {
            b.append("require_min_compat_client ").append(release(m.requireMinCompatClient())).append('\n');
        }
        b.append("min_compat_client ").append(release(minCompatClient(m, crush))).append('\n');
        if (m.requireOsdRelease() > 0) {
            b.append("require_osd_release ").append(release(m.requireOsdRelease())).append('\n');
        }
        b.append("stretch_mode_enabled ").append(m.stretchModeEnabled() ? "true" : "false").append('\n');
        if (m.stretchModeEnabled()) {
            b.append("stretch_bucket_count ").append(m.stretchBucketCount()).append('\n');
            b.append("degraded_stretch_mode ").append(m.degradedStretchMode()).append('\n');
            b.append("recovering_stretch_mode ").append(m.recoveringStretchMode()).append('\n');
            b.append("stretch_mode_bucket ").append(m.stretchModeBucket()).append('\n');
        }
        if (!m.clusterSnapshot().isEmpty()) {
            b.append("cluster_snapshot ").append(m.clusterSnapshot()).append('\n');
        }
        if (release >= REEF && m.allowCrimson()) {
            b.append("allow_crimson=true\n");
        }
        b.append('\n');

        for (Map.Entry<Long, PgPool> e : m.pools().entrySet()) {
            long id = e.getKey();
            PgPool p = e.getValue();
            b.append("pool ").append(id).append(" '").append(m.poolNames().getOrDefault(id, "<unknown>")).append("' ")
                    .append(pool(p));
            ReadBalance.Info rb = null;
            if (release >= REEF && p.type() == PgPool.TYPE_REPLICATED) {
                rb = ReadBalance.compute(placement, id);
                if (rb.rc() >= 0) {
                    b.append(" read_balance_score " + org.jceph.cli.CStdio.fixed(rb.actingAdjScore(), 2));
                }
            }
            b.append('\n');
            if (rb != null && !rb.errMsg().isEmpty()) {
                b.append(rb.rc() < 0 ? " ERROR: " : " Warning: ").append(rb.errMsg()).append('\n');
            }
            for (PoolSnapInfo s : p.snaps().values()) {
                b.append("\tsnap ").append(s.snapId()).append(" '").append(s.name()).append("' ")
                        .append(CFormat.utime(s.stamp())).append('\n');
            }
            if (!p.removedSnaps().isEmpty()) {
                b.append("\tremoved_snaps ").append(intervals(p.removedSnaps())).append('\n');
            }
            List<PgPool.Interval> q = m.removedSnapsQueue().get(id);
            if (q != null) {
                b.append("\tremoved_snaps_queue ").append(intervals(q)).append('\n');
            }
        }
        b.append('\n');

        b.append("max_osd ").append(m.maxOsd()).append('\n');
        for (int i = 0; i < m.maxOsd(); i++) {
            if (!m.exists(i)) {
                continue;
            }
            b.append("osd.").append(i);
            b.append(m.isUp(i) ? " up  " : " down");
            b.append(!m.isOut(i) ? " in " : " out");
            b.append(" weight ").append(CFormat.g(m.osdWeight().get(i) / 65536.0f));
            if (m.primaryAffinity(i) != OsdMap.DEFAULT_PRIMARY_AFFINITY) {
                b.append(" primary_affinity ").append(CFormat.g(m.primaryAffinity(i) / 65536.0f));
            }
            var info = m.osdInfo().get(i);
            b.append(" up_from ").append(info.upFrom()).append(" up_thru ").append(info.upThru())
                    .append(" down_at ").append(info.downAt()).append(" last_clean_interval [")
                    .append(info.lastCleanBegin()).append(',').append(info.lastCleanEnd()).append(')');
            if (info.lostAt() != 0) {
                b.append(" lost_at ").append(info.lostAt());
            }
            b.append(' ').append(CFormat.addrs(m.clientAddrs().get(i)));
            b.append(' ').append(CFormat.addrs(m.clusterAddrs().get(i)));
            TreeSet<String> st = new TreeSet<>();
            long s = m.osdState().get(i);
            for (int bit = 0; bit < OSD_STATES.length; bit++) {
                if ((s & (1L << bit)) != 0) {
                    st.add(OSD_STATES[bit]);
                }
            }
            b.append(' ').append(String.join(",", st));
            var uuid = m.osdUuid().get(i);
            if (uuid.getMostSignificantBits() != 0 || uuid.getLeastSignificantBits() != 0) {
                b.append(' ').append(uuid);
            }
            b.append('\n');
        }
        b.append('\n');

        m.pgUpmap().forEach((pg, osds) -> b.append("pg_upmap ").append(pg).append(' ').append(CFormat.vec(osds))
                .append('\n'));
        m.pgUpmapItems().forEach((pg, items) -> {
            List<Integer> flat = new ArrayList<>();
            items.forEach(x -> {
                flat.add(x[0]);
                flat.add(x[1]);
            });
            b.append("pg_upmap_items ").append(pg).append(' ').append(CFormat.vec(flat)).append('\n');
        });
        if (release >= REEF) {
            m.pgUpmapPrimaries().forEach((pg, osd) -> b.append("pg_upmap_primary ").append(pg).append(' ')
                    .append(osd).append('\n'));
        }
        m.pgTemp().forEach((pg, osds) -> b.append("pg_temp ").append(pg).append(' ').append(CFormat.vec(osds))
                .append('\n'));
        m.primaryTemp().forEach((pg, osd) -> b.append("primary_temp ").append(pg).append(' ').append(osd)
                .append('\n'));
        m.blocklist().forEach((a, t) -> b.append("blocklist ").append(CFormat.addr(a)).append(" expires ")
                .append(CFormat.utime(t)).append('\n'));
        {
            m.rangeBlocklist().forEach((a, t) -> b.append("range blocklist ").append(CFormat.addr(a))
                    .append(" expires ").append(CFormat.utime(t)).append('\n'));
        }
        out.print(b);
    }

    /** operator&lt;&lt;(ostream&amp;, const pg_pool_t&amp;). */
    static String pool(PgPool p) {
        StringBuilder b = new StringBuilder();
        String type = switch (p.type()) {
            case PgPool.TYPE_REPLICATED -> "replicated";
            case PgPool.TYPE_ERASURE -> "erasure";
            default -> "???";
        };
        b.append(type);
        if (p.isErasure()) {
            b.append(" profile ").append(p.erasureCodeProfile());
        }
        b.append(" size ").append(p.size()).append(" min_size ").append(p.minSize());
        b.append(" crush_rule ").append(p.crushRule());
        b.append(" object_hash ").append(switch (p.objectHash()) {
            case PgPool.HASH_LINUX -> "linux";
            case PgPool.HASH_RJENKINS -> "rjenkins";
            default -> "unknown";
        });
        b.append(" pg_num ").append(p.pgNum()).append(" pgp_num ").append(p.pgpNum());
        if (p.pgNumTarget() != p.pgNum()) {
            b.append(" pg_num_target ").append(p.pgNumTarget());
        }
        if (p.pgpNumTarget() != p.pgpNum()) {
            b.append(" pgp_num_target ").append(p.pgpNumTarget());
        }
        if (p.pgNumPending() != p.pgNum()) {
            b.append(" pg_num_pending ").append(p.pgNumPending());
        }
        if (p.pgAutoscaleMode() != 255) {
            String[] modes = {"off", "warn", "on"};
            b.append(" autoscale_mode ").append(p.pgAutoscaleMode() < 3 ? modes[p.pgAutoscaleMode()] : "unknown");
        }
        b.append(" last_change ").append(p.lastChange());
        if (p.lastForceOpResend() != 0 || p.lastForceOpResendPrenautilus() != 0
                || p.lastForceOpResendPreluminous() != 0) {
            b.append(" lfor ").append(p.lastForceOpResend()).append('/').append(p.lastForceOpResendPrenautilus())
                    .append('/').append(p.lastForceOpResendPreluminous());
        }
        if (p.auid() != 0) {
            b.append(" owner ").append(p.auid());
        }
        if (p.flags() != 0) {
            b.append(" flags ").append(poolFlags(p.flags()));
        }
        if (p.quotaMaxBytes() != 0) {
            b.append(" max_bytes ").append(p.quotaMaxBytes());
        }
        if (p.quotaMaxObjects() != 0) {
            b.append(" max_objects ").append(p.quotaMaxObjects());
        }
        if (!p.tiers().isEmpty()) {
            b.append(" tiers ").append(p.tiers().stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",", "[", "]")));
        }
        if (p.tierOf() >= 0) {
            b.append(" tier_of ").append(p.tierOf());
        }
        if (p.readTier() >= 0) {
            b.append(" read_tier ").append(p.readTier());
        }
        if (p.writeTier() >= 0) {
            b.append(" write_tier ").append(p.writeTier());
        }
        if (p.cacheMode() != 0) {
            b.append(" cache_mode ").append(p.cacheMode() < CACHE_MODES.length ? CACHE_MODES[p.cacheMode()] : "unknown");
        }
        if (p.targetMaxBytes() != 0) {
            b.append(" target_bytes ").append(p.targetMaxBytes());
        }
        if (p.targetMaxObjects() != 0) {
            b.append(" target_objects ").append(p.targetMaxObjects());
        }
        if (p.hitSetParams().body().length > 0 && p.hitSetParams().body()[0] != 0) {
            throw new UnsupportedOperationException("printing a pool with a hit set (cache tiering) is not supported");
        }
        if (p.minReadRecencyForPromote() != 0) {
            b.append(" min_read_recency_for_promote ").append(p.minReadRecencyForPromote());
        }
        if (p.minWriteRecencyForPromote() != 0) {
            b.append(" min_write_recency_for_promote ").append(p.minWriteRecencyForPromote());
        }
        b.append(" stripe_width ").append(p.stripeWidth());
        if (p.expectedNumObjects() != 0) {
            b.append(" expected_num_objects ").append(p.expectedNumObjects());
        }
        if (p.fastRead()) {
            b.append(" fast_read 1");
        }
        TreeMap<String, String> opts = new TreeMap<>();
        for (PoolOpts.Option o : p.opts().options()) {
            String name = o.key() >= 0 && o.key() < OPT_NAMES.length ? OPT_NAMES[o.key()] : "unknown";
            String value = o.value() instanceof Double d ? CFormat.g(d) : String.valueOf(o.value());
            opts.put(name, value);
        }
        opts.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v));
        if (!p.applicationMetadata().isEmpty()) {
            b.append(" application ").append(String.join(",", p.applicationMetadata().keySet()));
        }
        return b.toString();
    }

    static String intervals(List<PgPool.Interval> l) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(Long.toUnsignedString(l.get(i).start(), 16)).append('~')
                    .append(Long.toUnsignedString(l.get(i).length(), 16));
        }
        return b.append(']').toString();
    }

    /**
     * OSDMap::get_min_compat_client, from the client features the map needs: MSR rules need squid,
     * pg_upmap_primary reef (as 18.2.7 and 20.2.4 print it), upmaps or
     * choose_args other than one compat weight set need luminous, chooseleaf_stable jewel, straw2 hammer, and firefly for primary
     * affinity, chooseleaf_vary_r or cache pools (not erasure pools: that feature is not a client's).
     */
    /**
     * CrushWrapper::has_incompat_choose_args: choose_args need CRUSH_CHOOSE_ARGS (luminous) unless
     * they are one compat weight set: the default key only, one position, no id overrides (older
     * clients get those weights in place of the bucket's own).
     */
    static boolean hasIncompatChooseArgs(CrushMap crush) {
        var all = crush.chooseArgs();
        if (all.isEmpty()) {
            return false;
        }
        if (all.size() > 1 || all.firstKey() != CrushMap.DEFAULT_CHOOSE_ARGS) {
            return true;
        }
        for (var a : all.get(all.firstKey()).values()) {
            if (a.positions() == 0 && a.ids().length == 0) {
                continue;
            }
            if (a.positions() != 1 || a.ids().length != 0) {
                return true;
            }
        }
        return false;
    }

    static int minCompatClient(OsdMap m, CrushMap crush) {
        for (CrushRule r : crush.ruleSlots()) {
            if (r != null && (r.type() == CrushRule.TYPE_MSR_FIRSTN || r.type() == CrushRule.TYPE_MSR_INDEP)) {
                return SQUID; // CRUSH_MSR
            }
        }
        if (!m.pgUpmapPrimaries().isEmpty()) {
            return REEF;
        }
        if (!m.pgUpmap().isEmpty() || !m.pgUpmapItems().isEmpty() || hasIncompatChooseArgs(crush)) {
            return 12;
        }
        if (crush.tunables().chooseleafStable() != 0) {
            return 10;
        }
        for (CrushBucket bucket : crush.bucketSlots()) {
            if (bucket != null && bucket.algorithm() == CrushBucket.ALG_STRAW2) {
                return 8;
            }
        }
        boolean affinity = false;
        for (int i = 0; i < m.maxOsd(); i++) {
            affinity |= m.exists(i) && m.primaryAffinity(i) != OsdMap.DEFAULT_PRIMARY_AFFINITY;
        }
        // OSD_CACHEPOOL counts; OSD_ERASURE_CODES does not: OSDMap::get_features adds it for every
        // entity but clients, and the min compat client is computed from a client's features
        // (an erasure pool on legacy tunables stays "dumpling"; found by the generated states)
        boolean cache = m.pools().values().stream().anyMatch(p -> p.tierOf() >= 0 || !p.tiers().isEmpty());
        if (affinity || crush.tunables().chooseleafVaryR() != 0 || cache) {
            return 6;
        }
        boolean hashpspool = m.pools().values().stream().anyMatch(p -> p.hasFlag(PgPool.FLAG_HASHPSPOOL));
        if (crush.tunables().chooseleafDescendOnce() != 0 || hashpspool) {
            return 4;
        }
        return 1;
    }
}
