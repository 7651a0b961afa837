package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** Monitor commands from pure Java: pools created and deleted, status and df, checked with the ceph CLI. */
@RealCluster
class RadosPoolsIT {
    private static RadosClient connect(CephCluster c) throws IOException {
        return RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
    }

    @Test
    void poolsWeCreateAndDeleteAreSeenByTheCephCli(CephCluster c) throws IOException {
        try (RadosClient client = connect(c)) {
            long id = client.createPool("jceph-made", 8);
            client.enableApplication("jceph-made", "rados");
            assertTrue(c.cephOrThrow("osd", "pool", "ls").lines().anyMatch("jceph-made"::equals));
            assertEquals(id, client.poolId("jceph-made"));
            assertTrue(client.listPools().containsValue("jceph-made"));
            client.ioCtx("jceph-made").writeFull("hello", new byte[] {42});
            assertEquals(42, client.ioCtx("jceph-made").read("hello", 0, 1)[0]);
            assertTrue(c.cephOrThrow("osd", "pool", "application", "get", "jceph-made").contains("rados"));
            client.deletePool("jceph-made");
            assertFalse(c.cephOrThrow("osd", "pool", "ls").lines().anyMatch("jceph-made"::equals));
            RadosException.PoolNotFoundException gone = assertThrows(RadosException.PoolNotFoundException.class,
                    () -> client.ioCtx("jceph-made"));
            assertEquals("pool 'jceph-made' does not exist: No such file or directory (ENOENT, errno -2)", gone.getMessage());
        }
    }

    @Test
    void statusAndDfComeBackAsJson(CephCluster c) throws IOException {
        try (RadosClient client = connect(c)) {
            JsonNode status = client.monCommandJson(Map.of("prefix", "status"));
            assertEquals(client.fsid().toString(), status.get("fsid").asText());
            assertEquals(3, status.at("/osdmap/num_up_osds").asInt(), status.toString());
            JsonNode df = client.monCommandJson(Map.of("prefix", "df"));
            assertTrue(df.at("/stats/total_bytes").asLong() > 0, df.toString());
            assertTrue(client.instanceId() > 0);
        }
    }

    @Test
    void aFailingCommandIsATypedErrorWithTheMonitorsReason(CephCluster c) throws IOException {
        try (RadosClient client = connect(c)) {
            RadosException e = assertThrows(RadosException.class,
                    () -> client.monCommandJson(Map.of("prefix", "osd pool get", "pool", "no-such-pool", "var", "size")));
            assertEquals(-2, e.errno());
            assertTrue(e.getMessage().contains("no-such-pool"), e.getMessage());
        }
    }
}
