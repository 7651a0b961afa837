package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Power-of-two buckets in microseconds: each latency lands under its bucket's bound and above the one before. */
class LatencyHistogramTest {
    @Test
    void latenciesLandInTheirPowerOfTwoBucket() {
        long[] bounds = LatencyHistogram.upperBoundsMicros();
        assertEquals(LatencyHistogram.BUCKETS, bounds.length);
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(0, LatencyHistogram.bucketOf(999)); // under 1 us
        assertEquals(1, LatencyHistogram.bucketOf(1_000)); // 1 us
        assertEquals(2, LatencyHistogram.bucketOf(2_000));
        assertEquals(2, LatencyHistogram.bucketOf(3_999));
        assertEquals(11, LatencyHistogram.bucketOf(1_500_000)); // 1.5 ms: [1024, 2048) us
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
        assertEquals(0, LatencyHistogram.bucketOf(-5)); // a clock step back counts as 0
        for (long micros : new long[] {1, 3, 17, 1000, 123_456, 9_999_999}) {
            int b = LatencyHistogram.bucketOf(micros * 1000);
            assertEquals(true, micros < bounds[b] && (b == 0 || micros >= bounds[b - 1]), micros + " us in bucket " + b);
        }
    }

    @Test
    void countsAndSumsAddUp() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_500_000);
        h.record(1_600_000);
        h.record(40_000);
        assertEquals(3, h.count());
        assertEquals(3_140_000, h.sumNanos());
        long[] counts = h.bucketCounts();
        assertEquals(3, Arrays.stream(counts).sum());
        assertEquals(2, counts[11]);
        assertEquals(1, counts[6]); // 40 us: [32, 64)
    }
}
