package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * Per-op timeouts, the whole-operation deadline, and cancellation, with ops made to wait by
 * {@code ceph osd pause} (the Objecter holds them, unsent, until the flags clear).
 */
@RealCluster(config = {"mon pg warn min per osd = 0"})
class RadosTimeoutCancelIT {
    private static RadosClient connect(CephCluster c, String inflightOps) throws Exception {
        return RadosClient.connect(CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "60")
                .set("objecter_inflight_ops", inflightOps).build());
    }

    private static void pause(CephCluster c, RadosClient client, boolean on) {
        c.cephOrThrow("osd", on ? "pause" : "unpause");
        client.waitForMap(m -> ((m.flags() & 0xC) == 0xC) == on, Duration.ofSeconds(30));
    }

    @Test
    void anOpThatWaitsPastItsTimeoutFailsTypedAndLeavesTheQueue(CephCluster c) throws Exception {
        try (RadosClient client = connect(c, "1024")) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("t", new byte[] {1});
            pause(c, client, true);
            try {
                io.setOpTimeout(Duration.ofSeconds(2));
                long t0 = System.nanoTime();
                RadosException e = assertThrows(RadosException.TimeoutException.class, () -> io.writeFull("t", new byte[] {2}));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(-110, e.errno());
                assertTrue(ms >= 1900 && ms < 5000, "timed out after " + ms + " ms");
                ExecutionException async = assertThrows(ExecutionException.class,
                        () -> io.readAsync("t", 0, 1).get(10, TimeUnit.SECONDS));
                assertInstanceOf(RadosException.TimeoutException.class, async.getCause());
                assertEquals(0, client.opsInFlight(), "timed-out ops left the queue");
            } finally {
                pause(c, client, false);
            }
            io.setOpTimeout(Duration.ofSeconds(30));
            Thread.sleep(1000);
            assertEquals(1, io.read("t", 0, 1)[0], "the timed-out write was never applied");
        }
    }

    @Test
    void cancellingAnAsyncOpRemovesItAndFreesItsBudget(CephCluster c) throws Exception {
        try (RadosClient client = connect(c, "2")) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("c", new byte[] {1});
            pause(c, client, true);
            CompletableFuture<Void> a;
            CompletableFuture<byte[]> b;
            try {
                a = io.writeFullAsync("c", new byte[] {2});
                b = io.readAsync("c", 0, 1);
                assertEquals(2, client.opsInFlight());
                // the budget (objecter_inflight_ops = 2) is used up: a third op would wait
                io.setOpTimeout(Duration.ofMillis(500));
                assertThrows(RadosException.TimeoutException.class, () -> io.stat("c"));
                io.setOpTimeout(Duration.ofSeconds(30));

                assertTrue(a.cancel(true));
                assertTrue(b.cancel(true));
                assertEquals(0, client.opsInFlight(), "cancelled ops left the queue");
                assertEquals(2, client.stats().opsCancelled());
                assertThrows(CancellationException.class, a::join);
            } finally {
                pause(c, client, false);
            }
            // the budget is free again, and the cancelled write never reached an OSD
            assertEquals(1, io.read("c", 0, 1)[0]);
            assertTrue(a.isCancelled() && b.isCancelled());
        }
    }

    @Test
    void aReplyToACancelledOpIsIgnored(CephCluster c) throws Exception {
        try (RadosClient client = connect(c, "1024")) {
            IoCtx io = client.ioCtx(c.testPool());
            int cancelled = 0;
            for (int i = 0; i < 50; i++) {
                CompletableFuture<Void> f = io.writeFullAsync("late-" + i, new byte[] {(byte) i});
                // usually after it was sent: its reply comes later and finds no op. The reply can
                // also come first (this thread descheduled for a round trip on a loaded machine):
                // then the op completed (OpFuture.settle) before the cancel, which is refused, or
                // only its completion is still on its way to the completion thread, and the cancel
                // ends the caller's future only.
                if (f.cancel(false)) {
                    cancelled++;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.opsInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, client.opsInFlight());
            Thread.sleep(1000);
            long cancelledOps = client.stats().opsCancelled();
            assertEquals(50, cancelledOps + client.metrics().getWriteLatencyCount(),
                    "every op ended once, cancelled (" + cancelledOps + ") or completed");
            assertTrue(cancelledOps > 0 && cancelledOps <= cancelled, cancelledOps + " ops cancelled, "
                    + cancelled + " futures");
            io.writeFull("after", new byte[] {7});
            assertEquals(7, io.read("after", 0, 1)[0], "the client works on after late replies");
        }
    }
}
