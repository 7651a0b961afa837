package org.jceph.messenger.internal.compress;

import java.util.Locale;

/**
 * Ceph's compression algorithm ids (compressor/Compressor.h {@code CompressionAlgorithm}), as they
 * travel in msgr2's COMPRESSION_REQUEST / COMPRESSION_DONE frames, and the names
 * {@code ms_osd_compression_algorithm} lists. Brotli has an id but Debian builds no plugin for it
 * and jceph has no codec: it is never offered.
 */
public enum CompressionAlgorithm {
    NONE(0, "none"),
    SNAPPY(1, "snappy"),
    ZLIB(2, "zlib"),
    ZSTD(3, "zstd"),
    LZ4(4, "lz4"),
    BROTLI(5, "brotli");

    public final int id;
    public final String cephName;

    CompressionAlgorithm(int id, String cephName) {
        this.id = id;
        this.cephName = cephName;
    }

    /** The algorithm for a wire id, or null for an id Ceph does not define. */
    public static CompressionAlgorithm of(long id) {
        for (CompressionAlgorithm a : values()) {
            if (a.id == id) {
                return a;
            }
        }
        return null;
    }

    /** The algorithm Ceph names {@code name} (case-insensitive), or null. */
    public static CompressionAlgorithm named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (CompressionAlgorithm a : values()) {
            if (a.cephName.equals(n)) {
                return a;
            }
        }
        return null;
    }

    /** Whether jceph has a codec for it (every one but NONE and BROTLI). */
    public boolean supported() {
        return this != NONE && this != BROTLI;
    }
}
