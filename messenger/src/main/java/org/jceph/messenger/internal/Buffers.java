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

    /** Components a cumulation may hold before a run of small ones at its tail is merged. */
    static final int MAX_COMPONENTS = 1024;
    /** The run merged: the newest half. */
    static final int MERGE_RUN = MAX_COMPONENTS / 2;
    /** Reads smaller than this on average are merged (a trickling peer); larger ones never are. */
    static final int SMALL_READ = 4096;

    /**
     * Appends {@code in} (ownership passes to the cumulation). Large reads stay components as they
     * are. Only when a peer trickles bytes in many small reads (the newest {@value #MERGE_RUN}
     * components averaging under {@value #SMALL_READ} bytes while {@value #MAX_COMPONENTS} are held)
     * are those merged into one buffer, which bounds the per-component overhead; views already
     * handed out hold their own references and are not affected.
     */
    public static void append(CompositeByteBuf cumulation, ByteBuf in) {
        if (!in.isReadable()) {
            in.release();
            return;
        }
        cumulation.addComponent(true, in);
        int n = cumulation.numComponents();
        if (n >= MAX_COMPONENTS) {
            int from = n - MERGE_RUN;
            long bytes = cumulation.writerIndex() - (long) cumulation.toByteIndex(from);
            if (bytes / MERGE_RUN < SMALL_READ) {
                cumulation.consolidate(from, MERGE_RUN);
            }
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
