package org.jceph.messenger.internal.v2;

/** The auth method a msgr2 client runs inside the AUTH_* frames (cephx to a mon, cephx authorizer, none). */
public interface ClientAuth {
    /** CEPH_AUTH_* method: 1 none, 2 cephx. */
    int method();

    byte[] initialRequest();

    /** AUTH_REPLY_MORE payload in, AUTH_REQUEST_MORE payload out. */
    byte[] handleMore(byte[] replyMore);

    /** AUTH_DONE payload; throws on a reply that does not verify. */
    void handleDone(long globalId, byte[] payload);

    /** HMAC key for AUTH_SIGNATURE; null or empty means auth none (32 zero bytes). */
    byte[] sessionKey();

    /** The session key's cephx key type (CryptoKey.TYPE_*): decides how msgr1 signs messages. */
    default int sessionKeyType() {
        return org.jceph.messenger.auth.CryptoKey.TYPE_AES;
    }

    /** Secure-mode key material (empty in crc mode). */
    byte[] connectionSecret();
}
