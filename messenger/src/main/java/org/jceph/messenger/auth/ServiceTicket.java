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
        this.serviceId = serviceId;
        this.sessionKey = sessionKey.clone();
        this.validUntil = validUntil;
        this.secretId = secretId;
        this.blob = blob.clone();
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
        return "ServiceTicket[service=" + serviceId + ", secretId=" + secretId + ", validUntil=" + validUntil + "]";
    }
}
