package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jceph.messenger.v2.FrameException;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    static final byte[] SECRET = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f" + "101112131415161718191a1b" + "202122232425262728292a2b" + "00".repeat(24));

    /** Decodes {@code wire} fed in two pieces split at {@code cut}; returns all frames. */
    static List<Frame> decodeSplit(FrameReader r, byte[] wire, int cut) {
        ByteBuf cum = org.jceph.messenger.internal.TestCumulation.create();
        List<Frame> out = new ArrayList<>();
        org.jceph.messenger.internal.TestCumulation.feed(cum, wire, 0, cut);
        Frame f;
        while ((f = r.next(cum)) != null) {
            out.add(f);
        }
        org.jceph.messenger.internal.TestCumulation.feed(cum, wire, cut, wire.length - cut);
        while ((f = r.next(cum)) != null) {
            out.add(f);
        }
        assertEquals(0, cum.readableBytes(), "bytes left over");
        return out;
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /**
     * The small-frame path (one buffer of the channel's allocator) writes the very bytes the
     * composite path does, for every segment layout a client sends: one segment, empty middle
     * segments, a data segment of odd length, a view of a larger buffer; and falls back to the
     * composite for frames of 64 KiB and more and for secure, compressed and msgr2.0 writers.
     */
    @Test
    void encodeSmallWritesTheSameBytesAsEncode() {
        io.netty.buffer.ByteBufAllocator alloc = io.netty.buffer.PooledByteBufAllocator.DEFAULT;
        ByteBuf view = Unpooled.wrappedBuffer(bytes(5000, 9)).slice(100, 4096);
        List<ByteBuf[]> layouts = List.of(
                new ByteBuf[] {Unpooled.wrappedBuffer(bytes(53, 1))},
                new ByteBuf[] {Unpooled.wrappedBuffer(bytes(53, 1)), Unpooled.wrappedBuffer(bytes(187, 2))},
                new ByteBuf[] {Unpooled.wrappedBuffer(bytes(53, 1)), Unpooled.wrappedBuffer(bytes(200, 2)),
                        Unpooled.EMPTY_BUFFER, Unpooled.wrappedBuffer(bytes(4096, 3))},
                new ByteBuf[] {Unpooled.wrappedBuffer(bytes(53, 1)), Unpooled.wrappedBuffer(bytes(17, 2)),
                        Unpooled.wrappedBuffer(bytes(5, 4)), Unpooled.wrappedBuffer(bytes(4099, 3))},
                new ByteBuf[] {Unpooled.wrappedBuffer(bytes(53, 1)), Unpooled.wrappedBuffer(bytes(200, 2)),
                        Unpooled.EMPTY_BUFFER, view},
                new ByteBuf[] {Unpooled.wrappedBuffer(bytes(53, 1)), Unpooled.wrappedBuffer(bytes(200, 2)),
                        Unpooled.EMPTY_BUFFER, Unpooled.wrappedBuffer(bytes(FrameWriter.SMALL_FRAME, 5))});
        for (ByteBuf[] segs : layouts) {
            ByteBuf composite = new FrameWriter().encode(Tag.MESSAGE, segs);
            ByteBuf small = new FrameWriter().encodeSmall(alloc, Tag.MESSAGE, segs);
            try {
                assertEquals(io.netty.buffer.ByteBufUtil.hexDump(composite), io.netty.buffer.ByteBufUtil.hexDump(small),
                        segs.length + " segments");
                int total = small.readableBytes();
                assertEquals(total < FrameWriter.SMALL_FRAME, small.isDirect() && small.nioBufferCount() == 1,
                        "one direct buffer below the cap, the composite at or above it (" + total + " bytes)");
                for (ByteBuf seg : segs) {
                    assertEquals(0, seg.readerIndex(), "segments are read in place, not consumed");
                }
            } finally {
                composite.release();
                small.release();
            }
        }
        ByteBuf unpooled = new FrameWriter().encodeSmall(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, Tag.MESSAGE,
                layouts.get(2));
        try {
            assertTrue(unpooled.nioBufferCount() > 1, "an unpooled allocator keeps the composite path");
        } finally {
            unpooled.release();
        }
        FrameWriter secure = new FrameWriter();
        secure.secure(GcmCipher.clientPair(SECRET)[1]);
        ByteBuf s = secure.encodeSmall(alloc, Tag.MESSAGE, Unpooled.wrappedBuffer(bytes(53, 1)));
        try {
            assertTrue(s.readableBytes() > 53, "the secure frame");
        } finally {
            s.release();
        }
        // and the reader takes the small path's frames back
        ByteBuf one = new FrameWriter().encodeSmall(alloc, Tag.MESSAGE, layouts.get(3));
        byte[] wire = io.netty.buffer.ByteBufUtil.getBytes(one);
        one.release();
        List<Frame> back = decodeSplit(new FrameReader(), wire, 100);
        assertEquals(1, back.size());
        assertArrayEquals(bytes(4099, 3), io.netty.buffer.ByteBufUtil.getBytes(back.get(0).buf(3)));
        back.get(0).release();
    }

    @Test
    void crcControlFramePinnedLayout() {
        byte[] wire = new FrameWriter().control(Tag.ACK, HexFormat.of().parseHex("0700000000000000"));
        // preamble: tag 20, 1 segment, {8, align 8}, 3 empty slots, 2 reserved, crc32c(0); seg; crc32c(-1)
        String hex = HexFormat.of().formatHex(wire);
        assertEquals("1401" + "08000000" + "0800" + "000000000000".repeat(3) + "0000", hex.substring(0, 56));
        assertEquals(32 + 8 + 4, wire.length);
        Frame f = decodeSplit(new FrameReader(), wire, wire.length).get(0);
        assertEquals(Tag.ACK, f.tag());
    }

    @Test
    void crcMessageFrameHasEpilogueWithSegmentCrcs() {
        byte[] wire = new FrameWriter().frame(Tag.MESSAGE, bytes(41, 1), bytes(100, 2), new byte[0], bytes(5000, 3));
        assertEquals(32 + 41 + 4 + 100 + 0 + 5000 + 13, wire.length);
        assertEquals(4, wire[1]); // num_segments counts the empty middle before data
        assertEquals(0x0E, wire[32 + 45 + 5100]); // late_status complete
        assertEquals(-1, java.nio.ByteBuffer.wrap(wire, 32 + 45 + 5100 + 5, 4).getInt()); // empty middle: crc(-1, "") = ~0
    }

    @Test
    void everySplitOffsetDecodesTheSameFramesInCrcMode() {
        byte[] wire = concat(new FrameWriter().control(Tag.HELLO, bytes(30, 1)),
                new FrameWriter().control(Tag.KEEPALIVE2, bytes(8, 2)),
                new FrameWriter().frame(Tag.MESSAGE, bytes(41, 3), bytes(70, 4)),
                new FrameWriter().control(Tag.WAIT, new byte[0]));
        List<Frame> whole = decodeSplit(new FrameReader(), wire, wire.length);
        assertEquals(List.of(Tag.HELLO, Tag.KEEPALIVE2, Tag.MESSAGE, Tag.WAIT), whole.stream().map(Frame::tag).toList());
        for (int cut = 0; cut <= wire.length; cut++) {
            assertEquals(whole, decodeSplit(new FrameReader(), wire, cut), "split at " + cut);
        }
    }

    @Test
    void everySplitOffsetDecodesTheSameFramesInSecureMode() {
        List<byte[]> frames = new ArrayList<>();
        FrameWriter w = new FrameWriter();
        w.secure(GcmCipher.serverPair(SECRET)[1]);
        frames.add(w.control(Tag.AUTH_SIGNATURE, bytes(32, 1)));          // inline only
        frames.add(w.control(Tag.SERVER_IDENT, bytes(150, 2)));           // inline + remainder block
        frames.add(w.frame(Tag.MESSAGE, bytes(41, 3), bytes(33, 4), new byte[0], bytes(4100, 5))); // + tail
        frames.add(w.control(Tag.HELLO, new byte[0]));
        byte[] wire = concat(frames.toArray(byte[][]::new));
        assertEquals(96, frames.get(0).length);
        assertEquals(96 + 112 + 16, frames.get(1).length);
        assertEquals(96 + 48 + 0 + 4112 + 16 + 16, frames.get(2).length);
        List<Frame> whole = null;
        for (int cut = 0; cut <= wire.length; cut += cut < 400 ? 1 : 37) {
            FrameReader r = new FrameReader();
            r.secure(GcmCipher.clientPair(SECRET)[0]);
            List<Frame> got = decodeSplit(r, wire, cut);
            if (whole == null) {
                whole = got;
                assertArrayEquals(bytes(150, 2), got.get(1).payload());
                assertArrayEquals(bytes(4100, 5), got.get(2).segment(3));
                assertEquals(0, got.get(2).segment(2).length);
            }
            assertEquals(whole, got, "split at " + cut);
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] wire = new FrameWriter().frame(Tag.MESSAGE, bytes(41, 3), bytes(70, 4), bytes(3, 5), bytes(300, 6));
        FrameReader r = new FrameReader();
        ByteBuf cum = org.jceph.messenger.internal.TestCumulation.create();
        for (int i = 0; i < wire.length - 1; i++) {
            org.jceph.messenger.internal.TestCumulation.feed(cum, wire, i, 1);
            assertNull(r.next(cum));
        }
        org.jceph.messenger.internal.TestCumulation.feed(cum, wire, wire.length - 1, 1);
        Frame f = r.next(cum);
        ((io.netty.buffer.CompositeByteBuf) cum).discardReadComponents();
        assertEquals(0, ((io.netty.buffer.CompositeByteBuf) cum).numComponents());
        assertArrayEquals(bytes(3, 5), f.segment(2));
        assertArrayEquals(bytes(300, 6), f.segment(3)); // a view over 300 one-byte components, still readable
        f.release();
    }

    @Test
    void corruptPreambleCrcNamesPreambleAndOffset() {
        byte[] first = new FrameWriter().control(Tag.HELLO, bytes(10, 1));
        byte[] second = new FrameWriter().control(Tag.HELLO, bytes(10, 1));
        second[5] ^= 1;
        FrameException e = assertThrows(FrameException.class,
                () -> decodeSplit(new FrameReader(), concat(first, second), first.length + second.length));
        assertEquals("preamble", e.struct());
        assertEquals(first.length + 28, e.offset());
    }

    @Test
    void corruptSegmentCrcNamesTheFrame() {
        byte[] wire = new FrameWriter().control(Tag.AUTH_DONE, bytes(10, 1));
        wire[33] ^= 1;
        FrameException e = assertThrows(FrameException.class, () -> decodeSplit(new FrameReader(), wire, wire.length));
        assertEquals("AUTH_DONE/segment0", e.struct());
        assertEquals(42, e.offset());
    }

    @Test
    void oversizedLengthIsRejectedFromThePreambleAlone() {
        byte[] pre = new byte[32];
        Preamble.write(pre, Tag.AUTH_DONE.code, new int[] {Integer.MAX_VALUE, 0, 0, 0}, new int[] {8, 0, 0, 0});
        FrameException e = assertThrows(FrameException.class, () -> new FrameReader().next(Unpooled.wrappedBuffer(pre)));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        assertEquals("AUTH_DONE/preamble", e.struct());
    }

    @Test
    void unknownTagAndBadSegmentCountAreRejected() {
        byte[] pre = new byte[32];
        Preamble.write(pre, 99, new int[] {1, 0, 0, 0}, new int[] {8, 0, 0, 0});
        assertThrows(FrameException.class, () -> new FrameReader().next(Unpooled.wrappedBuffer(pre)));
        byte[] control2 = new byte[32];
        Preamble.write(control2, Tag.HELLO.code, new int[] {1, 1, 0, 0}, new int[] {8, 8, 0, 0});
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader().next(Unpooled.wrappedBuffer(control2)));
        assertTrue(e.getMessage().contains("control: 1 segment"), e.getMessage());
    }

    @Test
    void tamperedSecureFrameFailsAuthentication() {
        FrameWriter w = new FrameWriter();
        w.secure(GcmCipher.serverPair(SECRET)[1]);
        byte[] wire = w.control(Tag.SERVER_IDENT, bytes(150, 2));
        wire[100] ^= 1; // inside the remainder block
        FrameReader r = new FrameReader();
        r.secure(GcmCipher.clientPair(SECRET)[0]);
        FrameException e = assertThrows(FrameException.class, () -> r.next(Unpooled.wrappedBuffer(wire)));
        assertEquals("SERVER_IDENT/segment0", e.struct());
        assertEquals(96, e.offset());
    }

    @Test
    void abortedMessageIsDropped() {
        byte[] wire = new FrameWriter().frame(Tag.MESSAGE, bytes(41, 3), bytes(7, 4));
        wire[wire.length - 13] = 0x01; // late_status aborted
        byte[] next = new FrameWriter().control(Tag.ACK, bytes(8, 1));
        List<Frame> got = decodeSplit(new FrameReader(), concat(wire, next), 0);
        assertEquals(List.of(Tag.ACK), got.stream().map(Frame::tag).toList());
    }

    @Test
    void gcmNonceCounterAdvancesPerOperationAndDirectionsMirror() throws Exception {
        GcmCipher[] client = GcmCipher.clientPair(SECRET);
        GcmCipher[] server = GcmCipher.serverPair(SECRET);
        for (int i = 0; i < 3; i++) {
            byte[] c = client[1].encrypt(bytes(20, i), 0, 20);
            assertArrayEquals(bytes(20, i), server[0].decrypt(c, 0, c.length));
            byte[] s = server[1].encrypt(bytes(20, i), 0, 20);
            assertArrayEquals(bytes(20, i), client[0].decrypt(s, 0, s.length));
        }
        // Same plaintext twice under consecutive nonces must differ.
        assertTrue(!java.util.Arrays.equals(client[1].encrypt(new byte[16], 0, 16), client[1].encrypt(new byte[16], 0, 16)));
    }
}
