package org.jceph.messenger.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.UTime;
import org.jceph.messenger.EntityName;
import org.junit.jupiter.api.Test;

class KeyringTest {
    /** client.admin of a throwaway cluster made by ceph-authtool 16.2.15 (minicluster.sh). */
    static final String KEY = "AQD+3AZrMlV4IxAAr0XnK6x981vCvGqI66Egog==";

    @Test
    void decodesCryptoKeyFieldByField() {
        CryptoKey k = CryptoKey.fromBase64(KEY);
        // 0100 | fe dc 06 6b (sec) | 32 55 78 23 (nsec) | 1000 | 16 secret bytes
        assertEquals(CryptoKey.TYPE_AES, k.type());
        assertEquals(new UTime(1795611902L, 595088690L), k.created());
        assertArrayEquals(HexFormat.of().parseHex("af45e72bac7df35bc2bc6a88eba120a2"), k.secret());
    }

    @Test
    void cryptoKeyRoundTrips() {
        CryptoKey k = CryptoKey.fromBase64(KEY);
        ByteBuf b = Unpooled.buffer();
        k.encode(new CephEncoder(b));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        assertEquals(KEY, java.util.Base64.getEncoder().encodeToString(out));
    }

    @Test
    void parsesAuthtoolOutputIgnoringCaps() {
        Keyring r = Keyring.parse("""
                [mon.]
                \tkey = AQD+3AZraIZKIhAAhNF/eptDYbdxu13MiebzTg==
                \tcaps mon = "allow *"
                [client.admin]
                \tkey = %s
                \tcaps mds = "allow *"
                """.formatted(KEY), "test");
        assertEquals(CryptoKey.fromBase64(KEY), r.keyFor(EntityName.client("admin")).orElseThrow());
        assertTrue(r.keyFor(EntityName.parse("mon.")).isPresent());
        assertTrue(r.keyFor(EntityName.client("nobody")).isEmpty());
    }

    @Test
    void secretsNeverAppearInStringsOrErrors() {
        CryptoKey k = CryptoKey.fromBase64(KEY);
        assertFalse(k.toString().contains("af45e7"), k.toString());
        assertFalse(k.toString().contains(KEY));
        String bad = KEY.substring(0, 20) + "!!!!";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Keyring.parse("[client.x]\nkey = " + bad + "\n", "k"));
        assertFalse(e.getMessage().contains(KEY.substring(0, 20)), e.getMessage());
        assertTrue(e.getMessage().contains("client.x"));
    }

    @Test
    void rejectsTruncatedAndWrongLengthKeys() {
        assertThrows(DecodeException.class, () -> CryptoKey.fromBase64("AQD+3AZrMlV4IxAA"));
        // type AES with a 15-byte secret
        byte[] raw = java.util.Base64.getDecoder().decode(KEY);
        raw[10] = 15;
        String shortKey = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 27));
        assertThrows(DecodeException.class, () -> CryptoKey.fromBase64(shortKey));
    }

    @org.junit.jupiter.api.Test
    void aKeyringOthersCanReadIsWarnedAbout(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path open = dir.resolve("open.keyring");
        java.nio.file.Files.writeString(open, "[client.admin]\n\tkey = AQBQ8WNfAAAAABAAjH7rAuFg+e+Q7xkJQ4zG0A==\n");
        java.nio.file.Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        org.junit.jupiter.api.Assertions.assertTrue(Keyring.warnIfReadableByOthers(open));
        java.nio.file.Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        org.junit.jupiter.api.Assertions.assertFalse(Keyring.warnIfReadableByOthers(open));
    }
}
