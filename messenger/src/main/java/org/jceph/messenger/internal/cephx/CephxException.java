package org.jceph.messenger.internal.cephx;

/** A cephx reply that cannot be decrypted or decoded. Messages never contain key material. */
public final class CephxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CephxException(String message) {
        super(message);
    }
}
