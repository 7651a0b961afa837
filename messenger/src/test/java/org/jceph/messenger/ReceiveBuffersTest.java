package org.jceph.messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.jceph.messenger.internal.AlignedReads;
import org.junit.jupiter.api.Test;

/**
 * Where the messenger's socket reads land: large reads in page-aligned buffers, the rest (and
 * every other buffer of the connections' pool) on a cache line, while how much each read asks
 * for stays the adaptive allocator's (growing after reads that fill what they got, up to 1 MiB).
 */
class ReceiveBuffersTest {
    @Test
    void largeReadsArePageAlignedAndSmallOnesCacheLineAligned() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setRecvByteBufAllocator(Messenger.RECV);
        RecvByteBufAllocator.ExtendedHandle h = (RecvByteBufAllocator.ExtendedHandle) Messenger.RECV.newHandle();
        h.reset(ch.config());
        List<ByteBuf> held = new ArrayList<>();
        try {
            boolean sawSmall = false;
            boolean sawLarge = false;
            // every read fills its buffer, so the guesses grow from 2 KiB to the 1 MiB cap
            for (int round = 0; round < 40; round++) {
                ByteBuf b = h.allocate(Messenger.ALLOC);
                held.add(b);
                assertTrue(b.isDirect() && b.hasMemoryAddress(), "a direct buffer");
                int guess = b.capacity();
                long addr = b.memoryAddress();
                if (guess >= AlignedReads.LARGE) {
                    sawLarge = true;
                    assertEquals(0, addr % 4096, "a read of " + guess + " bytes starts on a page");
                } else {
                    sawSmall = true;
                    assertEquals(0, addr % 64, "a read of " + guess + " bytes starts on a cache line");
                }
                h.attemptedBytesRead(b.writableBytes());
                h.lastBytesRead(b.writableBytes());
                h.incMessagesRead(1);
                if (!h.continueReading()) {
                    h.readComplete();
                    h.reset(ch.config());
                }
            }
            assertTrue(sawSmall && sawLarge, "the guesses grew past " + AlignedReads.LARGE);
            assertEquals(Messenger.MAX_READ, h.guess(), "reads that fill keep growing to the cap");
            // the pool's other buffers (frames being written) start on a cache line too
            for (int size : new int[] {40, 300, 4096, 70_000}) {
                ByteBuf b = Messenger.ALLOC.directBuffer(size);
                held.add(b);
                assertEquals(0, b.memoryAddress() % 64, size + " bytes");
            }
        } finally {
            held.forEach(ByteBuf::release);
            ch.finishAndReleaseAll();
        }
    }
}
