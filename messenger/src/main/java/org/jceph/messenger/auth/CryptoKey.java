package org.jceph.messenger.auth;

import java.util.Arrays;
import java.util.Base64;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.UTime;

/**
 * A cephx secret (Ceph's {@code CryptoKey}, src/auth/Crypto.h). Encoded as
 * {@code u16 type; utime_t created; u16 len; len secret bytes}: 28 bytes for an AES key, which is
 * 40 base64 characters starting with "AQ" in a keyring; 44 bytes (60 characters, "AgA...") for an
 * aes256k key (type 2, AES256-CTS-HMAC-SHA384-192 of RFC 8009), the default of Ceph 20.2.
 *
 * <p>The secret never appears in {@link #toString()}, and no exception built here quotes it.
 */
public final class CryptoKey {
    /** CEPH_CRYPTO_NONE and CEPH_CRYPTO_AES (src/include/ceph_fs.h). */
    public static final int TYPE_NONE = 0;
    public static final int TYPE_AES = 1;
    /** CEPH_CRYPTO_AES256KRB5 ("aes256k"): a 32-byte secret, Ceph 19.2.6+/20.2+. */
    public static final int TYPE_AES256KRB5 = 2;

    private final int type;
    private final UTime created;
    private final byte[] secret;

    public CryptoKey(int type, UTime created, byte[] secret) {
        if (type == TYPE_AES && secret.length != 16) {
            throw new IllegalArgumentException("an AES cephx key has 16 secret bytes, got " + secret.length);
        }
        if (type == TYPE_AES256KRB5 && secret.length < 32) {
            throw new IllegalArgumentException("an aes256k cephx key has 32 secret bytes, got " + secret.length);
        }
        if (type != TYPE_AES && type != TYPE_NONE && type != TYPE_AES256KRB5) {
            throw new IllegalArgumentException("unsupported cephx key type " + type);
        }
        this.type = type;
        this.created = created;
        this.secret = secret.clone();
    }

    /** Decodes the base64 form found in keyrings and in {@code key = ...} settings. */
    public static CryptoKey fromBase64(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            // Deliberately does not quote the input: it is a secret.
            throw new IllegalArgumentException("cephx key is not valid base64 (" + base64.trim().length() + " chars)");
        }
        CephDecoder d = CephDecoder.of(raw, "CryptoKey");
        CryptoKey k = decode(d);
        if (d.hasRemaining()) {
            throw d.error(d.remaining() + " bytes after the key");
        }
        return k;
    }

    public static CryptoKey decode(CephDecoder d) {
        d.push("CryptoKey");
        int type = d.readU16Le();
        UTime created = d.readUtime();
        int len = d.readU16Le();
        if (type == TYPE_AES && len != 16) {
            throw d.error("AES key length " + len + ", expected 16");
        }
        if (type == TYPE_AES256KRB5 && len < 32) {
            throw d.error("aes256k key length " + len + ", expected 32");
        }
        if (type != TYPE_AES && type != TYPE_NONE && type != TYPE_AES256KRB5) {
            throw d.error("unsupported key type " + type + " (known: 0 none, 1 aes, 2 aes256k)");
        }
        byte[] secret = d.readBytes(len);
        d.pop();
        try {
            return new CryptoKey(type, created, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    public void encode(CephEncoder e) {
        e.writeU16Le(type).writeUtime(created).writeU16Le(secret.length).writeBytes(secret);
    }

    public int type() {
        return type;
    }

    public UTime created() {
        return created;
    }

    /** The key type's name as Ceph prints it: none, aes, aes256k. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_NONE -> "none";
            case TYPE_AES -> "aes";
            case TYPE_AES256KRB5 -> "aes256k";
            default -> "type " + type;
        };
    }

    /**
     * A copy of the raw secret: for AES the 16-byte AES-128 key, for aes256k the 32-byte base key
     * of the per-usage key derivation; either way the HMAC-SHA256 key.
     */
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CryptoKey k && k.type == type && k.created.equals(created)
                && java.security.MessageDigest.isEqual(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return type * 31 + created.hashCode();
    }

    @Override
    public String toString() {
        return "CryptoKey[type=" + type + ", created=" + created + ", secret=<redacted>]";
    }
}
