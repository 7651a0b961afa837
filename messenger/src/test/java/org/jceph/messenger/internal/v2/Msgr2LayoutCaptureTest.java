package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jceph.encoding.Crc32c;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.messenger.fixtures.Captures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The msgr2 declarations in {@link CephStructs} against frames real Ceph daemons and clients sent
 * (the captures under fixtures/messenger and messenger-v1, see fixtures/README.md): each stream is
 * walked with nothing but the declared layouts (banner, preamble, crc and secure epilogues, the
 * secure head), every crc the layouts locate is checked, and the result must equal what the
 * messenger's own {@link FrameReader} makes of the same bytes; our {@link FrameWriter} and
 * {@link Banner} must then rebuild the captured bytes exactly.
 */
class Msgr2LayoutCaptureTest {
    private static final PackedLayout BANNER = CephStructs.MSGR2_BANNER;
    private static final PackedLayout PRE = CephStructs.MSGR2_PREAMBLE;
    private static final PackedLayout EPI1 = CephStructs.MSGR2_EPILOGUE_CRC_REV1;
    private static final PackedLayout EPI0 = CephStructs.MSGR2_EPILOGUE_CRC_REV0;
    private static final PackedLayout SEC_HEAD = CephStructs.MSGR2_SECURE_HEAD;
    private static final PackedLayout SEC_EPI = CephStructs.MSGR2_EPILOGUE_SECURE_REV1;
    private static final int BLOCK = SEC_EPI.size();

    /** One frame as the layouts see it. */
    record Walked(int tag, byte[][] segments) {
    }

    static byte[] load(String path) throws IOException {
        try (InputStream in = Msgr2LayoutCaptureTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    private static long get(Map<String, Object> m, String path) {
        return (Long) m.get(path);
    }

    /** The banner through MSGR2_BANNER; checks it and returns its length. */
    private static int banner(byte[] s) {
        Map<String, Object> b = BANNER.decode(Unpooled.wrappedBuffer(s), 0, Map.of());
        assertEquals("ceph v2\n", new String((byte[]) b.get("prefix"), StandardCharsets.US_ASCII));
        int payload = (int) get(b, "payload_len");
        assertEquals(BANNER.size() - BANNER.field("supported_features").offset(), payload);
        Banner ours = Banner.read(Unpooled.wrappedBuffer(s));
        assertEquals(get(b, "supported_features"), ours.supported());
        assertEquals(get(b, "required_features"), ours.required());
        assertArrayEquals(Arrays.copyOf(s, BANNER.size()), ours.encode(), "our banner bytes");
        return BANNER.size();
    }

    /** Decodes a preamble with the layout, checking its crc; returns the segment lengths. */
    private static int[] preamble(ByteBuf b, int at, Map<String, Object> out) {
        Map<String, Object> p = PRE.decode(b, at, Map.of());
        out.putAll(p);
        int covered = PRE.field("crc").offset();
        assertEquals(Crc32c.update(0, b, at, covered), (int) get(p, "crc"), "preamble crc at " + at);
        int num = (int) get(p, "num_segments");
        assertTrue(num >= 1 && num <= CephStructs.MSGR2_MAX_SEGMENTS, "num_segments " + num);
        assertArrayEquals(new byte[1], (byte[]) p.get("reserved"), "reserved byte");
        int[] len = new int[CephStructs.MSGR2_MAX_SEGMENTS];
        for (int i = 0; i < len.length; i++) {
            len[i] = (int) get(p, "segments[" + i + "].length");
            if (i >= num) {
                assertEquals(0, len[i], "unused segment " + i);
                assertEquals(0L, get(p, "segments[" + i + "].alignment"), "unused alignment " + i);
            }
        }
        return len;
    }

    /** Walks crc-mode frames (revision 1 or 0) from {@code pos} to the end or to {@code stopAfterTag}. */
    static List<Walked> walkCrc(byte[] s, int pos, boolean rev1, int stopAfterTag, int[] endOut) {
        ByteBuf b = Unpooled.wrappedBuffer(s);
        List<Walked> out = new ArrayList<>();
        while (pos < s.length) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            int[] len = preamble(b, pos, p);
            int num = (int) get(p, "num_segments");
            int q = pos + PRE.size();
            byte[][] segs = new byte[num][];
            int[] starts = new int[4];
            for (int i = 0; i < 4; i++) {
                starts[i] = q;
                if (i < num) {
                    segs[i] = Arrays.copyOfRange(s, q, q + len[i]);
                }
                q += len[i];
                if (rev1 && i == 0 && len[0] > 0) {
                    assertEquals(Crc32c.update(-1, s, starts[0], len[0]), b.getIntLE(q), "segment 0 crc");
                    q += 4;
                }
            }
            boolean tail = len[1] != 0 || len[2] != 0 || len[3] != 0;
            if (!rev1) {
                Map<String, Object> e = EPI0.decode(b, q, Map.of());
                assertEquals(0L, get(e, "late_flags"));
                for (int i = 0; i < 4; i++) {
                    long want = i < num ? Integer.toUnsignedLong(Crc32c.update(-1, s, starts[i], len[i])) : 0;
                    assertEquals(want, get(e, "crc_values[" + i + "]"), "rev0 crc of segment " + i);
                }
                q += EPI0.size();
            } else if (tail) {
                Map<String, Object> e = EPI1.decode(b, q, Map.of());
                assertEquals((long) FrameWriter.LATE_STATUS_COMPLETE, get(e, "late_status") & 0x0F);
                for (int i = 1; i < 4; i++) {
                    long want = i < num ? Integer.toUnsignedLong(Crc32c.update(-1, s, starts[i], len[i])) : 0;
                    assertEquals(want, get(e, "crc_values[" + (i - 1) + "]"), "rev1 crc of segment " + i);
                }
                q += EPI1.size();
            }
            int tag = (int) get(p, "tag");
            out.add(new Walked(tag, segs));
            pos = q;
            if (tag == stopAfterTag) {
                break;
            }
        }
        endOut[0] = pos;
        return out;
    }

    /** Walks msgr2.1 secure frames: the secure head, the rest of segment 0, the tail with its epilogue. */
    static List<Walked> walkSecure(byte[] s, int pos, GcmCipher rx) throws GeneralSecurityException {
        List<Walked> out = new ArrayList<>();
        while (pos < s.length) {
            byte[] head = rx.decrypt(s, pos, SEC_HEAD.size());
            int plainHead = SEC_HEAD.size() - SEC_HEAD.field("auth_tag").width();
            assertEquals(plainHead, head.length);
            ByteBuf hb = Unpooled.wrappedBuffer(Arrays.copyOf(head, SEC_HEAD.size()));
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            int[] len = preamble(hb, SEC_HEAD.field("preamble").offset(), p);
            int num = (int) get(p, "num_segments");
            int inline = SEC_HEAD.field("segment0_inline").width();
            byte[][] segs = new byte[num][];
            int q = pos + SEC_HEAD.size();
            byte[] seg0 = new byte[len[0]];
            int inlineAt = SEC_HEAD.field("segment0_inline").offset();
            System.arraycopy(head, inlineAt, seg0, 0, Math.min(inline, len[0]));
            for (int i = Math.min(inline, len[0]); i < inline; i++) {
                assertEquals(0, head[inlineAt + i], "inline zero padding");
            }
            if (len[0] > inline) {
                int sealed = FrameWriter.padded(len[0] - inline) + GcmCipher.TAG_LEN;
                byte[] rest = rx.decrypt(s, q, sealed);
                System.arraycopy(rest, 0, seg0, inline, len[0] - inline);
                q += sealed;
            }
            segs[0] = seg0;
            if (len[1] != 0 || len[2] != 0 || len[3] != 0) {
                int plain = SEC_EPI.size();
                for (int i = 1; i < 4; i++) {
                    plain += FrameWriter.padded(len[i]);
                }
                byte[] t = rx.decrypt(s, q, plain + GcmCipher.TAG_LEN);
                int r = 0;
                for (int i = 1; i < num; i++) {
                    segs[i] = Arrays.copyOfRange(t, r, r + len[i]);
                    r += FrameWriter.padded(len[i]);
                }
                Map<String, Object> e = SEC_EPI.decode(Unpooled.wrappedBuffer(t), t.length - SEC_EPI.size(), Map.of());
                assertEquals((long) FrameWriter.LATE_STATUS_COMPLETE, get(e, "late_status") & 0x0F);
                assertArrayEquals(new byte[SEC_EPI.field("padding").width()], (byte[]) e.get("padding"));
                q += plain + GcmCipher.TAG_LEN;
            }
            out.add(new Walked((int) get(p, "tag"), segs));
            pos = q;
        }
        return out;
    }

    private static void sameAsTheReader(List<Walked> walked, List<Frame> read) {
        assertEquals(read.size(), walked.size(), "frames");
        for (int i = 0; i < read.size(); i++) {
            assertEquals(read.get(i).tag().code, walked.get(i).tag(), "frame " + i);
            byte[][] want = read.get(i).segments();
            assertEquals(want.length, walked.get(i).segments().length, "frame " + i + " segments");
            for (int j = 0; j < want.length; j++) {
                assertArrayEquals(want[j], walked.get(i).segments()[j], "frame " + i + " segment " + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pacific-16.2.15-crc-server.bin", "pacific-16.2.15-crc-client.bin",
        "pacific-16.2.15-cli-crc-server.bin", "pacific-16.2.15-cli-crc-client.bin",
        "tentacle-20.2.4-crc-server.bin", "tentacle-20.2.4-crc-client.bin"})
    void crcCapturesWalkedByTheLayoutsAgreeWithTheCodecByteForByte(String name) throws IOException {
        byte[] s = load("/fixtures/messenger/" + name);
        int pos = banner(s);
        int[] end = new int[1];
        List<Walked> walked = walkCrc(s, pos, true, -1, end);
        assertEquals(s.length, end[0]);
        assertTrue(walked.stream().anyMatch(w -> w.tag() == Tag.MESSAGE.code) || name.contains("client"), name);
        sameAsTheReader(walked, Captures.replay(s, s.length, null, null));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        again.writeBytes(Arrays.copyOf(s, pos));
        FrameWriter w = new FrameWriter();
        for (Walked f : walked) {
            again.writeBytes(w.frame(Tag.of(f.tag()), f.segments()));
        }
        assertArrayEquals(s, again.toByteArray(), "our writer rebuilds " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pacific-16.2.15-rev0-mon-server.bin", "pacific-16.2.15-rev0-mon-client.bin"})
    void rev0CapturesWalkedByTheLayoutsAgreeWithTheCodecByteForByte(String name) throws IOException {
        byte[] s = load("/fixtures/messenger-v1/" + name);
        int pos = banner(s);
        int[] end = new int[1];
        List<Walked> walked = walkCrc(s, pos, false, -1, end);
        assertEquals(s.length, end[0]);
        FrameWriter w = new FrameWriter();
        w.rev0(true);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        again.writeBytes(Arrays.copyOf(s, pos));
        for (Walked f : walked) {
            again.writeBytes(w.frame(Tag.of(f.tag()), f.segments()));
        }
        assertArrayEquals(s, again.toByteArray(), "our rev0 writer rebuilds " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pacific-16.2.15", "tentacle-20.2.4"})
    void secureCapturesWalkedByTheLayoutsAgreeWithTheCodec(String release) throws Exception {
        byte[] secret = Captures.secret(release + "-secure-secret.hex");
        // server -> client: cleartext until AUTH_DONE, then sealed
        byte[] s = load("/fixtures/messenger/" + release + "-secure-server.bin");
        int[] end = new int[1];
        List<Walked> walked = new ArrayList<>(walkCrc(s, banner(s), true, Tag.AUTH_DONE.code, end));
        walked.addAll(walkSecure(s, end[0], GcmCipher.clientPair(secret)[0]));
        assertTrue(walked.size() > 3 && walked.get(walked.size() - 1).tag() != Tag.AUTH_DONE.code, walked.toString());
        sameAsTheReader(walked, Captures.replay(s, s.length, Tag.AUTH_DONE, GcmCipher.clientPair(secret)[0]));
        // client -> server: sealed after the last AUTH_REQUEST_MORE
        byte[] c = load("/fixtures/messenger/" + release + "-secure-client.bin");
        List<Walked> cw = new ArrayList<>(walkCrc(c, banner(c), true, Tag.AUTH_REQUEST_MORE.code, end));
        cw.addAll(walkSecure(c, end[0], GcmCipher.serverPair(secret)[0]));
        sameAsTheReader(cw, Captures.replay(c, c.length, Tag.AUTH_REQUEST_MORE, GcmCipher.serverPair(secret)[0]));
    }
}
