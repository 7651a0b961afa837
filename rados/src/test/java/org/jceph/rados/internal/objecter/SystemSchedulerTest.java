package org.jceph.rados.internal.objecter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The real scheduler survives tasks that throw: the Objecter's timeout sweep depends on it. */
class SystemSchedulerTest {
    @Test
    void aPeriodicTaskThatThrowsKeepsRunning() throws Exception {
        try (Scheduler s = Scheduler.system("test-scheduler")) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch three = new CountDownLatch(3);
            s.every(() -> {
                runs.incrementAndGet();
                three.countDown();
                throw new IllegalStateException("thrown on purpose by the test");
            }, Duration.ofMillis(5));
            assertTrue(three.await(10, TimeUnit.SECONDS), "still running after it threw: " + runs.get() + " run(s)");
        }
    }

    @Test
    void aOneOffTaskThatThrowsLeavesTheThreadForTheNext() throws Exception {
        try (Scheduler s = Scheduler.system("test-scheduler")) {
            CountDownLatch next = new CountDownLatch(1);
            s.execute(() -> {
                throw new IllegalStateException("thrown on purpose by the test");
            });
            s.schedule(next::countDown, Duration.ofMillis(10));
            assertTrue(next.await(10, TimeUnit.SECONDS));
        }
    }
}
