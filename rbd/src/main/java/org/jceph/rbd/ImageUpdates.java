package org.jceph.rbd;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.WatchNotifyMessages;

/**
 * Tells the user when an image's header changes (librbd's {@code rbd_update_watch} /
 * {@code rbd_update_unwatch}): resize, snapshots, features, metadata, flatten... by any client,
 * librbd or jceph, that announces the change with a HEADER_UPDATE notification on
 * {@code rbd_header.ID}, as both do.
 *
 * <p>A watch of its own on the header, independent of the image handle's (read-only handles
 * have none). The callback runs on a thread of this watch, one call at a time, never on the
 * messenger's; a lost watch is re-established and, as librbd does after a re-watch, the callback
 * is called once since changes may have been missed meanwhile. {@link #close()} unwatches.
 */
public final class ImageUpdates implements AutoCloseable {
    private final IoCtx io;
    private final String header;
    private final Runnable callback;
    private final ExecutorService worker;
    private volatile long handle;
    private volatile boolean closed;

    private ImageUpdates(IoCtx io, String header, Runnable callback, String image) {
        this.io = io;
        this.header = header;
        this.callback = callback;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rbd-update-watch-" + image);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching {@code img}'s header.
     *
     * @param img the image (any handle: HEAD or snapshot, read-only or not)
     * @param callback called after each header update notification
     * @return the watch; close it to stop ({@code rbd_update_unwatch})
     */
    public static ImageUpdates watch(RbdImage img, Runnable callback) {
        if (callback == null) {
            throw new RbdException(-22, "update watch needs a callback");
        }
        ImageUpdates u = new ImageUpdates(img.metadataIo(), "rbd_header." + img.id(), callback, img.name());
        try {
            u.handle = u.io.watch(u.header, u.listener());
        } catch (RuntimeException e) {
            u.worker.shutdownNow();
            throw e;
        }
        return u;
    }

    private IoCtx.WatchListener listener() {
        return new IoCtx.WatchListener() {
            @Override
            public byte[] onNotify(long notifyId, long notifierGid, byte[] payload) {
                int op;
                try {
                    op = WatchNotifyMessages.decode(payload).op();
                } catch (RuntimeException e) {
                    return new byte[0]; // not a message we read: acknowledged, as librbd does
                }
                if (op == WatchNotifyMessages.HEADER_UPDATE) {
                    dispatch();
                }
                return new byte[0]; // an empty acknowledgement: we answer no lock requests
            }

            @Override
            public void onDisconnect() {
                if (!closed) {
                    worker.execute(ImageUpdates.this::rewatch);
                }
            }
        };
    }

    private void dispatch() {
        if (!closed) {
            try {
                worker.execute(this::call);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private void call() {
        if (!closed) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ImageUpdates.class).warn("update watch on {}: callback failed: {}",
                        header, e.toString());
            }
        }
    }

    private void rewatch() {
        if (closed) {
            return;
        }
        try {
            io.unwatch(header, handle);
        } catch (RadosException e) {
            // the old watch is already gone
        }
        try {
            handle = io.watch(header, listener());
            call(); // changes may have been missed while the watch was down
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ImageUpdates.class).warn("update watch on {} lost: {}", header,
                    e.toString());
        }
    }

    /** The watch's cookie on the header (as {@code rbd status} lists it). */
    public long cookie() {
        return handle;
    }

    /** Stops watching ({@code rbd_update_unwatch}); no callback starts after this returns. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            io.unwatch(header, handle);
        } catch (RadosException e) {
            // the header or the watch is gone already
        } finally {
            worker.shutdown();
        }
    }
}
