package org.jceph.rados;

import java.time.Duration;
import org.jceph.messenger.config.CephConfig;

/**
 * librados' timeout options (rados_osd_op_timeout, rados_mon_op_timeout, client_mount_timeout):
 * seconds, fractions allowed, and 0 meaning no timeout at all, as in librados.
 */
final class Timeouts {
    private Timeouts() {
    }

    /** Option {@code key} in seconds ({@code def} when unset); {@link Duration#ZERO} stands for none. */
    static Duration option(CephConfig config, String key, String def) {
        String v = config.get(key, def).strip();
        double seconds;
        try {
            seconds = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number of seconds: '" + v + "'");
        }
        if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(key + " must be 0 (no timeout) or a positive number of seconds: '" + v + "'");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** Whether {@code timeout} means "wait as long as it takes". */
    static boolean isNone(Duration timeout) {
        return timeout.isZero();
    }
}
