package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** The MonClient side of RadosClient against the live monitor, checked with the ceph and rados CLIs. */
@RealCluster(config = {"mon pg warn min per osd = 0"})
class RadosMonClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RadosClient connect(CephCluster c) throws Exception {
        return RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
    }

    @Test
    void huntingSkipsAnUnreachableMonitorWithinTheConnectTimeout(CephCluster c) throws Exception {
        // TEST-NET-1 blackholes: nothing answers, nothing refuses; the real monitor comes second
        String hosts = "v2:192.0.2.1:3300,v2:" + c.monV2().getHostString() + ":" + c.monV2().getPort();
        CephConfig cfg = CephConfig.builder().confFile(c.confPath()).monHost(hosts)
                .set("ms_connection_ready_timeout", "2").build();
        long t0 = System.nanoTime();
        try (RadosClient client = RadosClient.connect(cfg)) {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 2000 + 5000, "connected after " + ms + " ms");
            assertEquals(c.fsid(), client.fsid().toString());
            client.ioCtx(c.testPool()).writeFull("hunted", new byte[] {1});
        }
    }

    @Test
    void fsidInstanceIdMonmapAndConfig(CephCluster c) throws Exception {
        c.cephOrThrow("config", "set", "client", "rados_osd_op_timeout", "77");
        try (RadosClient a = connect(c); RadosClient b = connect(c)) {
            assertEquals(c.fsid(), a.fsid().toString());
            assertTrue(a.instanceId() > 0);
            assertNotEquals(a.instanceId(), b.instanceId(), "each client has its own global id");
            JsonNode monDump = JSON.readTree(c.cephOrThrow("mon", "dump", "-f", "json"));
            assertNotNull(a.monMap());
            assertEquals(monDump.get("epoch").asLong(), a.monMap().epoch());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"77".equals(a.centralConfig().get("rados_osd_op_timeout")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("77", a.centralConfig().get("rados_osd_op_timeout"), a.centralConfig().toString());
            // a change made now reaches the standing subscription
            long updates = a.centralConfigUpdates();
            c.cephOrThrow("config", "set", "client", "rados_osd_op_timeout", "78");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"78".equals(a.centralConfig().get("rados_osd_op_timeout")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("78", a.centralConfig().get("rados_osd_op_timeout"));
            assertTrue(a.centralConfigUpdates() > updates);
        } finally {
            c.cephOrThrow("config", "rm", "client", "rados_osd_op_timeout");
        }
    }

    @Test
    void waitForLatestOsdMapCatchesUpWithTheMonitor(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            c.cephOrThrow("osd", "pool", "create", "latest", "4");
            long epoch = JSON.readTree(c.cephOrThrow("osd", "dump", "-f", "json")).get("epoch").asLong();
            long newest = client.waitForLatestOsdMap(Duration.ofSeconds(30));
            assertTrue(newest >= epoch, newest + " < " + epoch);
            assertTrue(client.osdMap().epoch() >= epoch);
            assertTrue(client.osdMap().poolNames().containsValue("latest"));
        }
    }

    @Test
    void clusterAndPoolStatsMatchTheCli(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            client.createPool("stats", 8);
            client.enableApplication("stats", "rados");
            IoCtx io = client.ioCtx("stats");
            for (int i = 0; i < 5; i++) {
                io.writeFull("s" + i, new byte[1000]);
            }
            ClusterStat cs = client.clusterStat();
            JsonNode df = JSON.readTree(c.cephOrThrow("df", "-f", "json"));
            assertEquals(df.path("stats").path("total_bytes").asLong() / 1024, cs.kb(), cs.toString());
            assertTrue(cs.kbAvail() > 0 && cs.kbAvail() <= cs.kb(), cs.toString());

            // the mgr reports pool stats every few seconds: wait until the CLI sees the objects
            JsonNode theirs = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (JsonNode p : JSON.readTree(c.radosOrThrow("df", "-f", "json")).path("pools")) {
                    if (p.path("name").asText().equals("stats") && p.path("num_objects").asLong() == 5) {
                        theirs = p;
                    }
                }
                if (theirs != null) {
                    break;
                }
                Thread.sleep(500);
            }
            assertNotNull(theirs, "rados df never showed the 5 objects");
            Map<String, PoolStat> ours = client.poolStats(List.of("stats"));
            PoolStat s = ours.get("stats");
            assertEquals(5, s.objects(), s.toString());
            assertEquals(theirs.path("num_object_copies").asLong(), s.copies(), s.toString());
            assertEquals(theirs.path("size_bytes").asLong(), s.usedBytes(), theirs + " vs " + s);
            assertEquals(theirs.path("write_ops").asLong(), s.writeOps(), theirs + " vs " + s);
        }
    }
}
