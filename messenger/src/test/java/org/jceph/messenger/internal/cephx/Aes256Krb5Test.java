package org.jceph.messenger.internal.cephx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.jceph.messenger.auth.CryptoKey;
import org.junit.jupiter.api.Test;

/**
 * The aes256-cts-hmac-sha384-192 enctype against RFC 8009 appendix A (the sample derived keys for
 * usage 2 and the four encryption vectors, which Ceph's src/test/crypto.cc also pins).
 */
class Aes256Krb5Test {
    private static final HexFormat H = HexFormat.of();
    static final byte[] BASE = H.parseHex("6d404d37faf79f9df0d33568d320669800eb4836472ea8a026d16b7182460c52");

    @Test
    void derivesTheRfcSampleKeysForUsage2() {
        assertEquals("56ab22bee63d82d7bc5227f6773f8ea7a5eb1c825160c38312980c442e5c7e49",
                H.formatHex(Aes256Krb5.derive(BASE, 2, 0xAA, 32)), "Ke");
        assertEquals("69b16514e3cd8e56b82010d5c73012b622c4d00ffc23ed1f",
                H.formatHex(Aes256Krb5.derive(BASE, 2, 0x55, 24)), "Ki");
        assertEquals("ef5718be86cc84963d8bbb5031e9f5c4ba41f28faf69e73d",
                H.formatHex(Aes256Krb5.derive(BASE, 2, 0x99, 24)), "Kc");
    }

    /** {confounder, plaintext, ciphertext|mac} of RFC 8009 A, usage 2. */
    static final String[][] VECTORS = {
        {"f764e9fa15c276478b2c7d0c4e5f58e4", "",
            "41f53fa5bfe7026d91faf9be959195a058707273a96a40f0a01960621ac612748b9bbfbe7eb4ce3c"},
        {"b80d3251c1f6471494256ffe712d0b9a", "000102030405",
            "4ed7b37c2bcac8f74f23c1cf07e62bc7b75fb3f637b9f559c7f664f69eab7b6092237526ea0d1f61cb20d69d10f2"},
        {"53bf8a0d105265d4e276428624ce5e63", "000102030405060708090a0b0c0d0e0f",
            "bc47ffec7998eb91e8115cf8d19dac4bbbe2e163e87dd37f49beca92027764f68cf51f14d798c2273f35df574d1f932e"
                + "40c4ff255b36a266"},
        {"763e65367e864f02f55153c7e3b58af1", "000102030405060708090a0b0c0d0e0f1011121314",
            "40013e2df58e8751957d2878bcd2d6fe101ccfd556cb1eae79db3c3ee86429f2b2a602ac86fef6ecb647d6295fae077a"
                + "1feb517508d2c16b4192e01f62"},
    };

    @Test
    void encryptsTheRfcVectorsByteForByte() {
        Aes256Krb5 k = new Aes256Krb5(BASE, 2);
        for (String[] v : VECTORS) {
            assertEquals(v[2], H.formatHex(k.encrypt(H.parseHex(v[1]), H.parseHex(v[0]))), "plaintext " + v[1]);
        }
    }

    @Test
    void decryptsTheRfcVectors() {
        Aes256Krb5 k = new Aes256Krb5(BASE, 2);
        for (String[] v : VECTORS) {
            byte[] c = H.parseHex(v[2]);
            assertEquals(v[1], H.formatHex(k.decrypt(c, 0, c.length)));
        }
    }

    @Test
    void rejectsATamperedMacCiphertextOrOtherUsage() {
        byte[] c = H.parseHex(VECTORS[3][2]);
        byte[] mac = c.clone();
        mac[mac.length - 1] ^= 1;
        assertThrows(CephxException.class, () -> new Aes256Krb5(BASE, 2).decrypt(mac, 0, mac.length));
        byte[] body = c.clone();
        body[20] ^= 1;
        assertThrows(CephxException.class, () -> new Aes256Krb5(BASE, 2).decrypt(body, 0, body.length));
        assertThrows(CephxException.class, () -> new Aes256Krb5(BASE, 3).decrypt(c, 0, c.length));
        CephxException shortOne = assertThrows(CephxException.class,
                () -> new Aes256Krb5(BASE, 2).decrypt(new byte[39], 0, 39));
        assertTrue(shortOne.getMessage().contains("shorter"), shortOne.getMessage());
        assertThrows(CephxException.class, () -> new Aes256Krb5(new byte[16], 2));
    }

    @Test
    void roundTripsEveryLengthAcrossTheStealingBoundaries() {
        SecureRandom r = new SecureRandom();
        byte[] key = new byte[32];
        r.nextBytes(key);
        for (int n = 0; n <= 70; n++) {
            byte[] p = new byte[n];
            r.nextBytes(p);
            byte[] c = CephxCrypto.encrypt(CryptoKey.TYPE_AES256KRB5, key, CephxCrypto.USAGE_AUTHORIZE, p);
            assertEquals(n + Aes256Krb5.OVERHEAD, c.length);
            assertArrayEquals(p, CephxCrypto.decrypt(CryptoKey.TYPE_AES256KRB5, key, CephxCrypto.USAGE_AUTHORIZE,
                    c, 0, c.length), "length " + n);
        }
    }

    @Test
    void envelopesUnderTheNewTypeKeepTheMagicAndDifferEachTime() {
        byte[] key = BASE;
        byte[] a = CephxCrypto.encryptEnvelope(CryptoKey.TYPE_AES256KRB5, key, 4, new byte[] {7, 8});
        byte[] b = CephxCrypto.encryptEnvelope(CryptoKey.TYPE_AES256KRB5, key, 4, new byte[] {7, 8});
        assertFalse(java.util.Arrays.equals(a, b), "random confounder");
        assertEquals(9 + 2 + Aes256Krb5.OVERHEAD, a.length);
        byte[] inner = new Aes256Krb5(key, 4).decrypt(a, 0, a.length);
        assertEquals(1, inner[0]);
        assertEquals(CephxCrypto.ENC_MAGIC, java.nio.ByteBuffer.wrap(inner, 1, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        assertArrayEquals(new byte[] {7, 8}, CephxCrypto.decryptEnvelope(CryptoKey.TYPE_AES256KRB5, key, 4, a, "t"));
        CephxException wrongUsage = assertThrows(CephxException.class,
                () -> CephxCrypto.decryptEnvelope(CryptoKey.TYPE_AES256KRB5, key, 5, a, "ticket"));
        assertTrue(wrongUsage.getMessage().startsWith("ticket: "), wrongUsage.getMessage());
    }

    @Test
    void hmacSha256MatchesCephsAes256kVector() {
        // src/test/crypto.cc AES256KRB5.HMAC_SHA256: the raw secret keys HMAC-SHA256
        byte[] mac = CephxCrypto.hmacSha256(H.parseHex("00112233445566778899aabbccddeeff"),
                "blablabla".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("42c7027e8be06dca2c0b444373fefdbeac5b4034eca44a69de3a291634ed8df9", H.formatHex(mac));
    }
}
