package org.jceph.messenger.internal.cephx;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;
import org.jceph.messenger.auth.CryptoKey;

/**
 * cephx's symmetric primitives (src/auth/Crypto.cc, src/auth/cephx/CephxProtocol.h):
 * <ul>
 *   <li>AES-128-CBC with PKCS#7 padding and the fixed IV {@code "cephsageyudagreg"} (CEPH_AES_IV);</li>
 *   <li>the encrypt envelope: plaintext {@code u8 1 | u64 0xff009cad8826aa55 | payload}, usually
 *       written as a blob (u32 ciphertext length + ciphertext);</li>
 *   <li>HMAC-SHA256 keyed by the raw secret, whatever its type (msgr2 AUTH_SIGNATURE);</li>
 *   <li>for aes256k keys (type 2) the RFC 8009 enctype of {@link Aes256Krb5} in place of AES-CBC,
 *       keyed per usage ({@code USAGE_*}); the envelope inside is unchanged.</li>
 * </ul>
 */
public final class CephxCrypto {
    public static final long ENC_MAGIC = 0xff009cad8826aa55L; // CEPHX_ENC_MAGIC

    /*
     * cephx key usages (src/auth/cephx/CephxProtocol.h, linux auth_x_protocol.h). An aes256k key
     * derives its AES and HMAC keys per usage; an AES key ignores the usage.
     */
    /** The AUTH session's connection secret, under the AUTH ticket's session key. */
    public static final int USAGE_AUTH_CONNECTION_SECRET = 0x03;
    /** A ticket's CephXServiceTicket (its session key): client secret for AUTH, AUTH session key for others. */
    public static final int USAGE_TICKET_SESSION_KEY = 0x04;
    /** An encrypted ticket blob: under the previous session key of that service. */
    public static final int USAGE_TICKET_BLOB = 0x05;
    /** The authorizer's CephXAuthorize, under the ticket's session key. */
    public static final int USAGE_AUTHORIZE = 0x10;
    /** The service's CephXAuthorizeChallenge. */
    public static final int USAGE_AUTHORIZE_CHALLENGE = 0x11;
    /** The service's CephXAuthorizeReply (with the connection secret). */
    public static final int USAGE_AUTHORIZE_REPLY = 0x12;
    /** Rotating service secrets fetched by daemons (not used by clients). */
    public static final int USAGE_ROTATING_SECRET = 0x20;
    /** CephXServiceTicketInfo inside a ticket blob (rotating service key; opaque to clients). */
    public static final int USAGE_TICKET_INFO = 0x30;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Encrypts {@code plain} with a key of {@code keyType} (CryptoKey.TYPE_*) for {@code usage}. */
    public static byte[] encrypt(int keyType, byte[] key, int usage, byte[] plain) {
        return switch (keyType) {
            case CryptoKey.TYPE_AES -> aesEncrypt(key, plain);
            case CryptoKey.TYPE_AES256KRB5 -> new Aes256Krb5(key, usage).encrypt(plain, RANDOM);
            default -> throw new CephxException("cannot encrypt with a key of type " + keyType);
        };
    }

    public static byte[] decrypt(int keyType, byte[] key, int usage, byte[] cipher, int off, int len) {
        return switch (keyType) {
            case CryptoKey.TYPE_AES -> aesDecrypt(key, cipher, off, len);
            case CryptoKey.TYPE_AES256KRB5 -> new Aes256Krb5(key, usage).decrypt(cipher, off, len);
            default -> throw new CephxException("cannot decrypt with a key of type " + keyType);
        };
    }

    /** The envelope's ciphertext under a typed key. */
    public static byte[] encryptEnvelope(int keyType, byte[] key, int usage, byte[] payload) {
        return encrypt(keyType, key, usage, envelope(payload));
    }

    /** Opens an envelope under a typed key; returns the payload. */
    public static byte[] decryptEnvelope(int keyType, byte[] key, int usage, byte[] cipher, String what) {
        byte[] plain;
        try {
            plain = decrypt(keyType, key, usage, cipher, 0, cipher.length);
        } catch (CephxException e) {
            throw new CephxException(what + ": " + e.getMessage());
        }
        return openEnvelope(plain, what);
    }

    /** Reads a blob holding an envelope under a typed key. */
    public static byte[] readEnvelope(CephDecoder d, int keyType, byte[] key, int usage, String what) {
        return decryptEnvelope(keyType, key, usage, d.readBlob(), what);
    }

    private static byte[] envelope(byte[] payload) {
        byte[] plain = new byte[9 + payload.length];
        plain[0] = 1;
        for (int i = 0; i < 8; i++) {
            plain[1 + i] = (byte) (ENC_MAGIC >>> (8 * i));
        }
        System.arraycopy(payload, 0, plain, 9, payload.length);
        return plain;
    }

    private static byte[] openEnvelope(byte[] plain, String what) {
        CephDecoder d = CephDecoder.of(plain, what);
        try {
            int v = d.readU8();
            long magic = d.readU64Le();
            if (v != 1 || magic != ENC_MAGIC) {
                throw new CephxException(what + ": bad envelope header (wrong key?)");
            }
        } catch (DecodeException e) {
            throw new CephxException(what + ": envelope too short");
        }
        return java.util.Arrays.copyOfRange(plain, 9, plain.length);
    }
    private static final byte[] IV = "cephsageyudagreg".getBytes(StandardCharsets.US_ASCII);

    private CephxCrypto() {
    }

    public static byte[] aesEncrypt(byte[] key, byte[] plain) {
        return aes(Cipher.ENCRYPT_MODE, key, plain, 0, plain.length);
    }

    public static byte[] aesDecrypt(byte[] key, byte[] cipher, int off, int len) {
        return aes(Cipher.DECRYPT_MODE, key, cipher, off, len);
    }

    private static byte[] aes(int mode, byte[] key, byte[] in, int off, int len) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
            return c.doFinal(in, off, len);
        } catch (GeneralSecurityException e) {
            // Wrong key or corrupt ciphertext shows up as bad padding; never include key bytes.
            throw new CephxException("AES-CBC " + (mode == Cipher.ENCRYPT_MODE ? "encrypt" : "decrypt")
                    + " failed: " + e.getClass().getSimpleName());
        }
    }

    /** The envelope's ciphertext (no length prefix): AES(key, u8 1 | magic | payload). */
    public static byte[] encryptEnvelope(byte[] key, byte[] payload) {
        return aesEncrypt(key, envelope(payload));
    }

    /** Decrypts an envelope's ciphertext and checks its header; returns the payload. */
    public static byte[] decryptEnvelope(byte[] key, byte[] cipher, String what) {
        byte[] plain;
        try {
            plain = aesDecrypt(key, cipher, 0, cipher.length);
        } catch (CephxException e) {
            throw new CephxException(what + ": " + e.getMessage());
        }
        return openEnvelope(plain, what);
    }

    /** Reads a blob holding an envelope (u32 len + ciphertext) and opens it. */
    public static byte[] readEnvelope(CephDecoder d, byte[] key, String what) {
        byte[] c = d.readBlob();
        return decryptEnvelope(key, c, what);
    }

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
