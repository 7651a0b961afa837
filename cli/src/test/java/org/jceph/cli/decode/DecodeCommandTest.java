package org.jceph.cli.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@code jceph decode --pcap} on real captures (fixtures/README.md): the stock CLI over msgr2 crc,
 * secure and msgr1, and our own client over msgr2 crc. Every frame the sessions carried must be
 * found, every CRC must check, and no capture, however damaged, may make the decoder throw
 * anything but {@link PcapFormatException}.
 */
class DecodeCommandTest {
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = DecodeCommandTest.class.getResourceAsStream("/fixtures/messenger/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    private static String decode(byte[] pcap) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DecodeCommand.decode(PcapFile.read(new ByteArrayInputStream(pcap)), -1, "test", out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> titles(String text) {
        List<String> t = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^  \\+\\d+\\.\\d+ (C>S|S>C) @[0-9a-f]{6} (.*)$").matcher(text);
        while (m.find()) {
            t.add(m.group(1) + " " + m.group(2));
        }
        return t;
    }

    @Test
    void stockClientMsgr2CrcSession() throws IOException {
        String text = decode(fixture("pacific-16.2.15-cli-crc.pcap"));
        assertTrue(text.contains("connection 1: 127.0.0.1:40834 -> 127.0.0.1:41300, msgr2 rev1 crc"), text);
        List<String> t = titles(text);
        for (String want : List.of("C>S banner msgr2", "S>C banner msgr2", "C>S frame HELLO", "S>C frame HELLO",
                "C>S frame AUTH_REQUEST", "S>C frame AUTH_REPLY_MORE", "C>S frame AUTH_REQUEST_MORE",
                "S>C frame AUTH_DONE", "S>C frame AUTH_SIGNATURE", "C>S frame AUTH_SIGNATURE", "C>S frame CLIENT_IDENT",
                "S>C frame SERVER_IDENT", "C>S frame MESSAGE MMonGetMap", "C>S frame MESSAGE MMonSubscribe",
                "S>C frame MESSAGE MMonMap", "S>C frame MESSAGE MConfig")) {
            assertTrue(t.contains(want), want + " missing from " + t);
        }
        assertFalse(text.contains("BAD"), text);
        assertFalse(text.contains("incomplete"), text);
        // field annotations: offsets, bytes, names, values
        assertTrue(text.contains("000097  05 00 00 00 61 64 6d 69 6e       string   cephx.entity.id        \"admin\""), text);
        assertTrue(text.contains("monmap.fsid            f9179bf3-0213-4a0f-b9e2-3325e0610b48"), text);
        assertTrue(text.contains("what[1].name           \"monmap\""), text);
        long crcOk = text.lines().filter(l -> l.contains(" ok")).count();
        assertTrue(crcOk >= 40, "crc lines checked: " + crcOk);
    }

    @Test
    void libradosToOsdSessionShowsTheAuthorizerAndEveryReplyField() throws IOException {
        String text = decode(fixture("pacific-16.2.15-rados-put-osd-crc.pcap"));
        List<String> t = titles(text);
        assertTrue(t.contains("C>S frame MESSAGE MOSDOp") && t.contains("S>C frame MESSAGE MOSDOpReply"), t.toString());
        // to an OSD the cephx payload is an authorizer, not a monitor's auth request
        assertTrue(text.contains("u64      cephx.authorizer.global_id 4137"), text);
        assertTrue(text.contains("u32      cephx.authorizer.service_id 4 (osd)"), text);
        assertTrue(text.contains("cephx.ticket.blob      112 bytes (encrypted)"), text);
        assertFalse(text.contains("cephx.entity.type"), text);
        // MOSDOpReply ends with the blkin trace: nothing left unnamed
        assertTrue(text.contains("0002b4  00 00 00 00 00 00 00 00 00 00 .. u8[24]   trace (blkin"), text);
        assertFalse(text.contains("(trailing)"), text);
        assertFalse(text.contains("BAD"), text);
    }

    @Test
    void ourClientMsgr2CrcSession() throws IOException {
        String text = decode(fixture("pacific-16.2.15-jceph-crc.pcap"));
        assertTrue(text.contains("msgr2 rev1 crc"), text);
        List<String> t = titles(text);
        assertTrue(t.contains("C>S frame MESSAGE MMonSubscribe"), t.toString());
        assertTrue(t.contains("S>C frame MESSAGE MOSDMap"), t.toString());
        assertTrue(text.contains("\"osdmap\""), text);
        assertFalse(text.contains("BAD"), text);
    }

    @Test
    void secureSessionIsDecodedUpToAuthDoneOnly() throws IOException {
        String text = decode(fixture("pacific-16.2.15-cli-secure.pcap"));
        assertTrue(text.contains("msgr2 rev1 secure"), text);
        List<String> t = titles(text);
        int done = t.indexOf("S>C frame AUTH_DONE");
        assertTrue(done >= 0, t.toString());
        assertTrue(t.contains("S>C secure frames") && t.contains("C>S secure frames"), t.toString());
        assertFalse(t.stream().anyMatch(s -> s.contains("MESSAGE") || s.contains("AUTH_SIGNATURE")), t.toString());
        assertTrue(text.contains("con_mode               2 (secure)"), text);
        assertFalse(text.contains("BAD"), text);
    }

    @Test
    void stockClientMsgr1Session() throws IOException {
        String text = decode(fixture("pacific-16.2.15-cli-v1.pcap"));
        assertTrue(text.contains("connection 1: 127.0.0.1:32882 -> 127.0.0.1:51079, msgr1"), text);
        List<String> t = titles(text);
        for (String want : List.of("S>C banner msgr1 + address exchange", "C>S banner msgr1 + address exchange",
                "C>S connect (authorizer 0 bytes)", "S>C connect_reply SEQ", "C>S seq", "C>S KEEPALIVE2",
                "S>C KEEPALIVE2_ACK", "C>S MSG MAuth", "S>C MSG MAuthReply", "S>C MSG MMonMap")) {
            assertTrue(t.contains(want), want + " missing from " + t);
        }
        assertFalse(text.contains("BAD"), text);
        assertTrue(text.contains("header crc ok") && text.contains("front crc ok"), text);
        assertTrue(text.contains("peer_addr_for_me.in_addr.in4.port 32882"), text);
        assertTrue(text.contains("protocol               2 (cephx)"), text);
    }

    @Test
    void notACapture() {
        org.junit.jupiter.api.Assertions.assertThrows(PcapFormatException.class,
                () -> PcapFile.read(new ByteArrayInputStream("hello world, not a pcap".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void commandLine() throws IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("jceph-decode", ".pcap");
        try {
            java.nio.file.Files.write(f, fixture("pacific-16.2.15-cli-v1.pcap"));
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int rc = org.jceph.cli.Main.run(new String[] {"decode", "--pcap", f.toString(), "--port", "51079"},
                    new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            assertEquals(0, rc, e.toString(StandardCharsets.UTF_8));
            assertTrue(o.toString(StandardCharsets.UTF_8).contains("MSG MMonMap"));
            java.nio.file.Files.write(f, new byte[] {1, 2, 3});
            rc = org.jceph.cli.Main.run(new String[] {"decode", "--pcap", f.toString()},
                    new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            assertEquals(1, rc);
            assertTrue(e.toString(StandardCharsets.UTF_8).contains("too short"), e.toString(StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    /** Damaged captures: flipped bytes anywhere (headers, TCP, frames) and truncation. */
    @Property(tries = 500)
    void damagedCapturesNeverCrash(@ForAll @IntRange(min = 0, max = 3) int which,
                                   @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                   @ForAll @IntRange(min = 1, max = 8) int flips) throws IOException {
        String[] names = {"pacific-16.2.15-cli-crc.pcap", "pacific-16.2.15-cli-v1.pcap",
            "pacific-16.2.15-jceph-crc.pcap", "pacific-16.2.15-cli-secure.pcap"};
        byte[] b = fixture(names[which]);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < flips; i++) {
            // bias towards the payload area (past the 24-byte file header)
            int at = 24 + r.nextInt(b.length - 24);
            b[at] = (byte) r.nextInt(256);
        }
        if (r.nextInt(4) == 0) {
            b = java.util.Arrays.copyOf(b, 24 + r.nextInt(b.length - 24));
        }
        try {
            decode(b);
        } catch (PcapFormatException expected) {
            // a broken record header: reported with its offset
        }
    }
}
