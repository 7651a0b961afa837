package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jceph.encoding.CephEncoder;
import org.junit.jupiter.api.Test;

/** The notify completion payload: replies and timed-out watchers keyed by WatcherId(gid, cookie). */
class NotifyResultDecodeTest {
    @Test
    void repliesAndMissedWatchersAreKeyedByGidAndCookie() {
        byte[] payload = CephEncoder.toBytes(e -> {
            e.writeU32Le(2);
            e.writeU64Le(4100).writeU64Le(7).writeBlob(new byte[] {'o', 'k'});
            e.writeU64Le(4101).writeU64Le(9).writeBlob(new byte[0]);
            e.writeU32Le(1);
            e.writeU64Le(4102).writeU64Le(11);
        });
        IoCtx.NotifyResult r = IoCtx.decodeNotifyResult(payload);
        assertEquals(List.of(new IoCtx.WatcherId(4100, 7), new IoCtx.WatcherId(4101, 9)), List.copyOf(r.replies().keySet()));
        assertArrayEquals(new byte[] {'o', 'k'}, r.replies().get(new IoCtx.WatcherId(4100, 7)));
        assertEquals(List.of(new IoCtx.WatcherId(4102, 11)), r.timedOut());
    }

    @Test
    void anOldOsdSendsNoMissedList() {
        byte[] payload = CephEncoder.toBytes(e -> e.writeU32Le(0));
        IoCtx.NotifyResult r = IoCtx.decodeNotifyResult(payload);
        assertEquals(0, r.replies().size());
        assertEquals(List.of(), r.timedOut());
    }
}
