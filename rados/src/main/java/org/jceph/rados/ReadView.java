package org.jceph.rados;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes of a read, left where they were received: the Java counterpart of reading into a
 * librados {@code bufferlist}, whose buffers librados hands over (claims) instead of copying.
 * {@link IoCtx#readViewAsync} and {@code RbdImage.readViewAsync} return one; its bytes are the
 * reply's data as it lies in the client's receive buffers (several pieces, as the socket delivered
 * them), with no copy into an array of the caller's.
 *
 * <h2>Lifetime</h2>
 * A view owns references to the receive buffers its bytes lie in, and <b>pins that memory until
 * {@link #close()}</b>: a view of a few bytes may keep a whole socket read (up to about 1 MiB) from
 * going back to the client's buffer pool. Close every view, promptly, exactly as you would free a
 * buffer (try-with-resources). A view that is never closed is a leak of pooled memory (Netty's leak
 * detector reports it), not a GC matter. {@code close()} is idempotent.
 *
 * <p>After {@code close()} every method but {@code close()} and {@link #isClosed()} throws
 * {@link IllegalStateException}. The {@link ByteBuffer}s returned by {@link #nioBuffers()} are views
 * of the pinned memory: they are valid only until the view is closed and must not be used after
 * it. Like pointers into a freed bufferlist, such buffers then show other replies' bytes, or, once
 * the pool has given that memory back to the system, can crash the JVM: this is the one part of
 * the API whose misuse is not caught. Copy what must live longer ({@link #copyTo},
 * {@link #toByteArray}).
 *
 * <h2>Threads</h2>
 * A view may be handed to and used from any thread. Its methods may be called concurrently with
 * each other, including {@code close()}: a {@code copyTo} running when another thread closes the
 * view finishes first (the memory is released after it), and one that starts after fails with
 * {@link IllegalStateException}. The buffers of {@link #nioBuffers()} are read-only; each call
 * returns fresh duplicates, so positions moved by one reader do not affect another.
 */
public final class ReadView implements AutoCloseable {
    private static final ByteBuffer[] NONE = new ByteBuffer[0];
    private static final Runnable NOTHING = () -> { };

    private final ByteBuffer[] buffers;
    private final int length;
    /** Gives the pinned memory back; run once, when closed and no copy is running. */
    private Runnable release;
    /**
     * Bit 0: closed. Bits 1 and up: copies running (each adds 2). The memory is released by
     * whichever of close() and the last running copy sees the state become exactly "closed, no
     * copies running".
     */
    private final AtomicInteger state = new AtomicInteger();

    /**
     * @param buffers the pieces, in order (not copied; read-only views of them are kept)
     * @param release gives the memory back, run exactly once
     */
    ReadView(ByteBuffer[] buffers, Runnable release) {
        long n = 0;
        ByteBuffer[] ro = new ByteBuffer[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            ro[i] = buffers[i].asReadOnlyBuffer();
            n += ro[i].remaining();
        }
        if (n > Integer.MAX_VALUE) {
            release.run();
            throw new IllegalArgumentException("a view holds at most 2 GiB: " + n);
        }
        this.buffers = ro;
        this.length = (int) n;
        this.release = release;
    }

    /**
     * A view of buffers the caller owns (their remaining bytes, in order): nothing is copied and
     * {@link #close()} releases nothing. For wrapping bytes read another way into the same type.
     *
     * @param buffers the pieces; they must not change while the view is used
     * @return the view
     */
    public static ReadView of(ByteBuffer... buffers) {
        for (ByteBuffer b : buffers) {
            Objects.requireNonNull(b, "buffer");
        }
        return new ReadView(buffers, NOTHING);
    }

    /**
     * A view of {@code length} zero bytes (pieces of one shared read-only buffer of zeros).
     *
     * @param length how many, not negative
     * @return the view
     */
    public static ReadView zeros(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
        return new ReadView(zeroPieces(length), NOTHING);
    }

    /** Shared zeros for holes (read-only, never written), made on first use. */
    private static final class Zeros {
        static final ByteBuffer BUFFER = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();
    }

    private static ByteBuffer[] zeroPieces(int length) {
        ByteBuffer zeros = Zeros.BUFFER;
        int piece = zeros.capacity();
        ByteBuffer[] out = new ByteBuffer[(length + piece - 1) / piece];
        for (int i = 0; i < out.length; i++) {
            out[i] = zeros.slice(0, Math.min(piece, length - i * piece));
        }
        return out;
    }

    /**
     * The views in order as one: the result owns what each of them pinned (closing it releases
     * all of it), and each of {@code parts} is closed by this call, its memory handed over rather
     * than released. When a part is already closed, the parts not yet handed over are closed too
     * and {@link IllegalStateException} is thrown.
     *
     * @param parts the views, in order
     * @return one view of all their bytes
     */
    public static ReadView concat(List<ReadView> parts) {
        List<ByteBuffer> bufs = new ArrayList<>();
        List<Runnable> releases = new ArrayList<>(parts.size());
        Runnable all = () -> releases.forEach(Runnable::run);
        for (int i = 0; i < parts.size(); i++) {
            ReadView p = parts.get(i);
            Runnable r = p == null ? null : p.handOver();
            if (r == null) {
                for (int k = i + 1; k < parts.size(); k++) {
                    if (parts.get(k) != null) {
                        parts.get(k).close();
                    }
                }
                all.run();
                throw new IllegalStateException(p == null ? "part " + i + " is null" : "part " + i + " is closed");
            }
            releases.add(r);
            for (ByteBuffer b : p.buffers) {
                if (b.hasRemaining()) {
                    bufs.add(b);
                }
            }
        }
        return new ReadView(bufs.toArray(NONE), releases.size() == 1 ? releases.get(0) : all);
    }

    /** Closes this view without releasing its memory: returns what releases it, or null when already closed. */
    private Runnable handOver() {
        int s = state.get();
        while (true) {
            if ((s & 1) != 0) {
                return null;
            }
            if (s != 0) {
                Thread.onSpinWait(); // a copy from it is running on another thread: it ends soon
            } else if (state.compareAndSet(0, 1)) {
                synchronized (this) {
                    Runnable r = release;
                    release = null;
                    return r;
                }
            }
            s = state.get();
        }
    }

    /**
     * How many bytes the view holds (fewer than asked when the object is shorter).
     *
     * @return the length
     * @throws IllegalStateException when closed
     */
    public int length() {
        checkOpen();
        return length;
    }

    /**
     * Read-only views of the bytes, in order, each from its position to its limit: fresh
     * duplicates on each call (moving their positions does not change the view). Valid only until
     * {@link #close()}: see the class comment.
     *
     * @return the pieces (none for an empty view)
     * @throws IllegalStateException when closed
     */
    public ByteBuffer[] nioBuffers() {
        checkOpen();
        ByteBuffer[] out = new ByteBuffer[buffers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffers[i].duplicate();
        }
        return out;
    }

    /**
     * Copies all the bytes into {@code dst} at its position, which moves past them.
     *
     * @param dst where; at least {@link #length()} bytes remaining
     * @return how many bytes were copied ({@link #length()})
     * @throws BufferOverflowException when {@code dst} has less room (nothing is copied)
     * @throws java.nio.ReadOnlyBufferException when {@code dst} is read-only
     * @throws IllegalStateException when closed
     */
    public int copyTo(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        if (dst.remaining() < length) {
            checkOpen();
            throw new BufferOverflowException();
        }
        enter();
        try {
            for (ByteBuffer b : buffers) {
                dst.put(b.duplicate());
            }
        } finally {
            exit();
        }
        return length;
    }

    /**
     * Copies all the bytes into {@code dst} from {@code offset}.
     *
     * @param dst where
     * @param offset from where in {@code dst}; {@code offset + length()} must fit
     * @return how many bytes were copied ({@link #length()})
     * @throws IndexOutOfBoundsException when they do not fit (nothing is copied)
     * @throws IllegalStateException when closed
     */
    public int copyTo(byte[] dst, int offset) {
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(offset, length, dst.length);
        enter();
        try {
            int at = offset;
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                b.get(b.position(), dst, at, n);
                at += n;
            }
        } finally {
            exit();
        }
        return length;
    }

    /**
     * A copy of the bytes in an array of their own.
     *
     * @return the bytes
     * @throws IllegalStateException when closed
     */
    public byte[] toByteArray() {
        byte[] out = new byte[length];
        copyTo(out, 0);
        return out;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return (state.get() & 1) != 0;
    }

    /**
     * Releases the memory the view pins (once; later calls do nothing). A copy running on another
     * thread finishes first: the memory goes back when it ends.
     */
    @Override
    public void close() {
        int prev = state.getAndUpdate(s -> s | 1);
        if (prev == 0) {
            releaseNow();
        }
    }

    private void releaseNow() {
        Runnable r;
        synchronized (this) {
            r = release;
            release = null;
        }
        if (r != null) {
            r.run();
        }
    }

    private void checkOpen() {
        if ((state.get() & 1) != 0) {
            throw closedException();
        }
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("this ReadView is closed: its buffers were released");
    }

    private void enter() {
        int s = state.get();
        while (true) {
            if ((s & 1) != 0) {
                throw closedException();
            }
            if (state.compareAndSet(s, s + 2)) {
                return;
            }
            s = state.get();
        }
    }

    private void exit() {
        if (state.addAndGet(-2) == 1) {
            releaseNow(); // closed while this copy ran: the last copy out releases
        }
    }

    @Override
    public String toString() {
        return "ReadView[" + length + " bytes in " + buffers.length + " piece(s)" + (isClosed() ? ", closed]" : "]");
    }
}
