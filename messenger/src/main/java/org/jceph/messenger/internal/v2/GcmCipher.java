package org.jceph.messenger.internal.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of msgr2 secure mode (src/msg/async/crypto_onwire.cc): AES-128-GCM, 16-byte tag,
 * no AAD, 12-byte nonce laid out as {@code u32 fixed | u64 counter} (little-endian). In msgr2.1
 * each GCM operation (one encrypt or one decrypt call) is followed by counter += 1; the fixed part
 * never changes. The key and nonces come from the cephx connection secret:
 * <pre>
 *   secret[0..16)  AES key          secret[16..28) nonce A      secret[28..40) nonce B
 *   connecting side: rx = A, tx = B;   accepting side: rx = B, tx = A
 * </pre>
 */
public final class GcmCipher {
    public static final int TAG_LEN = 16;
    public static final int KEY_LEN = 16;
    public static final int NONCE_LEN = 12;
    /** Key plus both nonces. */
    public static final int SECRET_LEN = KEY_LEN + 2 * NONCE_LEN;

    private final SecretKeySpec key;
    private final int mode;
    private final int fixed;
    private long counter;
    private final long firstCounter;
    private final Cipher cipher;

    private GcmCipher(byte[] key, byte[] nonce, int mode) {
        this.key = new SecretKeySpec(key, "AES");
        this.mode = mode;
        ByteBuffer n = ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN);
        this.fixed = n.getInt();
        this.counter = n.getLong();
        this.firstCounter = counter;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }

    /** The client's (connecting side's) pair from a connection secret: [rx, tx]. */
    public static GcmCipher[] clientPair(byte[] connectionSecret) {
        if (connectionSecret.length < SECRET_LEN) {
            throw new IllegalArgumentException("connection secret of " + connectionSecret.length
                    + " bytes, secure mode needs " + SECRET_LEN);
        }
        byte[] k = java.util.Arrays.copyOfRange(connectionSecret, 0, KEY_LEN);
        byte[] a = java.util.Arrays.copyOfRange(connectionSecret, KEY_LEN, KEY_LEN + NONCE_LEN);
        byte[] b = java.util.Arrays.copyOfRange(connectionSecret, KEY_LEN + NONCE_LEN, SECRET_LEN);
        return new GcmCipher[] {new GcmCipher(k, a, Cipher.DECRYPT_MODE), new GcmCipher(k, b, Cipher.ENCRYPT_MODE)};
    }

    /** The server's (accepting side's) pair: [rx, tx], nonces swapped. For tests and tools. */
    public static GcmCipher[] serverPair(byte[] connectionSecret) {
        GcmCipher[] c = clientPair(connectionSecret);
        return new GcmCipher[] {new GcmCipher(c[0].key.getEncoded(), c[1].nonce(), Cipher.DECRYPT_MODE),
            new GcmCipher(c[0].key.getEncoded(), c[0].nonce(), Cipher.ENCRYPT_MODE)};
    }

    private byte[] nonce() {
        return ByteBuffer.allocate(NONCE_LEN).order(ByteOrder.LITTLE_ENDIAN).putInt(fixed).putLong(counter).array();
    }

    /** Encrypts {@code len} bytes: returns ciphertext followed by the 16-byte tag. One nonce used. */
    public byte[] encrypt(byte[] plain, int off, int len) {
        if (mode != Cipher.ENCRYPT_MODE) {
            throw new IllegalStateException("rx cipher used to encrypt");
        }
        return run(plain, off, len);
    }

    /** Decrypts ciphertext+tag; throws {@link javax.crypto.AEADBadTagException} (wrapped) on a bad tag. */
    public byte[] decrypt(byte[] sealed, int off, int len) throws GeneralSecurityException {
        if (mode != Cipher.DECRYPT_MODE) {
            throw new IllegalStateException("tx cipher used to decrypt");
        }
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LEN * 8, nonce()));
            return cipher.doFinal(sealed, off, len);
        } finally {
            advance();
        }
    }

    /**
     * Encrypts the concatenation of {@code parts} (read in place, positions moved) into {@code out}:
     * ciphertext then the 16-byte tag. One nonce used. {@code out} must have room for both.
     */
    public void encrypt(ByteBuffer out, ByteBuffer... parts) {
        if (mode != Cipher.ENCRYPT_MODE) {
            throw new IllegalStateException("rx cipher used to encrypt");
        }
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LEN * 8, nonce()));
            for (ByteBuffer part : parts) {
                cipher.update(part, out);
            }
            cipher.doFinal(ByteBuffer.allocate(0), out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            advance();
        }
    }

    /**
     * Decrypts ciphertext+tag given as consecutive {@code parts} of {@code sealedLen} bytes in all
     * (read in place); returns the plaintext. Throws on a bad tag. One nonce used.
     */
    public byte[] decrypt(ByteBuffer[] parts, int sealedLen) throws GeneralSecurityException {
        if (mode != Cipher.DECRYPT_MODE) {
            throw new IllegalStateException("tx cipher used to decrypt");
        }
        if (sealedLen < TAG_LEN) {
            throw new javax.crypto.AEADBadTagException("sealed block of " + sealedLen + " bytes is shorter than its tag");
        }
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LEN * 8, nonce()));
            byte[] plain = new byte[sealedLen - TAG_LEN];
            ByteBuffer out = ByteBuffer.wrap(plain);
            for (ByteBuffer part : parts) {
                cipher.update(part, out);
            }
            cipher.doFinal(ByteBuffer.allocate(0), out);
            if (out.position() != plain.length) {
                throw new javax.crypto.AEADBadTagException("decrypted " + out.position() + " bytes, expected " + plain.length);
            }
            return plain;
        } finally {
            advance();
        }
    }

    private byte[] run(byte[] in, int off, int len) {
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LEN * 8, nonce()));
            return cipher.doFinal(in, off, len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            advance();
        }
    }

    private void advance() {
        counter++;
        if (counter == firstCounter) {
            // 2^64 operations: Ceph faults the connection rather than reuse a nonce.
            throw new IllegalStateException("GCM nonce wrapped");
        }
    }

    @Override
    public String toString() {
        return "GcmCipher[" + (mode == Cipher.ENCRYPT_MODE ? "tx" : "rx") + ", key=<redacted>]";
    }
}
