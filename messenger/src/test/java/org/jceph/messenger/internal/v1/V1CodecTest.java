package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.Crc32c;
import org.jceph.messenger.Message;
import org.jceph.messenger.v1.V1FrameException;
import org.junit.jupiter.api.Test;

/** Signature vectors, and what the decoder does with corrupt or lying input. */
class V1CodecTest {
    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    static final V1Codec.Crcs CRCS = new V1Codec.Crcs(0x55667788, 0, 0x99aabbcc);

    /*
     * Expected values computed independently with OpenSSL (AES-128-CBC, key 00..0f, IV
     * "cephsageyudagreg", PKCS#7):
     *   legacy: openssl enc over pack('<BQI4I', 1, 0xff009cad8826aa55, 16, 0x11223344, 0x55667788, 0, 0x99aabbcc)
     *           -> first 8 ciphertext bytes as a little-endian u64 = 0x0fd7dce9364e4116
     *   v2:     openssl enc over pack('<8I', 0x11223344, 0x55667788, 100, 0, 0, 0x99aabbcc, 5, 7)
     *           -> XOR of the first four LE u64 of the 48-byte ciphertext = 0x27ed3ee5f2719bd7
     */
    @Test
    void legacySignatureMatchesOpenSsl() {
        MessageSigner s = new MessageSigner(KEY, CephFeature.MSG_AUTH.fullMask());
        assertTrue(!s.isV2());
        assertEquals(0x0fd7dce9364e4116L, s.sign(0x11223344, CRCS, 100, 0, 5, 7));
    }

    @Test
    void cephxV2SignatureMatchesOpenSsl() {
        MessageSigner s = new MessageSigner(KEY, CephFeature.CLIENT_SUPPORTED);
        assertTrue(s.isV2());
        assertEquals(0x27ed3ee5f2719bd7L, s.sign(0x11223344, CRCS, 100, 0, 5, 7));
    }

    /** One signed message as our client writes it. */
    static byte[] signedMessage(MessageSigner signer, Message m, long seq) {
        byte[] h = V1Codec.header(m, seq, 8, 4100);
        int hcrc = (int) V1Codec.H_CRC.getLong(Unpooled.wrappedBuffer(h), 0);
        V1Codec.Crcs c = V1Codec.Crcs.of(m);
        long sig = signer.sign(hcrc, c, m.front().length, m.middle().length, m.dataLength(), seq);
        byte[] f = V1Codec.footer(c, sig, Tags.FOOTER_COMPLETE | Tags.FOOTER_SIGNED, true);
        ByteBuf b = Unpooled.buffer();
        b.writeByte(Tags.MSG).writeBytes(h).writeBytes(m.front()).writeBytes(m.middle()).writeBytes(m.data().duplicate()).writeBytes(f);
        return io.netty.buffer.ByteBufUtil.getBytes(b);
    }

    static V1Reader reader(MessageSigner s) {
        V1Reader r = new V1Reader(1 << 20);
        r.features(CephFeature.CLIENT_SUPPORTED);
        r.signer(s);
        return r;
    }

    static final Message MSG = new Message(42, 8, 3, 127, 9, 0, "front bytes".getBytes(), new byte[0], "data".getBytes());

    @Test
    void signedMessageRoundTrips() {
        MessageSigner s = new MessageSigner(KEY, CephFeature.CLIENT_SUPPORTED);
        byte[] wire = signedMessage(s, MSG, 1);
        V1Reader.Msg got = (V1Reader.Msg) reader(s).next(Unpooled.wrappedBuffer(wire));
        assertEquals(MSG.withTid(9), new Message(got.message().type(), got.message().version(),
                got.message().compatVersion(), got.message().priority(), got.message().tid(), 0,
                got.message().front(), got.message().middle(), got.message().data()));
        assertEquals(4100, got.srcNum());
        // every prefix is "not yet", never an error
        for (int n = 0; n < wire.length; n++) {
            ByteBuf partial = Unpooled.wrappedBuffer(wire, 0, n);
            assertNull(reader(s).next(partial));
            assertEquals(0, partial.readerIndex());
        }
    }

    private static V1FrameException corrupt(int offset, MessageSigner check) {
        MessageSigner s = new MessageSigner(KEY, CephFeature.CLIENT_SUPPORTED);
        byte[] wire = signedMessage(s, MSG, 1);
        wire[offset] ^= 0x40;
        return assertThrows(V1FrameException.class, () -> reader(check).next(Unpooled.wrappedBuffer(wire)));
    }

    @Test
    void badHeaderCrcNamesTheField() {
        V1FrameException e = corrupt(1 + 8, null); // tid
        assertTrue(e.getMessage().contains("MSG/header.crc"), e.getMessage());
    }

    @Test
    void badFrontAndDataCrcsNameTheirFields() {
        assertTrue(corrupt(1 + 53 + 2, null).getMessage().contains("MSG/footer.front_crc"));
        assertTrue(corrupt(1 + 53 + 11 + 1, null).getMessage().contains("MSG/footer.data_crc"));
    }

    @Test
    void badSignatureIsRejected() {
        int sigAt = 1 + 53 + 11 + 4 + 12;
        V1FrameException e = corrupt(sigAt, new MessageSigner(KEY, CephFeature.CLIENT_SUPPORTED));
        assertTrue(e.getMessage().contains("MSG/footer.sig") && e.getMessage().contains("bad cephx signature"),
                e.getMessage());
        // the same bytes with another key: also rejected
        byte[] other = KEY.clone();
        other[0] ^= 1;
        byte[] wire = signedMessage(new MessageSigner(KEY, CephFeature.CLIENT_SUPPORTED), MSG, 1);
        assertThrows(V1FrameException.class, () -> reader(new MessageSigner(other, CephFeature.CLIENT_SUPPORTED))
                .next(Unpooled.wrappedBuffer(wire)));
    }

    @Test
    void absurdLengthsFailOnTheHeaderAloneWithoutWaitingOrAllocating() {
        for (String field : List.of("front_len", "middle_len", "data_len")) {
            byte[] h = V1Codec.header(MSG, 1, 8, 1);
            ByteBuf b = Unpooled.wrappedBuffer(h);
            b.writerIndex(0);
            ByteBuf hb = Unpooled.buffer(53).writeBytes(h);
            V1Codec.HEADER.at(field).setLong(hb, 0, 0xFFFF_FFF0L);
            V1Codec.H_CRC.setLong(hb, 0, Integer.toUnsignedLong(Crc32c.update(0, hb, 0, V1Codec.HEADER_CRC_LEN)));
            ByteBuf in = Unpooled.buffer().writeByte(Tags.MSG).writeBytes(hb, 0, 53);
            V1FrameException e = assertThrows(V1FrameException.class, () -> reader(null).next(in));
            assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
        }
    }

    @Test
    void connectReplyWithAHugeAuthorizerIsRejected() {
        ByteBuf b = Unpooled.buffer(26);
        b.setZero(0, 26);
        V1Codec.REPLY.at("tag").setLong(b, 0, Tags.READY);
        V1Codec.REPLY.at("authorizer_len").setLong(b, 0, 1L << 30);
        b.writerIndex(26);
        V1FrameException e = assertThrows(V1FrameException.class, () -> new V1Reader().readConnectReply(b));
        assertTrue(e.getMessage().contains("connect_reply.authorizer_len"), e.getMessage());
    }

    @Test
    void unknownTagAndWrongBannersAreNamed() {
        assertTrue(assertThrows(V1FrameException.class, () -> new V1Reader().next(Unpooled.wrappedBuffer(new byte[] {99})))
                .getMessage().contains("tag 99"));
        V1FrameException v2 = assertThrows(V1FrameException.class,
                () -> new V1Reader().readServerHello(Unpooled.wrappedBuffer("ceph v2\n".getBytes())));
        assertTrue(v2.getMessage().contains("msgr2"), v2.getMessage());
        assertThrows(V1FrameException.class, () -> new V1Reader().readServerHello(Unpooled.wrappedBuffer("HTTP/1.1".getBytes())));
    }

    @Test
    void legacyPeerWithoutMsgAuthUsesTheShortFooter() {
        Message m = Message.of(4, 1, 1, new byte[] {1, 2, 3});
        byte[] h = V1Codec.header(m, 1, 1, 0);
        byte[] f = V1Codec.footer(V1Codec.Crcs.of(m), 0, Tags.FOOTER_COMPLETE, false);
        assertEquals(13, f.length);
        ByteBuf in = Unpooled.buffer().writeByte(Tags.MSG).writeBytes(h).writeBytes(m.front()).writeBytes(f);
        V1Reader r = new V1Reader();
        r.features(CephFeature.CLIENT_SUPPORTED & ~CephFeature.MSG_AUTH.bitMask());
        assertEquals(m.type(), ((V1Reader.Msg) r.next(in)).message().type());
        assertEquals(0, in.readableBytes());
    }
}
