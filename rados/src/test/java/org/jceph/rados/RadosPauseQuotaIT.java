package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.PgPool;
import org.junit.jupiter.api.Test;

/** The Objecter obeys the cluster: paused ops wait for unpause; writes to a pool over quota fail with EDQUOT. */
@RealCluster(config = {"mon pg warn min per osd = 0"})
class RadosPauseQuotaIT {
    @Test
    void pausedWritesAndReadsWaitAndThenComplete(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("paused", new byte[] {1});
            c.cephOrThrow("osd", "pause");
            client.waitForMap(m -> (m.flags() & 0xC) == 0xC, Duration.ofSeconds(30));
            CompletableFuture<Void> write = io.writeFullAsync("paused", new byte[] {2});
            CompletableFuture<byte[]> read = io.readAsync("paused", 0, 1);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> write.get(2, TimeUnit.SECONDS),
                    "held while paused");
            c.cephOrThrow("osd", "unpause");
            write.get(60, TimeUnit.SECONDS);
            read.get(60, TimeUnit.SECONDS);
            assertEquals(2, io.read("paused", 0, 1)[0]);
        }
    }

    @Test
    void writesToAPoolOverItsQuotaAreEdquot(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            long pool = client.createPool("quota", 8);
            client.enableApplication("quota", "rados");
            c.cephOrThrow("osd", "pool", "set-quota", "quota", "max_objects", "2");
            IoCtx io = client.ioCtx("quota");
            for (int i = 0; i < 4; i++) {
                io.writeFull("q" + i, new byte[] {(byte) i});
            }
            client.waitForMap(m -> m.pool(pool).hasFlag(PgPool.FLAG_FULL_QUOTA), Duration.ofSeconds(90));
            RadosException.NoSpaceException e = assertThrows(RadosException.NoSpaceException.class,
                    () -> io.writeFull("q9", new byte[] {9}));
            assertEquals(-122, e.errno(), e.getMessage());
            assertTrue(e.quota(), "EDQUOT is the quota's, not a full cluster's");
            assertTrue(e.getMessage().contains("Disk quota exceeded"), e.getMessage());
            assertEquals(1, io.read("q1", 0, 1)[0], "reads still work");
        }
    }
}
