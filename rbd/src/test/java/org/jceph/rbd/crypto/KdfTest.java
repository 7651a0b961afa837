package org.jceph.rbd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** PBKDF2 against RFC 6070 and RFC 7914's vectors; the anti-forensic split and merge. */
class KdfTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pbkdf2Sha1Rfc6070() {
        assertEquals("0c60c80f961f0e71f3a9b524af6012062fe037a6",
                HexFormat.of().formatHex(Kdf.pbkdf2("sha1", b("password"), b("salt"), 1, 20)));
        assertEquals("4b007901b765489abead49d926f721d065a429c1",
                HexFormat.of().formatHex(Kdf.pbkdf2("sha1", b("password"), b("salt"), 4096, 20)));
        assertEquals("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
                HexFormat.of().formatHex(Kdf.pbkdf2("sha1", b("passwordPASSWORDpassword"),
                        b("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096, 25)));
    }

    @Test
    void pbkdf2Sha256Rfc7914() {
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
                HexFormat.of().formatHex(Kdf.pbkdf2("sha256", b("passwd"), b("salt"), 1, 64)));
    }

    @Test
    void antiForensicSplitThenMergeGivesTheKeyBack() {
        SecureRandom r = new SecureRandom();
        for (String hash : new String[] {"sha1", "sha256", "sha512"}) {
            for (int n : new int[] {32, 64}) {
                byte[] key = new byte[n];
                r.nextBytes(key);
                byte[] split = AntiForensic.split(key, 4000, hash, r);
                assertEquals(n * 4000, split.length);
                assertArrayEquals(key, AntiForensic.merge(split, n, 4000, hash), hash + "/" + n);
                split[17 * n + 3] ^= 1; // any one stripe damaged: another key
                assertFalse(java.util.Arrays.equals(key, AntiForensic.merge(split, n, 4000, hash)));
            }
        }
    }
}
