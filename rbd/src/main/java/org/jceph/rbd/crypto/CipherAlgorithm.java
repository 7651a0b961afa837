package org.jceph.rbd.crypto;

/** librbd's cipher choices ({@code rbd_encryption_algorithm_t}): AES in XTS-plain64 mode. */
public enum CipherAlgorithm {
    /** AES-128: a 256-bit XTS key ({@code RBD_ENCRYPTION_ALGORITHM_AES128}). */
    AES128(32),
    /** AES-256: a 512-bit XTS key, librbd's default ({@code RBD_ENCRYPTION_ALGORITHM_AES256}). */
    AES256(64);

    private final int keyBytes;

    CipherAlgorithm(int keyBytes) {
        this.keyBytes = keyBytes;
    }

    /**
     * The XTS key length: both AES keys.
     *
     * @return 32 or 64
     */
    public int keyBytes() {
        return keyBytes;
    }
}
