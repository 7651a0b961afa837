package org.jceph.rbd.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.rbd.RbdException;
import org.junit.jupiter.api.Test;

class WritebackCacheTest {
    private static final int IMAGE = 1 << 20;
    private static final CacheSettings WB = CacheSettings.DEFAULTS.withPolicy(CacheSettings.Policy.WRITEBACK);
    private static final CacheSettings WA = CacheSettings.DEFAULTS;

    private final FakeBackend backend = new FakeBackend(IMAGE);
    private final FakeScheduler clock = new FakeScheduler();

    private WritebackCache cache(CacheSettings s) {
        return new WritebackCache(backend, s, clock, "test");
    }

    private static byte[] fill(int len, int b) {
        byte[] d = new byte[len];
        Arrays.fill(d, (byte) b);
        return d;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "expected a failure");
        try {
            f.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("unreachable");
    }

    @Test
    void writesGoThroughUntilTheFirstUserFlushThenAreBuffered() {
        WritebackCache c = cache(WB);
        assertFalse(c.writeback());
        CompletableFuture<Void> w = c.write(0, fill(4096, 1), false);
        assertFalse(w.isDone(), "writethrough: not acknowledged before the OSDs have it");
        assertEquals(1, backend.inflightCount());
        backend.completeAll();
        assertTrue(w.isDone() && !w.isCompletedExceptionally());

        CompletableFuture<Void> internal = c.flush(false);
        assertTrue(internal.isDone());
        assertFalse(c.writeback(), "the cache's own flushes do not end writethrough");

        c.flush(true).join();
        assertTrue(c.writeback());
        CompletableFuture<Void> w2 = c.write(8192, fill(4096, 2), false);
        assertTrue(w2.isDone(), "writeback: acknowledged from memory");
        assertEquals(0, backend.inflightCount());
        assertEquals(4096, c.dirtyBytes());
    }

    @Test
    void withoutWritethroughUntilFlushWritesAreBufferedAtOnce() {
        WritebackCache c = cache(WB.withWritethroughUntilFlush(false));
        assertTrue(c.write(0, fill(512, 1), false).isDone());
        assertEquals(0, backend.inflightCount());
    }

    @Test
    void maxDirtyZeroIsWritethroughEvenAfterAFlush() {
        WritebackCache c = cache(WB.withSizes(32 << 20, 0, 0));
        c.flush(true).join();
        assertFalse(c.writeback());
        CompletableFuture<Void> w = c.write(0, fill(512, 1), false);
        assertFalse(w.isDone());
        backend.completeAll();
        assertTrue(w.isDone());
    }

    @Test
    void overlappingWritesCoalesceAndTheBackendEndsWithTheLastBytes() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(0, fill(8192, 'A'), false).join();
        c.write(4096, fill(8192, 'B'), false).join();
        c.write(2048, fill(1024, 'C'), false).join();
        assertEquals(0, backend.writes, "nothing sent before the flush");
        assertEquals(12288, c.dirtyBytes(), "overlaps are held once");
        CompletableFuture<Void> f = c.flush(true);
        assertFalse(f.isDone());
        backend.completeAll();
        f.join();
        byte[] want = new byte[12288];
        Arrays.fill(want, 0, 4096, (byte) 'A');
        Arrays.fill(want, 2048, 3072, (byte) 'C');
        Arrays.fill(want, 4096, 12288, (byte) 'B');
        assertArrayEquals(want, Arrays.copyOf(backend.disk, 12288));
        assertEquals(0, c.heldBytes());
        assertEquals(List.of(), backend.violations);
    }

    @Test
    void readsSeeUnflushedWritesOverWhatTheOsdsHold() {
        Arrays.fill(backend.disk, 0, 16384, (byte) 'D');
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(4096, fill(100, 'x'), false).join();
        c.write(8000, fill(400, 'y'), false).join();
        byte[] r = c.read(4000, 5000).join();
        byte[] want = fill(5000, 'D');
        Arrays.fill(want, 96, 196, (byte) 'x');
        Arrays.fill(want, 4000, 4400, (byte) 'y');
        assertArrayEquals(want, r);
        // a read entirely inside dirty data needs no OSD read
        int before = backend.reads;
        assertArrayEquals(fill(50, 'y'), c.read(8100, 50).join());
        assertEquals(before, backend.reads);
    }

    @Test
    void readsSeeDataWhoseWritebackIsInFlight() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(0, fill(4096, 'a'), false).join();
        CompletableFuture<Void> f = c.flush(true);
        assertEquals(1, backend.inflightCount());
        assertArrayEquals(fill(4096, 'a'), c.read(0, 4096).join(), "in flight, not yet on disk, still read");
        backend.completeAll();
        f.join();
    }

    @Test
    void aNewerOverlappingWritebackWaitsForTheOlderOne() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(0, fill(8192, 'A'), false).join();
        CompletableFuture<Void> f1 = c.flush(true);
        assertEquals(List.of("write 0+8192"), backend.log);
        c.write(4096, fill(8192, 'B'), false).join();
        CompletableFuture<Void> f2 = c.flush(true);
        assertEquals(1, backend.inflightCount(), "B overlaps A in flight: held back");
        backend.complete(0);
        assertTrue(f1.isDone());
        assertFalse(f2.isDone());
        assertEquals(List.of("write 0+8192", "write 4096+8192"), backend.log);
        backend.completeAll();
        f2.join();
        byte[] want = fill(12288, 'B');
        Arrays.fill(want, 0, 4096, (byte) 'A');
        assertArrayEquals(want, Arrays.copyOf(backend.disk, 12288));
        assertEquals(List.of(), backend.violations);
    }

    @Test
    void aDiscardDropsTheDirtyBytesUnderItAndWaitsForWritebackInFlight() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(0, fill(4096, 'A'), false).join();
        c.flush(true); // A in flight
        c.write(8192, fill(8192, 'B'), false).join(); // dirty, half under the discard
        CompletableFuture<Void> d = c.discard(2048, 8192);
        assertEquals(6144, c.dirtyBytes(), "B's bytes under the discard are dropped");
        assertEquals(List.of("write 0+4096"), backend.log, "the discard waits for A");
        assertArrayEquals(new byte[8192], c.read(2048, 8192).join(), "the range reads as zeros at once");
        backend.completeAll();
        d.join();
        CompletableFuture<Void> f = c.flush(true);
        backend.completeAll();
        f.join();
        byte[] want = new byte[16384];
        Arrays.fill(want, 0, 2048, (byte) 'A');
        Arrays.fill(want, 10240, 16384, (byte) 'B');
        assertArrayEquals(want, Arrays.copyOf(backend.disk, 16384));
        assertEquals(List.of(), backend.violations);
    }

    @Test
    void writesWaitForRoomWhenDirtyReachesMaxDirty() {
        WritebackCache c = cache(WB.withSizes(32768, 8192, 4096));
        c.flush(true).join();
        assertTrue(c.write(0, fill(4096, 1), false).isDone());
        assertEquals(0, backend.inflightCount(), "at target_dirty: nothing sent yet");
        assertTrue(c.write(4096, fill(4096, 2), false).isDone());
        assertEquals(1, backend.inflightCount(), "over target_dirty: writeback starts");
        CompletableFuture<Void> w3 = c.write(8192, fill(4096, 3), false);
        assertFalse(w3.isDone(), "8 KiB held = max_dirty: the third write waits");
        assertTrue(c.heldBytes() <= 8192);
        backend.complete(0);
        assertTrue(w3.isDone(), "room made: admitted");
        assertTrue(c.heldBytes() <= 8192);
        CompletableFuture<Void> f = c.flush(true);
        backend.completeAll();
        f.join();
        assertArrayEquals(fill(4096, 3), Arrays.copyOfRange(backend.disk, 8192, 12288));
    }

    @Test
    void writesWaitingForRoomHoldNoCopyUntilAdmitted() {
        WritebackCache c = cache(WB.withSizes(32768, 8192, 4096));
        c.flush(true).join();
        c.write(0, fill(8192, 1), false).join();
        // an asynchronous caller queues many writes behind the full cache: the cache holds no
        // copy of any of them (only max_dirty of copies), and takes each one's bytes when admitted
        byte[][] queued = new byte[200][];
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < queued.length; i++) {
            queued[i] = fill(4096, 10 + i % 100);
            waiting.add(c.write(8192 + (long) (i % 8) * 4096, queued[i], false));
        }
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
        assertTrue(c.heldBytes() <= 8192, "held " + c.heldBytes());
        // the API forbids changing a write's bytes before its future completes; done here only to
        // show that nothing was copied at call time: the admitted write carries the changed bytes
        Arrays.fill(queued[queued.length - 1], (byte) 0x7e);
        for (int round = 0; round < 1000 && waiting.stream().anyMatch(f -> !f.isDone()); round++) {
            backend.completeAll();
            assertTrue(c.heldBytes() <= 8192, "held " + c.heldBytes());
        }
        assertTrue(waiting.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        CompletableFuture<Void> f = c.flush(true);
        backend.completeAll();
        f.join();
        int last = queued.length - 1;
        long off = 8192 + (long) (last % 8) * 4096;
        assertArrayEquals(fill(4096, 0x7e), Arrays.copyOfRange(backend.disk, (int) off, (int) off + 4096));
    }

    @Test
    void aWriteThatFindsNoRoomFailsAfterTheWriteTimeout() {
        WritebackCache c = cache(WB.withSizes(32768, 8192, 4096)
                .withWriteTimeout(Duration.ofSeconds(5)));
        c.flush(true).join();
        c.write(0, fill(8192, 1), false).join();
        CompletableFuture<Void> w = c.write(8192, fill(4096, 2), false);
        clock.advance(Duration.ofSeconds(4).toNanos());
        assertFalse(w.isDone());
        clock.advance(Duration.ofSeconds(1).toNanos());
        RbdException e = assertInstanceOf(RbdException.class, failure(w));
        assertEquals(-110, e.errno());
        backend.completeAll();
        assertEquals(0, c.heldBytes(), "the timed-out write was never taken");
        assertEquals(0, clock.pendingTimers(), "no timer left for waiting writes");

        // two waiting writes, two seconds apart: each fails at its own deadline
        c.write(0, fill(8192, 5), false).join();
        CompletableFuture<Void> a = c.write(8192, fill(4096, 6), false);
        clock.advance(Duration.ofSeconds(2).toNanos());
        CompletableFuture<Void> b = c.write(12288, fill(4096, 7), false);
        clock.advance(Duration.ofSeconds(3).toNanos());
        assertEquals(-110, assertInstanceOf(RbdException.class, failure(a)).errno());
        assertFalse(b.isDone());
        backend.completeAll(); // room: b is taken before its deadline
        assertTrue(b.isDone() && !b.isCompletedExceptionally());
        assertEquals(0, clock.pendingTimers() - (c.dirtyBytes() > 0 ? 1 : 0), "only the age timer may remain");
    }

    @Test
    void aWriteLargerThanMaxDirtyGoesThrough() {
        WritebackCache c = cache(WB.withSizes(32768, 8192, 4096));
        c.flush(true).join();
        c.write(0, fill(4096, 'a'), false).join();
        CompletableFuture<Void> big = c.write(0, fill(16384, 'b'), false);
        assertFalse(big.isDone());
        assertEquals(0, c.dirtyBytes(), "older dirty bytes under it are dropped");
        backend.completeAll();
        big.join();
        assertArrayEquals(fill(16384, 'b'), Arrays.copyOf(backend.disk, 16384));
    }

    @Test
    void dirtyDataOlderThanMaxDirtyAgeIsWrittenBackByTheTimer() {
        WritebackCache c = cache(WB.withMaxDirtyAge(Duration.ofSeconds(1)));
        c.flush(true).join();
        c.write(0, fill(4096, 7), false).join();
        clock.advance(Duration.ofMillis(600).toNanos());
        c.write(4096 * 4, fill(4096, 8), false).join();
        assertEquals(0, backend.writes);
        clock.advance(Duration.ofMillis(400).toNanos());
        assertEquals(List.of("write 0+4096"), backend.log, "only the first write is a second old");
        backend.completeAll();
        clock.advance(Duration.ofMillis(600).toNanos());
        assertEquals(List.of("write 0+4096", "write 16384+4096"), backend.log);
        backend.completeAll();
        assertEquals(0, c.heldBytes());
        assertEquals(0, clock.pendingTimers(), "no timer armed with nothing dirty");
    }

    @Test
    void aWritebackErrorFailsTheNextUserFlushOnceAndIsNotLost() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(0, fill(4096, 1), false).join();
        backend.failWrites = new RbdException(-28, "no space");
        clock.advance(Duration.ofSeconds(2).toNanos()); // aged out: written back, and it fails
        backend.completeAll();
        backend.failWrites = null;
        CompletableFuture<Void> internal = c.flush(false);
        assertInstanceOf(RbdException.class, failure(internal), "a snapshot after lost data fails too");
        Throwable t = failure(c.flush(true));
        assertInstanceOf(RbdException.class, t);
        assertTrue(t.getMessage().contains("no space"), t.getMessage());
        c.flush(true).join(); // reported once
    }

    @Test
    void aFuaWriteCompletesOnlyOnceOnTheOsds() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(0, fill(512, 1), false).join();
        CompletableFuture<Void> fua = c.write(4096, fill(512, 2), true);
        assertFalse(fua.isDone());
        backend.completeAll();
        fua.join();
        assertArrayEquals(fill(512, 2), Arrays.copyOfRange(backend.disk, 4096, 4608));
    }

    @Test
    void closeWritesEverythingBackAndRefusesLaterWrites() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        c.write(100, fill(300, 9), false).join();
        CompletableFuture<Void> closing = c.close();
        assertFalse(closing.isDone());
        backend.completeAll();
        closing.join();
        assertArrayEquals(fill(300, 9), Arrays.copyOfRange(backend.disk, 100, 400));
        RbdException e = assertInstanceOf(RbdException.class, failure(c.write(0, new byte[1], false)));
        assertEquals(-108, e.errno());
    }

    @Test
    void theCacheCopiesBufferedWritesSoTheCallerMayReuseItsArray() {
        WritebackCache c = cache(WB);
        c.flush(true).join();
        byte[] buf = fill(64, 'k');
        c.write(0, buf, false).join();
        Arrays.fill(buf, (byte) 'z');
        CompletableFuture<Void> f = c.flush(true);
        backend.completeAll();
        f.join();
        assertArrayEquals(fill(64, 'k'), Arrays.copyOf(backend.disk, 64));
    }

    /**
     * Random writes, discards, reads and flushes, with the backend completing its operations in a
     * random order: every read equals a model of the acknowledged writes, the backend never sees
     * two overlapping operations at once, the cache never holds more than max_dirty, and after a
     * flush the backend holds exactly the model.
     */
    @Test
    void randomWorkloadsMatchAModelOfAcknowledgedWrites() {
        for (int seed = 1; seed <= 60; seed++) {
            runRandom(seed);
        }
    }

    private void runRandom(long seed) {
        Random rnd = new Random(seed);
        int span = 64 << 10;
        FakeBackend be = new FakeBackend(span);
        FakeScheduler sch = new FakeScheduler();
        long maxDirty = 4096L * (1 + rnd.nextInt(8));
        CacheSettings s = WB.withSizes(maxDirty * 2, maxDirty, rnd.nextInt((int) maxDirty))
                .withWritethroughUntilFlush(rnd.nextBoolean())
                .withPolicy(CacheSettings.Policy.values()[rnd.nextInt(3)]);
        // odd seeds copy writes of 1 KiB and more into pooled direct buffers (the 64 KiB default
        // is above this workload's sizes), whose reuse the backend would catch if it came early
        WritebackCache c = new WritebackCache(be, s, sch, "rnd", seed % 2 == 1 ? 1024 : WritebackCache.DIRECT_COPY_MIN);
        byte[] model = new byte[span];
        for (int step = 0; step < 400; step++) {
            int what = rnd.nextInt(100);
            int off = rnd.nextInt(span - 1);
            int len = 1 + rnd.nextInt(Math.min(span - off, rnd.nextBoolean() ? 512 : 12000));
            if (what < 45) {
                byte[] d = fill(len, 1 + rnd.nextInt(250));
                boolean fua = rnd.nextInt(10) == 0;
                CompletableFuture<Void> w;
                if (step % 3 == 0) {
                    // a direct buffer at a position (the NBD server's): its remaining bytes are the write
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(len + 5);
                    b.position(5);
                    b.put(d).position(5);
                    w = c.write(off, b, fua);
                } else {
                    w = c.write(off, d, fua);
                }
                // Writes are applied to the model in issue order: the cache orders overlapping ones.
                System.arraycopy(d, 0, model, off, len);
                settle(be, rnd, w);
            } else if (what < 55) {
                CompletableFuture<Void> d = c.discard(off, len);
                Arrays.fill(model, off, off + len, (byte) 0);
                settle(be, rnd, d);
            } else if (what < 80) {
                assertArrayEquals(Arrays.copyOfRange(model, off, off + len), c.read(off, len).join(),
                        "seed " + seed + " step " + step + ": read " + off + "+" + len);
                // the same read into a caller's buffer (at a position, direct on odd steps)
                java.nio.ByteBuffer into = step % 2 == 0 ? java.nio.ByteBuffer.allocate(len + 3)
                        : java.nio.ByteBuffer.allocateDirect(len + 3);
                into.position(3);
                c.read(off, into).join();
                byte[] got = new byte[len];
                into.get(3, got);
                assertArrayEquals(Arrays.copyOfRange(model, off, off + len), got,
                        "seed " + seed + " step " + step + ": read into a buffer " + off + "+" + len);
            } else if (what < 90) {
                CompletableFuture<Void> f = c.flush(rnd.nextBoolean());
                settle(be, rnd, f);
                f.join();
            } else {
                sch.advance(rnd.nextInt(700) * 1_000_000L);
            }
            assertTrue(c.heldBytes() <= maxDirty, "seed " + seed + ": held " + c.heldBytes());
            // complete a random number of backend operations in a random order
            for (int k = rnd.nextInt(3); k > 0 && be.inflightCount() > 0; k--) {
                be.complete(rnd.nextInt(be.inflightCount()));
            }
        }
        CompletableFuture<Void> f = c.flush(true);
        be.completeAll();
        f.join();
        assertEquals(List.of(), be.violations, "seed " + seed);
        assertArrayEquals(model, be.disk, "seed " + seed + ": the backend after the last flush");
        assertEquals(0, c.heldBytes());
    }

    /** Completes backend operations in a random order until {@code f} is done (it waits for them). */
    private static void settle(FakeBackend be, Random rnd, CompletableFuture<?> f) {
        while (!f.isDone() && be.inflightCount() > 0) {
            be.complete(rnd.nextInt(be.inflightCount()));
        }
        assertTrue(f.isDone(), "an operation that waits only for the backend completes when it does");
        f.join();
    }

    /**
     * A small write's copy is a pooled array: once its writeback is done, the next write of that
     * size reuses it (no fresh array per write), and never while the earlier one is in flight.
     */
    @Test
    void smallCopiesAreReusedOnlyOnceTheirWritebackIsDone() {
        WritebackCache c = cache(WA);
        c.flush(true).join(); // past writethrough-until-flush: write-around copies
        assertTrue(c.write(0, fill(4096, 1), false).isDone());
        assertTrue(c.write(8192, fill(4096, 2), false).isDone());
        java.nio.ByteBuffer first = backend.inflight.get(0).live;
        java.nio.ByteBuffer second = backend.inflight.get(1).live;
        assertTrue(first.hasArray() && second.hasArray());
        assertFalse(first.array() == second.array(), "two writes in flight: two copies");
        assertEquals(0, c.idleBytes());
        backend.complete(0);
        assertEquals(4096, c.idleBytes(), "the first copy is back in the pool");
        assertTrue(c.write(16384, fill(4096, 3), false).isDone());
        assertEquals(0, c.idleBytes());
        java.nio.ByteBuffer third = backend.inflight.get(1).live;
        assertTrue(third.array() == first.array(), "the third write reuses the first one's array");
        assertEquals(4096, third.array().length, "a whole array: sent without another copy");
        backend.completeAll();
        assertArrayEquals(fill(4096, 1), Arrays.copyOfRange(backend.disk, 0, 4096));
        assertArrayEquals(fill(4096, 2), Arrays.copyOfRange(backend.disk, 8192, 12288));
        assertArrayEquals(fill(4096, 3), Arrays.copyOfRange(backend.disk, 16384, 20480));
    }

    @Test
    void writearoundSendsAtOnceAcknowledgesFromMemoryAndBoundsTheBytesInFlight() {
        WritebackCache c = cache(WA.withSizes(32768, 8192, 4096));
        CompletableFuture<Void> first = c.write(0, fill(4096, 1), false);
        assertFalse(first.isDone(), "writethrough until the first user flush, as librbd's write-around");
        backend.completeAll();
        c.flush(true).join();
        assertTrue(c.write(0, fill(4096, 2), false).isDone(), "acknowledged from memory");
        assertEquals(1, backend.inflightCount(), "and sent at once");
        assertTrue(c.write(4096, fill(4096, 3), false).isDone());
        CompletableFuture<Void> third = c.write(8192, fill(4096, 4), false);
        assertFalse(third.isDone(), "8 KiB in flight = max_dirty: waits");
        CompletableFuture<Void> f = c.flush(true);
        backend.complete(0);
        assertTrue(third.isDone());
        assertFalse(f.isDone());
        backend.completeAll();
        f.join();
        assertArrayEquals(fill(4096, 4), Arrays.copyOfRange(backend.disk, 8192, 12288));
        assertEquals(0, clock.pendingTimers(), "nothing waits for an age timer");
    }

    @Test
    void writethroughPolicyNeverAcknowledgesFromMemory() {
        WritebackCache c = cache(WB.withPolicy(CacheSettings.Policy.WRITETHROUGH));
        c.flush(true).join();
        CompletableFuture<Void> w = c.write(0, fill(512, 1), false);
        assertFalse(w.isDone());
        backend.completeAll();
        w.join();
    }

    @Test
    void settingsComeFromConfigWithLibrbdDefaults() {
        CacheSettings d = CacheSettings.fromConfig(k -> java.util.Optional.empty());
        assertEquals(CacheSettings.DEFAULTS, d);
        assertTrue(d.enabled());
        assertEquals(CacheSettings.Policy.WRITEAROUND, d.policy(), "Pacific's default policy");
        assertEquals(32L << 20, d.size());
        assertEquals(24L << 20, d.maxDirty());
        assertEquals(16L << 20, d.targetDirty());
        assertEquals(Duration.ofSeconds(1), d.maxDirtyAge());
        assertTrue(d.writethroughUntilFlush());
        java.util.Map<String, String> conf = java.util.Map.of("rbd_cache", "false", "rbd_cache_size", "64M",
                "rbd_cache_max_dirty", "33554432", "rbd_cache_target_dirty", "8MiB", "rbd_cache_max_dirty_age", "2.5",
                "rbd_cache_writethrough_until_flush", "false", "rbd_cache_policy", "writeback");
        CacheSettings s = CacheSettings.fromConfig(k -> java.util.Optional.ofNullable(conf.get(k)));
        assertEquals(new CacheSettings(false, CacheSettings.Policy.WRITEBACK, 64L << 20, 32L << 20, 8L << 20, Duration.ofMillis(2500), false,
                Duration.ofSeconds(300)), s);
        RbdException bad = org.junit.jupiter.api.Assertions.assertThrows(RbdException.class,
                () -> CacheSettings.fromConfig(k -> java.util.Optional.ofNullable(
                        java.util.Map.of("rbd_cache_max_dirty", "64M").get(k))));
        assertEquals(-22, bad.errno());
        assertEquals(-22, org.junit.jupiter.api.Assertions.assertThrows(RbdException.class,
                () -> CacheSettings.fromConfig(k -> java.util.Optional.ofNullable(
                        java.util.Map.of("rbd_cache", "maybe").get(k)))).errno());
    }
}
