package org.jceph.rbd.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * LUKS's anti-forensic splitter: a key of n bytes becomes n * stripes bytes of which every stripe
 * is needed to get it back. The stripes are chained through a diffusion that hashes each
 * hash-sized block with its index (big-endian 32-bit) in front; the last stripe is the key XOR the
 * diffused chain of all the others.
 */
final class AntiForensic {
    private AntiForensic() {
    }

    static byte[] split(byte[] key, int stripes, String hash, SecureRandom random) {
        int n = key.length;
        byte[] out = new byte[n * stripes];
        byte[] d = new byte[n];
        MessageDigest md = Kdf.digest(hash);
        for (int s = 0; s < stripes - 1; s++) {
            byte[] r = new byte[n];
            random.nextBytes(r);
            System.arraycopy(r, 0, out, s * n, n);
            for (int i = 0; i < n; i++) {
                d[i] ^= r[i];
            }
            diffuse(d, md);
        }
        for (int i = 0; i < n; i++) {
            out[(stripes - 1) * n + i] = (byte) (d[i] ^ key[i]);
        }
        java.util.Arrays.fill(d, (byte) 0);
        return out;
    }

    static byte[] merge(byte[] material, int keyLength, int stripes, String hash) {
        if ((long) keyLength * stripes > material.length) {
            throw new LuksException(-22, "key material shorter than " + stripes + " stripes");
        }
        int n = keyLength;
        byte[] d = new byte[n];
        MessageDigest md = Kdf.digest(hash);
        for (int s = 0; s < stripes - 1; s++) {
            for (int i = 0; i < n; i++) {
                d[i] ^= material[s * n + i];
            }
            diffuse(d, md);
        }
        byte[] key = new byte[n];
        for (int i = 0; i < n; i++) {
            key[i] = (byte) (d[i] ^ material[(stripes - 1) * n + i]);
        }
        java.util.Arrays.fill(d, (byte) 0);
        return key;
    }

    /** Hashes each digest-sized block (the last may be short) with its index in front. */
    private static void diffuse(byte[] d, MessageDigest md) {
        int ds = md.getDigestLength();
        for (int block = 0, pos = 0; pos < d.length; block++, pos += ds) {
            int len = Math.min(ds, d.length - pos);
            md.reset();
            md.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            md.update(d, pos, len);
            byte[] h = md.digest();
            System.arraycopy(h, 0, d, pos, len);
        }
    }
}
