package org.jceph.rbd.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in XTS mode (IEEE 1619), built on the JDK's AES/ECB, for data units that are a whole number
 * of 16-byte blocks (no ciphertext stealing: disk sectors never need it). The key is the two XTS
 * keys end to end: 32 bytes for AES-128, 64 for AES-256. The tweak of a data unit is its sequence
 * number as a 128-bit little-endian integer; dm-crypt's {@code plain64} IV is exactly that, with
 * the sector number counted in 512-byte units.
 *
 * <p>An instance is safe to share between threads (its ciphers are used under its lock).
 * {@link #destroy()} zeroes the key copies it holds.
 */
public final class AesXts {
    private static final int BLOCK = 16;

    private final byte[] key1;
    private final byte[] key2;
    private final Cipher enc1;
    private final Cipher dec1;
    private final Cipher tweakCipher;
    private boolean destroyed;

    /**
     * An XTS cipher for a key of 32 or 64 bytes.
     *
     * @param key the two AES keys end to end (copied)
     * @throws LuksException (EINVAL) for another length
     */
    public AesXts(byte[] key) {
        if (key.length != 32 && key.length != 64) {
            throw new LuksException(-22, "XTS key must be 32 or 64 bytes, not " + key.length);
        }
        int half = key.length / 2;
        key1 = Arrays.copyOfRange(key, 0, half);
        key2 = Arrays.copyOfRange(key, half, key.length);
        try {
            enc1 = Cipher.getInstance("AES/ECB/NoPadding");
            enc1.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key1, "AES"));
            dec1 = Cipher.getInstance("AES/ECB/NoPadding");
            dec1.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key1, "AES"));
            tweakCipher = Cipher.getInstance("AES/ECB/NoPadding");
            tweakCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key2, "AES"));
        } catch (GeneralSecurityException e) {
            throw new LuksException("AES is not available in this JDK", e);
        }
    }

    /**
     * Encrypts consecutive data units in place.
     *
     * @param buf the data
     * @param off where the first unit starts
     * @param len the length, a multiple of {@code unitSize}
     * @param firstTweak the sequence number of the first unit
     * @param unitSize the data unit size, a multiple of 16
     * @param tweakStep how much the sequence number grows from one unit to the next
     */
    public void encrypt(byte[] buf, int off, int len, long firstTweak, int unitSize, long tweakStep) {
        crypt(true, buf, off, len, firstTweak, unitSize, tweakStep);
    }

    /**
     * Decrypts consecutive data units in place.
     *
     * @param buf the data
     * @param off where the first unit starts
     * @param len the length, a multiple of {@code unitSize}
     * @param firstTweak the sequence number of the first unit
     * @param unitSize the data unit size, a multiple of 16
     * @param tweakStep how much the sequence number grows from one unit to the next
     */
    public void decrypt(byte[] buf, int off, int len, long firstTweak, int unitSize, long tweakStep) {
        crypt(false, buf, off, len, firstTweak, unitSize, tweakStep);
    }

    /**
     * Encrypts one data unit with a full 16-byte tweak (IEEE 1619's test vectors use such).
     *
     * @param tweak the 16-byte tweak, little-endian
     * @param buf the data, encrypted in place
     * @param off where it starts
     * @param len its length, a multiple of 16
     */
    public void encryptUnit(byte[] tweak, byte[] buf, int off, int len) {
        synchronized (this) {
            unit(true, tweak.clone(), buf, off, len);
        }
    }

    /**
     * Decrypts one data unit with a full 16-byte tweak.
     *
     * @param tweak the 16-byte tweak, little-endian
     * @param buf the data, decrypted in place
     * @param off where it starts
     * @param len its length, a multiple of 16
     */
    public void decryptUnit(byte[] tweak, byte[] buf, int off, int len) {
        synchronized (this) {
            unit(false, tweak.clone(), buf, off, len);
        }
    }

    private void crypt(boolean encrypt, byte[] buf, int off, int len, long firstTweak, int unitSize,
            long tweakStep) {
        if (unitSize <= 0 || unitSize % BLOCK != 0 || len % unitSize != 0 || off < 0 || off + len > buf.length) {
            throw new LuksException(-22, "XTS range " + off + "+" + len + " is not whole units of " + unitSize);
        }
        byte[] tweak = new byte[BLOCK];
        synchronized (this) {
            long sector = firstTweak;
            for (int p = off; p < off + len; p += unitSize) {
                Arrays.fill(tweak, (byte) 0);
                for (int i = 0; i < 8; i++) {
                    tweak[i] = (byte) (sector >>> (8 * i));
                }
                unit(encrypt, tweak, buf, p, unitSize);
                sector += tweakStep;
            }
        }
    }

    /** One data unit: T = E_K2(tweak); each block C = E_K1(P ^ T) ^ T, T *= alpha. */
    private void unit(boolean encrypt, byte[] tweak, byte[] buf, int off, int len) {
        if (destroyed) {
            throw new LuksException(-22, "the XTS key was destroyed");
        }
        if (len % BLOCK != 0) {
            throw new LuksException(-22, "XTS data unit of " + len + " bytes is not whole blocks");
        }
        try {
            byte[] t = tweakCipher.doFinal(tweak);
            byte[] ts = new byte[len];
            for (int p = 0; p < len; p += BLOCK) {
                System.arraycopy(t, 0, ts, p, BLOCK);
                multiplyByAlpha(t);
            }
            for (int i = 0; i < len; i++) {
                buf[off + i] ^= ts[i];
            }
            Cipher c = encrypt ? enc1 : dec1;
            int n = c.doFinal(buf, off, len, buf, off);
            if (n != len) {
                throw new LuksException("AES/ECB returned " + n + " bytes for " + len);
            }
            for (int i = 0; i < len; i++) {
                buf[off + i] ^= ts[i];
            }
        } catch (GeneralSecurityException e) {
            throw new LuksException("AES failed", e);
        }
    }

    /** Multiplies the 128-bit little-endian value by x in GF(2^128) mod x^128 + x^7 + x^2 + x + 1. */
    static void multiplyByAlpha(byte[] t) {
        int carry = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = t[i] & 0xff;
            t[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if (carry != 0) {
            t[0] ^= (byte) 0x87;
        }
    }

    /**
     * Whether both ciphers hold the same key (compared in constant time).
     *
     * @param o the other cipher
     * @return true for the same key
     */
    synchronized boolean sameKey(AesXts o) {
        if (o == this) {
            return true;
        }
        // used while a key chain loads, before either cipher is shared: no lock on the other one
        return !destroyed && !o.destroyed && java.security.MessageDigest.isEqual(key1, o.key1)
                && java.security.MessageDigest.isEqual(key2, o.key2);
    }

    /** Zeroes the key copies; the instance is unusable afterwards. */
    public synchronized void destroy() {
        Arrays.fill(key1, (byte) 0);
        Arrays.fill(key2, (byte) 0);
        destroyed = true;
    }
}
