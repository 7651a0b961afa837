package org.jceph.messenger.mon;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.v2.ConnectionMode;

/**
 * An authenticated, self-healing session with the monitors: fetches the monmap and subscribes to
 * maps. This is the messenger-level building block of a MonClient (commands, ticket renewal and
 * map bookkeeping belong to the rados module's MonClient).
 *
 * <p>Sessions are lossy. On a fault the session fails every pending request with the fault (the
 * caller resends), tells the fault listeners, and hunts again over all monitors with bounded
 * exponential backoff; once connected it re-sends the standing subscriptions (the osdmap from the
 * epoch after the last one received). It gives up after {@link ReconnectPolicy#giveUpAfter()}, or at
 * once when a monitor refuses our credentials, and then completes {@link #closeFuture()}
 * exceptionally.
 *
 * <pre>
 *   OPEN --fault--> HUNTING --connected--> OPEN (resubscribed)
 *                      |--auth refused / gave up--> FAILED
 *   any --close()--> CLOSED
 * </pre>
 * Listeners run on the messenger's I/O thread and must not block.
 */
public final class MonSession implements MonLink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MonSession.class);
    /** Backoff between rounds over all monitors, and the bound on hunting after a fault. */
    public record ReconnectPolicy(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {
        /** 100 ms doubling to mon_client_hunt_interval (3 s); give up after client_mount_timeout (300 s). */
        public static final ReconnectPolicy DEFAULT =
                new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(3), Duration.ofSeconds(300));
        /** Never reconnect: the first fault is final. */
        public static final ReconnectPolicy NEVER = new ReconnectPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO);

        Duration backoff(int round) {
            if (round == 0) {
                return Duration.ZERO;
            }
            long ms = initialBackoff.toMillis() << Math.min(round - 1, 20);
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }
    }

    /** client_mount_timeout = 0 means no limit, as in librados: hunt for a monitor for a century. */
    private static final Duration HUNT_WITHOUT_LIMIT = Duration.ofDays(36_525);

    private final List<EntityAddrVec> monitors;
    private final EntityName self;
    private final CryptoKey key;
    private final List<ConnectionMode> modes;
    private final Duration connectTimeout;
    private final Messenger messenger;
    private final ReconnectPolicy policy;
    /** Whether monitors are dialled on their v2 addresses (not ms_jceph_force_msgr1); else v1. */
    private volatile boolean msgr2 = true;

    private volatile Connection connection;
    private volatile boolean closed;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Map<String, long[]> standing = new TreeMap<>(); // guarded by itself
    private final ConcurrentLinkedQueue<CompletableFuture<MonMap>> monMapWaiters = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<OsdMapUpdate>> osdMapWaiters = new ConcurrentLinkedQueue<>();
    private final List<Consumer<OsdMapUpdate>> osdMapListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> faultListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Message>> messageListeners = new CopyOnWriteArrayList<>();
    private volatile MonMap lastMonMap;
    /** The cluster's fsid, from the first monmap or osdmap received: monitors refuse commands without it. */
    private volatile java.util.UUID fsid;
    private final Map<Long, PendingCommand> commands = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong commandTids = new java.util.concurrent.atomic.AtomicLong();

    private record PendingCommand(Message message, CompletableFuture<MonMessages.CommandReply> reply) {
    }

    /** Other requests answered by a reply of a known type with the request's tid (MPoolOp → MPoolOpReply). */
    private record PendingCall(Message message, MessageType replyType, CompletableFuture<Message> reply) {
    }

    private final Map<Long, PendingCall> calls = new java.util.concurrent.ConcurrentHashMap<>();
    private TicketRenewal renewal; // guarded by this; started with the first connection

    private MonSession(List<EntityAddrVec> monitors, EntityName self, CryptoKey key, List<ConnectionMode> modes,
                       Duration connectTimeout, Messenger messenger, ReconnectPolicy policy) {
        this.monitors = List.copyOf(monitors);
        this.self = self;
        this.key = key;
        this.modes = List.copyOf(modes);
        this.connectTimeout = connectTimeout;
        this.messenger = messenger;
        this.policy = policy;
    }

    /**
     * Connects to the first monitor of {@code config.monHosts()} that answers, over msgr2 in the
     * modes of {@code ms_mon_client_mode}, authenticating as {@code auth_client_required} says.
     * Each attempt is bounded by {@code ms_connection_ready_timeout}.
     *
     * @throws AuthenticationException at once when a monitor refuses our credentials (another
     *                                 monitor would refuse them too)
     * @throws ConnectionException     when no monitor could be reached, naming every address tried
     */
    public static MonSession connect(CephConfig config, Messenger messenger) throws IOException {
        // auth_client_required lists acceptable methods, preferred first.
        CryptoKey key = config.authClientRequired().get(0).equals("none") ? null : config.secret();
        List<ConnectionMode> modes = config.monClientModes().stream().map(ConnectionMode::parse).toList();
        return connect(config.monHosts(), config.name(), key, modes, config.connectTimeout(), messenger,
                new ReconnectPolicy(ReconnectPolicy.DEFAULT.initialBackoff(), ReconnectPolicy.DEFAULT.maxBackoff(),
                        config.mountTimeout().isZero() ? HUNT_WITHOUT_LIMIT : config.mountTimeout()),
                config.useMsgr2());
    }

    /** As {@link #connect(CephConfig, Messenger)}; {@code key} null means auth none. */
    public static MonSession connect(List<EntityAddrVec> monitors, EntityName self, CryptoKey key,
                                     List<ConnectionMode> modes, Duration connectTimeout, Messenger messenger,
                                     ReconnectPolicy policy) throws IOException {
        return connect(monitors, self, key, modes, connectTimeout, messenger, policy, true);
    }

    /**
     * As above; {@code msgr2} false (ms_jceph_force_msgr1) dials every monitor on its v1 address.
     * Either way a monitor that has only a v1 address is reached over msgr1.
     */
    public static MonSession connect(List<EntityAddrVec> monitors, EntityName self, CryptoKey key,
                                     List<ConnectionMode> modes, Duration connectTimeout, Messenger messenger,
                                     ReconnectPolicy policy, boolean msgr2) throws IOException {
        MonSession s = new MonSession(monitors, self, key, modes, connectTimeout, messenger, policy);
        s.msgr2 = msgr2;
        // the addresses themselves: formatted only if every monitor fails (a first address
        // formatted on every connect cost a short command a few ms of string-concat set-up)
        List<Object> tried = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (EntityAddrVec mon : monitors) {
            EntityAddr target = org.jceph.messenger.AddressPolicy.pick(mon, msgr2);
            if (target == null) {
                tried.add(mon);
                errors.add(mon + ": no " + org.jceph.messenger.AddressPolicy.wanted(msgr2));
                continue;
            }
            tried.add(target);
            CompletableFuture<Connection> f = s.attempt(target);
            try {
                s.opened(f.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
                return s;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException ae) {
                    throw s.explain(new AuthenticationException(ae.entity(), target.toString(), ae.reason(),
                            ae.errno()));
                }
                errors.add(e.getCause().getMessage());
            } catch (TimeoutException e) {
                f.cancel(true);
                errors.add(target + ": no session within " + connectTimeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionException("interrupted while connecting to " + target);
            }
        }
        throw new ConnectionException("could not reach any monitor; tried " + tried + ": " + errors);
    }

    private CompletableFuture<Connection> attempt(EntityAddr target) {
        return attempt(target, reclaim ? connection : null);
    }

    private CompletableFuture<Connection> attempt(EntityAddr target, Connection previous) {
        return messenger.connectToMonitor(target, self, key, modes, connectTimeout, this::dispatch, previous);
    }

    /**
     * Whether reconnects reclaim the previous session's global id (presenting its AUTH ticket).
     * Cleared when a monitor refuses the reclaim (an expired ticket): we then take a new id.
     */
    private volatile boolean reclaim = true;

    /** Adopts a new connection: watches it for faults and re-sends the standing subscriptions. */
    private void opened(Connection c) {
        connection = c;
        synchronized (this) {
            if (renewal == null && !closed) {
                renewal = new TicketRenewal(() -> connection, messenger.scheduler());
            }
        }
        reclaim = true;
        c.closeFuture().whenComplete((ok, err) -> {
            if (err != null) {
                onFault(err);
            }
        });
        Map<String, long[]> subs;
        synchronized (standing) {
            subs = new TreeMap<>(standing);
        }
        if (!subs.isEmpty()) {
            c.send(MonMessages.subscribe(subs, hostname()));
        }
        for (PendingCommand pc : commands.values()) {
            c.send(pc.message()); // a command the old connection lost: the monitor answers it once
        }
        for (PendingCall pc : calls.values()) {
            c.send(pc.message());
        }
        for (PendingRaw pr : raws.values()) {
            c.send(pr.message());
        }
    }

    private void onFault(Throwable err) {
        if (closed) {
            return;
        }
        Connection lost = connection;
        LOG.info("monitor session to {} faulted ({}); hunting for a monitor",
                lost == null ? "?" : lost.peerAddress(), unwrapCompletion(err).toString());
        failWaiters(err);
        faultListeners.forEach(l -> l.accept(err));
        hunt(0, System.nanoTime(), err);
    }

    /** One round over all monitors after {@code policy.backoff(round)}; bounded by giveUpAfter. */
    private void hunt(int round, long since, Throwable last) {
        if (closed) {
            return;
        }
        if (System.nanoTime() - since > policy.giveUpAfter().toNanos() || policy.giveUpAfter().isZero()) {
            LOG.warn("gave up hunting for a monitor after {} ms: {}", policy.giveUpAfter().toMillis(),
                    last.toString());
            terminate(new ConnectionException("lost the monitor session and gave up reconnecting after "
                    + policy.giveUpAfter().toMillis() + " ms; last error: " + last.getMessage(), last));
            return;
        }
        messenger.scheduler().schedule(() -> tryMonitor(0, round, since, last),
                policy.backoff(round).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tryMonitor(int index, int round, long since, Throwable last) {
        if (closed) {
            return;
        }
        if (index == monitors.size()) {
            LOG.debug("hunt round {}: no monitor answered; last error: {}", round, last.toString());
            hunt(round + 1, since, last);
            return;
        }
        EntityAddr target = org.jceph.messenger.AddressPolicy.pick(monitors.get(index), msgr2);
        if (target == null) {
            tryMonitor(index + 1, round, since, last);
            return;
        }
        attempt(target).whenComplete((c, err) -> {
            if (closed) {
                if (c != null) {
                    c.close();
                }
            } else if (err == null) {
                LOG.info("monitor session re-opened with {} after {} ms", target,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
                opened(c);
            } else if (unwrapCompletion(err) instanceof AuthenticationException && reclaim && connection != null) {
                reclaim = false; // the monitor would not let us keep our id: start afresh with a new one
                LOG.info("monitor {} refused to let us reclaim our global id; authenticating afresh", target);
                tryMonitor(index, round, since, err);
            } else if (unwrapCompletion(err) instanceof AuthenticationException ae) {
                LOG.warn("monitor {} refused our credentials while reconnecting: {}", target, ae.getMessage());
                terminate(explain(ae));
            } else {
                LOG.debug("monitor {} did not answer: {}", target, unwrapCompletion(err).toString());
                tryMonitor(index + 1, round, since, err);
            }
        });
    }

    private synchronized void stopRenewal() {
        if (renewal != null) {
            renewal.close();
        }
    }

    /** How many times this session renewed cephx tickets in place (MAuth), since it opened. */
    public synchronized long ticketRenewals() {
        return renewal == null ? 0 : renewal.renewed();
    }

    private static Throwable unwrapCompletion(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A refusal of our key, told apart from a wrong key when the last monitor map's cipher policy excludes it. */
    private AuthenticationException explain(AuthenticationException e) {
        if (key == null) {
            return e;
        }
        MonMap map = lastMonMap;
        return org.jceph.messenger.auth.CipherNotAllowedException.refine(e, key.type(),
                map == null ? List.of() : map.authAllowedCiphers());
    }

    private void terminate(Throwable cause) {
        closed = true;
        stopRenewal();
        failWaiters(cause);
        failCommandsAndCalls(cause);
        closeFuture.completeExceptionally(cause);
    }

    /** The session is over for good: nothing will resend them. */
    private void failCommandsAndCalls(Throwable cause) {
        commands.values().forEach(pc -> pc.reply().completeExceptionally(cause));
        calls.values().forEach(pc -> pc.reply().completeExceptionally(cause));
        raws.values().forEach(pr -> pr.until().completeExceptionally(cause));
    }

    /** Nobody waits forever on a dead session: pending requests fail with the fault. */
    private void failWaiters(Throwable cause) {
        // commands are not failed here: they are resent when the session reconnects
        CompletableFuture<MonMap> a;
        while ((a = monMapWaiters.poll()) != null) {
            a.completeExceptionally(cause);
        }
        CompletableFuture<OsdMapUpdate> b;
        while ((b = osdMapWaiters.poll()) != null) {
            b.completeExceptionally(cause);
        }
    }

    private void dispatch(Message m) {
        MessageType type = MessageType.byNumber(m.type()).orElse(null);
        if (type == null) {
            dispatchOther(m);
            return;
        }
        switch (type) {
            case MON_MAP -> {
                MonMap map = MonMessages.decodeMonMap(m);
                MonMap before = lastMonMap;
                if (before != null && map.authEpoch() > before.authEpoch()
                        && connection instanceof org.jceph.messenger.internal.cephx.CephxHolder h
                        && h.cephxMonClient() != null) {
                    // `ceph auth wipe-rotating-service-keys` (or a service cipher change) bumps
                    // auth_epoch: the services' rotating keys are new, so our service tickets are
                    // void; renew them now, as MonClient::handle_monmap does (the AUTH ticket stays)
                    h.cephxMonClient().serviceTicketsVoid();
                }
                lastMonMap = map;
                fsid = map.fsid();
                CompletableFuture<MonMap> w;
                while ((w = monMapWaiters.poll()) != null) {
                    w.complete(map);
                }
                messageListeners.forEach(l -> l.accept(m));
            }
            case OSD_MAP -> {
                OsdMapUpdate u = MonMessages.decodeOsdMap(m);
                fsid = u.fsid();
                synchronized (standing) {
                    long[] sub = standing.get("osdmap");
                    long last = Math.max(lastEpoch(u), 0);
                    if (sub != null && last > 0 && last + 1 > sub[0]) {
                        sub[0] = last + 1; // after a reconnect, continue where we are
                    }
                }
                // listeners first: a waiter that wakes up may rely on them having seen the update
                // (the rados MapKeeper is fed by a listener; a waiter then waits for it to apply)
                osdMapListeners.forEach(l -> l.accept(u));
                CompletableFuture<OsdMapUpdate> w;
                while ((w = osdMapWaiters.poll()) != null) {
                    w.complete(u);
                }
            }
            case AUTH_REPLY -> {
                TicketRenewal r;
                synchronized (this) {
                    r = renewal;
                }
                if (r != null) {
                    r.onReply(connection, m);
                }
            }
            case MON_COMMAND_ACK -> {
                MonMessages.CommandReply r = MonMessages.decodeCommandAck(m);
                PendingCommand pc = commands.remove(r.tid());
                if (pc != null) {
                    pc.reply().complete(r);
                }
            }
            default -> dispatchOther(m);
        }
    }

    /** A reply that a {@link #call} waits for, or a message for the listeners. */
    private void dispatchOther(Message m) {
        PendingCall call = calls.get(m.tid());
        if (call != null && call.replyType().is(m.type())) {
            calls.remove(m.tid());
            call.reply().complete(m.copy()); // m's data is only valid during this call
        } else {
            messageListeners.forEach(l -> l.accept(m)); // MConfig, MMonGetVersionReply, ... (decode now, keep nothing)
        }
    }

    private static long lastEpoch(OsdMapUpdate u) {
        long a = u.fullMaps().isEmpty() ? 0 : u.fullMaps().lastKey();
        long b = u.incrementalMaps().isEmpty() ? 0 : u.incrementalMaps().lastKey();
        return Math.max(a, b);
    }

    /**
     * Runs a monitor command ({@code {"prefix": "osd pool create", ...}} as JSON). The future
     * completes with the monitor's answer, whatever its result code; a command in flight when the
     * connection fails is sent again on the next one. Callers bound the wait.
     */
    public CompletableFuture<MonMessages.CommandReply> command(String json, byte[] input) {
        if (fsid == null) {
            try {
                fetchMonMap().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS); // learn the fsid first
            } catch (ExecutionException | TimeoutException e) {
                return CompletableFuture.failedFuture(new ConnectionException("no monmap to learn the cluster fsid: " + e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
        }
        long tid = commandTids.incrementAndGet();
        PendingCommand pc = new PendingCommand(MonMessages.command(tid, fsid, List.of(json), input),
                new CompletableFuture<>());
        commands.put(tid, pc);
        pc.reply().whenComplete((r, e) -> commands.remove(tid));
        sendOrAwaitReconnect(pc.message(), pc.reply());
        return pc.reply();
    }

    /**
     * Sends {@code request} (its tid set from this session's counter) and completes with the reply
     * of type {@code replyType} carrying the same tid; resent after a reconnect. Callers bound the wait.
     */
    public CompletableFuture<Message> call(Message request, MessageType replyType) {
        long tid = commandTids.incrementAndGet();
        Message m = request.withTid(tid);
        PendingCall pc = new PendingCall(m, replyType, new CompletableFuture<>());
        calls.put(tid, pc);
        pc.reply().whenComplete((r, e) -> calls.remove(tid));
        sendOrAwaitReconnect(m, pc.reply());
        return pc.reply();
    }

    /** The cluster fsid, once a monmap or osdmap has been received (null before). */
    public java.util.UUID fsid() {
        return fsid;
    }

    /** Asks for the current monmap (MMonGetMap); completes with the next MMonMap received. */
    public CompletableFuture<MonMap> fetchMonMap() {
        CompletableFuture<MonMap> f = new CompletableFuture<>();
        monMapWaiters.add(f);
        send(MonMessages.getMonMap(), f);
        return f;
    }

    /**
     * Subscribes to the osdmap from {@code start} (0 = the latest full map). Completes with the first
     * MOSDMap received after the request. A standing ({@code onetime} false) subscription is renewed
     * after every reconnect, from the epoch after the newest one received.
     */
    public CompletableFuture<OsdMapUpdate> subscribeOsdMap(long start, boolean onetime) {
        CompletableFuture<OsdMapUpdate> f = new CompletableFuture<>();
        osdMapWaiters.add(f);
        long[] item = {start, onetime ? MonMessages.SUBSCRIBE_ONETIME : 0};
        if (!onetime) {
            synchronized (standing) {
                standing.put("osdmap", item.clone());
            }
        }
        send(MonMessages.subscribe(Map.of("osdmap", item), hostname()), f);
        return f;
    }

    /**
     * A standing subscription to {@code what} ("monmap", "config", ...) from {@code start}, sent now
     * and again after every reconnect. What arrives goes to the {@link #onMessage} listeners.
     */
    public void subscribe(String what, long start) {
        long[] item = {start, 0};
        synchronized (standing) {
            standing.put(what, item.clone());
        }
        send(MonMessages.subscribe(Map.of(what, item), hostname()), new CompletableFuture<>());
    }

    /**
     * Every monmap, and every message the session does not answer itself (MConfig,
     * MMonGetVersionReply, ...), from now on across reconnects; run on the I/O thread, must not block.
     */
    public void onMessage(Consumer<Message> listener) {
        messageListeners.add(listener);
    }

    /** Sends {@code m} as is on the current connection (a request whose reply an {@link #onMessage} listener matches). */
    public CompletableFuture<Void> sendRaw(Message m) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Connection c = connection;
        if (closed || c == null) {
            f.completeExceptionally(new ConnectionException("monitor session is closed"));
            return f;
        }
        return c.send(m);
    }

    /**
     * Sends {@code m} as is now and again on every new connection until {@code until} completes:
     * for a request whose reply an {@link #onMessage} listener matches by a handle of its own
     * (MMonGetVersion), which a monitor that went away mid-request would otherwise have lost.
     * librados' MonClient queues such a request while it hunts and sends it on the next session;
     * one already sent on the dying connection is also sent again here (a duplicate answer finds
     * no waiter and is dropped). A send on a connection
     * that just died is not the request's failure; {@code until} fails only when the session ends
     * for good. The caller bounds the wait ({@code until}'s own timeout).
     */
    @Override
    public void sendUntil(Message m, CompletableFuture<?> until) {
        long key = rawKeys.incrementAndGet();
        raws.put(key, new PendingRaw(m, until));
        until.whenComplete((r, e) -> raws.remove(key));
        sendOrAwaitReconnect(m, until);
    }

    private record PendingRaw(Message message, CompletableFuture<?> until) {
    }

    private final java.util.concurrent.ConcurrentHashMap<Long, PendingRaw> raws = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong rawKeys = new java.util.concurrent.atomic.AtomicLong();

    private void send(Message m, CompletableFuture<?> request) {
        Connection c = connection;
        if (closed) {
            request.completeExceptionally(new ConnectionException("monitor session is closed"));
            return;
        }
        c.send(m).exceptionally(e -> {
            request.completeExceptionally(e);
            return null;
        });
    }

    /**
     * For commands and calls, which {@link #opened} resends on the next connection: a send that
     * fails because the connection just died is not their failure (they fail only when the session
     * ends for good, or when the caller's own timeout runs out).
     */
    private void sendOrAwaitReconnect(Message m, CompletableFuture<?> request) {
        Connection c = connection;
        if (closed) {
            request.completeExceptionally(new ConnectionException("monitor session is closed"));
            return;
        }
        c.send(m);
    }

    /**
     * Every MOSDMap from now on, across reconnects; run on the I/O thread, must not block. Listeners
     * hear an update before the futures of {@link #subscribeOsdMap} waiting for it complete.
     */
    public void onOsdMap(Consumer<OsdMapUpdate> listener) {
        osdMapListeners.add(listener);
    }

    /** Called with each fault of the underlying connection, before the session reconnects. */
    public void onFault(Consumer<Throwable> listener) {
        faultListeners.add(listener);
    }

    public MonMap lastMonMap() {
        return lastMonMap;
    }

    /** The current connection (replaced after each reconnect). */
    public Connection connection() {
        return connection;
    }

    /** Completes normally on {@link #close()}, exceptionally when the session gives up. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        closed = true;
        stopRenewal();
        Connection c = connection;
        if (c != null) {
            c.close();
        }
        failWaiters(new ConnectionException("monitor session closed"));
        failCommandsAndCalls(new ConnectionException("monitor session closed"));
        closeFuture.complete(null);
    }
}
