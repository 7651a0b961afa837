package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** Erasure-coded pools with a profile, quotas and application metadata, cross-checked with the ceph tool. */
@RealCluster
class RadosPoolManagementIT {
    @Test
    void erasurePoolsQuotasAndApplicationMetadata(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            client.setErasureCodeProfile("jceph-k2m1", Map.of("k", "2", "m", "1", "crush-failure-domain", "osd"));
            assertEquals("2", client.erasureCodeProfiles().get("jceph-k2m1").get("k"));
            assertTrue(c.cephOrThrow("osd", "erasure-code-profile", "get", "jceph-k2m1").contains("m=1"));
            long id = client.createErasurePool("jceph-ec", 8, "jceph-k2m1");
            assertTrue(client.osdMap().pool(id).isErasure());
            assertEquals("jceph-k2m1", c.cephOrThrow("osd", "pool", "get", "jceph-ec", "erasure_code_profile").split(":")[1].trim());
            IoCtx ec = client.ioCtx("jceph-ec");
            byte[] data = "striped over k=2 data chunks and m=1 coding chunk".getBytes(StandardCharsets.UTF_8);
            ec.writeFull("ec-object", data);
            assertArrayEquals(data, ec.read("ec-object", 0, 0));

            String pool = c.testPool();
            client.setPoolQuota(pool, new RadosClient.PoolQuota(1000, 10L << 20));
            assertEquals(new RadosClient.PoolQuota(1000, 10L << 20), client.poolQuota(pool));
            String shown = c.cephOrThrow("osd", "pool", "get-quota", pool);
            assertTrue(shown.contains("1k objects") || shown.contains("1000 objects") || shown.contains("1000"), shown);
            client.setPoolQuota(pool, new RadosClient.PoolQuota(0, 0));
            assertEquals(new RadosClient.PoolQuota(0, 0), client.poolQuota(pool));
            assertThrows(IllegalArgumentException.class, () -> new RadosClient.PoolQuota(-1, 0));

            client.enableApplication(pool, "jceph-app");
            assertTrue(client.applications(pool).contains("jceph-app"));
            client.applicationMetadataSet(pool, "jceph-app", "owner", "team-a");
            assertEquals(Map.of("owner", "team-a"), client.applicationMetadata(pool, "jceph-app"));
            assertTrue(c.cephOrThrow("osd", "pool", "application", "get", pool, "jceph-app").contains("team-a"));
            client.applicationMetadataRemove(pool, "jceph-app", "owner");
            assertEquals(Map.of(), client.applicationMetadata(pool, "jceph-app"));
            assertThrows(RadosException.NotFoundException.class, () -> client.applicationMetadata(pool, "no-such-app"));
            assertThrows(RadosException.PoolNotFoundException.class, () -> client.poolQuota("no-such-pool"));
        }
    }

    @Test
    void osdCommandAsCephTellDoes(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            String ours = client.osdCommand(0, "{\"prefix\": \"version\"}");
            String theirs = c.cephOrThrow("tell", "osd.0", "version");
            assertTrue(ours.contains("\"version\"") && ours.contains("16.2."), ours);
            assertTrue(theirs.contains("16.2."), theirs);
            RadosException bad = assertThrows(RadosException.class, () -> client.osdCommand(1, "{\"prefix\": \"no such command\"}"));
            assertTrue(bad.getMessage().contains("osd.1 command"), bad.getMessage());
            assertThrows(RadosException.NotFoundException.class, () -> client.osdCommand(99, "{\"prefix\": \"version\"}"));
        }
    }

    @Test
    void mgrCommandReachesTheActiveMgr(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            // pg stat is answered by the mgr's own (C++) command table, not by the monitors
            String ours = client.mgrCommand("{\"prefix\": \"pg stat\", \"format\": \"json\"}");
            String theirs = c.cephOrThrow("pg", "stat", "--format", "json");
            assertTrue(ours.contains("\"num_pgs\"") && theirs.contains("\"num_pgs\""), ours + " / " + theirs);
            // a second command reuses the session
            assertTrue(client.mgrCommandAsync("{\"prefix\": \"pg stat\", \"format\": \"json\"}", new byte[0])
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).contains("\"num_pgs\""));
            RadosException bad = assertThrows(RadosException.class, () -> client.mgrCommand("{\"prefix\": \"no such mgr command\"}"));
            assertTrue(bad.getMessage().contains("mgr command"), bad.getMessage());
        }
    }
}
