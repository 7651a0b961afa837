package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.messenger.internal.compress.CompressionAlgorithm;
import org.jceph.messenger.internal.compress.SegmentCodec;
import org.jceph.messenger.v2.FrameException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames Ceph compressed itself: one OSD-to-OSD heartbeat connection per algorithm, captured on
 * loopback from a Reef 18.2.7 cluster with ms_osd_compress_mode = force and
 * ms_osd_compress_min_size = 64 (provenance in fixtures/README.md). Checks the negotiation frames'
 * payloads, that frames after COMPRESSION_DONE carry FRAME_EARLY_DATA_COMPRESSED and CRCs over the
 * compressed bytes, and that our codec inflates Ceph's segments to well-formed frames (a 41-byte
 * ceph_msg_header2, IDENT payloads that decode).
 */
class CompressedCaptureTest {
    static byte[] load(String name) throws IOException {
        try (InputStream in = CompressedCaptureTest.class.getResourceAsStream("/fixtures/messenger/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    record Read(Frame frame, boolean compressed, int[] wireLengths) {
    }

    /** Every frame of one direction; the codec is switched on where COMPRESSION_DONE was exchanged. */
    static List<Read> replay(byte[] stream, SegmentCodec codec, boolean fromClient) {
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        int len = Banner.wireLength(in);
        Banner b = Banner.read(in);
        assertEquals(Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION, b.supported(), "Reef's banner");
        FrameReader r = new FrameReader();
        r.advanceStreamOffset(len);
        List<Read> out = new ArrayList<>();
        while (in.isReadable()) {
            int at = in.readerIndex();
            int flags = in.getUnsignedByte(at + 26);
            int[] lengths = new int[4];
            for (int i = 0; i < 4; i++) {
                lengths[i] = in.getIntLE(at + 2 + 6 * i);
            }
            Frame f = r.next(in);
            assertTrue(f != null, "truncated frame at " + at);
            out.add(new Read(f, (flags & 1) != 0, lengths));
            if (f.tag() == (fromClient ? Tag.COMPRESSION_REQUEST : Tag.COMPRESSION_DONE)) {
                r.decompression(codec); // what follows in this direction may be compressed
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zlib", "zstd", "lz4"})
    void cephCompressedFramesInflate(String alg) throws IOException {
        CompressionAlgorithm a = CompressionAlgorithm.named(alg);
        SegmentCodec codec = SegmentCodec.of(a);
        List<Read> client = replay(load("reef-18.2.7-osd-" + alg + "-client.bin"), codec, true);
        List<Read> server = replay(load("reef-18.2.7-osd-" + alg + "-server.bin"), codec, false);

        // negotiation: the connecting OSD asks with its one configured method, the other agrees
        Read req = client.stream().filter(x -> x.frame().tag() == Tag.COMPRESSION_REQUEST).findFirst().orElseThrow();
        CephDecoder d = CephDecoder.of(req.frame().payload(), "COMPRESSION_REQUEST");
        assertTrue(d.readBool(), "is_compress");
        assertEquals(List.of((long) a.id), d.readList(4, CephDecoder::readU32Le));
        d.expectEnd();
        assertTrue(!req.compressed());
        Read done = server.stream().filter(x -> x.frame().tag() == Tag.COMPRESSION_DONE).findFirst().orElseThrow();
        assertEquals(new ControlFrames.CompressionDone(true, a.id), ControlFrames.CompressionDone.decode(done.frame().payload()));
        assertTrue(!done.compressed());

        int compressed = 0;
        for (List<Read> side : List.of(client, server)) {
            boolean after = false;
            for (Read x : side) {
                Tag t = x.frame().tag();
                assertTrue(after || !x.compressed(), t + " compressed before negotiation");
                int logical = 0;
                for (int i = 0; i < x.frame().numSegments(); i++) {
                    logical += x.frame().buf(i).readableBytes();
                }
                if (after && logical >= 64) {
                    assertTrue(x.compressed(), t + " of " + logical + " bytes not compressed (min size 64)");
                }
                if (x.compressed()) {
                    compressed++;
                    for (int i = 0; i < x.frame().numSegments(); i++) {
                        assertEquals(x.wireLengths()[i] == 0, x.frame().buf(i).readableBytes() == 0,
                                "empty segments stay empty");
                    }
                }
                if (t == Tag.MESSAGE) {
                    assertEquals(CephStructs.CEPH_MSG_HEADER2.size(), x.frame().buf(0).readableBytes());
                    assertEquals(70, CephStructs.CEPH_MSG_HEADER2.field("type").getInt(x.frame().buf(0), 0), "MOSDPing");
                }
                if (t == Tag.SERVER_IDENT) {
                    ControlFrames.ServerIdent.decode(x.frame().payload());
                }
                if (t == Tag.CLIENT_IDENT) {
                    ControlFrames.ClientIdent.decode(x.frame().payload());
                }
                if (t == Tag.COMPRESSION_REQUEST || t == Tag.COMPRESSION_DONE) {
                    after = true;
                }
            }
        }
        assertTrue(compressed >= 4, "only " + compressed + " compressed frames");

        // our writer with the same codec produces frames our reader (and so Ceph's framing) accepts
        FrameWriter w = new FrameWriter();
        w.compression(codec, 64);
        FrameReader r = new FrameReader();
        r.decompression(codec);
        for (Read x : client) {
            if (x.frame().tag() != Tag.MESSAGE) {
                continue;
            }
            byte[] wire = w.frame(Tag.MESSAGE, x.frame().segments());
            assertEquals(1, wire[26], "our frame is flagged compressed");
            Frame back = r.next(Unpooled.wrappedBuffer(wire));
            assertArrayEquals(x.frame().segment(0), back.segment(0));
            assertArrayEquals(x.frame().segment(1), back.segment(1));
            back.release();
        }
        client.forEach(x -> x.frame().release());
        server.forEach(x -> x.frame().release());
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zlib"})
    void compressedFrameWithoutNegotiationIsRefused(String alg) throws IOException {
        byte[] s = load("reef-18.2.7-osd-" + alg + "-server.bin");
        ByteBuf in = Unpooled.wrappedBuffer(s);
        int len = Banner.wireLength(in);
        Banner.read(in);
        FrameReader r = new FrameReader();
        r.advanceStreamOffset(len);
        FrameException e = assertThrows(FrameException.class, () -> {
            Frame f;
            while ((f = r.next(in)) != null) {
                f.release();
            }
        });
        assertTrue(e.getMessage().contains("compression was not negotiated"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "lz4"})
    void corruptCompressedSegmentIsAFrameError(String alg) throws IOException {
        SegmentCodec codec = SegmentCodec.of(CompressionAlgorithm.named(alg));
        FrameWriter w = new FrameWriter();
        w.compression(codec, 0);
        byte[] wire = w.frame(Tag.MESSAGE, new byte[41], new byte[200], new byte[0], new byte[0]);
        // break the compressed header segment's declared length, then fix the crc so only the codec sees it
        ByteBuf b = Unpooled.wrappedBuffer(wire);
        int len0 = b.getIntLE(2);
        b.setIntLE(32, 1 << 30);
        b.setIntLE(32 + len0, org.jceph.encoding.Crc32c.update(-1, wire, 32, len0));
        FrameReader r = new FrameReader();
        r.decompression(codec);
        FrameException e = assertThrows(FrameException.class, () -> r.next(b));
        assertTrue(e.getMessage().contains(alg), e.getMessage());
    }
}
