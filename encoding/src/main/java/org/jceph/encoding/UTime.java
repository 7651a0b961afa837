package org.jceph.encoding;

import java.time.Instant;

/**
 * {@code utime_t} and {@code ceph_timespec}: u32 seconds and u32 nanoseconds since the epoch.
 * Values are unsigned; they are kept in longs so that round trips are exact.
 */
public record UTime(long seconds, long nanos) {
    public static final UTime ZERO = new UTime(0, 0);

    public UTime {
        if (seconds < 0 || seconds > 0xFFFF_FFFFL || nanos < 0 || nanos > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("utime_t fields are u32: " + seconds + "." + nanos);
        }
    }

    public static UTime of(Instant instant) {
        return new UTime(instant.getEpochSecond(), instant.getNano());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds, nanos);
    }

    @Override
    public String toString() {
        return String.format("%d.%09d", seconds, nanos);
    }
}
