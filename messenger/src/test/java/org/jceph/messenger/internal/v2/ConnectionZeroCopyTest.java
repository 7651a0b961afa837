package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.Connection;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.Test;

/**
 * The whole msgr2 client (handshake with a scripted auth-none peer, on an embedded channel): what
 * {@link Connection#send} writes holds the caller's data array itself, and what the listener gets
 * is backed by the buffers the channel read, released once the listener has returned.
 */
class ConnectionZeroCopyTest {
    static final EntityAddr TARGET = EntityAddr.of(EntityAddr.TYPE_MSGR2, 0, new InetSocketAddress("127.0.0.1", 40000));

    static EmbeddedChannel channel(ProtocolV2Client client) {
        return new EmbeddedChannel(client) {
            @Override
            protected SocketAddress localAddress0() {
                return new InetSocketAddress("127.0.0.1", 50000); // the client reads its own address
            }
        };
    }

    static byte[] handshake(FrameWriter w) {
        return FrameCodecTest.concat(
                new Banner(Banner.FEATURE_REVISION_1, 0).encode(),
                w.control(Tag.HELLO, new ControlFrames.Hello(EntityName.TYPE_MON, TARGET).encode()),
                w.control(Tag.AUTH_DONE, ControlFrames.write(e -> e.writeU64Le(4242).writeU32Le(1).writeBlob(new byte[0]))),
                w.control(Tag.AUTH_SIGNATURE, new byte[32]),
                w.control(Tag.SERVER_IDENT, ControlFrames.write(e -> {
                    EntityAddrVec.of(TARGET).encode(e);
                    e.writeS64Le(0).writeU64Le(1).writeU64Le(CephFeature.CLIENT_SUPPORTED).writeU64Le(0).writeU64Le(1)
                            .writeU64Le(99);
                })));
    }

    @Test
    void sendAndReceiveCopyNoDataByte() throws Exception {
        List<List<byte[]>> seenBacking = new ArrayList<>();
        List<byte[]> seenData = new ArrayList<>();
        ProtocolV2Client client = new ProtocolV2Client(new ProtocolV2Client.Params(TARGET, EntityName.TYPE_MON,
                EntityName.client("admin"), new AuthNone(EntityName.client("admin")), List.of(ConnectionMode.CRC),
                1, 2, 3, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(120), m -> {
                    seenBacking.add(ZeroCopyTest.arrays(m.data()));
                    seenData.add(m.dataBytes());
                }));
        EmbeddedChannel ch = channel(client);
        try {
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(handshake(peer)));
            Connection c = client.readyFuture().get(1, TimeUnit.SECONDS);
            while (ch.readOutbound() instanceof ByteBuf b) {
                b.release(); // banner and handshake frames
            }

            // send: a large frame with a heap part is copied once, into reused direct pieces
            // (SendCopies), so the transport has nothing left to copy; no part stays on the heap
            byte[] payload = FrameCodecTest.bytes(1 << 20, 7);
            ByteBuf data = Unpooled.wrappedBuffer(payload);
            CompletableFuture<Void> sent = c.send(new Message(42, 8, 3, 127, 11, 0, new byte[] {1, 2, 3}, new byte[0], data));
            ch.runPendingTasks();
            ByteBuf frame = ch.readOutbound();
            assertNotNull(frame);
            assertTrue(allDirect(frame), "a heap part of a large frame went to the transport, which copies it again");
            assertTrue(sent.isDone() && !sent.isCompletedExceptionally());
            FrameReader r = new FrameReader();
            Frame back = r.next(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(frame)));
            assertEquals(42, CephStructs.CEPH_MSG_HEADER2.field("type").getInt(back.buf(0), 0));
            assertArrayEquals(payload, back.segment(3));
            frame.release();
            assertEquals(1, data.refCnt(), "the connection kept or dropped a reference to the caller's data");

            // receive: the listener sees views of the buffers the channel read, freed after it returns
            byte[] header = new byte[CephStructs.CEPH_MSG_HEADER2.size()];
            ByteBuf hb = Unpooled.wrappedBuffer(header);
            CephStructs.CEPH_MSG_HEADER2.field("seq").setLong(hb, 0, 1);
            CephStructs.CEPH_MSG_HEADER2.field("type").setLong(hb, 0, 43);
            byte[] incoming = FrameCodecTest.bytes(1 << 20, 9);
            byte[] wire = peer.frame(Tag.MESSAGE, header, new byte[] {4, 5}, new byte[0], incoming);
            int cut = wire.length / 2;
            byte[] a1 = Arrays.copyOf(wire, cut);
            byte[] a2 = Arrays.copyOfRange(wire, cut, wire.length);
            ByteBuf p1 = Unpooled.wrappedBuffer(a1);
            ByteBuf p2 = Unpooled.wrappedBuffer(a2);
            ch.writeInbound(p1);
            assertTrue(seenData.isEmpty());
            ch.writeInbound(p2);
            assertEquals(1, seenData.size());
            assertArrayEquals(incoming, seenData.get(0));
            List<byte[]> backing = seenBacking.get(0);
            assertEquals(2, backing.size());
            assertTrue(backing.get(0) == a1 && backing.get(1) == a2, "receive copied the data");
            assertEquals(0, p1.refCnt(), "the first read buffer was not released after the listener");
            assertEquals(0, p2.refCnt(), "the second read buffer was not released after the listener");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Whether every component of {@code b} is direct memory. */
    private static boolean allDirect(ByteBuf b) {
        if (b instanceof io.netty.buffer.CompositeByteBuf comp) {
            for (int i = 0; i < comp.numComponents(); i++) {
                if (!allDirect(comp.internalComponent(i))) {
                    return false;
                }
            }
            return true;
        }
        return b.isDirect();
    }
}
