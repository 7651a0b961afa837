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
}
