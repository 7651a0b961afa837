package org.jceph.messenger.internal.cephx;

import org.jceph.messenger.internal.v2.ClientAuth;

/** cephx to a monitor, as a msgr2 {@link ClientAuth} (method 2). */
public final class CephxMonAuth implements ClientAuth {
    private final CephxMonClient cephx;

    public CephxMonAuth(CephxMonClient cephx) {
        this.cephx = cephx;
    }

    @Override
    public int method() {
        return 2; // CEPH_AUTH_CEPHX
    }

    @Override
    public byte[] initialRequest() {
        return cephx.initialRequest();
    }

    @Override
    public byte[] handleMore(byte[] replyMore) {
        return cephx.answerChallenge(replyMore);
    }

    @Override
    public void handleDone(long globalId, byte[] payload) {
        cephx.handleDone(payload);
        cephx.setGlobalId(globalId);
    }

    @Override
    public byte[] sessionKey() {
        return cephx.sessionKey();
    }

    @Override
    public int sessionKeyType() {
        return cephx.sessionKeyType();
    }

    @Override
    public byte[] connectionSecret() {
        return cephx.connectionSecret();
    }

    public CephxMonClient cephx() {
        return cephx;
    }
}
