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

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean mine = super.cancel(mayInterruptIfRunning);
        if (root != this) {
            root.cancel(mayInterruptIfRunning);
        }
        return mine;
    }
}
