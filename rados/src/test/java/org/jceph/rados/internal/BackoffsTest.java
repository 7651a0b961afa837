package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jceph.encoding.types.HObject;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.junit.jupiter.api.Test;

class BackoffsTest {
    private static HObject bound(long pool, long hash) {
        return new HObject("", "", 0, hash, false, "", pool, HObject.VERSION);
    }

    private static final HObject MAX = new HObject("", "", 0, 0, true, "", -1, HObject.VERSION);

    @Test
    void theOrderIsTheBitReversedHashThenNamespaceKeyAndName() {
        // pg 3.1 of 8 covers reversed hashes [0x80000000, 0xa0000000): the OSD prints 3:80000000::::0
        HObject a = Backoffs.target(3, "", "", "a", Integer.reverse(0x80000001) & 0xFFFFFFFFL);
        HObject start = bound(3, Integer.reverse(0x80000000) & 0xFFFFFFFFL);
        HObject end = bound(3, Integer.reverse(0xa0000000) & 0xFFFFFFFFL);
        assertTrue(Backoffs.compare(start, a) < 0);
        assertTrue(Backoffs.compare(a, end) < 0);
        assertTrue(Backoffs.compare(end, MAX) < 0, "max sorts last");
        assertTrue(Backoffs.compare(bound(2, 0), bound(3, 0)) < 0, "pool before hash");
        HObject n1 = Backoffs.target(3, "ns1", "", "x", 5);
        HObject n2 = Backoffs.target(3, "ns2", "", "a", 5);
        assertTrue(Backoffs.compare(n1, n2) < 0, "namespace before name");
        HObject k = Backoffs.target(3, "", "b", "a", 5);
        HObject noKey = Backoffs.target(3, "", "", "c", 5);
        assertTrue(Backoffs.compare(k, noKey) < 0, "effective key b < c");
        assertTrue(Backoffs.compare(Backoffs.target(3, "", "", "\u00e9", 5), Backoffs.target(3, "", "", "z", 5)) > 0,
                "names compare as unsigned bytes");
    }

    @Test
    void aBlockHoldsItsRangeAndSingleObjectBlocksHoldOnlyThatObject() {
        PgId pg = new PgId(3, 1);
        HObject start = bound(3, Integer.reverse(0x80000000) & 0xFFFFFFFFL);
        HObject end = bound(3, Integer.reverse(0xa0000000) & 0xFFFFFFFFL);
        Backoffs.Table t = new Backoffs.Table();
        t.block(new Backoffs.Backoff(new SPgId(pg, -1), 17, Backoffs.OP_BLOCK, 1, start, end));
        HObject inside = Backoffs.target(3, "", "", "o", Integer.reverse(0x90000000) & 0xFFFFFFFFL);
        HObject outside = Backoffs.target(3, "", "", "o", Integer.reverse(0xa0000001) & 0xFFFFFFFFL);
        assertNotNull(t.blocking(pg, inside));
        assertNull(t.blocking(pg, outside));
        assertNull(t.blocking(new PgId(3, 2), inside), "blocks are per pg");
        HObject one = Backoffs.target(3, "", "", "one", 7);
        t.block(new Backoffs.Backoff(new SPgId(new PgId(3, 7), -1), 17, Backoffs.OP_BLOCK, 2, one, one));
        assertNotNull(t.blocking(new PgId(3, 7), one));
        assertNull(t.blocking(new PgId(3, 7), Backoffs.target(3, "", "", "two", 7)));
        assertEquals(2, t.size());
        assertNotNull(t.unblock(1));
        assertNull(t.blocking(pg, inside));
        assertNull(t.unblock(1), "an unknown id is ignored");
        assertEquals(1, t.size());
    }

    @Test
    void theAckEchoesTheBlockAndRoundTrips() {
        Backoffs.Backoff block = new Backoffs.Backoff(new SPgId(new PgId(3, 1), -1), 17, Backoffs.OP_BLOCK, 42,
                bound(3, 1), MAX);
        Message ack = Backoffs.ackFor(block);
        assertEquals(MessageType.OSD_BACKOFF.number(), ack.type());
        Backoffs.Backoff back = Backoffs.decode(ack);
        assertEquals(Backoffs.OP_ACK_BLOCK, back.op());
        assertEquals(block.pgid(), back.pgid());
        assertEquals(17, back.epoch());
        assertEquals(42, back.id());
        assertEquals(0, Backoffs.compare(block.begin(), back.begin()));
        assertEquals(0, Backoffs.compare(block.end(), back.end()));
    }

    @Test
    void everyTruncationOfABackoffIsATypedDecodeError() {
        Message whole = Backoffs.ackFor(new Backoffs.Backoff(new SPgId(new PgId(3, 1), -1), 17, Backoffs.OP_BLOCK, 42,
                bound(3, 1), MAX));
        for (int n = 0; n < whole.front().length; n++) {
            byte[] cut = java.util.Arrays.copyOf(whole.front(), n);
            org.junit.jupiter.api.Assertions.assertThrows(org.jceph.encoding.DecodeException.class,
                    () -> Backoffs.decode(new Message(61, 1, 1, 63, 0, 0, cut, new byte[0], new byte[0])), "cut at " + n);
        }
    }
}
