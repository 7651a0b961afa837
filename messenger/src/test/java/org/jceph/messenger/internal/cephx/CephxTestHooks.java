package org.jceph.messenger.internal.cephx;

/** Test-only access to package-private cephx math. */
public final class CephxTestHooks {
    private CephxTestHooks() {
    }

    public static long challengeKey(byte[] secret, long server, long client) {
        return CephxMonClient.challengeKey(secret, server, client);
    }

    public static long challengeKey(int keyType, byte[] secret, long server, long client) {
        return CephxMonClient.challengeKey(keyType, secret, server, client);
    }
}
