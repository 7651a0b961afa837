package org.jceph.rados.internal;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Where one read step's output goes instead of a fresh array: a caller's buffer, as librados'
 * rados_read fills the caller's memory. The reply's data is copied once, straight from the
 * received buffer into {@code dst}, on the thread that accepts the reply and before the op's
 * future completes; bytes the reply does not have (a short read) are left untouched.
 *
 * <p>{@code dst} is the caller's buffer itself (or a view of it) whose remaining bytes are where
 * the output may go; this class never moves its position or limit (it copies through a
 * duplicate), so the caller moves the position by {@link #count()} once the op completes.
 */
public final class ReadInto {
    private final int opIndex;
    private final ByteBuffer dst;
    /** Written by the accepting thread before the op's future completes, read after it completes. */
    private volatile int count;

    /**
     * @param opIndex which op of the request (0 for a single read) has its output delivered here
     * @param dst the caller's buffer: its remaining bytes are the room, its position where the
     *     output starts; not read-only
     */
    public ReadInto(int opIndex, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        this.opIndex = opIndex;
        this.dst = dst;
    }

    /** @return the op whose output this takes */
    public int opIndex() {
        return opIndex;
    }

    /** @return how many bytes were delivered (0 until the reply is accepted) */
    public int count() {
        return count;
    }

    /**
     * Copies up to the room's size of {@code len} bytes of {@code data} at {@code index} into the
     * buffer, once: no intermediate array.
     *
     * @return how many bytes were copied
     */
    int deliver(ByteBuf data, int index, int len) {
        int n = Math.min(len, dst.remaining());
        if (n > 0) {
            int at = dst.position();
            if (dst.hasArray()) {
                data.getBytes(index, dst.array(), dst.arrayOffset() + at, n);
            } else {
                ByteBuffer view = dst.duplicate();
                view.limit(at + n);
                data.getBytes(index, view);
            }
        }
        count = n;
        return n;
    }
}
