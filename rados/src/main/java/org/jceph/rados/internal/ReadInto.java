package org.jceph.rados.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one read step's output goes instead of a fresh array: either a caller's buffer, as
 * librados' rados_read fills the caller's memory, or (a retaining sink) nowhere at all: the
 * received buffers themselves are kept, as librados hands a reply's bufferlist over to the caller
 * of {@code aio_read(oid, c, &bl, len, off)}.
 *
 * <p>A copying sink: the reply's data is copied once, straight from the received buffer into
 * {@code dst}, on the thread that accepts the reply and before the op's future completes; bytes
 * the reply does not have (a short read) are left untouched. {@code dst} is the caller's buffer
 * itself (or a view of it) whose remaining bytes are where the output may go; this class never
 * moves its position or limit (it copies through a duplicate), so the caller moves the position
 * by {@link #count()} once the op completes.
 *
 * <p>A retaining sink ({@link #retaining}): nothing is copied; the output's bytes stay where the
 * socket put them, and the sink holds a reference to each received buffer they lie in until
 * {@link #takeParts()} hands them over or {@link #release()} gives them back. Whoever completes
 * the op must do one of the two on every path (success, error, cancel, timeout after delivery).
 */
public final class ReadInto {
    private final int opIndex;
    private final ByteBuffer dst;
    /** For a retaining sink: the most bytes kept. */
    private final int max;
    /** Written by the accepting thread before the op's future completes, read after it completes. */
    private volatile int count;
    /** A retaining sink's parts (retained), null until delivered or once taken; guarded by this. */
    private List<ByteBuf> held;
    /** Set by {@link #release()}: a delivery after it gives its parts back at once. Guarded by this. */
    private boolean released;

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
        this.max = 0;
    }

    private ReadInto(int opIndex, int max) {
        this.opIndex = opIndex;
        this.dst = null;
        this.max = max;
    }

    /**
     * A sink that keeps the received buffers instead of copying them.
     *
     * @param opIndex which op's output it takes
     * @param max the most bytes kept (a longer output is cut)
     * @return the sink
     */
    public static ReadInto retaining(int opIndex, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max " + max);
        }
        return new ReadInto(opIndex, max);
    }

    /** @return whether this sink keeps the received buffers (no copy) */
    public boolean retains() {
        return dst == null;
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
     * buffer, once: no intermediate array. A retaining sink keeps references to the buffers those
     * bytes lie in instead (nothing is copied).
     *
     * @return how many bytes were copied (kept)
     */
    int deliver(ByteBuf data, int index, int len) {
        if (dst == null) {
            return keep(data, index, len);
        }
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

    private int keep(ByteBuf data, int index, int len) {
        int n = Math.min(len, max);
        List<ByteBuf> parts = retainedParts(data, index, n);
        List<ByteBuf> old;
        boolean drop;
        synchronized (this) {
            old = held;
            drop = released;
            held = drop ? null : parts;
        }
        releaseAll(old);
        if (drop) {
            releaseAll(parts); // the op already ended without us: nobody will take them
        }
        count = n;
        return n;
    }

    /**
     * The buffers holding {@code data}'s bytes [index, index + len), each retained once (for a
     * composite, slices of its components: the view outlives the composite and the cumulation
     * the messenger reuses). Nothing is copied.
     */
    static List<ByteBuf> retainedParts(ByteBuf data, int index, int len) {
        if (len == 0) {
            return List.of();
        }
        if (data instanceof CompositeByteBuf c) {
            List<ByteBuf> parts = c.decompose(index, len);
            List<ByteBuf> out = new ArrayList<>(parts.size());
            try {
                for (ByteBuf p : parts) {
                    if (p instanceof CompositeByteBuf inner) {
                        out.addAll(retainedParts(inner, inner.readerIndex(), inner.readableBytes()));
                    } else {
                        out.add(p.retain());
                    }
                }
            } catch (RuntimeException e) {
                releaseAll(out);
                throw e;
            }
            return out;
        }
        return List.of(data.retainedSlice(index, len));
    }

    /**
     * Hands a retaining sink's parts over: the caller now owns their references (null when nothing
     * was delivered, or the parts were already taken or released).
     *
     * @return the retained parts, in order
     */
    public synchronized List<ByteBuf> takeParts() {
        List<ByteBuf> p = held;
        held = null;
        return p;
    }

    /** Gives back whatever a retaining sink holds, now and on a later delivery. Idempotent. */
    public void release() {
        List<ByteBuf> p;
        synchronized (this) {
            released = true;
            p = held;
            held = null;
        }
        releaseAll(p);
    }

    /**
     * Releases each of {@code parts} once.
     *
     * @param parts retained buffers, or null for none
     */
    public static void releaseAll(List<ByteBuf> parts) {
        if (parts == null) {
            return;
        }
        for (ByteBuf b : parts) {
            b.release();
        }
    }
}
