package org.jceph.rbd.lock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.LockInfo;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.lock.WatchNotifyMessages.ClientId;

/**
 * librbd's exclusive lock (src/librbd/ManagedLock.cc, src/librbd/exclusive_lock/): a cls_lock
 * exclusive lock named {@code rbd_lock} on the header, cookie {@code "auto <watch handle>"}, tag
 * {@code "internal"}, taken before the first write and given up when another client asks.
 *
 * <ul>
 *   <li>Acquire: lock; if busy, look at the owner. A lock librbd did not take (other tag or
 *       cookie) is never touched. An owner whose header watch is gone (same address and handle
 *       as the lock) is dead: blocklist its address through the monitor, wait for the map that
 *       carries it, then break its lock. A live owner is sent REQUEST_LOCK and we retry when it
 *       says RELEASED_LOCK, or after a while, until the acquire deadline.</li>
 *   <li>Hold: writes run under permits; when a peer sends REQUEST_LOCK we answer 0, stop
 *       handing out permits, wait for the writes in flight, unlock and send RELEASED_LOCK. The
 *       next write asks for the lock again.</li>
 *   <li>ACQUIRED_LOCK is sent after every acquisition; RELEASED_LOCK after every release.</li>
 * </ul>
 * Blocking steps run on the image's worker thread, never on the caller's or the notify thread.
 */
public final class ExclusiveLock {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExclusiveLock.class);
    /** Whom we last asked for the lock (logged at INFO once, the retries at DEBUG); null after acquiring. */
    private volatile String lastRequestedFrom;
    public static final String LOCK_NAME = "rbd_lock";
    public static final String LOCK_TAG = "internal";
    public static final String COOKIE_PREFIX = "auto";
    /** How long we wait for a live owner's RELEASED_LOCK before asking again. */
    private static final long REQUEST_RETRY_MILLIS = 3000;
    /** How long a release waits for the writes in flight (each is bounded by the op timeout). */
    private static final long DRAIN_MILLIS = 120_000;

    /** What the image does right after taking the lock and right before giving it up. */
    public interface Hooks {
        void acquired();

        void releasing();

        /**
         * Runs on the worker before a requested release drains the writes: the image writes its
         * cached dirty data back while it still holds the lock.
         */
        default void beforeRelease() {
        }
    }

    /** One write running under the lock; close it when the write is done. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final IoCtx io;
    private final ImageWatcher watcher;
    private final ExecutorService worker;
    private final Duration acquireTimeout;
    private final Hooks hooks;
    private final String image;

    /**
     * Where the lock stands, as the kernel's rbd.c keeps rbd_lock_state (UNLOCKED, LOCKED,
     * RELEASING), with librbd's queued release between the last two. Guarded by {@code mon}.
     *
     * <pre>
     *                 acquire() on the worker: cls_lock lock, hooks.acquired(), ACQUIRED_LOCK
     *   UNLOCKED ------------------------------------------------------------------------> LOCKED
     *      ^  ^                                                                        |   ^
     *      |  | watchReplaced(): set_cookie failed (a peer broke our lock)             |   |
     *      |  +--------------------------------------------------- (from LOCKED or ----+   |
     *      |                                                        RELEASE_QUEUED)    |   |
     *      |                                        lockRequested() from a peer        |   |
     *      |                                                                           v   |
     *      |                                                            RELEASE_QUEUED     |
     *      |                                      (permits still given out while the       |
     *      |                                       cache writes back: beforeRelease)       |
     *      |                                                                 |             |
     *      |        release() on the worker (also shutdown() from LOCKED)    v             |
     *      |  hooks.releasing(), unlock, RELEASED_LOCK                   RELEASING --------+
     *      +------------------------------------------------------------ (no new permits;
     *                                                                     drains the writes
     *                                                                     in flight; on a drain
     *                                                                     timeout or interrupt
     *                                                                     back to LOCKED)
     * </pre>
     */
    enum State {
        UNLOCKED,
        LOCKED,
        /** A peer asked for the lock; the release is queued on the worker (writes still go until it drains). */
        RELEASE_QUEUED,
        /** Draining the writes in flight before unlocking: no new permits. */
        RELEASING
    }

    private final Object mon = new Object();
    private State state = State.UNLOCKED;
    private int inflight;
    private long peerReleases;
    private CompletableFuture<Void> acquiring;
    private volatile ClientId peerOwner;
    private volatile long acquisitions;

    public ExclusiveLock(IoCtx io, ImageWatcher watcher, ExecutorService worker, Duration acquireTimeout, Hooks hooks,
            String image) {
        this.io = io;
        this.watcher = watcher;
        this.worker = worker;
        this.acquireTimeout = acquireTimeout;
        this.hooks = hooks;
        this.image = image;
        watcher.attach(this);
    }

    /** Our lock cookie, as librbd writes it. */
    public String cookie() {
        return COOKIE_PREFIX + " " + Long.toUnsignedString(watcher.handle());
    }

    public boolean isOwner() {
        synchronized (mon) {
            return state != State.UNLOCKED;
        }
    }

    /** How many times we took the lock since the image was opened. */
    public long acquisitions() {
        return acquisitions;
    }

    /**
     * Manual mode, librbd's StandardPolicy (what rbd_lock_acquire switches an image to): a peer's
     * request for the lock is refused with EROFS instead of handing the lock over, and without
     * the lock, writes fail with EROFS instead of asking for it.
     */
    private volatile boolean manual;

    /**
     * Whether the lock is taken and given up only on the user's word (rbd_lock_acquire/release).
     *
     * @return true in manual mode
     */
    public boolean isManual() {
        return manual;
    }

    /** A permit for one write: immediate while we hold the lock, otherwise after acquiring it. */
    public CompletableFuture<Permit> begin() {
        return begin(System.nanoTime() + acquireTimeout.toNanos());
    }

    private CompletableFuture<Permit> begin(long deadline) {
        synchronized (mon) {
            if (state == State.LOCKED || state == State.RELEASE_QUEUED) {
                inflight++;
                return CompletableFuture.completedFuture(this::end);
            }
            if (System.nanoTime() - deadline > 0) {
                return CompletableFuture.failedFuture(timeout());
            }
            if (manual && !manualAcquire) {
                return CompletableFuture.failedFuture(new RbdException(Errno.EROFS.negative(), "image " + image
                        + ": the exclusive lock was released by the user (rbd_lock_release): acquire it first"));
            }
            if (acquiring == null || acquiring.isDone()) {
                acquiring = CompletableFuture.runAsync(() -> acquire(deadline), worker);
            }
            return acquiring.thenCompose(v -> begin(deadline));
        }
    }

    private void end() {
        synchronized (mon) {
            if (--inflight == 0) {
                mon.notifyAll();
            }
        }
    }

    private RbdException.LockTimeoutException timeout() {
        ClientId o = peerOwner;
        return new RbdException.LockTimeoutException("could not take the exclusive lock of image " + image + " within "
                + acquireTimeout.toSeconds() + " s" + (o != null ? " (held by client." + o.gid() + ")" : ""));
    }

    /** Runs on the worker: takes the lock or throws. */
    private void acquire(long deadline) {
        while (true) {
            synchronized (mon) {
                if (state != State.UNLOCKED) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                RbdException.LockTimeoutException t = timeout();
                LOG.info("{}", t.getMessage());
                throw t;
            }
            long releasesBefore;
            synchronized (mon) {
                releasesBefore = peerReleases;
            }
            try {
                io.lock(watcher.header(), LOCK_NAME, false, cookie(), LOCK_TAG, "", 0);
            } catch (RadosException e) {
                if (e.errno() == Errno.EBUSY.negative()) { // EBUSY: someone else holds it
                    handleBusy(deadline, releasesBefore);
                    continue;
                }
                if (e.errno() != Errno.EEXIST.negative()) { // EEXIST: the lock is already ours under this cookie
                    throw e;
                }
            }
            try {
                hooks.acquired();
            } catch (RuntimeException e) {
                unlockQuietly();
                throw e;
            }
            synchronized (mon) {
                state = State.LOCKED;
                acquisitions++;
                peerOwner = null;
            }
            LOG.info("image {}: exclusive lock acquired (cookie '{}')", image, cookie());
            lastRequestedFrom = null;
            notifyQuietly(WatchNotifyMessages.acquiredLock(watcher.clientId()));
            return;
        }
    }

    private void handleBusy(long deadline, long releasesBefore) {
        LockInfo info = io.getLockInfo(watcher.header(), LOCK_NAME);
        if (info.lockers().isEmpty()) {
            return; // released meanwhile: try again
        }
        LockInfo.Locker holder = info.lockers().get(0);
        Long handle = parseCookie(holder.cookie());
        if (info.type() != LockInfo.EXCLUSIVE || !LOCK_TAG.equals(info.tag()) || handle == null) {
            throw new RbdException.LockBusyException("image " + image + " is locked by " + holder.name() + " with a lock librbd did not"
                    + " take (tag '" + info.tag() + "', cookie '" + holder.cookie() + "'): not breaking it");
        }
        String ownerAddr = addrString(holder.addr());
        boolean alive = io.listWatchers(watcher.header()).stream()
                .anyMatch(w -> w.cookie() == handle && addrString(w.addr()).equals(ownerAddr));
        if (!alive) {
            // Look again (librbd's BreakRequest re-reads the locker): only the same dead holder is fenced.
            LockInfo again = io.getLockInfo(watcher.header(), LOCK_NAME);
            if (again.lockers().size() == 1 && again.lockers().get(0).name().equals(holder.name())
                    && again.lockers().get(0).cookie().equals(holder.cookie())) {
                breakDeadOwner(holder, ownerAddr);
            }
            return;
        }
        if (holder.name().toString().equals(lastRequestedFrom)) {
            LOG.debug("image {}: exclusive lock still held by {}: requesting it again", image, holder.name());
        } else {
            LOG.info("image {}: exclusive lock held by {}: requesting it", image, holder.name());
            lastRequestedFrom = holder.name().toString();
        }
        IoCtx.NotifyResult r = watcher.notify(WatchNotifyMessages.requestLock(watcher.clientId(), false));
        List<byte[]> answers = r.replies().values().stream().filter(b -> b != null && b.length > 0).toList();
        if (answers.size() > 1) {
            throw new RbdException.LockBusyException("image " + image + ": more than one client claims to own the exclusive lock");
        }
        if (answers.size() == 1) {
            int result = WatchNotifyMessages.decodeResponse(answers.get(0));
            if (result < 0) {
                throw new RbdException.LockBusyException("image " + image + ": the lock owner " + holder.name()
                        + " refuses to release the exclusive lock (error " + result + ")");
            }
        }
        // Either the owner agreed (wait for its RELEASED_LOCK) or nobody answered (its watch may be
        // going away): look again after a while.
        synchronized (mon) {
            long until = Math.min(System.nanoTime() + REQUEST_RETRY_MILLIS * 1_000_000L, deadline);
            while (peerReleases == releasesBefore && until - System.nanoTime() > 0) {
                try {
                    mon.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RbdException("interrupted while waiting for the exclusive lock of " + image);
                }
            }
        }
    }

    /** The owner's watch is gone: fence it off (blocklist), then take its lock, as librbd's BreakRequest. */
    private void breakDeadOwner(LockInfo.Locker holder, String ownerAddr) {
        var client = io.client();
        LOG.warn("image {}: exclusive lock owner {} at {} has no watch: blocklisting it and breaking its lock", image,
                holder.name(), ownerAddr);
        long epochBefore = client.osdMap().epoch();
        client.monCommand(Map.of("prefix", "osd blocklist", "blocklistop", "add", "addr", ownerAddr));
        client.waitForMap(m -> m.epoch() > epochBefore, Duration.ofSeconds(30));
        try {
            io.breakLock(watcher.header(), LOCK_NAME, holder.name(), holder.cookie());
        } catch (RadosException.ObjectNotFoundException e) {
            // Already broken by someone else.
        }
    }

    /**
     * An address as {@code ip:port/nonce}, without the type prefix: the lock records the address
     * in one encoding and list_watchers reports it in another (legacy vs. new form), while the
     * client they name is the same. This is also the form {@code osd blocklist add} takes.
     */
    static String addrString(EntityAddr a) {
        String s = a.toString();
        int colon = s.indexOf(':');
        return colon > 0 && s.substring(0, colon).matches("any|v1|v2|none|type\\d+") ? s.substring(colon + 1) : s;
    }

    static Long parseCookie(String cookie) {
        if (!cookie.startsWith(COOKIE_PREFIX + " ")) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(cookie.substring(COOKIE_PREFIX.length() + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Runs on the worker after a re-watch: our lock follows the new watch handle (set_cookie). */
    void watchReplaced(long oldHandle) {
        synchronized (mon) {
            if (state == State.UNLOCKED) {
                return;
            }
        }
        String oldCookie = COOKIE_PREFIX + " " + Long.toUnsignedString(oldHandle);
        byte[] in = org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(LOCK_NAME).writeU8(LockInfo.EXCLUSIVE).writeString(oldCookie).writeString(LOCK_TAG)
                    .writeString(cookie());
            e.finishStruct(mark);
        });
        try {
            io.exec(watcher.header(), "lock", "set_cookie", in);
        } catch (RadosException e) {
            LOG.warn("image {}: exclusive lock lost (broken by a peer?): {}", image, e.getMessage());
            synchronized (mon) {
                state = State.UNLOCKED; // broken by a peer (after fencing us): ask again on the next write
                mon.notifyAll();
            }
        }
    }

    /** Called on the notify thread when a peer asks for the lock: answer 0 and release soon (EROFS in manual mode). */
    int lockRequested(ClientId requester, boolean force) {
        if (manual) {
            LOG.info("image {}: client.{} requests the exclusive lock: refused, it was acquired by the user", image,
                    requester.gid());
            return Errno.EROFS.negative();
        }
        synchronized (mon) {
            if (state == State.LOCKED) {
                LOG.info("image {}: client.{} requests the exclusive lock{}: releasing it", image, requester.gid(),
                        force ? " (forced)" : "");
                // Not "releasing" yet: the image's cache writes back under the lock first (beforeRelease).
                state = State.RELEASE_QUEUED;
                worker.execute(this::releaseQuietly);
            }
        }
        return 0;
    }

    void peerAcquired(ClientId who) {
        peerOwner = who;
    }

    void peerReleased(ClientId who) {
        synchronized (mon) {
            peerOwner = null;
            peerReleases++;
            mon.notifyAll();
        }
    }

    private void releaseQuietly() {
        try {
            release();
        } catch (RuntimeException e) {
            // The lock stays ours (or was lost with the watch); the requester will ask again.
            LOG.info("image {}: exclusive lock not released: {}", image, e.getMessage());
        }
    }

    /** Runs on the worker: waits for the writes in flight, unlocks, and says RELEASED_LOCK. */
    private void release() {
        try {
            hooks.beforeRelease();
        } finally {
            synchronized (mon) {
                if (state == State.RELEASE_QUEUED) {
                    state = State.LOCKED;
                }
            }
        }
        synchronized (mon) {
            if (state == State.UNLOCKED) {
                return;
            }
            state = State.RELEASING;
            long until = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            while (inflight > 0) {
                long left = (until - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    state = State.LOCKED;
                    throw new RbdException("writes to image " + image + " did not finish: keeping the lock");
                }
                try {
                    mon.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    state = State.LOCKED;
                    throw new RbdException("interrupted while releasing the exclusive lock of " + image);
                }
            }
        }
        try {
            hooks.releasing();
        } finally {
            unlockQuietly();
            synchronized (mon) {
                state = State.UNLOCKED;
                mon.notifyAll();
            }
        }
        LOG.info("image {}: exclusive lock released", image);
        notifyQuietly(WatchNotifyMessages.releasedLock(watcher.clientId()));
    }

    private void unlockQuietly() {
        try {
            io.unlock(watcher.header(), LOCK_NAME, cookie());
        } catch (RadosException e) {
            // ENOENT: it was broken meanwhile; nothing to give back.
        }
    }

    private void notifyQuietly(byte[] message) {
        try {
            watcher.notify(message);
        } catch (RadosException e) {
            // Peers also learn of lock changes by retrying: the notification is a courtesy.
        }
    }

    /** Gives the lock up if we hold it (image close), waiting for the writes in flight. */
    public void shutdown() {
        CompletableFuture<Void> f = CompletableFuture.runAsync(this::release, worker);
        try {
            f.get(DRAIN_MILLIS + 30_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new CompletionException(c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RbdException("releasing the exclusive lock of " + image + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RbdException("interrupted while releasing the exclusive lock of " + image);
        }
    }

    /** Set while {@link #acquireManually()} takes the lock (in manual mode only that may). */
    private volatile boolean manualAcquire;

    /**
     * Takes the lock in manual mode (rbd_lock_acquire) and keeps it until {@link #shutdown()}.
     */
    public void acquireManually() {
        manual = true;
        manualAcquire = true;
        try {
            join(begin()).close();
        } finally {
            manualAcquire = false;
        }
    }

    /** Runs {@code task} on the worker while holding the lock (maintenance operations). */
    public <T> T withLock(java.util.function.Supplier<T> task) {
        Permit p = join(begin());
        try {
            return task.get();
        } finally {
            p.close();
        }
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : e;
        }
    }
}
