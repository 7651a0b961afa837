package org.jceph.rbd;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jceph.rados.Errno;

/**
 * The threads open images work on (issue 14). Object-map updates (a blocking class call each,
 * sent before a write reaches an object the map says is absent) run on one pool shared by every
 * image in the process. Each read-write image with the exclusive-lock feature also has its own
 * serial lock worker, which keeps the lock's state changes in order; its thread exists only
 * while there is work and ends after {@link #IDLE} without any, so idle images hold no thread.
 */
final class ImageThreads {
    /** How long an idle thread stays before it ends. */
    static final Duration IDLE = Duration.ofSeconds(30);
    /** Object-map update threads shared by all images. */
    static final int MAP_UPDATE_THREADS = 8;
    /**
     * Bound of the shared object-map queue. What waits there is bounded by the writes in flight
     * (each holds an in-flight permit of its client); past the bound a write fails with
     * {@link RbdException} rather than queueing without limit.
     */
    static final int MAP_UPDATE_QUEUE_BOUND = 1 << 16;

    private static final ThreadPoolExecutor MAP_UPDATES = new ThreadPoolExecutor(MAP_UPDATE_THREADS,
            MAP_UPDATE_THREADS, IDLE.toSeconds(), TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAP_UPDATE_QUEUE_BOUND),
            daemon("jceph-rbd-objmap"), (r, pool) -> {
                throw new RbdException("object-map updates: " + MAP_UPDATE_QUEUE_BOUND
                        + " already queued in this process; the write was not sent");
            });

    static {
        MAP_UPDATES.allowCoreThreadTimeOut(true);
    }

    private ImageThreads() {
    }

    /** Deep copy-up threads shared by all images (a migration destination's writes to absent objects). */
    static final int DEEP_COPYUP_THREADS = 4;
    /** Bound of the deep copy-up queue: past it a write fails with {@link RbdException}. */
    static final int DEEP_COPYUP_QUEUE_BOUND = 1 << 12;

    private static final ThreadPoolExecutor DEEP_COPYUPS = new ThreadPoolExecutor(DEEP_COPYUP_THREADS,
            DEEP_COPYUP_THREADS, IDLE.toSeconds(), TimeUnit.SECONDS, new LinkedBlockingQueue<>(DEEP_COPYUP_QUEUE_BOUND),
            daemon("jceph-rbd-deepcopyup"), (r, pool) -> {
                throw new RbdException(Errno.EBUSY.negative(), "deep copy-ups: " + DEEP_COPYUP_QUEUE_BOUND
                        + " already queued in this process; the write was not sent");
            });

    static {
        DEEP_COPYUPS.allowCoreThreadTimeOut(true);
    }

    /**
     * The shared executor of migration deep copy-ups ({@link MigrationObjectCopier}): each one
     * blocks on its reads and writes, so they run here rather than on the I/O or object-map
     * threads (never shut down).
     */
    static ExecutorService deepCopyups() {
        return DEEP_COPYUPS;
    }

    /** The shared object-map update executor (never shut down: it outlives every image). */
    static ExecutorService mapUpdates() {
        return MAP_UPDATES;
    }

    /**
     * A new serial executor for one image's exclusive lock: tasks run one at a time in order,
     * on a thread that ends when idle. The image shuts it down on close.
     */
    static ExecutorService lockWorker(String image) {
        return lockWorker(image, IDLE);
    }

    static ExecutorService lockWorker(String image, Duration idle) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, idle.toNanos(), TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), daemon("rbd-lock-" + image));
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** How many peers' requests an image's owner queues before answering EBUSY. */
    static final int REMOTE_OP_QUEUE_BOUND = 16;

    /**
     * A new serial executor for the requests an image runs for its peers as the lock owner
     * (snapshots librbd asks for): one at a time, a bounded queue, a thread that ends when idle.
     */
    static ExecutorService remoteOps(String image) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, IDLE.toNanos(), TimeUnit.NANOSECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(REMOTE_OP_QUEUE_BOUND), daemon("rbd-remote-op-" + image));
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
