package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CommandResult;
import org.junit.jupiter.api.Test;

/**
 * librbd's lock calls that jceph adds in {@link ImageLocks}: the managed exclusive lock's owner
 * (get_owners) and its breaking, against a running librbd writer (rbd bench), and the release of
 * an advisory lock (rbd_unlock), each checked with the stock tool's {@code rbd lock ls}.
 */
class ImageLocksIT extends LiveRbdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode stockLocks(String image) throws Exception {
        return JSON.readTree(c.rbdOrThrow("lock", "ls", "--format", "json", pool + "/" + image));
    }

    @Test
    void ownerOfALibrbdWriterIsSeenAndBroken() throws Exception {
        c.rbdOrThrow("create", "--size", "64M", pool + "/owned");
        // uncached, so the bench's pace does not hang on a release's cache: it must still be
        // writing when we break its lock (Reef's cached bench ran 2,853 ops/s here, minutes of margin,
        // but a cached sequential bench once finished its 96M in a second: RbdExclusiveLockIT)
        CompletableFuture<CommandResult> bench = CompletableFuture.supplyAsync(() -> c.rbd(Duration.ofSeconds(240),
                "bench", "--io-type", "write", "--io-pattern", "rand", "--io-size", "4K", "--io-threads", "1",
                "--io-total", "4G", "--rbd_cache=false", pool + "/owned"));
        try (RbdImage img = RbdImage.open(io(), "owned", false)) {
            String header = "rbd_header." + img.id();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (io().getLockInfo(header, "rbd_lock").lockers().isEmpty()) {
                assertTrue(System.nanoTime() < until && !bench.isDone(), "rbd bench never took the lock: "
                        + (bench.isDone() ? bench.get().describeFailure() : ""));
                Thread.sleep(20);
            }
            JsonNode locks = stockLocks("owned");
            assertEquals(1, locks.size(), locks.toString());
            assertTrue(locks.get(0).get("id").asText().startsWith("auto "), locks.toString());
            String benchAddr = locks.get(0).get("address").asText();
            assertEquals(List.of(benchAddr), ImageLocks.owners(img), "the owner is librbd's, by its address");

            RbdException other = assertThrows(RbdException.class, () -> ImageLocks.breakLock(img, "127.0.0.1:0/1"));
            assertEquals(-16, other.errno(), "someone else's lock: EBUSY");
            ImageLocks.breakLock(img, benchAddr);
            CommandResult r = bench.get(120, TimeUnit.SECONDS);
            assertNotEquals(0, r.exitCode(), "rbd bench lost its lock and was fenced off: " + r.stdout());

            // the lock is free, and ours once we write; the stock tool lists us as the owner
            byte[] data = new byte[4096];
            java.util.Arrays.fill(data, (byte) 7);
            img.write(0, data);
            JsonNode ours = stockLocks("owned");
            assertEquals(1, ours.size(), ours.toString());
            assertEquals(List.of(ours.get(0).get("address").asText()), ImageLocks.owners(img));
            assertNotEquals(benchAddr, ImageLocks.owners(img).get(0));
            // leave the shared cluster as we found it: the fenced bench has exited
            c.cephOrThrow("osd", "blocklist", "rm", benchAddr);
        } finally {
            bench.cancel(true);
        }
        c.rbdOrThrow("rm", "--no-progress", pool + "/owned");
    }

    @Test
    void acquiredLockIsKeptFromLibrbdUntilReleased() throws Exception {
        c.rbdOrThrow("create", "--size", "16M", pool + "/manual");
        byte[] data = new byte[4096];
        java.util.Arrays.fill(data, (byte) 9);
        try (RbdImage img = RbdImage.open(io(), "manual", false)) {
            ImageLocks.acquire(img);
            assertTrue(img.holdsExclusiveLock());
            JsonNode locks = stockLocks("manual");
            assertEquals(List.of(locks.get(0).get("address").asText()), ImageLocks.owners(img));

            // librbd asks for the lock, we refuse (EROFS): its writes fail, the lock stays ours
            CommandResult refused = c.rbd(Duration.ofSeconds(60), "bench", "--io-type", "write", "--io-size", "4K",
                    "--io-total", "4K", pool + "/manual");
            assertNotEquals(0, refused.exitCode(), refused.stdout() + refused.stderr());
            assertTrue(img.holdsExclusiveLock());
            img.write(0, data);

            ImageLocks.release(img);
            assertEquals(0, stockLocks("manual").size());
            RbdException ro = assertThrows(RbdException.class, () -> img.write(0, data));
            assertEquals(-30, ro.errno(), "released by the user: no automatic re-acquisition");
            assertEquals(-22, assertThrows(RbdException.class, () -> ImageLocks.release(img)).errno());

            // now librbd writes, and hands the lock over when we acquire again
            c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4K", "--io-total", "4K", pool + "/manual");
            ImageLocks.acquire(img);
            img.write(0, data);
            assertTrue(img.holdsExclusiveLock());
        }
        c.rbdOrThrow("rm", "--no-progress", pool + "/manual");
    }

    @Test
    void ownersRefusesWhatIsNotTheManagedLock() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", pool + "/free");
        c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering", pool + "/nolock");
        try (RbdImage free = RbdImage.open(io(), "free", true); RbdImage plain = RbdImage.open(io(), "nolock", true)) {
            assertEquals(List.of(), ImageLocks.owners(free), "nobody holds it");
            assertEquals(-22, assertThrows(RbdException.class, () -> ImageLocks.owners(plain)).errno());
            c.rbdOrThrow("lock", "add", pool + "/free", "theirs");
            assertEquals(-16, assertThrows(RbdException.class, () -> ImageLocks.owners(free)).errno(),
                    "an advisory lock is not librbd's exclusive lock");
            assertEquals(-30, assertThrows(RbdException.class, () -> ImageLocks.breakLock(free, "x")).errno());
            // librbd's rm would wait for an advisory lock forever: give it back first
            free.lockRemove("theirs", free.lockers().lockers().get(0).name().toString());
        }
        c.rbdOrThrow("rm", "--no-progress", pool + "/free");
        c.rbdOrThrow("rm", "--no-progress", pool + "/nolock");
    }

    @Test
    void unlockGivesBackOnlyOurOwnAdvisoryLock() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering", pool + "/adv");
        try (RbdImage img = RbdImage.open(io(), "adv", false)) {
            img.lockAdd("mine", "tagx");
            c.rbdOrThrow("lock", "add", "--shared", "tagx", pool + "/adv", "theirs");
            assertEquals(2, stockLocks("adv").size());
            assertThrows(RbdException.NoSuchKeyException.class, () -> ImageLocks.unlock(img, "theirs"),
                    "the stock tool's lock is not ours to release");
            ImageLocks.unlock(img, "mine");
            JsonNode left = stockLocks("adv");
            assertEquals(1, left.size(), left.toString());
            assertEquals("theirs", left.get(0).get("id").asText());
            assertThrows(RbdException.NoSuchKeyException.class, () -> ImageLocks.unlock(img, "mine"));
        }
        c.rbdOrThrow("rm", "--no-progress", pool + "/adv");
    }
}
