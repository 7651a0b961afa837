package org.jceph.rados.internal.objecter;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one RADOS op (internal: callers see it as a CompletableFuture), and of every stage derived from it ({@code thenApply},
 * {@code thenCompose}, ...): cancelling any of them cancels the op itself, which then leaves the
 * Objecter's queue and in-flight budget, and whose reply, if one still comes, is ignored.
 *
 * <p>The op's own (root) future is completed on the client's completion executor, never on the
 * thread that settles it (the messenger's I/O thread for a reply, the timer for a timeout): the
 * bookkeeping runs at once on that thread, and the first outcome wins ({@link #settled()}), but
 * the future itself, and so every stage a user chained to it, completes on the executor.
 */
public final class OpFuture<T> extends CompletableFuture<T> {
    /** The op's own future; {@code this} for the root. */
    private final OpFuture<?> root;
    /** What runs just before the root completes: told how it ends. */
    public interface BeforeDone {
        /**
         * @param failure the exception it fails with, null when it succeeds or is cancelled
         * @param cancelled whether it was cancelled
         */
        void done(Throwable failure, boolean cancelled);
    }

    /** Run once, just before the root completes in any way (so the op has left the queue by then). */
    private volatile BeforeDone beforeDone;
    private final java.util.concurrent.atomic.AtomicBoolean cleaned = new java.util.concurrent.atomic.AtomicBoolean();

    /** Where the root completes (null: on the settling thread, as for derived stages). */
    private final java.util.concurrent.Executor completer;
    /** Set by the first outcome of the root, before its completion is handed to {@link #completer}. */
    private final java.util.concurrent.atomic.AtomicBoolean settledFlag = new java.util.concurrent.atomic.AtomicBoolean();

    private OpFuture(OpFuture<?> root, java.util.concurrent.Executor completer) {
        this.root = root == null ? this : root;
        this.completer = completer;
    }

    private OpFuture(OpFuture<?> root) {
        this(root, null);
    }

    public static <T> OpFuture<T> root() {
        return new OpFuture<>(null);
    }

    /**
     * A root future whose completion runs on {@code completer}.
     *
     * @param completer where the op's future completes, and so where stages chained to it run
     */
    public static <T> OpFuture<T> root(java.util.concurrent.Executor completer) {
        return new OpFuture<>(null, completer);
    }

    /**
     * Whether the op has an outcome: completed, or settled with its completion on its way to the
     * completion executor. The Objecter tests this, not {@link #isDone()}, before acting on an op.
     */
    public boolean settled() {
        return settledFlag.get() || isDone();
    }

    private boolean completesElsewhere() {
        return root == this && completer != null;
    }

    private void dispatch(Runnable completion) {
        try {
            completer.execute(completion);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            completion.run(); // the executor is shut down (the client is closing): complete here
        }
    }

    public static <T> OpFuture<T> failed(Throwable t) {
        OpFuture<T> f = new OpFuture<>(null);
        f.completeExceptionally(t);
        return f;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new OpFuture<>(root);
    }

    /** Sets the bookkeeping to run before the op's future completes, whoever completes it. */
    public void beforeDone(BeforeDone r) {
        beforeDone = r;
    }

    private void cleanUp(Throwable failure, boolean cancelled) {
        BeforeDone r = beforeDone;
        if (r != null && !isDone() && cleaned.compareAndSet(false, true)) {
            r.done(failure, cancelled);
        }
    }

    /** True from {@link #claim} until the claimed reply's data is delivered; guarded by this. */
    private boolean delivering;
    /** How long a cancel waits at most for a claimed reply's copy into a caller's buffer. */
    private static final long DELIVERY_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /**
     * Settles the root for a reply that still has data to deliver into a caller's buffer: after
     * this nothing else (timeout, close) can end the op, and a cancel waits until
     * {@link #completeClaimed} before it takes effect, so the caller never sees the op over while
     * its buffer is still being written. The op's bookkeeping (queue, budget, metrics) runs here.
     *
     * @return false when the op already has an outcome: then the reply must be dropped, its data
     *     not delivered
     */
    public boolean claim() {
        if (root != this || !settledFlag.compareAndSet(false, true) || isDone()) {
            return false;
        }
        synchronized (this) {
            delivering = true;
        }
        cleanUp(null, false);
        return true;
    }

    /**
     * Completes a root {@link #claim}ed before, once the reply's data is delivered.
     *
     * @param value the reply, when {@code failure} is null
     * @param failure what went wrong, or null
     */
    public void completeClaimed(T value, Throwable failure) {
        synchronized (this) {
            delivering = false;
            notifyAll();
        }
        if (completesElsewhere()) {
            dispatch(() -> finish(value, failure));
        } else {
            finish(value, failure);
        }
    }

    /** Waits (bounded) while a claimed reply is still being copied into the caller's buffer. */
    private void awaitDelivery() {
        boolean interrupted = false;
        synchronized (this) {
            long end = System.nanoTime() + DELIVERY_WAIT_NANOS;
            while (delivering) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean complete(T value) {
        return settle(value, null);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        return settle(null, java.util.Objects.requireNonNull(ex));
    }

    /**
     * Both ways an outcome arrives: the root takes the first one only, runs its bookkeeping at
     * once and completes on its executor; a derived stage completes here.
     *
     * @param value the result, when {@code failure} is null
     * @param failure what it fails with, or null
     */
    private boolean settle(T value, Throwable failure) {
        if (completesElsewhere()) {
            if (!settledFlag.compareAndSet(false, true) || isDone()) {
                return false;
            }
            cleanUp(failure, false);
            dispatch(() -> finish(value, failure));
            return true;
        }
        if (root == this && !settledFlag.compareAndSet(false, true)) {
            return false; // it already has an outcome (or a claimed reply owns it)
        }
        cleanUp(failure, false);
        return finish(value, failure);
    }

    /** Completes this future itself, normally or with {@code failure}. */
    private boolean finish(T value, Throwable failure) {
        return failure == null ? super.complete(value) : super.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (root == this) {
            // a cancel is the caller's own act: it takes effect at once, on the caller's thread
            if (settledFlag.compareAndSet(false, true)) {
                cleanUp(null, true);
            } else {
                awaitDelivery(); // a reply owns the op: let its copy into the caller's buffer finish
            }
        } else {
            root.awaitDelivery();
        }
        boolean mine = super.cancel(mayInterruptIfRunning);
        if (root != this) {
            root.cancel(mayInterruptIfRunning);
        }
        return mine;
    }
}
