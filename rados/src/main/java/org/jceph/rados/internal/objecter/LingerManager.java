package org.jceph.rados.internal.objecter;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jceph.osdmap.Placement;
import org.jceph.rados.Errno;
import org.jceph.rados.RadosException;
import org.jceph.rados.internal.TargetInterval;

/**
 * The client's lingering ops, as the Objecter's linger_ops: the watches it has registered, kept
 * registered across session faults and pg interval changes (WATCH_OP_RECONNECT, or WATCH afresh
 * once the OSD has expired a watch), pinged every {@link #PING_PERIOD} (WATCH_OP_PING) as a
 * safety net, plus the bounded wait for a notify's completion.
 *
 * <p>The ops themselves go through the Objecter like any other: this class only decides when to
 * send which, through {@link WatchOps}. Time and delayed work come from the {@link Scheduler},
 * the current map from a supplier, and session faults from the Objecter's fault listener
 * ({@link #onFault}), so unit tests drive it with fakes and a manual clock.
 */
public final class LingerManager {
    /** How often each watch is pinged (librados pings every 5 s as well). */
    public static final Duration PING_PERIOD = Duration.ofSeconds(5);

    /** What the manager sends for a watch; each future fails with the OSD's typed error. */
    public interface WatchOps {
        /**
         * WATCH_OP_PING: is the watch still connected? ENOTCONN when the OSD forgot it, ETIMEDOUT
         * when it lost its session.
         *
         * @param l the watch
         * @return done when the OSD answered
         */
        CompletableFuture<?> ping(Linger l);

        /**
         * Registers the watch again: WATCH_OP_RECONNECT, or WATCH when {@link Linger#expired()}.
         *
         * @param l the watch
         * @return done when the OSD answered
         */
        CompletableFuture<?> reconnect(Linger l);
    }

    /**
     * One registered watch. Its addressing is fixed; where it is registered, when the OSD last
     * confirmed it and why it is broken change as the manager keeps it registered.
     */
    public static final class Linger {
        private final Object owner;
        private final Target.Address address;
        private final long cookie;
        volatile int osd = -1;
        /** The pg interval the watch was last registered in. */
        volatile TargetInterval interval;
        /** The OSD no longer knows the watch: the next attempt registers it again (WATCH, not RECONNECT). */
        volatile boolean expired;
        /** A ping or re-registration is under way: no new ping. */
        final AtomicBoolean busy = new AtomicBoolean();
        /**
         * Re-registrations started so far; the newest is the only one whose answer counts (guarded
         * by this). Sent as the RECONNECT's gen, as librados' register_gen.
         */
        private int registerGen;
        /** The re-registration in flight, cancelled when a newer one replaces it (guarded by this). */
        private CompletableFuture<?> registering;
        /** When the OSD last confirmed the watch (registration or ping), in the scheduler's clock. */
        volatile long confirmedAt;
        /** Why the watch is broken now (null while it is confirmed): watch_check reports it. */
        volatile RadosException error;

        Linger(Object owner, Target.Address address, long cookie, long now) {
            this.owner = owner;
            this.address = address;
            this.cookie = cookie;
            this.confirmedAt = now;
        }

        /** @return who registered it (the I/O context; opaque here) */
        public Object owner() {
            return owner;
        }

        /** @return the watched object's name */
        public String oid() {
            return address.oid();
        }

        /** @return the watched object's address */
        public Target.Address address() {
            return address;
        }

        /** @return the watch's cookie */
        public long cookie() {
            return cookie;
        }

        /** @return whether the next registration must be a WATCH (the OSD expired it) */
        public boolean expired() {
            return expired;
        }

        /** @return why the watch is broken now, or null while it is confirmed */
        public RadosException error() {
            return error;
        }

        /** @return when the OSD last confirmed it, in the scheduler's clock */
        public long confirmedAt() {
            return confirmedAt;
        }

        /** @return the OSD it was last registered with, -1 before */
        public int osd() {
            return osd;
        }

        /** @return re-registrations started so far (the gen a WATCH_OP_RECONNECT carries) */
        public synchronized int registerGen() {
            return registerGen;
        }
    }

    private final org.slf4j.Logger log;
    private final Scheduler scheduler;
    private final Supplier<Placement> maps;
    private final java.util.function.IntToLongFunction faults;
    private final WatchOps ops;
    private final Runnable onReconnected;
    private final Map<Long, Linger> lingers = new ConcurrentHashMap<>();
    private final Scheduler.Cancellable pinger;

    /**
     * @param log where to log (the client's logger)
     * @param scheduler the clock and delayed work
     * @param maps the current placement
     * @param faults session faults seen so far per OSD ({@link Objecter#sessionFaults})
     * @param ops what sends the watch ops
     * @param onReconnected told of each successful re-registration (metrics)
     */
    public LingerManager(org.slf4j.Logger log, Scheduler scheduler, Supplier<Placement> maps,
            java.util.function.IntToLongFunction faults, WatchOps ops, Runnable onReconnected) {
        this.log = log;
        this.scheduler = scheduler;
        this.maps = maps;
        this.faults = faults;
        this.ops = ops;
        this.onReconnected = onReconnected;
        this.pinger = scheduler.every(this::ping, PING_PERIOD);
    }

    /**
     * A new watch, not yet registered: where its object lives now is noted, so that a fault or a
     * new interval between now and {@link #registered} is not missed.
     *
     * @param owner who registers it
     * @param address the watched object
     * @param cookie its cookie
     * @return the watch
     */
    public Linger create(Object owner, Target.Address address, long cookie) {
        Linger l = new Linger(owner, address, cookie, scheduler.ticker().nanoTime());
        l.osd = primaryOf(l);
        l.interval = intervalOf(l);
        return l;
    }

    /**
     * Session faults of the watch's OSD so far, to pass to {@link #registered}.
     *
     * @param l the watch
     * @return the count
     */
    public long faultsAt(Linger l) {
        return faults.applyAsLong(l.osd);
    }

    /**
     * The OSD registered the watch: keep it registered from now on. If the OSD's session faulted
     * since {@code faultsBefore}, the fault may have been handled before the watch was known
     * here, so it is registered again.
     *
     * @param l the watch
     * @param faultsBefore {@link #faultsAt} before the registration was sent
     */
    public void registered(Linger l, long faultsBefore) {
        confirmed(l);
        lingers.put(l.cookie, l);
        reconnectIfFaultedSince(l, faultsBefore);
    }

    /**
     * A registered watch.
     *
     * @param cookie its cookie
     * @return it, or null
     */
    public Linger get(long cookie) {
        return lingers.get(cookie);
    }

    /**
     * Forgets a watch (it is being removed): no more pings or re-registrations.
     *
     * @param cookie its cookie
     * @return it, or null
     */
    public Linger remove(long cookie) {
        return lingers.remove(cookie);
    }

    /** @return the registered watches now */
    public Collection<Linger> all() {
        return List.copyOf(lingers.values());
    }

    /** @return the registered watches by cookie: a read-only live view */
    public Map<Long, Linger> view() {
        return java.util.Collections.unmodifiableMap(lingers);
    }

    /** @return how many watches are registered */
    public int size() {
        return lingers.size();
    }

    private void confirmed(Linger l) {
        l.confirmedAt = scheduler.ticker().nanoTime();
        l.error = null;
    }

    private void reconnectIfFaultedSince(Linger l, long faultsBefore) {
        if (faults.applyAsLong(l.osd) != faultsBefore && lingers.containsKey(l.cookie)) {
            scheduler.schedule(() -> reconnect(l), Objecter.RETRY_DELAY);
        }
    }

    private TargetInterval intervalOf(Linger l) {
        Placement p = maps.get();
        Placement.Result r = p.pgToUpActing(l.address.rawPg(p));
        return TargetInterval.of(r, p.map(), l.address.poolId());
    }

    private int primaryOf(Linger l) {
        Placement p = maps.get();
        return p.pgToUpActing(l.address.rawPg(p)).actingPrimary();
    }

    /**
     * A new map: a new interval of a watched object's pg (a primary change, and also a split)
     * drops the OSD's in-memory watch, so the watch is registered again, as the Objecter resends
     * its linger ops. Called once per map, before the Objecter's own resends.
     */
    public void onNewMap() {
        Placement p = maps.get();
        for (Linger l : lingers.values()) {
            TargetInterval was = l.interval;
            if (p.map().pool(l.address.poolId()) == null) {
                continue; // the pool is gone: the next ping fails, nothing to register with
            }
            if (l.osd >= 0 && (was == null ? primaryOf(l) != l.osd
                    : was.needsResend(intervalOf(l), p.map().pool(l.address.poolId())))) {
                scheduler.execute(() -> reconnect(l));
            }
        }
    }

    /**
     * A session fault ({@link Objecter.FaultListener}): every watch on that OSD is broken until it
     * is registered again, shortly.
     *
     * @param osd the OSD
     * @param err the fault
     * @return how many watches will be registered again
     */
    public int onFault(int osd, Throwable err) {
        int watches = 0;
        for (Linger l : lingers.values()) {
            if (l.osd == osd) {
                watches++;
                l.error = RadosException.of(Errno.ENOTCONN.negative(), "the session to osd." + osd + " faulted");
                scheduler.schedule(() -> reconnect(l), Objecter.RETRY_DELAY);
            }
        }
        return watches;
    }

    /**
     * Pings every watch not already being re-registered; one the OSD no longer has connected is
     * registered again. The safety net under fault handling: whatever race drops a watch on the
     * OSD's side, notifies resume within a ping period or two.
     */
    void ping() {
        for (Linger l : lingers.values()) {
            if (l.busy.compareAndSet(false, true)) {
                send(() -> ops.ping(l)).whenComplete((r, e) -> {
                    l.busy.set(false);
                    if (e == null) {
                        confirmed(l);
                        return;
                    }
                    if (!lingers.containsKey(l.cookie)) {
                        return;
                    }
                    Throwable c = RadosException.unwrap(e);
                    if (c instanceof RadosException re
                            && (re.errno() == Errno.ENOTCONN.negative() || re.errno() == Errno.ETIMEDOUT.negative())) {
                        l.error = re;
                        if (re.errno() == Errno.ENOTCONN.negative()) {
                            l.expired = true; // forgotten: WATCH again (ETIMEDOUT, disconnected: RECONNECT)
                        }
                        scheduler.execute(() -> reconnect(l));
                    }
                });
            }
        }
    }

    /** A watch op's future; one that throws instead of failing its future fails it all the same. */
    private static CompletableFuture<?> send(Supplier<CompletableFuture<?>> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Registers the watch again. At most one re-registration per watch is in flight: a newer one
     * cancels the one before (its op leaves the Objecter's queue), and only the newest one's answer
     * counts, as librados cancels a linger's previous register op before it sends the next. Without
     * that, every session fault added one more op that outlived it, and under repeated faults the
     * stale ones (each resent on every fault, each starting another when it completed) filled the
     * in-flight budget.
     */
    private void reconnect(Linger l) {
        if (!lingers.containsKey(l.cookie)) {
            return;
        }
        int target = primaryOf(l);
        TargetInterval interval = intervalOf(l);
        long faultsBefore = faults.applyAsLong(target);
        int gen;
        CompletableFuture<?> previous;
        synchronized (l) {
            gen = ++l.registerGen;
            previous = l.registering;
            l.registering = null;
        }
        if (previous != null) {
            previous.cancel(false);
        }
        l.busy.set(true);
        CompletableFuture<?> f = send(() -> ops.reconnect(l));
        synchronized (l) {
            if (l.registerGen == gen) {
                l.registering = f;
            }
        }
        f.whenComplete((r, e) -> {
            synchronized (l) {
                if (l.registerGen != gen) {
                    return; // replaced by a newer re-registration, which alone counts
                }
                l.registering = null;
            }
            l.busy.set(false);
            if (e == null) {
                onReconnected.run();
                log.info("watch {} on {} re-registered{} with osd.{}", l.cookie, l.oid(),
                        l.expired ? " afresh (the OSD had expired it)" : "", target);
                l.osd = target;
                l.interval = interval;
                l.expired = false;
                confirmed(l);
                reconnectIfFaultedSince(l, faultsBefore);
            } else if (lingers.containsKey(l.cookie)) {
                Throwable c = RadosException.unwrap(e);
                if (c instanceof RadosException re && re.errno() == Errno.ENOTCONN.negative()) {
                    // ENOTCONN: the OSD timed the watch out (disconnected longer than its timeout); a
                    // reconnect can never succeed, so register it afresh (notifies meanwhile are lost).
                    l.expired = true;
                }
                log.debug("watch {} on {}: re-registration with osd.{} failed ({}); trying again", l.cookie, l.oid(),
                        target, c.toString());
                scheduler.schedule(() -> reconnect(l), Objecter.RETRY_DELAY.multipliedBy(2));
            }
        });
    }

    /**
     * Waits for a notify's completion (the OSD's NOTIFY_COMPLETE) at most {@code timeout} on the
     * scheduler's clock, then fails with {@link RadosException.TimeoutException}.
     *
     * @param <T> the completion's type
     * @param completion completed when the completion arrives
     * @param timeout how long to wait
     * @param what what the timeout's message names
     * @return the completion, or the timeout
     */
    public <T> CompletableFuture<T> awaitNotifyCompletion(CompletableFuture<T> completion, Duration timeout,
            String what) {
        CompletableFuture<T> out = new CompletableFuture<>();
        Scheduler.Cancellable expiry = scheduler.schedule(() -> out.completeExceptionally(
                new RadosException.TimeoutException(what)), timeout);
        completion.whenComplete((v, e) -> {
            expiry.cancel();
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    /** Stops the pings; the watches are removed by their owners. */
    public void close() {
        pinger.cancel();
    }

    /** @return the clock's reading now (for watch_check) */
    public long now() {
        return scheduler.ticker().nanoTime();
    }

}
