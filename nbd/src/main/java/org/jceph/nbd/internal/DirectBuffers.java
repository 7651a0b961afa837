package org.jceph.nbd.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection's reusable direct buffers for request and reply payloads: the socket reads into
 * them and writes from them without the JDK's temporary copy (a heap buffer goes through one),
 * and a read's data lands in one straight from the OSDs' replies. Power-of-two classes from
 * 4 KiB; idle buffers are kept up to a byte budget, beyond which they are dropped for the GC.
 * Thread-safe (the reader takes, completion threads give back).
 */
final class DirectBuffers {
    private static final int MIN = 4096;

    private final long maxIdleBytes;
    private final Map<Integer, ArrayDeque<ByteBuffer>> idle = new HashMap<>();
    private long idleBytes;
    private boolean closed;

    DirectBuffers(long maxIdleBytes) {
        this.maxIdleBytes = maxIdleBytes;
    }

    /** A buffer with position 0 and limit {@code n} (its bytes are whatever they were). */
    ByteBuffer take(int n) {
        int cap = n <= MIN ? MIN : Integer.highestOneBit(n - 1) << 1;
        ByteBuffer b = null;
        synchronized (this) {
            ArrayDeque<ByteBuffer> q = idle.get(cap);
            if (q != null && !q.isEmpty()) {
                b = q.pop();
                idleBytes -= cap;
            }
        }
        if (b == null) {
            b = ByteBuffer.allocateDirect(cap);
        }
        b.clear().limit(n);
        return b;
    }

    /** Gives {@code b} (from {@link #take}) back; nobody may use it afterwards. */
    synchronized void give(ByteBuffer b) {
        int cap = b.capacity();
        if (!closed && idleBytes + cap <= maxIdleBytes) {
            idle.computeIfAbsent(cap, k -> new ArrayDeque<>()).push(b);
            idleBytes += cap;
        }
    }

    /** Drops the idle buffers; later gives are dropped too. */
    synchronized void close() {
        closed = true;
        idle.clear();
        idleBytes = 0;
    }

    /** Bytes held idle (tests). */
    synchronized long idleBytes() {
        return idleBytes;
    }
}
