package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jceph.messenger.v2.FrameException;
import org.junit.jupiter.api.Test;

/**
 * The msgr2 message path copies no payload byte in crc mode: the frame written holds the caller's
 * arrays themselves, and the data segment read is a view of the received buffers. Identity, not
 * equality, is checked; reference counts show who holds what.
 */
class ZeroCopyTest {
    static final int BIG = 1 << 20;

    /** The backing arrays of {@code b}'s bytes, in order (one per component). */
    static List<byte[]> arrays(ByteBuf b) {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuffer nio : b.nioBuffers()) {
            assertTrue(nio.hasArray(), "a component is not array-backed");
            out.add(nio.array());
        }
        return out;
    }

    static boolean holds(ByteBuf frame, byte[] array) {
        return arrays(frame).stream().anyMatch(a -> a == array);
    }

    static ByteBuf header() {
        return Unpooled.wrappedBuffer(FrameCodecTest.bytes(41, 9));
    }

    @Test
    void crcFrameHoldsTheCallersArraysNotCopies() {
        for (boolean rev0 : new boolean[] {false, true}) {
            byte[] front = FrameCodecTest.bytes(200, 1);
            byte[] first = FrameCodecTest.bytes(BIG, 2);
            byte[] second = FrameCodecTest.bytes(BIG / 2, 3);
            ByteBuf data = Unpooled.wrappedBuffer(first, second); // as OsdOpMessages builds a write's data
            FrameWriter w = new FrameWriter();
            w.rev0(rev0);
            ByteBuf frame = w.encode(Tag.MESSAGE, header(), Unpooled.wrappedBuffer(front), Unpooled.EMPTY_BUFFER, data);
            assertTrue(holds(frame, front), "front copied");
            assertTrue(holds(frame, first) && holds(frame, second), "data copied");
            assertEquals(2, data.refCnt(), "the frame holds its own reference to the data");
            assertEquals(0, data.readerIndex(), "the caller's indexes are untouched");

            // and the frame is the right one: it decodes back, crcs included
            byte[] wire = ByteBufUtil.getBytes(frame);
            FrameReader r = new FrameReader();
            r.rev0(rev0);
            Frame f = r.next(Unpooled.wrappedBuffer(wire));
            assertNotNull(f);
            assertArrayEquals(front, f.segment(1));
            byte[] both = FrameCodecTest.concat(first, second);
            assertArrayEquals(both, f.segment(3));
            f.release();

            frame.release(); // what the channel does once written
            assertEquals(1, data.refCnt(), "the caller's reference is still the caller's");
        }
    }

    @Test
    void frameLayoutIsUnchangedByTheComposite() {
        // The composite path against a plain concatenation of the same parts, computed independently.
        byte[] h = FrameCodecTest.bytes(41, 1);
        byte[] front = FrameCodecTest.bytes(70, 2);
        byte[] data = FrameCodecTest.bytes(5000, 3);
        byte[] wire = ByteBufUtil.getBytes(new FrameWriter().encode(Tag.MESSAGE, Unpooled.wrappedBuffer(h),
                Unpooled.wrappedBuffer(front), Unpooled.EMPTY_BUFFER, Unpooled.wrappedBuffer(data)));
        assertEquals(32 + 41 + 4 + 70 + 5000 + 13, wire.length);
        assertArrayEquals(h, Arrays.copyOfRange(wire, 32, 73));
        assertArrayEquals(front, Arrays.copyOfRange(wire, 77, 147));
        assertArrayEquals(data, Arrays.copyOfRange(wire, 147, 5147));
        ByteBuf epi = Unpooled.wrappedBuffer(wire, 5147, 13);
        assertEquals(0x0E, epi.getUnsignedByte(0));
        assertEquals(org.jceph.encoding.Crc32c.update(-1, front), epi.getIntLE(1));
        assertEquals(-1, epi.getIntLE(5)); // the empty middle: crc32c(-1) of nothing
        assertEquals(org.jceph.encoding.Crc32c.update(-1, data), epi.getIntLE(9));
    }

    /** The wire cut into pieces, each a separate array (as socket reads are), in a composite cumulation. */
    static CompositeByteBuf received(byte[] wire, List<ByteBuf> pieces, int... cuts) {
        CompositeByteBuf cum = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        int from = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = wire.length;
        for (int to : ends) {
            ByteBuf piece = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, from, to));
            pieces.add(piece);
            cum.addComponent(true, piece);
            from = to;
        }
        return cum;
    }

    @Test
    void dataSegmentIsAViewOfTheReceivedBuffers() {
        byte[] data = FrameCodecTest.bytes(BIG, 4);
        byte[] wire = new FrameWriter().frame(Tag.MESSAGE, FrameCodecTest.bytes(41, 1), FrameCodecTest.bytes(60, 2),
                new byte[0], data);
        int dataAt = 32 + 41 + 4 + 60;
        List<ByteBuf> pieces = new ArrayList<>();
        // one piece ends inside the front, one in the middle of the data, one just before the epilogue
        CompositeByteBuf cum = received(wire, pieces, 100, dataAt + 300_000, wire.length - 13);
        Frame f = new FrameReader().next(cum);
        assertNotNull(f);
        ByteBuf got = f.buf(3);
        List<byte[]> backing = arrays(got);
        assertEquals(2, backing.size()); // the data starts in the second piece and ends in the third
        for (int i = 0; i < 2; i++) {
            assertTrue(backing.get(i) == pieces.get(i + 1).array(), "data part " + i + " is a copy, not the received buffer");
        }
        // The view outlives the cumulation, as the client discards consumed components after each read.
        cum.discardReadComponents();
        assertEquals(0, cum.numComponents());
        cum.release();
        assertEquals(List.of(0, 1, 1, 0), pieces.stream().map(ByteBuf::refCnt).toList(),
                "the frame holds exactly the pieces with data");
        assertArrayEquals(data, ByteBufUtil.getBytes(got));
        f.release();
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0), "a piece leaked");
    }

    @Test
    void aFaultMidFrameHoldsNothing() {
        byte[] wire = new FrameWriter().frame(Tag.MESSAGE, FrameCodecTest.bytes(41, 1), FrameCodecTest.bytes(60, 2),
                new byte[0], FrameCodecTest.bytes(BIG, 4));
        wire[wire.length - 20] ^= 1; // inside the data: its epilogue crc no longer matches
        List<ByteBuf> pieces = new ArrayList<>();
        CompositeByteBuf cum = received(wire, pieces, 5000, 600_000);
        FrameException e = assertThrows(FrameException.class, () -> new FrameReader().next(cum));
        assertEquals("MESSAGE/epilogue", e.struct());
        assertEquals(wire.length - 13 + 1 + 8, e.offset()); // the data segment's crc in the epilogue
        cum.release(); // what the client does when the connection fails
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0), "the failed decode kept a reference");
    }

    @Test
    void secureModeDecryptsEachSegmentIntoAnArrayOfItsOwn() {
        FrameWriter w = new FrameWriter();
        w.secure(GcmCipher.serverPair(FrameCodecTest.SECRET)[1]);
        byte[] data = FrameCodecTest.bytes(BIG, 5);
        ByteBuf dataBuf = Unpooled.wrappedBuffer(Arrays.copyOf(data, 1000), Arrays.copyOfRange(data, 1000, BIG));
        ByteBuf frame = w.encode(Tag.MESSAGE, header(), Unpooled.wrappedBuffer(FrameCodecTest.bytes(60, 2)),
                Unpooled.EMPTY_BUFFER, dataBuf);
        assertEquals(1, dataBuf.refCnt(), "secure mode read the data in place and kept no reference");
        byte[] wire = ByteBufUtil.getBytes(frame);
        frame.release();
        FrameReader r = new FrameReader();
        r.secure(GcmCipher.clientPair(FrameCodecTest.SECRET)[0]);
        List<ByteBuf> pieces = new ArrayList<>();
        CompositeByteBuf cum = received(wire, pieces, 50, 200, 500_000);
        Frame f = r.next(cum);
        assertNotNull(f);
        assertArrayEquals(data, f.segment(3));
        assertArrayEquals(FrameCodecTest.bytes(60, 2), f.segment(1));
        // front and data are each the whole of an array the cipher wrote: handed up without a copy
        assertTrue(f.segment(3) == arrays(f.buf(3)).get(0), "the data segment's array was copied");
        assertTrue(f.segment(1) == arrays(f.buf(1)).get(0), "the front's array was copied");
        assertTrue(arrays(f.buf(1)).get(0) != arrays(f.buf(3)).get(0));
        f.release();
        cum.release();
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0));
    }
}
