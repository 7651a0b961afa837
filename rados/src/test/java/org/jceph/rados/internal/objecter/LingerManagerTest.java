package org.jceph.rados.internal.objecter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.OsdMapEdit;
import org.jceph.osdmap.Placement;
import org.jceph.rados.Errno;
import org.jceph.rados.RadosException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches kept registered by the LingerManager, driven by fake watch ops (futures the test
 * completes as the OSD would), maps of the test's making and a manual clock: no cluster, no sleep.
 */
class LingerManagerTest {
    private static OsdMap base;
    private static long pool;

    private ManualScheduler clock;
    private final AtomicReference<Placement> current = new AtomicReference<>();
    private final Map<Integer, Long> faults = new ConcurrentHashMap<>();
    /** What the manager sent, in order: "ping" or "reconnect"/"watch" (afresh), with the future to answer. */
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger reconnected = new AtomicInteger();
    private LingerManager lingers;

    private record Sent(String what, LingerManager.Linger linger, CompletableFuture<Void> answer) {
    }

    @BeforeAll
    static void load() throws IOException {
        base = OsdMapCodec.decode(org.jceph.rados.internal.CapturedEpochs.bytes("full.47"));
        pool = base.pools().entrySet().stream().filter(e -> !e.getValue().isErasure()).findFirst().orElseThrow().getKey();
    }

    @BeforeEach
    void start() {
        clock = new ManualScheduler();
        current.set(new Placement(base));
        lingers = new LingerManager(org.slf4j.LoggerFactory.getLogger(LingerManagerTest.class), clock, current::get,
                osd -> faults.getOrDefault(osd, 0L), new LingerManager.WatchOps() {
                    @Override
                    public CompletableFuture<?> ping(LingerManager.Linger l) {
                        return record("ping", l);
                    }

                    @Override
                    public CompletableFuture<?> reconnect(LingerManager.Linger l) {
                        return record(l.expired() ? "watch" : "reconnect", l);
                    }
                }, reconnected::incrementAndGet);
    }

    @AfterEach
    void stop() {
        lingers.close();
        clock.close();
    }

    private CompletableFuture<Void> record(String what, LingerManager.Linger l) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        sent.add(new Sent(what, l, f));
        return f;
    }

    private Sent last() {
        assertFalse(sent.isEmpty(), "something was sent");
        return sent.get(sent.size() - 1);
    }

    private LingerManager.Linger watch(String oid, long cookie) {
        LingerManager.Linger l = lingers.create("io", new Target.Address(pool, "", "", oid, -1), cookie);
        long before = lingers.faultsAt(l);
        lingers.registered(l, before);
        return l;
    }

    private int primaryOf(String oid) {
        Placement p = current.get();
        return p.pgToUpActing(p.objectToRawPg(pool, oid, "", "")).actingPrimary();
    }

    private void fault(int osd) {
        faults.merge(osd, 1L, Long::sum);
        lingers.onFault(osd, new java.io.IOException("reset"));
    }

    private static RadosException errno(Errno e) {
        return RadosException.of(e.negative(), "from the OSD");
    }

    @Test
    void aWatchIsReRegisteredAfterItsSessionFaults() {
        LingerManager.Linger l = watch("w", 1);
        int osd = primaryOf("w");
        assertEquals(osd, l.osd());
        faults.merge(osd, 1L, Long::sum);
        assertEquals(1, lingers.onFault(osd, new java.io.IOException("reset")), "one watch to register again");
        assertNotNull(l.error(), "broken until registered again (watch_check says so)");
        assertEquals(0, lingers.onFault(osd + 1000, new java.io.IOException("other")));
        assertTrue(sent.isEmpty(), "not at once");
        clock.advance(Objecter.RETRY_DELAY);
        assertEquals("reconnect", last().what());
        assertSame(l, last().linger());
        last().answer().complete(null);
        assertNull(l.error());
        assertEquals(1, reconnected.get());
        assertEquals(clock.ticker().nanoTime(), l.confirmedAt());
    }

    @Test
    void repeatedFaultsKeepOneReRegistrationInFlight() {
        LingerManager.Linger l = watch("w", 1);
        int osd = l.osd();
        for (int i = 0; i < 6; i++) {
            fault(osd); // each fault while the previous re-registration is still unanswered
            clock.advance(Objecter.RETRY_DELAY);
        }
        List<Sent> reconnects = sent.stream().filter(s -> s.what().equals("reconnect")).toList();
        assertEquals(6, reconnects.size(), "one re-registration per fault");
        for (int i = 0; i < 5; i++) {
            assertTrue(reconnects.get(i).answer().isCancelled(), "re-registration " + i + " was replaced, so cancelled");
        }
        assertFalse(reconnects.get(5).answer().isDone(), "the newest is in flight");
        assertEquals(6, l.registerGen(), "each RECONNECT carries its own gen");
        assertEquals(0, reconnected.get(), "the cancelled ones count for nothing");
        reconnects.get(5).answer().complete(null);
        assertEquals(1, reconnected.get());
        assertNull(l.error());
        clock.advance(Objecter.RETRY_DELAY.multipliedBy(10));
        assertEquals(6, sent.stream().filter(s -> s.what().equals("reconnect")).count(),
                "nothing more to register: no fault since the newest was sent");
    }

    @Test
    void aReplacedReRegistrationThatFailsStartsNoRetry() {
        LingerManager.Linger l = watch("w", 1);
        fault(l.osd());
        clock.advance(Objecter.RETRY_DELAY);
        Sent first = last();
        fault(l.osd());
        clock.advance(Objecter.RETRY_DELAY);
        Sent second = last();
        assertTrue(first.answer().isCancelled());
        // the cancelled one's failure must not schedule another attempt
        clock.advance(Objecter.RETRY_DELAY.multipliedBy(4));
        assertEquals(2, sent.stream().filter(s -> s.what().equals("reconnect")).count());
        second.answer().completeExceptionally(errno(Errno.ETIMEDOUT));
        clock.advance(Objecter.RETRY_DELAY.multipliedBy(2));
        assertEquals(3, sent.stream().filter(s -> s.what().equals("reconnect")).count(), "the newest's failure is retried");
        last().answer().complete(null);
        assertEquals(1, reconnected.get());
    }

    @Test
    void aReconnectTheOsdRefusesWithEnotconnRegistersTheWatchAfresh() {
        LingerManager.Linger l = watch("w", 1);
        fault(l.osd());
        clock.advance(Objecter.RETRY_DELAY);
        last().answer().completeExceptionally(errno(Errno.ENOTCONN)); // the OSD timed the watch out
        assertTrue(l.expired());
        clock.advance(Objecter.RETRY_DELAY); // retried after twice the delay
        assertEquals(1, sent.size());
        clock.advance(Objecter.RETRY_DELAY);
        assertEquals("watch", last().what(), "WATCH, not RECONNECT");
        last().answer().complete(null);
        assertFalse(l.expired());
        assertEquals(1, reconnected.get());
    }

    @Test
    void aFaultDuringTheFirstRegistrationIsNotMissed() {
        LingerManager.Linger l = lingers.create("io", new Target.Address(pool, "", "", "w", -1), 1);
        long before = lingers.faultsAt(l);
        fault(l.osd()); // handled while the WATCH was on its way: the manager did not know the watch yet
        assertTrue(sent.isEmpty());
        lingers.registered(l, before);
        clock.advance(Objecter.RETRY_DELAY);
        assertEquals("reconnect", last().what());
    }

    @Test
    void aNewIntervalOfTheWatchedPgRegistersItAgainAndAQuietMapDoesNot() {
        LingerManager.Linger l = watch("w", 1);
        current.set(new Placement(OsdMapEdit.of(base).epoch(base.epoch() + 1).build()));
        lingers.onNewMap();
        clock.runDue();
        assertTrue(sent.isEmpty(), "same interval: nothing to do");
        Placement p = current.get();
        Placement.Result r = p.pgToUpActing(p.objectToRawPg(pool, "w", "", ""));
        int next = r.acting().stream().filter(o -> o != r.actingPrimary()).findFirst().orElseThrow();
        current.set(new Placement(OsdMapEdit.of(base).primaryTemp(r.pg(), next).epoch(base.epoch() + 2).build()));
        lingers.onNewMap();
        clock.runDue();
        assertEquals("reconnect", last().what());
        last().answer().complete(null);
        assertEquals(next, l.osd(), "registered with the new primary");
    }

    @Test
    void aPingTheOsdAnswersEnotconnRegistersTheWatchAgain() {
        LingerManager.Linger l = watch("w", 1);
        clock.advance(LingerManager.PING_PERIOD);
        assertEquals("ping", last().what());
        clock.advance(LingerManager.PING_PERIOD);
        assertEquals(1, sent.size(), "no second ping while one is under way");
        last().answer().completeExceptionally(errno(Errno.ENOTCONN));
        assertNotNull(l.error());
        clock.runDue();
        assertEquals("watch", last().what(), "the OSD forgot it: WATCH afresh");
        last().answer().complete(null);
        assertNull(l.error());
    }

    @Test
    void aPingAnswerConfirmsTheWatch() {
        LingerManager.Linger l = watch("w", 1);
        clock.advance(LingerManager.PING_PERIOD);
        last().answer().complete(null);
        assertEquals(LingerManager.PING_PERIOD.toNanos(), l.confirmedAt());
    }

    @Test
    void aRemovedWatchIsNeitherPingedNorRegisteredAgain() {
        LingerManager.Linger l = watch("w", 1);
        assertSame(l, lingers.view().get(1L));
        lingers.remove(1);
        fault(l.osd());
        clock.advance(LingerManager.PING_PERIOD);
        assertTrue(sent.isEmpty());
        assertEquals(0, lingers.size());
    }

    @Test
    void aNotifyWhoseCompletionNeverComesTimesOut() {
        CompletableFuture<String> completion = new CompletableFuture<>();
        CompletableFuture<String> f = lingers.awaitNotifyCompletion(completion, Duration.ofSeconds(15),
                "notify on w did not complete");
        clock.advance(Duration.ofMillis(14_999));
        assertFalse(f.isDone());
        clock.advance(Duration.ofMillis(1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
        RadosException.TimeoutException t = assertInstanceOf(RadosException.TimeoutException.class, e.getCause());
        assertTrue(t.getMessage().contains("notify on w did not complete"), t.getMessage());
        completion.complete("late"); // a completion after the timeout changes nothing
        assertTrue(f.isCompletedExceptionally());
    }

    @Test
    void aNotifyCompletedInTimeCancelsItsExpiry() throws Exception {
        CompletableFuture<String> completion = new CompletableFuture<>();
        int before = clock.waiting();
        CompletableFuture<String> f = lingers.awaitNotifyCompletion(completion, Duration.ofSeconds(15), "notify");
        assertEquals(before + 1, clock.waiting());
        completion.complete("replies");
        assertEquals("replies", f.get(0, TimeUnit.SECONDS));
        assertEquals(before, clock.waiting(), "the expiry is cancelled");
    }
}
