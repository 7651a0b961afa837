package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * Where futures complete: never on the messenger's I/O thread, but on the client's completion
 * thread (or the executor the user gave), so that a slow callback does not stall the client and a
 * blocking call inside one is refused at once instead of waiting for itself until the timeout.
 */
@RealCluster
class CompletionThreadIT {
    private static CephConfig config(CephCluster c) throws Exception {
        return CephConfig.builder().confFile(c.confPath()).build();
    }

    /**
     * Runs {@code body} while the cluster holds every op (osd pause), so that the callbacks it
     * chains are registered before the reply can arrive; the ops complete after the unpause.
     */
    private static <T> T whilePaused(CephCluster c, RadosClient client, java.util.concurrent.Callable<T> body)
            throws Exception {
        c.cephOrThrow("osd", "pause");
        try {
            client.waitForMap(m -> (m.flags() & 0xC) == 0xC, java.time.Duration.ofSeconds(30));
            return body.call();
        } finally {
            c.cephOrThrow("osd", "unpause");
        }
    }

    @Test
    void callbacksRunOnTheCompletionThreadAndASlowOneStallsNoIo(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(config(c))) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("ct1", "hello".getBytes(StandardCharsets.UTF_8));
            String thread = whilePaused(c, client, () -> io.readAsync("ct1", 0, 5)
                    .thenApply(b -> Thread.currentThread().getName())).get(30, TimeUnit.SECONDS);
            assertTrue(thread.startsWith("jceph-completion-"), thread);

            // a callback that blocks (on something else than jceph) holds the completion thread,
            // not the I/O thread: ops are still sent and answered meanwhile
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Void> slow = whilePaused(c, client,
                    () -> io.statAsync("ct1").thenAccept(s -> release.join()));
            for (int i = 0; i < 20; i++) {
                io.writeFullAsync("ct-during-" + i, new byte[] {(byte) i}); // sent while the callback blocks
            }
            long t0 = System.nanoTime();
            while (client.opsInFlight() > 0 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
                Thread.onSpinWait();
            }
            assertEquals(0, client.opsInFlight(), "the OSDs answered while a callback was blocked");
            release.complete(null);
            slow.get(30, TimeUnit.SECONDS);
            assertEquals(1, io.stat("ct-during-19").size());
        }
    }

    @Test
    void aBurstOfRepliesCompletesInReplyOrderOnTheCompletionThread(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(config(c))) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("ct-order", new byte[0]);
            int n = 64;
            java.util.List<Integer> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            // held while paused, the appends go out together on the unpause and their replies come
            // back in a burst: completions handed over in batches must keep the replies' order
            CompletableFuture<Void> all = whilePaused(c, client, () -> {
                CompletableFuture<?>[] fs = new CompletableFuture<?>[n];
                for (int i = 0; i < n; i++) {
                    int k = i;
                    fs[i] = io.appendAsync("ct-order", new byte[] {(byte) i}).thenRun(() -> {
                        threads.add(Thread.currentThread().getName());
                        order.add(k);
                    });
                }
                return CompletableFuture.allOf(fs);
            });
            all.get(60, TimeUnit.SECONDS);
            java.util.List<Integer> expected = new java.util.ArrayList<>();
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                expected.add(i);
                bytes[i] = (byte) i;
            }
            assertEquals(expected, order, "completions in the order the OSD applied and answered the appends");
            assertEquals(1, threads.size(), threads.toString());
            assertTrue(threads.iterator().next().startsWith("jceph-completion-"), threads.toString());
            org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, io.read("ct-order", 0, n));
        }
    }

    @Test
    void aBlockingCallInsideACallbackIsRefusedAtOnce(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(config(c))) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("ct2", new byte[] {1});
            CompletableFuture<byte[]> nested = whilePaused(c, client,
                    () -> io.statAsync("ct2").thenApply(s -> io.read("ct2", 0, 1)));
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, nested::join);
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("would wait for itself"), e.getCause().getMessage());
            long t0 = System.nanoTime();
            io.read("ct2", 0, 1); // the client is fine afterwards
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void aUsersExecutorCompletesTheFutures(CephCluster c) throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "users-own"));
        try (RadosClient client = RadosClient.connect(config(c), mine)) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("ct3", new byte[] {1});
            String thread = whilePaused(c, client, () -> io.statAsync("ct3")
                    .thenApply(s -> Thread.currentThread().getName())).get(30, TimeUnit.SECONDS);
            assertEquals("users-own", thread);
            // on a user's executor a blocking call is the user's choice: it works (another thread completes it)
        } finally {
            mine.shutdown();
            assertTrue(mine.awaitTermination(10, TimeUnit.SECONDS), "the client does not shut the user's executor down");
        }
    }
}
