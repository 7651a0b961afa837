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
    private final Map<Long, CompletableFuture<OsdOpMessages.Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong tids = new AtomicLong();

    private RadosClient(CephConfig config, Messenger messenger, MonSession mon, Duration opTimeout) {
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
        }
    }

    /** Runs {@code ops} on one object, at the acting primary of its placement group. */
    CompletableFuture<OsdOpMessages.Reply> submit(long poolId, String oid, List<OsdOp> ops, long snapId,
            org.jceph.encoding.types.SnapContext snapContext) {
        Placement p = placement.get();
        OsdMap m = p.map();
        PgId raw = p.objectToRawPg(poolId, oid, "", "");
        Placement.Result target = p.pgToUpActing(raw);
        int primary = target.actingPrimary();
        if (primary < 0) {
            return CompletableFuture.failedFuture(new RadosException(-11, "pg " + target.pg() + " has no acting primary"));
        }
        long tid = tids.incrementAndGet();
        Message msg = OsdOpMessages.encode(new OsdOpMessages.Request(tid, target.pg(), raw.seed(), m.epoch(), oid,
                new ObjectLocator(poolId, "", ""), ops, UTime.of(java.time.Instant.now()), CephFeature.CLIENT_SUPPORTED,
                snapId, snapContext));
        CompletableFuture<OsdOpMessages.Reply> reply = new CompletableFuture<>();
        pending.put(tid, reply);
        session(primary, m).thenCompose(c -> c.send(msg)).whenComplete((ok, err) -> {
            if (err != null) {
                fail(tid, err);
            }
        });
        return reply.orTimeout(opTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(tid));
    }

    private void fail(long tid, Throwable err) {
        CompletableFuture<OsdOpMessages.Reply> f = pending.remove(tid);
        if (f != null) {
            f.completeExceptionally(err);
        }
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
            f.thenAccept(c -> c.closeFuture().whenComplete((ok, err) -> osdSessions.remove(osd, f)));
            return f;
        });
    }

    private void onOsdMessage(Message m) {
        if (m.type() == OsdOpMessages.MSG_OSD_OPREPLY) {
            OsdOpMessages.Reply r = OsdOpMessages.decode(m);
            CompletableFuture<OsdOpMessages.Reply> f = pending.remove(r.tid());
            if (f != null) {
                f.complete(r);
            }
        }
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
        pending.values().forEach(f -> f.completeExceptionally(new RadosException(-108, "client closed")));
        mon.close();
        messenger.close();
    }
}
