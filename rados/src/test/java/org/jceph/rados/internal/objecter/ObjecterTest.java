package org.jceph.rados.internal.objecter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.OsdMapEdit;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.rados.Errno;
import org.jceph.rados.RadosException;
import org.jceph.rados.RadosMetrics.ResendReason;
import org.jceph.rados.internal.Backoffs;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Objecter driven through fake OSDs, maps of the test's making (the capture cluster's
 * full.47, edited) and a manual clock: every case is deterministic, with no socket, no thread of
 * the Objecter's own and no sleep. Op futures complete on the test's thread.
 */
class ObjecterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static OsdMap base;
    private static long pool;
    private static long otherPool;

    private ManualScheduler clock;
    private FakeOsds osds;
    private final AtomicReference<Placement> current = new AtomicReference<>();
    private final List<ResendReason> resends = new CopyOnWriteArrayList<>();
    private final List<Message> others = new CopyOnWriteArrayList<>();
    private final List<Integer> faultsHeard = new CopyOnWriteArrayList<>();
    private int timedOut;
    private Objecter objecter;

    @BeforeAll
    static void load() throws IOException {
        base = OsdMapCodec.decode(org.jceph.rados.internal.CapturedEpochs.bytes("full.47"));
        List<Long> replicated = base.pools().entrySet().stream().filter(e -> !e.getValue().isErasure())
                .map(java.util.Map.Entry::getKey).toList();
        pool = replicated.get(0);
        otherPool = replicated.get(1);
    }

    @BeforeEach
    void start() {
        start(new Objecter.Limits(1024, 100 << 20, TIMEOUT));
    }

    private void start(Objecter.Limits limits) {
        if (objecter != null) {
            objecter.close();
        }
        clock = new ManualScheduler();
        osds = new FakeOsds();
        current.set(new Placement(base));
        objecter = new Objecter(org.slf4j.LoggerFactory.getLogger(ObjecterTest.class), osds, clock, current::get,
                Runnable::run, new Objecter.Events() {
                    @Override
                    public void resent(ResendReason why) {
                        resends.add(why);
                    }

                    @Override
                    public void opTimedOut() {
                        timedOut++;
                    }
                }, limits, others::add);
        objecter.onFault((osd, err) -> {
            faultsHeard.add(osd);
            return 0;
        });
    }

    @AfterEach
    void stop() {
        objecter.close();
        clock.close();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private CompletableFuture<OsdOpMessages.Reply> write(String oid) {
        return submit(oid, OsdOp.write(0, new byte[] {1, 2, 3, 4}), null);
    }

    private CompletableFuture<OsdOpMessages.Reply> read(String oid) {
        return submit(oid, OsdOp.read(0, 4), null);
    }

    private CompletableFuture<OsdOpMessages.Reply> submit(String oid, OsdOp op, Duration timeout) {
        return objecter.submit(new Objecter.Request(pool, "", "", oid, -1, List.of(op),
                OsdOpMessages.NOSNAP, SnapContext.EMPTY, timeout));
    }

    private OsdMap map() {
        return current.get().map();
    }

    /** A new epoch of the current map, edited, published as the map keeper would. */
    private void publish(java.util.function.UnaryOperator<OsdMapEdit> edit) {
        OsdMap next = edit.apply(OsdMapEdit.of(map())).epoch(map().epoch() + 1).build();
        current.set(new Placement(next));
        objecter.onNewMap();
        clock.runDue();
    }

    private Placement.Result placementOf(String oid) {
        Placement p = current.get();
        return p.pgToUpActing(p.objectToRawPg(pool, oid, "", ""));
    }

    private static PgPool withFlags(PgPool p, long flags) {
        return p.withPlacement(p.type(), p.size(), p.minSize(), p.crushRule(), p.pgNum(), p.pgpNum(), p.pgNumTarget(),
                p.pgpNumTarget(), p.flags() | flags);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "the op ended");
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
        return e.getCause();
    }

    private Backoffs.Backoff block(String oid, int op, long id) {
        Placement p = current.get();
        PgId raw = p.objectToRawPg(pool, oid, "", "");
        var h = Backoffs.target(pool, "", "", oid, raw.seed());
        return new Backoffs.Backoff(new SPgId(p.pgToUpActing(raw).pg(), SPgId.NO_SHARD), map().epoch(), op, id, h, h);
    }

    // ---- the cases ---------------------------------------------------------------------------

    @Test
    void anOpGoesToItsPrimaryAndItsReplyCompletesIt() throws Exception {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        FakeOsds.SentOp sent = osds.last();
        assertEquals(placementOf("a").actingPrimary(), sent.osd());
        assertEquals(placementOf("a").pg(), sent.pg().pgid());
        assertEquals(0, sent.attempt());
        assertEquals(1, objecter.opsInFlight());
        assertEquals(4, objecter.bytesInFlight());
        osds.reply(sent, 0);
        assertEquals(0, f.get(0, TimeUnit.SECONDS).result());
        assertEquals(0, objecter.opsInFlight());
        assertEquals(0, objecter.bytesInFlight());
    }

    @Test
    void opsQueuedWhileTheSessionOpensGoOutInSubmissionOrder() {
        osds.deferOpens = true;
        write("a");
        read("a");
        write("b");
        assertEquals(0, osds.ops().size(), "the session is still opening");
        osds.finishOpens();
        List<Long> tids = osds.ops().stream().filter(o -> o.osd() == placementOf("a").actingPrimary())
                .map(FakeOsds.SentOp::tid).toList();
        assertEquals(tids.stream().sorted().toList(), tids, "the read stays behind the write it was queued after");
        assertTrue(tids.size() >= 2);
    }

    @Test
    void anIntervalChangeResendsWithTheSameTidAndAStaleReplyIsIgnored() throws Exception {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        FakeOsds.SentOp first = osds.last();
        publish(e -> e); // a new epoch that changes nothing of the op's pg: not resent
        assertEquals(1, osds.ops(first.tid()).size());
        Placement.Result was = placementOf("a");
        int next = was.acting().stream().filter(o -> o != was.actingPrimary()).findFirst().orElseThrow();
        publish(e -> e.primaryTemp(was.pg(), next));
        FakeOsds.SentOp again = osds.last();
        assertEquals(first.tid(), again.tid(), "a resend keeps its tid");
        assertEquals(1, again.attempt());
        assertEquals(next, again.osd());
        assertTrue((again.flags() & OsdOpMessages.FLAG_RETRY) != 0);
        assertEquals(List.of(ResendReason.INTERVAL_CHANGE), resends);
        osds.reply(first, 0); // the old primary's answer to attempt 0 comes late
        assertFalse(f.isDone(), "an answer to a replaced send is ignored");
        osds.reply(again, 0);
        assertEquals(0, f.get(0, TimeUnit.SECONDS).result());
    }

    @Test
    void aPrimaryMarkedDownIsResentAsOsdDown() {
        write("a");
        int primary = osds.last().osd();
        publish(e -> e.osd(primary, 1 /* exists, not up */, map().osdWeight().get(primary)));
        FakeOsds.SentOp again = osds.last();
        assertNotEquals(primary, again.osd());
        assertEquals(placementOf("a").actingPrimary(), again.osd());
        assertEquals(List.of(ResendReason.OSD_DOWN), resends);
    }

    @Test
    void aPgSplitResendsToTheChildPg() {
        write("a");
        FakeOsds.SentOp first = osds.last();
        PgPool p = map().pool(pool);
        publish(e -> e.pool(pool, map().poolNames().get(pool), p.withPlacement(p.type(), p.size(), p.minSize(),
                p.crushRule(), p.pgNum() * 2, p.pgpNum(), p.pgNum() * 2, p.pgpNumTarget(), p.flags())));
        FakeOsds.SentOp again = osds.last();
        assertEquals(first.tid(), again.tid());
        assertEquals(1, again.attempt());
        assertEquals(placementOf("a").pg(), again.pg().pgid(), "sent to the pg of the new pg_num");
        assertEquals(List.of(ResendReason.PG_SPLIT), resends);
    }

    @Test
    void aDeletedPoolFailsItsOps() {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        publish(e -> e.removePool(pool));
        assertInstanceOf(RadosException.PoolNotFoundException.class, failure(f));
        assertEquals(0, objecter.opsInFlight());
        assertInstanceOf(RadosException.PoolNotFoundException.class, failure(write("b")), "and new ones at once");
    }

    @Test
    void aBackoffBlockHoldsOpsAndItsUnblockReleasesThemInTidOrder() throws Exception {
        CompletableFuture<OsdOpMessages.Reply> first = write("a");
        FakeOsds.SentOp sent = osds.last();
        int osd = sent.osd();
        osds.backoff(osd, block("a", Backoffs.OP_BLOCK, 7));
        List<Message> acks = osds.sent(osd, MessageType.OSD_BACKOFF);
        assertEquals(1, acks.size(), "the block is acked");
        assertEquals(Backoffs.OP_ACK_BLOCK, Backoffs.decode(acks.get(0)).op());
        CompletableFuture<OsdOpMessages.Reply> second = read("a");
        assertEquals(1, osds.ops().size(), "an op in the blocked range is held, not sent");
        assertEquals(OpState.BACKED_OFF, objecter.state(sent.tid() + 1));
        assertEquals(1, objecter.counters().activeBackoffs());
        assertEquals(1, objecter.counters().opsHeldByBackoff());
        osds.backoff(osd, block("a", Backoffs.OP_UNBLOCK, 7));
        assertEquals(1, osds.ops().size(), "released off the I/O thread");
        clock.runDue();
        List<FakeOsds.SentOp> all = osds.ops();
        assertEquals(3, all.size());
        assertEquals(sent.tid(), all.get(1).tid(), "the dropped op first");
        assertEquals(sent.tid() + 1, all.get(2).tid());
        assertEquals(List.of(ResendReason.BACKOFF_RELEASED), resends, "the held op's first send is no resend");
        assertEquals(0, objecter.counters().activeBackoffs());
        osds.reply(all.get(1), 0);
        osds.reply(all.get(2), 0);
        assertTrue(first.isDone() && second.isDone());
    }

    @Test
    void aRedirectIsFollowedToTheBasePoolFlaggedSoItIsNotBouncedBack() throws Exception {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        FakeOsds.SentOp first = osds.last();
        osds.redirect(first, new OsdOpMessages.Redirect(new org.jceph.encoding.types.ObjectLocator(otherPool, "", ""), ""));
        clock.runDue();
        FakeOsds.SentOp again = osds.last();
        assertEquals(first.tid(), again.tid());
        assertEquals(otherPool, again.locator().pool());
        int flags = OsdOpMessages.FLAG_REDIRECTED | OsdOpMessages.FLAG_IGNORE_CACHE | OsdOpMessages.FLAG_IGNORE_OVERLAY;
        assertEquals(flags, again.flags() & flags);
        assertEquals(List.of(ResendReason.REDIRECT), resends);
        assertEquals(1, objecter.counters().redirectsFollowed());
        osds.reply(again, 0);
        assertEquals(0, f.get(0, TimeUnit.SECONDS).result());
    }

    @Test
    void redirectsThatLoopEndInEio() {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        for (int i = 0; i <= Objecter.MAX_REDIRECTS; i++) {
            osds.redirect(osds.last(), new OsdOpMessages.Redirect(
                    new org.jceph.encoding.types.ObjectLocator(i % 2 == 0 ? otherPool : pool, "", ""), ""));
            clock.runDue();
        }
        RadosException e = assertInstanceOf(RadosException.class, failure(f));
        assertEquals(Errno.EIO.negative(), e.errno());
    }

    @Test
    void pausewrHoldsWritesNotReadsUntilAMapLiftsIt() {
        publish(e -> e.flags(map().flags() | Target.MAP_FLAG_PAUSEWR));
        CompletableFuture<OsdOpMessages.Reply> w = write("a");
        read("a");
        assertEquals(1, osds.ops().size(), "only the read went out");
        assertEquals(OpState.PAUSED, objecter.state(osds.last().tid() - 1));
        publish(e -> e.flags(map().flags() & ~Target.MAP_FLAG_PAUSEWR));
        assertEquals(2, osds.ops().size());
        assertEquals(0, osds.last().attempt(), "its first send");
        assertFalse(w.isDone());
    }

    @Test
    void theFullFlagAndAFullPoolHoldWrites() {
        publish(e -> e.flags(map().flags() | Target.MAP_FLAG_FULL));
        write("a");
        assertEquals(0, osds.ops().size());
        publish(e -> e.flags(map().flags() & ~Target.MAP_FLAG_FULL)
                .pool(pool, map().poolNames().get(pool), withFlags(map().pool(pool), PgPool.FLAG_FULL)));
        assertEquals(0, osds.ops().size(), "the pool is full now");
        publish(e -> e.pool(pool, map().poolNames().get(pool), withFlags(map().pool(pool), 0)
                .withPlacement(map().pool(pool).type(), map().pool(pool).size(), map().pool(pool).minSize(),
                        map().pool(pool).crushRule(), map().pool(pool).pgNum(), map().pool(pool).pgpNum(),
                        map().pool(pool).pgNumTarget(), map().pool(pool).pgpNumTarget(),
                        map().pool(pool).flags() & ~PgPool.FLAG_FULL)));
        assertEquals(1, osds.ops().size());
    }

    @Test
    void aPoolAtItsQuotaFailsWritesWithEdquotButServesReads() {
        publish(e -> e.pool(pool, map().poolNames().get(pool), withFlags(map().pool(pool), PgPool.FLAG_FULL_QUOTA)));
        RadosException e = assertInstanceOf(RadosException.class, failure(write("a")));
        assertEquals(Errno.EDQUOT.negative(), e.errno());
        read("a");
        assertEquals(1, osds.ops().size());
        assertEquals(0, objecter.opsInFlight() - 1);
    }

    @Test
    void anOpTimesOutAtItsDeadlineAcrossResends() {
        CompletableFuture<OsdOpMessages.Reply> f = submit("a", OsdOp.write(0, new byte[1]), Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(4900));
        assertFalse(f.isDone());
        Placement.Result was = placementOf("a");
        int next = was.acting().stream().filter(o -> o != was.actingPrimary()).findFirst().orElseThrow();
        publish(e -> e.primaryTemp(was.pg(), next)); // a resend does not restart the clock
        clock.advance(Duration.ofMillis(100).plus(Objecter.TIMEOUT_SWEEP));
        RadosException.TimeoutException t = assertInstanceOf(RadosException.TimeoutException.class, failure(f));
        assertTrue(t.getMessage().contains("5000 ms"), t.getMessage());
        assertTrue(t.getMessage().contains("last sent to osd." + next), t.getMessage());
        assertTrue(t.getMessage().contains("; 1 op(s) were in flight"), "how busy the client was: " + t.getMessage());
        assertEquals(1, timedOut);
        assertEquals(0, objecter.opsInFlight());
    }

    @Test
    void aPausedOpTimesOutSayingItWaitedForAMap() {
        publish(e -> e.flags(map().flags() | Target.MAP_FLAG_PAUSEWR));
        CompletableFuture<OsdOpMessages.Reply> f = submit("a", OsdOp.write(0, new byte[1]), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1).plus(Objecter.TIMEOUT_SWEEP));
        assertTrue(failure(f).getMessage().contains("waiting for a usable map"));
    }

    @Test
    void aZeroTimeoutWaitsAsLongAsItTakes() {
        CompletableFuture<OsdOpMessages.Reply> f = submit("a", OsdOp.write(0, new byte[1]), Duration.ZERO);
        clock.advance(Duration.ofHours(1));
        assertFalse(f.isDone());
    }

    @Test
    void cancellingADerivedFutureCancelsTheOpAndFreesItsBudget() throws Exception {
        start(new Objecter.Limits(1, 100, TIMEOUT));
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        FakeOsds.SentOp sent = osds.last();
        CompletableFuture<Integer> derived = f.thenApply(OsdOpMessages.Reply::result);
        assertTrue(derived.cancel(false));
        assertTrue(f.isCancelled(), "the op itself is cancelled");
        assertEquals(0, objecter.opsInFlight());
        assertEquals(1, objecter.counters().opsCancelled());
        osds.reply(sent, 0); // a late reply is ignored
        CompletableFuture<OsdOpMessages.Reply> next = write("b"); // the one slot is free again, at once
        osds.reply(osds.last(), 0);
        assertEquals(0, next.get(0, TimeUnit.SECONDS).result());
    }

    // ---- reads into a caller's buffer (issue 16) --------------------------------------------

    private CompletableFuture<OsdOpMessages.Reply> readInto(String oid, org.jceph.rados.internal.ReadInto sink,
            Duration timeout) {
        return objecter.submit(new Objecter.Request(pool, "", "", oid, -1, List.of(OsdOp.read(0, 4)),
                OsdOpMessages.NOSNAP, SnapContext.EMPTY, timeout, sink));
    }

    @Test
    void aReadIntoABufferTakesOnlyTheAcceptedAttemptsData() throws Exception {
        java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(6);
        var sink = new org.jceph.rados.internal.ReadInto(0, dst);
        CompletableFuture<OsdOpMessages.Reply> f = readInto("a", sink, null);
        FakeOsds.SentOp first = osds.last();
        Placement.Result was = placementOf("a");
        int next = was.acting().stream().filter(o -> o != was.actingPrimary()).findFirst().orElseThrow();
        publish(e -> e.primaryTemp(was.pg(), next));
        FakeOsds.SentOp again = osds.last();
        assertEquals(1, again.attempt());
        osds.replyData(first, new byte[] {9, 9, 9, 9}); // attempt 0's answer, late
        assertFalse(f.isDone());
        assertArrayEquals(new byte[6], dst.array(), "a reply to a replaced send never touches the buffer");
        osds.replyData(again, new byte[] {1, 2, 3});
        OsdOpMessages.Reply r = f.get(0, TimeUnit.SECONDS);
        assertEquals(0, r.result());
        assertEquals(0, r.outputs().get(0).length, "the output went to the buffer, not to an array");
        assertEquals(3, sink.count());
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0}, dst.array(), "a short read leaves the rest untouched");
        assertEquals(0, dst.position(), "the sink does not move the caller's position");
        assertEquals(0, objecter.opsInFlight());
        osds.replyData(again, new byte[] {7, 7, 7}); // a duplicate after completion
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0}, dst.array());
    }

    @Test
    void aReplyAfterATimeoutOrACancelLeavesTheBufferUntouched() throws Exception {
        java.nio.ByteBuffer timedOutDst = java.nio.ByteBuffer.allocateDirect(4);
        var timedOutSink = new org.jceph.rados.internal.ReadInto(0, timedOutDst);
        CompletableFuture<OsdOpMessages.Reply> timed = readInto("a", timedOutSink, Duration.ofSeconds(1));
        FakeOsds.SentOp timedSent = osds.last();
        clock.advance(Duration.ofSeconds(1).plus(Objecter.TIMEOUT_SWEEP));
        assertInstanceOf(RadosException.TimeoutException.class, failure(timed));
        osds.replyData(timedSent, new byte[] {5, 5, 5, 5});
        assertEquals(0, timedOutDst.getInt(0), "the late reply was not copied");
        assertEquals(0, timedOutSink.count());

        java.nio.ByteBuffer cancelledDst = java.nio.ByteBuffer.allocate(4);
        CompletableFuture<OsdOpMessages.Reply> cancelled = readInto("b",
                new org.jceph.rados.internal.ReadInto(0, cancelledDst), null);
        FakeOsds.SentOp cancelledSent = osds.last();
        assertTrue(cancelled.thenApply(OsdOpMessages.Reply::result).cancel(false));
        osds.replyData(cancelledSent, new byte[] {6, 6, 6, 6});
        assertArrayEquals(new byte[4], cancelledDst.array());
        assertEquals(0, objecter.opsInFlight());
    }

    @Test
    void aReadIntoABufferWhoseDataIsShortIsDroppedAsMalformed() {
        java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(4);
        CompletableFuture<OsdOpMessages.Reply> f = readInto("a", new org.jceph.rados.internal.ReadInto(0, dst), null);
        FakeOsds.SentOp sent = osds.last();
        osds.replyData(sent, new byte[] {8, 8}, 4); // says 4 bytes, carries 2
        assertFalse(f.isDone(), "a malformed reply is dropped; the op waits for a good one or its timeout");
        assertArrayEquals(new byte[4], dst.array(), "nothing of it was copied");
        osds.replyData(sent, new byte[] {4, 3, 2, 1});
        assertArrayEquals(new byte[] {4, 3, 2, 1}, dst.array());
    }

    @Test
    void theBudgetHoldsASubmitterBackUntilAnOpEnds() throws Exception {
        start(new Objecter.Limits(1, 100, TIMEOUT));
        CompletableFuture<OsdOpMessages.Reply> first = write("a");
        FakeOsds.SentOp sent = osds.last();
        CompletableFuture<CompletableFuture<OsdOpMessages.Reply>> second = CompletableFuture.supplyAsync(() -> write("b"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (objecter.budgetWaiters() == 0) { // the submitter is parked in the budget (a condition, not a sleep)
            assertTrue(System.nanoTime() < until, "the second submit never waited for budget");
            Thread.onSpinWait();
        }
        assertFalse(second.isDone(), "held back");
        assertEquals(1, osds.ops().size());
        osds.reply(sent, 0);
        assertTrue(first.isDone());
        CompletableFuture<OsdOpMessages.Reply> f = second.get(30, TimeUnit.SECONDS);
        assertEquals(2, osds.ops().size(), "sent once the first op left the budget");
        osds.reply(osds.last(), 0);
        assertEquals(0, f.get(0, TimeUnit.SECONDS).result());
    }

    @Test
    void aSubmitterWhoseTimeoutEndsWhileTheBudgetIsFullFailsWithEtimedout() {
        start(new Objecter.Limits(1, 100, TIMEOUT));
        write("a");
        // 1 ns of timeout: no time left to wait for room, so the answer is immediate
        CompletableFuture<OsdOpMessages.Reply> f = submit("b", OsdOp.write(0, new byte[1]), Duration.ofNanos(1));
        RadosException.TimeoutException t = assertInstanceOf(RadosException.TimeoutException.class, failure(f));
        assertTrue(t.getMessage().contains("in-flight op budget exhausted"), t.getMessage());
        assertEquals(1, timedOut);
        assertEquals(1, objecter.opsInFlight(), "the first op still holds the budget");
        assertEquals(1, osds.ops().size());
    }

    @Test
    void anOpLargerThanTheByteBudgetStillGoesAlone() throws Exception {
        start(new Objecter.Limits(10, 2, TIMEOUT));
        CompletableFuture<OsdOpMessages.Reply> f = write("a"); // 4 bytes, counted as the whole budget
        assertEquals(2, objecter.bytesInFlight());
        osds.reply(osds.last(), 0);
        assertEquals(0, f.get(0, TimeUnit.SECONDS).result());
        assertEquals(0, objecter.bytesInFlight());
    }

    @Test
    void aSessionFaultResendsAfterTheRetryDelayOnANewSession() throws Exception {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        FakeOsds.SentOp sent = osds.last();
        FakeOsds.Link link = osds.link(sent.osd());
        link.fault();
        assertEquals(List.of(sent.osd()), faultsHeard);
        assertEquals(1, objecter.sessionFaults(sent.osd()));
        assertEquals(1, osds.ops().size(), "not at once: the map may not show the OSD down yet");
        clock.advance(Objecter.RETRY_DELAY);
        FakeOsds.SentOp again = osds.last();
        assertEquals(sent.tid(), again.tid());
        assertEquals(1, again.attempt());
        assertNotEquals(link, osds.link(sent.osd()), "on a new session");
        assertEquals(List.of(ResendReason.SESSION_FAULT), resends);
        osds.reply(again, 0);
        assertEquals(0, f.get(0, TimeUnit.SECONDS).result());
    }

    @Test
    void anOsdThatRefusesSessionsIsRetriedUntilTheOpTimesOut() {
        int primary = placementOf("a").actingPrimary();
        osds.refusing.add(primary);
        CompletableFuture<OsdOpMessages.Reply> f = submit("a", OsdOp.write(0, new byte[1]), Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(f.isDone());
        osds.refusing.remove(primary);
        clock.advance(Objecter.RETRY_DELAY);
        assertEquals(1, osds.ops().size(), "sent once the OSD accepts");
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(RadosException.TimeoutException.class, failure(f));
    }

    @Test
    void anOpWithNoUpPrimaryWaitsForAMapThatGivesItOne() {
        Placement.Result r = placementOf("a");
        publish(e -> {
            for (int o : r.acting()) {
                e.osd(o, 1, map().osdWeight().get(o));
            }
            return e;
        });
        write("a");
        assertEquals(OpState.NO_PRIMARY, objecter.state(1));
        assertEquals(0, osds.ops().size());
        publish(e -> {
            for (int o : r.acting()) {
                e.osd(o, 3, base.osdWeight().get(o));
            }
            return e;
        });
        assertEquals(1, osds.ops().size());
        assertEquals(OpState.SENT, objecter.state(1));
    }

    @Test
    void otherOsdMessagesArePassedOn() {
        write("a");
        Message m = new Message(MessageType.WATCH_NOTIFY.number(), 1, 1, 127, 0, 0, new byte[0], new byte[0], new byte[0]);
        osds.deliver(osds.last().osd(), m);
        assertEquals(List.of(m), others);
    }

    @Test
    void closeFailsWhatIsInFlightAndWhatComesAfter() {
        CompletableFuture<OsdOpMessages.Reply> f = write("a");
        objecter.close();
        assertInstanceOf(RadosException.ClientClosedException.class, failure(f));
        assertInstanceOf(RadosException.ClientClosedException.class, failure(write("b")));
        assertTrue(osds.link(osds.last().osd()).closed.isDone(), "its sessions are closed");
        objecter.close(); // idempotent
    }

    @Test
    void anOpBackedOffWhenItsSessionFaultsIsSentAgainWithoutTheBlock() {
        write("a");
        int osd = osds.last().osd();
        osds.backoff(osd, block("a", Backoffs.OP_BLOCK, 1));
        read("a");
        assertEquals(1, osds.ops().size());
        osds.link(osd).fault(); // the OSD forgets its blocks with the session
        clock.advance(Objecter.RETRY_DELAY);
        assertEquals(3, osds.ops().size(), "both go out on the new session");
        assertEquals(0, objecter.counters().activeBackoffs());
    }

}
