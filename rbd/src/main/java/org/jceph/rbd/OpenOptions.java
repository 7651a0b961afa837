package org.jceph.rbd;

import java.time.Duration;
import java.util.Objects;

/**
 * How to open an image: read-write (the default) or read-only, at its head or at a snapshot, and
 * how long a write waits for the exclusive lock.
 *
 * <pre>{@code
 * try (RbdImage at = RbdImage.open(io, "vm1", OpenOptions.atSnapshot("before-upgrade"))) {
 *     at.read(0, buf);
 * }
 * }</pre>
 *
 * <p>Instances are immutable and may be shared between threads.
 *
 * @param readOnly open for reading only: no exclusive lock, no header watch
 * @param snapshot the snapshot to read, or null for the image's head; a snapshot is read-only
 * @param lockTimeout how long a write waits for the exclusive lock (0: as long as it takes)
 */
public record OpenOptions(boolean readOnly, String snapshot, Duration lockTimeout) {
    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException when a snapshot is named for a read-write open, or the
     *         timeout is negative
     */
    public OpenOptions {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("lock timeout " + lockTimeout + " is negative");
        }
        if (snapshot != null && !readOnly) {
            throw new IllegalArgumentException("snapshot " + snapshot + " can only be opened read-only");
        }
        if (snapshot != null && snapshot.isEmpty()) {
            throw new IllegalArgumentException("snapshot name is empty");
        }
    }

    /**
     * Read-write at the head, with the default lock timeout.
     *
     * @return the options
     */
    public static OpenOptions readWrite() {
        return new OpenOptions(false, null, RbdImage.DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * Read-only at the head.
     *
     * @return the options
     */
    public static OpenOptions readOnlyHead() {
        return new OpenOptions(true, null, RbdImage.DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * Read-only at snapshot {@code name}, sized as the image was then.
     *
     * @param name the snapshot's name
     * @return the options
     */
    public static OpenOptions atSnapshot(String name) {
        return new OpenOptions(true, Objects.requireNonNull(name, "name"), RbdImage.DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * These options with another lock timeout.
     *
     * @param timeout how long a write waits for the exclusive lock (0: as long as it takes)
     * @return new options
     */
    public OpenOptions withLockTimeout(Duration timeout) {
        return new OpenOptions(readOnly, snapshot, timeout);
    }
}
