package org.jceph.nbd;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sparse in-memory block device for exercising the NBD server with real clients: 64 KiB chunks
 * allocated on first write, completions on a thread pool (so replies can overtake each other),
 * optionally with a delay per write to hold requests in flight.
 */
final class MemoryExport implements NbdExport {
    static final int CHUNK = 64 * 1024;

    private final String name;
    private final long size;
    private final boolean readOnly;
    private final Map<Long, byte[]> chunks = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "memory-export");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration writeDelay = Duration.ZERO;
    final AtomicInteger writesCompleted = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicLong maxInFlight = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    MemoryExport(String name, long size, boolean readOnly) {
        this.name = name;
        this.size = size;
        this.readOnly = readOnly;
    }

    void writeDelay(Duration d) {
        this.writeDelay = d;
    }

    /** When set, reads are views ({@link #readsViews()}) cut into pieces, heap and direct. */
    volatile boolean views;
    /** When set, views hold one byte fewer than asked (an export bug the server must not send). */
    volatile boolean shortViews;
    /** Every view handed to the server, to check that each was closed. */
    final List<org.jceph.rados.ReadView> handedOver = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean readsViews() {
        return views;
    }

    @Override
    public CompletableFuture<org.jceph.rados.ReadView> readView(long offset, int length) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] b = snapshot(offset, length);
            int n = shortViews ? Math.max(0, length - 1) : length;
            int cut1 = n / 3;
            int cut2 = 2 * n / 3;
            ByteBuffer d = ByteBuffer.allocateDirect(cut2 - cut1).put(b, cut1, cut2 - cut1).flip();
            org.jceph.rados.ReadView v = org.jceph.rados.ReadView.concat(List.of(
                    org.jceph.rados.ReadView.of(ByteBuffer.wrap(b, 0, cut1)), org.jceph.rados.ReadView.of(d),
                    org.jceph.rados.ReadView.of(ByteBuffer.wrap(b, cut2, n - cut2))));
            handedOver.add(v);
            return v;
        }, pool);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "in-memory test disk " + name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public int preferredBlockSize() {
        return CHUNK;
    }

    synchronized byte[] snapshot(long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; ) {
            long pos = offset + i;
            long c = pos / CHUNK;
            int in = (int) (pos % CHUNK);
            int n = Math.min(CHUNK - in, length - i);
            byte[] chunk = chunks.get(c);
            if (chunk != null) {
                System.arraycopy(chunk, in, out, i, n);
            }
            i += n;
        }
        return out;
    }

    private synchronized void put(long offset, ByteBuffer data) {
        while (data.hasRemaining()) {
            long c = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = Math.min(CHUNK - in, data.remaining());
            byte[] chunk = chunks.computeIfAbsent(c, k -> new byte[CHUNK]);
            data.get(chunk, in, n);
            offset += n;
        }
    }

    private synchronized void zero(long offset, long length, boolean punch) {
        long end = offset + length;
        while (offset < end) {
            long c = offset / CHUNK;
            int in = (int) (offset % CHUNK);
            int n = (int) Math.min(CHUNK - in, end - offset);
            if (punch && in == 0 && n == CHUNK) {
                chunks.remove(c);
            } else {
                byte[] chunk = chunks.get(c);
                if (chunk != null) {
                    java.util.Arrays.fill(chunk, in, in + n, (byte) 0);
                }
            }
            offset += n;
        }
    }

    boolean allocated(long chunk) {
        return chunks.containsKey(chunk);
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        return CompletableFuture.supplyAsync(() -> ByteBuffer.wrap(snapshot(offset, length)), pool);
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        long now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        return CompletableFuture.runAsync(() -> {
            try {
                if (!writeDelay.isZero()) {
                    Thread.sleep(writeDelay.toMillis());
                }
                put(offset, data);
                writesCompleted.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NbdIoException(NbdIoException.EIO, "interrupted");
            } finally {
                inFlight.decrementAndGet();
            }
        }, pool);
    }

    @Override
    public CompletableFuture<Void> flush() {
        flushes.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return CompletableFuture.runAsync(() -> zero(offset, length, true), pool);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, boolean mayPunchHole) {
        return CompletableFuture.runAsync(() -> zero(offset, length, mayPunchHole), pool);
    }

    @Override
    public CompletableFuture<List<Extent>> allocation(long offset, long length) {
        List<Extent> out = new ArrayList<>();
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            long c = pos / CHUNK;
            boolean hole = !chunks.containsKey(c);
            long runEnd = Math.min(end, (c + 1) * CHUNK);
            while (runEnd < end && chunks.containsKey(runEnd / CHUNK) == !hole) {
                runEnd = Math.min(end, runEnd + CHUNK);
            }
            out.add(new Extent(runEnd - pos, hole, hole));
            pos = runEnd;
        }
        return CompletableFuture.completedFuture(out);
    }
}
