package org.jceph.rbd.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The key derivations LUKS uses: PBKDF2 (RFC 8018) with HMAC over the JDK's MessageDigest, on raw passphrase bytes
 * (the JDK's own PBKDF2 takes a char[] and would re-encode it), and Argon2i/Argon2id from
 * BouncyCastle. Hash names are LUKS's: {@code sha1}, {@code sha256}, {@code sha512}...
 */
final class Kdf {
    private Kdf() {
    }

    /** The JDK name of a LUKS hash name. */
    static String jdkDigest(String luksHash) {
        switch (luksHash.toLowerCase(Locale.ROOT)) {
            case "sha1": return "SHA-1";
            case "sha224": return "SHA-224";
            case "sha256": return "SHA-256";
            case "sha384": return "SHA-384";
            case "sha512": return "SHA-512";
            default: throw new LuksException(-95, "unsupported LUKS hash " + luksHash);
        }
    }

    static MessageDigest digest(String luksHash) {
        try {
            return MessageDigest.getInstance(jdkDigest(luksHash));
        } catch (GeneralSecurityException e) {
            throw new LuksException(-95, "hash " + luksHash + " is not available");
        }
    }

    static byte[] pbkdf2(String luksHash, byte[] password, byte[] salt, long iterations, int length) {
        if (iterations < 1 || iterations > Integer.MAX_VALUE) {
            throw new LuksException(-22, "PBKDF2 iteration count " + iterations + " out of range");
        }
        // HMAC with the ipad and opad states computed once: each iteration then costs two hash
        // compressions instead of the four a fresh HMAC takes (javax.crypto.Mac re-hashes the pads)
        MessageDigest md = digest(luksHash);
        int block = blockSize(luksHash);
        int hLen = md.getDigestLength();
        byte[] key = password.length > block ? md.digest(password) : password;
        byte[] ipad = new byte[block];
        byte[] opad = new byte[block];
        for (int i = 0; i < block; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        if (key != password) {
            Arrays.fill(key, (byte) 0);
        }
        try {
            MessageDigest inner = digest(luksHash);
            inner.update(ipad);
            MessageDigest outer = digest(luksHash);
            outer.update(opad);
            Arrays.fill(ipad, (byte) 0);
            Arrays.fill(opad, (byte) 0);
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            byte[] counter = new byte[4];
            for (int blockNo = 1, pos = 0; pos < length; blockNo++, pos += hLen) {
                counter[0] = (byte) (blockNo >>> 24);
                counter[1] = (byte) (blockNo >>> 16);
                counter[2] = (byte) (blockNo >>> 8);
                counter[3] = (byte) blockNo;
                MessageDigest i = (MessageDigest) inner.clone();
                i.update(salt);
                i.update(counter);
                i.digest(u, 0, hLen);
                MessageDigest o = (MessageDigest) outer.clone();
                o.update(u);
                o.digest(u, 0, hLen);
                System.arraycopy(u, 0, t, 0, hLen);
                for (long n = 1; n < iterations; n++) {
                    i = (MessageDigest) inner.clone();
                    i.update(u);
                    i.digest(u, 0, hLen);
                    o = (MessageDigest) outer.clone();
                    o.update(u);
                    o.digest(u, 0, hLen);
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, pos, Math.min(hLen, length - pos));
            }
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (CloneNotSupportedException | java.security.DigestException e) {
            throw new LuksException(-95, "hash " + luksHash + " cannot be used for HMAC here");
        }
    }

    /** The hash's input block size, HMAC's pad length. */
    private static int blockSize(String luksHash) {
        switch (jdkDigest(luksHash)) {
            case "SHA-384":
            case "SHA-512":
                return 128;
            default:
                return 64;
        }
    }

    static byte[] argon2(boolean id, byte[] password, byte[] salt, int time, int memoryKiB, int lanes,
            int length) {
        if (time < 1 || memoryKiB < 8 || lanes < 1 || lanes > 16 || memoryKiB < 8 * lanes) {
            throw new LuksException(-22, "Argon2 parameters out of range: time " + time + ", memory "
                    + memoryKiB + " KiB, lanes " + lanes);
        }
        Argon2Parameters params = new Argon2Parameters.Builder(
                id ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(time)
                .withMemoryAsKB(memoryKiB)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        byte[] out = new byte[length];
        try {
            gen.init(params);
            gen.generateBytes(password, out);
        } catch (OutOfMemoryError e) {
            // the key slot's memory cost is the header's choice: say what the heap lacked
            throw new LuksException(-12, "Argon2 needs " + memoryKiB + " KiB, more than the JVM heap has free");
        }
        return out;
    }
}
