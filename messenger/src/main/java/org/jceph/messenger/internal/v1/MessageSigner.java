package org.jceph.messenger.internal.v1;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jceph.encoding.CephFeature;
import org.jceph.messenger.internal.cephx.CephxCrypto;

/**
 * cephx message signatures of msgr1 footers (src/auth/cephx/CephxSessionHandler.cc, linux
 * net/ceph/auth_x.c calc_signature), keyed by the session key of the service ticket presented in
 * the authorizer. Both sides sign once both have MSG_AUTH; the block signed depends on CEPHX_V2:
 * <pre>
 *  CEPHX_V2: AES-CBC(key, IV, PKCS#7) of 32 bytes
 *            {u32 header_crc, front_crc, front_len, middle_crc, middle_len, data_crc, data_len, seq & 0xffffffff}
 *            = 48 bytes; sig = XOR of its first four u64 (little-endian) words
 *  legacy:   AES-CBC of the cephx envelope {u8 1, u64 magic, u32 16, header_crc, front_crc, middle_crc,
 *            data_crc} (29 bytes, no length prefix); sig = its first 8 ciphertext bytes as a u64
 * </pre>
 * With an aes256k session key (Ceph 20.2) the CEPHX_V2 block is HMAC-SHA256'd under the raw
 * session key instead of encrypted, and the MAC's four words are XORed the same way.
 * These blocks are fed to the cipher, never to the wire. Holds a key: never printed.
 */
public final class MessageSigner {
    private final byte[] key;
    private final boolean v2;

    /** @param features the features both sides share (decides v2 vs legacy) */
    public MessageSigner(byte[] sessionKey, long features) {
        this(org.jceph.messenger.auth.CryptoKey.TYPE_AES, sessionKey, features);
    }

    /** @param keyType the session key's cephx type: an aes256k key signs with HMAC-SHA256 */
    public MessageSigner(int keyType, byte[] sessionKey, long features) {
        this.key = sessionKey.clone();
        this.hmac = keyType == org.jceph.messenger.auth.CryptoKey.TYPE_AES256KRB5;
        // every release that knows aes256k keys also has CEPHX_V2 (mimic+): no legacy form exists for them
        this.v2 = CephFeature.CEPHX_V2.isIn(features) || hmac;
    }

    private final boolean hmac;

    public boolean isV2() {
        return v2;
    }

    public long sign(int headerCrc, V1Codec.Crcs crcs, int frontLen, int middleLen, int dataLen, long seq) {
        if (v2) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(headerCrc).putInt(crcs.front()).putInt(frontLen).putInt(crcs.middle()).putInt(middleLen)
                    .putInt(crcs.data()).putInt(dataLen).putInt((int) seq);
            // aes256k: the same block, HMAC-SHA256'd under the session key (its ciphertext would be
            // randomised by the confounder); the four words of the MAC are folded the same way
            byte[] c = hmac ? CephxCrypto.hmacSha256(key, b.array()) : CephxCrypto.aesEncrypt(key, b.array());
            ByteBuffer w = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
            return w.getLong(0) ^ w.getLong(8) ^ w.getLong(16) ^ w.getLong(24);
        }
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16).putInt(headerCrc).putInt(crcs.front()).putInt(crcs.middle()).putInt(crcs.data());
        byte[] c = CephxCrypto.encryptEnvelope(key, b.array());
        return ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    @Override
    public String toString() {
        return "MessageSigner[" + (v2 ? "cephx v2" : "legacy") + "]";
    }
}
