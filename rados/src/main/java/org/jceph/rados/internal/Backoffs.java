package org.jceph.rados.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.HObject;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;

/**
 * MOSDBackoff (type 61, header v1; src/messages/MOSDBackoff.h) and the per-session table of
 * ranges an OSD asked us to stop sending to.
 *
 * <pre>
 * front: spg_t pgid | u32 map_epoch | u8 op | u64 id | hobject_t begin | hobject_t end
 * op: 1 BLOCK (OSD to client), 2 ACK_BLOCK (client to OSD), 3 UNBLOCK (OSD to client)
 * </pre>
 *
 * An OSD that cannot serve a placement group (down, incomplete, peered below min_size, or peering
 * with {@code osd_backoff_on_peering}) answers a client with the RADOS_BACKOFF feature by blocking
 * the pg's whole hobject range, [begin, end), or one object when begin == end, and drops the op.
 * The client acks the block, holds every op that falls in the range (they are neither sent nor
 * failed), and sends them again, in tid order, when the OSD unblocks that id. Blocks belong to the
 * session: a new connection starts with none, on both sides.
 */
public final class Backoffs {
    /** MOSDBackoff HEAD_VERSION / COMPAT_VERSION (src/messages/MOSDBackoff.h). */
    public static final int HEAD_VERSION = 1;
    public static final int COMPAT_VERSION = 1;
    public static final int OP_BLOCK = 1;
    public static final int OP_ACK_BLOCK = 2;
    public static final int OP_UNBLOCK = 3;
    /** osd_client_op_priority: the ack travels with the client's ops. */
    public static final int ACK_PRIORITY = 63;

    private Backoffs() {
    }

    /** One MOSDBackoff. */
    public record Backoff(SPgId pgid, long epoch, int op, long id, HObject begin, HObject end) {
        /** True when {@code h} is in [begin, end), or is the object itself for a single-object block. */
        public boolean covers(HObject h) {
            int c = compare(h, begin);
            return c == 0 || (c > 0 && compare(h, end) < 0);
        }

        @Override
        public String toString() {
            String name = switch (op) {
                case OP_BLOCK -> "block";
                case OP_ACK_BLOCK -> "ack-block";
                case OP_UNBLOCK -> "unblock";
                default -> "op" + op;
            };
            return "osd_backoff(" + pgid + " " + name + " id " + id + " e" + epoch + ")";
        }
    }

    public static Backoff decode(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MOSDBackoff");
        SPgId pg = SPgId.decode(d);
        long epoch = d.readU32Le();
        int op = d.readU8();
        long id = d.readU64Le();
        HObject begin = HObject.decode(d);
        HObject end = HObject.decode(d);
        return new Backoff(pg, epoch, op, id, begin, end);
    }

    public static Message encode(Backoff b) {
        ByteBuf f = Unpooled.buffer(128);
        CephEncoder e = new CephEncoder(f);
        b.pgid().encode(e);
        e.writeU32Le(b.epoch()).writeU8(b.op()).writeU64Le(b.id());
        b.begin().encode(e);
        b.end().encode(e);
        byte[] front = new byte[f.readableBytes()];
        f.readBytes(front);
        return new Message(MessageType.OSD_BACKOFF.number(), HEAD_VERSION, COMPAT_VERSION, ACK_PRIORITY, 0, 0, front,
                new byte[0], new byte[0]);
    }

    /** Our answer to a BLOCK: the same pg, epoch, id and range (the epoch lets the OSD drop it after a split). */
    public static Message ackFor(Backoff block) {
        return encode(new Backoff(block.pgid(), block.epoch(), OP_ACK_BLOCK, block.id(), block.begin(), block.end()));
    }

    /** The hobject an op addresses, as the OSD sorts it: the head of the object, with its full 32-bit hash. */
    public static HObject target(long pool, String namespace, String key, String oid, long hash) {
        return new HObject(key, oid, HObject.NOSNAP, hash & 0xFFFF_FFFFL, false, namespace, pool, HObject.VERSION);
    }

    /**
     * The OSD's hobject order (src/common/hobject.cc cmp): the max sentinel last, then pool, the
     * bit-reversed hash, namespace, the effective key (when either has a locator key), name and
     * snap. Strings compare as unsigned bytes, as std::string does.
     */
    public static int compare(HObject l, HObject r) {
        int c = Boolean.compare(l.max(), r.max());
        if (c != 0) {
            return c;
        }
        c = Long.compare(l.pool(), r.pool());
        if (c != 0) {
            return c;
        }
        c = Integer.compareUnsigned(Integer.reverse((int) l.hash()), Integer.reverse((int) r.hash()));
        if (c != 0) {
            return c;
        }
        c = bytes(l.nspace(), r.nspace());
        if (c != 0) {
            return c;
        }
        if (!(l.key().isEmpty() && r.key().isEmpty())) {
            c = bytes(l.key().isEmpty() ? l.oid() : l.key(), r.key().isEmpty() ? r.oid() : r.key());
            if (c != 0) {
                return c;
            }
        }
        c = bytes(l.oid(), r.oid());
        if (c != 0) {
            return c;
        }
        return Long.compareUnsigned(l.snap(), r.snap());
    }

    private static int bytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The blocks one OSD session holds, by pg and then by range start. Bounded by what the OSD sends
     * (one per pg or object it cannot serve); emptied when the session ends.
     */
    public static final class Table {
        private final Map<PgId, TreeMap<HObject, Backoff>> byPg = new HashMap<>();
        private final Map<Long, Backoff> byId = new HashMap<>();

        public synchronized void block(Backoff b) {
            Backoff old = byId.put(b.id(), b);
            if (old != null) {
                remove(old);
            }
            byPg.computeIfAbsent(b.pgid().pgid(), p -> new TreeMap<>(Backoffs::compare)).put(b.begin(), b);
        }

        /** Removes block {@code id}; returns it, or null when we hold no such block. */
        public synchronized Backoff unblock(long id) {
            Backoff b = byId.remove(id);
            if (b != null) {
                remove(b);
            }
            return b;
        }

        private void remove(Backoff b) {
            TreeMap<HObject, Backoff> ranges = byPg.get(b.pgid().pgid());
            if (ranges != null) {
                ranges.remove(b.begin(), b);
                if (ranges.isEmpty()) {
                    byPg.remove(b.pgid().pgid());
                }
            }
        }

        /** The block that holds an op on {@code h} in pg {@code pg}, or null. */
        public synchronized Backoff blocking(PgId pg, HObject h) {
            TreeMap<HObject, Backoff> ranges = byPg.get(pg);
            if (ranges == null) {
                return null;
            }
            Map.Entry<HObject, Backoff> e = ranges.floorEntry(h);
            return e != null && e.getValue().covers(h) ? e.getValue() : null;
        }

        /** Drops every block on {@code pg} (the pg started a new interval) and returns them. */
        public synchronized List<Backoff> clearPg(PgId pg) {
            TreeMap<HObject, Backoff> ranges = byPg.remove(pg);
            if (ranges == null) {
                return List.of();
            }
            List<Backoff> out = new ArrayList<>(ranges.values());
            out.forEach(b -> byId.remove(b.id()));
            return out;
        }

        public synchronized int size() {
            return byId.size();
        }
    }
}
