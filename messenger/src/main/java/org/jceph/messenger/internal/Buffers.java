package org.jceph.messenger.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/** Receive-side buffer plumbing shared by the msgr1 and msgr2 clients. */
public final class Buffers {
    private Buffers() {
    }

    /**
     * A new receive cumulation: the socket's buffers are appended as components (never copied),
     * and fully consumed ones are dropped by {@link CompositeByteBuf#discardReadComponents()}.
     */
    public static CompositeByteBuf cumulation(ByteBufAllocator alloc) {
        return alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    /** Appends {@code in} (ownership passes to the cumulation). */
    public static void append(CompositeByteBuf cumulation, ByteBuf in) {
        if (in.isReadable()) {
            cumulation.addComponent(true, in);
        } else {
            in.release();
        }
    }

    /**
     * {@code len} bytes of {@code in} from {@code index}, as a retained view that stays valid after
     * the cumulation discards or reuses them: for a composite, a composite of retained slices of the
     * underlying received buffers (each holds its own buffer alive); otherwise a retained slice.
     * Nothing is copied. The caller releases the result.
     */
    public static ByteBuf retainedRange(ByteBuf in, int index, int len) {
        if (len == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        if (in instanceof CompositeByteBuf c) {
            List<ByteBuf> parts = c.decompose(index, len);
            if (parts.size() == 1) {
                return parts.get(0).retain();
            }
            CompositeByteBuf out = Unpooled.compositeBuffer(parts.size());
            for (ByteBuf p : parts) {
                out.addComponent(true, p.retain());
            }
            return out;
        }
        return in.retainedSlice(index, len);
    }
}
