package org.jceph.encoding.packed;

import static org.jceph.encoding.packed.GccSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jceph.fixtures.GccProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-written bytes, one field per line, checked three ways: Java encode writes them, gcc writes
 * them, and Java decode reads the values back. The properties cover the space; these pin the
 * things a reader of a capture cares about (byte order, the legacy address family, the op union).
 */
class GccPinnedExamplesTest {
    private static GccProbe probe;

    @BeforeAll
    static void startProbe() {
        probe = GccProbe.compile();
    }

    @AfterAll
    static void stopProbe() {
        if (probe != null) {
            probe.close();
        }
    }

    private static Map<String, Object> values(Object... pathsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            Object v = pathsAndValues[i + 1];
            m.put((String) pathsAndValues[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        return m;
    }

    /** Java encode, gcc, and Java decode all agree with {@code expectedHex}. */
    private static void pin(PackedLayout layout, Map<String, String> choice, Map<String, Object> values,
            String expectedHex) {
        assertEquals(layout.size() * 2, expectedHex.length(), "the pinned bytes are a whole " + layout.name());
        assertEquals(expectedHex, GccSupport.javaHex(layout, values, choice), "Java encode of " + layout.name());
        assertEquals(expectedHex, probe.encodeHex(layout.cName(), GccSupport.probeFields(values)),
                "gcc's bytes of " + layout.name());
        Map<String, Object> decoded = layout.decode(Unpooled.wrappedBuffer(GccSupport.HEX.parseHex(expectedHex)), 0,
                choice);
        for (PackedField leaf : layout.leaves(choice)) {
            Object expected = GccSupport.expectedDecoded(leaf, values.get(leaf.name()));
            if (expected instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) decoded.get(leaf.name()), leaf.name());
            } else {
                assertEquals(expected, decoded.get(leaf.name()), leaf.name());
            }
        }
    }

    @Test
    void msgHeader2() {
        pin(CephStructs.CEPH_MSG_HEADER2, Map.of(), values(
                "seq", 0x0102030405060708L,
                "tid", 0x1122,
                "type", 42, // CEPH_MSG_OSD_OP
                "priority", 127, // CEPH_MSG_PRIO_DEFAULT
                "version", 8,
                "data_pre_padding_len", 0x10,
                "data_off", 4096,
                "ack_seq", 5,
                "flags", 1,
                "compat_version", 3),
                hex("0807060504030201", // seq
                        "2211000000000000", // tid
                        "2a00", // type
                        "7f00", // priority
                        "0800", // version
                        "10000000", // data_pre_padding_len
                        "0010", // data_off
                        "0500000000000000", // ack_seq
                        "01", // flags
                        "0300", // compat_version
                        "0000")); // reserved
    }

    /** The values of every non-padding leaf of the struct at {@code at}, as the layout decodes them. */
    private static Map<String, Object> decodedValues(PackedLayout layout, byte[] bytes, int at) {
        Map<String, Object> all = layout.decode(Unpooled.wrappedBuffer(bytes), at, Map.of());
        Map<String, Object> out = new LinkedHashMap<>();
        for (PackedField leaf : layout.leaves(Map.of())) {
            if (leaf.kind() != PackedField.Kind.PAD) {
                out.put(leaf.name(), all.get(leaf.name()));
            }
        }
        return out;
    }

    private static String hexAt(byte[] b, int at, int len) {
        return GccSupport.HEX.formatHex(b, at, at + len);
    }

    /**
     * A real msgr2.1 crc session (a Pacific 16.2.15 monitor's bytes, fixtures/messenger): its
     * banner, its first preamble and the first crc epilogue, as Java decodes them, are the bytes
     * gcc lays out for the frames_v2.h structs filled with the same values.
     */
    @Test
    void msgr2BlocksOfACapturedSession() throws java.io.IOException {
        byte[] s = java.nio.file.Files.readAllBytes(org.jceph.fixtures.ProjectRoot.get()
                .resolve("fixtures/src/main/resources/fixtures/messenger/pacific-16.2.15-crc-server.bin"));
        PackedLayout banner = CephStructs.MSGR2_BANNER;
        pin(banner, Map.of(), decodedValues(banner, s, 0), hexAt(s, 0, banner.size()));
        PackedLayout pre = CephStructs.MSGR2_PREAMBLE;
        PackedLayout epi = CephStructs.MSGR2_EPILOGUE_CRC_REV1;
        int pos = banner.size();
        boolean epiloguePinned = false;
        boolean firstPinned = false;
        while (pos < s.length && !epiloguePinned) {
            Map<String, Object> p = decodedValues(pre, s, pos);
            if (!firstPinned) {
                pin(pre, Map.of(), p, hexAt(s, pos, pre.size()));
                firstPinned = true;
            }
            long[] len = new long[4];
            for (int i = 0; i < 4; i++) {
                len[i] = (Long) p.get("segments[" + i + "].length");
            }
            int q = pos + pre.size() + (int) len[0] + (len[0] > 0 ? 4 : 0) + (int) (len[1] + len[2] + len[3]);
            if (len[1] + len[2] + len[3] > 0) {
                pin(pre, Map.of(), p, hexAt(s, pos, pre.size())); // a MESSAGE preamble too
                pin(epi, Map.of(), decodedValues(epi, s, q), hexAt(s, q, epi.size()));
                assertEquals(0x0EL, (Long) decodedValues(epi, s, q).get("late_status") & 0x0F, "complete");
                epiloguePinned = true;
                q += epi.size();
            }
            pos = q;
        }
        assertTrue(epiloguePinned, "the capture holds a frame with segments beyond the first");
    }

    @Test
    void msgHeaderCrcCoversTheFirst49Bytes() {
        assertEquals(49, CephStructs.CEPH_MSG_HEADER.at("crc").offset());
        pin(CephStructs.CEPH_MSG_HEADER, Map.of(), values(
                "seq", 7, "tid", 9, "type", 0x10, "priority", 196, "version", 1,
                "front_len", 0x0100, "middle_len", 0, "data_len", 0x00400000, "data_off", 0,
                "src.type", 8, "src.num", 4150, "compat_version", 1, "crc", 0xDEADBEEFL),
                hex("0700000000000000", // seq
                        "0900000000000000", // tid
                        "1000", // type
                        "c400", // priority
                        "0100", // version
                        "00010000", // front_len
                        "00000000", // middle_len
                        "00004000", // data_len
                        "0000", // data_off
                        "08", "3610000000000000", // src: type CLIENT, num 4150
                        "0100", // compat_version
                        "0000", // reserved
                        "efbeadde")); // crc
    }

    /** The legacy address puts the sockaddr family on the wire big-endian: AF_INET is 00 02. */
    @Test
    void legacyAddrFamilyIsBigEndian() {
        Map<String, Object> v = values(
                "type", 1, // legacy
                "nonce", 0x12345678,
                "in_addr.in4.family", 2, // AF_INET
                "in_addr.in4.port", 6789,
                "in_addr.in4.addr", new byte[] {(byte) 192, (byte) 168, 0, 10});
        String expected = hex("01000000", // type
                "78563412", // nonce
                "0002", // family, network order
                "1a85", // port 6789, network order
                "c0a8000a", // 192.168.0.10
                "0000000000000000", // sin_zero
                "00".repeat(112)); // rest of sockaddr_storage
        pin(CephStructs.CEPH_ENTITY_ADDR, Map.of("in_addr", "in4"), v, expected);

        // not the host-order family a Linux sockaddr would carry (02 00)
        assertEquals(PackedField.Kind.U16BE, CephStructs.CEPH_ENTITY_ADDR.at("in_addr.in4.family").kind());
        assertEquals(PackedField.Kind.U16BE, CephStructs.CEPH_ENTITY_ADDR.at("in_addr.in6.family").kind());
        // either view reads the same family and port
        Map<String, Object> asIn6 = CephStructs.CEPH_ENTITY_ADDR.decode(
                Unpooled.wrappedBuffer(GccSupport.HEX.parseHex(expected)), 0, Map.of("in_addr", "in6"));
        assertEquals(2L, asIn6.get("in_addr.in6.family"));
        assertEquals(6789L, asIn6.get("in_addr.in6.port"));
    }

    @Test
    void entityInstWithAnIpv6Address() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        pin(CephStructs.CEPH_ENTITY_INST, Map.of("addr.in_addr", "in6"), values(
                "name.type", 4, "name.num", 3, // osd.3
                "addr.type", 1, "addr.nonce", 99,
                "addr.in_addr.in6.family", 10, // AF_INET6
                "addr.in_addr.in6.port", 6800,
                "addr.in_addr.in6.addr", loopback,
                "addr.in_addr.in6.scope_id", 2),
                hex("04", "0300000000000000", // name
                        "01000000", "63000000", // addr.type, addr.nonce
                        "000a", // family, network order
                        "1a90", // port 6800
                        "00000000", // flowinfo
                        "00000000000000000000000000000001", // ::1
                        "02000000", // scope_id, host order
                        "00".repeat(100)));
    }

    /** A watch op: the union's watch case, with the u8 op in the middle of the 28 bytes. */
    @Test
    void osdOpWatch() {
        pin(CephStructs.CEPH_OSD_OP, Map.of("u", "watch"), values(
                "op", 0x220f, // CEPH_OSD_OP_WATCH = MODE_WR | TYPE_DATA | 15
                "flags", 0,
                "u.watch.cookie", 0x1122334455667788L,
                "u.watch.ver", 0,
                "u.watch.op", 3, // CEPH_OSD_WATCH_OP_WATCH
                "u.watch.gen", 1,
                "u.watch.timeout", 30,
                "payload_len", 0),
                hex("0f22", // op
                        "00000000", // flags
                        "8877665544332211", // u.watch.cookie
                        "0000000000000000", // u.watch.ver
                        "03", // u.watch.op
                        "01000000", // u.watch.gen
                        "1e000000", // u.watch.timeout
                        "000000", // unused tail of the 28-byte union
                        "00000000")); // payload_len
        assertEquals(6 + 16, CephStructs.CEPH_OSD_OP.at("u.watch.op").offset());
        assertEquals(34, CephStructs.CEPH_OSD_OP.at("payload_len").offset());
    }

    @Test
    void eversionIsVersionThenEpoch() {
        pin(CephStructs.CEPH_EVERSION, Map.of(), values("version", 0x0A0B, "epoch", 0x0C),
                hex("0b0a000000000000", // version
                        "0c000000")); // epoch
    }

    @Test
    void rbdHeaderText() {
        byte[] text = "<<< Rados Block Device Image >>>\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        pin(CephStructs.RBD_OBJ_HEADER_ONDISK, Map.of(), values(
                "text", text,
                "block_name", "rb.0.1234.5678".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "signature", "RBD".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "version", "001.005".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "options.order", 22,
                "image_size", 1L << 30,
                "snap_seq", 2, "snap_count", 1, "snap_names_len", 5),
                hex(GccSupport.HEX.formatHex(text), "00".repeat(40 - text.length), // text
                        "72622e302e313233342e35363738", "00".repeat(10), // block_name
                        "52424400", // signature
                        "3030312e30303500", // version
                        "16", "00", "00", "00", // options: order 22, crypt, comp, unused
                        "0000004000000000", // image_size 1 GiB
                        "0200000000000000", // snap_seq
                        "01000000", // snap_count
                        "00000000", // reserved
                        "0500000000000000")); // snap_names_len
    }

    // ---- the probe refuses what it cannot do, so the properties cannot pass by ignoring input ----

    @Test
    void probeRejectsUnknownStruct() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> probe.encodeHex("ceph_no_such_struct", Map.of()));
        assertTrue(e.getMessage().contains("error"), e.getMessage());
    }

    @Test
    void probeRejectsUnknownPath() {
        assertThrows(IllegalArgumentException.class, () -> probe.encodeHex("ceph_pg", Map.of("pgid", "1")));
        assertThrows(IllegalArgumentException.class,
                () -> probe.encodeHex("ceph_osd_op", Map.of("u.watch.unused", "00")));
    }

    @Test
    void probeRejectsValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> probe.encodeHex("ceph_pg", Map.of("ps", "65536")));
        assertThrows(IllegalArgumentException.class, () -> probe.encodeHex("ceph_pg", Map.of("ps", "-1")));
        assertThrows(IllegalArgumentException.class,
                () -> probe.encodeHex("ceph_entity_addr", Map.of("in_addr.in4.addr", "0102030405")));
        assertThrows(IllegalArgumentException.class,
                () -> probe.encodeHex("ceph_entity_name", Map.of("num", "18446744073709551616")));
        // and still answers afterwards
        assertEquals("ffff000000000000", probe.encodeHex("ceph_pg", Map.of("preferred", "65535")));
    }
}
