package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a read reply's output copied once, from the received buffers straight into a caller's
 * buffer ({@link ReadInto} through {@link OsdOpMessages.Head#finish}), with the semantics of
 * {@code IoCtx.read(oid, off, ByteBuffer)}: the bytes land at the buffer's position, at most its
 * remaining bytes, the rest untouched, position and limit left to the caller.
 */
class ReadIntoTest {
    private CompositeByteBuf received;

    @AfterEach
    void release() {
        if (received != null && received.refCnt() > 0) {
            received.release();
        }
    }

    /** A reply of ops with these output lengths, front and data as an OSD sends them. */
    private static byte[] front(int... outLens) {
        PackedLayout op = CephStructs.CEPH_OSD_OP;
        ByteBuf f = CephEncoder.heapBuffer(256);
        CephEncoder e = new CephEncoder(f);
        e.writeString("obj");
        new PgId(2, 0x1f).encode(e);
        e.writeU64Le(OsdOpMessages.FLAG_ONDISK | OsdOpMessages.FLAG_READ).writeS32Le(0);
        EVersion.ZERO.encode(e);
        e.writeU32Le(20).writeU32Le(outLens.length);
        for (int len : outLens) {
            int at = f.writerIndex();
            f.writeZero(op.size());
            op.field("op").setLong(f, at, 0x1201);
            op.field("payload_len").setLong(f, at, len);
        }
        e.writeS32Le(0);
        for (int i = 0; i < outLens.length; i++) {
            e.writeS32Le(0);
        }
        EVersion.ZERO.encode(e);
        e.writeU64Le(7);
        e.writeBool(false);
        e.writeBytes(new byte[24]);
        byte[] out = new byte[f.readableBytes()];
        f.readBytes(out);
        return out;
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    /** The data as crc mode hands it up: a view over two direct receive buffers. */
    private Message reply(byte[] data, int... outLens) {
        received = ByteBufAllocator.DEFAULT.compositeBuffer();
        int first = data.length / 3;
        received.addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(first).writeBytes(data, 0, first));
        received.addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(data.length - first)
                .writeBytes(data, first, data.length - first));
        return new Message(MessageType.OSD_OPREPLY.number(), 8, 2, 127, 1, 1, front(outLens), new byte[0],
                received.duplicate());
    }

    private int readInto(ByteBuffer dst, byte[] data) {
        ReadInto sink = new ReadInto(0, dst);
        OsdOpMessages.Reply r = OsdOpMessages.decodeHead(reply(data, data.length)).finish(sink);
        assertEquals(0, r.outputs().get(0).length, "no array of the data's size");
        return sink.count();
    }

    @Test
    void exactShortAndLargerBuffersHeapAndDirect() {
        byte[] data = pattern(4096, 3);
        for (boolean direct : new boolean[] {false, true}) {
            for (int room : new int[] {4096, 100, 5000}) {
                ByteBuffer dst = direct ? ByteBuffer.allocateDirect(room) : ByteBuffer.allocate(room);
                for (int i = 0; i < room; i++) {
                    dst.put(i, (byte) 0x55);
                }
                int n = readInto(dst, data);
                String what = (direct ? "direct " : "heap ") + room;
                assertEquals(Math.min(room, 4096), n, what);
                assertEquals(0, dst.position(), what + ": the sink leaves the position to the caller");
                assertEquals(room, dst.limit(), what);
                byte[] got = new byte[room];
                dst.get(0, got);
                assertArrayEquals(Arrays.copyOf(data, n), Arrays.copyOf(got, n), what);
                for (int i = n; i < room; i++) {
                    assertEquals((byte) 0x55, got[i], what + ": byte " + i + " past the data is untouched");
                }
            }
        }
    }

    @Test
    void theBytesLandAtThePositionOfAnOffsetArrayOrASlice() {
        byte[] data = pattern(300, 11);
        byte[] buf = new byte[1000];
        Arrays.fill(buf, (byte) 1);
        ByteBuffer wrapped = ByteBuffer.wrap(buf, 123, 400); // as IoCtx.read(oid, off, buf, 123, 400)
        assertEquals(300, readInto(wrapped, data));
        assertArrayEquals(data, Arrays.copyOfRange(buf, 123, 423));
        assertEquals(1, buf[122]);
        assertEquals(1, buf[423]);

        byte[] backing = new byte[600];
        ByteBuffer slice = ByteBuffer.wrap(backing, 50, 500).slice(); // arrayOffset 50
        slice.position(10).limit(210);
        assertEquals(200, readInto(slice, data), "at most the remaining bytes");
        assertArrayEquals(Arrays.copyOf(data, 200), Arrays.copyOfRange(backing, 60, 260));
        assertEquals(0, backing[59]);
        assertEquals(0, backing[260]);

        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.position(60);
        assertEquals(4, readInto(direct, data));
        assertEquals(data[3], direct.get(63));
        assertEquals(0, direct.get(59));
    }

    @Test
    void anEmptyOutputOrNoRoomCopiesNothing() {
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertEquals(0, readInto(dst, new byte[0]));
        ByteBuffer full = ByteBuffer.allocate(8);
        full.position(8);
        assertEquals(0, readInto(full, pattern(8, 1)));
        assertArrayEquals(new byte[8], full.array());
    }

    @Test
    void theSinkTakesItsOwnOpsOutputAndTheOthersGetArrays() {
        byte[] data = pattern(30, 5); // op 0: 10 bytes, op 1: 15, op 2: 5
        ByteBuffer dst = ByteBuffer.allocate(15);
        ReadInto sink = new ReadInto(1, dst);
        OsdOpMessages.Reply r = OsdOpMessages.decodeHead(reply(data, 10, 15, 5)).finish(sink);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 10), r.outputs().get(0));
        assertEquals(0, r.outputs().get(1).length);
        assertArrayEquals(Arrays.copyOfRange(data, 25, 30), r.outputs().get(2));
        assertEquals(15, sink.count());
        assertArrayEquals(Arrays.copyOfRange(data, 10, 25), dst.array());
    }

    @Test
    void withoutASinkTheOutputsAreTheSameArraysAsBefore() {
        byte[] data = pattern(30, 5);
        OsdOpMessages.Reply r = OsdOpMessages.decode(reply(data, 10, 20));
        assertArrayEquals(Arrays.copyOfRange(data, 0, 10), r.outputs().get(0));
        assertArrayEquals(Arrays.copyOfRange(data, 10, 30), r.outputs().get(1));
        byte[] own = pattern(12, 9); // secure mode: an unpooled array of its own is handed over
        Message m = new Message(MessageType.OSD_OPREPLY.number(), 8, 2, 127, 1, 1, front(12), new byte[0],
                Unpooled.wrappedBuffer(own));
        assertEquals(own, OsdOpMessages.decode(m).outputs().get(0));
        ByteBuffer dst = ByteBuffer.allocate(12);
        ReadInto sink = new ReadInto(0, dst); // with a sink it is copied into the caller's buffer
        OsdOpMessages.decodeHead(m).finish(sink);
        assertArrayEquals(own, dst.array());
    }

    @Test
    void dataShorterThanTheOpsSayIsMalformedBeforeAnythingIsCopied() {
        byte[] data = pattern(20, 1);
        assertThrows(DecodeException.class, () -> OsdOpMessages.decodeHead(reply(data, 10, 11)));
        assertThrows(DecodeException.class, () -> OsdOpMessages.decodeHead(reply(data, -1)), "a payload_len of 2^32-1");
        assertThrows(DecodeException.class, () -> OsdOpMessages.decode(reply(data, 21)));
    }

    @Test
    void aReadOnlyBufferIsRefused() {
        assertThrows(java.nio.ReadOnlyBufferException.class,
                () -> new ReadInto(0, ByteBuffer.allocate(4).asReadOnlyBuffer()));
    }
}
