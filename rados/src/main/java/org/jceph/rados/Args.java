package org.jceph.rados;

import java.util.Objects;

/** Argument checks done before anything is sent: the exception names the argument. */
final class Args {
    private Args() {
    }

    /** An object name: not null, not empty. */
    static String oid(String oid) {
        Objects.requireNonNull(oid, "oid must not be null");
        if (oid.isEmpty()) {
            throw new IllegalArgumentException("oid must not be empty");
        }
        return oid;
    }

    static <T> T notNull(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    static long offset(long offset) {
        return nonNegative(offset, "offset");
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }

    /** An extent's offset and length, both non-negative and not past 2^64 together. */
    static void extent(long offset, long length) {
        offset(offset);
        nonNegative(length, "length");
        if (offset + length < 0) {
            throw new IllegalArgumentException("offset + length overflows: " + offset + " + " + length);
        }
    }
}
