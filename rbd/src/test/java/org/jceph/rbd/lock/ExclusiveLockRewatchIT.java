package org.jceph.rbd.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.junit.jupiter.api.Test;

/** After the OSD drops our header watch, the lock follows the new watch handle (cls_lock set_cookie). */
@RealCluster
class ExclusiveLockRewatchIT {
    @Test
    void theLockCookieFollowsTheNewWatch(CephCluster c) throws IOException, Exception {
        c.rbdOrThrow("create", "--size", "4M", c.testPool() + "/rewatched");
        // The cluster is shared with the other default classes, in the order the file system lists
        // them: ImageLocksIT blocklists an rbd bench on purpose (for an hour). Only a new entry counts.
        java.util.Set<String> blocklistedBefore = clientsBlocklisted(c);
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(c.testPool());
            String id = c.rbdOrThrow("info", "--format", "json", c.testPool() + "/rewatched")
                    .replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1");
            String header = "rbd_header." + id;
            ExecutorService worker = Executors.newSingleThreadExecutor();
            try (ImageWatcher w = new ImageWatcher(io, header, worker)) {
                ExclusiveLock lock = new ExclusiveLock(io, w, worker, Duration.ofSeconds(30), new ExclusiveLock.Hooks() {
                    @Override
                    public void acquired() {
                    }

                    @Override
                    public void releasing() {
                    }
                }, "rewatched");
                lock.begin().get(30, TimeUnit.SECONDS).close();
                long before = w.handle();
                assertEquals("auto " + before, io.getLockInfo(header, "rbd_lock").lockers().get(0).cookie());
                worker.submit(w::rewatch).get(30, TimeUnit.SECONDS); // what a DISCONNECT from the OSD triggers
                long after = w.handle();
                assertNotEquals(before, after);
                assertTrue(lock.isOwner());
                assertEquals("auto " + after, io.getLockInfo(header, "rbd_lock").lockers().get(0).cookie());
                assertTrue(io.listWatchers(header).stream().anyMatch(x -> x.cookie() == after));
                assertTrue(io.listWatchers(header).stream().noneMatch(x -> x.cookie() == before));
                // librbd still sees a live owner and asks for the lock instead of breaking it
                c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4K", "--io-threads", "1", "--io-total", "8K",
                        c.testPool() + "/rewatched");
                assertTrue(!lock.isOwner(), "we handed it over on request");
                lock.shutdown();
            } finally {
                worker.shutdownNow();
            }
            java.util.Set<String> blocklisted = clientsBlocklisted(c);
            blocklisted.removeAll(blocklistedBefore);
            assertEquals(java.util.Set.of(), blocklisted, "nobody was blocklisted");
        }
    }

    /** The client addresses (ADDR:0/NONCE) in {@code ceph osd blocklist ls}. */
    private static java.util.Set<String> clientsBlocklisted(CephCluster c) {
        java.util.Set<String> out = new java.util.HashSet<>();
        c.cephOrThrow("osd", "blocklist", "ls").lines().filter(l -> l.contains(":0/"))
                .forEach(l -> out.add(l.strip().split("\\s+")[0]));
        return out;
    }
}
