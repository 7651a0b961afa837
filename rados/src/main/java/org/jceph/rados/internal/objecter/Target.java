package org.jceph.rados.internal.objecter;

import java.util.List;
import java.util.function.IntFunction;
import org.jceph.encoding.types.HObject;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.rados.internal.Backoffs;

/**
 * Where an op goes in one map, as the kernel's calc_target (net/ceph/osd_client.c) and the
 * Objecter's _calc_target decide it: a small value the caller acts on, computed without side
 * effects. In order: a pool that is gone fails the op (ENOENT); a write to a pool at its quota
 * fails (EDQUOT); PAUSERD/PAUSEWR, the cluster's FULL flag or a full pool hold it; a pg without an
 * up acting primary parks it; a block of the primary's session holds it; else it is sent.
 *
 * @param action what to do with the op
 * @param rawPg the object's raw pg (or the pg op's), null when the pool is gone, paused or full
 * @param placement the pg's up and acting sets, null when not calculated
 * @param primary the acting primary, or -1 when there is none to send to
 * @param shard the primary's shard on an erasure-coded pool, else {@link SPgId#NO_SHARD}
 * @param heldBy the block that holds the op ({@link Action#BACKED_OFF}), else null
 */
public record Target(Action action, PgId rawPg, Placement.Result placement, int primary, int shard,
        Backoffs.Backoff heldBy) {

    /** What the caller does with the op. */
    public enum Action {
        /** Send it to {@link Target#primary()}. */
        SEND,
        /** Fail it: its pool is not in the map (ENOENT). */
        POOL_GONE,
        /** Fail it: it writes and its pool is at its quota (EDQUOT). */
        POOL_QUOTA,
        /** Hold it until a map lifts the pause or full flag ({@link OpState#PAUSED}). */
        PAUSED,
        /** Park it until a map gives its pg an up primary ({@link OpState#NO_PRIMARY}). */
        NO_PRIMARY,
        /** Hold it until the OSD lifts the block ({@link OpState#BACKED_OFF}). */
        BACKED_OFF
    }

    /** OSDMap flags the Objecter obeys (src/include/rados.h CEPH_OSDMAP_*). */
    static final long MAP_FLAG_FULL = 1 << 1;
    static final long MAP_FLAG_PAUSERD = 1 << 2;
    static final long MAP_FLAG_PAUSEWR = 1 << 3;

    /**
     * What an op's addressing needs: its locator and name, or a pg seed for pg ops (listing).
     *
     * @param poolId the pool
     * @param namespace the namespace
     * @param key the locator key ("" for the object's name)
     * @param oid the object's name ("" for a pg op)
     * @param pgSeed the pg's seed for a pg op, else -1
     */
    public record Address(long poolId, String namespace, String key, String oid, long pgSeed) {
        /**
         * The raw pg in {@code p}'s map (the pool must exist).
         *
         * @param p the placement
         * @return the raw pg
         */
        public PgId rawPg(Placement p) {
            return pgSeed >= 0 ? new PgId(poolId, pgSeed) : p.objectToRawPg(poolId, oid, key, namespace);
        }

        /**
         * The object as a backoff range names it.
         *
         * @param rawSeed the raw pg's seed
         * @return the hobject
         */
        public HObject hobject(long rawSeed) {
            return Backoffs.target(poolId, namespace, key, oid, rawSeed);
        }
    }

    /**
     * Calculates where {@code op} goes in {@code p}'s map.
     *
     * @param p the current placement (and map)
     * @param op the op's address
     * @param writes whether the op writes
     * @param blocks the blocks of each OSD's session, by OSD id (null for none)
     * @return the decision
     */
    public static Target calc(Placement p, Address op, boolean writes, IntFunction<Backoffs.Table> blocks) {
        OsdMap m = p.map();
        PgPool pool = m.pool(op.poolId());
        if (pool == null) {
            return new Target(Action.POOL_GONE, null, null, -1, SPgId.NO_SHARD, null);
        }
        if (writes && pool.hasFlag(PgPool.FLAG_FULL_QUOTA)) {
            return new Target(Action.POOL_QUOTA, null, null, -1, SPgId.NO_SHARD, null);
        }
        long flags = m.flags();
        boolean paused = writes ? (flags & (MAP_FLAG_PAUSEWR | MAP_FLAG_FULL)) != 0 || pool.hasFlag(PgPool.FLAG_FULL)
                : (flags & MAP_FLAG_PAUSERD) != 0;
        if (paused) {
            return new Target(Action.PAUSED, null, null, -1, SPgId.NO_SHARD, null);
        }
        PgId raw = op.rawPg(p);
        Placement.Result placement = p.pgToUpActing(raw);
        int primary = placement.actingPrimary();
        if (primary < 0 || !m.isUp(primary)) {
            return new Target(Action.NO_PRIMARY, raw, placement, -1, SPgId.NO_SHARD, null);
        }
        Backoffs.Table table = blocks.apply(primary);
        Backoffs.Backoff block = table == null ? null : table.blocking(placement.pg(), op.hobject(raw.seed()));
        if (block != null) {
            return new Target(Action.BACKED_OFF, raw, placement, primary, SPgId.NO_SHARD, block);
        }
        return new Target(Action.SEND, raw, placement, primary, primaryShard(pool, placement), null);
    }

    /**
     * Objecter::_calc_target: an EC pool's op goes to the primary's shard (its acting position).
     *
     * @param pool the pool
     * @param target the pg's placement
     * @return the shard, or {@link SPgId#NO_SHARD} for a replicated pool
     */
    public static int primaryShard(PgPool pool, Placement.Result target) {
        if (!pool.isErasure()) {
            return SPgId.NO_SHARD;
        }
        List<Integer> acting = target.acting();
        for (int i = 0; i < acting.size(); i++) {
            if (acting.get(i) == target.actingPrimary()) {
                return i;
            }
        }
        return SPgId.NO_SHARD;
    }
}
