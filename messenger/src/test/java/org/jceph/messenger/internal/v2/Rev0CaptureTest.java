package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jceph.messenger.v2.FrameException;
import org.junit.jupiter.api.Test;

/**
 * msgr2.0 (revision 0) crc frames: our session with a live Pacific 16.2.15 monitor where we did
 * not advertise REVISION_1 (ms_jceph_msgr2_rev0; provenance in fixtures/README.md). The monitor's
 * frames decode at every split and re-encode to the same bytes with our rev0 writer.
 */
class Rev0CaptureTest {
    static byte[] load(String name) throws IOException {
        try (InputStream in = Rev0CaptureTest.class.getResourceAsStream("/fixtures/messenger-v1/" + name)) {
            return in.readAllBytes();
        }
    }

    static List<Frame> replay(byte[] stream, int cut) {
        ByteBuf cum = org.jceph.messenger.internal.TestCumulation.create();
        FrameReader r = new FrameReader();
        r.rev0(true);
        List<Frame> out = new ArrayList<>();
        boolean banner = false;
        for (int piece = 0; piece < 2; piece++) {
            org.jceph.messenger.internal.TestCumulation.feed(cum, stream, piece == 0 ? 0 : cut, piece == 0 ? cut : stream.length - cut);
            if (!banner) {
                int len = Banner.wireLength(cum);
                if (len < 0) {
                    continue;
                }
                Banner.read(cum);
                r.advanceStreamOffset(len);
                banner = true;
            }
            Frame f;
            while ((f = r.next(cum)) != null) {
                out.add(f);
            }
        }
        assertEquals(0, cum.readableBytes());
        return out;
    }

    @Test
    void monitorFramesDecodeAtEverySplitAndReencodeIdentically() throws IOException {
        byte[] s = load("pacific-16.2.15-rev0-mon-server.bin");
        List<Frame> whole = replay(s, s.length);
        assertEquals(List.of(Tag.HELLO, Tag.AUTH_REPLY_MORE, Tag.AUTH_DONE, Tag.AUTH_SIGNATURE, Tag.SERVER_IDENT),
                whole.stream().map(Frame::tag).toList().subList(0, 5));
        assertTrue(whole.stream().filter(f -> f.tag() == Tag.MESSAGE).count() >= 1, whole.toString());
        for (int cut = 0; cut <= s.length; cut++) {
            assertEquals(whole, replay(s, cut), "split at " + cut);
        }
        // The monitor's bytes, rebuilt by our rev0 writer from the decoded segments.
        FrameWriter w = new FrameWriter();
        w.rev0(true);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        again.writeBytes(java.util.Arrays.copyOf(s, 26));
        for (Frame f : whole) {
            again.writeBytes(w.frame(f.tag(), f.segments()));
        }
        assertArrayEquals(s, again.toByteArray());
    }

    @Test
    void ourClientBytesDecode() throws IOException {
        byte[] s = load("pacific-16.2.15-rev0-mon-client.bin");
        Banner b = Banner.read(Unpooled.wrappedBuffer(s));
        assertEquals(new Banner(0, 0), b, "rev0: we advertise no REVISION_1");
        List<Frame> whole = replay(s, s.length);
        assertEquals(List.of(Tag.HELLO, Tag.AUTH_REQUEST, Tag.AUTH_REQUEST_MORE, Tag.AUTH_SIGNATURE, Tag.CLIENT_IDENT),
                whole.stream().map(Frame::tag).toList().subList(0, 5));
    }

    @Test
    void corruptRev0EpilogueCrcIsNamed() throws IOException {
        byte[] s = load("pacific-16.2.15-rev0-mon-server.bin");
        byte[] bad = s.clone();
        bad[26 + 32 + 2] ^= 1; // inside the HELLO payload: its crc lives in the rev0 epilogue
        FrameException e = assertThrows(FrameException.class, () -> replay(bad, bad.length));
        assertTrue(e.getMessage().contains("HELLO/epilogue") && e.getMessage().contains("segment 0 crc"), e.getMessage());
    }
}
