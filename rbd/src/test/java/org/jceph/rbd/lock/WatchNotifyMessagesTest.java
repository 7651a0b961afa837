package org.jceph.rbd.lock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.jceph.rbd.lock.WatchNotifyMessages.ClientId;
import org.jceph.rbd.lock.WatchNotifyMessages.Notification;
import org.junit.jupiter.api.Test;

/** librbd's NotifyMessage / ResponseMessage bytes, written out by hand from WatchNotifyTypes. */
class WatchNotifyMessagesTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void requestLockIsEnvelopeV7OpTwoClientIdAndForce() {
        // ENCODE_START(7, 1) + u32 len 21 | u32 op 2 | u64 gid 1 | u64 handle 2 | bool force
        byte[] want = hex("07 01 15000000 02000000 0100000000000000 0200000000000000 01");
        assertArrayEquals(want, WatchNotifyMessages.requestLock(new ClientId(1, 2), true));
        Notification n = WatchNotifyMessages.decode(want);
        assertEquals(WatchNotifyMessages.REQUEST_LOCK, n.op());
        assertEquals(new ClientId(1, 2), n.client());
        assertTrue(n.force());
    }

    @Test
    void acquiredAndReleasedCarryOnlyTheClientId() {
        assertArrayEquals(hex("07 01 14000000 00000000 d204000000000000 ffffffffffffffff"),
                WatchNotifyMessages.acquiredLock(new ClientId(1234, -1)));
        assertArrayEquals(hex("07 01 14000000 01000000 0500000000000000 0600000000000000"),
                WatchNotifyMessages.releasedLock(new ClientId(5, 6)));
        assertArrayEquals(hex("07 01 04000000 03000000"), WatchNotifyMessages.headerUpdate());
    }

    @Test
    void snapCreateRequestsAndAsyncRepliesAreLibrbdsV7Payloads() {
        // ENCODE_START(7, 1) | op 8 | string "s1" | SnapshotNamespace ENCODE_START(1, 1) {u32 type 0 (user)}
        // | AsyncRequestId {ClientId {gid 9, handle 10}, request 3} | u64 flags 0
        byte[] req = hex("07 01 34000000 08000000 02000000 7331 0101 04000000 00000000"
                + " 0900000000000000 0a00000000000000 0300000000000000 0000000000000000");
        WatchNotifyMessages.SnapCreateRequest r = WatchNotifyMessages.decodeSnapCreate(req);
        assertEquals("s1", r.snapName());
        assertArrayEquals(hex("0101 04000000 00000000"), r.namespace());
        assertEquals(new WatchNotifyMessages.AsyncRequestId(new ClientId(9, 10), 3), r.id());
        assertEquals(0, r.flags());
        assertEquals(WatchNotifyMessages.SNAP_CREATE, WatchNotifyMessages.decode(req).op());
        // a v6 sender (no request id) and other ops are not ours to run
        assertNull(WatchNotifyMessages.decodeSnapCreate(hex("06 01 14000000 08000000 02000000 7331 0101 04000000 00000000")));
        assertNull(WatchNotifyMessages.decodeSnapCreate(WatchNotifyMessages.headerUpdate()));
        // ASYNC_PROGRESS {id, offset, total} and ASYNC_COMPLETE {id, s32 result}
        WatchNotifyMessages.AsyncRequestId id = r.id();
        assertArrayEquals(hex("07 01 2c000000 04000000 0900000000000000 0a00000000000000 0300000000000000"
                + " 0100000000000000 0a00000000000000"), WatchNotifyMessages.asyncProgress(id, 1, 10));
        assertArrayEquals(hex("07 01 20000000 05000000 0900000000000000 0a00000000000000 0300000000000000 efffffff"),
                WatchNotifyMessages.asyncComplete(id, -17));
    }

    @Test
    void olderVersionsAndUnknownOpsDecode() {
        // version 1 lock messages had no client id; a later, longer payload is skipped by its length
        Notification v1 = WatchNotifyMessages.decode(hex("01 01 04000000 02000000"));
        assertEquals(new ClientId(0, 0), v1.client());
        Notification other = WatchNotifyMessages.decode(hex("09 01 08000000 08000000 aabbccdd"));
        assertEquals(8, other.op());
        assertNull(other.client());
        assertTrue(WatchNotifyMessages.isOwnerRequest(other.op()));
    }

    @Test
    void responseMessageIsAnS32InAnEnvelope() {
        assertArrayEquals(hex("01 01 04000000 a1ffffff"), WatchNotifyMessages.response(-95));
        assertEquals(-95, WatchNotifyMessages.decodeResponse(hex("01 01 04000000 a1ffffff")));
    }
}
