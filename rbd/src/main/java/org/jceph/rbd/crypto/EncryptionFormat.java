package org.jceph.rbd.crypto;

/** librbd's encryption formats ({@code rbd_encryption_format_t}). */
public enum EncryptionFormat {
    /** LUKS version 1: 512-byte sectors, PBKDF2 key slots ({@code RBD_ENCRYPTION_FORMAT_LUKS1}). */
    LUKS1,
    /** LUKS version 2: 4096-byte sectors, Argon2id key slots ({@code RBD_ENCRYPTION_FORMAT_LUKS2}). */
    LUKS2,
    /**
     * Either version, whichever the header is: for loading only ({@code RBD_ENCRYPTION_FORMAT_LUKS},
     * which librbd added after Pacific; Pacific's own load takes LUKS1 or LUKS2).
     */
    LUKS
}
