package org.jceph.rados.internal.objecter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jceph.rados.RadosException;
import org.junit.jupiter.api.Test;

class OpFutureTest {
    /** An executor that holds what it is given until run() is called. */
    private static final class Held implements Executor {
        final List<Runnable> queue = new ArrayList<>();

        @Override
        public void execute(Runnable r) {
            queue.add(r);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(queue);
            queue.clear();
            now.forEach(Runnable::run);
        }
    }

    @Test
    void theRootCompletesOnItsExecutorAndTheFirstOutcomeWins() {
        Held exec = new Held();
        OpFuture<String> f = OpFuture.root(exec);
        List<String> cleanup = new ArrayList<>();
        f.beforeDone((failure, cancelled) -> cleanup.add(failure == null ? "ok" : failure.getMessage()));
        CompletableFuture<Integer> derived = f.thenApply(String::length);

        assertTrue(f.complete("reply"));
        assertEquals(List.of("ok"), cleanup, "the bookkeeping runs at once, on the settling thread");
        assertTrue(f.settled());
        assertFalse(f.isDone(), "the future itself completes on the executor");
        assertFalse(f.completeExceptionally(new RuntimeException("timeout")), "a later outcome loses");
        assertEquals(1, exec.queue.size());

        exec.runAll();
        assertEquals("reply", f.join());
        assertEquals(5, derived.join());
        assertEquals(List.of("ok"), cleanup);
    }

    @Test
    void aFailureIsDispatchedTooAndACancelActsAtOnce() {
        Held exec = new Held();
        OpFuture<String> failed = OpFuture.root(exec);
        assertTrue(failed.completeExceptionally(new RadosException.TimeoutException("no reply")));
        assertFalse(failed.isDone());
        exec.runAll();
        assertTrue(failed.isCompletedExceptionally());

        OpFuture<String> cancelled = OpFuture.root(exec);
        List<Boolean> how = new ArrayList<>();
        cancelled.beforeDone((failure, c) -> how.add(c));
        CompletableFuture<Integer> stage = cancelled.thenApply(String::length);
        assertTrue(stage.cancel(false), "cancelling a stage cancels the op");
        assertTrue(cancelled.isCancelled(), "at once, without the executor");
        assertEquals(List.of(true), how);
        assertFalse(cancelled.complete("late reply"), "a reply after the cancel is ignored");
        assertTrue(exec.queue.isEmpty());
    }

    @Test
    void aShutDownExecutorCompletesOnTheSettlingThread() {
        OpFuture<String> f = OpFuture.root(r -> {
            throw new java.util.concurrent.RejectedExecutionException("closed");
        });
        assertTrue(f.complete("x"));
        assertEquals("x", f.getNow(null));
    }

    @Test
    void withoutAnExecutorTheRootCompletesInline() {
        OpFuture<String> f = OpFuture.root();
        assertTrue(f.complete("x"));
        assertTrue(f.isDone() && f.settled());
    }

    @Test
    void aClaimedReplyBeatsATimeoutAndACancelWaitsForItsDelivery() throws Exception {
        Held exec = new Held();
        OpFuture<String> f = OpFuture.root(exec);
        List<String> cleanup = new ArrayList<>();
        f.beforeDone((failure, cancelled) -> cleanup.add(cancelled ? "cancelled" : "ok"));
        CompletableFuture<Integer> derived = f.thenApply(String::length);
        assertTrue(f.claim());
        assertEquals(List.of("ok"), cleanup, "the op leaves the queue when its reply is claimed");
        assertFalse(f.claim(), "one claim only");
        assertFalse(f.completeExceptionally(new RadosException.TimeoutException("late timer")), "the claim won");

        java.util.concurrent.atomic.AtomicBoolean cancelReturned = new java.util.concurrent.atomic.AtomicBoolean();
        Thread canceller = new Thread(() -> {
            derived.cancel(false);
            cancelReturned.set(true);
        });
        canceller.start();
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (canceller.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, canceller.getState(), "the cancel waits for the delivery");
        assertFalse(cancelReturned.get());
        assertFalse(derived.isDone(), "the caller does not see the op end while its buffer is written");
        f.completeClaimed("reply", null);
        canceller.join(30_000);
        assertTrue(cancelReturned.get());
        assertTrue(derived.isCancelled());
        assertEquals(List.of("ok"), cleanup, "the bookkeeping ran once");
        exec.runAll();
    }

    @Test
    void aSettledRootCannotBeClaimed() {
        OpFuture<String> timedOut = OpFuture.root(Runnable::run);
        assertTrue(timedOut.completeExceptionally(new RadosException.TimeoutException("timer")));
        assertFalse(timedOut.claim());
        OpFuture<String> cancelled = OpFuture.root(Runnable::run);
        assertTrue(cancelled.cancel(false));
        assertFalse(cancelled.claim());
        OpFuture<String> plain = OpFuture.root();
        assertTrue(plain.claim());
        assertFalse(plain.complete("other"), "without an executor too, the claim wins");
        plain.completeClaimed("reply", null);
        assertEquals("reply", plain.join());
    }
}
