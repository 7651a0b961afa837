package org.jceph.rbd.cache;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jceph.rbd.RbdException;

/**
 * A client-side write cache for one image with librbd's semantics (its ObjectCacher, and its
 * write-around dispatch, as configured by {@code rbd_cache*}): what it guarantees is what a guest
 * on librbd with the cache on may rely on. With {@code rbd_cache_policy=writearound} (librbd's
 * default) dirty data is sent at once, so "writeback" below starts immediately; the
 * acknowledgement from memory, the max_dirty bound, ordering, reads and flush are the same.
 *
 * <ul>
 *   <li><b>Writethrough until flush.</b> Until the user's first flush (when
 *       {@code rbd_cache_writethrough_until_flush} is set), and always when
 *       {@code rbd_cache_max_dirty} is 0, every write goes to the OSDs before it completes.</li>
 *   <li><b>Writeback.</b> Afterwards a write completes once copied into the cache, if the dirty
 *       bytes (plus those being written back) stay within max_dirty; otherwise it waits, in
 *       arrival order and at most the write timeout, for writeback to make room. Writeback
 *       starts when dirty bytes exceed target_dirty, when data is older than max_dirty_age, on
 *       a flush, and whenever a write waits. A write larger than max_dirty goes straight
 *       through.</li>
 *   <li><b>Ordering.</b> Every backend operation (writeback, writethrough write, discard)
 *       carries the sequence number of the write it stems from; an operation starts only when
 *       no older overlapping one is in flight, so the OSDs apply overlapping data in the order
 *       it was acknowledged. A discard drops the dirty bytes it covers (they would be zeroed
 *       anyway) and is ordered after the writebacks in flight under it. Overlapping dirty
 *       writes coalesce: the newer bytes replace the older.</li>
 *   <li><b>Reads</b> see every acknowledged write: the bytes in flight and the dirty bytes
 *       (copied when the read starts) are laid over what the OSDs return. Clean data is not
 *       kept (no read cache).</li>
 *   <li><b>Flush</b> completes when everything acknowledged before it is on the OSDs. The
 *       first writeback error since the last user flush fails every flush that completes
 *       until a user flush has reported it (librbd, too, reports writeback errors at flush);
 *       the failed bytes are not retried.</li>
 *   <li><b>Memory.</b> Dirty bytes plus bytes being written back never exceed max_dirty
 *       (which is at most rbd_cache_size); a writethrough write holds no copy.</li>
 * </ul>
 *
 * <p>No thread per image: timers (the dirty-age writeback, write timeouts) run on a
 * {@link Scheduler}, and writeback started from a completion or a timer runs on a shared
 * bounded executor ({@link #system()}). Thread-safe.
 *
 * <p>Why one class of ~900 lines (over the project's ~600): the extent map, the dirty and
 * clean lists, the in-flight writebacks, the flush waiters and the writethrough-until-flush
 * switch are one state guarded by this object's monitor, and every method moves several of
 * them together. Split into classes, that lock discipline would span files; kept here it can
 * be checked in one read.
 */
public final class WritebackCache {

    /** Where the cache reads and writes: the image's uncached I/O paths. */
    public interface Backend {
        /**
         * Reads from the OSDs.
         *
         * @param offset image offset
         * @param length bytes
         * @return exactly {@code length} bytes
         */
        CompletableFuture<byte[]> read(long offset, int length);

        /**
         * Reads from the OSDs {@code dst.remaining()} bytes into {@code dst} at its position
         * (position and limit are not moved). By default through {@link #read(long, int)} and a
         * copy.
         *
         * @param offset image offset
         * @param dst where the bytes go
         * @return completed when all of them are there
         */
        default CompletableFuture<Void> read(long offset, ByteBuffer dst) {
            int at = dst.position();
            return read(offset, dst.remaining()).thenAccept(b -> dst.put(at, b));
        }

        /**
         * Writes to the OSDs; {@code data} is not changed until the future completes.
         *
         * @param offset image offset
         * @param data the bytes
         * @return completed when the OSDs have them
         */
        CompletableFuture<Void> write(long offset, byte[] data);

        /**
         * Writes the remaining bytes of {@code data} (the cache's own copy, possibly direct
         * memory); it is not changed until the future completes. By default it goes through
         * {@link #write(long, byte[])}, copied into an array unless it is one whole array.
         *
         * @param offset image offset
         * @param data the bytes (its position is not moved)
         * @return completed when the OSDs have them
         */
        default CompletableFuture<Void> write(long offset, ByteBuffer data) {
            if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0
                    && data.remaining() == data.array().length) {
                return write(offset, data.array());
            }
            byte[] a = new byte[data.remaining()];
            data.duplicate().get(a);
            return write(offset, a);
        }

        /**
         * Discards (the range reads back as zeros afterwards).
         *
         * @param offset image offset
         * @param length bytes
         * @return completed when done
         */
        CompletableFuture<Void> discard(long offset, long length);
    }

    /** A cancellable timer. */
    public interface Timer {
        /** Cancels the timer if it has not fired. */
        void cancel();
    }

    /** Timers, a clock and an executor: injected so that tests run without sleeping. */
    public interface Scheduler {
        /**
         * Runs {@code task} after {@code delayNanos}.
         *
         * @param task what to run
         * @param delayNanos the delay (0 or less: soon)
         * @return the timer
         */
        Timer schedule(Runnable task, long delayNanos);

        /**
         * The clock, in nanoseconds.
         *
         * @return now
         */
        long nanoTime();

        /**
         * Where writeback started from a completion or a timer runs (it may block on the
         * client's in-flight throttle, so never on an I/O completion thread).
         *
         * @return the executor
         */
        Executor executor();
    }

    private static final class SystemScheduler implements Scheduler {
        private static final ScheduledThreadPoolExecutor TIMER;
        private static final ExecutorService WORK;
        private static final int WORK_QUEUE_BOUND = 1 << 16;

        static {
            AtomicInteger n = new AtomicInteger();
            TIMER = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "jceph-rbd-cache-timer"));
            TIMER.setRemoveOnCancelPolicy(true);
            // One task per completed writeback (or timer tick), so what waits here is bounded by
            // the dirty data of every open image; the queue's own bound is a backstop far above
            // that. Past it the timer thread runs the task (slower, never lost): never the
            // submitting thread, which may be the one that completes the writes a task waits for.
            WORK = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(WORK_QUEUE_BOUND),
                    r -> daemon(r, "jceph-rbd-cache-writeback-" + n.incrementAndGet()),
                    (r, pool) -> TIMER.execute(r));
            ((ThreadPoolExecutor) WORK).allowCoreThreadTimeOut(true);
        }

        private static Thread daemon(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }

        @Override
        public Timer schedule(Runnable task, long delayNanos) {
            var f = TIMER.schedule(() -> WORK.execute(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Executor executor() {
            return WORK;
        }
    }

    private static final Scheduler SYSTEM = new SystemScheduler();

    /**
     * The process-wide scheduler: one timer thread and at most four writeback threads shared by
     * every cached image.
     *
     * @return the shared scheduler
     */
    public static Scheduler system() {
        return SYSTEM;
    }

    /**
     * The cache's copy of one write's bytes, shared by the pieces newer writes leave of it and by
     * its writeback: a pooled buffer (direct for a large write, a heap array for a small one) that
     * returns to the pool when the last of them is done. Guarded by the cache's monitor.
     */
    private static final class Held {
        final ByteBuffer buf;
        final boolean pooled;
        int refs = 1;

        Held(ByteBuffer buf, boolean pooled) {
            this.buf = buf;
            this.pooled = pooled;
        }

        int length() {
            return buf.remaining();
        }
    }

    /** Dirty bytes of one write (or what is left of it after newer writes), not yet sent. */
    private static final class Dirty {
        final long off;
        /** A view of held's bytes, position 0: read with absolute gets only. */
        final ByteBuffer data;
        final Held held;
        final long seq;
        final long at;

        Dirty(long off, ByteBuffer data, Held held, long seq, long at) {
            this.off = off;
            this.data = data;
            this.held = held;
            this.seq = seq;
            this.at = at;
        }

        int len() {
            return data.remaining();
        }

        long end() {
            return off + len();
        }
    }

    /**
     * A backend operation: writeback of dirty bytes (held: the cache's copy), a writethrough write
     * (the caller's array, held null), or a discard (data null).
     */
    private static final class Op {
        final long seq;
        final long off;
        final long len;
        final ByteBuffer data;
        final Held held;
        final boolean writeback;
        CompletableFuture<Void> done;
        boolean started;

        Op(long seq, long off, long len, ByteBuffer data, Held held, boolean writeback) {
            this.seq = seq;
            this.off = off;
            this.len = len;
            this.data = data;
            this.held = held;
            this.writeback = writeback;
        }

        long end() {
            return off + len;
        }
    }

    /**
     * A write waiting for room. It keeps a view of the caller's bytes, not a copy: the caller
     * leaves them unchanged until the future completes (the write API's contract), and the copy is
     * made when the write is admitted. So however many writes an asynchronous caller queues
     * behind a full cache, they hold no cache memory beyond this small record each.
     */
    private static final class Waiter {
        final long off;
        final ByteBuffer data;
        final boolean fua;
        final long deadline;
        final CompletableFuture<Void> result = new CompletableFuture<>();

        Waiter(long off, ByteBuffer data, boolean fua, long deadline) {
            this.off = off;
            this.data = data;
            this.fua = fua;
            this.deadline = deadline;
        }
    }

    private record FlushWaiter(long upTo, boolean user, CompletableFuture<Void> result) {
    }

    private static final Comparator<Dirty> BY_SEQ = Comparator.<Dirty>comparingLong(d -> d.seq)
            .thenComparingLong(d -> d.off);

    private final Backend backend;
    private final CacheSettings settings;
    private final Scheduler scheduler;
    private final String name;
    private final long maxAgeNanos;
    private final int directCopyMin;
    /** rbd_cache_policy=writearound: dirty data is sent as soon as it is taken. */
    private final boolean around;

    // All below guarded by "this".
    private long nextSeq = 1;
    private final TreeMap<Long, Dirty> dirtyByOff = new TreeMap<>();
    private final TreeSet<Dirty> dirtyBySeq = new TreeSet<>(BY_SEQ);
    private long dirtyBytes;
    private long writebackBytes;
    private final TreeMap<Long, List<Op>> opsByOff = new TreeMap<>();
    private long maxOpLen;
    private int opCount;
    /** Sequence numbers still not on the OSDs (dirty pieces and operations), with their counts. */
    private final TreeMap<Long, Integer> live = new TreeMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final List<FlushWaiter> flushes = new ArrayList<>();
    private long flushUpTo;
    private boolean userFlushed;
    private Throwable writebackError;
    private Timer ageTimer;
    /** One timer for the oldest waiting write's deadline (they wait in order, with one timeout). */
    private Timer waiterTimer;
    private boolean closed;
    private long writebacks;
    /** Idle buffers for the copies of writes, by capacity; at most max_dirty bytes idle. */
    private final Map<Integer, ArrayDeque<ByteBuffer>> idle = new HashMap<>();
    private long idleBytes;

    /** Writes from this size on are copied into pooled direct memory, smaller ones into pooled arrays. */
    static final int DIRECT_COPY_MIN = 64 << 10;

    /**
     * A cache over {@code backend}.
     *
     * @param backend the image's uncached I/O
     * @param settings the options (must be enabled)
     * @param scheduler timers, clock and executor ({@link #system()} outside tests)
     * @param name the image's name, for messages
     */
    public WritebackCache(Backend backend, CacheSettings settings, Scheduler scheduler, String name) {
        this(backend, settings, scheduler, name, DIRECT_COPY_MIN);
    }

    /** As above, copying writes of at least {@code directCopyMin} bytes into pooled direct memory (tests). */
    WritebackCache(Backend backend, CacheSettings settings, Scheduler scheduler, String name, int directCopyMin) {
        this.directCopyMin = directCopyMin;
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "scheduler");
        this.name = name;
        this.maxAgeNanos = settings.maxDirtyAge().toNanos();
        this.around = settings.policy() == CacheSettings.Policy.WRITEAROUND;
    }

    /**
     * The settings.
     *
     * @return the settings this cache runs with
     */
    public CacheSettings settings() {
        return settings;
    }

    /**
     * Whether writes are buffered now (after the first user flush, or at once without
     * writethrough-until-flush); false while writethrough.
     *
     * @return true in writeback mode
     */
    public synchronized boolean writeback() {
        return !settings.writethroughOnly() && (userFlushed || !settings.writethroughUntilFlush());
    }

    /**
     * Dirty bytes not yet sent.
     *
     * @return how many
     */
    public synchronized long dirtyBytes() {
        return dirtyBytes;
    }

    /**
     * Bytes the cache holds copies of: dirty plus being written back (never more than max_dirty).
     *
     * @return how many
     */
    public synchronized long heldBytes() {
        return dirtyBytes + writebackBytes;
    }

    /**
     * How many writebacks of dirty data were sent.
     *
     * @return how many
     */
    public synchronized long writebacks() {
        return writebacks;
    }

    /**
     * Writes {@code data} at {@code offset}: buffered in writeback mode (the cache copies it),
     * otherwise sent through (then {@code data} must not change until the future completes).
     *
     * @param offset image offset
     * @param data the bytes
     * @param fua when set, the future completes only once the bytes are on the OSDs
     * @return completed when the write is acknowledged
     */
    public CompletableFuture<Void> write(long offset, byte[] data, boolean fua) {
        return write(offset, ByteBuffer.wrap(data), fua);
    }

    /**
     * As {@link #write(long, byte[], boolean)} with {@code data}'s remaining bytes (its position is
     * not moved): in write-around mode (or when larger than max_dirty) they are sent as they are
     * (a direct buffer's memory is what the socket reads), so leave them unchanged until the
     * future completes; in writeback mode they are copied before the call returns.
     *
     * @param offset image offset
     * @param data the bytes
     * @param fua complete only once the OSDs have them
     * @return as {@link #write(long, byte[], boolean)}
     */
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        data = data.slice(); // position 0: the ops and dirty pieces read it with absolute gets
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<Void> result;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(closedError());
            }
            if (!writeback() || data.remaining() > settings.maxDirty()) {
                trimDirty(offset, data.remaining());
                Op op = addOp(nextSeq++, offset, data.remaining(), data, null, false, after);
                result = op.done = new CompletableFuture<>();
            } else if (waiters.isEmpty() && room(data.remaining()) && around) {
                // write-around: the copy is sent at once, so it goes straight to an operation
                // (insertDirty then pump would add it to the dirty lists only to take it out again)
                Held h = copy(data);
                trimDirty(offset, h.length()); // nothing stays dirty in write-around; kept for the invariant
                long seq = nextSeq++;
                addOp(seq, offset, h.length(), h.buf, h, true, after);
                result = fua ? flushTo(seq, false, after) : CompletableFuture.completedFuture(null);
            } else if (waiters.isEmpty() && room(data.remaining())) {
                long seq = insertDirty(offset, copy(data));
                result = fua ? flushTo(seq, false, after) : CompletableFuture.completedFuture(null);
                pump(after);
                armAgeTimer();
            } else {
                long timeout = settings.writeTimeout().toNanos();
                Waiter w = new Waiter(offset, data, fua, scheduler.nanoTime() + timeout);
                waiters.add(w);
                if (waiterTimer == null) {
                    waiterTimer = scheduler.schedule(this::expireWaiters, timeout);
                }
                result = w.result;
                pump(after);
            }
        }
        after.forEach(Runnable::run);
        return result;
    }

    /**
     * Discards (or zeroes) a range, ordered after the acknowledged writes under it; the dirty
     * bytes it covers are dropped.
     *
     * @param offset image offset
     * @param length bytes
     * @return completed when the OSDs have done it
     */
    public CompletableFuture<Void> discard(long offset, long length) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<Void> result;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(closedError());
            }
            trimDirty(offset, length);
            Op op = addOp(nextSeq++, offset, length, null, null, false, after);
            result = op.done = new CompletableFuture<>();
            completeFlushes(after); // dropped dirty bytes may have been all a flush waited for
        }
        after.forEach(Runnable::run);
        return result;
    }

    /**
     * Reads, with the acknowledged writes not yet on the OSDs laid over what they return.
     *
     * @param offset image offset
     * @param length bytes
     * @return exactly {@code length} bytes
     */
    public CompletableFuture<byte[]> read(long offset, int length) {
        long end = offset + length;
        Overlays held;
        synchronized (this) {
            Map.Entry<Long, Dirty> cover = dirtyByOff.floorEntry(offset);
            if (cover != null && cover.getValue().end() >= end) {
                // dirty bytes are newer than anything in flight under them: they are the answer
                Dirty d = cover.getValue();
                byte[] out = new byte[length];
                d.data.get((int) (offset - d.off), out);
                return CompletableFuture.completedFuture(out);
            }
            held = overlaysLocked(offset, end);
        }
        if (held.isEmpty()) {
            return backend.read(offset, length);
        }
        return backend.read(offset, length).thenApply(buf -> {
            held.applyTo(ByteBuffer.wrap(buf), 0);
            return buf;
        });
    }

    /**
     * Reads into {@code dst}'s remaining bytes (position and limit not moved), with the
     * acknowledged writes not yet on the OSDs laid over what the OSDs return: as
     * {@link #read(long, int)}, without an array of the read's size.
     *
     * @param offset image offset
     * @param dst where the bytes go
     * @return completed when all of them are there
     */
    public CompletableFuture<Void> read(long offset, ByteBuffer dst) {
        int length = dst.remaining();
        int base = dst.position();
        boolean nothingHeld;
        synchronized (this) {
            nothingHeld = opCount == 0 && dirtyByOff.isEmpty();
        }
        if (nothingHeld) {
            return backend.read(offset, dst); // no lists, no overlay stage (sent outside the lock)
        }
        long end = offset + length;
        Overlays held;
        synchronized (this) {
            Map.Entry<Long, Dirty> cover = dirtyByOff.floorEntry(offset);
            if (cover != null && cover.getValue().end() >= end) {
                // dirty bytes are newer than anything in flight under them: they are the answer
                Dirty d = cover.getValue();
                dst.put(base, d.data, (int) (offset - d.off), length);
                return CompletableFuture.completedFuture(null);
            }
            held = overlaysLocked(offset, end);
        }
        if (held.isEmpty()) {
            return backend.read(offset, dst);
        }
        return backend.read(offset, dst).thenRun(() -> held.applyTo(dst, base));
    }

    /**
     * Whether a read of [offset, offset + length) must see bytes the cache holds: dirty data, or a
     * write or discard sent and not yet acknowledged by the OSDs, over any of it. When it holds
     * none, the OSDs' bytes are the answer, as {@link #read(long, ByteBuffer)} itself then reads
     * them (the image's zero-copy read goes straight to the objects then, and through the cache's
     * copying read otherwise).
     *
     * @param offset image offset
     * @param length bytes
     * @return true when something the cache holds overlaps the range
     */
    public synchronized boolean holds(long offset, long length) {
        if (opCount == 0 && dirtyByOff.isEmpty()) {
            return false;
        }
        long end = offset + length;
        return opCount > 0 && !overlappingOps(offset, end).isEmpty() || !overlappingDirty(offset, end).isEmpty();
    }

    /**
     * The held bytes over [offset, end), oldest first so newer ones win: writes in flight in the
     * order they were sent, then dirty data (newer than anything in flight under it). Copied out
     * under the lock, as held buffers change once it is released. Call with the lock held.
     */
    private Overlays overlaysLocked(long offset, long end) {
        Overlays held = new Overlays();
        if (opCount > 0) {
            List<Op> ops = overlappingOps(offset, end);
            ops.sort(Comparator.comparingLong(o -> o.seq));
            for (Op o : ops) {
                overlay(o.off, o.data, o.len, offset, end, held.at, held.bytes);
            }
        }
        for (Dirty d : overlappingDirty(offset, end)) {
            overlay(d.off, d.data, d.len(), offset, end, held.at, held.bytes);
        }
        return held;
    }

    /** Pieces to lay over what the OSDs returned: where (offset in the read, length) and what (null: zeros). */
    private static final class Overlays {
        final List<long[]> at = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();

        boolean isEmpty() {
            return at.isEmpty();
        }

        /** Lays the pieces over {@code dst}, the read's first byte at {@code base}, in order. */
        void applyTo(ByteBuffer dst, int base) {
            for (int i = 0; i < at.size(); i++) {
                byte[] b = bytes.get(i);
                int to = base + (int) at.get(i)[0];
                if (b == null) {
                    int n = (int) at.get(i)[1];
                    for (int k = 0; k < n; k++) {
                        dst.put(to + k, (byte) 0);
                    }
                } else {
                    dst.put(to, b);
                }
            }
        }
    }

    /** Copies the part of [off, off+len) inside [rOff, rEnd) (data null: zeros). */
    private static void overlay(long off, ByteBuffer data, long len, long rOff, long rEnd, List<long[]> at,
                                List<byte[]> bytes) {
        long s = Math.max(off, rOff);
        long e = Math.min(off + len, rEnd);
        if (s >= e) {
            return;
        }
        at.add(new long[] {s - rOff, e - s});
        if (data == null) {
            bytes.add(null);
        } else {
            byte[] piece = new byte[(int) (e - s)];
            data.get((int) (s - off), piece);
            bytes.add(piece);
        }
    }

    /**
     * Completes when every write acknowledged before the call is on the OSDs; fails with the
     * first writeback error not yet reported by a user flush.
     *
     * @param user a flush the user asked for (ends writethrough-until-flush); false for the
     *        cache's own (before a snapshot, resize, lock release or close)
     * @return the flush
     */
    public CompletableFuture<Void> flush(boolean user) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<Void> result;
        synchronized (this) {
            if (user) {
                userFlushed = true;
            }
            result = flushTo(nextSeq - 1, user, after);
            pump(after);
        }
        after.forEach(Runnable::run);
        return result;
    }

    /**
     * Stops taking writes (they fail), fails the writes waiting for room, and flushes what is
     * dirty; the future completes (or fails with a writeback error) once all of it is written.
     *
     * @return the final flush
     */
    public CompletableFuture<Void> close() {
        List<Waiter> failed;
        synchronized (this) {
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
            if (ageTimer != null) {
                ageTimer.cancel();
                ageTimer = null;
            }
            if (waiterTimer != null) {
                waiterTimer.cancel();
                waiterTimer = null;
            }
        }
        for (Waiter w : failed) {
            w.result.completeExceptionally(closedError());
        }
        return flush(false);
    }

    private RbdException closedError() {
        return new RbdException(-108, "image " + name + " is closed"); // ESHUTDOWN
    }

    // ---- internals: all called holding the lock; "after" collects what to run once released ----

    private boolean room(long len) {
        return dirtyBytes + writebackBytes + len <= settings.maxDirty();
    }

    private CompletableFuture<Void> flushTo(long seq, boolean user, List<Runnable> after) {
        FlushWaiter fw = new FlushWaiter(seq, user, new CompletableFuture<>());
        flushes.add(fw);
        flushUpTo = Math.max(flushUpTo, seq);
        completeFlushes(after);
        return fw.result;
    }

    private void liveAdd(long seq) {
        live.merge(seq, 1, Integer::sum);
    }

    private void liveRemove(long seq) {
        live.computeIfPresent(seq, (k, v) -> v == 1 ? null : v - 1);
    }

    private long insertDirty(long off, Held data) {
        long seq = nextSeq++;
        trimDirty(off, data.length());
        addDirty(new Dirty(off, data.buf, data, seq, scheduler.nanoTime()));
        return seq;
    }

    /**
     * The cache's copy of {@code data}, from the pool: direct memory of the next power of two for a
     * large write, a heap array of exactly its length for a small one (a whole array, so the
     * RADOS layer sends it without another copy). Small writes come in few sizes (a guest's block
     * size), so their arrays are reused as well: a fresh 4 KiB array per write was 40 % of the
     * bytes allocated by a 4 KiB write-around workload, each page of it first touched (a page
     * fault) while the heap grows.
     */
    private Held copy(ByteBuffer data) {
        int length = data.remaining();
        boolean small = length < directCopyMin;
        int cap = small ? length : Integer.highestOneBit(length - 1) << 1; // the classes never collide
        ArrayDeque<ByteBuffer> q = idle.get(cap);
        ByteBuffer b;
        if (q == null || q.isEmpty()) {
            b = small ? ByteBuffer.allocate(cap) : ByteBuffer.allocateDirect(cap);
        } else {
            b = q.pop();
            idleBytes -= cap;
        }
        b.clear();
        b.put(data.duplicate()).flip();
        return new Held(b, true);
    }

    /** Drops one reference to {@code h}; the last one returns a pooled buffer to the pool (within max_dirty idle). */
    private void release(Held h) {
        if (h == null || --h.refs > 0 || !h.pooled) {
            return;
        }
        int cap = h.buf.capacity();
        if (!closed && idleBytes + cap <= settings.maxDirty()) {
            idle.computeIfAbsent(cap, k -> new ArrayDeque<>()).push(h.buf);
            idleBytes += cap;
        }
    }

    /** Idle pooled bytes (tests). */
    synchronized long idleBytes() {
        return idleBytes;
    }

    private void addDirty(Dirty d) {
        dirtyByOff.put(d.off, d);
        dirtyBySeq.add(d);
        dirtyBytes += d.len();
        liveAdd(d.seq);
    }

    private void removeDirty(Dirty d) {
        dirtyByOff.remove(d.off);
        dirtyBySeq.remove(d);
        dirtyBytes -= d.len();
        liveRemove(d.seq);
    }

    private List<Dirty> overlappingDirty(long off, long end) {
        if (dirtyByOff.isEmpty()) {
            return List.of(); // write-around: always, outside a flush's window
        }
        List<Dirty> out = new ArrayList<>();
        Map.Entry<Long, Dirty> lower = dirtyByOff.lowerEntry(off);
        if (lower != null && lower.getValue().end() > off) {
            out.add(lower.getValue());
        }
        out.addAll(dirtyByOff.subMap(off, true, end, false).values());
        return out;
    }

    /** Drops the dirty bytes in [off, off+len); what is left of a cut piece keeps its sequence and age. */
    private void trimDirty(long off, long len) {
        long end = off + len;
        for (Dirty d : overlappingDirty(off, end)) {
            removeDirty(d);
            // what is left of d is a view of the same copy, which then has one more user
            if (d.off < off) {
                d.held.refs++;
                addDirty(new Dirty(d.off, d.data.slice(0, (int) (off - d.off)), d.held, d.seq, d.at));
            }
            if (d.end() > end) {
                d.held.refs++;
                int from = (int) (end - d.off);
                addDirty(new Dirty(end, d.data.slice(from, d.len() - from), d.held, d.seq, d.at));
            }
            release(d.held);
        }
    }

    private List<Op> overlappingOps(long off, long end) {
        List<Op> out = new ArrayList<>();
        for (List<Op> l : opsByOff.subMap(off - maxOpLen, false, end, false).values()) {
            for (Op o : l) {
                if (o.end() > off) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    private Op addOp(long seq, long off, long len, ByteBuffer data, Held held, boolean writeback, List<Runnable> after) {
        Op op = new Op(seq, off, len, data, held, writeback);
        opsByOff.computeIfAbsent(off, k -> new ArrayList<>(1)).add(op);
        maxOpLen = Math.max(maxOpLen, len);
        opCount++;
        liveAdd(seq);
        if (writeback) {
            writebackBytes += len;
            writebacks++;
        }
        if (canStart(op)) {
            op.started = true;
            after.add(() -> start(op));
        }
        return op;
    }

    private void removeOp(Op op) {
        List<Op> l = opsByOff.get(op.off);
        l.remove(op);
        if (l.isEmpty()) {
            opsByOff.remove(op.off);
        }
        if (--opCount == 0) {
            maxOpLen = 0;
        }
        liveRemove(op.seq);
        if (op.writeback) {
            writebackBytes -= op.len;
        }
    }

    /** True when no older operation overlapping {@code op} is still in flight. */
    private boolean canStart(Op op) {
        // as overlappingOps, without collecting them: this runs for every operation added
        for (List<Op> l : opsByOff.subMap(op.off - maxOpLen, false, op.end(), false).values()) {
            for (Op o : l) {
                if (o.end() > op.off && o.seq < op.seq) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Sends the dirty data that is due: flushed, over target, aged, or in the way of a waiting write. */
    private void pump(List<Runnable> after) {
        if (dirtyBySeq.isEmpty()) {
            return;
        }
        long now = scheduler.nanoTime();
        while (!dirtyBySeq.isEmpty()) {
            Dirty d = dirtyBySeq.first();
            boolean due = around || d.seq <= flushUpTo || closed || dirtyBytes > settings.targetDirty() || !waiters.isEmpty()
                    || now - d.at >= maxAgeNanos;
            if (!due) {
                break;
            }
            removeDirty(d);
            addOp(d.seq, d.off, d.len(), d.data, d.held, true, after); // d's reference to its copy passes to the op
        }
    }

    private void armAgeTimer() {
        if (ageTimer != null || dirtyBySeq.isEmpty() || closed) {
            return;
        }
        long delay = dirtyBySeq.first().at + maxAgeNanos - scheduler.nanoTime();
        ageTimer = scheduler.schedule(this::onAgeTimer, delay);
    }

    private void onAgeTimer() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            ageTimer = null;
            pump(after);
            armAgeTimer();
        }
        after.forEach(Runnable::run);
    }

    /** Fails the waiting writes past their deadline (the oldest first), then waits for the next one's. */
    private void expireWaiters() {
        List<Waiter> expired = new ArrayList<>();
        synchronized (this) {
            waiterTimer = null;
            long now = scheduler.nanoTime();
            while (!waiters.isEmpty() && waiters.peek().deadline - now <= 0) {
                expired.add(waiters.poll());
            }
            if (!waiters.isEmpty() && !closed) {
                waiterTimer = scheduler.schedule(this::expireWaiters, waiters.peek().deadline - now);
            }
        }
        for (Waiter w : expired) {
            w.result.completeExceptionally(new RbdException(-110, "write to image " + name
                    + " found no room in the cache within " + settings.writeTimeout())); // ETIMEDOUT
        }
    }

    private void admitWaiters(List<Runnable> after) {
        while (!waiters.isEmpty() && room(waiters.peek().data.remaining())) {
            Waiter w = waiters.poll();
            long seq = insertDirty(w.off, copy(w.data));
            if (w.fua) {
                CompletableFuture<Void> f = flushTo(seq, false, after);
                after.add(() -> f.whenComplete((v, err) -> {
                    if (err != null) {
                        w.result.completeExceptionally(err);
                    } else {
                        w.result.complete(null);
                    }
                }));
            } else {
                after.add(() -> w.result.complete(null));
            }
        }
        if (waiters.isEmpty() && waiterTimer != null) {
            waiterTimer.cancel();
            waiterTimer = null;
        }
    }

    /**
     * Completes the flushes whose writes are all on the OSDs. A writeback error fails every
     * flush completing now; a user flush also clears it (it has been reported), the cache's own
     * flushes (FUA, snapshot, resize, lock release, close) leave it for the user's next flush.
     */
    private void completeFlushes(List<Runnable> after) {
        if (flushes.isEmpty()) {
            return;
        }
        long oldest = live.isEmpty() ? Long.MAX_VALUE : live.firstKey();
        Throwable err = writebackError;
        for (Iterator<FlushWaiter> it = flushes.iterator(); it.hasNext(); ) {
            FlushWaiter fw = it.next();
            if (fw.upTo < oldest) {
                it.remove();
                if (fw.user) {
                    writebackError = null;
                }
                after.add(() -> {
                    if (err == null) {
                        fw.result.complete(null);
                    } else {
                        fw.result.completeExceptionally(new RbdException("writeback to image " + name
                                + " failed before this flush: " + err.getMessage(), err));
                    }
                });
            }
        }
    }

    private void start(Op op) {
        CompletableFuture<Void> f;
        try {
            f = op.data == null ? backend.discard(op.off, op.len) : backend.write(op.off, op.data.duplicate());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, err) -> finished(op, err));
    }

    private void finished(Op op, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            removeOp(op);
            release(op.held);
            if (cause != null && op.writeback && writebackError == null) {
                writebackError = cause;
            }
            for (Op o : overlappingOps(op.off, op.end())) {
                if (!o.started && canStart(o)) {
                    o.started = true;
                    after.add(() -> start(o));
                }
            }
            if (!closed) {
                admitWaiters(after);
            }
            pump(after);
            completeFlushes(after);
            armAgeTimer();
        }
        if (op.done != null) {
            if (cause != null) {
                op.done.completeExceptionally(cause);
            } else {
                op.done.complete(null);
            }
        }
        if (!after.isEmpty()) {
            // Sending may block on the client's in-flight throttle: never on a completion thread.
            scheduler.executor().execute(() -> after.forEach(Runnable::run));
        }
    }
}
