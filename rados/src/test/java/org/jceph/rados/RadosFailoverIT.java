package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.types.PgId;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client follows the cluster: ops whose primary dies are resent once the map says where the
 * pg went, nothing acknowledged is lost, and a deleted pool fails its ops with ENOENT.
 */
// The fault-injection spec: ObservabilityIT, RadosFailoverIT, RadosWatchCheckIT, WatchFaultsIT and
// RadosModelIT ask for the very same cluster, so they share one (each leaves every OSD running).
@RealCluster(config = {"osd pool default min size = 2", "osd heartbeat grace = 6", "osd heartbeat interval = 2",
        "mon osd down out interval = 0", "osd pool default pg autoscale mode = off", "osd snap trim sleep = 0.005"})
class RadosFailoverIT {
    @TempDir
    Path tmp;

    private static RadosClient connect(CephCluster c) throws IOException {
        return RadosClient.connect(CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "120").build());
    }

    @Test
    void writesSurviveTheDeathOfTheirPrimary(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            IoCtx io = client.ioCtx(c.testPool());
            String victimObject = "failover-0";
            Placement p = new Placement(client.osdMap());
            PgId raw = p.objectToRawPg(io.poolId(), victimObject, "", "");
            int primary = p.pgToUpActing(raw).actingPrimary();
            for (int i = 0; i < 20; i++) {
                io.writeFull("failover-" + i, ("before " + i).getBytes(StandardCharsets.UTF_8));
            }
            c.killOsd(primary);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                writes.add(io.writeFullAsync("failover-" + i, ("after " + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            int newPrimary = new Placement(client.osdMap()).pgToUpActing(raw).actingPrimary();
            assertEquals(false, newPrimary == primary, "the pg moved to another OSD");
            for (int i = 0; i < 20; i++) {
                assertEquals("after " + i, new String(io.read("failover-" + i, 0, 100), StandardCharsets.UTF_8));
            }
            c.startOsd(primary);
            c.waitForCleanPgs(Duration.ofSeconds(120));
            Path got = tmp.resolve("got");
            c.radosOrThrow("-p", c.testPool(), "get", victimObject, got.toString());
            assertArrayEquals("after 0".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(got));
        }
    }

    /**
     * Monitor queries asked while the monitor goes away and comes back are answered by the next
     * session, never failed with the dying connection's EIO: a version request (MMonGetVersion, what
     * waitForLatestOsdMap asks) sent in the moment the connection died was lost until 0124870, as
     * CI once saw after a monitor restart. Queries run back to back on a second thread across two
     * killed-and-restarted monitors.
     */
    @Test
    void monitorQueriesAcrossMonitorRestartsAreAnsweredNotFailed(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Void> asker = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    client.waitForLatestOsdMap(Duration.ofSeconds(60));
                    answered.incrementAndGet();
                }
            });
            for (int round = 0; round < 2; round++) {
                int before = answered.get();
                c.restartMon(true);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (answered.get() <= before + 2 && System.nanoTime() < deadline && !asker.isDone()) {
                    Thread.sleep(20);
                }
            }
            stop.set(true);
            asker.get(90, TimeUnit.SECONDS); // rethrows what the asking thread hit
            assertEquals(true, answered.get() > 4, "queries answered: " + answered.get());
        }
    }

    @Test
    void opsOnADeletedPoolFailWithEnoent(CephCluster c) throws Exception {
        c.cephOrThrow("osd", "pool", "create", "doomed", "8");
        c.cephOrThrow("osd", "pool", "application", "enable", "doomed", "rados");
        c.waitForCleanPgs(Duration.ofSeconds(120));
        try (RadosClient client = connect(c)) {
            waitFor(() -> client.osdMap().poolNames().containsValue("doomed"));
            IoCtx io = client.ioCtx("doomed");
            io.writeFull("x", new byte[] {1});
            c.cephOrThrow("osd", "pool", "delete", "doomed", "doomed", "--yes-i-really-really-mean-it");
            waitFor(() -> client.osdMap().pool(io.poolId()) == null);
            RadosException e = assertThrows(RadosException.class, () -> io.writeFull("x", new byte[] {2}));
            assertEquals(-2, e.errno(), e.getMessage());
        }
    }

    /** Polls a condition the client's map updates will make true, for at most 30 s. */
    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the client's map did not change within 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void aWatchSurvivesTheDeathOfItsPrimary(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("watched-fail", new byte[0]);
            java.util.concurrent.LinkedBlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
            io.watch("watched-fail", (id, gid, payload) -> {
                heard.add(org.jceph.encoding.CephDecoder.of(payload, "msg").readString());
                return new byte[0];
            });
            c.radosOrThrow("-p", c.testPool(), "notify", "watched-fail", "before");
            assertEquals("before", heard.poll(30, TimeUnit.SECONDS));
            Placement p = new Placement(client.osdMap());
            int primary = p.pgToUpActing(p.objectToRawPg(io.poolId(), "watched-fail", "", "")).actingPrimary();
            c.killOsd(primary);
            client.waitForMap(m -> !m.isUp(primary), Duration.ofSeconds(90));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String got = null;
            while (got == null && System.nanoTime() < deadline) {
                c.rados(Duration.ofSeconds(20), "-p", c.testPool(), "notify", "watched-fail", "after");
                got = heard.poll(2, TimeUnit.SECONDS);
            }
            assertEquals("after", got, "the watch was re-registered on the new primary");
            c.startOsd(primary);
            c.waitForCleanPgs(Duration.ofSeconds(120));
        }
    }
}
