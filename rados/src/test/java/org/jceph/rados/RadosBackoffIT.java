package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MOSDBackoff on the live cluster. A pool with min_size equal to its size loses an OSD: its pgs
 * stay "peered" but not active, and a Pacific primary then answers a client that advertises
 * RADOS_BACKOFF with a pg-wide BLOCK instead of queueing the op (PrimaryLogPG::do_request). We ack,
 * hold the ops, and send them again once the OSD returns and lifts the block: every op completes,
 * with the right bytes, and the blocks were really seen.
 */
// RadosBackoffIT, RadosRedirectIT and RadosMapChangesIT ask for the very same cluster, so they share one.
@RealCluster(config = {"mon pg warn min per osd = 0", "osd pool default min size = 1",
        "osd heartbeat grace = 6", "osd heartbeat interval = 2", "mon allow pool delete = true", "debug osd = 10"})
class RadosBackoffIT {
    @TempDir
    Path tmp;

    @Test
    void opsBlockedByAnOsdAreHeldAndCompleteWhenItUnblocks(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.builder().confFile(c.confPath())
                .set("rados_osd_op_timeout", "180").build())) {
            long pool = client.createPool("backoff", 8);
            client.enableApplication("backoff", "rados");
            c.cephOrThrow("osd", "pool", "set", "backoff", "size", "3");
            c.cephOrThrow("osd", "pool", "set", "backoff", "min_size", "3");
            c.waitForCleanPgs(Duration.ofSeconds(120));
            IoCtx io = client.ioCtx("backoff");
            int n = 24;
            for (int i = 0; i < n; i++) {
                io.writeFull("bo-" + i, bytes("before " + i));
            }

            c.stopOsd(2);
            client.waitForMap(m -> !m.isUp(2), Duration.ofSeconds(60));
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                writes.add(io.writeFullAsync("bo-" + i, bytes("during " + i)));
                reads.add(io.readAsync("bo-" + i, 0, 100));
            }
            // every op above reached its primary before the block: the OSD dropped them, and they go
            // again on UNBLOCK. Ops submitted from now on are held here, never sent.
            waitFor(() -> client.stats().activeBackoffs() == 8, Duration.ofSeconds(60), "a BLOCK on each of the 8 pgs");
            List<CompletableFuture<Void>> late = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                late.add(io.writeFullAsync("late-" + i, bytes("late " + i)));
            }
            Thread.sleep(2000);
            RadosClient.Stats held = client.stats();
            assertTrue(held.activeBackoffs() > 0, "blocks are recorded: " + held);
            assertTrue(held.opsHeldByBackoff() > 0, "ops are held, not sent: " + held);
            assertFalse(writes.stream().anyMatch(CompletableFuture::isDone), "nothing completes while blocked");
            assertEquals(3 * n, client.opsInFlight(), "no op lost while blocked");
            assertTrue(held.opsHeldByBackoff() >= n, "each late op was held: " + held);

            c.startOsd(2);
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            CompletableFuture.allOf(late.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            RadosClient.Stats after = client.stats();
            assertTrue(after.backoffUnblocks() > 0, "the OSD lifted its blocks: " + after);
            assertEquals(0, client.opsInFlight());
            for (int i = 0; i < n; i++) {
                // a read in flight with a write may see either: the OSD runs a read of a degraded
                // object at once while the write waits for its recovery (seen in osd.N.log)
                String r = new String(reads.get(i).get(), StandardCharsets.UTF_8);
                assertTrue(r.equals("before " + i) || r.equals("during " + i), r);
                assertEquals("during " + i, new String(io.read("bo-" + i, 0, 100), StandardCharsets.UTF_8));
                assertEquals("late " + i, new String(io.read("late-" + i, 0, 100), StandardCharsets.UTF_8));
            }
            Path got = tmp.resolve("got");
            c.radosOrThrow("-p", "backoff", "get", "bo-7", got.toString());
            assertArrayEquals(bytes("during 7"), Files.readAllBytes(got), "the stock rados CLI reads what we wrote");
            System.out.println("backoff stats: " + after + " pool " + pool);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void waitFor(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
