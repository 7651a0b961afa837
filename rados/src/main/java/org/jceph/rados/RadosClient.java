package org.jceph.rados;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonSession;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.Placement;
import org.jceph.rados.internal.DaemonCommands;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.Ticker;
import org.jceph.rados.internal.mon.MapKeeper;
import org.jceph.rados.internal.mon.MonClient;
import org.jceph.rados.internal.objecter.LingerManager;
import org.jceph.rados.internal.objecter.MessengerTransport;
import org.jceph.rados.internal.objecter.Objecter;
import org.jceph.rados.internal.objecter.Scheduler;
import org.jceph.rados.internal.objecter.Target;

/**
 * A RADOS client, as librados' Rados: a monitor session for maps and commands, and a session per
 * OSD to which ops go directly. Each op's target is computed on the client from the current
 * OSDMap (object → pg → CRUSH → up → acting primary) and sent to that OSD as MOSDOp v8; an op is
 * resent, keeping its tid, when its target's interval changes, its session faults, or the OSD
 * lifts a backoff, until it completes or its timeout ends it.
 *
 * <p>Connect with {@link #connect(CephConfig)}, then work on objects through an {@link IoCtx}
 * per pool ({@link #ioCtx(String)}). A client is safe to use from several threads. Futures of
 * ops never complete on the messenger's I/O thread: they complete on the client's completion
 * executor, by default one thread per client ({@code jceph-completion}, as librados' finisher),
 * so completions arrive in the order the replies did; {@link #connect(CephConfig, Executor)}
 * takes an executor of your own instead. A blocking jceph call made on the default completion
 * thread would wait for itself, and is refused with an {@link IllegalStateException}.
 *
 * <p>Timeouts follow librados: rados_osd_op_timeout bounds each OSD op from submission to reply
 * across resends, rados_mon_op_timeout each monitor command, client_mount_timeout the connect;
 * 0 means no timeout. {@link #close()} is idempotent and first closes what was registered with
 * {@link #registerDependent} (open RBD images), then removes the watches still registered.
 *
 * <p>Structure: this class is the facade over the parts that do the work. The
 * {@link org.jceph.rados.internal.objecter.Objecter} owns the op table, the in-flight budget, the
 * OSD sessions, resends, backoffs, redirects and timeouts; the
 * {@link org.jceph.rados.internal.objecter.LingerManager} keeps watches registered; the
 * {@link org.jceph.rados.internal.mon.MonClient} and its MapKeeper own subscriptions, maps, monitor
 * commands, pool ops and stats; {@link org.jceph.rados.internal.DaemonCommands} the OSD and mgr
 * commands. All share one {@link org.jceph.rados.internal.objecter.Scheduler} (time and delayed
 * work). Its length (over the project's ~600-line guide) is the documented public surface of
 * librados' Rados: some sixty public methods (pools, quotas, applications, snapshots, commands,
 * stats, metrics) whose bodies are a few lines each.
 */
public final class RadosClient implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RadosClient.class);
    /** The client's counters (see {@link #metrics()}); registered as an MXBean while open. */
    private final RadosMetrics metrics = new RadosMetrics(this);
    /** The MXBean's name, or null when it is not registered. */
    private volatile javax.management.ObjectName jmxName;
    private final CephConfig config;
    private final Messenger messenger;
    private final MonSession mon;
    private final Duration opTimeout;
    private final Duration monOpTimeout;
    /** Subscriptions, map waits, monitor commands, pool ops and stats. */
    private final MonClient monClient;
    /** The monitor client's keeper: applies each OSDMap update once, on its own thread, and publishes immutable snapshots. */
    private final MapKeeper keeper;
    /** The op path: the op table, the in-flight budget, OSD sessions, resends, backoffs, timeouts. */
    private final Objecter objecter;
    /** The clock and delayed work: retries, the timeout tick, watch pings, command expiry. */
    private final Scheduler scheduler;

    /** Where op futures complete: {@link #ownCompletions} or the user's executor. */
    private final java.util.concurrent.Executor completions;
    /** The default completion executor, or null when the user gave one (which we never shut down). */
    private final java.util.concurrent.ExecutorService ownCompletions;
    /** Marks the default completion threads, on which a blocking call would wait for itself. */
    private static final ThreadLocal<Boolean> ON_COMPLETION_THREAD = new ThreadLocal<>();
    private static final AtomicLong COMPLETION_THREADS = new AtomicLong();

    /** The clock every deadline, latency and op timestamp is read from (injected: tests move it by hand). */
    private final Ticker ticker;

    private RadosClient(CephConfig config, Messenger messenger, MonSession mon, Duration opTimeout,
            Duration monOpTimeout, java.util.concurrent.Executor completionExecutor, Ticker ticker) {
        this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
        this.cookies = new AtomicLong(ticker.nanoTime() & 0xFFFFFFFFL);
        if (completionExecutor != null) {
            this.completions = completionExecutor;
            this.ownCompletions = null;
        } else {
            this.ownCompletions = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(() -> {
                    ON_COMPLETION_THREAD.set(Boolean.TRUE);
                    r.run();
                }, "jceph-completion-" + COMPLETION_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.completions = ownCompletions;
        }
        int maxOps = Integer.parseInt(config.get("objecter_inflight_ops", "1024"));
        int maxBytes = (int) Math.min(Integer.MAX_VALUE,
                Long.parseLong(config.get("objecter_inflight_op_bytes", String.valueOf(100L << 20))));
        this.scheduler = Scheduler.system("jceph-objecter-timer");
        this.config = config;
        this.messenger = messenger;
        this.mon = mon;
        this.opTimeout = opTimeout;
        this.monOpTimeout = monOpTimeout;
        this.monClient = new MonClient(mon, ticker);
        this.keeper = monClient.keeper();
        this.objecter = new Objecter(LOG, new MessengerTransport(messenger, mon, config), scheduler,
                () -> keeper.current().placement(), completions, objecterEvents(),
                new Objecter.Limits(maxOps, maxBytes, opTimeout), this::onOsdMessage);
        this.commands = new DaemonCommands(messenger, mon, config,
                () -> activeMgrAddr(monCommand(Map.of("prefix", "mgr dump")), config.useMsgr2()),
                this::fsid, scheduler, monOpTimeout);
        this.lingerManager = new LingerManager(LOG, scheduler, () -> keeper.current().placement(), objecter::sessionFaults,
                watchOps(), metrics::watchReconnected);
        this.lingers = lingerManager.view();
        objecter.onFault(lingerManager::onFault);
        keeper.onNewMap(s -> retarget());
    }

    /**
     * Connects to the cluster {@code config} names and waits for the first OSDMap, at most
     * client_mount_timeout (0: as long as it takes). Only what {@code config} holds is used:
     * build it with {@link CephConfig#builder()} to connect without reading any file, or from a
     * ceph.conf with {@code CephConfig.fromEnvironment("-c", path)}.
     *
     * @param config the cluster's monitors, our name and key, and the options
     * @return the connected client; close it when done
     * @throws IOException when no monitor could be reached, our key was refused, or no OSDMap came
     */
    public static RadosClient connect(CephConfig config) throws IOException {
        return connect(config, null);
    }

    /**
     * Connects as {@link #connect(CephConfig)} does, with op futures completing on
     * {@code completionExecutor} (and so every stage chained to them running there, unless it
     * names its own executor). Completions are handed to it in the order the replies arrive; an
     * executor with several threads may run them in another order. The client never shuts it down.
     *
     * @param config the cluster's monitors, our name and key, and the options
     * @param completionExecutor where op futures complete; null for the default, one thread per client
     * @return the connected client; close it when done
     * @throws IOException when no monitor could be reached, our key was refused, or no OSDMap came
     */
    public static RadosClient connect(CephConfig config, java.util.concurrent.Executor completionExecutor)
            throws IOException {
        java.util.Objects.requireNonNull(config, "config");
        Messenger messenger = Messenger.forConfig(config);
        MonSession mon;
        try {
            mon = MonSession.connect(config, messenger);
        } catch (IOException | RuntimeException e) {
            messenger.close();
            throw e;
        }
        RadosClient c;
        try {
            c = new RadosClient(config, messenger, mon, Timeouts.option(config, "rados_osd_op_timeout", "30"),
                    Timeouts.option(config, "rados_mon_op_timeout", "30"), completionExecutor, Ticker.SYSTEM);
        } catch (IllegalArgumentException e) {
            mon.close();
            messenger.close();
            throw e;
        }
        try {
            c.monClient.awaitFirstMap(Timeouts.option(config, "client_mount_timeout", "300"));
            if (Boolean.parseBoolean(config.get("jceph_metrics_jmx", "true"))) {
                c.registerMBean();
            }
            return c;
        } catch (ExecutionException | TimeoutException e) {
            c.close();
            throw new IOException("no OSDMap from the monitor: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Sends MOSDOp in the packed 2010 encoding (header version 1) instead of v8. An experiment for
     * conformance work: see docs/LEGACY-MOSDOP.md for what a Pacific OSD does with it.
     *
     * @param legacy true for the 2010 encoding, false for v8 (the default)
     */
    public void useLegacyOpEncoding(boolean legacy) {
        objecter.useLegacyOpEncoding(legacy);
    }

    /**
     * The current OSDMap snapshot.
     *
     * @return the newest map this client has (immutable)
     */
    public OsdMap osdMap() {
        MapKeeper.Snapshot s = keeper.current();
        return s == null ? null : s.map();
    }

    /** The current placement calculator (over {@link #osdMap()}). */
    private Placement placement() {
        return keeper.current().placement();
    }

    /**
     * The client's metrics, live (the same numbers its MXBean shows over JMX).
     *
     * @return the metrics
     */
    public RadosMetrics metrics() {
        return metrics;
    }

    /**
     * The name of the client's MXBean in the platform MBean server, while it is registered.
     *
     * @return the name, or empty when JMX is off (jceph_metrics_jmx = false), registration failed,
     *         or the client is closed
     */
    public java.util.Optional<javax.management.ObjectName> mbeanName() {
        return java.util.Optional.ofNullable(jmxName);
    }

    /**
     * Registers the MXBean as org.jceph:type=RadosClient,name=ENTITY.GLOBALID. A failure (no
     * permission, a name taken) is logged and otherwise ignored: metrics are not worth a failed
     * connect.
     */
    private void registerMBean() {
        try {
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "org.jceph:type=RadosClient,name=" + metricsId());
            java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(metrics, name);
            jmxName = name;
            LOG.debug("registered MXBean {}", name);
        } catch (javax.management.JMException | RuntimeException | LinkageError e) {
            LOG.warn("could not register the client's MXBean: {}", e.toString());
        }
    }

    private void unregisterMBean() {
        javax.management.ObjectName name = jmxName;
        jmxName = null;
        if (name == null) {
            return;
        }
        try {
            java.lang.management.ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (javax.management.JMException | RuntimeException e) {
            LOG.debug("could not unregister MXBean {}: {}", name, e.toString());
        }
    }

    /** ENTITY.GLOBALID, the name of the client's MXBean and metrics. */
    String metricsId() {
        return (config.name() + "." + instanceId()).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Payload bytes of the ops in flight, as the in-flight byte budget counts them. */
    long bytesInFlight() {
        return objecter.bytesInFlight();
    }

    /** The OSDs a session is open to now, ascending. */
    int[] openOsdSessions() {
        return objecter.openSessions();
    }

    /**
     * The I/O context of a pool, by id.
     *
     * @param poolId the pool's id
     * @return a new context on the pool's default namespace
     * @throws RadosException.PoolNotFoundException when the current map has no such pool
     * @throws RadosException.ClientClosedException when the client is closed
     */
    public IoCtx ioCtx(long poolId) {
        checkOpen("ioCtx");
        String name = osdMap().poolNames().get(poolId);
        if (name == null) {
            throw new RadosException.PoolNotFoundException(String.valueOf(poolId));
        }
        return new IoCtx(this, poolId, name);
    }

    /**
     * The I/O context of a pool, by name (librados' ioctx_create).
     *
     * @param pool the pool's name
     * @return a new context on the pool's default namespace
     * @throws RadosException.PoolNotFoundException when the current map has no such pool
     * @throws RadosException.ClientClosedException when the client is closed
     */
    public IoCtx ioCtx(String pool) {
        java.util.Objects.requireNonNull(pool, "pool");
        checkOpen("ioCtx");
        return new IoCtx(this, poolId(pool), pool);
    }

    /**
     * How our OSDMap was kept current.
     *
     * @param fullMaps full maps decoded
     * @param incrementals incrementals applied
     * @param crcMismatches incrementals whose result failed its CRC check
     * @param fullMapRequests full maps asked for after a mismatch
     */
    public record MapStats(long fullMaps, long incrementals, long crcMismatches, long fullMapRequests) {
    }

    /**
     * How the OSDMap was kept current so far.
     *
     * @return the counters
     */
    public MapStats mapStats() {
        MapKeeper.Counters c = keeper.counters();
        return new MapStats(c.fullMaps(), c.incrementals(), c.crcMismatches(), c.fullMapRequests());
    }

    /**
     * Fault injection for tests: from now on every incremental is treated as failing its CRC check,
     * as if our map had diverged from the cluster's, until a full map replaces ours. A real
     * divergence behaves the same way: a second copy of an incremental (monitors resend when a
     * subscription is renewed) fails again, so only a full map can end it.
     */
    void injectDivergence() {
        keeper.injectDivergence();
    }

    /** Runs {@code ops} on one object, at the acting primary of its placement group. */
    CompletableFuture<OsdOpMessages.Reply> submit(long poolId, String namespace, String key, String oid, List<OsdOp> ops,
            long snapId, SnapContext snapContext) {
        return submit(poolId, namespace, key, oid, ops, snapId, snapContext, null);
    }

    /** As above with its own whole-operation timeout ({@code null}: rados_osd_op_timeout). */
    CompletableFuture<OsdOpMessages.Reply> submit(long poolId, String namespace, String key, String oid, List<OsdOp> ops,
            long snapId, SnapContext snapContext, Duration timeout) {
        return submit(poolId, namespace, key, oid, ops, snapId, snapContext, timeout, null);
    }

    /** As above, one read step's output delivered into {@code sink}'s buffer (null: none). */
    CompletableFuture<OsdOpMessages.Reply> submit(long poolId, String namespace, String key, String oid, List<OsdOp> ops,
            long snapId, SnapContext snapContext, Duration timeout, org.jceph.rados.internal.ReadInto sink) {
        return objecter.submit(new Objecter.Request(poolId, namespace, key, oid, -1, ops, snapId, snapContext, timeout,
                sink));
    }

    /** Runs pg ops (PGNLS) on placement group {@code seed} of the pool. */
    CompletableFuture<OsdOpMessages.Reply> submitToPg(long poolId, String namespace, long seed, List<OsdOp> ops) {
        return objecter.submit(new Objecter.Request(poolId, namespace, "", "", seed, ops, OsdOpMessages.NOSNAP,
                SnapContext.EMPTY, null));
    }

    /**
     * Ops admitted and not yet completed (within the in-flight budget).
     *
     * @return how many
     */
    public int opsInFlight() {
        return objecter.opsInFlight();
    }

    /** The Objecter's reports, into the client's metrics. */
    private Objecter.Events objecterEvents() {
        return new Objecter.Events() {
            @Override
            public void opStarted(RadosMetrics.OpType type) {
                metrics.opStarted(type);
            }

            @Override
            public void opCompleted(RadosMetrics.OpType type, long nanos, boolean failed) {
                metrics.opCompleted(type, nanos, failed);
            }

            @Override
            public void opTimedOut() {
                metrics.opTimedOut();
            }

            @Override
            public void resent(RadosMetrics.ResendReason why) {
                metrics.resent(why);
            }

            @Override
            public void sessionOpened() {
                metrics.sessionOpened();
            }

            @Override
            public void sessionFaulted() {
                metrics.sessionFaulted();
            }
        };
    }

    /**
     * Counters for tests and operators: how often the OSDs pushed back, and what we did about it.
     *
     * @param backoffBlocks MOSDBackoff blocks received
     * @param backoffUnblocks MOSDBackoff unblocks received
     * @param opsHeldByBackoff ops held back by a block
     * @param opsCancelled ops cancelled through their futures
     * @param redirectsFollowed redirects followed
     * @param activeBackoffs blocks in force now
     */
    public record Stats(long backoffBlocks, long backoffUnblocks, long opsHeldByBackoff, long opsCancelled,
            long redirectsFollowed, int activeBackoffs) {
    }

    /**
     * How often the OSDs pushed back (backoffs, redirects) and how many ops were cancelled.
     *
     * @return the counters
     */
    public Stats stats() {
        Objecter.Counters c = objecter.counters();
        return new Stats(c.backoffBlocks(), c.backoffUnblocks(), c.opsHeldByBackoff(), c.opsCancelled(),
                c.redirectsFollowed(), c.activeBackoffs());
    }

    /** Objecter::_calc_target: an EC pool's op goes to the primary's shard (see {@link Target#primaryShard}). */
    static int primaryShard(org.jceph.osdmap.PgPool pool, Placement.Result target) {
        return Target.primaryShard(pool, target);
    }

    /** A new map: the watches whose pg's interval changed are registered again, then the Objecter resends its ops. */
    private void retarget() {
        lingerManager.onNewMap();
        objecter.onNewMap();
    }

    long sessionFaults(int osd) {
        return objecter.sessionFaults(osd);
    }

    /** Commands to OSDs and the mgr (MCommand, MMgrCommand) and the mgr's session. */
    private final DaemonCommands commands;

    /** The watches this client keeps registered (and the wait for notify completions). */
    final LingerManager lingerManager;
    /** The registered watches by cookie, a read-only live view. */
    final Map<Long, LingerManager.Linger> lingers;

    /** Where {@code oid} of {@code io} lives now: its pg's acting primary. */
    int primaryOf(IoCtx io, String oid) {
        Placement p = placement();
        return p.pgToUpActing(p.objectToRawPg(io.poolId(), oid, io.locatorKey(), io.namespace())).actingPrimary();
    }

    /** What the linger manager sends: watch pings and re-registrations, through the watch's I/O context. */
    private LingerManager.WatchOps watchOps() {
        return new LingerManager.WatchOps() {
            @Override
            public CompletableFuture<?> ping(LingerManager.Linger l) {
                return ((IoCtx) l.owner()).pingWatch(l);
            }

            @Override
            public CompletableFuture<?> reconnect(LingerManager.Linger l) {
                return ((IoCtx) l.owner()).reconnectWatch(l);
            }
        };
    }

    /** OSD messages the Objecter leaves to the client: command replies, maps, watch events. */
    private void onOsdMessage(Message m) {
        if (MessageType.COMMAND_REPLY.is(m.type())) {
            commands.onReply(m);
        } else if (MessageType.OSD_MAP.is(m.type())) {
            // OSDs share newer maps with clients whose ops carried an older epoch
            // applied on the keeper's thread, which asks the monitor for the rest after a gap
            keeper.offerFromOsd(org.jceph.messenger.mon.MonMessages.decodeOsdMap(m));
        } else if (MessageType.WATCH_NOTIFY.is(m.type())) {
            WatchNotify.Event ev = WatchNotify.decode(m);
            java.util.function.Consumer<WatchNotify.Event> l = watchListeners.get(ev.cookie());
            if (l != null) {
                notifyExecutor.execute(() -> l.accept(ev));
            }
        }
    }

    /** Who hears MWatchNotify events, by watch or notify cookie; run off the I/O thread. */
    final Map<Long, java.util.function.Consumer<WatchNotify.Event>> watchListeners = new ConcurrentHashMap<>();
    final java.util.concurrent.ExecutorService notifyExecutor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jceph-watch-notify");
        t.setDaemon(true);
        return t;
    });
    /** Watch and notify cookies; the first is seeded from the clock, as before. */
    final AtomicLong cookies;

    /** The client's clock. */
    Ticker ticker() {
        return ticker;
    }

    // ---- monitor commands and pools -------------------------------------------------------

    /**
     * Runs a monitor command given as JSON ({@code {"prefix":"df","format":"json"}}) and returns
     * its output; a negative result becomes the typed {@link RadosException} with the monitor's
     * status text. Waits at most rados_mon_op_timeout.
     *
     * @param json the command
     * @return the command's output as text
     */
    public String monCommand(String json) {
        Args.notNull(json, "json");
        checkOpen("mon command");
        org.jceph.messenger.mon.MonMessages.CommandReply r = awaitMon(monClient.command(json, new byte[0]));
        if (r.result() < 0) {
            throw RadosException.of(r.result(), "mon command " + json + ": " + r.status());
        }
        return r.outputText();
    }

    /**
     * Runs a monitor command built from key/value pairs (strings, numbers, booleans and lists of
     * them), asking for JSON output ({@code "format": "json"} unless {@code args} says otherwise).
     * Needs no JSON library.
     *
     * @param args the command's arguments, {@code "prefix"} first
     * @return the command's output as text
     */
    public String monCommand(Map<String, ?> args) {
        Args.notNull(args, "args");
        Map<String, Object> all = new java.util.LinkedHashMap<>(args);
        all.putIfAbsent("format", "json");
        return monCommand(MonCommandJson.encode(all));
    }

    /**
     * A monitor command built from key/value pairs, with its JSON output parsed. This is the one
     * method that needs Jackson (jackson-databind), an optional dependency: add it to use this.
     *
     * @param args the command's arguments, {@code "prefix"} first
     * @return the parsed output (an empty object for no output)
     */
    public com.fasterxml.jackson.databind.JsonNode monCommandJson(Map<String, Object> args) {
        return MonCommandJson.parse(monCommand(args));
    }

    /**
     * Creates a replicated pool and waits until our map has it.
     *
     * @param name the pool's name
     * @param pgNum its number of placement groups
     * @return its id
     */
    public long createPool(String name, int pgNum) {
        monCommand(Map.of("prefix", "osd pool create", "pool", name, "pg_num", pgNum));
        waitForMap(m -> m.poolNames().containsValue(name), Duration.ofSeconds(60));
        return poolId(name);
    }

    /**
     * Sets (or replaces) an erasure-code profile (osd erasure-code-profile set) and waits until our
     * map has it.
     *
     * @param name the profile's name
     * @param params its parameters, such as {@code k=2, m=1, crush-failure-domain=osd}
     */
    public void setErasureCodeProfile(String name, Map<String, String> params) {
        Args.notNull(name, "name");
        Args.notNull(params, "params");
        List<String> profile = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        monCommand(Map.of("prefix", "osd erasure-code-profile set", "name", name, "profile", profile, "force", true));
        waitForMap(m -> m.erasureCodeProfiles() != null && m.erasureCodeProfiles().containsKey(name), mapWait());
    }

    /**
     * The erasure-code profiles the cluster has, by name, from our map.
     *
     * @return each profile's parameters by profile name
     */
    public Map<String, Map<String, String>> erasureCodeProfiles() {
        Map<String, Map<String, String>> p = osdMap().erasureCodeProfiles();
        return p == null ? Map.of() : Map.copyOf(p);
    }

    /**
     * Creates an erasure-coded pool with profile {@code profile} and waits until our map has it.
     *
     * @param name the pool's name
     * @param pgNum its number of placement groups, positive
     * @param profile the erasure-code profile (see {@link #setErasureCodeProfile}); "default" is the cluster's
     * @return its id
     */
    public long createErasurePool(String name, int pgNum, String profile) {
        Args.notNull(name, "name");
        Args.notNull(profile, "profile");
        if (pgNum <= 0) {
            throw new IllegalArgumentException("pgNum must be positive: " + pgNum);
        }
        monCommand(Map.of("prefix", "osd pool create", "pool", name, "pg_num", pgNum, "pgp_num", pgNum,
                "pool_type", "erasure", "erasure_code_profile", profile));
        waitForMap(m -> m.poolNames().containsValue(name), Duration.ofSeconds(60));
        return poolId(name);
    }

    /**
     * A pool's quotas (librados has no call for them; the rados and ceph tools use these commands).
     *
     * @param maxObjects the most objects, 0 for no limit
     * @param maxBytes the most bytes, 0 for no limit
     */
    public record PoolQuota(long maxObjects, long maxBytes) {
        /**
         * A quota; both limits are non-negative.
         *
         * @param maxObjects the most objects, 0 for no limit
         * @param maxBytes the most bytes, 0 for no limit
         */
        public PoolQuota {
            Args.nonNegative(maxObjects, "maxObjects");
            Args.nonNegative(maxBytes, "maxBytes");
        }
    }

    /**
     * Sets a pool's quotas (osd pool set-quota) and waits until our map shows them. Writes past a
     * quota then fail with {@link RadosException.NoSpaceException} (EDQUOT) once the monitors
     * mark the pool full.
     *
     * @param pool the pool's name
     * @param quota the limits, 0 for none
     */
    public void setPoolQuota(String pool, PoolQuota quota) {
        Args.notNull(pool, "pool");
        Args.notNull(quota, "quota");
        long id = poolId(pool);
        monCommand(Map.of("prefix", "osd pool set-quota", "pool", pool, "field", "max_objects",
                "val", Long.toString(quota.maxObjects())));
        monCommand(Map.of("prefix", "osd pool set-quota", "pool", pool, "field", "max_bytes",
                "val", Long.toString(quota.maxBytes())));
        waitForMap(m -> m.pool(id) != null && m.pool(id).quotaMaxObjects() == quota.maxObjects()
                && m.pool(id).quotaMaxBytes() == quota.maxBytes(), mapWait());
    }

    /**
     * A pool's quotas, from our map.
     *
     * @param pool the pool's name
     * @return the quotas (0 for no limit)
     */
    public PoolQuota poolQuota(String pool) {
        org.jceph.osdmap.PgPool p = osdMap().pool(poolId(Args.notNull(pool, "pool")));
        return new PoolQuota(p.quotaMaxObjects(), p.quotaMaxBytes());
    }

    /**
     * The applications a pool is tagged with (librados' application_list), from our map.
     *
     * @param pool the pool's name
     * @return the applications' names
     */
    public java.util.SortedSet<String> applications(String pool) {
        org.jceph.osdmap.PgPool p = osdMap().pool(poolId(Args.notNull(pool, "pool")));
        return new java.util.TreeSet<>(p.applicationMetadata().keySet());
    }

    /**
     * An application's metadata on a pool (librados' application_metadata_list), from our map.
     *
     * @param pool the pool's name
     * @param app the application
     * @return its keys and values (empty when it has none)
     * @throws RadosException.NotFoundException when the pool is not tagged with {@code app}
     */
    public java.util.SortedMap<String, String> applicationMetadata(String pool, String app) {
        Args.notNull(app, "app");
        org.jceph.osdmap.PgPool p = osdMap().pool(poolId(Args.notNull(pool, "pool")));
        Map<String, String> md = p.applicationMetadata().get(app);
        if (md == null) {
            throw new RadosException.NotFoundException("application '" + app + "' on pool '" + pool + "'");
        }
        return new java.util.TreeMap<>(md);
    }

    /**
     * Sets a key of an application's metadata on a pool (librados' application_metadata_set) and
     * waits until our map shows it. The pool must be tagged with the application.
     *
     * @param pool the pool's name
     * @param app the application
     * @param key the key
     * @param value the value
     */
    public void applicationMetadataSet(String pool, String app, String key, String value) {
        Args.notNull(app, "app");
        Args.notNull(key, "key");
        Args.notNull(value, "value");
        long id = poolId(Args.notNull(pool, "pool"));
        monCommand(Map.of("prefix", "osd pool application set", "pool", pool, "app", app, "key", key, "value", value));
        waitForMap(m -> m.pool(id) != null && value.equals(m.pool(id).applicationMetadata()
                .getOrDefault(app, Map.of()).get(key)), mapWait());
    }

    /**
     * Removes a key of an application's metadata on a pool (librados' application_metadata_remove)
     * and waits until our map no longer shows it.
     *
     * @param pool the pool's name
     * @param app the application
     * @param key the key
     */
    public void applicationMetadataRemove(String pool, String app, String key) {
        Args.notNull(app, "app");
        Args.notNull(key, "key");
        long id = poolId(Args.notNull(pool, "pool"));
        monCommand(Map.of("prefix", "osd pool application rm", "pool", pool, "app", app, "key", key));
        waitForMap(m -> m.pool(id) != null && !m.pool(id).applicationMetadata()
                .getOrDefault(app, Map.of()).containsKey(key), mapWait());
    }

    /** How long a pool-management call waits for the map to show its change. */
    private Duration mapWait() {
        return Timeouts.isNone(monOpTimeout) ? Duration.ofSeconds(60) : monOpTimeout;
    }

    /**
     * Runs a command on one OSD (librados' osd_command, what {@code ceph tell osd.N} sends): an
     * MCommand over our session to that OSD, answered by MCommandReply; the OSD runs it as an
     * admin-socket command ({@code version}, {@code status}, {@code perf dump}, ...). Waits at most
     * rados_mon_op_timeout.
     *
     * @param osd the OSD's id
     * @param json the command, such as {@code {"prefix":"version"}}
     * @return the command's output as text
     * @throws RadosException the typed error the OSD answered, with its status text
     */
    public String osdCommand(int osd, String json) {
        return awaitMon(osdCommandAsync(osd, json, new byte[0]));
    }

    /**
     * {@link #osdCommand} without blocking, with an input.
     *
     * @param osd the OSD's id
     * @param json the command
     * @param input the command's input (empty for none)
     * @return a future of the command's output as text; it fails with the typed error the OSD answered
     */
    public CompletableFuture<String> osdCommandAsync(int osd, String json, byte[] input) {
        Args.notNull(json, "json");
        Args.notNull(input, "input");
        checkOpen("osd command");
        OsdMap m = osdMap();
        if (osd < 0 || osd >= m.clientAddrs().size() || !m.isUp(osd)) {
            throw new RadosException.NotFoundException("osd." + osd + " (not up in epoch " + m.epoch() + ")");
        }
        return onCompletionExecutor(objecter.link(osd, m).thenCompose(c -> commands.send(c::send, MessageType.COMMAND, "osd." + osd, json, input)));
    }

    /**
     * {@code f} as a future that completes on the completion executor, as op futures do (command
     * replies arrive on the I/O thread); cancelling it cancels {@code f}.
     */
    <T> CompletableFuture<T> onCompletionExecutor(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            Runnable done = () -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            };
            try {
                completions.execute(done);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                done.run();
            }
        });
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                f.cancel(false);
            }
        });
        return out;
    }

    /**
     * Runs a command on the active manager (librados' mgr_command, what {@code ceph} sends for mgr
     * commands such as {@code pg stat}): an MMgrCommand over a session to the active mgr,
     * whose address comes from the monitors' {@code mgr dump}. Waits at most rados_mon_op_timeout.
     *
     * @param json the command, such as {@code {"prefix":"balancer status"}}
     * @return the command's output as text
     * @throws RadosException the typed error the mgr answered, with its status text; ENOENT when no mgr is active
     */
    public String mgrCommand(String json) {
        return awaitMon(mgrCommandAsync(json, new byte[0]));
    }

    /**
     * {@link #mgrCommand} without blocking, with an input.
     *
     * @param json the command
     * @param input the command's input (empty for none)
     * @return a future of the command's output as text
     */
    public CompletableFuture<String> mgrCommandAsync(String json, byte[] input) {
        Args.notNull(json, "json");
        Args.notNull(input, "input");
        checkOpen("mgr command");
        // the first call (and one after the mgr session failed) looks the active mgr up with a
        // monitor command: off the caller's and the I/O thread
        return onCompletionExecutor(CompletableFuture.supplyAsync(commands::mgrConnection, monClient.blockingExecutor()).thenCompose(f -> f)
                .thenCompose(c -> commands.send(c::send, MessageType.MGR_COMMAND, "mgr", json, input)));
    }

    /**
     * The active mgr's address of the wanted kind (v2, or v1 with ms_jceph_force_msgr1) from the
     * JSON of {@code mgr dump} ("active_addrs": {"addrvec": [{"type", "addr", "nonce"}...]}).
     */
    static EntityAddr activeMgrAddr(String dump, boolean v2) {
        int at = dump.indexOf("\"active_addrs\"");
        if (at < 0) {
            throw new RadosException.NotFoundException("the active mgr (mgr dump has no active_addrs)");
        }
        int end = dump.indexOf(']', at);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\{\\s*\"type\"\\s*:\\s*\"(v1|v2)\"\\s*,\\s*\"addr\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"nonce\"\\s*:\\s*(\\d+)")
                .matcher(dump.substring(at, end < 0 ? dump.length() : end));
        while (m.find()) {
            if (m.group(1).equals(v2 ? "v2" : "v1")) {
                String hostPort = m.group(2);
                int colon = hostPort.lastIndexOf(':');
                String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
                int port = Integer.parseInt(hostPort.substring(colon + 1));
                if (port == 0) {
                    break; // 0.0.0.0:0 when no mgr is active
                }
                return EntityAddr.of(v2 ? EntityAddr.TYPE_MSGR2 : EntityAddr.TYPE_LEGACY, Long.parseLong(m.group(3)),
                        new java.net.InetSocketAddress(host, port));
            }
        }
        throw new RadosException.NotFoundException("the active mgr (no " + (v2 ? "v2" : "v1") + " address in mgr dump)");
    }


    /**
     * Deletes a pool (the monitors must allow it: mon_allow_pool_delete) and waits until our map no
     * longer has it.
     *
     * @param name the pool's name
     */
    public void deletePool(String name) {
        monCommand(Map.of("prefix", "osd pool delete", "pool", name, "pool2", name,
                "yes_i_really_really_mean_it", true));
        waitForMap(m -> !m.poolNames().containsValue(name), Duration.ofSeconds(60));
    }

    /**
     * Tags a pool with the application that uses it (osd pool application enable) and waits until
     * our map shows the tag, as librados' application_enable waits for the latest map: a following
     * {@link #applications} or {@link #applicationMetadataSet} sees it.
     *
     * @param pool the pool's name
     * @param app the application, such as "rbd" or "rados"
     */
    public void enableApplication(String pool, String app) {
        Args.notNull(app, "app");
        long id = poolId(Args.notNull(pool, "pool"));
        monCommand(Map.of("prefix", "osd pool application enable", "pool", pool, "app", app,
                "yes_i_really_mean_it", true));
        waitForMap(m -> m.pool(id) != null && m.pool(id).applicationMetadata().containsKey(app), mapWait());
    }

    /**
     * Pool names by id, from the current map.
     *
     * @return the names by id
     */
    public java.util.SortedMap<Long, String> listPools() {
        return new java.util.TreeMap<>(osdMap().poolNames());
    }

    /**
     * The id of a pool, from the current map.
     *
     * @param name the pool's name
     * @return its id
     * @throws RadosException.PoolNotFoundException when there is no such pool
     */
    public long poolId(String name) {
        for (Map.Entry<Long, String> e : osdMap().poolNames().entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        throw new RadosException.PoolNotFoundException(name);
    }

    /**
     * Waits until our OSDMap is at least the newest the monitors have (asked with MMonGetVersion),
     * as librados' wait_for_latest_osdmap.
     *
     * @param timeout how long to wait at most
     * @return the monitors' newest epoch
     */
    public long waitForLatestOsdMap(Duration timeout) {
        long newest = await(monClient.version("osdmap", timeout), timeout).newest();
        waitForMap(m -> m.epoch() >= newest, timeout);
        return newest;
    }

    /**
     * Cluster capacity and object count (MStatfs), as rados_cluster_stat.
     *
     * @return the capacity and object count
     */
    public ClusterStat clusterStat() {
        return awaitMon(monClient.clusterStat());
    }

    /**
     * Usage of the named pools (MGetPoolStats), as rados_ioctx_pool_stat and rados df.
     *
     * @param pools the pools' names
     * @return each pool's usage, by name
     */
    public Map<String, PoolStat> poolStats(List<String> pools) {
        return awaitMon(monClient.poolStats(pools));
    }

    /**
     * The newest monmap (kept current by a standing subscription).
     *
     * @return the monmap
     */
    public org.jceph.messenger.mon.MonMap monMap() {
        return monClient.monMap();
    }

    /**
     * The configuration this client was connected with (ceph.conf, environment and arguments).
     *
     * @return the configuration
     */
    public CephConfig config() {
        return config;
    }

    /**
     * The central config the monitors hold for us (MConfig, kept current by a subscription).
     *
     * @return the options by name
     */
    public Map<String, String> centralConfig() {
        return monClient.config();
    }

    /**
     * How many MConfig updates have arrived.
     *
     * @return how many
     */
    public long centralConfigUpdates() {
        return monClient.configUpdates();
    }

    /**
     * The cluster's fsid.
     *
     * @return the fsid
     */
    public java.util.UUID fsid() {
        return osdMap().fsid();
    }

    /**
     * Our client instance id (the global id the monitor gave us), as librados' get_instance_id.
     *
     * @return the id: this client is client.ID to the cluster
     */
    public long instanceId() {
        return mon.connection().globalId();
    }

    /**
     * Waits until the OSDMap satisfies {@code condition}, asking the monitor for newer maps
     * meanwhile (what MonClient's wait_for_latest_osdmap gives librados).
     *
     * @param condition what the map must satisfy
     * @param timeout how long to wait at most
     * @throws RadosException.TimeoutException when the map does not get there in time
     */
    public void waitForMap(java.util.function.Predicate<OsdMap> condition, Duration timeout) {
        monClient.waitForMap(condition, timeout);
    }

    // ---- snapshots through the monitor (MPoolOp) ------------------------------------------

    private org.jceph.rados.internal.PoolOps.Reply poolOp(long pool, int op, long snapId, String name) {
        return awaitMon(poolOpAsync(pool, op, snapId, name));
    }

    /**
     * Sends a pool op to the monitor; the future completes once our map has the epoch the
     * monitor answered with (see {@link MonClient#poolOp}).
     */
    private CompletableFuture<org.jceph.rados.internal.PoolOps.Reply> poolOpAsync(long pool, int op, long snapId, String name) {
        return monClient.poolOp(pool, op, snapId, name);
    }

    CompletableFuture<Void> createPoolSnapAsync(long pool, String name) {
        return poolOpAsync(pool, org.jceph.rados.internal.PoolOps.CREATE_SNAP, 0, name).thenApply(r -> null);
    }

    CompletableFuture<Void> removePoolSnapAsync(long pool, String name) {
        return poolOpAsync(pool, org.jceph.rados.internal.PoolOps.DELETE_SNAP, 0, name).thenApply(r -> null);
    }

    CompletableFuture<Long> createSelfManagedSnapAsync(long pool) {
        return poolOpAsync(pool, org.jceph.rados.internal.PoolOps.CREATE_UNMANAGED_SNAP, 0, "")
                .thenApply(r -> org.jceph.encoding.CephDecoder.of(r.data(), "snapid").readU64Le());
    }

    CompletableFuture<Void> removeSelfManagedSnapAsync(long pool, long snapId) {
        return poolOpAsync(pool, org.jceph.rados.internal.PoolOps.DELETE_UNMANAGED_SNAP, snapId, "").thenApply(r -> null);
    }

    /**
     * Creates pool snapshot {@code name} (rados mksnap) and waits until our map shows it.
     *
     * @param pool the pool's id
     * @param name the snapshot's name
     */
    public void createPoolSnap(long pool, String name) {
        poolOp(pool, org.jceph.rados.internal.PoolOps.CREATE_SNAP, 0, name);
    }

    /**
     * Removes a pool snapshot and waits until our map no longer shows it.
     *
     * @param pool the pool's id
     * @param name the snapshot's name
     */
    public void removePoolSnap(long pool, String name) {
        poolOp(pool, org.jceph.rados.internal.PoolOps.DELETE_SNAP, 0, name);
    }

    /**
     * Allocates a self-managed snapshot id (librados selfmanaged_snap_create).
     *
     * @param pool the pool's id
     * @return the new snapshot id
     */
    public long createSelfManagedSnap(long pool) {
        byte[] data = poolOp(pool, org.jceph.rados.internal.PoolOps.CREATE_UNMANAGED_SNAP, 0, "").data();
        return org.jceph.encoding.CephDecoder.of(data, "snapid").readU64Le();
    }

    /**
     * Removes a self-managed snapshot (the OSDs then trim its clones).
     *
     * @param pool the pool's id
     * @param snapId the snapshot's id
     */
    public void removeSelfManagedSnap(long pool, long snapId) {
        poolOp(pool, org.jceph.rados.internal.PoolOps.DELETE_UNMANAGED_SNAP, snapId, "");
    }

    /** Waits for {@code f} at most the op timeout plus a second, unwrapping the failure. */
    <T> T await(CompletableFuture<T> f) {
        return await(f, opTimeout);
    }

    /** Waits for a monitor's answer at most rados_mon_op_timeout (0: as long as it takes). */
    <T> T awaitMon(CompletableFuture<T> f) {
        return await(f, monOpTimeout);
    }

    /**
     * Waits for {@code f} at most {@code timeout} plus a second (the op's own timer normally ends it
     * first), unwrapping the failure; on giving up the op is cancelled, so nothing is left queued.
     * A timeout of zero waits as long as it takes (the op's own timeout is then zero too).
     */
    <T> T await(CompletableFuture<T> f, Duration timeout) {
        checkNotOnCompletionThread(f);
        try {
            return Timeouts.isNone(timeout) ? f.get() : f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = RadosException.unwrap(e.getCause());
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof TimeoutException) {
                throw new RadosException.TimeoutException("no reply within " + timeout.toMillis() + " ms");
            }
            throw RadosException.of(Errno.EIO.negative(), String.valueOf(c));
        } catch (java.util.concurrent.CancellationException e) {
            throw new RadosException.CanceledException("the op was cancelled");
        } catch (TimeoutException e) {
            f.cancel(false);
            // the op's own timer should have ended it a second ago: say which wait gave up
            throw new RadosException.TimeoutException("no completion within " + (timeout.toMillis() + 1000)
                    + " ms (the op's own " + timeout.toMillis() + " ms timeout did not end it); cancelled; "
                    + objecter.opsInFlight() + " op(s) in flight");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw RadosException.of(Errno.EINTR.negative(), "interrupted while waiting for a reply");
        }
    }

    /**
     * The default whole-operation timeout of OSD ops (rados_osd_op_timeout, default 30 s here).
     *
     * @return the timeout, {@link Duration#ZERO} for none
     */
    public Duration opTimeout() {
        return opTimeout;
    }

    /**
     * The default timeout of monitor commands and pool operations (rados_mon_op_timeout, default
     * 30 s here; zero means none).
     *
     * @return the timeout, {@link Duration#ZERO} for none
     */
    public Duration monOpTimeout() {
        return monOpTimeout;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once the client is closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** Fails with {@link RadosException.ClientClosedException} when the client is closed. */
    void checkOpen(String what) {
        if (closed.get()) {
            throw new RadosException.ClientClosedException(what);
        }
    }

    /**
     * Registers a resource that must be closed before this client: {@code RbdImage} handles, for
     * example, give back their exclusive lock and drop their header watch then. Resources are
     * closed in the reverse order of registration.
     *
     * @param resource the resource; its {@code close()} may call {@link #unregisterDependent}
     * @throws RadosException.ClientClosedException when the client is closed already
     */
    public void registerDependent(AutoCloseable resource) {
        java.util.Objects.requireNonNull(resource, "resource");
        synchronized (dependents) {
            checkOpen("registering a dependent resource");
            dependents.add(resource);
        }
    }

    /**
     * Forgets a resource registered with {@link #registerDependent} (it was closed on its own).
     *
     * @param resource the resource
     */
    public void unregisterDependent(AutoCloseable resource) {
        synchronized (dependents) {
            dependents.remove(resource);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.LinkedHashSet<AutoCloseable> dependents = new java.util.LinkedHashSet<>();

    /**
     * Closes the client; calling it again does nothing. First the registered dependents are closed
     * (images give back their locks), then every watch this client still has is removed from its
     * OSD (each bounded by a few seconds), so that neither a lock nor a watcher outlives the
     * client on the cluster. Ops still in flight then fail with
     * {@link RadosException.ClientClosedException}, and the sessions are closed.
     */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (dependents) {
            if (closing) {
                return;
            }
            closing = true;
            toClose = new java.util.ArrayList<>(dependents);
            dependents.clear();
        }
        java.util.Collections.reverse(toClose);
        for (AutoCloseable r : toClose) {
            try {
                r.close();
            } catch (Exception e) {
                // best effort: the client goes away regardless; the OSDs expire what is left
            }
        }
        for (LingerManager.Linger l : lingerManager.all()) {
            try {
                ((IoCtx) l.owner()).unwatchOnClose(l);
            } catch (RuntimeException e) {
                // best effort, as above: the OSD times the watch out after its timeout
            }
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        unregisterMBean();
        lingerManager.close();
        objecter.close(); // its sessions, and the ops still in flight fail
        scheduler.close();
        notifyExecutor.shutdownNow();
        commands.close();
        if (ownCompletions != null) {
            ownCompletions.shutdown(); // the completions already handed over still run
        }
        monClient.close(); // its keeper, its map waits, and the monitor session
        messenger.close();
    }

    /**
     * Refuses to wait for {@code f} on a default completion thread: the wait would hold the very
     * thread that must complete it (or any op behind it), until the timeout.
     */
    static void checkNotOnCompletionThread(java.util.concurrent.Future<?> f) {
        if (!f.isDone() && Boolean.TRUE.equals(ON_COMPLETION_THREAD.get())) {
            throw new IllegalStateException("a blocking jceph call on " + Thread.currentThread().getName()
                    + " would wait for itself: chain the async form (thenCompose) or move the work to an executor of "
                    + "your own (thenApplyAsync(fn, executor))");
        }
    }

    /** Set by the first {@link #close()}; guarded by {@link #dependents}. */
    private boolean closing;
}
