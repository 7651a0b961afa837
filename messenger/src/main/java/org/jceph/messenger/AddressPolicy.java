package org.jceph.messenger;

import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;

/**
 * Which of a daemon's addresses a client dials, as Ceph chooses (AsyncMessenger's address
 * filtering, MonMap/OSDMap addrvecs): the first v2 address when we speak msgr2, else the first v1
 * (legacy) one. A vector holding only a legacy address (an old daemon, {@code v1:} or a :6789
 * entry in {@code mon_host}) is reached over msgr1; with {@code ms_bind_msgr2 = false} every peer is.
 */
public final class AddressPolicy {
    private AddressPolicy() {
    }

    /** The address to dial, or null when {@code addrs} has none we can speak. */
    public static EntityAddr pick(EntityAddrVec addrs, boolean msgr2) {
        if (addrs == null) {
            return null;
        }
        if (msgr2) {
            EntityAddr v2 = addrs.first(EntityAddr.TYPE_MSGR2);
            if (v2 != null) {
                return v2;
            }
        }
        return addrs.first(EntityAddr.TYPE_LEGACY);
    }

    /** For error messages: what {@link #pick} looked for. */
    public static String wanted(boolean msgr2) {
        return msgr2 ? "a v2 or v1 address" : "a v1 address (ms_bind_msgr2 = false)";
    }
}
