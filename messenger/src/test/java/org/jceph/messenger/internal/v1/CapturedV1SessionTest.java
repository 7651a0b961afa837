package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.auth.Keyring;
import org.jceph.messenger.internal.cephx.CephxMonClient;
import org.junit.jupiter.api.Test;

/**
 * Our msgr1 sessions with a live Pacific 16.2.15 monitor and OSD (captured with
 * ms_jceph_capture_dir, provenance in fixtures/README.md): decoded at every split offset, the
 * fixed-layout structs and the cephx signatures checked against the bytes both sides really sent.
 */
class CapturedV1SessionTest {
    static final String P = "pacific-16.2.15-v1-";
    static final int MON_PORT = 43607;
    static final int OSD_PORT = 6877;

    static CryptoKey adminKey() {
        String text = new String(V1Capture.load(P + "client.admin.keyring"), StandardCharsets.UTF_8);
        return Keyring.parse(text, "fixture").keyFor(EntityName.client("admin")).orElseThrow();
    }

    static List<Message> messages(List<Object> events) {
        return events.stream().filter(o -> o instanceof V1Reader.Msg).map(o -> ((V1Reader.Msg) o).message()).toList();
    }

    /** The tickets the monitor granted in the capture, opened offline with the throwaway cluster's key. */
    static CephxMonClient monAuth() {
        List<Message> fromMon = messages(V1Capture.server(V1Capture.load(P + "mon-server.bin"), 0, null));
        CephxMonClient cephx = new CephxMonClient(EntityName.client("admin"), adminKey(), 0, new SecureRandom());
        cephx.handleDone(MonAuthV1.Reply.decode(fromMon.get(1)).resultBl());
        return cephx;
    }

    static byte[] osdSessionKey() {
        return monAuth().tickets().get(EntityName.TYPE_OSD).sessionKey();
    }

    @Test
    void monServerStreamDecodesIdenticallyAtEverySplit() {
        byte[] s = V1Capture.load(P + "mon-server.bin");
        List<Object> whole = V1Capture.server(s, s.length, null);
        V1Codec.ServerHello hello = (V1Codec.ServerHello) whole.get(0);
        assertEquals(MON_PORT, hello.server().port());
        assertEquals(EntityAddr.TYPE_LEGACY, hello.server().type());
        assertTrue(hello.clientAsSeen().port() != 0, "the mon reports our socket's address, ephemeral port included: "
                + hello.clientAsSeen());
        V1Codec.ConnectReply reply = (V1Codec.ConnectReply) whole.get(1);
        assertEquals(Tags.SEQ, reply.tag(), "Pacific answers a new lossy session with TAG_SEQ, not READY");
        assertEquals(0, reply.ackedSeq());
        assertEquals(Tags.CONNECT_LOSSY, reply.flags() & Tags.CONNECT_LOSSY);
        assertEquals(Tags.MONC_PROTOCOL, reply.protocolVersion());
        assertEquals(0, reply.authorizerReply().length);
        List<Integer> types = messages(whole).stream().map(Message::type).toList();
        assertEquals(List.of(18, 18, 4, 41), types.subList(0, 4), types.toString());
        for (int cut = 0; cut <= s.length; cut++) {
            List<Object> split = V1Capture.server(s, cut, null);
            assertEquals(whole.toString(), split.toString(), "split at " + cut);
            assertEquals(messages(whole), messages(split), "split at " + cut);
        }
    }

    @Test
    void monClientStreamDecodesAtEverySplitAndReencodesByteForByte() {
        byte[] s = V1Capture.load(P + "mon-client.bin");
        List<Object> whole = V1Capture.client(s, s.length, 1, CephFeature.CLIENT_SUPPORTED, null);
        byte[] hello = (byte[]) whole.get(0);
        assertArrayEquals(V1Codec.BANNER, java.util.Arrays.copyOf(hello, 9));
        V1Capture.SentConnect c = (V1Capture.SentConnect) whole.get(1);
        // what jceph advertised when the session was captured (2026-11-25), before it also advertised the
        // Quincy/Reef/MSR bits (SERVER_QUINCY, SERVER_REEF, RANGE_BLOCKLIST, CRUSH_MSR) and then the
        // Squid/Tentacle ones (SERVER_SQUID, SERVER_TENTACLE)
        long later = CephFeature.SERVER_QUINCY.bitMask() | CephFeature.SERVER_REEF.bitMask()
                | CephFeature.RANGE_BLOCKLIST.bitMask() | CephFeature.CRUSH_MSR.bitMask()
                | CephFeature.SERVER_SQUID.bitMask() | CephFeature.SERVER_TENTACLE.bitMask();
        assertEquals(0x3f01cfb97ffdffffL, c.connect().features());
        assertEquals(CephFeature.CLIENT_SUPPORTED & ~later, c.connect().features() & ~later);
        assertEquals(EntityName.TYPE_CLIENT, c.connect().hostType());
        assertEquals(Tags.MONC_PROTOCOL, c.connect().protocolVersion());
        assertEquals(0, c.connect().authorizerProtocol());
        assertEquals(0, c.connect().authorizer().length);
        assertEquals(Tags.CONNECT_LOSSY, c.connect().flags());
        assertArrayEquals(c.raw(), c.connect().encode());

        List<V1Reader.Msg> msgs = whole.stream().filter(o -> o instanceof V1Reader.Msg).map(o -> (V1Reader.Msg) o).toList();
        assertEquals(MessageType.AUTH.number(), msgs.get(0).message().type());
        assertEquals(-1L, msgs.get(0).srcNum(), "before authentication we are client.?");
        assertTrue(msgs.get(2).srcNum() > 0, "then client.<global_id>");
        assertEquals(0L, whole.get(2), "our in_seq after TAG_SEQ");
        // Header and footer re-encode to the captured bytes (no signatures towards the monitor).
        int off = 9 + 136 + 33 + 8;
        for (Object o : whole.subList(3, whole.size())) {
            if (o instanceof V1Reader.Msg m) {
                byte[] header = V1Codec.header(m.message(), m.message().seq(), m.srcType(), m.srcNum());
                assertArrayEquals(java.util.Arrays.copyOfRange(s, off + 1, off + 54), header, "header at " + off);
                off += 1 + 53 + m.message().front().length + m.message().middle().length + m.message().dataLength();
                byte[] footer = V1Codec.footer(V1Codec.Crcs.of(m.message()), 0, m.footerFlags(), true);
                assertArrayEquals(java.util.Arrays.copyOfRange(s, off, off + 21), footer, "footer at " + off);
                off += 21;
            } else {
                off += o instanceof V1Reader.Close ? 1 : 9; // CLOSE on close(); ACK or KEEPALIVE2
            }
        }
        assertEquals(s.length, off);
        assertTrue(whole.get(whole.size() - 1) instanceof V1Reader.Close, "close() says CLOSE");
        for (int cut = 0; cut <= s.length; cut++) {
            List<Object> split = V1Capture.client(s, cut, 1, CephFeature.CLIENT_SUPPORTED, null);
            assertArrayEquals(c.raw(), ((V1Capture.SentConnect) split.get(1)).raw(), "split at " + cut);
            assertEquals(whole.subList(2, whole.size()), split.subList(2, split.size()), "split at " + cut);
        }
    }

    @Test
    void osdServerStreamChallengesThenSignsWhatItSends() {
        byte[] s = V1Capture.load(P + "osd-server.bin");
        byte[] key = osdSessionKey();
        List<Object> whole = V1Capture.server(s, s.length, f -> new MessageSigner(key, f));
        assertEquals(OSD_PORT, ((V1Codec.ServerHello) whole.get(0)).server().port());
        V1Codec.ConnectReply challenge = (V1Codec.ConnectReply) whole.get(1);
        assertEquals(Tags.CHALLENGE_AUTHORIZER, challenge.tag());
        assertEquals(32, challenge.authorizerReply().length, "bare ciphertext of CephXAuthorizeChallenge");
        V1Codec.ConnectReply ready = (V1Codec.ConnectReply) whole.get(2);
        assertEquals(Tags.SEQ, ready.tag());
        assertEquals(36, ready.authorizerReply().length, "u32 length + ciphertext of CephXAuthorizeReply v1");
        assertTrue(CephFeature.CEPHX_V2.isIn(ready.features()) && CephFeature.MSG_AUTH.isIn(ready.features()));
        V1Reader.Msg reply = (V1Reader.Msg) whole.get(3);
        assertEquals(43, reply.message().type(), "MOSDOpReply");
        assertEquals(Tags.FOOTER_COMPLETE | Tags.FOOTER_SIGNED, reply.footerFlags() & 5);
        for (int cut = 0; cut <= s.length; cut++) {
            List<Object> split = V1Capture.server(s, cut, f -> new MessageSigner(key, f));
            assertEquals(whole.toString(), split.toString(), "split at " + cut);
            assertEquals(messages(whole), messages(split), "split at " + cut);
        }
    }

    @Test
    void osdClientStreamCarriesTheAuthorizerTwiceAndASignatureTheOsdAccepted() {
        byte[] s = V1Capture.load(P + "osd-client.bin");
        byte[] key = osdSessionKey();
        long features = CephFeature.CLIENT_SUPPORTED & ((V1Codec.ConnectReply) V1Capture.server(
                V1Capture.load(P + "osd-server.bin"), 0, null).get(2)).features();
        MessageSigner signer = new MessageSigner(key, features);
        assertTrue(signer.isV2());
        List<Object> whole = V1Capture.client(s, s.length, 2, features, signer);
        V1Capture.SentConnect first = (V1Capture.SentConnect) whole.get(1);
        V1Capture.SentConnect second = (V1Capture.SentConnect) whole.get(2);
        assertEquals(Tags.OSDC_PROTOCOL, first.connect().protocolVersion());
        assertEquals(2, first.connect().authorizerProtocol());
        assertEquals(first.connect().globalSeq(), second.connect().globalSeq());
        assertTrue(second.connect().authorizer().length == first.connect().authorizer().length);
        assertArrayEquals(first.raw(), first.connect().encode());
        assertEquals(0L, whole.get(3));
        V1Reader.Msg op = (V1Reader.Msg) whole.get(4);
        assertEquals(42, op.message().type(), "MOSDOp");
        // Recompute the captured signature (the OSD logged "_calc_signature seq 1 ... sig = ..." and accepted it).
        int at = 9 + 136 + first.raw().length + second.raw().length + 8;
        ByteBuf b = Unpooled.wrappedBuffer(s);
        int headerCrc = (int) V1Codec.H_CRC.getLong(b, at + 1);
        int footerAt = at + 1 + 53 + op.message().front().length + op.message().dataLength();
        long sig = V1Codec.FOOTER.at("sig").getLong(b, footerAt);
        assertEquals(sig, signer.sign(headerCrc, V1Codec.Crcs.of(op.message()), op.message().front().length, 0,
                op.message().dataLength(), op.message().seq()));
        byte[] footer = V1Codec.footer(V1Codec.Crcs.of(op.message()), sig, op.footerFlags(), true);
        assertArrayEquals(java.util.Arrays.copyOfRange(s, footerAt, footerAt + 21), footer);
        for (int cut = 0; cut <= s.length; cut++) {
            List<Object> split = V1Capture.client(s, cut, 2, features, signer);
            assertArrayEquals(second.raw(), ((V1Capture.SentConnect) split.get(2)).raw(), "split at " + cut);
            assertEquals(whole.subList(3, whole.size()), split.subList(3, split.size()), "split at " + cut);
        }
    }
}
