package org.jceph.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a large frame reaches the channel as direct memory (so Netty does not copy it into a
 * fresh direct buffer of its size), its heap bytes copied once into reused pieces, its direct
 * parts not copied at all.
 */
class SendCopiesTest {
    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static CompositeByteBuf frame(ByteBuf... parts) {
        CompositeByteBuf c = Unpooled.compositeBuffer(parts.length);
        for (ByteBuf p : parts) {
            c.addComponent(true, p);
        }
        return c;
    }

    @Test
    void aSmallFrameIsLeftToNetty() {
        ByteBuf f = frame(Unpooled.wrappedBuffer(random(100, 1)), Unpooled.wrappedBuffer(random(4096, 2)));
        SendCopies.Copy c = SendCopies.prepare(f);
        assertSame(f, c.wire());
        c.wire().release();
        c.recycle();
    }

    @Test
    void aLargeHeapFrameBecomesDirectWithTheSameBytesAndItsPiecesAreReused() {
        byte[] head = random(120, 3);
        byte[] data = random((4 << 20) + 7, 4);
        byte[] tail = random(13, 5);
        ByteBuf f = frame(Unpooled.wrappedBuffer(head), Unpooled.wrappedBuffer(data), Unpooled.wrappedBuffer(tail));
        byte[] expected = ByteBufUtil.getBytes(f);
        int idleBefore = SendCopies.idlePieces();
        SendCopies.Copy c = SendCopies.prepare(f);
        ByteBuf wire = c.wire();
        assertTrue(wire.isDirect(), "all direct: Netty writes it without a copy of its own");
        assertEquals(0, f.refCnt(), "the frame's heap parts were copied and it was let go of");
        assertArrayEquals(expected, ByteBufUtil.getBytes(wire));
        wire.release(); // as the channel does once written
        c.recycle();
        int pieces = (expected.length + SendCopies.PIECE - 1) / SendCopies.PIECE;
        assertEquals(Math.min(SendCopies.MAX_IDLE, Math.max(idleBefore, pieces)), SendCopies.idlePieces(),
                "the pieces wait for the next frame");
        // the next frame takes them instead of new memory
        ByteBuf g = frame(Unpooled.wrappedBuffer(data));
        int idle = SendCopies.idlePieces();
        SendCopies.Copy c2 = SendCopies.prepare(g);
        int needed = (data.length + SendCopies.PIECE - 1) / SendCopies.PIECE;
        assertEquals(Math.max(0, idle - needed), SendCopies.idlePieces(), "taken from the idle ones");
        assertArrayEquals(data, ByteBufUtil.getBytes(c2.wire()));
        c2.wire().release();
        c2.recycle();
    }

    @Test
    void aDirectDataSegmentGoesOutUncopied() {
        byte[] head = random(300, 6);
        ByteBuffer caller = ByteBuffer.allocateDirect(1 << 20);
        caller.put(random(1 << 20, 7)).flip();
        ByteBuf data = Unpooled.wrappedBuffer(caller.duplicate());
        ByteBuf f = frame(Unpooled.wrappedBuffer(head), data, Unpooled.wrappedBuffer(random(13, 8)));
        SendCopies.Copy c = SendCopies.prepare(f);
        ByteBuf wire = c.wire();
        assertTrue(wire.isDirect());
        // a change to the caller's memory shows in the wire buffer: it reads that memory, not a copy
        caller.put(0, (byte) (caller.get(0) + 1));
        assertEquals(caller.get(0), wire.getByte(300));
        assertEquals(caller.get(12345), wire.getByte(300 + 12345));
        wire.release();
        c.recycle();
    }
}
