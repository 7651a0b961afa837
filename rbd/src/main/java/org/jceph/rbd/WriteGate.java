package org.jceph.rbd;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Holds new writes back while a snapshot, resize or rollback changes the image under them, and
 * lets that operation wait until the writes already sent are done (librbd blocks image writes
 * the same way around snapshot creation): a write that raced a snapshot would otherwise go out
 * with the old snapshot context and change what the snapshot holds.
 */
final class WriteGate {
    private static final long DRAIN_MILLIS = 120_000;

    private int inflight;
    private int pausers;
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();

    /** What {@link #begin()} returns when the gate is open: one shared completed future. */
    private static final CompletableFuture<Void> OPEN = CompletableFuture.completedFuture(null);

    /** Completes when the write may go; pair with {@link #end()}. */
    synchronized CompletableFuture<Void> begin() {
        if (pausers == 0) {
            inflight++;
            return OPEN;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.add(f);
        return f;
    }

    synchronized void end() {
        if (--inflight == 0) {
            notifyAll();
        }
    }

    /** Runs {@code op} once the gate lets it go, counted in flight until its future completes. */
    CompletableFuture<Void> around(java.util.function.Supplier<CompletableFuture<Void>> op) {
        return around(op, null);
    }

    /**
     * As {@link #around(java.util.function.Supplier)}, then runs {@code alsoAtEnd} (if not null)
     * right after the write is counted out: a caller with its own release (a lock permit) needs
     * no second completion stage.
     */
    CompletableFuture<Void> around(java.util.function.Supplier<CompletableFuture<Void>> op, Runnable alsoAtEnd) {
        CompletableFuture<Void> go = begin();
        if (go == OPEN) {
            return counted(op, alsoAtEnd); // the gate is open (every write but those racing a pause): no stage
        }
        return go.thenCompose(v -> counted(op, alsoAtEnd));
    }

    /** Runs {@code op}, admitted by {@link #begin()}, and ends it (then alsoAtEnd) when its future completes. */
    private CompletableFuture<Void> counted(java.util.function.Supplier<CompletableFuture<Void>> op, Runnable alsoAtEnd) {
        CompletableFuture<Void> f;
        try {
            f = op.get();
        } catch (RuntimeException e) {
            finish(alsoAtEnd);
            return CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
            finish(alsoAtEnd); // taken at once (a write acknowledged from the cache): no stage either
            return f;
        }
        return f.whenComplete((x, err) -> finish(alsoAtEnd));
    }

    private void finish(Runnable alsoAtEnd) {
        try {
            end();
        } finally {
            if (alsoAtEnd != null) {
                alsoAtEnd.run();
            }
        }
    }

    /** Stops new writes and waits for the ones in flight. */
    synchronized void pause(String image) {
        pausers++;
        long until = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (inflight > 0) {
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                resume();
                throw new RbdException("writes to image " + image + " did not finish within " + DRAIN_MILLIS / 1000 + " s");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                resume();
                throw new RbdException("interrupted while waiting for the writes to image " + image);
            }
        }
    }

    /** Lets the held-back writes go. */
    void resume() {
        Queue<CompletableFuture<Void>> release = new ArrayDeque<>();
        synchronized (this) {
            if (--pausers > 0) {
                return;
            }
            inflight += waiting.size();
            release.addAll(waiting);
            waiting.clear();
        }
        release.forEach(f -> f.complete(null));
    }
}
