package org.jceph.messenger.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * A receive cumulation built as the clients build theirs ({@link Buffers}): each piece fed is a
 * separate component (a fresh array, as a socket read would be), and consumed components are
 * discarded before the next piece arrives, so decoders are tested on exactly the production path,
 * views across component boundaries and discarding included.
 */
public final class TestCumulation {
    private TestCumulation() {
    }

    public static CompositeByteBuf create() {
        // The same composite as Buffers.cumulation, without the leak-tracking wrapper (which, at the
        // paranoid level these tests run with, records a stack trace per byte read).
        return Unpooled.compositeBuffer(Integer.MAX_VALUE);
    }

    public static void feed(ByteBuf cumulation, byte[] src, int off, int len) {
        CompositeByteBuf c = (CompositeByteBuf) cumulation;
        c.discardReadComponents();
        Buffers.append(c, Unpooled.wrappedBuffer(Arrays.copyOfRange(src, off, off + len)));
    }
}
