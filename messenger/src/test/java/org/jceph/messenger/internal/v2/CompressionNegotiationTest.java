package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.internal.compress.CompressionAlgorithm;
import org.jceph.messenger.internal.compress.CompressionMode;
import org.jceph.messenger.internal.compress.CompressionSettings;
import org.jceph.messenger.internal.compress.SegmentCodec;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.Test;

/**
 * The client's side of COMPRESSION_REQUEST / COMPRESSION_DONE against a scripted auth-none peer
 * on an embedded channel: what it asks for (per peer type and policy), what it does with the
 * answer, and that both directions of a compressed session carry the same bytes as before.
 */
class CompressionNegotiationTest {
    static final CompressionSettings FORCE_ZSTD_SNAPPY = new CompressionSettings(CompressionMode.FORCE,
            List.of(CompressionAlgorithm.ZSTD, CompressionAlgorithm.SNAPPY), 64, false);

    final List<Message> received = new ArrayList<>();

    ProtocolV2Client client(int peerType, CompressionSettings cs) {
        return new ProtocolV2Client(new ProtocolV2Client.Params(ConnectionZeroCopyTest.TARGET, peerType,
                EntityName.client("admin"), new AuthNone(EntityName.client("admin")), List.of(ConnectionMode.CRC),
                1, 2, 3, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(120), m -> received.add(m.copy()),
                false, cs));
    }

    /** The peer's frames up to AUTH_SIGNATURE, with the given banner features. */
    static byte[] untilSignature(FrameWriter w, long bannerFeatures, int peerType) {
        return FrameCodecTest.concat(
                new Banner(bannerFeatures, 0).encode(),
                w.control(Tag.HELLO, new ControlFrames.Hello(peerType, ConnectionZeroCopyTest.TARGET).encode()),
                w.control(Tag.AUTH_DONE, ControlFrames.write(e -> e.writeU64Le(4242).writeU32Le(1).writeBlob(new byte[0]))),
                w.control(Tag.AUTH_SIGNATURE, new byte[32]));
    }

    static byte[] serverIdent(FrameWriter w) {
        return w.control(Tag.SERVER_IDENT, ControlFrames.write(e -> {
            EntityAddrVec.of(ConnectionZeroCopyTest.TARGET).encode(e);
            e.writeS64Le(0).writeU64Le(1).writeU64Le(CephFeature.CLIENT_SUPPORTED).writeU64Le(0).writeU64Le(1).writeU64Le(99);
        }));
    }

    static byte[] done(FrameWriter w, boolean compress, int method) {
        return w.control(Tag.COMPRESSION_DONE, ControlFrames.write(e -> e.writeU8(compress ? 1 : 0).writeU32Le(method)));
    }

    /** Everything the client wrote so far, as frames (the banner dropped); frames after COMPRESSION_REQUEST are read with {@code codec}. */
    static List<Frame> written(EmbeddedChannel ch, FrameReader r) {
        ByteBuf all = Unpooled.buffer();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        if (all.readableBytes() >= 26 && all.getByte(0) == 'c') {
            Banner.read(all);
        }
        List<Frame> out = new ArrayList<>();
        Frame f;
        while ((f = r.next(all)) != null) {
            out.add(f);
        }
        return out;
    }

    @Test
    void towardsAnOsdTheClientAsksAndBothDirectionsCompress() throws Exception {
        ProtocolV2Client c = client(EntityName.TYPE_OSD, FORCE_ZSTD_SNAPPY);
        EmbeddedChannel ch = ConnectionZeroCopyTest.channel(c);
        try {
            byte[] banner = ByteBufUtil.getBytes((ByteBuf) ch.readOutbound());
            assertEquals(Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, Unpooled.wrappedBuffer(banner).getLongLE(10),
                    "we advertise COMPRESSION");
            assertEquals(Banner.FEATURE_REVISION_1, Unpooled.wrappedBuffer(banner).getLongLE(18), "but do not require it");
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(untilSignature(peer,
                    Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, EntityName.TYPE_OSD)));
            FrameReader fromClient = new FrameReader();
            List<Frame> sent = written(ch, fromClient);
            Frame req = sent.get(sent.size() - 1);
            assertEquals(Tag.COMPRESSION_REQUEST, req.tag());
            CephDecoder d = CephDecoder.of(req.payload(), "COMPRESSION_REQUEST");
            assertTrue(d.readBool());
            assertEquals(List.of(3L, 1L), d.readList(4, CephDecoder::readU32Le), "zstd, then snappy");
            sent.forEach(Frame::release);

            SegmentCodec zstd = SegmentCodec.of(CompressionAlgorithm.ZSTD);
            ch.writeInbound(Unpooled.wrappedBuffer(done(peer, true, 3)));
            fromClient.decompression(zstd);
            peer.compression(zstd, 64);
            List<Frame> ident = written(ch, fromClient);
            assertEquals(Tag.CLIENT_IDENT, ident.get(0).tag(), "CLIENT_IDENT follows COMPRESSION_DONE");
            ControlFrames.ClientIdent.decode(ident.get(0).payload()); // it arrived compressed and inflated
            ident.forEach(Frame::release);
            ch.writeInbound(Unpooled.wrappedBuffer(serverIdent(peer))); // compressed by the peer
            Connection conn = c.readyFuture().get(1, TimeUnit.SECONDS);
            assertEquals("zstd", conn.compression());

            // a message out: flagged compressed on the wire, the same bytes after inflating
            byte[] data = FrameCodecTest.bytes(100_000, 5);
            conn.send(new Message(42, 8, 3, 127, 11, 0, new byte[] {1, 2, 3}, new byte[0], Unpooled.wrappedBuffer(data)));
            ch.runPendingTasks();
            ByteBuf wire = ch.readOutbound();
            assertEquals(1, wire.getUnsignedByte(26), "FRAME_EARLY_DATA_COMPRESSED");
            assertTrue(wire.readableBytes() < 100_000, "100000 bytes of compressible data went out as " + wire.readableBytes());
            Frame m = fromClient.next(wire);
            assertArrayEquals(data, m.segment(3));
            m.release();
            wire.release();

            // a compressed message in: the listener gets the original bytes
            byte[] header = new byte[CephStructs.CEPH_MSG_HEADER2.size()];
            ByteBuf hb = Unpooled.wrappedBuffer(header);
            CephStructs.CEPH_MSG_HEADER2.field("seq").setLong(hb, 0, 1);
            CephStructs.CEPH_MSG_HEADER2.field("type").setLong(hb, 0, 43);
            byte[] incoming = FrameCodecTest.bytes(50_000, 9);
            ch.writeInbound(Unpooled.wrappedBuffer(peer.frame(Tag.MESSAGE, header, new byte[] {4, 5}, new byte[0], incoming)));
            assertEquals(1, received.size());
            assertArrayEquals(incoming, received.get(0).dataBytes());
            assertArrayEquals(new byte[] {4, 5}, received.get(0).front());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void towardsAMonitorTheRequestSaysNoAndNothingIsCompressed() throws Exception {
        ProtocolV2Client c = client(EntityName.TYPE_MON, FORCE_ZSTD_SNAPPY);
        EmbeddedChannel ch = ConnectionZeroCopyTest.channel(c);
        try {
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(untilSignature(peer,
                    Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, EntityName.TYPE_MON)));
            FrameReader fromClient = new FrameReader();
            List<Frame> sent = written(ch, fromClient);
            Frame req = sent.get(sent.size() - 1);
            assertEquals(Tag.COMPRESSION_REQUEST, req.tag());
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0}, req.payload(), "is_compress false, no methods (as librados)");
            sent.forEach(Frame::release);
            ch.writeInbound(Unpooled.wrappedBuffer(done(peer, false, 0)));
            ch.writeInbound(Unpooled.wrappedBuffer(serverIdent(peer)));
            assertEquals("none", c.readyFuture().get(1, TimeUnit.SECONDS).compression());
            written(ch, fromClient).forEach(Frame::release); // uncompressed: a reader without codec accepts them
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anOsdThatRefusesLeavesTheSessionUncompressed() throws Exception {
        // what Reef/Tentacle OSDs answer a client (they only compress OSD peers)
        ProtocolV2Client c = client(EntityName.TYPE_OSD, FORCE_ZSTD_SNAPPY);
        EmbeddedChannel ch = ConnectionZeroCopyTest.channel(c);
        try {
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(FrameCodecTest.concat(untilSignature(peer,
                    Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, EntityName.TYPE_OSD),
                    done(peer, false, 0), serverIdent(peer))));
            Connection conn = c.readyFuture().get(1, TimeUnit.SECONDS);
            assertEquals("none", conn.compression());
            conn.send(new Message(42, 8, 3, 127, 11, 0, new byte[2000], new byte[0], Unpooled.EMPTY_BUFFER));
            ch.runPendingTasks();
            FrameReader plain = new FrameReader();
            List<Frame> frames = written(ch, plain); // would throw on a compressed frame
            assertEquals(Tag.MESSAGE, frames.get(frames.size() - 1).tag());
            frames.forEach(Frame::release);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void forceWithNoCommonMethodMeansUncompressed() throws Exception {
        // an OSD in force mode whose own ms_osd_compression_algorithm shares nothing with ours
        // answers is_compress=1 with method none; Ceph then creates no handlers on either side
        ProtocolV2Client c = client(EntityName.TYPE_OSD, FORCE_ZSTD_SNAPPY);
        EmbeddedChannel ch = ConnectionZeroCopyTest.channel(c);
        try {
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(FrameCodecTest.concat(untilSignature(peer,
                    Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, EntityName.TYPE_OSD),
                    done(peer, true, 0), serverIdent(peer))));
            assertEquals("none", c.readyFuture().get(1, TimeUnit.SECONDS).compression());
            written(ch, new FrameReader()).forEach(Frame::release); // nothing compressed
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void withoutTheBannerFeatureThereIsNoRequest() throws Exception {
        ProtocolV2Client c = client(EntityName.TYPE_OSD, FORCE_ZSTD_SNAPPY);
        EmbeddedChannel ch = ConnectionZeroCopyTest.channel(c);
        try {
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(untilSignature(peer, Banner.FEATURE_REVISION_1, EntityName.TYPE_OSD)));
            List<Frame> sent = written(ch, new FrameReader());
            assertEquals(Tag.CLIENT_IDENT, sent.get(sent.size() - 1).tag(), "Pacific-style peer: straight to CLIENT_IDENT");
            sent.forEach(Frame::release);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aMethodWeLackFailsTheConnection() {
        ProtocolV2Client c = client(EntityName.TYPE_OSD, FORCE_ZSTD_SNAPPY);
        EmbeddedChannel ch = ConnectionZeroCopyTest.channel(c);
        try {
            FrameWriter peer = new FrameWriter();
            ch.writeInbound(Unpooled.wrappedBuffer(FrameCodecTest.concat(untilSignature(peer,
                    Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, EntityName.TYPE_OSD), done(peer, true, 5))));
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.readyFuture().get(1, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ConnectionException);
            assertTrue(e.getCause().getMessage().contains("brotli"), e.getCause().getMessage());
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
