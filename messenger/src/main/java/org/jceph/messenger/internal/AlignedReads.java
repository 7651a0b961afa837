package org.jceph.messenger.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Socket reads of {@link #LARGE} bytes or more land in page-aligned buffers from a pool of their
 * own; smaller reads use the channel's allocator. Every other decision (how much to read, when
 * to stop) is the wrapped allocator's.
 *
 * <p>Why: the kernel copies a socket's bytes into the read buffer, and that copy (the largest
 * cost of a 4 MiB read) runs much slower into a destination that starts off a cache line. Netty's
 * pooled direct memory starts 16 bytes past a page (the C heap's header before an mmap'd block),
 * so without alignment every buffer did. Page-aligned large reads took a 4 MiB `rbd bench` read
 * from 357-362 to 412-460 ops/s, kernel time from 11.3-11.6 s to 7.2-8.1 s per 32 GiB
 * (docs/BENCHMARKS.md, "Session 14"). Only large reads get whole pages: Netty rounds every buffer
 * of an aligned pool up to a multiple of its alignment, which for the many small buffers would
 * waste most of a page each; their pool is aligned to a cache line.
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

    private static final class AlignedHandle implements ExtendedHandle {
        private final ExtendedHandle d;
        private final ByteBufAllocator large;

        AlignedHandle(ExtendedHandle d, ByteBufAllocator large) {
            this.d = d;
            this.large = large;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            int size = d.guess();
            return size >= LARGE ? large.ioBuffer(size) : alloc.ioBuffer(size);
        }

        @Override
        public int guess() {
            return d.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            d.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            d.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            d.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return d.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            d.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return d.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return d.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return d.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            d.readComplete();
        }
    }
}
