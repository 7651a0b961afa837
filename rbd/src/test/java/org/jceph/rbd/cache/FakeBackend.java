package org.jceph.rbd.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory image for the cache's tests. Writes and discards are held until the test completes
 * them ({@link #completeAll}, {@link #complete}) unless {@code autoComplete}; their bytes land
 * when they complete. Starting an operation that overlaps one still in flight is recorded as a
 * violation: the cache must never let the OSDs see two overlapping operations at once.
 */
final class FakeBackend implements WritebackCache.Backend {
    final byte[] disk;
    boolean autoComplete;
    RuntimeException failWrites;
    final List<Pending> inflight = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    int writes;
    int reads;

    final class Pending {
        final long off;
        final long len;
        final byte[] data;
        /** A buffer write's bytes, read only when it completes: a cache that reused it early is caught. */
        final java.nio.ByteBuffer live;
        final CompletableFuture<Void> f = new CompletableFuture<>();

        Pending(long off, long len, byte[] data) {
            this(off, len, data, null);
        }

        Pending(long off, long len, byte[] data, java.nio.ByteBuffer live) {
            this.off = off;
            this.len = len;
            this.data = data == null ? null : data.clone();
            this.live = live;
        }

        void complete() {
            inflight.remove(this);
            if (failWrites != null) {
                f.completeExceptionally(failWrites);
                return;
            }
            if (live != null) {
                live.duplicate().get(disk, (int) off, (int) len);
            } else if (data == null) {
                Arrays.fill(disk, (int) off, (int) (off + len), (byte) 0);
            } else {
                System.arraycopy(data, 0, disk, (int) off, data.length);
            }
            f.complete(null);
        }
    }

    FakeBackend(int size) {
        disk = new byte[size];
    }

    @Override
    public synchronized CompletableFuture<byte[]> read(long offset, int length) {
        reads++;
        return CompletableFuture.completedFuture(Arrays.copyOfRange(disk, (int) offset, (int) offset + length));
    }

    @Override
    public CompletableFuture<Void> write(long offset, byte[] data) {
        writes++;
        return op(offset, data.length, data, "write " + offset + "+" + data.length);
    }

    /** Buffer writes, counted apart (the cache's pooled direct copies come this way). */
    int bufferWrites;
    int directBufferWrites;

    @Override
    public CompletableFuture<Void> write(long offset, java.nio.ByteBuffer data) {
        writes++;
        bufferWrites++;
        if (data.isDirect()) {
            directBufferWrites++;
        }
        return op(offset, data.remaining(), null, data, "write " + offset + "+" + data.remaining());
    }

    @Override
    public CompletableFuture<Void> discard(long offset, long length) {
        return op(offset, length, null, "discard " + offset + "+" + length);
    }

    private CompletableFuture<Void> op(long off, long len, byte[] data, String what) {
        return op(off, len, data, null, what);
    }

    private CompletableFuture<Void> op(long off, long len, byte[] data, java.nio.ByteBuffer live, String what) {
        Pending p;
        synchronized (this) {
            for (Pending q : inflight) {
                if (q.off < off + len && off < q.off + q.len) {
                    violations.add(what + " overlaps one in flight at " + q.off + "+" + q.len);
                }
            }
            log.add(what);
            p = new Pending(off, len, data, live);
            inflight.add(p);
        }
        if (autoComplete) {
            completeOne(p);
        }
        return p.f;
    }

    void completeOne(Pending p) {
        synchronized (this) {
            if (!inflight.contains(p)) {
                return;
            }
        }
        p.complete();
    }

    /** Completes the operations in flight (and those they let start), oldest first, until none is left. */
    void completeAll() {
        while (true) {
            Pending p;
            synchronized (this) {
                if (inflight.isEmpty()) {
                    return;
                }
                p = inflight.get(0);
            }
            completeOne(p);
        }
    }

    void complete(int index) {
        Pending p;
        synchronized (this) {
            p = inflight.get(index);
        }
        completeOne(p);
    }

    synchronized int inflightCount() {
        return inflight.size();
    }
}
