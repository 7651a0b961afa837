package org.jceph.messenger.internal.cephx;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;

/**
 * cephx's symmetric primitives (src/auth/Crypto.cc, src/auth/cephx/CephxProtocol.h):
 * <ul>
 *   <li>AES-128-CBC with PKCS#7 padding and the fixed IV {@code "cephsageyudagreg"} (CEPH_AES_IV);</li>
 *   <li>the encrypt envelope: plaintext {@code u8 1 | u64 0xff009cad8826aa55 | payload}, usually
 *       written as a blob (u32 ciphertext length + ciphertext);</li>
 *   <li>HMAC-SHA256 keyed by the raw 16-byte secret (msgr2 AUTH_SIGNATURE).</li>
 * </ul>
 */
public final class CephxCrypto {
    public static final long ENC_MAGIC = 0xff009cad8826aa55L; // CEPHX_ENC_MAGIC
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
        byte[] plain = new byte[9 + payload.length];
        plain[0] = 1;
        for (int i = 0; i < 8; i++) {
            plain[1 + i] = (byte) (ENC_MAGIC >>> (8 * i));
        }
        System.arraycopy(payload, 0, plain, 9, payload.length);
        return aesEncrypt(key, plain);
    }

    /** Decrypts an envelope's ciphertext and checks its header; returns the payload. */
    public static byte[] decryptEnvelope(byte[] key, byte[] cipher, String what) {
        byte[] plain;
        try {
            plain = aesDecrypt(key, cipher, 0, cipher.length);
        } catch (CephxException e) {
            throw new CephxException(what + ": " + e.getMessage());
        }
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
