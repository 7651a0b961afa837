package org.jceph.rados.internal.objecter;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The in-flight budget (librados' objecter_inflight_ops / objecter_inflight_op_bytes): ops and
 * payload bytes admitted and not yet ended. A caller beyond it waits (back-pressure), at most
 * what is left of its op's timeout; no queue grows without bound. An op larger than the whole
 * byte budget is counted as the whole budget, so it still goes, alone.
 */
final class Budget {
    /** Which budget a caller ran out of while waiting. */
    enum Exhausted {
        OPS("op"), BYTES("byte");

        final String what;

        Exhausted(String what) {
            this.what = what;
        }
    }

    private final Semaphore ops;
    private final Semaphore bytes;
    private final int maxBytes;

    Budget(int maxOps, int maxBytes) {
        this.ops = new Semaphore(maxOps);
        this.bytes = new Semaphore(maxBytes);
        this.maxBytes = maxBytes;
    }

    /** What an op of {@code payload} bytes counts against the byte budget. */
    int bytesOf(long payload) {
        return (int) Math.min(maxBytes, payload);
    }

    /**
     * Admits one op of {@code n} bytes (from {@link #bytesOf}), waiting for room.
     *
     * @param n its bytes
     * @param unbounded wait as long as it takes (an op without a timeout)
     * @param remainingMillis what is left of the op's timeout, read before each wait
     * @return null when admitted, else the budget that stayed full until the timeout
     * @throws InterruptedException when interrupted while waiting (nothing is held then)
     */
    Exhausted acquire(int n, boolean unbounded, LongSupplier remainingMillis) throws InterruptedException {
        if (unbounded) {
            ops.acquire();
            try {
                bytes.acquire(n);
            } catch (InterruptedException e) {
                ops.release();
                throw e;
            }
            return null;
        }
        if (!ops.tryAcquire(remainingMillis.getAsLong(), TimeUnit.MILLISECONDS)) {
            return Exhausted.OPS;
        }
        boolean admitted = false;
        try {
            admitted = bytes.tryAcquire(n, remainingMillis.getAsLong(), TimeUnit.MILLISECONDS);
        } finally {
            if (!admitted) {
                ops.release();
            }
        }
        return admitted ? null : Exhausted.BYTES;
    }

    /** Gives back what one op of {@code n} bytes held. */
    void release(int n) {
        ops.release();
        bytes.release(n);
    }

    /** Payload bytes held now. */
    long bytesInFlight() {
        return maxBytes - (long) bytes.availablePermits();
    }

    /** Callers waiting for room now (an estimate, as {@link Semaphore#getQueueLength()}). */
    int waiters() {
        return ops.getQueueLength() + bytes.getQueueLength();
    }
}
