package org.jceph.messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The message type table: Ceph's numbers, one entry per number, lookups that never throw. */
class MessageTypeTest {
    /**
     * Macro name and number, read from Ceph's headers: src/include/ceph_fs.h (CEPH_MSG_*; the
     * kernel's include/linux/ceph/ceph_fs.h agrees) and src/msg/Message.h (MSG_*), main branch.
     */
    private static final Map<String, Integer> CEPH = new LinkedHashMap<>();

    static {
        CEPH.put("CEPH_MSG_SHUTDOWN", 1);
        CEPH.put("CEPH_MSG_PING", 2);
        CEPH.put("CEPH_MSG_MON_MAP", 4);
        CEPH.put("CEPH_MSG_MON_GET_MAP", 5);
        CEPH.put("CEPH_MSG_MON_GET_OSDMAP", 6);
        CEPH.put("CEPH_MSG_MON_METADATA", 7);
        CEPH.put("CEPH_MSG_STATFS", 13);
        CEPH.put("CEPH_MSG_STATFS_REPLY", 14);
        CEPH.put("CEPH_MSG_MON_SUBSCRIBE", 15);
        CEPH.put("CEPH_MSG_MON_SUBSCRIBE_ACK", 16);
        CEPH.put("CEPH_MSG_AUTH", 17);
        CEPH.put("CEPH_MSG_AUTH_REPLY", 18);
        CEPH.put("CEPH_MSG_MON_GET_VERSION", 19);
        CEPH.put("CEPH_MSG_MON_GET_VERSION_REPLY", 20);
        CEPH.put("CEPH_MSG_OSD_MAP", 41);
        CEPH.put("CEPH_MSG_OSD_OP", 42);
        CEPH.put("CEPH_MSG_OSD_OPREPLY", 43);
        CEPH.put("CEPH_MSG_WATCH_NOTIFY", 44);
        CEPH.put("CEPH_MSG_POOLOP_REPLY", 48);
        CEPH.put("CEPH_MSG_POOLOP", 49);
        CEPH.put("MSG_MON_COMMAND", 50);
        CEPH.put("MSG_MON_COMMAND_ACK", 51);
        CEPH.put("MSG_LOG", 52);
        CEPH.put("MSG_LOGACK", 53);
        CEPH.put("MSG_GETPOOLSTATS", 58);
        CEPH.put("MSG_GETPOOLSTATSREPLY", 59);
        CEPH.put("CEPH_MSG_OSD_BACKOFF", 61);
        CEPH.put("MSG_CONFIG", 62);
        CEPH.put("MSG_GET_CONFIG", 63);
        CEPH.put("MSG_COMMAND", 97);
        CEPH.put("MSG_COMMAND_REPLY", 98);
        CEPH.put("MSG_MGR_OPEN", 0x700);
        CEPH.put("MSG_MGR_CONFIGURE", 0x701);
        CEPH.put("MSG_MGR_REPORT", 0x702);
        CEPH.put("MSG_MGR_MAP", 0x704);
        CEPH.put("MSG_MGR_COMMAND", 0x709);
        CEPH.put("MSG_MGR_COMMAND_REPLY", 0x70a);
    }

    @Test
    void everyTypeHasCephsNumberForItsMacro() {
        Map<String, Integer> ours = new LinkedHashMap<>();
        for (MessageType t : MessageType.values()) {
            ours.put(t.cephName(), t.number());
        }
        assertEquals(CEPH, ours);
    }

    @Test
    void numbersAreUniqueAndFitTheHeadersLe16() {
        Set<Integer> seen = new HashSet<>();
        for (MessageType t : MessageType.values()) {
            assertTrue(seen.add(t.number()), t + " repeats " + t.number());
            assertTrue(t.number() > 0 && t.number() <= 0xFFFF, t + ": " + t.number());
        }
    }

    @Test
    void byNumberFindsEachTypeAgain() {
        for (MessageType t : MessageType.values()) {
            assertEquals(Optional.of(t), MessageType.byNumber(t.number()));
            assertTrue(t.is(t.number()));
            assertEquals(t.className(), MessageType.nameOf(t.number()));
        }
    }

    @Test
    void unknownNumbersAreEmptyNotErrors() {
        for (int n : new int[] {0, 3, 40, 45, 64, 0x703, 0xFFFF, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(Optional.empty(), MessageType.byNumber(n), "type " + n);
            assertEquals("type " + n, MessageType.nameOf(n));
        }
        assertFalse(MessageType.OSD_OP.is(MessageType.OSD_OPREPLY.number()));
    }

    @Test
    void classNamesAreWhatDecodePrints() {
        assertEquals("MOSDOp", MessageType.OSD_OP.className());
        assertEquals("MOSDOpReply", MessageType.OSD_OPREPLY.className());
        assertEquals("MPoolOpReply", MessageType.POOLOP_REPLY.className());
        assertEquals("MMonGetOSDMap", MessageType.MON_GET_OSDMAP.className());
        assertEquals("MMgrMap", MessageType.MGR_MAP.className());
    }
}
