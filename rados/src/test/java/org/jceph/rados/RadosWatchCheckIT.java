package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.testlog.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * watch_check through an OSD kill: the watch is reported broken (typed, ENOTCONN) while its
 * primary is gone, and confirmed again (less than a ping period ago) once it is re-registered
 * with the new primary; a throwing listener is logged at WARN and counted.
 */
// The fault-injection spec: ObservabilityIT, RadosFailoverIT, RadosWatchCheckIT, WatchFaultsIT and
// RadosModelIT ask for the very same cluster, so they share one (each leaves every OSD running).
@RealCluster(config = {"osd pool default min size = 2", "osd heartbeat grace = 6", "osd heartbeat interval = 2",
        "mon osd down out interval = 0", "osd pool default pg autoscale mode = off", "osd snap trim sleep = 0.005"})
class RadosWatchCheckIT {
    @Test
    void aBrokenWatchIsReportedUntilItIsReRegistered(CephCluster c) throws Exception {
        LogCapture.clear();
        try (RadosClient client = RadosClient.connect(CephConfig.builder().confFile(c.confPath())
                .set("rados_osd_op_timeout", "120").build())) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("checked", new byte[0]);
            long cookie = io.watch("checked", (id, gid, payload) -> {
                throw new IllegalArgumentException("listener bug");
            });
            assertTrue(io.watchCheck(cookie).compareTo(Duration.ofSeconds(6)) < 0);
            IoCtx.NotifyResult r = io.notify("checked", "x".getBytes(StandardCharsets.UTF_8), 10);
            assertEquals(1, r.replies().size());
            assertEquals(1, client.metrics().getWatchListenerErrors());
            assertFalse(LogCapture.events().stream().filter(e -> e.level() == org.slf4j.event.Level.WARN
                    && e.logger().equals(IoCtx.class.getName()) && e.message().contains("the listener's onNotify threw"))
                    .toList().isEmpty(), "the listener's exception is logged at WARN");

            int primary = client.primaryOf(io, "checked");
            c.killOsd(primary);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                boolean sawBroken = false;
                while (!sawBroken && System.nanoTime() < deadline) {
                    try {
                        io.watchCheck(cookie);
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    } catch (RadosException.WatchBrokenException e) {
                        assertEquals(-107, e.errno());
                        assertTrue(e.getMessage().contains("osd." + primary), e.getMessage());
                        sawBroken = true;
                    }
                }
                assertTrue(sawBroken, "the watch is reported broken once its session to osd." + primary + " failed");

                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                Duration since = null;
                while (since == null && System.nanoTime() < deadline) {
                    try {
                        since = io.watchCheck(cookie);
                    } catch (RadosException.WatchBrokenException e) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                    }
                }
                assertTrue(since != null && since.compareTo(Duration.ofSeconds(6)) < 0,
                        "re-registered with the new primary and confirmed: " + since);
                assertEquals(1, io.notify("checked", "y".getBytes(StandardCharsets.UTF_8), 10).replies().size());
            } finally {
                c.startOsd(primary);
            }
            io.unwatch("checked", cookie);
        }
    }
}
