package org.jceph.rados.internal;

import static org.jceph.rados.internal.OsdOpGoldenBytesTest.assertFields;
import static org.jceph.rados.internal.OsdOpGoldenBytesTest.load;
import static org.jceph.rados.internal.OsdOpGoldenBytesTest.messages;
import static org.jceph.rados.internal.OsdOpGoldenBytesTest.only;
import static org.jceph.rados.internal.OsdOpGoldenBytesTest.table;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.rados.ClusterStat;
import org.jceph.rados.PoolStat;
import org.jceph.rados.internal.OsdOpGoldenBytesTest.MessageFrame;
import org.junit.jupiter.api.Test;

/**
 * MGetPoolStats, MStatfs and their replies pinned to what {@code rados df} of Pacific 16.2.15
 * sent to and got from its monitor, captured on loopback in msgr2 crc mode (fixtures/README.md,
 * pacific-16.2.15-rados-df-mon-crc). Requests: our encoder must produce librados' front byte for
 * byte (each field named); replies: our decoder must read the monitor's fields.
 */
class StatMessagesGoldenBytesTest {
    private static final UUID FSID = UUID.fromString("9d132f7d-2ecb-4aef-a33d-ab3c0b52a373");
    private static final String FSID_HEX = "9d132f7d2ecb4aefa33dab3c0b52a373";
    /** The stats version the monitor named in its first reply; librados sends it back in the next request. */
    private static final long SEEN_VERSION = 0x4e9;

    private static List<MessageFrame> client() throws Exception {
        return messages(load("pacific-16.2.15-rados-df-mon-crc-client.bin"));
    }

    private static List<MessageFrame> server() throws Exception {
        return messages(load("pacific-16.2.15-rados-df-mon-crc-server.bin"));
    }

    /** header2's version (offset 20) and compat_version (offset 37). */
    private static int[] versions(MessageFrame f) {
        byte[] h = f.header();
        return new int[] {(h[20] & 0xFF) | (h[21] & 0xFF) << 8, (h[37] & 0xFF) | (h[38] & 0xFF) << 8};
    }

    @Test
    void getPoolStatsIsLibradosFront() throws Exception {
        MessageFrame theirs = only(client(), MessageType.GETPOOLSTATS.number());
        String[][] fields = {
            {"PaxosServiceMessage.version", "0000000000000000"},
            {"deprecated_session_mon", "ffff"},
            {"deprecated_session_mon_tid", "0000000000000000"},
            {"fsid", FSID_HEX},
            {"pools.count", "03000000"},
            {"pools[0]", "15000000" + hex("device_health_metrics")},
            {"pools[1]", "0a000000" + hex("jceph-test")},
            {"pools[2]", "03000000" + hex("rbd")},
        };
        assertFields(fields, theirs.front(), "librados");
        assertArrayEquals(table(fields), theirs.front());
        Message ours = MonStatMessages.poolStats(FSID, List.of("device_health_metrics", "jceph-test", "rbd"));
        assertFields(fields, ours.front(), "jceph");
        assertArrayEquals(table(fields), ours.front());
        assertArrayEquals(versions(theirs), new int[] {ours.version(), ours.compatVersion()});
    }

    @Test
    void statfsIsLibradosFrontWithTheLastSeenVersion() throws Exception {
        MessageFrame theirs = only(client(), MessageType.STATFS.number());
        String[][] fields = {
            {"PaxosServiceMessage.version", "e904000000000000"},
            {"deprecated_session_mon", "ffff"},
            {"deprecated_session_mon_tid", "0000000000000000"},
            {"fsid", FSID_HEX},
            {"data_pool (optional, none)", "00"},
        };
        assertFields(fields, theirs.front(), "librados");
        assertArrayEquals(table(fields), theirs.front());
        Message ours = MonStatMessages.statfs(FSID, SEEN_VERSION);
        assertFields(fields, ours.front(), "jceph");
        assertArrayEquals(versions(theirs), new int[] {ours.version(), ours.compatVersion()});
    }

    @Test
    void statfsReplyDecodes() throws Exception {
        MessageFrame theirs = only(server(), MessageType.STATFS_REPLY.number());
        String[][] fields = {
            {"fsid", FSID_HEX},
            {"version", "e904000000000000"},
            {"kb", "0000600000000000"},
            {"kb_used", "fcbe1b0000000000"},
            {"kb_avail", "0341440000000000"},
            {"num_objects", "cf00000000000000"},
        };
        assertFields(fields, theirs.front(), "monitor");
        assertArrayEquals(table(fields), theirs.front());
        ClusterStat s = MonStatMessages.decodeStatfs(Message.of(MessageType.STATFS_REPLY.number(), versions(theirs)[0],
                versions(theirs)[1], theirs.front()));
        assertEquals(new ClusterStat(0x600000L, 0x1bbefcL, 0x444103L, 0xcf), s);
        assertEquals(SEEN_VERSION, MonStatMessages.statsVersionOf(MessageType.STATFS_REPLY.number(), theirs.front()));
    }

    @Test
    void poolStatsReplyDecodesEveryPool() throws Exception {
        MessageFrame theirs = only(server(), MessageType.GETPOOLSTATSREPLY.number());
        int[] v = versions(theirs);
        assertEquals(2, v[0], "v2 adds per_pool");
        Map<String, PoolStat> stats = MonStatMessages.decodePoolStats(
                Message.of(MessageType.GETPOOLSTATSREPLY.number(), v[0], v[1], theirs.front()));
        assertEquals(List.of("device_health_metrics", "jceph-test", "rbd"), List.copyOf(stats.keySet()));
        PoolStat rbd = stats.get("rbd");
        assertEquals(0xcf, rbd.objects()); // 207, as the statfs reply's num_objects (the only pool with data)
        assertEquals(0x18b1e47fL, rbd.storedBytes());
        assertEquals(0, stats.get("jceph-test").objects());
        assertEquals(SEEN_VERSION, MonStatMessages.statsVersionOf(MessageType.GETPOOLSTATSREPLY.number(), theirs.front()));
    }

    private static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
