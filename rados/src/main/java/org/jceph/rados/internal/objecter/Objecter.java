package org.jceph.rados.internal.objecter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.HObject;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.Placement;
import org.jceph.rados.Errno;
import org.jceph.rados.RadosException;
import org.jceph.rados.RadosMetrics;
import org.jceph.rados.internal.Backoffs;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.TargetInterval;

/**
 * The op path of a RADOS client, as librados' Objecter: the table of ops in flight, the in-flight
 * budget, the per-OSD sessions, and every decision that keeps an op going until it ends: where it
 * goes in the current map ({@link Target#calc}), resending it when its target's interval changes,
 * holding it while the map pauses it or its OSD has blocked its range (MOSDBackoff), following a
 * redirect, failing it on a deleted pool or a full quota, and ending it at its deadline
 * ({@link #tick}) or when its future is cancelled.
 *
 * <p>Everything it touches outside itself is injected: the maps (a supplier of the current
 * placement, and {@link #onNewMap()} called once per map), the OSDs ({@link Transport}), time
 * and delayed work ({@link Scheduler}), and where op futures complete. A unit test drives it with
 * a fake OSD, maps of its own and a manual clock.
 *
 * <p>Its length (about 490 lines of code, the rest comments, over the project's ~600-line guide)
 * is kept on purpose: every transition of an op's {@link OpState} (submit, map, reply, redirect,
 * backoff, fault, tick, cancel, close) is in this one file, under one locking rule (an op's
 * mutable fields change only under its monitor). The budget ({@link Budget}), the per-OSD
 * session ({@link OsdSession}) and the target decision ({@link Target}) are apart already.
 */
public final class Objecter implements AutoCloseable {
    /** After a connection failure an op is sent again this much later (the map may not show the OSD down yet). */
    public static final Duration RETRY_DELAY = Duration.ofMillis(500);
    /**
     * How often queued ops are checked against their deadlines. One sweep over the queue (bounded
     * by the in-flight budget) replaces a timer task per op, whose scheduling and cancelling cost
     * more than the rest of a small op's bookkeeping; a timeout fires at most this late.
     */
    public static final Duration TIMEOUT_SWEEP = Duration.ofMillis(20);
    /** At most this many redirects per op: two tiers pointing at each other must not loop forever. */
    static final int MAX_REDIRECTS = 8;

    /**
     * What a caller submits.
     *
     * @param poolId the pool
     * @param namespace the namespace
     * @param key the locator key ("" for the name)
     * @param oid the object ("" for a pg op)
     * @param pgSeed the pg's seed for a pg op, else -1
     * @param ops the steps
     * @param snapId the snapshot read from (NOSNAP for the head)
     * @param snapContext the write snap context
     * @param timeout the whole op's timeout, null for the Objecter's default
     * @param sink where one read step's output goes (a caller's buffer), or null: it is copied
     *     there from the accepted reply only, before the op's future completes, and never after a
     *     timeout or cancel has ended the op
     */
    public record Request(long poolId, String namespace, String key, String oid, long pgSeed, List<OsdOp> ops,
            long snapId, SnapContext snapContext, Duration timeout, org.jceph.rados.internal.ReadInto sink) {
        public Request(long poolId, String namespace, String key, String oid, long pgSeed, List<OsdOp> ops,
                long snapId, SnapContext snapContext, Duration timeout) {
            this(poolId, namespace, key, oid, pgSeed, ops, snapId, snapContext, timeout, null);
        }
    }

    /**
     * The limits: librados' objecter_inflight_ops and objecter_inflight_op_bytes, and
     * rados_osd_op_timeout (0: none).
     *
     * @param maxOps ops in flight at most
     * @param maxBytes payload bytes in flight at most
     * @param opTimeout each op's timeout unless it names its own
     */
    public record Limits(int maxOps, int maxBytes, Duration opTimeout) {
    }

    /** What the Objecter reports as it goes (metrics); every method may be called on any thread. */
    public interface Events {
        /** An op was submitted. */
        default void opStarted(RadosMetrics.OpType type) {
        }

        /** An op ended (not by cancellation), after {@code nanos}. */
        default void opCompleted(RadosMetrics.OpType type, long nanos, boolean failed) {
        }

        /** An op ended with a timeout. */
        default void opTimedOut() {
        }

        /** An op went out again. */
        default void resent(RadosMetrics.ResendReason why) {
        }

        /** A session to an OSD opened. */
        default void sessionOpened() {
        }

        /** A session to an OSD faulted. */
        default void sessionFaulted() {
        }
    }

    /** Told of a session fault after the ops are dealt with; returns how many watches it re-registers (for the log). */
    public interface FaultListener {
        /**
         * @param osd the OSD
         * @param err the fault
         * @return how many watches will be registered again
         */
        int onFault(int osd, Throwable err);
    }

    private final org.slf4j.Logger log;
    private final Transport transport;
    private final Scheduler scheduler;
    private final Supplier<Placement> maps;
    private final Executor completions;
    private final Events events;
    private final Limits limits;
    /** What the Objecter does not handle itself (command replies, maps, watch events). */
    private final Consumer<Message> otherMessages;
    private volatile FaultListener faultListener = (osd, err) -> 0;

    private final Map<Long, Op> pending = new ConcurrentHashMap<>();
    private final Map<Integer, OsdSession> sessions = new ConcurrentHashMap<>();
    /** Session faults seen per OSD: a watch registered across a fault must be registered again. */
    private final Map<Integer, AtomicLong> faultCounts = new ConcurrentHashMap<>();
    private final AtomicLong tids = new AtomicLong();
    /** The in-flight budget: a caller beyond it waits (back-pressure), at most its op's timeout. */
    private final Budget budget;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Scheduler.Cancellable sweep;
    private volatile boolean legacyOpEncoding;

    private final AtomicLong opsCancelled = new AtomicLong();
    private final AtomicLong backoffBlocks = new AtomicLong();
    private final AtomicLong backoffUnblocks = new AtomicLong();
    private final AtomicLong opsHeldByBackoff = new AtomicLong();
    private final AtomicLong redirectsFollowed = new AtomicLong();
    private final AtomicLong malformedMessages = new AtomicLong();

    /**
     * @param log where to log (the client's logger: operators grep for its name)
     * @param transport how to reach OSDs
     * @param scheduler the clock and delayed work
     * @param maps the current placement (and map)
     * @param completions where op futures complete
     * @param events what to tell the metrics
     * @param limits the budget and default timeout
     * @param otherMessages where OSD messages the Objecter does not handle go
     */
    public Objecter(org.slf4j.Logger log, Transport transport, Scheduler scheduler, Supplier<Placement> maps,
            Executor completions, Events events, Limits limits, Consumer<Message> otherMessages) {
        this.log = log;
        this.transport = transport;
        this.scheduler = scheduler;
        this.maps = maps;
        this.completions = completions;
        this.events = events;
        this.limits = limits;
        this.otherMessages = otherMessages;
        this.budget = new Budget(limits.maxOps(), limits.maxBytes());
        this.sweep = scheduler.every(() -> tick(scheduler.ticker().nanoTime()), TIMEOUT_SWEEP);
    }

    /** Sets who hears of session faults (the linger manager). */
    public void onFault(FaultListener l) {
        this.faultListener = l;
    }

    /** The 2010 MOSDOp encoding (header version 1) instead of v8: see docs/LEGACY-MOSDOP.md. */
    public void useLegacyOpEncoding(boolean legacy) {
        this.legacyOpEncoding = legacy;
    }

    /**
     * Admits the op within the in-flight budget and sends it. The returned future (and every
     * future derived from it with thenApply and the like) cancels the op: it leaves the queue and
     * the budget at once, and a reply that comes later is ignored. The op's timeout runs from here,
     * across the wait for budget and every resend, and ends it with {@link RadosException.TimeoutException}.
     * A caller beyond the budget waits here (back-pressure), at most the op's timeout.
     *
     * @param r the op
     * @return its future
     */
    public CompletableFuture<OsdOpMessages.Reply> submit(Request r) {
        Duration timeout = r.timeout() == null ? limits.opTimeout() : r.timeout();
        Op op = new Op(tids.incrementAndGet(), scheduler.ticker().nanoTime(), r, timeout, completions);
        long payload = 0;
        for (OsdOp o : op.ops) {
            payload += o.inputLength();
        }
        events.opStarted(op.type);
        int bytes = budget.bytesOf(payload);
        try {
            Budget.Exhausted full = budget.acquire(bytes, op.unbounded, () -> remainingMillis(op));
            if (full != null) {
                return budgetTimeout(op, full.what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OpFuture.failed(RadosException.of(Errno.EINTR.negative(),
                    "interrupted while waiting for the in-flight budget"));
        }
        op.future.beforeDone((failure, cancelled) -> {
            op.state = OpState.DONE;
            pending.remove(op.tid);
            budget.release(bytes);
            // counted before the future completes: whoever waits on it sees the metrics include it
            if (cancelled) {
                opsCancelled.incrementAndGet();
            } else {
                events.opCompleted(op.type, scheduler.ticker().nanoTime() - op.start, failure != null);
                if (failure instanceof RadosException.TimeoutException) {
                    events.opTimedOut();
                }
            }
        });
        if (closed.get()) {
            op.future.completeExceptionally(new RadosException.ClientClosedException("tid " + op.tid));
            return op.future;
        }
        pending.put(op.tid, op);
        if (op.future.settled()) {
            pending.remove(op.tid); // it timed out or was cancelled before it was queued
        }
        send(op, null);
        return op.future;
    }

    private CompletableFuture<OsdOpMessages.Reply> budgetTimeout(Op op, String what) {
        events.opCompleted(op.type, scheduler.ticker().nanoTime() - op.start, true);
        events.opTimedOut();
        log.debug("tid {} timed out waiting for the in-flight {} budget", op.tid, what);
        return OpFuture.failed(new RadosException.TimeoutException("in-flight " + what + " budget exhausted for "
                + op.timeout.toMillis() + " ms"));
    }

    private long remainingMillis(Op op) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(op.deadline - scheduler.ticker().nanoTime()));
    }

    /**
     * Ends every queued op whose deadline has passed at {@code now} with
     * {@link RadosException.TimeoutException}. Called every {@link #TIMEOUT_SWEEP} by the scheduler.
     *
     * @param now the clock's reading ({@link org.jceph.rados.internal.Ticker#nanoTime})
     */
    public void tick(long now) {
        int expired = 0;
        String first = null;
        int inFlight = -1;
        for (Op op : pending.values()) {
            if (!op.unbounded && now - op.deadline >= 0 && !op.future.settled()) {
                if (inFlight < 0) {
                    inFlight = pending.size(); // once per sweep, with the ones ending now
                }
                String message = "no reply within " + op.timeout.toMillis() + " ms for tid " + op.tid
                        + (op.heldBy != null ? " (held by " + op.heldBy + ")" : !op.state.atOsd() ? " (waiting for a usable map)"
                                : " (last sent to osd." + op.osd + ")") + "; " + inFlight + " op(s) were in flight";
                if (op.future.completeExceptionally(new RadosException.TimeoutException(message))) {
                    expired++;
                    if (first == null) {
                        first = message;
                    }
                    log.debug("op timed out: {}", message);
                }
            }
        }
        if (expired > 0) {
            // one line per sweep, not per op: a stuck OSD can time out the whole in-flight budget at once
            log.info("{} op(s) timed out, e.g. {}", expired, first);
        }
    }

    /**
     * (Re)computes the op's target from the current map and sends it there; {@code why} is the
     * reason if this turns out to be a resend (null for the first send), counted and logged at
     * DEBUG only when the op actually goes out again.
     */
    private void send(Op op, RadosMetrics.ResendReason why) {
        Message msg;
        int primary;
        synchronized (op) {
            if (op.future.settled()) {
                return;
            }
            Placement p = maps.get();
            OsdMap m = p.map();
            Target t = Target.calc(p, op.address(), op.writes, this::blocksOf);
            switch (t.action()) {
                case POOL_GONE -> {
                    op.future.completeExceptionally(new RadosException.PoolNotFoundException(String.valueOf(op.poolId)));
                    return;
                }
                case POOL_QUOTA -> {
                    op.future.completeExceptionally(RadosException.of(Errno.EDQUOT.negative(),
                            "pool " + op.poolId + " is at its quota"));
                    return;
                }
                case PAUSED -> {
                    // held until a map lifts pause/full; the op's deadline still runs
                    op.state = OpState.PAUSED;
                    op.osd = -1;
                    op.target = null;
                    return;
                }
                case NO_PRIMARY -> {
                    // parked until a map gives the pg a primary
                    op.state = OpState.NO_PRIMARY;
                    op.osd = -1;
                    op.target = t.placement();
                    return;
                }
                case BACKED_OFF -> {
                    op.state = OpState.BACKED_OFF;
                    op.osd = t.primary();
                    op.target = t.placement();
                    op.heldBy = t.heldBy();
                    opsHeldByBackoff.incrementAndGet(); // sent again when the OSD lifts the block
                    return;
                }
                case SEND -> {
                    op.state = OpState.SENT;
                    op.osd = t.primary();
                    op.target = t.placement();
                    op.heldBy = null;
                }
            }
            primary = t.primary();
            Placement.Result target = t.placement();
            PgId raw = t.rawPg();
            op.attempt++;
            if (op.attempt > 0) {
                RadosMetrics.ResendReason reason = why == null ? RadosMetrics.ResendReason.MAP_WAIT : why;
                events.resent(reason);
                log.debug("resending tid {} (attempt {}) to osd.{} in e{}: {}", op.tid, op.attempt, primary,
                        m.epoch(), reason.tag());
            }
            op.sentIn = TargetInterval.of(target, m, op.poolId);
            OsdOpMessages.Request request = new OsdOpMessages.Request(op.tid, target.pg(), raw.seed(), m.epoch(), op.oid,
                    new ObjectLocator(op.poolId, op.key, op.namespace), op.ops, UTime.of(scheduler.ticker().wallClock()),
                    CephFeature.CLIENT_SUPPORTED, op.snapId, op.snapContext, op.attempt, op.extraFlags,
                    t.shard());
            msg = legacyOpEncoding ? OsdOpMessages.encodeLegacyV1(request) : OsdOpMessages.encode(request);
        }
        session(primary, maps.get().map()).send(msg).whenComplete((ok, err) -> {
            if (err != null) {
                retryLater(op);
            }
        });
    }

    private Backoffs.Table blocksOf(int osd) {
        OsdSession s = sessions.get(osd);
        return s == null ? null : s.blocks;
    }

    /** After a connection failure: try again shortly (the map may not show the OSD down yet). */
    private void retryLater(Op op) {
        if (op.future.settled()) {
            return;
        }
        if (!op.unbounded && scheduler.ticker().nanoTime() - op.deadline > 0) {
            op.future.completeExceptionally(new RadosException.TimeoutException("no reply within "
                    + op.timeout.toMillis() + " ms for tid " + op.tid));
            return;
        }
        scheduler.schedule(() -> send(op, RadosMetrics.ResendReason.SESSION_FAULT), RETRY_DELAY);
    }

    /**
     * A new map: resend every op whose target's interval changed (primary, up or acting set, pool
     * size, pg_num, a forced resend), or that was parked (paused, no primary); fail those whose
     * pool is gone. Called once per map, in map order.
     */
    public void onNewMap() {
        Placement p = maps.get();
        int[] resent = new int[RadosMetrics.ResendReason.values().length];
        int total = 0;
        for (Op op : pendingInTidOrder()) {
            Placement.Result before;
            TargetInterval sentIn;
            synchronized (op) {
                before = op.target;
                sentIn = op.sentIn;
            }
            if (!op.state.atOsd() || before == null || sentIn == null) {
                send(op, RadosMetrics.ResendReason.MAP_WAIT);
                continue;
            }
            if (p.map().pool(op.poolId) == null) {
                send(op, RadosMetrics.ResendReason.MAP_WAIT); // fails it with ENOENT
                continue;
            }
            Placement.Result now = p.pgToUpActing(op.address().rawPg(p));
            TargetInterval interval = TargetInterval.of(now, p.map(), op.poolId);
            if (sentIn.needsResend(interval, p.map().pool(op.poolId))) {
                RadosMetrics.ResendReason why = !p.map().isUp(sentIn.actingPrimary()) ? RadosMetrics.ResendReason.OSD_DOWN
                        : sentIn.pgNum() != interval.pgNum() ? RadosMetrics.ResendReason.PG_SPLIT
                        : RadosMetrics.ResendReason.INTERVAL_CHANGE;
                resent[why.ordinal()]++;
                total++;
                send(op, why);
            }
        }
        if (total > 0) {
            StringBuilder reasons = new StringBuilder();
            for (RadosMetrics.ResendReason r : RadosMetrics.ResendReason.values()) {
                if (resent[r.ordinal()] > 0) {
                    reasons.append(reasons.length() == 0 ? "" : ", ").append(resent[r.ordinal()]).append(' ').append(r.tag());
                }
            }
            // one line per map, not per op
            log.info("osdmap e{}: resending {} op(s) whose target changed ({})", p.map().epoch(), total, reasons);
        }
    }

    /**
     * The pending ops, oldest first: resends keep tid order, so that an OSD sees two ops on one
     * object in the order they were submitted (a read queued after a write reads what it wrote).
     */
    private List<Op> pendingInTidOrder() {
        return pending.values().stream().sorted(java.util.Comparator.comparingLong(op -> op.tid)).toList();
    }

    /**
     * The session to {@code osd}, opened at its address in {@code m} unless one is open or opening.
     *
     * @param osd the OSD
     * @param m the map to take its address from
     * @return the session
     */
    OsdSession session(int osd, OsdMap m) {
        OsdSession[] opened = new OsdSession[1];
        OsdSession s = sessions.compute(osd, (id, existing) -> {
            if (existing != null && existing.usable()) {
                return existing;
            }
            opened[0] = new OsdSession(osd);
            return opened[0];
        });
        if (opened[0] != null) {
            open(opened[0], m);
        }
        return s;
    }

    private void open(OsdSession s, OsdMap m) {
        int osd = s.osd;
        CompletableFuture<Transport.Link> f;
        try {
            f = transport.open(osd, m, msg -> inbound(s, msg));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((link, err) -> {
            if (err != null) {
                sessions.remove(osd, s);
                // DEBUG: retried every RETRY_DELAY while the OSD is down; its fault was logged at INFO
                log.debug("could not open a session to osd.{}: {}", osd, RadosException.unwrap(err).toString());
                s.link.completeExceptionally(err);
                return;
            }
            events.sessionOpened();
            log.debug("osd.{} session open: {}", osd, link);
            link.closed().whenComplete((ok, fault) -> {
                sessions.remove(osd, s);
                if (fault != null) {
                    onSessionFault(osd, fault);
                }
            });
            s.link.complete(link);
        });
    }

    /**
     * The session to {@code osd} for other traffic (OSD commands), opened if need be.
     *
     * @param osd the OSD
     * @param m the map to take its address from
     * @return the link once open
     */
    public CompletableFuture<Transport.Link> link(int osd, OsdMap m) {
        return session(osd, m).link;
    }

    private void inbound(OsdSession s, Message m) {
        if (MessageType.OSD_BACKOFF.is(m.type())) {
            Backoffs.Backoff b;
            try {
                b = Backoffs.decode(m);
            } catch (org.jceph.encoding.DecodeException e) {
                malformedMessages.incrementAndGet(); // dropped: held ops still end at their timeout
                return;
            }
            onBackoff(s, b);
        } else if (MessageType.OSD_OPREPLY.is(m.type())) {
            onReply(m);
        } else {
            otherMessages.accept(m);
        }
    }

    /**
     * MOSDBackoff. BLOCK: remember the range for this session and ack it (ops in it are held by
     * {@link #send}). UNBLOCK: forget it and send, in tid order, every op of this session's pg whose
     * object lies in the released range (the OSD dropped those it received while blocked).
     */
    private void onBackoff(OsdSession s, Backoffs.Backoff b) {
        int osd = s.osd;
        if (b.op() == Backoffs.OP_BLOCK) {
            backoffBlocks.incrementAndGet();
            log.debug("osd.{} backoff block {}", osd, b);
            s.blocks.block(b);
            Transport.Link l = s.openLink();
            if (l != null) {
                l.send(Backoffs.ackFor(b));
            }
        } else if (b.op() == Backoffs.OP_UNBLOCK) {
            backoffUnblocks.incrementAndGet();
            s.blocks.unblock(b.id());
            List<Op> release = pendingInTidOrder().stream()
                    .filter(op -> op.state.atOsd() && op.osd == osd && op.target != null && op.target.pg().equals(b.pgid().pgid())
                            && (op.heldBy != null && op.heldBy.id() == b.id() || b.covers(hobjectOf(op))))
                    .toList();
            log.debug("osd.{} backoff unblock {}: releasing {} op(s)", osd, b, release.size());
            if (!release.isEmpty()) {
                scheduler.execute(() -> release.forEach(op -> send(op, RadosMetrics.ResendReason.BACKOFF_RELEASED)));
            }
        }
    }

    private HObject hobjectOf(Op op) {
        Placement p = maps.get();
        return op.address().hobject(op.address().rawPg(p).seed());
    }

    private void onReply(Message m) {
        OsdOpMessages.Head h;
        try {
            h = OsdOpMessages.decodeHead(m);
        } catch (org.jceph.encoding.DecodeException e) {
            malformedMessages.incrementAndGet(); // its op is resent on the next fault or ends at its timeout
            return;
        }
        Op op = pending.get(h.tid());
        if (op == null) {
            return;
        }
        synchronized (op) {
            if (h.retryAttempt() < op.attempt) {
                return; // an answer to a send we have since replaced
            }
        }
        if (h.redirect() != null) {
            followRedirect(op, h.redirect());
            return;
        }
        if (op.sink == null) {
            OsdOpMessages.Reply r = h.finish(null);
            pending.remove(h.tid());
            op.future.complete(r);
            return;
        }
        // The caller's buffer is written only once this reply has won the op: a timeout or a
        // cancel that came first keeps it untouched, and one that comes during the copy waits
        // for it (OpFuture.claim), so nothing lands in the buffer after the caller has its answer.
        if (!op.future.claim()) {
            return;
        }
        OsdOpMessages.Reply r;
        try {
            r = h.finish(op.sink);
        } catch (RuntimeException e) {
            op.future.completeClaimed(null, e);
            return;
        }
        pending.remove(h.tid());
        op.future.completeClaimed(r, null);
    }

    /**
     * An OSD answered with a request_redirect_t (a cache tier in readonly mode redirects writes of
     * objects it does not hold to its base pool): send the op again to the new locator (and name),
     * flagged REDIRECTED, IGNORE_CACHE and IGNORE_OVERLAY so that it is not bounced back.
     */
    private void followRedirect(Op op, OsdOpMessages.Redirect redirect) {
        synchronized (op) {
            if (op.future.settled()) {
                return;
            }
            if (++op.redirects > MAX_REDIRECTS) {
                op.future.completeExceptionally(RadosException.of(Errno.EIO.negative(), "more than " + MAX_REDIRECTS
                        + " redirects for tid " + op.tid + ", last to pool " + redirect.locator().pool()));
                return;
            }
            ObjectLocator next = redirect.applyTo(new ObjectLocator(op.poolId, op.key, op.namespace));
            op.poolId = next.pool();
            op.key = next.key();
            op.namespace = next.nspace();
            if (!redirect.object().isEmpty()) {
                op.oid = redirect.object();
            }
            op.extraFlags |= OsdOpMessages.FLAG_REDIRECTED | OsdOpMessages.FLAG_IGNORE_CACHE
                    | OsdOpMessages.FLAG_IGNORE_OVERLAY;
            op.target = null;
        }
        redirectsFollowed.incrementAndGet();
        log.debug("tid {} redirected to pool {}", op.tid, redirect.locator().pool());
        scheduler.execute(() -> send(op, RadosMetrics.ResendReason.REDIRECT));
    }

    private void onSessionFault(int osd, Throwable err) {
        faultCounts.computeIfAbsent(osd, k -> new AtomicLong()).incrementAndGet();
        events.sessionFaulted();
        int ops = 0;
        for (Op op : pendingInTidOrder()) {
            if (op.state.atOsd() && op.osd == osd) {
                ops++;
                retryLater(op);
            }
        }
        int watches = faultListener.onFault(osd, err);
        log.info("osd.{} session faulted ({}); resending {} op(s) (session_fault) and re-registering {} watch(es)",
                osd, RadosException.unwrap(err).toString(), ops, watches);
    }

    /**
     * Session faults seen so far on {@code osd}'s sessions.
     *
     * @param osd the OSD
     * @return how many
     */
    public long sessionFaults(int osd) {
        AtomicLong n = faultCounts.get(osd);
        return n == null ? 0 : n.get();
    }

    /**
     * Ops admitted and not yet completed.
     *
     * @return how many
     */
    public int opsInFlight() {
        return pending.size();
    }

    /**
     * Payload bytes of the ops in flight, as the byte budget counts them.
     *
     * @return the bytes
     */
    public long bytesInFlight() {
        return budget.bytesInFlight();
    }

    /**
     * Callers waiting for budget now (back-pressure).
     *
     * @return an estimate
     */
    public int budgetWaiters() {
        return budget.waiters();
    }

    /**
     * The OSDs a session is open to now, ascending.
     *
     * @return their ids
     */
    public int[] openSessions() {
        return sessions.values().stream().filter(s -> s.openLink() != null).mapToInt(s -> s.osd).sorted().toArray();
    }

    /**
     * Where an op stands (for tests and diagnostics).
     *
     * @param tid the op's tid
     * @return its state, DONE when it is no longer in the table
     */
    public OpState state(long tid) {
        Op op = pending.get(tid);
        return op == null ? OpState.DONE : op.state;
    }

    /**
     * The counters behind the client's Stats.
     *
     * @param backoffBlocks MOSDBackoff blocks received
     * @param backoffUnblocks MOSDBackoff unblocks received
     * @param opsHeldByBackoff ops held back by a block
     * @param opsCancelled ops cancelled through their futures
     * @param redirectsFollowed redirects followed
     * @param activeBackoffs blocks in force now
     * @param malformedMessages OSD messages dropped as malformed
     */
    public record Counters(long backoffBlocks, long backoffUnblocks, long opsHeldByBackoff, long opsCancelled,
            long redirectsFollowed, int activeBackoffs, long malformedMessages) {
    }

    /**
     * The counters now.
     *
     * @return them
     */
    public Counters counters() {
        return new Counters(backoffBlocks.get(), backoffUnblocks.get(), opsHeldByBackoff.get(), opsCancelled.get(),
                redirectsFollowed.get(), sessions.values().stream().mapToInt(s -> s.blocks.size()).sum(),
                malformedMessages.get());
    }

    /**
     * Ends the Objecter: sessions close, ops still in flight fail with
     * {@link RadosException.ClientClosedException}, and later submits fail the same way. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweep.cancel();
        sessions.values().forEach(OsdSession::close);
        pending.values().forEach(op -> op.future.completeExceptionally(
                new RadosException.ClientClosedException("tid " + op.tid)));
    }
}
