package org.jceph.rados.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.rados.ClusterStat;
import org.jceph.rados.PoolStat;

/**
 * Monitor requests of the MonClient that are not commands (src/messages/):
 * <pre>
 * MMonGetVersion (19, v1):       u64 handle | string what ("osdmap")
 * MMonGetVersionReply (20, v1):  u64 handle | u64 version | u64 oldest_version
 * MStatfs (13, v2 compat 1):     PaxosServiceMessage header | uuid fsid | optional&lt;s64&gt; data_pool
 * MStatfsReply (14):             ceph_mon_statfs_reply: uuid fsid | u64 version | u64 kb | u64 kb_used
 *                                | u64 kb_avail | u64 num_objects (no padding)
 * MGetPoolStats (58, v1):        PaxosServiceMessage header | uuid fsid | vector&lt;string&gt; pools
 * MGetPoolStatsReply (59, v2):   header | uuid fsid | map&lt;string, pool_stat_t&gt; | v2: bool per_pool
 * MConfig (62, v1):              map&lt;string, string&gt; config
 * PaxosServiceMessage header:    u64 version | s16 deprecated_session_mon (-1) | u64 deprecated tid (0)
 * pool_stat_t ENC(7,5):          object_stat_collection_t ENC(2,2){ object_stat_sum_t ENC(20,14){ s64 bytes,
 *                                objects, clones, copies, missing_on_primary, degraded, unfound, rd, rd_kb,
 *                                wr, wr_kb, ... } | u32 0 } | s64 log_size | s64 ondisk_log_size | s32 up
 *                                | s32 acting | store_statfs_t ENC(1,1){ s64 total, available, reserved,
 *                                allocated, data_stored, data_compressed, compressed_allocated,
 *                                compressed_original, ... } | s32 num_store_stats
 * </pre>
 * The statfs and pool-stats replies carry the request's tid in the message header; the version
 * reply carries the request's handle in its body.
 */
public final class MonStatMessages {
    /**
     * MMonGetVersion header versions. Ceph's class keeps Message's defaults (version 1, compat 0);
     * jceph sends compat 1, as it always has.
     */
    public static final int GET_VERSION_HEAD_VERSION = 1;
    public static final int GET_VERSION_COMPAT_VERSION = 1;
    /** MStatfs HEAD_VERSION / COMPAT_VERSION (src/messages/MStatfs.h; v2 added the optional data pool). */
    public static final int STATFS_HEAD_VERSION = 2;
    public static final int STATFS_COMPAT_VERSION = 1;
    /** MGetPoolStats header versions: version 1, compat 1, as librados sends them (StatMessagesGoldenBytesTest). */
    public static final int POOL_STATS_HEAD_VERSION = 1;
    public static final int POOL_STATS_COMPAT_VERSION = 1;

    private MonStatMessages() {
    }

    public static Message getVersion(long handle, String what) {
        return Message.of(MessageType.MON_GET_VERSION.number(), GET_VERSION_HEAD_VERSION, GET_VERSION_COMPAT_VERSION,
                CephEncoder.toBytes(e -> e.writeU64Le(handle).writeString(what)));
    }

    public record Version(long handle, long newest, long oldest) {
    }

    public static Version decodeVersion(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MMonGetVersionReply");
        return new Version(d.readU64Le(), d.readU64Le(), d.readU64Le());
    }

    /** PaxosServiceMessage's fields: the version the sender has seen, two deprecated session fields. */
    static void paxosHeader(CephEncoder e, long seenVersion) {
        e.writeU64Le(seenVersion).writeU16Le(0xFFFF).writeU64Le(0);
    }

    /** Reads past a PaxosServiceMessage's fields ({@link #paxosHeader}). */
    static void skipPaxosHeader(CephDecoder d) {
        d.readU64Le();
        d.readS16Le();
        d.readU64Le();
    }

    public static Message statfs(UUID fsid) {
        return statfs(fsid, 0);
    }

    /**
     * MStatfs naming {@code seenVersion} in its PaxosServiceMessage header: the newest version a
     * stats reply (MStatfsReply or MGetPoolStatsReply, both from the monitors' mgrstat service)
     * named, which librados' Objecter sends as {@code last_seen_pgmap_version} so that a monitor
     * behind that version waits until it has caught up rather than answer from older stats. Not
     * the OSDMap epoch: the monitor waits for {@code seenVersion} of the mgrstat service, whose
     * versions count apart from the OSDMap's epochs. 0 before any reply.
     */
    public static Message statfs(UUID fsid, long seenVersion) {
        byte[] front = CephEncoder.toBytes(e -> {
            paxosHeader(e, seenVersion);
            e.writeUuid(fsid);
            e.writeU8(0); // no data pool: the whole cluster
        });
        return new Message(MessageType.STATFS.number(), STATFS_HEAD_VERSION, STATFS_COMPAT_VERSION, Message.PRIO_DEFAULT,
                0, 0, front, new byte[0], new byte[0]);
    }

    public static ClusterStat decodeStatfs(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MStatfsReply");
        d.readUuid();
        d.readU64Le(); // version
        return new ClusterStat(d.readU64Le(), d.readU64Le(), d.readU64Le(), d.readU64Le());
    }

    /**
     * The stats version a reply names (MStatfsReply after its fsid, MGetPoolStatsReply in its
     * PaxosServiceMessage header), which librados sends back in its next request.
     */
    public static long statsVersionOf(int type, byte[] front) {
        CephDecoder d = CephDecoder.of(front, "stats reply");
        if (type == MessageType.STATFS_REPLY.number()) {
            d.readUuid();
        }
        return d.readU64Le();
    }

    public static Message poolStats(UUID fsid, List<String> pools) {
        return poolStats(fsid, pools, 0);
    }

    /** MGetPoolStats naming {@code seenVersion} (see {@link #statfs(UUID, long)}). */
    public static Message poolStats(UUID fsid, List<String> pools, long seenVersion) {
        byte[] front = CephEncoder.toBytes(e -> {
            paxosHeader(e, seenVersion);
            e.writeUuid(fsid);
            e.writeU32Le(pools.size());
            pools.forEach(e::writeString);
        });
        return new Message(MessageType.GETPOOLSTATS.number(), POOL_STATS_HEAD_VERSION, POOL_STATS_COMPAT_VERSION,
                Message.PRIO_DEFAULT, 0, 0, front, new byte[0], new byte[0]);
    }

    public static Map<String, PoolStat> decodePoolStats(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MGetPoolStatsReply");
        skipPaxosHeader(d);
        d.readUuid();
        int n = d.readCountLe("pools", 4);
        Map<String, PoolStat> raw = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = d.readString();
            raw.put(name, decodePoolStat(d));
        }
        // v2: per_pool says whether the OSDs report per-pool store stats (BlueStore does, memstore
        // does not); without them librados reports the logical bytes as the space used
        boolean perPool = m.version() >= 2 && d.readBool();
        if (perPool) {
            return raw;
        }
        Map<String, PoolStat> out = new LinkedHashMap<>();
        raw.forEach((name, p) -> out.put(name, new PoolStat(p.storedBytes(), p.objects(), p.clones(), p.copies(),
                p.missingOnPrimary(), p.degraded(), p.unfound(), p.readOps(), p.readKb(), p.writeOps(), p.writeKb(),
                p.storedBytes(), p.compressedAllocated(), p.compressedOriginal())));
        return out;
    }

    private static PoolStat decodePoolStat(CephDecoder d) {
        CephDecoder.Envelope stat = d.beginStruct("pool_stat_t", 7);
        CephDecoder.Envelope coll = d.beginStruct("object_stat_collection_t", 2);
        CephDecoder.Envelope sum = d.beginStruct("object_stat_sum_t", 20);
        long[] f = new long[11];
        for (int i = 0; i < f.length; i++) {
            f[i] = d.readS64Le();
        }
        d.endStruct(sum);
        d.endStruct(coll);
        d.readS64Le(); // log_size
        d.readS64Le(); // ondisk_log_size
        d.readS32Le(); // up
        d.readS32Le(); // acting
        long allocated = 0;
        long compressedAllocated = 0;
        long compressedOriginal = 0;
        if (stat.version() >= 7) {
            CephDecoder.Envelope store = d.beginStruct("store_statfs_t", 1);
            d.readS64Le(); // total
            d.readS64Le(); // available
            d.readS64Le(); // internally_reserved
            allocated = d.readS64Le();
            d.readS64Le(); // data_stored
            d.readS64Le(); // data_compressed
            compressedAllocated = d.readS64Le();
            compressedOriginal = d.readS64Le();
            allocated += d.readS64Le(); // omap_allocated: rados df counts data and omap
            d.endStruct(store);
        }
        d.endStruct(stat);
        return new PoolStat(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], allocated,
                compressedAllocated, compressedOriginal);
    }

    public static Map<String, String> decodeConfig(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MConfig");
        return d.readMap(8, CephDecoder::readString, CephDecoder::readString);
    }
}
