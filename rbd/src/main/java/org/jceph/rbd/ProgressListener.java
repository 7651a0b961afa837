package org.jceph.rbd;

/**
 * Progress of a long image operation, as librbd's {@code librbd_progress_fn_t} reports it: a count
 * done out of a total (objects for remove, resize, rollback, flatten, sparsify and copies; images
 * for trash purge; bytes for export and import). Calls come from the thread running the
 * operation, in order, with {@code done} never decreasing; a listener should return quickly.
 *
 * <p>The counts follow librbd's, so that a tool printing {@code 100 * done / total} shows what
 * the stock {@code rbd} shows: operations that walk objects through librbd's object throttle
 * (remove, shrink, rollback, flatten, sparsify) report object {@code n} of {@code N} as it is
 * started, so the last call is {@code (N-1, N)}; copies report each object finished, up to
 * {@code (N, N)}; trash purge reports each image removed.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * Reports progress.
     *
     * @param done how much is done (or started), never more than {@code total}
     * @param total the whole
     */
    void update(long done, long total);

    /** A listener that ignores every report. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code listener}, or {@link #NONE} for null. */
    static ProgressListener orNone(ProgressListener listener) {
        return listener == null ? NONE : listener;
    }
}
