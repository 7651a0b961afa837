package org.jceph.rbd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Headers libcryptsetup 2.6.1 wrote (cryptsetup luksFormat on a plain file, cheap KDF costs, a
 * known volume key; see src/test/resources/luks/README), parsed and unlocked by us; and our own
 * headers parsed back.
 */
class LuksHeaderTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LuksHeaderTest.class.getResourceAsStream("/luks/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static LuksHeader.RangeReader reader(byte[] b) {
        return (off, len) -> Arrays.copyOfRange(b, (int) off, (int) off + len);
    }

    private static byte[] pass() throws IOException {
        return resource("passphrase.txt");
    }

    @Test
    void cryptsetupLuks1Aes256Sha256() throws IOException {
        byte[] h = resource("luks1-aes256-sha256.bin");
        Luks1Header l = Luks1Header.parse(h);
        assertEquals(1, l.version());
        assertEquals("aes", l.cipher());
        assertEquals("xts-plain64", l.cipherMode());
        assertEquals(64, l.keyBytes());
        assertEquals(8192 * 512L, l.dataOffset());
        assertEquals(512, l.sectorSize());
        assertArrayEquals(resource("volume-key-64.bin"), l.unlock(pass(), reader(h)));
    }

    @Test
    void cryptsetupLuks1Aes128Sha1() throws IOException {
        byte[] h = resource("luks1-aes128-sha1.bin");
        Luks1Header l = Luks1Header.parse(h);
        assertEquals("sha1", l.hash());
        assertEquals(32, l.keyBytes());
        assertEquals(4096 * 512L, l.dataOffset());
        assertArrayEquals(resource("volume-key-32.bin"), l.unlock(pass(), reader(h)));
    }

    @Test
    void cryptsetupLuks2Argon2id() throws IOException {
        byte[] h = resource("luks2-aes128-argon2id.bin");
        Luks2Header l = Luks2Header.parse(h);
        assertEquals(2, l.version());
        assertEquals("aes", l.cipher());
        assertEquals("xts-plain64", l.cipherMode());
        assertEquals(32, l.keyBytes());
        assertEquals(1 << 20, l.dataOffset());
        assertEquals(4096, l.sectorSize());
        assertArrayEquals(resource("volume-key-32.bin"), l.unlock(pass(), reader(h)));
    }

    @Test
    void cryptsetupLuks2Pbkdf2Sha512() throws IOException {
        byte[] h = resource("luks2-aes256-pbkdf2-sha512.bin");
        Luks2Header l = Luks2Header.parse(h);
        assertEquals(64, l.keyBytes());
        assertArrayEquals(resource("volume-key-64.bin"), l.unlock(pass(), reader(h)));
    }

    @Test
    void aWrongPassphraseIsEpermAndTheMessageHoldsNoSecret() throws IOException {
        for (String name : new String[] {"luks1-aes256-sha256.bin", "luks2-aes128-argon2id.bin"}) {
            byte[] h = resource(name);
            LuksHeader l = LuksHeader.probe(h) == 1 ? Luks1Header.parse(h) : Luks2Header.parse(h);
            byte[] wrong = "correct horsf".getBytes(StandardCharsets.US_ASCII);
            LuksException e = assertThrows(LuksException.WrongPassphraseException.class,
                    () -> l.unlock(wrong, reader(h)));
            assertEquals(-1, e.errno());
            assertFalse(e.getMessage().contains("hors"), e.getMessage());
        }
    }

    @Test
    void luks2FallsBackToTheSecondaryCopyAndRefusesWhenBothAreDamaged() throws IOException {
        byte[] h = resource("luks2-aes128-argon2id.bin");
        byte[] damaged = h.clone();
        damaged[4096 + 20] ^= 1; // primary JSON: checksum no longer matches
        assertArrayEquals(resource("volume-key-32.bin"), Luks2Header.parse(damaged).unlock(pass(), reader(damaged)));
        damaged[16384 + 4096 + 20] ^= 1;
        LuksException e = assertThrows(LuksException.class, () -> Luks2Header.parse(damaged));
        assertEquals(-22, e.errno());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void notLuksIsEinval() {
        byte[] zeros = new byte[32768];
        assertEquals(0, LuksHeader.probe(zeros));
        assertEquals(-22, assertThrows(LuksException.NotEncryptedException.class, () -> Luks1Header.parse(zeros))
                .errno());
        assertEquals(-22, assertThrows(LuksException.NotEncryptedException.class, () -> Luks2Header.parse(zeros))
                .errno());
    }

    @Test
    void ourHeadersRoundTrip() {
        SecureRandom r = new SecureRandom();
        for (int keyBytes : new int[] {32, 64}) {
            byte[] vk = new byte[keyBytes];
            r.nextBytes(vk);
            byte[] pw = "pass word".getBytes(StandardCharsets.UTF_8);
            byte[] h1 = Luks1Header.format(keyBytes, vk, pw, 4 << 20, KdfOptions.insecureFast(), r);
            Luks1Header l1 = Luks1Header.parse(h1);
            assertEquals(4 << 20, l1.dataOffset());
            assertEquals(keyBytes, l1.keyBytes());
            assertArrayEquals(vk, l1.unlock(pw, reader(h1)));

            byte[] h2 = Luks2Header.format(keyBytes, vk, pw, 16 << 20, 4096, KdfOptions.insecureFast(), r);
            Luks2Header l2 = Luks2Header.parse(h2);
            assertEquals(16 << 20, l2.dataOffset());
            assertEquals(4096, l2.sectorSize());
            assertEquals(keyBytes, l2.keyBytes());
            assertArrayEquals(vk, l2.unlock(pw, reader(h2)));
            assertThrows(LuksException.WrongPassphraseException.class,
                    () -> l2.unlock("pass wore".getBytes(StandardCharsets.UTF_8), reader(h2)));
        }
    }
}
