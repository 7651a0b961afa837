package org.jceph.messenger.internal.compress;

import java.util.Locale;

/**
 * Ceph's compression modes (compressor/Compressor.h {@code CompressionMode}), the values of
 * {@code ms_osd_compress_mode}. On the wire msgr2 only carries whether to compress; the messenger
 * treats passive, aggressive and force alike once both sides agreed.
 */
public enum CompressionMode {
    NONE, PASSIVE, AGGRESSIVE, FORCE;

    /** The mode Ceph names {@code name}, or null. */
    public static CompressionMode named(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (CompressionMode m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        return null;
    }
}
