package org.jceph.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuffersTest {
    @Test
    void largeReadsStayComponentsAsTheyAre() {
        CompositeByteBuf cum = Buffers.cumulation(UnpooledByteBufAllocator.DEFAULT);
        List<byte[]> reads = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] r = new byte[8192];
            r[0] = (byte) i;
            reads.add(r);
            Buffers.append(cum, Unpooled.wrappedBuffer(r));
        }
        assertEquals(2000, cum.numComponents(), "large reads were merged (copied)");
        ByteBuf view = Buffers.retainedRange(cum, 8192 * 1500, 8192 * 2);
        assertTrue(view.nioBuffers()[0].array() == reads.get(1500));
        view.release();
        cum.release();
    }

    @Test
    void aTricklingPeerCannotPileUpComponents() {
        CompositeByteBuf cum = Buffers.cumulation(UnpooledByteBufAllocator.DEFAULT);
        byte[] all = new byte[100_000];
        ByteBuf early = null;
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 13);
            Buffers.append(cum, Unpooled.wrappedBuffer(new byte[] {all[i]}));
            assertTrue(cum.numComponents() < Buffers.MAX_COMPONENTS, "components at read " + i);
            if (i == 600) {
                early = Buffers.retainedRange(cum, 10, 500); // a view handed out before merging
            }
        }
        assertArrayEquals(all, ByteBufUtil.getBytes(cum));
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 10, 510), ByteBufUtil.getBytes(early));
        early.release();
        cum.release();
        assertEquals(0, cum.refCnt());
    }

    @Test
    void emptyReadsAreReleasedNotAdded() {
        CompositeByteBuf cum = Buffers.cumulation(UnpooledByteBufAllocator.DEFAULT);
        ByteBuf empty = Unpooled.buffer(16);
        Buffers.append(cum, empty);
        assertEquals(0, empty.refCnt());
        assertEquals(0, cum.numComponents());
        cum.release();
    }
}
