package org.jceph.messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Base64;
import java.util.List;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.UTime;
import org.jceph.messenger.EntityName;
import org.junit.jupiter.api.Test;

/** aes256k keys (type 2, "AgA...") in keys and keyrings, and the typed refusal of a disallowed cipher. */
class Aes256kKeyTest {
    /** client.admin of a throwaway Ceph 20.2.4 cluster (ceph-authtool's default type there). */
    static final String KEY = "AgBy0RRrm+1qGCAADzGZpsWby+TMlaOV+j6lHqCj6QyXxFPPPtfbUuJo6Hw=";

    @Test
    void decodesAnAes256kKeyAndReencodesIt() {
        CryptoKey k = CryptoKey.fromBase64(KEY);
        assertEquals(CryptoKey.TYPE_AES256KRB5, k.type());
        assertEquals(32, k.secret().length);
        assertEquals("aes256k", CryptoKey.typeName(k.type()));
        ByteBuf b = Unpooled.buffer();
        k.encode(new CephEncoder(b));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        assertEquals(KEY, Base64.getEncoder().encodeToString(out));
        assertFalse(k.toString().contains(KEY.substring(16, 40)));
    }

    @Test
    void aMixedKeyringLoadsEveryEntry() {
        Keyring r = Keyring.parse("""
                [client.admin]
                \tkey = %s
                \tcaps mon = "allow *"
                [client.aes]
                \tkey = %s
                """.formatted(KEY, KeyringTest.KEY), "mixed");
        assertEquals(CryptoKey.TYPE_AES256KRB5, r.keyFor(EntityName.client("admin")).orElseThrow().type());
        assertEquals(CryptoKey.TYPE_AES, r.keyFor(EntityName.client("aes")).orElseThrow().type());
    }

    @Test
    void rejectsShortAes256kSecretsAndUnknownTypesByNumber() {
        byte[] raw = Base64.getDecoder().decode(KEY);
        raw[10] = 16; // type 2 claiming a 16-byte secret
        String shortKey = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 28));
        DecodeException e = assertThrows(DecodeException.class, () -> CryptoKey.fromBase64(shortKey));
        assertTrue(e.getMessage().contains("aes256k"), e.getMessage());
        byte[] three = Base64.getDecoder().decode(KEY);
        three[0] = 3;
        DecodeException u = assertThrows(DecodeException.class,
                () -> CryptoKey.fromBase64(Base64.getEncoder().encodeToString(three)));
        assertTrue(u.getMessage().contains("unsupported key type 3"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CryptoKey(2, UTime.ZERO, new byte[16]));
    }

    @Test
    void aRefusalUnderAPolicyThatExcludesTheKeyTypeIsTyped() {
        EntityName who = EntityName.client("aes");
        AuthenticationException plain = new AuthenticationException(who, "v2:127.0.0.1:3300/0",
                "permission denied (EACCES): wrong key, or no such entity", 13);
        AuthenticationException r = CipherNotAllowedException.refine(plain, CryptoKey.TYPE_AES,
                List.of(CryptoKey.TYPE_AES256KRB5));
        CipherNotAllowedException c = assertInstanceOf(CipherNotAllowedException.class, r);
        assertEquals(CryptoKey.TYPE_AES, c.keyType());
        assertEquals(List.of(2), c.allowedCiphers());
        assertEquals(13, c.errno());
        assertTrue(c.getMessage().startsWith("authentication of client.aes to v2:127.0.0.1:3300/0 failed: "
                + "the monitors allow only [aes256k] keys (auth_allowed_ciphers) and client.aes's key is aes"),
                c.getMessage());
    }

    @Test
    void aRefusalUnderAnAllowingOrUnknownPolicyIsNotCalledACipherProblem() {
        EntityName who = EntityName.client("admin");
        AuthenticationException plain = new AuthenticationException(who, "v2:127.0.0.1:3300/0", "EACCES", 13);
        assertSame(plain, CipherNotAllowedException.refine(plain, CryptoKey.TYPE_AES256KRB5, List.of(1, 2)));
        assertSame(plain, CipherNotAllowedException.refine(plain, CryptoKey.TYPE_AES256KRB5, List.of()));
        AuthenticationException hinted = CipherNotAllowedException.refine(plain, CryptoKey.TYPE_AES, List.of());
        assertFalse(hinted instanceof CipherNotAllowedException);
        assertTrue(hinted.getMessage().contains("legacy aes type is not allowed"), hinted.getMessage());
        AuthenticationException eperm = new AuthenticationException(who, "x", "EPERM", 1);
        assertSame(eperm, CipherNotAllowedException.refine(eperm, CryptoKey.TYPE_AES, List.of(2)));
    }
}
