package org.jceph.rados.internal.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jceph.encoding.CephEncoder;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.mon.MonLink;
import org.jceph.messenger.mon.MonMap;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.messenger.mon.OsdMapUpdate;
import org.jceph.rados.Errno;
import org.jceph.rados.RadosException;
import org.jceph.rados.internal.PoolOps;
import org.jceph.rados.internal.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MonClient driven by a fake monitor session (its {@link MonLink}) that serves the
 * capture cluster's stored epochs (fixtures/osdmap/epochs), with a manual ticker. No cluster, no
 * sleeps: every wait ends on a future the fake completes, or on the ticker the fake moves.
 */
class MonClientTest {
    private static final UUID FSID = new UUID(3, 4);
    private static final long WAIT_S = 10;

    /**
     * A monitor with a store of epochs 11..47 of which it has published up to {@link #newest}. It
     * answers an osdmap subscription as MonSession delivers: listeners first, then the waiting future.
     */
    private static final class FakeMon implements MonLink {
        final List<Consumer<OsdMapUpdate>> osdMapListeners = new CopyOnWriteArrayList<>();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> subscriptions = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
        final Ticker.Manual ticker;
        volatile long newest = 20;
        /** When nothing newer is there: answer with an empty MOSDMap after moving the clock this far. */
        volatile Duration idleAnswerAfter = Duration.ofSeconds(1);
        /** When set, a subscription fails with this (a fault of the monitor connection). */
        volatile Throwable fault;
        volatile int sent;
        /** What {@link #call} answers with. */
        volatile Message poolOpReply;
        final List<Message> calls = new CopyOnWriteArrayList<>();
        volatile long poolOpPublishes;

        FakeMon(Ticker.Manual ticker) {
            this.ticker = ticker;
        }

        @Override
        public CompletableFuture<OsdMapUpdate> subscribeOsdMap(long start, boolean onetime) {
            requests.add("osdmap " + start);
            if (fault != null) {
                return CompletableFuture.failedFuture(fault);
            }
            OsdMapUpdate u;
            if (start == 0) {
                u = full(newest);
            } else if (start <= newest) {
                u = incs(start, newest);
            } else {
                ticker.advance(idleAnswerAfter);
                u = new OsdMapUpdate(FSID, new TreeMap<>(), new TreeMap<>(), 11, newest);
            }
            return CompletableFuture.completedFuture(deliver(u));
        }

        OsdMapUpdate deliver(OsdMapUpdate u) {
            sent++;
            osdMapListeners.forEach(l -> l.accept(u));
            return u;
        }

        @Override
        public void onOsdMap(Consumer<OsdMapUpdate> listener) {
            osdMapListeners.add(listener);
        }

        @Override
        public void subscribe(String what, long start) {
            subscriptions.add(what + " " + start);
        }

        @Override
        public void onMessage(Consumer<Message> listener) {
        }

        @Override
        public CompletableFuture<MonMessages.CommandReply> command(String json, byte[] input) {
            requests.add("command " + json);
            return CompletableFuture.completedFuture(new MonMessages.CommandReply(1, -2, "no such thing", new byte[0]));
        }

        @Override
        public CompletableFuture<Message> call(Message request, MessageType replyType) {
            requests.add("call " + MessageType.byNumber(request.type()).orElseThrow() + " -> " + replyType);
            calls.add(request);
            newest += poolOpPublishes; // the monitor publishes the epoch that carries the change
            return CompletableFuture.completedFuture(poolOpReply);
        }

        @Override
        public CompletableFuture<Void> sendRaw(Message m) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void sendUntil(Message m, CompletableFuture<?> until) {
        }

        @Override
        public MonMap lastMonMap() {
            return null;
        }

        @Override
        public UUID fsid() {
            return FSID;
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closeFuture;
        }

        @Override
        public void close() {
            closeFuture.complete(null);
        }
    }

    private final Ticker.Manual ticker = Ticker.manual(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeMon mon = new FakeMon(ticker);
    private final MonClient client = new MonClient(mon, ticker);

    @AfterEach
    void close() {
        client.close();
    }

    private static byte[] epochFile(String name) {
        return org.jceph.rados.internal.CapturedEpochs.bytes(name);
    }

    static OsdMapUpdate full(long epoch) {
        SortedMap<Long, byte[]> full = new TreeMap<>();
        full.put(epoch, epochFile("full." + epoch));
        return new OsdMapUpdate(FSID, new TreeMap<>(), full, 11, epoch);
    }

    static OsdMapUpdate incs(long from, long to) {
        SortedMap<Long, byte[]> incs = new TreeMap<>();
        for (long e = from; e <= to; e++) {
            incs.put(e, epochFile("inc." + e));
        }
        return new OsdMapUpdate(FSID, incs, new TreeMap<>(), 11, to);
    }

    /** An MPoolOpReply as the monitor sends it (see PoolOps). */
    static Message poolOpReply(int code, long epoch, byte[] data) {
        byte[] front = CephEncoder.toBytes(e -> {
            e.writeU64Le(epoch).writeU16Le(0xFFFF).writeU64Le(0);
            e.writeUuid(FSID);
            e.writeS32Le(code).writeU32Le(epoch).writeBool(data != null);
            if (data != null) {
                e.writeBlob(data);
            }
        });
        return new Message(MessageType.POOLOP_REPLY.number(), 1, 1, Message.PRIO_DEFAULT, 7, 0, front, new byte[0],
                new byte[0]);
    }

    @Test
    void startingSubscribesAndAppliesTheFirstMapExactlyOnce() throws Exception {
        assertEquals(List.of("monmap 0", "config 0"), mon.subscriptions);
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        assertEquals(20, client.osdMap().epoch());
        assertEquals(List.of("osdmap 0"), mon.requests);
        // one MOSDMap, one apply: the subscription's future no longer applies it a second time
        assertEquals(1, mon.sent);
        assertEquals(1, client.keeper().counters().updatesApplied());
        assertEquals(1, client.keeper().counters().fullMaps());
    }

    @Test
    void waitForMapAsksForWhatFollowsAndAppliesEachUpdateOnce() throws Exception {
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        mon.newest = 25;
        client.waitForMap(m -> m.epoch() >= 25, Duration.ofSeconds(30));
        assertEquals(25, client.osdMap().epoch());
        assertEquals(List.of("osdmap 0", "osdmap 21"), mon.requests);
        assertEquals(mon.sent, client.keeper().counters().updatesApplied());
        assertEquals(5, client.keeper().counters().incrementals());
        assertEquals(0, ticker.nanoTime(), "no wait was needed");
    }

    @Test
    void waitForMapTimesOutOnTheInjectedClock() throws Exception {
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        RadosException e = assertThrows(RadosException.class,
                () -> client.waitForMap(m -> m.epoch() >= 30, Duration.ofSeconds(5)));
        assertEquals(Errno.ETIMEDOUT.negative(), e.errno());
        // the fake monitor moved the clock 1 s per empty answer: asked until the 5 s had passed
        assertEquals(Duration.ofSeconds(6).toNanos(), ticker.nanoTime());
        assertEquals(1 + 6, mon.requests.size());
        assertEquals(20, client.osdMap().epoch());
    }

    @Test
    void waitForMapFailsWithEioOnceTheSessionEndedForGood() throws Exception {
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        mon.fault = new ConnectionException("monitor session gave up");
        mon.closeFuture.completeExceptionally(mon.fault);
        RadosException e = assertThrows(RadosException.class,
                () -> client.waitForMap(m -> m.epoch() >= 30, Duration.ofSeconds(5)));
        assertEquals(Errno.EIO.negative(), e.errno());
    }

    @Test
    void aPoolOpCompletesOnlyOnceOurMapHasTheEpochThatCarriesIt() throws Exception {
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        byte[] snapId = CephEncoder.toBytes(e -> e.writeU64Le(4));
        mon.poolOpReply = poolOpReply(0, 22, snapId);
        mon.poolOpPublishes = 2;
        PoolOps.Reply r = client.poolOp(1, PoolOps.CREATE_UNMANAGED_SNAP, 0, "").get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(22, r.epoch());
        assertTrue(client.osdMap().epoch() >= 22, "the map carries the change when the future completes");
        assertEquals(List.of("osdmap 0", "call POOLOP -> POOLOP_REPLY", "osdmap 21"), mon.requests);
    }

    @Test
    void aRefusedPoolOpFailsWithTheTypedError() throws Exception {
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        mon.poolOpReply = poolOpReply(Errno.ENOENT.negative(), 20, null);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.poolOp(1, PoolOps.DELETE_SNAP, 0, "nosuch").get(WAIT_S, TimeUnit.SECONDS));
        RadosException re = assertInstanceOf(RadosException.class, RadosException.unwrap(e.getCause()));
        assertEquals(Errno.ENOENT.negative(), re.errno());
        assertTrue(re.getMessage().contains("nosuch"), re.getMessage());
    }

    /** An MStatfsReply naming stats version {@code version} (MonStatMessages' layout). */
    static Message statfsReply(long version) {
        byte[] front = CephEncoder.toBytes(e -> {
            e.writeUuid(FSID).writeU64Le(version);
            for (int i = 0; i < 4; i++) {
                e.writeU64Le(i);
            }
        });
        return Message.of(MessageType.STATFS_REPLY.number(), 1, 1, front);
    }

    /** An MGetPoolStatsReply v2 with no pools naming {@code version} in its PaxosServiceMessage header. */
    static Message poolStatsReply(long version) {
        byte[] front = CephEncoder.toBytes(e -> {
            e.writeU64Le(version).writeU16Le(0xFFFF).writeU64Le(0);
            e.writeUuid(FSID).writeU32Le(0).writeBool(true);
        });
        return Message.of(MessageType.GETPOOLSTATSREPLY.number(), 2, 1, front);
    }

    /** The PaxosServiceMessage version a stats request carries (the first u64 of its front). */
    private long sentStatsVersion(int call) {
        return org.jceph.encoding.CephDecoder.of(mon.calls.get(call).front(), "request").readU64Le();
    }

    @Test
    void statsRequestsCarryTheNewestStatsVersionSeenAsLibradosDoes() throws Exception {
        mon.poolOpReply = statfsReply(1257);
        client.clusterStat().get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(0, sentStatsVersion(0), "nothing seen yet");
        mon.poolOpReply = poolStatsReply(1300);
        client.poolStats(List.of("rbd")).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1257, sentStatsVersion(1), "the statfs reply's version, in MGetPoolStats");
        mon.poolOpReply = statfsReply(5); // an older (lagging) monitor's answer does not lower it
        client.clusterStat().get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1300, sentStatsVersion(2), "the pool stats reply's version, in MStatfs");
        mon.poolOpReply = poolStatsReply(7);
        client.poolStats(List.of("rbd")).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1300, sentStatsVersion(3));
        assertEquals(List.of(MessageType.STATFS.number(), MessageType.GETPOOLSTATS.number(), MessageType.STATFS.number(),
                MessageType.GETPOOLSTATS.number()), mon.calls.stream().map(Message::type).toList());
    }

    @Test
    void commandsGoToTheSessionAsIs() throws Exception {
        MonMessages.CommandReply r = client.command("{\"prefix\":\"x\"}", new byte[0]).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(-2, r.result());
        assertEquals(List.of("command {\"prefix\":\"x\"}"), mon.requests);
    }

    @Test
    void closingClosesTheSessionAndStopsTheKeeper() throws Exception {
        client.awaitFirstMap(Duration.ofSeconds(WAIT_S));
        client.close();
        assertTrue(mon.closeFuture.isDone());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.keeper().offer(incs(21, 21)).get(WAIT_S, TimeUnit.SECONDS));
        assertNotEquals(null, e.getCause());
    }
}
