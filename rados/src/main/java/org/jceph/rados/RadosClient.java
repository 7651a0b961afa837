package org.jceph.rados;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonSession;
import org.jceph.messenger.mon.OsdMapUpdate;
import org.jceph.messenger.v2.ConnectionMode;
import org.jceph.osdmap.Incremental;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.Placement;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;

/**
 * A RADOS client: a monitor session for maps, and a session per OSD to which ops go directly.
 * Each op's target is computed on the client from the current OSDMap (object → pg → CRUSH → up
 * → acting primary) and sent to that OSD as MOSDOp v8.
 *
 * <p>This first slice sends each op once: a connection fault or a timeout fails the op (no
 * resend on map changes yet), and osdmap updates are applied as they arrive.
 */
public final class RadosClient implements AutoCloseable {
    private final CephConfig config;
    private final Messenger messenger;
    private final MonSession mon;
    private final Duration opTimeout;
    private final AtomicReference<OsdMap> map = new AtomicReference<>();
    private final AtomicReference<Placement> placement = new AtomicReference<>();
    private final Map<Integer, CompletableFuture<Connection>> osdSessions = new ConcurrentHashMap<>();
    private final Map<Long, Op> pending = new ConcurrentHashMap<>();
    private static final Duration RETRY_DELAY = Duration.ofMillis(500);
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jceph-objecter-timer");
                t.setDaemon(true);
                return t;
            });
    private final AtomicLong tids = new AtomicLong();
    private volatile boolean legacyOpEncoding;
    /** OSDMap flags the Objecter obeys (src/include/rados.h CEPH_OSDMAP_*). */
    private static final long MAP_FLAG_FULL = 1 << 1;
    private static final long MAP_FLAG_PAUSERD = 1 << 2;
    private static final long MAP_FLAG_PAUSEWR = 1 << 3;

    private RadosClient(CephConfig config, Messenger messenger, MonSession mon, Duration opTimeout) {
        this.inflightOps = new java.util.concurrent.Semaphore(Integer.parseInt(config.get("objecter_inflight_ops", "1024")));
        this.maxInflightBytes = (int) Math.min(Integer.MAX_VALUE,
                Long.parseLong(config.get("objecter_inflight_op_bytes", String.valueOf(100L << 20))));
        this.inflightBytes = new java.util.concurrent.Semaphore(maxInflightBytes);
        this.config = config;
        this.messenger = messenger;
        this.mon = mon;
        this.opTimeout = opTimeout;
    }

    /** Connects to the cluster {@code config} names and waits for the first OSDMap. */
    public static RadosClient connect(CephConfig config) throws IOException {
        Messenger messenger = Messenger.forConfig(config);
        MonSession mon;
        try {
            mon = MonSession.connect(config, messenger);
        } catch (IOException | RuntimeException e) {
            messenger.close();
            throw e;
        }
        RadosClient c = new RadosClient(config, messenger, mon, Duration.ofSeconds(
                Long.parseLong(config.get("rados_osd_op_timeout", "30"))));
        try {
            mon.onOsdMap(c::applyUpdate);
            OsdMapUpdate first = mon.subscribeOsdMap(0, false).get(config.connectTimeout().toMillis() * 3,
                    TimeUnit.MILLISECONDS);
            c.applyUpdate(first);
            if (c.map.get() == null) {
                throw new IOException("the monitor sent no full OSDMap: " + first);
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
     */
    public void useLegacyOpEncoding(boolean legacy) {
        this.legacyOpEncoding = legacy;
    }

    /** The current OSDMap snapshot. */
    public OsdMap osdMap() {
        return map.get();
    }

    /** The I/O context of pool {@code name}. */
    /** The I/O context of pool {@code id}. */
    public IoCtx ioCtx(long poolId) {
        String name = map.get().poolNames().get(poolId);
        if (name == null) {
            throw RadosException.of(-2, "pool " + poolId);
        }
        return new IoCtx(this, poolId, name);
    }

    public IoCtx ioCtx(String pool) {
        OsdMap m = map.get();
        for (Map.Entry<Long, String> e : m.poolNames().entrySet()) {
            if (e.getValue().equals(pool)) {
                return new IoCtx(this, e.getKey(), pool);
            }
        }
        throw RadosException.of(-2, "pool " + pool);
    }

    private synchronized void applyUpdate(OsdMapUpdate u) {
        OsdMap current = map.get();
        if (!u.fullMaps().isEmpty()) {
            Map.Entry<Long, byte[]> newest = u.fullMaps().entrySet().stream().reduce((a, b) -> b).orElseThrow();
            if (current == null || newest.getKey() > current.epoch()) {
                current = OsdMapCodec.decode(newest.getValue());
            }
        }
        for (Map.Entry<Long, byte[]> inc : u.incrementalMaps().entrySet()) {
            if (current != null && inc.getKey() == current.epoch() + 1) {
                current = Incremental.decode(inc.getValue()).applyTo(current);
            }
        }
        if (current != null && current != map.get()) {
            map.set(current);
            placement.set(new Placement(current));
            retarget();
        }
    }

    /**
     * One op in flight. It keeps its tid across resends (the OSD's pg log recognises a replayed
     * write by client and tid), counting attempts in retry_attempt; a reply to an older attempt is
     * ignored.
     */
    private final class Op {
        final long tid = tids.incrementAndGet();
        final long poolId;
        final String oid;
        final String namespace;
        final String key;
        /** For pg ops (listing): the pg's seed; the op goes to that pg, not to an object's. */
        final long pgSeed;
        final List<OsdOp> ops;
        final long snapId;
        final SnapContext snapContext;
        final CompletableFuture<OsdOpMessages.Reply> future = new CompletableFuture<>();
        final long deadline;
        int attempt = -1;
        int osd = -1;
        Placement.Result target;
        /** The map epoch and the pool's pg_num / pg_num_pending when the op was last sent. */
        long sentEpoch;
        long sentPgNum;
        long sentPgNumPending;

        Op(long poolId, String oid, String namespace, String key, long pgSeed, List<OsdOp> ops, long snapId,
                SnapContext snapContext) {
            this.poolId = poolId;
            this.oid = oid;
            this.namespace = namespace;
            this.key = key;
            this.pgSeed = pgSeed;
            this.ops = ops;
            this.snapId = snapId;
            this.snapContext = snapContext;
            this.deadline = System.nanoTime() + opTimeout.toNanos();
        }
    }

    /** Runs {@code ops} on one object, at the acting primary of its placement group. */
    CompletableFuture<OsdOpMessages.Reply> submit(long poolId, String namespace, String key, String oid, List<OsdOp> ops,
            long snapId, SnapContext snapContext) {
        return submit(new Op(poolId, oid, namespace, key, -1, ops, snapId, snapContext));
    }

    /** Runs pg ops (PGNLS) on placement group {@code seed} of the pool. */
    CompletableFuture<OsdOpMessages.Reply> submitToPg(long poolId, String namespace, long seed, List<OsdOp> ops) {
        return submit(new Op(poolId, "", namespace, "", seed, ops, OsdOpMessages.NOSNAP, SnapContext.EMPTY));
    }

    /**
     * The in-flight budget (librados' objecter_inflight_ops / objecter_inflight_op_bytes): a
     * caller beyond it waits (back-pressure) up to the op timeout, then fails with ETIMEDOUT; no
     * queue grows without bound.
     */
    private final java.util.concurrent.Semaphore inflightOps;
    private final java.util.concurrent.Semaphore inflightBytes;
    private final int maxInflightBytes;

    /** Ops admitted and not yet completed (within the in-flight budget). */
    public int opsInFlight() {
        return pending.size();
    }

    private CompletableFuture<OsdOpMessages.Reply> submit(Op op) {
        int bytes = (int) Math.min(maxInflightBytes, op.ops.stream().mapToLong(o -> o.input().length).sum());
        try {
            if (!inflightOps.tryAcquire(opTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new RadosException(-110, "in-flight op budget exhausted for "
                        + opTimeout.toSeconds() + " s"));
            }
            if (!inflightBytes.tryAcquire(bytes, opTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                inflightOps.release();
                return CompletableFuture.failedFuture(new RadosException(-110, "in-flight byte budget exhausted for "
                        + opTimeout.toSeconds() + " s"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new RadosException(-4, "interrupted"));
        }
        op.future.whenComplete((r, e) -> {
            inflightOps.release();
            inflightBytes.release(bytes);
        });
        pending.put(op.tid, op);
        send(op);
        return op.future.orTimeout(opTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(op.tid));
    }

    /**
     * (Re)computes the op's target from the current map and sends it there. With no usable
     * primary the op waits for the next map; a deleted pool fails it with ENOENT.
     */
    private void send(Op op) {
        Message msg;
        int primary;
        synchronized (op) {
            if (op.future.isDone()) {
                return;
            }
            Placement p = placement.get();
            OsdMap m = p.map();
            if (m.pool(op.poolId) == null) {
                op.future.completeExceptionally(RadosException.of(-2, "pool " + op.poolId + " was deleted"));
                return;
            }
            boolean writes = op.ops.stream().anyMatch(OsdOp::writes);
            org.jceph.osdmap.PgPool pool = m.pool(op.poolId);
            if (writes && pool.hasFlag(org.jceph.osdmap.PgPool.FLAG_FULL_QUOTA)) {
                op.future.completeExceptionally(RadosException.of(-122, "pool " + op.poolId + " is at its quota"));
                return;
            }
            long flags = m.flags();
            boolean paused = writes ? (flags & (MAP_FLAG_PAUSEWR | MAP_FLAG_FULL)) != 0
                    || pool.hasFlag(org.jceph.osdmap.PgPool.FLAG_FULL) : (flags & MAP_FLAG_PAUSERD) != 0;
            if (paused) {
                op.osd = -1; // held until a map lifts pause/full; the op's deadline still runs
                op.target = null;
                return;
            }
            PgId raw = rawPg(p, op);
            Placement.Result target = p.pgToUpActing(raw);
            op.target = target;
            primary = target.actingPrimary();
            op.osd = primary;
            if (primary < 0 || !m.isUp(primary)) {
                op.osd = -1; // parked until a map gives the pg a primary
                return;
            }
            op.attempt++;
            op.sentEpoch = m.epoch();
            op.sentPgNum = pool.pgNum();
            op.sentPgNumPending = pool.pgNumPending();
            OsdOpMessages.Request request = new OsdOpMessages.Request(op.tid, target.pg(), raw.seed(), m.epoch(), op.oid,
                    new ObjectLocator(op.poolId, op.key, op.namespace), op.ops, UTime.of(java.time.Instant.now()),
                    CephFeature.CLIENT_SUPPORTED, op.snapId, op.snapContext, op.attempt);
            msg = legacyOpEncoding ? OsdOpMessages.encodeLegacyV1(request) : OsdOpMessages.encode(request);
        }
        CompletableFuture<Connection> sessionFuture = session(primary, placement.get().map());
        CompletableFuture<Void> written = new CompletableFuture<>();
        // Messages to one OSD leave in the order they were sent here, even while its session is
        // still connecting (a future's dependents would otherwise run in no guaranteed order), so
        // ops on one object keep their submission order, as librados guarantees.
        sendTails.compute(primary, (osd, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .handle((x, y) -> null).thenCombine(sessionFuture, (x, c) -> c).handle((c, err) -> {
                    if (err != null) {
                        written.completeExceptionally(err);
                    } else {
                        c.send(msg).whenComplete((ok, e) -> {
                            if (e != null) {
                                written.completeExceptionally(e);
                            } else {
                                written.complete(null);
                            }
                        });
                    }
                    return null;
                }));
        written.whenComplete((ok, err) -> {
            if (err != null) {
                retryLater(op);
            }
        });
    }

    /** Per OSD: the point after which the next message may be handed to its session (see send). */
    private final Map<Integer, CompletableFuture<Void>> sendTails = new ConcurrentHashMap<>();

    private static PgId rawPg(Placement p, Op op) {
        return op.pgSeed >= 0 ? new PgId(op.poolId, op.pgSeed) : p.objectToRawPg(op.poolId, op.oid, op.key, op.namespace);
    }

    /** After a connection failure: try again shortly (the map may not show the OSD down yet). */
    private void retryLater(Op op) {
        if (op.future.isDone()) {
            return;
        }
        if (System.nanoTime() > op.deadline) {
            op.future.completeExceptionally(new RadosException(-110, "no reply within " + opTimeout.toSeconds() + " s"));
            return;
        }
        timer.schedule(() -> send(op), RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new map: resend every op whose target moved (primary, acting set or pg), or that was parked. */
    private void retarget() {
        Placement p = placement.get();
        for (Linger l : lingers.values()) {
            // Any new interval of the watch's pg (primary, acting set, pg or pg_num) makes the OSD drop
            // the watch's connection (on_change): it waits for WATCH_OP_RECONNECT, as Objecter sends.
            if (l.osd >= 0 && (primaryOf(l.io, l.oid) != l.osd || !intervalOf(l.io, l.oid).equals(l.interval))) {
                timer.execute(() -> reconnect(l));
            }
        }
        for (Op op : pending.values()) {
            Placement.Result before;
            boolean splitOrForced;
            org.jceph.osdmap.PgPool pool = p.map().pool(op.poolId);
            synchronized (op) {
                before = op.target;
                // OSDs silently drop ops sent before a split or merge of their pg or before the pool's
                // last_force_op_resend (PG::can_discard_op): such ops must be sent again.
                splitOrForced = pool != null && (pool.pgNum() != op.sentPgNum
                        || pool.pgNumPending() != op.sentPgNumPending || pool.lastForceOpResend() > op.sentEpoch);
            }
            if (op.osd < 0 || before == null) {
                send(op);
                continue;
            }
            if (p.map().pool(op.poolId) == null) {
                send(op); // fails it with ENOENT
                continue;
            }
            Placement.Result now = p.pgToUpActing(rawPg(p, op));
            if (splitOrForced || now.actingPrimary() != before.actingPrimary() || !now.acting().equals(before.acting())
                    || !now.pg().equals(before.pg())) {
                send(op);
            }
        }
    }

    private void onSessionFault(int osd) {
        for (Op op : pending.values()) {
            if (op.osd == osd) {
                retryLater(op);
            }
        }
        for (Linger l : lingers.values()) {
            if (l.osd == osd) {
                timer.schedule(() -> reconnect(l), RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * A registered watch: re-sent (WATCH_OP_RECONNECT) when the session to its OSD fails or the
     * object's primary changes, so notifications keep coming after faults and OSD restarts.
     */
    final class Linger {
        final IoCtx io;
        final String oid;
        final long cookie;
        volatile int osd = -1;
        /** The OSD no longer knows the watch: the next attempt registers it again (WATCH, not RECONNECT). */
        volatile boolean expired;
        /** {@link #intervalOf} when the watch was last (re)registered. */
        volatile String interval = "";

        Linger(IoCtx io, String oid, long cookie) {
            this.io = io;
            this.oid = oid;
            this.cookie = cookie;
        }
    }

    final Map<Long, Linger> lingers = new ConcurrentHashMap<>();

    /** Where the linger's object lives now. */
    int primaryOf(IoCtx io, String oid) {
        Placement p = placement.get();
        return p.pgToUpActing(p.objectToRawPg(io.poolId(), oid, io.locatorKey(), io.namespace())).actingPrimary();
    }

    /** The object's pg interval as far as a watch cares: pg, acting set and primary, pool pg_num. */
    String intervalOf(IoCtx io, String oid) {
        Placement p = placement.get();
        Placement.Result r = p.pgToUpActing(p.objectToRawPg(io.poolId(), oid, io.locatorKey(), io.namespace()));
        org.jceph.osdmap.PgPool pool = p.map().pool(io.poolId());
        return r.pg() + " " + r.acting() + " " + r.actingPrimary() + " " + (pool == null ? -1 : pool.pgNum());
    }

    private void reconnect(Linger l) {
        if (!lingers.containsKey(l.cookie)) {
            return;
        }
        int target = primaryOf(l.io, l.oid);
        String interval = intervalOf(l.io, l.oid);
        l.io.reconnectWatch(l).whenComplete((r, e) -> {
            if (e == null) {
                l.osd = target;
                l.interval = interval;
                l.expired = false;
            } else if (lingers.containsKey(l.cookie)) {
                Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof RadosException re && re.errno() == -107) {
                    // ENOTCONN: the OSD timed the watch out (disconnected longer than its timeout); a
                    // reconnect can never succeed, so register it afresh (notifies meanwhile are lost).
                    l.expired = true;
                }
                timer.schedule(() -> reconnect(l), RETRY_DELAY.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        });
    }

    private CompletableFuture<Connection> session(int osd, OsdMap m) {
        return osdSessions.compute(osd, (id, existing) -> {
            if (existing != null && !(existing.isDone() && (existing.isCompletedExceptionally()
                    || existing.join().closeFuture().isDone()))) {
                return existing;
            }
            EntityAddrVec addrs = m.clientAddrs().get(osd);
            EntityAddr v2 = addrs == null ? null : addrs.first(EntityAddr.TYPE_MSGR2);
            if (v2 == null) {
                return CompletableFuture.failedFuture(new ConnectionException("osd." + osd + " has no msgr2 address in epoch "
                        + m.epoch()));
            }
            ServiceTicket ticket = mon.connection().serviceTickets().get(EntityName.TYPE_OSD);
            List<ConnectionMode> modes = config.clientModes().stream().map(ConnectionMode::parse).toList();
            CompletableFuture<Connection> f = messenger.connectToService(v2, EntityName.TYPE_OSD, config.name(), ticket,
                    mon.connection().globalId(), modes, config.connectTimeout(), this::onOsdMessage);
            f.thenAccept(c -> c.closeFuture().whenComplete((ok, err) -> {
                osdSessions.remove(osd, f);
                if (err != null) {
                    onSessionFault(osd);
                }
            }));
            return f;
        });
    }

    private void onOsdMessage(Message m) {
        if (m.type() == OsdOpMessages.MSG_OSD_OPREPLY) {
            OsdOpMessages.Reply r = OsdOpMessages.decode(m);
            Op op = pending.get(r.tid());
            if (op == null) {
                return;
            }
            synchronized (op) {
                if (r.retryAttempt() < op.attempt) {
                    return; // an answer to a send we have since replaced
                }
            }
            pending.remove(r.tid());
            op.future.complete(r);
        } else if (m.type() == org.jceph.messenger.mon.MonMessages.MSG_OSD_MAP) {
            // OSDs share newer maps with clients whose ops carried an older epoch
            OsdMapUpdate u = org.jceph.messenger.mon.MonMessages.decodeOsdMap(m);
            timer.execute(() -> {
                applyUpdate(u);
                OsdMap now = map.get();
                long newest = Math.max(u.fullMaps().isEmpty() ? 0 : u.fullMaps().lastKey(),
                        u.incrementalMaps().isEmpty() ? 0 : u.incrementalMaps().lastKey());
                if (now != null && newest > now.epoch()) {
                    mon.subscribeOsdMap(now.epoch() + 1, false); // a gap: ask the monitor for the rest
                }
            });
        } else if (m.type() == WatchNotify.MSG_WATCH_NOTIFY) {
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
    final AtomicLong cookies = new AtomicLong(System.nanoTime() & 0xFFFFFFFFL);

    // ---- monitor commands and pools -------------------------------------------------------

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Runs a monitor command given as JSON ({@code {"prefix":"df","format":"json"}}) and returns
     * its output; a negative result becomes the typed {@link RadosException} with the monitor's
     * status text.
     */
    public String monCommand(String json) {
        org.jceph.messenger.mon.MonMessages.CommandReply r = await(mon.command(json, new byte[0]));
        if (r.result() < 0) {
            throw RadosException.of(r.result(), "mon command " + json + ": " + r.status());
        }
        return r.outputText();
    }

    /** A monitor command built from key/value pairs, with JSON output parsed. */
    public com.fasterxml.jackson.databind.JsonNode monCommandJson(Map<String, Object> args) {
        try {
            Map<String, Object> all = new java.util.LinkedHashMap<>(args);
            all.putIfAbsent("format", "json");
            String out = monCommand(JSON.writeValueAsString(all));
            return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RadosException(-5, "unreadable monitor output: " + e.getOriginalMessage());
        }
    }

    /** Creates a replicated pool and waits until our map has it. */
    public long createPool(String name, int pgNum) {
        monCommandJson(Map.of("prefix", "osd pool create", "pool", name, "pg_num", pgNum));
        waitForMap(m -> m.poolNames().containsValue(name), Duration.ofSeconds(60));
        return poolId(name);
    }

    /** Deletes a pool (the monitor must allow it) and waits until our map no longer has it. */
    public void deletePool(String name) {
        monCommandJson(Map.of("prefix", "osd pool delete", "pool", name, "pool2", name,
                "yes_i_really_really_mean_it", true));
        waitForMap(m -> !m.poolNames().containsValue(name), Duration.ofSeconds(60));
    }

    public void enableApplication(String pool, String app) {
        monCommandJson(Map.of("prefix", "osd pool application enable", "pool", pool, "app", app,
                "yes_i_really_mean_it", true));
    }

    /** Pool names by id, from the current map. */
    public java.util.SortedMap<Long, String> listPools() {
        return new java.util.TreeMap<>(map.get().poolNames());
    }

    public long poolId(String name) {
        for (Map.Entry<Long, String> e : map.get().poolNames().entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        throw RadosException.of(-2, "pool " + name);
    }

    /** The cluster fsid. */
    public java.util.UUID fsid() {
        return map.get().fsid();
    }

    /** Our client instance id (the global id the monitor gave us), as librados' get_instance_id. */
    public long instanceId() {
        return mon.connection().globalId();
    }

    /**
     * Waits until the OSDMap satisfies {@code condition}, asking the monitor for newer maps
     * meanwhile (what MonClient's wait_for_latest_osdmap gives librados).
     */
    public void waitForMap(java.util.function.Predicate<OsdMap> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(map.get())) {
            if (System.nanoTime() > deadline) {
                throw new RadosException(-110, "the OSDMap did not reach the expected state within " + timeout.toSeconds() + " s");
            }
            try {
                applyUpdate(mon.subscribeOsdMap(map.get().epoch() + 1, false).get(2, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                // no newer map yet: ask again
            } catch (ExecutionException e) {
                throw new RadosException(-5, "monitor session failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RadosException(-4, "interrupted");
            }
        }
    }

    // ---- snapshots through the monitor (MPoolOp) ------------------------------------------

    private org.jceph.rados.internal.PoolOps.Reply poolOp(long pool, int op, long snapId, String name) {
        Message req = org.jceph.rados.internal.PoolOps.request(fsid(), map.get().epoch(), pool, op, snapId, name);
        Message m = await(mon.call(req, org.jceph.rados.internal.PoolOps.MSG_POOLOP_REPLY));
        org.jceph.rados.internal.PoolOps.Reply r = org.jceph.rados.internal.PoolOps.decode(m);
        if (r.code() < 0) {
            throw RadosException.of(r.code(), "pool op " + Integer.toHexString(op) + " on pool " + pool
                    + (name.isEmpty() ? "" : " (" + name + ")"));
        }
        long epoch = r.epoch();
        waitForMap(mm -> mm.epoch() >= epoch, Duration.ofSeconds(30));
        return r;
    }

    /** Creates pool snapshot {@code name} (rados mksnap) and waits until our map shows it. */
    public void createPoolSnap(long pool, String name) {
        poolOp(pool, org.jceph.rados.internal.PoolOps.CREATE_SNAP, 0, name);
    }

    public void removePoolSnap(long pool, String name) {
        poolOp(pool, org.jceph.rados.internal.PoolOps.DELETE_SNAP, 0, name);
    }

    /** Allocates a self-managed snapshot id (librados selfmanaged_snap_create). */
    public long createSelfManagedSnap(long pool) {
        byte[] data = poolOp(pool, org.jceph.rados.internal.PoolOps.CREATE_UNMANAGED_SNAP, 0, "").data();
        return org.jceph.encoding.CephDecoder.of(data, "snapid").readU64Le();
    }

    public void removeSelfManagedSnap(long pool, long snapId) {
        poolOp(pool, org.jceph.rados.internal.PoolOps.DELETE_UNMANAGED_SNAP, snapId, "");
    }

    /** Waits for {@code f} at most the op timeout plus a second, unwrapping the failure. */
    <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(opTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof TimeoutException) {
                throw new RadosException(-110, "no reply within " + opTimeout.toSeconds() + " s");
            }
            throw new RadosException(-5, String.valueOf(c));
        } catch (TimeoutException e) {
            throw new RadosException(-110, "no reply within " + opTimeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RadosException(-4, "interrupted");
        }
    }

    @Override
    public void close() {
        osdSessions.values().forEach(f -> f.thenAccept(Connection::close));
        pending.values().forEach(op -> op.future.completeExceptionally(new RadosException(-108, "client closed")));
        timer.shutdownNow();
        notifyExecutor.shutdownNow();
        mon.close();
        messenger.close();
    }
}
