package org.jceph.cli.decode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jceph decode} on a compressed msgr2 session: the Reef 18.2.7 OSD-to-OSD byte streams of
 * the messenger fixtures (fixtures/README.md), wrapped into a pcap here (one TCP connection, the
 * bytes unchanged). The negotiation frames are spelled out and the compressed frames inflated.
 */
class DecodeCompressionTest {
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = DecodeCompressionTest.class.getResourceAsStream("/fixtures/messenger/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    /** An Ethernet pcap of one loopback TCP connection carrying {@code c2s} and {@code s2c}. */
    static byte[] pcap(byte[] c2s, byte[] s2c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        int[] t = {0};
        packet(out, t, 50000, 7176, 1000, 0x02, new byte[0], 0, 0);
        packet(out, t, 7176, 50000, 5000, 0x12, new byte[0], 0, 0);
        send(out, t, 50000, 7176, 1001, c2s);
        send(out, t, 7176, 50000, 5001, s2c);
        return out.toByteArray();
    }

    private static void send(ByteArrayOutputStream out, int[] t, int sport, int dport, long seq, byte[] data) {
        for (int off = 0; off < data.length; off += 1000) {
            int n = Math.min(1000, data.length - off);
            packet(out, t, sport, dport, seq + off, 0x18, data, off, n);
        }
    }

    private static void packet(ByteArrayOutputStream out, int[] t, int sport, int dport, long seq, int flags,
                               byte[] data, int off, int len) {
        ByteBuffer p = ByteBuffer.allocate(14 + 20 + 20 + len).order(ByteOrder.BIG_ENDIAN);
        p.put(new byte[12]).putShort((short) 0x0800);
        p.put((byte) 0x45).put((byte) 0).putShort((short) (40 + len)).putInt(0).put((byte) 64).put((byte) 6)
                .putShort((short) 0).put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        p.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt(0).put((byte) 0x50)
                .put((byte) flags).putShort((short) 65535).putInt(0);
        p.put(data, off, len);
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        t[0]++;
        r.putInt(1_700_000_000).putInt(t[0]).putInt(p.capacity()).putInt(p.capacity());
        out.writeBytes(r.array());
        out.writeBytes(p.array());
    }

    @ParameterizedTest
    @CsvSource({"snappy,1", "zlib,2", "zstd,3", "lz4,4"})
    void compressedSessionIsSpelledOut(String alg, int id) throws IOException {
        byte[] cap = pcap(fixture("reef-18.2.7-osd-" + alg + "-client.bin"), fixture("reef-18.2.7-osd-" + alg + "-server.bin"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecodeCommand.decode(PcapFile.read(new ByteArrayInputStream(cap)), -1, "test",
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("COMPRESSION_REQUEST"), text);
        assertTrue(text.contains("preferred_methods[0]") && text.contains(id + " (" + alg + ")"), text);
        assertTrue(text.contains("COMPRESSION_DONE"), text);
        assertTrue(text.contains("FRAME_EARLY_DATA_COMPRESSED"), text);
        assertTrue(text.contains("bytes inflated"), text);
        assertTrue(text.contains("frame MESSAGE"), text);
        assertFalse(text.contains("BAD"), text);
        assertFalse(text.contains("does not inflate"), text);
        assertFalse(text.contains("not inflated"), text);
    }
}
