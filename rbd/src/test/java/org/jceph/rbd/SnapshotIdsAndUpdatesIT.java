package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;
import org.junit.jupiter.api.Test;

/**
 * Snapshots by id ({@link SnapshotIds}: rbd_snap_set_by_id, rbd_snap_remove_by_id) and header
 * update notifications ({@link ImageUpdates}: rbd_update_watch/unwatch), against what the stock
 * tool does and sees.
 */
class SnapshotIdsAndUpdatesIT extends LiveRbdTest {

    private long stockSnapId(String image, String snap) {
        return c.rbdOrThrow("snap", "ls", pool + "/" + image).lines().filter(l -> l.contains(" " + snap + " "))
                .map(l -> Long.parseLong(l.trim().split("\\s+")[0])).findFirst().orElseThrow();
    }

    @Test
    void snapshotsByIdReadAndRemoveWhatTheStockToolNames() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/ids");
        byte[] before = new byte[1 << 20];
        Arrays.fill(before, (byte) 0x5a);
        byte[] after = new byte[1 << 20];
        Arrays.fill(after, (byte) 0x33);
        try (RbdImage w = RbdImage.open(io(), "ids", false)) {
            w.write(0, before);
        }
        c.rbdOrThrow("snap", "create", "--no-progress", pool + "/ids@s1");
        try (RbdImage w = RbdImage.open(io(), "ids", false)) {
            w.write(0, after);
        }
        long id = stockSnapId("ids", "s1");
        try (RbdImage img = RbdImage.open(io(), "ids", false)) {
            try (RbdImage at = SnapshotIds.open(img, id)) {
                byte[] read = at.read(0, (int) at.size());
                assertArrayEquals(export("ids@s1"), read, "the snapshot, by id");
                assertArrayEquals(before, Arrays.copyOf(read, before.length));
            }
            assertThrows(RbdException.NoSuchKeyException.class, () -> SnapshotIds.open(img, id + 1000));
            SnapshotIds.remove(img, id);
            assertFalse(c.rbdOrThrow("snap", "ls", pool + "/ids").contains("s1"), "gone for the stock tool too");
            assertThrows(RbdException.NoSuchKeyException.class, () -> SnapshotIds.remove(img, id));
        }
        c.rbdOrThrow("rm", "--no-progress", pool + "/ids");
    }

    @Test
    void updateWatchHearsTheStockToolAndOtherJcephClients() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/watched");
        Semaphore calls = new Semaphore(0);
        try (RbdImage ro = RbdImage.open(io(), "watched", true);
                ImageUpdates watch = ImageUpdates.watch(ro, calls::release)) {
            String status = c.rbdOrThrow("status", pool + "/watched");
            assertTrue(status.contains("cookie=" + Long.toUnsignedString(watch.cookie())), status);

            c.rbdOrThrow("resize", "--no-progress", "--size", "16M", pool + "/watched");
            assertTrue(calls.tryAcquire(30, TimeUnit.SECONDS), "librbd's resize was heard");
            calls.drainPermits();
            c.rbdOrThrow("snap", "create", "--no-progress", pool + "/watched@s");
            assertTrue(calls.tryAcquire(30, TimeUnit.SECONDS), "librbd's snap create was heard");
            calls.drainPermits();

            // another jceph client changes the header
            try (RadosClient other = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
                    RbdImage w = RbdImage.open(other.ioCtx(pool), "watched", false)) {
                w.metadataSet("user.k", "v");
                assertTrue(calls.tryAcquire(30, TimeUnit.SECONDS), "jceph's metadata set was heard");
            }
            watch.close();
            String after = c.rbdOrThrow("status", pool + "/watched");
            assertFalse(after.contains("cookie=" + Long.toUnsignedString(watch.cookie())), after);
        }
        c.rbdOrThrow("snap", "rm", "--no-progress", pool + "/watched@s");
        c.rbdOrThrow("rm", "--no-progress", pool + "/watched");
    }
}
