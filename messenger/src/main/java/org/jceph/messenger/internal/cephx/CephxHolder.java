package org.jceph.messenger.internal.cephx;

/**
 * A monitor connection that authenticated with cephx exposes its ticket state, so the session
 * owner can renew tickets over it (MAuth) without reconnecting.
 */
public interface CephxHolder {
    /** The cephx client that authenticated this connection, or null (auth none, non-monitor peer). */
    CephxMonClient cephxMonClient();
}
