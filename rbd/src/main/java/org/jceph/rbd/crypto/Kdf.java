package org.jceph.rbd.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The key derivations LUKS uses: PBKDF2 (RFC 8018) on the JDK's HMAC, over raw passphrase bytes
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
        String macName = "Hmac" + jdkDigest(luksHash).replace("-", "");
        try {
            Mac mac = Mac.getInstance(macName);
            // HMAC pads its key with zeros, so one zero byte is the empty key (SecretKeySpec refuses empty)
            byte[] k = password.length == 0 ? new byte[1] : password;
            mac.init(new SecretKeySpec(k, macName));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            byte[] counter = new byte[4];
            for (int block = 1, pos = 0; pos < length; block++, pos += hLen) {
                counter[0] = (byte) (block >>> 24);
                counter[1] = (byte) (block >>> 16);
                counter[2] = (byte) (block >>> 8);
                counter[3] = (byte) block;
                mac.update(salt);
                mac.update(counter);
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (long i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, pos, Math.min(hLen, length - pos));
            }
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new LuksException(-95, "HMAC " + macName + " is not available");
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
        gen.init(params);
        byte[] out = new byte[length];
        gen.generateBytes(password, out);
        return out;
    }
}
