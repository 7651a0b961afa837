package org.jceph.messenger.internal.cephx;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The aes256-cts-hmac-sha384-192 enctype of RFC 8009, which Ceph 20.2 (and 19.2.6) uses for its
 * {@code aes256k} keys (CEPH_CRYPTO_AES256KRB5 = 2, src/auth/Crypto.cc CryptoAES256KRB5;
 * linux net/ceph/crypto.c through crypto/krb5). Per key usage:
 * <pre>
 *  Ke = KDF(secret, usage | 0xAA, 256 bits)     Ki = KDF(secret, usage | 0x55, 192 bits)
 *  KDF(K, label, k) = first k bits of HMAC-SHA384(K, u32be 1 | label | u8 0 | u32be k)   (label: u32be usage, u8 type)
 *  encrypt(P) = C | H,  C = AES-256-CBC-CS3(Ke, IV 0, confounder(16 random bytes) | P),
 *                       H = first 24 bytes of HMAC-SHA384(Ki, IV 0 | C)
 * </pre>
 * The whole secret (32 bytes for a Ceph key) is the KDF's base key. CS3 is CBC with ciphertext
 * stealing that always swaps the last two blocks (RFC 3962/8009); the JDK has no CTS mode, so
 * it is built here on AES/ECB block operations. Output is 40 bytes longer than the input.
 * Never logs or quotes key material.
 */
public final class Aes256Krb5 {
    public static final int BLOCK = 16;
    public static final int MAC_LEN = 24;
    /** Confounder plus truncated MAC: what encryption adds to a plaintext. */
    public static final int OVERHEAD = BLOCK + MAC_LEN;

    private final byte[] ke;
    private final byte[] ki;

    /** Derives Ke and Ki of {@code usage} from {@code secret}. */
    public Aes256Krb5(byte[] secret, int usage) {
        if (secret.length < 32) {
            throw new CephxException("an aes256k key has at least 32 secret bytes, got " + secret.length);
        }
        this.ke = derive(secret, usage, 0xAA, 32);
        this.ki = derive(secret, usage, 0x55, MAC_LEN);
    }

    /** KDF-HMAC-SHA2 of RFC 8009 section 3 with the label {@code usage (BE32) | type}. */
    static byte[] derive(byte[] secret, int usage, int type, int bytes) {
        ByteBuffer in = ByteBuffer.allocate(14); // big-endian, as the RFC wants
        in.putInt(1).putInt(usage).put((byte) type).put((byte) 0).putInt(bytes * 8);
        return Arrays.copyOf(hmacSha384(secret, in.array(), null), bytes);
    }

    public byte[] encrypt(byte[] plain, SecureRandom random) {
        byte[] confounder = new byte[BLOCK];
        random.nextBytes(confounder);
        return encrypt(plain, confounder);
    }

    /** Encrypts with a given confounder (the RFC's test vectors fix it; the wire uses a random one). */
    public byte[] encrypt(byte[] plain, byte[] confounder) {
        if (confounder.length != BLOCK) {
            throw new CephxException("the aes256k confounder is " + BLOCK + " bytes");
        }
        byte[] in = new byte[BLOCK + plain.length];
        System.arraycopy(confounder, 0, in, 0, BLOCK);
        System.arraycopy(plain, 0, in, BLOCK, plain.length);
        byte[] c = cts(true, in);
        byte[] out = Arrays.copyOf(c, c.length + MAC_LEN);
        System.arraycopy(mac(c, 0, c.length), 0, out, c.length, MAC_LEN);
        return out;
    }

    /**
     * Checks the MAC and decrypts; returns the plaintext without the confounder.
     *
     * @throws CephxException when the input is too short or its integrity check fails (wrong key or usage)
     */
    public byte[] decrypt(byte[] in, int off, int len) {
        if (len < OVERHEAD) {
            throw new CephxException("aes256k ciphertext of " + len + " bytes is shorter than " + OVERHEAD);
        }
        int clen = len - MAC_LEN;
        byte[] want = mac(in, off, clen);
        byte[] got = Arrays.copyOfRange(in, off + clen, off + len);
        if (!MessageDigest.isEqual(want, got)) {
            throw new CephxException("aes256k integrity check failed (wrong key?)");
        }
        byte[] p = cts(false, Arrays.copyOfRange(in, off, off + clen));
        return Arrays.copyOfRange(p, BLOCK, p.length);
    }

    private byte[] mac(byte[] c, int off, int len) {
        byte[] h = hmacSha384(ki, new byte[BLOCK], c, off, len); // HMAC over IV (zero) | C
        return Arrays.copyOf(h, MAC_LEN);
    }

    /** AES-256-CBC-CS3 with a zero IV over {@code n >= 16} bytes. */
    private byte[] cts(boolean encrypt, byte[] in) {
        int n = in.length;
        if (n < BLOCK) {
            throw new CephxException("aes256k: CTS needs at least one block");
        }
        Cipher aes = ecb(encrypt);
        try {
            if (n == BLOCK) {
                return encrypt ? aes.doFinal(xor(in, 0, new byte[BLOCK], 0))
                        : xor(aes.doFinal(in), 0, new byte[BLOCK], 0);
            }
            int m = (n + BLOCK - 1) / BLOCK; // blocks, the last one partial (1..16 bytes)
            int r = n - BLOCK * (m - 1);
            byte[] out = new byte[n];
            if (encrypt) {
                byte[] prev = new byte[BLOCK];
                byte[] cPrev = null; // c_{m-1}
                for (int i = 0; i < m; i++) {
                    byte[] p = new byte[BLOCK];
                    System.arraycopy(in, i * BLOCK, p, 0, i == m - 1 ? r : BLOCK); // zero-padded last
                    byte[] c = aes.doFinal(xor(p, 0, prev, 0));
                    if (i < m - 2) {
                        System.arraycopy(c, 0, out, i * BLOCK, BLOCK);
                    } else if (i == m - 2) {
                        cPrev = c;
                    } else {
                        System.arraycopy(c, 0, out, (m - 2) * BLOCK, BLOCK); // c_m first
                        System.arraycopy(cPrev, 0, out, (m - 1) * BLOCK, r); // then c_{m-1} cut to r
                    }
                    prev = c;
                }
                return out;
            }
            // wire: c_1 .. c_{m-2} | c_m | c_{m-1}[..r]
            byte[] cm = Arrays.copyOfRange(in, (m - 2) * BLOCK, (m - 1) * BLOCK);
            byte[] d = aes.doFinal(cm); // = (P_m zero-padded) xor c_{m-1}
            byte[] cm1 = new byte[BLOCK];
            System.arraycopy(in, (m - 1) * BLOCK, cm1, 0, r);
            System.arraycopy(d, r, cm1, r, BLOCK - r); // the stolen tail of c_{m-1}
            for (int j = 0; j < r; j++) {
                out[(m - 1) * BLOCK + j] = (byte) (d[j] ^ cm1[j]);
            }
            byte[] prev = new byte[BLOCK];
            for (int i = 0; i < m - 1; i++) {
                byte[] c = i == m - 2 ? cm1 : Arrays.copyOfRange(in, i * BLOCK, (i + 1) * BLOCK);
                byte[] p = xor(aes.doFinal(c), 0, prev, 0);
                System.arraycopy(p, 0, out, i * BLOCK, BLOCK);
                prev = c;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new CephxException("aes256k: AES failed: " + e.getClass().getSimpleName());
        }
    }

    private Cipher ecb(boolean encrypt) {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(ke, "AES"));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-256/ECB", e);
        }
    }

    private static byte[] xor(byte[] a, int ao, byte[] b, int bo) {
        byte[] r = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            r[i] = (byte) (a[ao + i] ^ b[bo + i]);
        }
        return r;
    }

    private static byte[] hmacSha384(byte[] key, byte[] data, byte[] more) {
        return hmacSha384(key, data, more, 0, more == null ? 0 : more.length);
    }

    private static byte[] hmacSha384(byte[] key, byte[] data, byte[] more, int off, int len) {
        try {
            Mac m = Mac.getInstance("HmacSHA384");
            m.init(new SecretKeySpec(key, "HmacSHA384"));
            m.update(data);
            if (more != null) {
                m.update(more, off, len);
            }
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA384", e);
        }
    }

    @Override
    public String toString() {
        return "Aes256Krb5[<keys redacted>]";
    }
}
