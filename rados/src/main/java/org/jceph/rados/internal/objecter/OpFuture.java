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

    @Override
    public boolean complete(T value) {
        if (completesElsewhere()) {
            if (!settledFlag.compareAndSet(false, true) || isDone()) {
                return false;
            }
            cleanUp(null, false);
            dispatch(() -> super.complete(value));
            return true;
        }
        cleanUp(null, false);
        return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        if (completesElsewhere()) {
            if (!settledFlag.compareAndSet(false, true) || isDone()) {
                return false;
            }
            cleanUp(ex, false);
            dispatch(() -> super.completeExceptionally(ex));
            return true;
        }
        cleanUp(ex, false);
        return super.completeExceptionally(ex);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (root == this) {
            // a cancel is the caller's own act: it takes effect at once, on the caller's thread
            if (settledFlag.compareAndSet(false, true)) {
                cleanUp(null, true);
            }
        }
        boolean mine = super.cancel(mayInterruptIfRunning);
        if (root != this) {
            root.cancel(mayInterruptIfRunning);
        }
        return mine;
    }
}
