package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** Thousands of async ops from many threads: the in-flight budget holds and every op lands. */
@RealCluster
class RadosLoadIT {
    @Test
    void theInFlightBudgetHoldsUnderManyThreads(CephCluster c) throws Exception {
        CephConfig config = CephConfig.builder().confFile(c.confPath()).set("objecter_inflight_ops", "32").build();
        try (RadosClient client = RadosClient.connect(config)) {
            IoCtx io = client.ioCtx(c.testPool());
            AtomicInteger maxSeen = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                int thread = t;
                pool.execute(() -> {
                    for (int i = 0; i < 400; i++) {
                        all.add(io.writeFullAsync("load-" + thread + "-" + i,
                                ("t" + thread + " i" + i).getBytes(StandardCharsets.UTF_8)));
                        maxSeen.accumulateAndGet(client.opsInFlight(), Math::max);
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            assertTrue(maxSeen.get() <= 32, "in flight " + maxSeen.get() + " > budget 32");
            assertTrue(maxSeen.get() > 4, "ops did overlap: " + maxSeen.get());
            for (int t = 0; t < 8; t++) {
                assertArrayEquals(("t" + t + " i399").getBytes(StandardCharsets.UTF_8), io.read("load-" + t + "-399", 0, 64));
            }
        }
    }
}
