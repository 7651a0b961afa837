package org.jceph.rados.internal;

import java.util.List;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.Placement;
import org.jceph.osdmap.PgPool;

/**
 * What an op's pg looked like when the op was last sent: the inputs of the OSD's "new interval"
 * test (PastIntervals::is_new_interval) that a client can see, plus the pool's force-resend epoch.
 * An OSD discards ops stamped with an epoch before its pg's current interval began (it expects a
 * RESEND_ON_SPLIT client to resend them), so the client must resend whenever any of these change,
 * not only when the primary moves: a pg split keeps the parent's id and acting set yet starts a
 * new interval.
 */
public record TargetInterval(PgId pg, List<Integer> up, int upPrimary, List<Integer> acting, int actingPrimary,
        int size, int minSize, long pgNum, long pgNumPending, long sentEpoch) {

    public static TargetInterval of(Placement.Result r, OsdMap m, long poolId) {
        PgPool pool = m.pool(poolId);
        return new TargetInterval(r.pg(), r.up(), r.upPrimary(), r.acting(), r.actingPrimary(),
                pool == null ? 0 : pool.size(), pool == null ? 0 : pool.minSize(), pool == null ? 0 : pool.pgNum(),
                pool == null ? 0 : pool.pgNumPending(), m.epoch());
    }

    /**
     * True when an op sent under {@code this} must be sent again under {@code now} (of map
     * {@code m}): the pg, its up or acting set or their primaries, the pool's size or min_size, or
     * its pg_num (split or merge) changed, or the pool asks for a resend (last_force_op_resend, set
     * by the monitor on pg_num changes and tiering changes) newer than our last send.
     */
    public boolean needsResend(TargetInterval now, PgPool pool) {
        if (!pg.equals(now.pg) || upPrimary != now.upPrimary || actingPrimary != now.actingPrimary
                || !up.equals(now.up) || !acting.equals(now.acting)) {
            return true;
        }
        if (size != now.size || minSize != now.minSize || pgNum != now.pgNum || pgNumPending != now.pgNumPending) {
            return true;
        }
        return pool != null && pool.lastForceOpResend() > sentEpoch;
    }
}
