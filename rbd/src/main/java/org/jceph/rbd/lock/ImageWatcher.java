package org.jceph.rbd.lock;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.WatchNotifyMessages.ClientId;
import org.jceph.rbd.lock.WatchNotifyMessages.Notification;

/**
 * The watch librbd keeps on an image's header object (src/librbd/ImageWatcher.cc): it hears the
 * lock notifications and header updates other clients send, answers lock requests through the
 * {@link ExclusiveLock}, and sends our own notifications. Its watch handle, with our instance id,
 * is our {@link ClientId}.
 */
public final class ImageWatcher implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageWatcher.class);
    /** How long a notification waits for the watchers' acks (librbd: 5 s for lock notifications). */
    static final int NOTIFY_TIMEOUT_SECONDS = 5;

    private final IoCtx io;
    private final String header;
    private final Executor worker;
    private final long gid;
    private final IoCtx.WatchListener listener;
    private volatile long handle;
    private volatile ClientId me;
    private volatile boolean closed;
    private volatile ExclusiveLock lock;
    private volatile Consumer<Notification> headerUpdateListener = n -> {
    };
    private volatile OwnerOps ownerOps;
    private volatile Executor ownerRunner;
    /** Peers' requests we run as the lock owner and have not finished: a resent one is not run twice. */
    private final java.util.Set<WatchNotifyMessages.AsyncRequestId> running =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * What the lock owner runs for its peers, as librbd's owner does instead of handing the lock
     * over (librbd sends these to the owner first; an EOPNOTSUPP answer makes it take the lock).
     */
    public interface OwnerOps {
        /**
         * Creates snapshot {@code name} in the namespace given as the encoded
         * cls::rbd::SnapshotNamespace struct.
         */
        void snapCreate(String name, byte[] namespace);
    }

    public ImageWatcher(IoCtx io, String header, Executor worker) {
        this.io = io;
        this.header = header;
        this.worker = worker;
        this.listener = new IoCtx.WatchListener() {
            @Override
            public byte[] onNotify(long notifyId, long notifierGid, byte[] payload) {
                return handle(payload);
            }

            @Override
            public void onDisconnect() {
                worker.execute(ImageWatcher.this::rewatch);
            }
        };
        this.gid = io.client().instanceId();
        this.handle = io.watch(header, listener);
        this.me = new ClientId(gid, handle);
    }

    /**
     * The OSD dropped our watch: watch again (a new handle) and, if we hold the lock, move it to
     * the new cookie with cls_lock set_cookie, as librbd's ManagedLock reacquire does. If the lock
     * is gone meanwhile (a peer fenced us), it is lost and the next write asks again.
     */
    void rewatch() {
        if (closed) {
            return;
        }
        long old = handle;
        try {
            io.unwatch(header, old);
        } catch (RadosException e) {
            // already gone: that is why we are here
        }
        long fresh = io.watch(header, listener);
        LOG.info("{}: watch {} was dropped by the OSD; watching again as {}", header, old, fresh);
        handle = fresh;
        me = new ClientId(gid, fresh);
        ExclusiveLock l = lock;
        if (l != null) {
            l.watchReplaced(old);
        }
    }

    public long handle() {
        return handle;
    }

    public ClientId clientId() {
        return me;
    }

    String header() {
        return header;
    }

    void attach(ExclusiveLock lock) {
        this.lock = lock;
    }

    /** Called (on the worker) when another client says the header changed. */
    public void onHeaderUpdate(Consumer<Notification> listener) {
        this.headerUpdateListener = listener;
    }

    /**
     * Lets this client, while it owns the lock, run peers' snapshot requests on {@code runner}
     * (which must not be the lock worker: the operation takes the lock's permit). A runner that
     * refuses the task answers EBUSY.
     */
    public void onOwnerRequests(OwnerOps ops, Executor runner) {
        this.ownerRunner = runner;
        this.ownerOps = ops;
    }

    /**
     * librbd's remote request protocol: the owner acknowledges at once (ResponseMessage 0), reports
     * progress, runs the request and ends it with ASYNC_COMPLETE naming the request id; the peer
     * waits for that completion (rbd_request_timed_out_seconds, 30 s by default).
     */
    private byte[] ownerSnapCreate(byte[] payload) {
        OwnerOps ops = ownerOps;
        Executor runner = ownerRunner;
        WatchNotifyMessages.SnapCreateRequest r;
        try {
            r = WatchNotifyMessages.decodeSnapCreate(payload);
        } catch (RuntimeException e) {
            return WatchNotifyMessages.response(Errno.EOPNOTSUPP.negative());
        }
        if (ops == null || r == null || me.equals(r.id().client())) {
            return WatchNotifyMessages.response(Errno.EOPNOTSUPP.negative());
        }
        if (!running.add(r.id())) {
            return WatchNotifyMessages.response(0); // a resend of one we are running
        }
        try {
            runner.execute(() -> {
                int result = 0;
                try {
                    LOG.debug("{}: client.{} asks us, the lock owner, for snapshot {}", header, r.id().client().gid(),
                            r.snapName());
                    notifyQuietly(WatchNotifyMessages.asyncProgress(r.id(), 1, 10));
                    ops.snapCreate(r.snapName(), r.namespace());
                    LOG.info("{}: created snapshot {} for client.{}", header, r.snapName(), r.id().client().gid());
                } catch (org.jceph.rbd.RbdException e) {
                    result = e.errno() == 0 ? Errno.EIO.negative() : e.errno();
                } catch (RadosException e) {
                    result = e.errno();
                } catch (RuntimeException e) {
                    LOG.warn("{}: snapshot {} for client.{} failed", header, r.snapName(), r.id().client().gid(), e);
                    result = Errno.EIO.negative();
                } finally {
                    running.remove(r.id());
                }
                notifyQuietly(WatchNotifyMessages.asyncComplete(r.id(), result));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.remove(r.id());
            return WatchNotifyMessages.response(Errno.EBUSY.negative());
        }
        return WatchNotifyMessages.response(0);
    }

    private void notifyQuietly(byte[] message) {
        try {
            notify(message);
        } catch (RadosException e) {
            // the peer times its request out and asks again, as with librbd's owner
            LOG.debug("{}: notification to peers failed: {}", header, e.toString());
        }
    }

    private byte[] handle(byte[] payload) {
        Notification n;
        try {
            n = WatchNotifyMessages.decode(payload);
        } catch (RuntimeException e) {
            return new byte[0]; // not a message we can read: acknowledge, as librbd does for unknown ops
        }
        ExclusiveLock l = lock;
        switch (n.op()) {
            case WatchNotifyMessages.ACQUIRED_LOCK -> {
                if (l != null && !me.equals(n.client())) {
                    l.peerAcquired(n.client());
                }
            }
            case WatchNotifyMessages.RELEASED_LOCK -> {
                if (l != null && !me.equals(n.client())) {
                    l.peerReleased(n.client());
                }
            }
            case WatchNotifyMessages.REQUEST_LOCK -> {
                if (l != null && !me.equals(n.client()) && l.isOwner()) {
                    // The owner answers (and only the owner: the requester counts the non-empty replies).
                    return WatchNotifyMessages.response(l.lockRequested(n.client(), n.force()));
                }
            }
            case WatchNotifyMessages.HEADER_UPDATE -> worker.execute(() -> headerUpdateListener.accept(n));
            case WatchNotifyMessages.SNAP_CREATE -> {
                if (l != null && l.isOwner()) {
                    return ownerSnapCreate(payload);
                }
            }
            default -> {
                if (WatchNotifyMessages.isOwnerRequest(n.op()) && l != null && l.isOwner()) {
                    // Maintenance requests go to the lock owner; we do not run them for others, so we
                    // answer EOPNOTSUPP and librbd asks for the lock instead (then does it itself).
                    return WatchNotifyMessages.response(Errno.EOPNOTSUPP.negative());
                }
            }
        }
        return new byte[0];
    }

    /** Sends a notification to the header's watchers and returns what they replied. */
    IoCtx.NotifyResult notify(byte[] message) {
        return io.notify(header, message, NOTIFY_TIMEOUT_SECONDS);
    }

    /** Tells the other watchers the header changed (after a resize or a snapshot). */
    public void notifyHeaderUpdate() {
        try {
            notify(WatchNotifyMessages.headerUpdate());
        } catch (RadosException e) {
            // Best effort, as librbd: watchers also refresh when they next take the lock.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            io.unwatch(header, handle);
        } catch (RadosException e) {
            // The watch is gone already (the OSD timed it out): nothing left to remove.
        }
    }
}
