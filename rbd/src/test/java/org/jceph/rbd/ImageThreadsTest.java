package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ImageThreadsTest {

    @Test
    void everyImageGetsTheSameObjectMapPool() {
        assertSame(ImageThreads.mapUpdates(), ImageThreads.mapUpdates());
    }

    @Test
    void aLockWorkerRunsInOrderAndItsThreadEndsWhenIdle() throws Exception {
        ExecutorService w = ImageThreads.lockWorker("img", Duration.ofMillis(50));
        try {
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                int n = i;
                w.execute(() -> {
                    order.add(n);
                    threads.add(Thread.currentThread());
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                assertEquals(i, order.get(i));
            }
            Thread t = threads.get(0);
            assertTrue(t.getName().startsWith("rbd-lock-img-") && t.isDaemon(), t.toString());
            t.join(10_000); // ends once idle for 50 ms
            assertTrue(!t.isAlive(), "the idle lock worker's thread ended");
            CountDownLatch again = new CountDownLatch(1);
            w.execute(again::countDown); // and a later task gets a fresh one
            assertTrue(again.await(10, TimeUnit.SECONDS));
        } finally {
            w.shutdownNow();
        }
    }
}
