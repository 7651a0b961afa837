package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jceph.encoding.CephFeature;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.junit.jupiter.api.Test;

/**
 * The stock {@code ceph} CLI (librados 16.2.15) talking msgr1 to the monitor, captured on loopback
 * (provenance in fixtures/README.md): our decoders read both directions at every split, our header
 * and footer encoders reproduce librados' bytes, and our first MAuth is the same as librados'.
 */
class StockClientV1CaptureTest {
    static final String P = "pacific-16.2.15-v1-cli-mon-";

    static List<Object> server(int cut) {
        byte[] s = V1Capture.load(P + "server.bin");
        return V1Capture.server(s, cut < 0 ? s.length : cut, null);
    }

    static List<Object> client(int cut) {
        byte[] s = V1Capture.load(P + "client.bin");
        return V1Capture.client(s, cut < 0 ? s.length : cut, 1, CephFeature.CLIENT_SUPPORTED, null);
    }

    @Test
    void bothDirectionsDecodeAtEverySplit() {
        List<Object> sw = server(-1);
        List<Object> cw = client(-1);
        assertEquals(Tags.SEQ, ((V1Codec.ConnectReply) sw.get(1)).tag());
        List<Integer> fromMon = CapturedV1SessionTest.messages(sw).stream().map(Message::type).toList();
        assertEquals(List.of(18, 18, 4), fromMon.subList(0, 3), fromMon.toString());
        for (int cut = 0; cut <= V1Capture.load(P + "server.bin").length; cut++) {
            List<Object> split = server(cut);
            assertEquals(sw.toString(), split.toString(), "split at " + cut);
            assertEquals(CapturedV1SessionTest.messages(sw), CapturedV1SessionTest.messages(split));
        }
        for (int cut = 0; cut <= V1Capture.load(P + "client.bin").length; cut++) {
            List<Object> split = client(cut);
            assertEquals(cw.subList(2, cw.size()), split.subList(2, split.size()), "split at " + cut);
        }
    }

    @Test
    void libradosConnectAndFirstMAuthMatchOurs() {
        List<Object> cw = client(-1);
        V1Capture.SentConnect theirs = (V1Capture.SentConnect) cw.get(1);
        assertEquals(EntityName.TYPE_CLIENT, theirs.connect().hostType());
        assertEquals(Tags.MONC_PROTOCOL, theirs.connect().protocolVersion());
        assertEquals(0, theirs.connect().authorizer().length, "no authorizer towards a monitor");
        // librados' MonClient does not ask for a lossy session; the monitor decides (its reply says LOSSY).
        assertEquals(0, theirs.connect().flags());
        assertEquals(Tags.CONNECT_LOSSY, ((V1Codec.ConnectReply) server(-1).get(1)).flags());
        // Every feature bit we advertise, Pacific's librados advertises too, except those that came
        // after Pacific (SERVER_QUINCY, CRUSH_MSR, SERVER_SQUID, SERVER_TENTACLE), which jceph
        // advertises as a Tentacle client does.
        long later = CephFeature.SERVER_QUINCY.bitMask() | CephFeature.CRUSH_MSR.bitMask()
                | CephFeature.SERVER_SQUID.bitMask() | CephFeature.SERVER_TENTACLE.bitMask();
        long extra = CephFeature.CLIENT_SUPPORTED & ~theirs.connect().features();
        assertEquals(later, extra, "we advertise 0x" + Long.toHexString(extra & ~later) + " that librados does not");
        V1Reader.Msg first = cw.stream().filter(o -> o instanceof V1Reader.Msg).map(o -> (V1Reader.Msg) o)
                .findFirst().orElseThrow();
        assertEquals(MessageType.AUTH.number(), first.message().type());
        assertEquals(-1L, first.srcNum(), "librados is client.? before authenticating, as we are");
        Message ours = new MonAuthV1(EntityName.client("admin"), new org.jceph.messenger.internal.cephx.CephxMonClient(
                EntityName.client("admin"), CapturedV1SessionTest.adminKey(), 0, new java.security.SecureRandom()))
                .firstRequest(0);
        assertEquals(first.message().version(), ours.version());
        assertArrayEquals(first.message().front(), ours.front(),
                "librados' first MAuth front: " + java.util.HexFormat.of().formatHex(first.message().front()));
    }

    @Test
    void ourEncodersReproduceLibradosHeadersAndFooters() {
        byte[] s = V1Capture.load(P + "client.bin");
        List<Object> cw = client(-1);
        int off = 9 + 136 + 33 + 8;
        int checked = 0;
        for (Object o : cw.subList(3, cw.size())) {
            if (o instanceof V1Reader.Msg m) {
                Message msg = m.message();
                assertArrayEquals(Arrays.copyOfRange(s, off + 1, off + 54),
                        V1Codec.header(msg, msg.seq(), m.srcType(), m.srcNum()), "header at " + off);
                off += 54 + msg.front().length + msg.middle().length + msg.dataLength();
                assertArrayEquals(Arrays.copyOfRange(s, off, off + 21),
                        V1Codec.footer(V1Codec.Crcs.of(msg), 0, m.footerFlags(), true), "footer at " + off);
                off += 21;
                checked++;
            } else {
                off += o instanceof V1Reader.Close ? 1 : 9;
            }
        }
        assertEquals(s.length, off);
        assertTrue(checked >= 3, checked + " messages");
    }
}
