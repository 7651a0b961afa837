package org.jceph.rados;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one RADOS op, and of every stage derived from it ({@code thenApply},
 * {@code thenCompose}, ...): cancelling any of them cancels the op itself, which then leaves the
 * Objecter's queue and in-flight budget, and whose reply, if one still comes, is ignored.
 */
final class OpFuture<T> extends CompletableFuture<T> {
    /** The op's own future; {@code this} for the root. */
    private final OpFuture<?> root;
    /** What runs just before the root completes: told how it ends. */
    interface BeforeDone {
        /**
         * @param failure the exception it fails with, null when it succeeds or is cancelled
         * @param cancelled whether it was cancelled
         */
        void done(Throwable failure, boolean cancelled);
    }

    /** Run once, just before the root completes in any way (so the op has left the queue by then). */
    private volatile BeforeDone beforeDone;
    private final java.util.concurrent.atomic.AtomicBoolean cleaned = new java.util.concurrent.atomic.AtomicBoolean();

    private OpFuture(OpFuture<?> root) {
        this.root = root == null ? this : root;
    }

    static <T> OpFuture<T> root() {
        return new OpFuture<>(null);
    }

    static <T> OpFuture<T> failed(Throwable t) {
        OpFuture<T> f = new OpFuture<>(null);
        f.completeExceptionally(t);
        return f;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new OpFuture<>(root);
    }

    /** Sets the bookkeeping to run before the op's future completes, whoever completes it. */
    void beforeDone(BeforeDone r) {
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
        cleanUp(null, false);
        return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        cleanUp(ex, false);
        return super.completeExceptionally(ex);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (root == this) {
            cleanUp(null, true);
        }
        boolean mine = super.cancel(mayInterruptIfRunning);
        if (root != this) {
            root.cancel(mayInterruptIfRunning);
        }
        return mine;
    }
}
