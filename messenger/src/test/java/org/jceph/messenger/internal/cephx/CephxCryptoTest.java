package org.jceph.messenger.internal.cephx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CephxCryptoTest {
    static final byte[] KEY = HexFormat.of().parseHex("af45e72bac7df35bc2bc6a88eba120a2");

    @Test
    void envelopeIsVersionMagicPayloadUnderCbcWithPkcs7() {
        byte[] c = CephxCrypto.encryptEnvelope(KEY, new byte[16]);
        assertEquals(32, c.length); // 9 + 16 = 25 -> padded to 32
        byte[] plain = CephxCrypto.aesDecrypt(KEY, c, 0, c.length);
        assertEquals("0155aa2688ad9c00ff", HexFormat.of().formatHex(plain, 0, 9));
        assertArrayEquals(new byte[16], CephxCrypto.decryptEnvelope(KEY, c, "t"));
    }

    @Test
    void cbcUsesCephsFixedIv() throws Exception {
        // The first block of CBC is AES-ECB(key, plaintext XOR IV): check against the JDK's ECB.
        byte[] block = new byte[16];
        byte[] c = CephxCrypto.aesEncrypt(KEY, block);
        javax.crypto.Cipher ecb = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(KEY, "AES"));
        byte[] expect = ecb.doFinal("cephsageyudagreg".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expect, java.util.Arrays.copyOf(c, 16));
    }

    @Test
    void wrongKeyIsReportedWithoutKeyMaterial() {
        byte[] c = CephxCrypto.encryptEnvelope(KEY, new byte[] {1, 2, 3});
        byte[] other = KEY.clone();
        other[0] ^= 1;
        CephxException e = assertThrows(CephxException.class, () -> CephxCrypto.decryptEnvelope(other, c, "ticket"));
        assertEquals(false, e.getMessage().contains("af45"), e.getMessage());
    }

    @Test
    void challengeKeyXorsTheFourWordsOfTheLengthPrefixedEnvelope() {
        long server = 0x1122334455667788L;
        long client = 0x0102030405060708L;
        byte[] blob = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(server).putLong(client).array();
        byte[] c = CephxCrypto.encryptEnvelope(KEY, blob);
        java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(36).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        w.putInt(32).put(c).flip();
        long expect = w.getLong() ^ w.getLong() ^ w.getLong() ^ w.getLong(); // last 4 bytes unused
        assertEquals(expect, CephxMonClient.challengeKey(KEY, server, client));
    }

    @Test
    void hmacIsRfc4231() {
        // RFC 4231 test case 2
        byte[] mac = CephxCrypto.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HexFormat.of().formatHex(mac));
    }
}
