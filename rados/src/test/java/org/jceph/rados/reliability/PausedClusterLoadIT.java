package org.jceph.rados.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.fixtures.cluster.ReliabilityProfile;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.junit.jupiter.api.Test;

/**
 * Load against a paused cluster ({@code ceph osd pause}): many threads keep submitting async
 * writes; the in-flight budget (ops and bytes) holds, the submitters are held back (back-pressure)
 * instead of queueing without bound, the heap stays bounded, a client with a short op timeout
 * gets timeouts, and after {@code ceph osd unpause} every admitted op completes and reads back.
 */
@RealCluster
class PausedClusterLoadIT {
    private static final int BUDGET_OPS = 64;
    private static final int BUDGET_BYTES = 4 << 20;
    private static final int WRITE = 64 << 10;
    private final ReliabilityProfile profile = ReliabilityProfile.fromSystemProperties();

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * Thousands of mixed async ops (write_full, read, stat) from many threads, each thread on its own
     * objects: the op budget holds at every submission, every op completes, and the last write of
     * every object is what reads back.
     */
    @Test
    void thousandsOfMixedAsyncOpsFromManyThreadsStayWithinTheBudget(CephCluster c) throws Exception {
        int threads = profile.pick(16, 32);
        int perThread = profile.pick(400, 4000);
        CephConfig config = CephConfig.builder().confFile(c.confPath()).set("objecter_inflight_ops", "48")
                .set("objecter_inflight_op_bytes", "" + (1 << 20)).set("rados_osd_op_timeout", "120").build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (RadosClient client = RadosClient.connect(config)) {
            IoCtx io = client.ioCtx(c.testPool());
            AtomicInteger maxInFlight = new AtomicInteger();
            List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
            byte[][][] last = new byte[threads][8][];
            for (int th = 0; th < threads; th++) {
                int me = th;
                pool.execute(() -> {
                    Random r = new Random(profile.seed() * 31 + me);
                    for (int i = 0; i < perThread; i++) {
                        int o = r.nextInt(8);
                        String oid = "mixed-" + me + "-" + o;
                        int kind = last[me][o] == null ? 0 : r.nextInt(3);
                        if (kind == 0) {
                            byte[] d = new byte[r.nextInt(16 << 10)];
                            r.nextBytes(d);
                            last[me][o] = d;
                            all.add(io.writeFullAsync(oid, d));
                        } else if (kind == 1) {
                            all.add(io.readAsync(oid, 0, 16 << 10));
                        } else {
                            all.add(io.statAsync(oid));
                        }
                        maxInFlight.accumulateAndGet(client.opsInFlight(), Math::max);
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(300, TimeUnit.SECONDS), "submitters finished");
            List<CompletableFuture<?>> copy;
            synchronized (all) {
                copy = new ArrayList<>(all);
            }
            CompletableFuture.allOf(copy.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            assertTrue(maxInFlight.get() <= 48, "in flight " + maxInFlight.get() + " > budget 48");
            assertTrue(maxInFlight.get() > 8, "ops did overlap: " + maxInFlight.get());
            for (int th = 0; th < threads; th++) {
                for (int o = 0; o < 8; o++) {
                    if (last[th][o] != null) {
                        assertArrayEquals(last[th][o], io.read("mixed-" + th + "-" + o, 0, 16 << 10), "mixed-" + th + "-" + o);
                    }
                }
            }
            System.out.printf("[load] RESULT %s: %d async ops from %d threads, max %d in flight (budget 48 ops, 1 MiB)%n",
                    profile.replayHint(), copy.size(), threads, maxInFlight.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPausedClusterHoldsCallersBackWithinBoundedMemoryAndEverythingCompletesAfterUnpause(CephCluster c)
            throws Exception {
        System.out.println("PausedClusterLoadIT " + profile);
        int threads = profile.pick(16, 64);
        long pauseMillis = profile.pick(10_000, 60_000);
        CephConfig config = CephConfig.builder().confFile(c.confPath()).set("objecter_inflight_ops", "" + BUDGET_OPS)
                .set("objecter_inflight_op_bytes", "" + BUDGET_BYTES).set("rados_osd_op_timeout", "120").build();
        CephConfig impatient = CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "4").build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (RadosClient client = RadosClient.connect(config); RadosClient quick = RadosClient.connect(impatient)) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("pause-probe", new byte[] {1});
            long baseline = usedHeapAfterGc();
            c.cephOrThrow("osd", "pause");
            List<CompletableFuture<Void>> admitted = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger maxInFlight = new AtomicInteger();
            AtomicLong attempts = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            try {
                client.waitForMap(m -> (m.flags() & 0xC) == 0xC, Duration.ofSeconds(30));
                quick.waitForMap(m -> (m.flags() & 0xC) == 0xC, Duration.ofSeconds(30));
                // A caller with a short op timeout gets a timeout, not a hang.
                long t = System.nanoTime();
                CompletableFuture<Void> doomed = quick.ioCtx(c.testPool()).writeFullAsync("pause-timeout", new byte[] {2});
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> doomed.get(30, TimeUnit.SECONDS));
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
                assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException
                        || e.getCause() instanceof RadosException r && r.errno() == -110, "timed out: " + e.getCause());
                assertTrue(took >= 3_500 && took < 15_000, "after about the op timeout (4 s): " + took + " ms");

                for (int th = 0; th < threads; th++) {
                    int me = th;
                    pool.execute(() -> {
                        Random r = new Random(profile.seed() + me);
                        for (int i = 0; !stop.get(); i++) {
                            byte[] d = new byte[WRITE];
                            r.nextBytes(d);
                            d[0] = (byte) me;
                            d[1] = (byte) i;
                            attempts.incrementAndGet();
                            CompletableFuture<Void> f = io.writeFullAsync("paused-" + me + "-" + (i % 8), d);
                            admitted.add(f);
                            maxInFlight.accumulateAndGet(client.opsInFlight(), Math::max);
                        }
                    });
                }
                Thread.sleep(pauseMillis);
                long during = usedHeapAfterGc();
                int held = client.opsInFlight();
                System.out.printf("[pause] %d threads, %d submissions admitted in %d ms of pause, %d in flight (max %d),"
                        + " heap %d MiB -> %d MiB%n", threads, admitted.size(), pauseMillis, held, maxInFlight.get(),
                        baseline >> 20, during >> 20);
                assertTrue(maxInFlight.get() <= BUDGET_OPS, "ops in flight " + maxInFlight.get() + " <= " + BUDGET_OPS);
                assertTrue(held <= BUDGET_BYTES / WRITE + 1, "the byte budget holds: " + held + " ops of 64 KiB");
                assertTrue(admitted.size() <= BUDGET_BYTES / WRITE + threads, "submitters are held back: "
                        + admitted.size() + " admitted");
                assertTrue(admitted.stream().noneMatch(CompletableFuture::isDone), "nothing completes while paused");
                assertTrue(during - baseline < 64L << 20, "heap grew by " + ((during - baseline) >> 20) + " MiB");
            } finally {
                stop.set(true);
                c.cephOrThrow("osd", "unpause");
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(150, TimeUnit.SECONDS), "every held-back submitter got through");
            List<CompletableFuture<Void>> all;
            synchronized (admitted) {
                all = new ArrayList<>(admitted);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            assertEquals(0, client.opsInFlight());
            assertArrayEquals(new byte[] {1}, io.read("pause-probe", 0, 8));
            System.out.printf("[pause] RESULT %s: %d writes submitted by %d threads, all completed after unpause;"
                    + " the 4 s-timeout client timed out as expected%n", profile.replayHint(), all.size(), threads);
            assertEquals(attempts.get(), all.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
