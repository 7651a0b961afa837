package org.jceph.rados.internal.mon;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.mon.MonMap;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.messenger.mon.MonLink;
import org.jceph.messenger.mon.MonSession;
import org.jceph.messenger.mon.OsdMapUpdate;
import org.jceph.osdmap.OsdMap;
import org.jceph.rados.ClusterStat;
import org.jceph.rados.Errno;
import org.jceph.rados.PoolStat;
import org.jceph.rados.RadosException;
import org.jceph.rados.internal.MonStatMessages;
import org.jceph.rados.internal.PoolOps;
import org.jceph.rados.internal.Ticker;

/**
 * The RADOS client's side of the monitors, over the messenger's hunting, authenticated
 * {@link MonSession}: the OSDMap subscription feeding the {@link MapKeeper}, map waits, monitor
 * commands, pool ops (MPoolOp), and the standing subscriptions to the monmap and the central
 * config (MConfig), the newest osdmap epoch (MMonGetVersion), cluster capacity (MStatfs) and pool
 * usage (MGetPoolStats). Replies are bounded by the caller's timeout.
 *
 * <p>The session is reached through {@link MonLink}, so that a fake monitor can drive this class in
 * unit tests; time through the injected {@link Ticker}.
 */
public final class MonClient implements AutoCloseable {
    /** How long one map wait asks the monitor before asking again. */
    private static final long MAP_POLL_SECONDS = 2;
    /** How long a pool op waits for the map that carries its change. */
    private static final Duration POOL_OP_MAP_WAIT = Duration.ofSeconds(30);

    private final MonLink mon;
    private final Ticker ticker;
    private final MapKeeper keeper;
    private final AtomicReference<MonMap> monMap = new AtomicReference<>();
    private final AtomicReference<Map<String, String>> config = new AtomicReference<>(Map.of());
    private final AtomicLong configUpdates = new AtomicLong();
    private final AtomicLong handles = new AtomicLong();
    /**
     * The newest version a stats reply named (librados' last_seen_pgmap_version): sent in the
     * next MStatfs and MGetPoolStats (see {@link MonStatMessages#statfs(UUID, long)}).
     */
    private final AtomicLong lastSeenStatsVersion = new AtomicLong();
    private final Map<Long, CompletableFuture<MonStatMessages.Version>> versionWaiters = new ConcurrentHashMap<>();
    /** Runs the map waits of async pool ops (and other blocking monitor work), off the I/O and timer threads. */
    private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jceph-map-wait");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts listening: every MOSDMap goes to the keeper (once, through the session's listener),
     * and the monmap and central-config subscriptions are made. Call {@link #awaitFirstMap} next.
     *
     * @param mon the monitor session
     * @param ticker the clock map waits read
     */
    public MonClient(MonLink mon, Ticker ticker) {
        this.mon = java.util.Objects.requireNonNull(mon, "mon");
        this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
        this.keeper = new MapKeeper(new MapKeeper.MapSource() {
            @Override
            public void requestFullMap() {
                mon.subscribeOsdMap(0, false); // from 0: the monitor answers with its newest full map
            }

            @Override
            public void requestFrom(long epoch) {
                mon.subscribeOsdMap(epoch, false);
            }
        });
        // every MOSDMap reaches the keeper once, through this listener; the futures of
        // subscriptions only tell a waiter that one arrived (they complete after the listeners)
        mon.onOsdMap(keeper::offer);
        mon.onMessage(this::dispatch);
        MonMap first = mon.lastMonMap();
        monMap.set(first);
        mon.subscribe("monmap", first == null ? 0 : first.epoch() + 1);
        mon.subscribe("config", 0);
    }

    /**
     * The keeper of our OSDMap.
     *
     * @return it
     */
    public MapKeeper keeper() {
        return keeper;
    }

    /**
     * The current OSDMap.
     *
     * @return it, or null before the first
     */
    public OsdMap osdMap() {
        MapKeeper.Snapshot s = keeper.current();
        return s == null ? null : s.map();
    }

    /**
     * An executor for blocking monitor work (map waits), off the I/O and timer threads.
     *
     * @return it; shut down by {@link #close()}
     */
    public Executor blockingExecutor() {
        return blocking;
    }

    /**
     * Subscribes to the osdmap (standing) and waits until the keeper has the first map.
     *
     * @param timeout how long at most; zero for as long as it takes
     * @throws IOException when the monitor's answer held no full map
     * @throws ExecutionException when the subscription failed
     * @throws TimeoutException when no map came in time
     * @throws InterruptedException when interrupted
     */
    public void awaitFirstMap(Duration timeout) throws IOException, ExecutionException, TimeoutException,
            InterruptedException {
        boolean unbounded = timeout.isZero();
        long start = ticker.nanoTime();
        CompletableFuture<OsdMapUpdate> firstMap = mon.subscribeOsdMap(0, false);
        OsdMapUpdate first = unbounded ? firstMap.get() : firstMap.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<MapKeeper.Snapshot> applied = keeper.sync();
        if (unbounded) {
            applied.get();
        } else {
            applied.get(Math.max(1, timeout.toMillis() - (ticker.nanoTime() - start) / 1_000_000), TimeUnit.MILLISECONDS);
        }
        if (keeper.current() == null) {
            throw new IOException("the monitor sent no full OSDMap: " + first);
        }
    }

    /**
     * Waits until the OSDMap satisfies {@code condition}, asking the monitor for newer maps
     * meanwhile (what MonClient's wait_for_latest_osdmap gives librados).
     *
     * @param condition what the map must satisfy
     * @param timeout how long to wait at most
     * @throws RadosException ETIMEDOUT when the map does not get there in time, EIO when the
     *         monitor session ended for good, EINTR when interrupted
     */
    public void waitForMap(Predicate<OsdMap> condition, Duration timeout) {
        long deadline = ticker.nanoTime() + timeout.toNanos();
        while (!condition.test(osdMap())) {
            if (ticker.nanoTime() > deadline) {
                throw RadosException.of(Errno.ETIMEDOUT.negative(),
                        "the OSDMap did not reach the expected state within " + timeout.toSeconds() + " s");
            }
            try {
                // the keeper applies what arrives (through the session's listener, before this
                // future completes); wait until it has, then test the condition again
                mon.subscribeOsdMap(osdMap().epoch() + 1, false).get(MAP_POLL_SECONDS, TimeUnit.SECONDS);
                keeper.sync().get(MAP_POLL_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // no newer map yet: ask again
            } catch (ExecutionException e) {
                // A fault of the monitor connection fails the waiting subscription, but the session
                // hunts and re-subscribes by itself: ask again once it is back, within the deadline.
                // Only a session that ended for good fails the wait.
                if (mon.closeFuture().isDone()) {
                    throw RadosException.of(Errno.EIO.negative(), "monitor session failed: " + e.getCause());
                }
                try {
                    mon.closeFuture().get(Math.max(1, Math.min(100, (deadline - ticker.nanoTime()) / 1_000_000)),
                            TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillHunting) {
                    // the session is reconnecting: ask again
                } catch (ExecutionException | java.util.concurrent.CancellationException ended) {
                    throw RadosException.of(Errno.EIO.negative(), "monitor session failed: " + e.getCause());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw RadosException.of(Errno.EINTR.negative(), "interrupted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RadosException.of(Errno.EINTR.negative(), "interrupted");
            }
        }
    }

    /**
     * Runs a monitor command.
     *
     * @param json the command
     * @param input its input
     * @return the monitor's answer, whatever its result code; the caller bounds the wait
     */
    public CompletableFuture<MonMessages.CommandReply> command(String json, byte[] input) {
        return mon.command(json, input);
    }

    /**
     * Sends a pool op (MPoolOp) to the monitor; the future completes once our map has the epoch
     * the monitor answered with (the map wait runs on {@link #blockingExecutor()}, never on the
     * I/O thread), and fails with the typed error the monitor answered.
     *
     * @param pool the pool's id
     * @param op the operation ({@link PoolOps#CREATE_SNAP}, ...)
     * @param snapId the snapshot id it concerns, or 0
     * @param name the snapshot name it concerns, or ""
     * @return the monitor's reply
     */
    public CompletableFuture<PoolOps.Reply> poolOp(long pool, int op, long snapId, String name) {
        OsdMap m = osdMap();
        Message req = PoolOps.request(m.fsid(), m.epoch(), pool, op, snapId, name);
        return mon.call(req, MessageType.POOLOP_REPLY).thenComposeAsync(reply -> {
            PoolOps.Reply r = PoolOps.decode(reply);
            if (r.code() < 0) {
                throw RadosException.of(r.code(), "pool op " + Integer.toHexString(op) + " on pool " + pool
                        + (name.isEmpty() ? "" : " (" + name + ")"));
            }
            long epoch = r.epoch();
            waitForMap(mm -> mm.epoch() >= epoch, POOL_OP_MAP_WAIT);
            return CompletableFuture.completedFuture(r);
        }, blocking);
    }

    private void dispatch(Message m) {
        MessageType type = MessageType.byNumber(m.type()).orElse(null);
        if (type == null) {
            return;
        }
        switch (type) {
            case MON_MAP -> {
                MonMap next = MonMessages.decodeMonMap(m);
                monMap.accumulateAndGet(next, (a, b) -> a == null || b.epoch() >= a.epoch() ? b : a);
            }
            case CONFIG -> {
                config.set(Map.copyOf(MonStatMessages.decodeConfig(m)));
                configUpdates.incrementAndGet();
            }
            case MON_GET_VERSION_REPLY -> {
                MonStatMessages.Version v = MonStatMessages.decodeVersion(m);
                CompletableFuture<MonStatMessages.Version> w = versionWaiters.remove(v.handle());
                if (w != null) {
                    w.complete(v);
                }
            }
            default -> {
            }
        }
    }

    /**
     * The newest monmap (kept current by a standing subscription).
     *
     * @return it
     */
    public MonMap monMap() {
        return monMap.get();
    }

    /**
     * The central config the monitors hold for us.
     *
     * @return the options by name
     */
    public Map<String, String> config() {
        return config.get();
    }

    /**
     * How many MConfig updates have arrived.
     *
     * @return how many
     */
    public long configUpdates() {
        return configUpdates.get();
    }

    /**
     * The newest epoch of {@code what} ("osdmap") the monitors have, and the oldest they keep.
     *
     * @param what the map
     * @param timeout how long to wait for the answer
     * @return the versions
     */
    public CompletableFuture<MonStatMessages.Version> version(String what, Duration timeout) {
        long handle = handles.incrementAndGet();
        CompletableFuture<MonStatMessages.Version> f = new CompletableFuture<>();
        versionWaiters.put(handle, f);
        f.whenComplete((v, e) -> versionWaiters.remove(handle));
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        mon.sendUntil(MonStatMessages.getVersion(handle, what), f); // resent on a new session until answered
        return f;
    }

    /**
     * Cluster capacity and object count (MStatfs).
     *
     * @return the answer; the caller bounds the wait
     */
    public CompletableFuture<ClusterStat> clusterStat() {
        return statsCall(MonStatMessages.statfs(mon.fsid(), lastSeenStatsVersion.get()), MessageType.STATFS_REPLY)
                .thenApply(MonStatMessages::decodeStatfs);
    }

    /**
     * Usage of the named pools (MGetPoolStats).
     *
     * @param pools the pools' names
     * @return each pool's usage by name; the caller bounds the wait
     */
    public CompletableFuture<Map<String, PoolStat>> poolStats(List<String> pools) {
        return statsCall(MonStatMessages.poolStats(mon.fsid(), pools, lastSeenStatsVersion.get()),
                MessageType.GETPOOLSTATSREPLY).thenApply(MonStatMessages::decodePoolStats);
    }

    /** Sends a stats request and keeps the newest stats version its reply names, for the next request. */
    private CompletableFuture<Message> statsCall(Message request, MessageType replyType) {
        return mon.call(request, replyType).thenApply(reply -> {
            lastSeenStatsVersion.accumulateAndGet(MonStatMessages.statsVersionOf(reply.type(), reply.front()), Math::max);
            return reply;
        });
    }

    /** Stops the keeper and the map waits, and closes the session. */
    @Override
    public void close() {
        keeper.close();
        blocking.shutdownNow();
        mon.close();
    }
}
