package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever the segments, a frame written in either mode reads back identically from any split. */
class FrameRoundTripPropertyTest {
    @Provide
    Arbitrary<byte[][]> messageSegments() {
        Arbitrary<byte[]> seg = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.bytes().array(byte[].class).ofSize(41).flatMap(h -> seg.list().ofMaxSize(3).map(rest -> {
            byte[][] s = new byte[1 + rest.size()][];
            s[0] = h;
            for (int i = 0; i < rest.size(); i++) {
                s[i + 1] = rest.get(i);
            }
            return s;
        }));
    }

    @Property(tries = 300)
    void messageFramesRoundTrip(@ForAll("messageSegments") byte[][] segs, @ForAll boolean secure,
                                @ForAll @IntRange(min = 0, max = 2000) int cutSeed) {
        FrameWriter w = new FrameWriter();
        FrameReader r = new FrameReader();
        if (secure) {
            w.secure(GcmCipher.serverPair(FrameCodecTest.SECRET)[1]);
            r.secure(GcmCipher.clientPair(FrameCodecTest.SECRET)[0]);
        }
        byte[] wire = w.frame(Tag.MESSAGE, segs);
        List<Frame> got = FrameCodecTest.decodeSplit(r, wire, cutSeed % (wire.length + 1));
        assertEquals(1, got.size());
        // Trailing empty segments are not sent: compare with them trimmed.
        int n = segs.length;
        while (n > 1 && segs[n - 1].length == 0) {
            n--;
        }
        assertEquals(new Frame(Tag.MESSAGE, java.util.Arrays.copyOf(segs, n)), got.get(0));
    }

    @Property(tries = 300)
    void compressedMessageFramesRoundTrip(@ForAll("messageSegments") byte[][] segs,
                                          @ForAll @IntRange(min = 0, max = 2) int mode,
                                          @ForAll @IntRange(min = 1, max = 4) int algorithm,
                                          @ForAll @IntRange(min = 0, max = 400) int minSize,
                                          @ForAll @IntRange(min = 0, max = 2000) int cutSeed) {
        org.jceph.messenger.internal.compress.SegmentCodec codec = org.jceph.messenger.internal.compress.SegmentCodec.of(
                org.jceph.messenger.internal.compress.CompressionAlgorithm.of(algorithm));
        FrameWriter w = new FrameWriter();
        FrameReader r = new FrameReader();
        if (mode == 1) {
            w.secure(GcmCipher.serverPair(FrameCodecTest.SECRET)[1]);
            r.secure(GcmCipher.clientPair(FrameCodecTest.SECRET)[0]);
        } else if (mode == 2) {
            w.rev0(true);
            r.rev0(true);
        }
        w.compression(codec, minSize);
        r.decompression(codec);
        byte[] wire = w.frame(Tag.MESSAGE, segs);
        int total = 0;
        for (byte[] x : segs) {
            total += x.length;
        }
        if (mode != 1) { // the preamble is in clear text: its flag says whether the frame was compressed
            assertEquals(total >= minSize ? 1 : 0, wire[26]);
        }
        List<Frame> got = FrameCodecTest.decodeSplit(r, wire, cutSeed % (wire.length + 1));
        assertEquals(1, got.size());
        int n = segs.length;
        while (n > 1 && segs[n - 1].length == 0) {
            n--;
        }
        assertEquals(new Frame(Tag.MESSAGE, java.util.Arrays.copyOf(segs, n)), got.get(0));
    }

    @Property(tries = 300)
    void controlFramesRoundTrip(@ForAll @IntRange(min = 1, max = 20) int tagCode,
                                @ForAll("payloads") byte[] payload, @ForAll boolean secure) {
        Tag tag = Tag.of(tagCode == 17 ? 18 : tagCode);
        FrameWriter w = new FrameWriter();
        FrameReader r = new FrameReader();
        if (secure) {
            w.secure(GcmCipher.serverPair(FrameCodecTest.SECRET)[1]);
            r.secure(GcmCipher.clientPair(FrameCodecTest.SECRET)[0]);
        }
        byte[] wire = w.control(tag, payload);
        assertEquals(Frame.control(tag, payload), FrameCodecTest.decodeSplit(r, wire, wire.length / 2).get(0));
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(500);
    }
}
