package org.jceph.rados.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed power-of-two buckets in microseconds, cheap enough to record
 * every op: one {@code numberOfLeadingZeros}, three {@link LongAdder} increments, no allocation.
 * Bucket 0 holds latencies under 1 µs; bucket {@code i > 0} those in [2^(i-1), 2^i) µs; the last
 * bucket everything from 2^(BUCKETS-2) µs (about 18 minutes) up.
 */
public final class LatencyHistogram {
    /** Number of buckets: up to 2^31 µs (~36 minutes), enough for any op timeout in use. */
    public static final int BUCKETS = 32;

    private final LongAdder[] buckets = new LongAdder[BUCKETS];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** The bucket a latency falls in. */
    static int bucketOf(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        int b = 64 - Long.numberOfLeadingZeros(micros); // 0 for 0, 1 for 1, 2 for 2..3, ...
        return Math.min(b, BUCKETS - 1);
    }

    /** Records one latency. */
    public void record(long nanos) {
        buckets[bucketOf(nanos)].increment();
        count.increment();
        sumNanos.add(Math.max(0, nanos));
    }

    /** Latencies recorded. */
    public long count() {
        return count.sum();
    }

    /** Their sum, in nanoseconds. */
    public long sumNanos() {
        return sumNanos.sum();
    }

    /** The counts per bucket (a copy; buckets are read one by one, not atomically together). */
    public long[] bucketCounts() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = buckets[i].sum();
        }
        return out;
    }

    /** Each bucket's exclusive upper bound in microseconds; the last is {@link Long#MAX_VALUE}. */
    public static long[] upperBoundsMicros() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS - 1; i++) {
            out[i] = 1L << i;
        }
        out[BUCKETS - 1] = Long.MAX_VALUE;
        return out;
    }
}
