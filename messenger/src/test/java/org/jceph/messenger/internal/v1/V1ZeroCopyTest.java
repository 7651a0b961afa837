package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.jceph.encoding.CephFeature;
import org.jceph.messenger.Message;
import org.jceph.messenger.v1.V1FrameException;
import org.junit.jupiter.api.Test;

/** msgr1 receive: a message's data is a view of the received buffers, checked in place. */
class V1ZeroCopyTest {
    static final byte[] DATA = new byte[300_000];

    static {
        for (int i = 0; i < DATA.length; i++) {
            DATA[i] = (byte) (i * 7 + 1);
        }
    }

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
    void dataIsAViewOfTheReceivedBuffers() {
        MessageSigner s = new MessageSigner(V1CodecTest.KEY, CephFeature.CLIENT_SUPPORTED);
        Message m = new Message(43, 8, 3, 127, 9, 0, "front".getBytes(), new byte[0], DATA);
        byte[] wire = V1CodecTest.signedMessage(s, m, 1);
        int dataAt = 1 + 53 + 5;
        List<ByteBuf> pieces = new ArrayList<>();
        CompositeByteBuf cum = received(wire, pieces, 30, dataAt + 100_000);
        V1Reader.Msg got = (V1Reader.Msg) V1CodecTest.reader(s).next(cum);
        ByteBuf data = got.message().data();
        ByteBuffer[] parts = data.nioBuffers();
        assertEquals(2, parts.length);
        assertTrue(parts[0].array() == pieces.get(1).array() && parts[1].array() == pieces.get(2).array(),
                "the data was copied");
        cum.discardReadComponents();
        cum.release();
        assertArrayEquals(DATA, ByteBufUtil.getBytes(data));
        data.release(); // what the client does after the listener
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0), "a piece leaked");
    }

    @Test
    void aBadDataCrcHoldsNothing() {
        MessageSigner s = new MessageSigner(V1CodecTest.KEY, CephFeature.CLIENT_SUPPORTED);
        Message m = new Message(43, 8, 3, 127, 9, 0, "front".getBytes(), new byte[0], DATA);
        byte[] wire = V1CodecTest.signedMessage(s, m, 1);
        wire[1 + 53 + 5 + 1234] ^= 4;
        List<ByteBuf> pieces = new ArrayList<>();
        CompositeByteBuf cum = received(wire, pieces, 70_000);
        V1FrameException e = assertThrows(V1FrameException.class, () -> V1CodecTest.reader(s).next(cum));
        assertTrue(e.getMessage().contains("data_crc"), e.getMessage());
        cum.release();
        assertTrue(pieces.stream().allMatch(p -> p.refCnt() == 0), "the failed decode kept a reference");
    }
}
