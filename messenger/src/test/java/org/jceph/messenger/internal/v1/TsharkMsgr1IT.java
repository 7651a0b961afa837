package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's Ceph dissector as an independent peer: our captured msgr1 session with the
 * monitor (CapturedV1SessionTest's fixture), wrapped into a pcap, must decode without a single
 * malformed or dissector-bug mark on the packets we sent. (The monitor's own MMonMap v9 and MOSDMap
 * are beyond this dissector's knowledge: it marks those malformed for the stock client's sessions
 * too, so the server direction is only required to decode its message names.)
 * Needs tshark (apt-get install tshark), as the other ITs need the ceph packages.
 */
class TsharkMsgr1IT {
    static final int CLIENT_PORT = 40123;
    static final int SERVER_PORT = 6789;

    @TempDir
    Path tmp;

    /**
     * A classic pcap of one TCP connection: the TCP handshake, the msgr1 handshake in its real order
     * (banner; server hello; our address + connect; connect reply with TAG_SEQ + u64; our in_seq),
     * then each direction's remaining bytes in 1400-byte segments.
     */
    static byte[] pcap(byte[] client, byte[] server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        long[] seq = {1000, 5000}; // client, server
        int[] t = {0};
        class W {
            void pkt(boolean fromClient, int flags, byte[] payload, int off, int len) {
                int i = fromClient ? 0 : 1;
                ByteBuffer p = ByteBuffer.allocate(14 + 20 + 20 + len).order(ByteOrder.BIG_ENDIAN);
                p.put(new byte[12]).putShort((short) 0x0800);
                p.put((byte) 0x45).put((byte) 0).putShort((short) (40 + len)).putShort((short) 0).putShort((short) 0x4000)
                        .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[] {127, 0, 0, 1})
                        .put(new byte[] {127, 0, 0, 1});
                p.putShort((short) (fromClient ? CLIENT_PORT : SERVER_PORT))
                        .putShort((short) (fromClient ? SERVER_PORT : CLIENT_PORT))
                        .putInt((int) seq[i]).putInt((int) seq[1 - i]).put((byte) 0x50).put((byte) flags)
                        .putShort((short) 65535).putShort((short) 0).putShort((short) 0);
                p.put(payload, off, len);
                seq[i] += len + ((flags & 0x02) != 0 ? 1 : 0);
                ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                int us = t[0]++;
                r.putInt(1_700_000_000).putInt(us).putInt(p.capacity()).putInt(p.capacity());
                out.writeBytes(r.array());
                out.writeBytes(p.array());
            }
        }
        W w = new W();
        seq[0]--;
        w.pkt(true, 0x02, new byte[0], 0, 0);
        seq[1]--;
        w.pkt(false, 0x12, new byte[0], 0, 0);
        w.pkt(true, 0x10, new byte[0], 0, 0);
        // The handshake in the order it happened (the dissector follows the exchange), then the rest.
        int[][] steps = {{1, 9}, {0, 281}, {1, 136 + 33}, {0, 26 + 8}, {1, 8}};
        int[] at = {0, 0}; // server, client
        for (int[] st : steps) {
            boolean c = st[0] == 1;
            w.pkt(c, 0x18, c ? client : server, at[st[0]], st[1]);
            at[st[0]] += st[1];
        }
        for (int off = at[1]; off < client.length; off += 1400) {
            w.pkt(true, 0x18, client, off, Math.min(1400, client.length - off));
        }
        for (int off = at[0]; off < server.length; off += 1400) {
            w.pkt(false, 0x18, server, off, Math.min(1400, server.length - off));
        }
        return out.toByteArray();
    }

    @Test
    void wiresharkDecodesOurMsgr1SessionWithoutComplaint() throws Exception {
        Path file = tmp.resolve("jceph-msgr1.pcap");
        Files.write(file, pcap(V1Capture.load("pacific-16.2.15-v1-mon-client.bin"),
                V1Capture.load("pacific-16.2.15-v1-mon-server.bin")));
        Process p = new ProcessBuilder("tshark", "-r", file.toString(), "-Y", "ceph", "-T", "fields",
                "-e", "tcp.srcport", "-e", "_ws.col.Info").redirectErrorStream(false).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(CLIENT_PORT + "\t")) {
                ours.add(line.substring(line.indexOf('\t') + 1));
            } else if (line.startsWith(SERVER_PORT + "\t")) {
                theirs.add(line.substring(line.indexOf('\t') + 1));
            }
        }
        String all = String.join(" | ", ours);
        for (String s : List.of("Connect", "Auth", "Mon Subscribe", "ACK")) {
            assertTrue(all.contains(s), "tshark did not find " + s + " in what we sent: " + all);
        }
        assertTrue(!all.contains("Malformed") && !all.contains("Dissector bug") && !all.contains("UNKNOWN"), all);
        String back = String.join(" | ", theirs);
        assertTrue(back.contains("Connect Reply") && back.contains("Auth Reply") && back.contains("Mon Map"), back);
    }
}
