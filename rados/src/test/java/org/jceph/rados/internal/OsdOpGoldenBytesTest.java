package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jceph.encoding.UTime;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.junit.jupiter.api.Test;

/**
 * MOSDOp v8 and MOSDOpReply pinned to librados' own bytes: {@code rados put} and {@code rados get}
 * of Pacific 16.2.15, captured on loopback in msgr2 crc mode (fixtures/README.md,
 * pacific-16.2.15-rados-{put,get}-osd-crc). Each expected front is written out field by field, so a
 * difference names the field; the captured front must equal that table, and our encoder, given the
 * same op, must produce it byte for byte. The replies are decoded from the OSD's bytes.
 */
class OsdOpGoldenBytesTest {
    private static final int MSG_TAG = 17; // frames_v2.h Tag::MESSAGE
    private static final byte[] PAYLOAD = "golden bytes from librados for the jceph MOSDOp fixture\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final long LIBRADOS_FEATURES = 0x3f01cfbdfffdffffL; // CEPH_FEATURES_SUPPORTED_DEFAULT of 16.2.15

    /** One msgr2 MESSAGE frame's segments: header2, front, middle, data. */
    record MessageFrame(byte[] header, byte[] front, byte[] data) {
        int type() {
            return (header[16] & 0xFF) | (header[17] & 0xFF) << 8;
        }
    }

    static byte[] load(String name) throws IOException {
        try (InputStream in = OsdOpGoldenBytesTest.class.getResourceAsStream("/fixtures/messenger/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    /** The MESSAGE frames of a msgr2.1 crc-mode stream (banner, then frames, per CephStructs' layouts). */
    static List<MessageFrame> messages(byte[] s) {
        ByteBuf b = Unpooled.wrappedBuffer(s);
        PackedLayout pre = CephStructs.MSGR2_PREAMBLE;
        List<MessageFrame> out = new ArrayList<>();
        int at = CephStructs.MSGR2_BANNER.size();
        while (at + pre.size() <= s.length) {
            int tag = (int) pre.field("tag").getLong(b, at);
            int n = (int) pre.field("num_segments").getLong(b, at);
            int[] len = new int[4];
            for (int i = 0; i < n; i++) {
                len[i] = (int) pre.at("segments[" + i + "].length").getLong(b, at);
            }
            at += pre.size();
            byte[][] seg = new byte[4][];
            for (int i = 0; i < 4; i++) {
                seg[i] = Arrays.copyOfRange(s, at, at + len[i]);
                at += len[i];
                if (i == 0) {
                    at += 4; // segment 0's own crc
                }
            }
            if (n > 1) {
                at += CephStructs.MSGR2_EPILOGUE_CRC_REV1.size();
            }
            if (tag == MSG_TAG) {
                out.add(new MessageFrame(seg[0], seg[1], seg[3]));
            }
        }
        return out;
    }

    static MessageFrame only(List<MessageFrame> frames, int type) {
        List<MessageFrame> of = frames.stream().filter(f -> f.type() == type).toList();
        assertEquals(1, of.size(), "messages of type " + type);
        return of.get(0);
    }

    /** A front as named fields: the captured bytes must be exactly their concatenation. */
    static byte[] table(String[][] fields) {
        StringBuilder hex = new StringBuilder();
        for (String[] f : fields) {
            hex.append(f[1]);
        }
        return HexFormat.of().parseHex(hex.toString());
    }

    /** Compares field by field, so that a difference names the field. */
    static void assertFields(String[][] fields, byte[] actual, String who) {
        int at = 0;
        for (String[] f : fields) {
            int n = f[1].length() / 2;
            String got = at + n <= actual.length ? HexFormat.of().formatHex(actual, at, at + n) : "(past the end)";
            assertEquals(f[1], got, who + ": field " + f[0] + " at offset " + at);
            at += n;
        }
        assertEquals(at, actual.length, who + ": bytes after the last field");
    }

    private static String le(long v, int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            sb.append(String.format("%02x", (v >>> (8 * i)) & 0xFF));
        }
        return sb.toString();
    }

    private static String[][] mosdop(int flags, String mtime, String op, long length, int payloadLen) {
        return new String[][] {
            {"spg_t envelope (v1, compat 1, 18 bytes)", "010112000000"},
            {"spg_t.pgid (pg_t v1: pool 1, seed 0xb, preferred -1)", "01" + le(1, 8) + le(0xb, 4) + "ffffffff"},
            {"spg_t.shard (NO_SHARD)", "ff"},
            {"hash", le(0x841a3d8bL, 4)},
            {"osdmap_epoch", le(13, 4)},
            {"flags", le(flags, 4)},
            {"osd_reqid_t (v2, compat 2, 21 bytes; zero: the OSD fills it in)", "020215000000" + "00" + le(0, 8)
                    + le(0, 8) + le(0, 4)},
            {"blkin trace (not traced)", "00".repeat(24)},
            {"client_inc", le(0, 4)},
            {"mtime", mtime},
            {"object_locator_t (v6, compat 3, 28 bytes: pool 1, preferred -1, no key, no nspace, hash -1)",
                "06031c000000" + le(1, 8) + "ffffffff" + le(0, 4) + le(0, 4) + "ffffffffffffffff"},
            {"oid", le(10, 4) + HexFormat.of().formatHex("golden-obj".getBytes(StandardCharsets.US_ASCII))},
            {"num_ops", le(1, 2)},
            {"ops[0].op", op},
            {"ops[0].flags", le(0, 4)},
            {"ops[0].extent.offset", le(0, 8)},
            {"ops[0].extent.length", le(length, 8)},
            {"ops[0].extent.truncate_size", le(0, 8)},
            {"ops[0].extent.truncate_seq", le(0, 4)},
            {"ops[0].payload_len", le(payloadLen, 4)},
            {"snapid (CEPH_NOSNAP)", "feffffffffffffff"},
            {"snap_seq", le(0, 8)},
            {"snaps", le(0, 4)},
            {"retry_attempt", le(0, 4)},
            {"features", le(LIBRADOS_FEATURES, 8)},
        };
    }

    private static OsdOpMessages.Request request(OsdOp op, UTime mtime) {
        return new OsdOpMessages.Request(1, new PgId(1, 0xb), 0x841a3d8bL, 13, "golden-obj",
                new ObjectLocator(1, "", ""), List.of(op), mtime, LIBRADOS_FEATURES, OsdOpMessages.NOSNAP,
                SnapContext.EMPTY, 0);
    }

    @Test
    void writeFullIsLibradosByteForByte() throws IOException {
        // ONDISK | WRITE | KNOWN_REDIR; writes carry the client's clock
        String[][] fields = mosdop(0x400024, "1b36156b" + "11cf9c18", "0222", PAYLOAD.length, PAYLOAD.length);
        MessageFrame captured = only(messages(load("pacific-16.2.15-rados-put-osd-crc-client.bin")), 42);
        assertArrayEquals(table(fields), captured.front(), "the capture is what the table says");
        assertArrayEquals(PAYLOAD, captured.data());

        Message ours = OsdOpMessages.encode(request(OsdOp.writeFull(PAYLOAD), new UTime(0x6b15361bL, 0x189ccf11L)));
        assertFields(fields, ours.front(), "our MOSDOp writefull");
        assertArrayEquals(PAYLOAD, ours.dataBytes());
        assertEquals(42, ours.type());
        assertEquals(8, ours.version());
        assertEquals(3, ours.compatVersion());
    }

    @Test
    void readIsLibradosByteForByte() throws IOException {
        // READ | KNOWN_REDIR; a read's mtime is zero whatever the clock says
        String[][] fields = mosdop(0x400014, le(0, 8), "0112", 4 << 20, 0);
        MessageFrame captured = only(messages(load("pacific-16.2.15-rados-get-osd-crc-client.bin")), 42);
        assertArrayEquals(table(fields), captured.front(), "the capture is what the table says");
        assertEquals(0, captured.data().length);

        Message ours = OsdOpMessages.encode(request(OsdOp.read(0, 4 << 20), new UTime(0x6b15361bL, 0x189ccf11L)));
        assertFields(fields, ours.front(), "our MOSDOp read");
        assertEquals(0, ours.dataLength());
    }

    private static OsdOpMessages.Reply reply(String fixture) throws IOException {
        MessageFrame f = only(messages(load(fixture)), 43);
        return OsdOpMessages.decode(new Message(43, 8, 2, 127, 1, 1, f.front(), new byte[0], f.data()));
    }

    @Test
    void theOsdsRepliesDecode() throws IOException {
        OsdOpMessages.Reply put = reply("pacific-16.2.15-rados-put-osd-crc-server.bin");
        assertEquals("golden-obj", put.oid());
        assertEquals(new PgId(1, 0xb), put.pg());
        assertEquals(0x400025L, put.flags()); // ACK | ONDISK | WRITE | KNOWN_REDIR echoed
        assertEquals(0, put.result());
        assertEquals(13, put.epoch());
        assertEquals(List.of(0), put.rvals());
        assertEquals(1, put.userVersion());
        assertEquals(0, put.retryAttempt());
        assertNull(put.redirect());
        assertEquals(0, put.outputs().get(0).length);

        OsdOpMessages.Reply get = reply("pacific-16.2.15-rados-get-osd-crc-server.bin");
        assertEquals(0, get.result());
        assertEquals(List.of(0), get.rvals());
        assertArrayEquals(PAYLOAD, get.outputs().get(0), "the read's data, split by the reply op's payload_len");
        assertEquals(1, get.userVersion());
    }

    /**
     * A read reply's data that is all of an unpooled array of its own (what the secure-mode and
     * decompressing frame readers hand up) becomes the output as it is; any other buffer (a view
     * of pooled or direct receive buffers, as in crc mode) is copied out.
     */
    @Test
    void aReadsDataIsHandedOverWithoutACopyOnlyWhenItIsAWholeUnpooledArray() throws IOException {
        MessageFrame f = only(messages(load("pacific-16.2.15-rados-get-osd-crc-server.bin")), 43);
        byte[] own = f.data().clone();
        OsdOpMessages.Reply whole = OsdOpMessages.decode(new Message(43, 8, 2, 127, 1, 1, f.front(), new byte[0], own));
        assertTrue(whole.outputs().get(0) == own, "the reply's own array was copied");

        io.netty.buffer.ByteBuf pooled = io.netty.buffer.PooledByteBufAllocator.DEFAULT.heapBuffer(own.length);
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(own.length);
        io.netty.buffer.ByteBuf slice = io.netty.buffer.Unpooled.wrappedBuffer(new byte[own.length + 8]).slice(4, own.length);
        for (io.netty.buffer.ByteBuf b : List.of(pooled, direct, slice)) {
            b.writerIndex(0);
            b.writeBytes(own);
            OsdOpMessages.Reply r = OsdOpMessages.decode(new Message(43, 8, 2, 127, 1, 1, f.front(), new byte[0], b));
            assertArrayEquals(PAYLOAD, r.outputs().get(0));
            assertTrue(!b.hasArray() || r.outputs().get(0) != b.array(), "a shared array was handed over: " + b);
            b.release();
        }
    }
}
