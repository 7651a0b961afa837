package org.jceph.messenger;

import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;

/**
 * Which of a daemon's addresses a client dials, as Ceph chooses (AsyncMessenger::_filter_addrs and
 * should_use_msgr2, MonMap/OSDMap addrvecs): the first v2 address, else the first v1 (legacy) one.
 * A vector holding only a legacy address (a daemon with {@code ms_bind_msgr2 = false}, a {@code v1:}
 * or :6789 entry in {@code mon_host}) is reached over msgr1. A client never binds, so Ceph keeps it
 * on v2 even with {@code ms_bind_msgr2 = false}; jceph's {@code ms_jceph_force_msgr1} (like the
 * kernel's {@code ms_mode=legacy}) is the way to force msgr1 towards every peer.
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
        return msgr2 ? "a v2 or v1 address" : "a v1 address (ms_jceph_force_msgr1)";
    }
}
