package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.junit.jupiter.api.Test;

/**
 * Closing: an image or a client closed twice is quiet, and a client closed with images still open
 * gives back their exclusive locks and drops their header watches, as the cluster (and librbd's
 * {@code rbd lock ls} / {@code rbd status}) then shows.
 */
class RbdCloseIT extends LiveRbdTest {
    private static final long FEATURES = RbdFeatures.LAYERING | RbdFeatures.EXCLUSIVE_LOCK;

    @Test
    void closingTheClientReleasesTheLocksAndWatchesOfOpenImages() throws Exception {
        RbdImage.create(io(), "close-a", 8 << 20, 22, FEATURES);
        RbdImage.create(io(), "close-b", 8 << 20, 22, FEATURES | RbdFeatures.OBJECT_MAP | RbdFeatures.FAST_DIFF);
        RadosClient other = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
        IoCtx io = other.ioCtx(pool);
        RbdImage a = RbdImage.open(io, "close-a", false);
        RbdImage b = RbdImage.open(io, "close-b", false);
        a.write(0, new byte[] {1, 2, 3});
        b.write(4096, new byte[] {4});
        assertTrue(a.holdsExclusiveLock() && b.holdsExclusiveLock());
        String headerA = "rbd_header." + a.id();
        String headerB = "rbd_header." + b.id();
        assertEquals(1, io().getLockInfo(headerA, "rbd_lock").lockers().size());
        assertEquals(1, io().listWatchers(headerB).size());
        assertTrue(c.rbdOrThrow("lock", "ls", pool + "/close-a").contains("client." + other.instanceId()));

        other.close();
        other.close();

        for (String header : List.of(headerA, headerB)) {
            assertEquals(List.of(), io().getLockInfo(header, "rbd_lock").lockers(), "lock released on " + header);
            assertEquals(List.of(), io().listWatchers(header), "watch removed on " + header);
        }
        assertEquals("", c.rbdOrThrow("lock", "ls", pool + "/close-a").strip(), "librbd sees no locker");
        assertTrue(c.rbdOrThrow("status", pool + "/close-b").contains("Watchers: none"),
                c.rbdOrThrow("status", pool + "/close-b"));

        a.close(); // after the client's close: quiet
        b.close();
        assertThrows(RadosException.ClientClosedException.class, () -> a.read(0, 3));
        try (RbdImage again = RbdImage.open(io(), "close-a", false)) {
            again.write(0, new byte[] {9}); // the lock can be taken at once: nobody holds it
            assertArrayEquals(new byte[] {9, 2, 3}, again.read(0, 3));
        }
    }

    @Test
    void openImagesShareTheirObjectMapThreads() {
        int images = 20;
        List<RbdImage> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < images; i++) {
                RbdImage.create(io(), "threads-" + i, 8 << 20, 22, FEATURES | RbdFeatures.OBJECT_MAP);
                RbdImage img = RbdImage.open(io(), "threads-" + i, false);
                open.add(img);
                img.write(4096L * i, new byte[] {(byte) i}); // takes the lock and updates the object map
            }
            long mapThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("jceph-rbd-objmap-")).count();
            long lockThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("rbd-lock-threads-")).count();
            // Before: 4 object-map threads per image (80 here) and one lock thread each.
            assertTrue(mapThreads >= 1 && mapThreads <= ImageThreads.MAP_UPDATE_THREADS, "object-map threads: " + mapThreads);
            assertTrue(lockThreads <= images, "lock threads: " + lockThreads);
            for (int i = 0; i < images; i++) {
                assertArrayEquals(new byte[] {(byte) i}, open.get(i).read(4096L * i, 1));
            }
        } finally {
            open.forEach(RbdImage::close);
        }
    }

    @Test
    void closingAnImageTwiceIsQuietAndForgetsIt() {
        RbdImage.create(io(), "close-twice", 4 << 20, 22, FEATURES);
        RbdImage img = RbdImage.open(io(), "close-twice", false);
        img.write(0, new byte[] {1});
        img.close();
        img.close();
        assertFalse(img.holdsExclusiveLock());
        assertEquals(List.of(), io().listWatchers("rbd_header." + img.id()));
        assertEquals(List.of(), io().getLockInfo("rbd_header." + img.id(), "rbd_lock").lockers());
    }

    @Test
    void aMissingImageIsImageNotFound() {
        RbdException.ImageNotFoundException e = assertThrows(RbdException.ImageNotFoundException.class,
                () -> RbdImage.open(io(), "never-created", true));
        assertEquals(-2, e.errno());
        RbdImage.create(io(), "exists-once", 4 << 20, 22, FEATURES);
        RbdException.ImageExistsException twice = assertThrows(RbdException.ImageExistsException.class,
                () -> RbdImage.create(io(), "exists-once", 4 << 20, 22, FEATURES));
        assertEquals(-17, twice.errno());
    }
}
