package org.jceph.messenger.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Socket reads of {@link #LARGE} bytes or more land in page-aligned buffers from a pool of their
 * own; smaller reads use the channel's allocator. Every other decision (how much to read, when
 * to stop) is the wrapped allocator's.
 *
 * <p>Why: the kernel copies a socket's bytes into the read buffer, and that copy (the largest
 * cost of a 4 MiB read) runs much slower into a destination that starts off a cache line. Netty's
 * pooled direct memory starts 16 bytes past a page (the C heap's header before an mmap'd block),
 * so without alignment every buffer did. With large reads on a page (and the rest on a cache
 * line) a 32 GiB 4 MiB `rbd bench` read ran at 413-415 ops/s against 336-385 before, with 8.0-8.3 s
 * of kernel time against 10.7-12.9 s (docs/BENCHMARKS.md, "Session 14"). Only large reads get
 * whole pages: Netty rounds every buffer of an aligned pool up to a multiple of its alignment,
 * which for the many small buffers would waste most of a page each; their pool is aligned to a
 * cache line.
 */
public final class AlignedReads implements MaxMessagesRecvByteBufAllocator {
    /** Reads of at least this many bytes come from the page-aligned pool (Netty's smallest "normal" size). */
    public static final int LARGE = 32 << 10;

    private final MaxMessagesRecvByteBufAllocator sizing;
    private final ByteBufAllocator large;

    /**
     * @param sizing decides how much each read asks for, as without this class
     * @param large where reads of {@link #LARGE} bytes or more get their buffers
     */
    public AlignedReads(MaxMessagesRecvByteBufAllocator sizing, ByteBufAllocator large) {
        this.sizing = sizing;
        this.large = large;
    }

    @Override
    public Handle newHandle() {
        return new AlignedHandle((ExtendedHandle) sizing.newHandle(), large);
    }

    @Override
    public int maxMessagesPerRead() {
        return sizing.maxMessagesPerRead();
    }

    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        sizing.maxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    /** Netty's delegating handle with the buffer's source chosen by size; the rest is the sizing handle's. */
    private static final class AlignedHandle extends DelegatingHandle implements ExtendedHandle {
        private final ExtendedHandle sizingHandle;
        private final ByteBufAllocator large;

        AlignedHandle(ExtendedHandle sizingHandle, ByteBufAllocator large) {
            super(sizingHandle);
            this.sizingHandle = sizingHandle;
            this.large = large;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            int size = guess();
            return size >= LARGE ? large.ioBuffer(size) : alloc.ioBuffer(size);
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return sizingHandle.continueReading(maybeMoreDataSupplier);
        }
    }
}
