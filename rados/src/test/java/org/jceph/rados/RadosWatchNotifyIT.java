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
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch/notify between jceph and the rados CLI (rados watch / rados notify / listwatchers), both ways. */
@RealCluster
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
            Process watcher = new ProcessBuilder("rados", "-c", c.confPath().toString(), "-p", pool, "watch", "their-watch")
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
}
