package org.jceph.rados.internal.objecter;

import java.time.Duration;
import java.util.List;
import org.jceph.encoding.types.SnapContext;
import org.jceph.osdmap.Placement;
import org.jceph.rados.RadosMetrics;
import org.jceph.rados.internal.Backoffs;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.TargetInterval;

/**
 * One op in the Objecter's table. It keeps its tid across resends (the OSD's pg log recognises a
 * replayed write by client and tid), counting attempts in retry_attempt; a reply to an older
 * attempt is ignored. Mutable fields are guarded by the op's monitor.
 */
final class Op {
    final long tid;
    /** When the op was submitted ({@link org.jceph.rados.internal.Ticker#nanoTime}), for its latency. */
    final long start;
    /** Its metrics type. */
    final RadosMetrics.OpType type;
    // where the op goes: changed only by a redirect from an OSD
    volatile long poolId;
    volatile String oid;
    volatile String namespace;
    volatile String key;
    /** REDIRECTED | IGNORE_CACHE | IGNORE_OVERLAY once the op has been redirected. */
    int extraFlags;
    int redirects;
    /** For pg ops (listing): the pg's seed; the op goes to that pg, not to an object's. */
    final long pgSeed;
    final List<OsdOp> ops;
    final boolean writes;
    final long snapId;
    final SnapContext snapContext;
    final OpFuture<OsdOpMessages.Reply> future;
    /** Where a read step's output goes instead of an array, or null. */
    final org.jceph.rados.internal.ReadInto sink;
    /** When the op times out, unless {@link #unbounded}. */
    final long deadline;
    final Duration timeout;
    /** A timeout of 0: the op waits as long as it takes (librados' meaning of 0). */
    final boolean unbounded;
    /** The block that holds this op (not sent) until the OSD lifts it, or null. */
    Backoffs.Backoff heldBy;
    int attempt = -1;
    /** Where the op stands; {@link #osd}, {@link #target} and {@link #heldBy} mean what it says. */
    volatile OpState state = OpState.UNSENT;
    /** The OSD the op was sent to or is held by (SENT, BACKED_OFF), else -1. */
    int osd = -1;
    Placement.Result target;
    /** The interval the op was last sent in (null until sent). */
    TargetInterval sentIn;

    Op(long tid, long start, Objecter.Request r, Duration timeout, java.util.concurrent.Executor completions) {
        this.tid = tid;
        this.start = start;
        this.poolId = r.poolId();
        this.oid = r.oid();
        this.namespace = r.namespace();
        this.key = r.key();
        this.pgSeed = r.pgSeed();
        this.ops = r.ops();
        boolean w = false;
        for (OsdOp o : r.ops()) {
            w |= o.writes();
        }
        this.writes = w;
        this.type = pgSeed >= 0 ? RadosMetrics.OpType.OTHER : w ? RadosMetrics.OpType.WRITE : RadosMetrics.OpType.READ;
        this.snapId = r.snapId();
        this.snapContext = r.snapContext();
        this.timeout = timeout;
        this.unbounded = timeout.isZero();
        this.deadline = unbounded ? 0 : start + timeout.toNanos();
        this.future = OpFuture.root(completions);
        this.sink = r.sink();
    }

    /** Where the op is addressed now (a redirect changes it). */
    Target.Address address() {
        return new Target.Address(poolId, namespace, key, oid, pgSeed);
    }
}
