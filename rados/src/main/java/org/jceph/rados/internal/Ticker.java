package org.jceph.rados.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The client's clock, injected wherever time matters (op deadlines and latencies, retries, watch
 * confirmation, map waits), so that tests can drive time by hand instead of sleeping.
 * {@link #nanoTime()} is a monotonic reading with the meaning of {@link System#nanoTime()} (only
 * differences count); {@link #wallClock()} is the calendar time stamped on ops (their mtime).
 */
public interface Ticker {
    /** The system clocks. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant wallClock() {
            return Instant.now();
        }

        @Override
        public String toString() {
            return "Ticker.SYSTEM";
        }
    };

    /**
     * A monotonic reading in nanoseconds; only the difference of two readings means anything.
     *
     * @return the reading
     */
    long nanoTime();

    /**
     * The calendar time now.
     *
     * @return now
     */
    Instant wallClock();

    /**
     * A ticker that moves only when told to: for deterministic tests.
     *
     * @param start the wall-clock time it starts at
     * @return a new manual ticker at monotonic reading 0
     */
    static Manual manual(Instant start) {
        return new Manual(start);
    }

    /** A ticker moved by hand ({@link #advance}); safe to read from several threads. */
    final class Manual implements Ticker {
        private final Instant start;
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        private Manual(Instant start) {
            this.start = java.util.Objects.requireNonNull(start, "start");
        }

        /**
         * Moves both clocks forward.
         *
         * @param d how far, not negative
         * @return the new monotonic reading
         */
        public long advance(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a ticker does not go back: " + d);
            }
            return nanos.addAndGet(d.toNanos());
        }

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant wallClock() {
            return start.plusNanos(nanos.get());
        }
    }
}
