package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch/notify between jceph and the rados CLI (rados watch / rados notify / listwatchers), both ways. */
@RealCluster
@CrossRelease
class RadosWatchNotifyIT {
    @TempDir
    Path tmp;

    @Test
    void weHearRadosNotifyAndRadosWatchHearsUs(CephCluster c) throws Exception {
        String pool = c.testPool();
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(pool);
            io.writeFull("watched", new byte[0]);
            CompletableFuture<String> heard = new CompletableFuture<>();
            long cookie = io.watch("watched", (id, gid, payload) -> {
                // rados notify sends its message as an encoded string: u32 length, then the text
                heard.complete(org.jceph.encoding.CephDecoder.of(payload, "notify payload").readString());
                return "ack from jceph".getBytes(StandardCharsets.UTF_8);
            });
            assertTrue(c.radosOrThrow("-p", pool, "listwatchers", "watched").contains("cookie=" + cookie));
            c.radosOrThrow("-p", pool, "notify", "watched", "hello from librados");
            assertEquals("hello from librados", heard.get(30, TimeUnit.SECONDS));

            IoCtx.NotifyResult self = io.notify("watched",
                    org.jceph.encoding.CephEncoder.toBytes(e -> e.writeString("to myself")), 10);
            assertEquals(1, self.replies().size());
            assertArrayEquals("ack from jceph".getBytes(StandardCharsets.UTF_8), self.replies().values().iterator().next());
            io.unwatch("watched", cookie);

            io.writeFull("their-watch", new byte[0]);
            Path out = tmp.resolve("watch.out");
            Process watcher = new ProcessBuilder(c.toolCommand("rados", "-c", c.confPath().toString(), "-p", pool, "watch", "their-watch"))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!c.radosOrThrow("-p", pool, "listwatchers", "their-watch").contains("watcher=")) {
                    assertTrue(System.nanoTime() < deadline, "rados watch never registered");
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                byte[] msg = org.jceph.encoding.CephEncoder.toBytes(e -> e.writeString("from jceph"));
                IoCtx.NotifyResult r = io.notify("their-watch", msg, 10);
                assertEquals(1, r.replies().size(), "rados watch acknowledged");
                assertEquals(List.of(), r.timedOut());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String from = "from " + client.instanceId(); // rados watch prints who notified
                while (!Files.readString(out).contains(from) && System.nanoTime() < until) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                assertTrue(Files.readString(out).contains("NOTIFY cookie") && Files.readString(out).contains(from),
                        Files.readString(out));
            } finally {
                watcher.destroy();
                watcher.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A watch the OSD forgot while our session stayed up (no fault for us to react to): the
     * periodic ping (WATCH_OP_PING, ENOTCONN) finds it and registers it again, so notifies are
     * heard again within a ping period or two, as librados' linger pings would notice.
     */
    @Test
    void aWatchTheOsdForgotIsFoundByThePingAndRegisteredAgain(CephCluster c) throws Exception {
        String pool = c.testPool();
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(pool);
            io.writeFull("forgotten", new byte[0]);
            java.util.concurrent.LinkedBlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
            long cookie = io.watch("forgotten", (id, gid, payload) -> {
                heard.add(new String(payload, StandardCharsets.UTF_8));
                return new byte[0];
            });
            long reconnectsBefore = client.metrics().getWatchReconnects();
            io.dropOnOsdOnly("forgotten", cookie);
            long start = System.nanoTime();
            // The client pings every 5 s (LingerManager.PING_PERIOD) on its own clock: a ping that
            // falls between the drop and this listing (a stock rados process, most of a second on
            // a loaded machine) has already found the watch gone and registered it again. The
            // listing shows the OSD forgot it unless that re-registration was already counted.
            String listed = c.radosOrThrow("-p", pool, "listwatchers", "forgotten").strip();
            if (!listed.isEmpty()) {
                long by = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (client.metrics().getWatchReconnects() == reconnectsBefore && System.nanoTime() < by) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                assertTrue(client.metrics().getWatchReconnects() > reconnectsBefore,
                        "the OSD forgot the watch, or a ping already registered it again: " + listed);
            }
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            while (!c.radosOrThrow("-p", pool, "listwatchers", "forgotten").contains("cookie=" + cookie)) {
                assertTrue(System.nanoTime() < deadline, "the watch was not registered again within 30 s");
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            IoCtx.NotifyResult r = io.notify("forgotten", "back".getBytes(StandardCharsets.UTF_8), 10);
            assertEquals(1, r.replies().size());
            assertEquals("back", heard.poll(10, TimeUnit.SECONDS));
            assertTrue(client.metrics().getWatchReconnects() > reconnectsBefore, "registered again by the client");
            System.out.printf("[watch] re-registered %d ms after the OSD forgot it%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            io.unwatch("forgotten", cookie);
        }
    }
}
