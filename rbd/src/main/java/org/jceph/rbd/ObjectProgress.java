package org.jceph.rbd;

import org.jceph.rbd.layout.StripingLayout;

/**
 * Counts objects finished for a {@link ProgressListener}, the way librbd's copies report them:
 * every count from 1 to the total in turn, even when a stretch of objects (holes, or a long
 * extent) finishes at once, so that a listener sees the same sequence librbd's would.
 */
final class ObjectProgress {
    private final ProgressListener listener;
    private final StripingLayout layout;
    private final long total;
    private long reported;

    ObjectProgress(ProgressListener listener, StripingLayout layout, long imageBytes) {
        this.listener = ProgressListener.orNone(listener);
        this.layout = layout;
        this.total = RbdImage.objectCountFor(layout, imageBytes);
    }

    /** Every object wholly before image offset {@code offset} is done. */
    void doneBefore(long offset) {
        long objects = layout.isStriped() ? offset / layout.objectSetSize() * layout.stripeCount()
                : offset / layout.objectSize();
        reached(objects);
    }

    /** The first {@code objects} objects are done (more than the total counts as the total). */
    void reached(long objects) {
        long k = Math.min(objects, total);
        while (reported < k) {
            reported++;
            listener.update(reported, total);
        }
    }

    /** All of them are done. */
    void finish() {
        reached(total);
    }
}
