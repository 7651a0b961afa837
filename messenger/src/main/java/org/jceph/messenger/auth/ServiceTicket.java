package org.jceph.messenger.auth;

import org.jceph.encoding.UTime;

/**
 * A cephx service ticket the monitor granted (for the osd or mgr service): the session key shared
 * with that service, its validity, and the opaque ticket blob (encrypted under the service's
 * rotating secret {@code secretId}) that the service decrypts to learn who we are.
 * Holds a key: never printed.
 */
public final class ServiceTicket {
    private final int serviceId;
    private final byte[] sessionKey;
    private final UTime validUntil;
    private final long secretId;
    private final byte[] blob;

    public ServiceTicket(int serviceId, byte[] sessionKey, UTime validUntil, long secretId, byte[] blob) {
        this(serviceId, sessionKey, validUntil, secretId, blob, CryptoKey.TYPE_AES);
    }

    /** @param sessionKeyType the session key's cephx type (CryptoKey.TYPE_AES or TYPE_AES256KRB5) */
    public ServiceTicket(int serviceId, byte[] sessionKey, UTime validUntil, long secretId, byte[] blob,
                         int sessionKeyType) {
        this.sessionKeyType = sessionKeyType;
        this.serviceId = serviceId;
        this.sessionKey = sessionKey.clone();
        this.validUntil = validUntil;
        this.secretId = secretId;
        this.blob = blob.clone();
    }

    private final int sessionKeyType;

    /** The session key's cephx key type: aes256k tickets come from aes256k clients and services. */
    public int sessionKeyType() {
        return sessionKeyType;
    }

    public int serviceId() {
        return serviceId;
    }

    public byte[] sessionKey() {
        return sessionKey.clone();
    }

    public UTime validUntil() {
        return validUntil;
    }

    public long secretId() {
        return secretId;
    }

    public byte[] blob() {
        return blob.clone();
    }

    @Override
    public String toString() {
        return "ServiceTicket[service=" + serviceId + ", key=" + CryptoKey.typeName(sessionKeyType) + ", secretId=" + secretId + ", validUntil=" + validUntil + "]";
    }
}
