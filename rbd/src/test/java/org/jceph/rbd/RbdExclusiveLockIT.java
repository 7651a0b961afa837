package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.LockInfo;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.lock.ExclusiveLock;
import org.junit.jupiter.api.Test;

/** The exclusive lock handed back and forth between jceph and librbd (rbd bench) on the live cluster. */
@CrossRelease
class RbdExclusiveLockIT extends LiveRbdTest {
    @Test
    void ourLockIsLibrbdsLockAsRbdLockLsAndStatusShowIt() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/shown");
        try (RbdImage img = RbdImage.open(io(), "shown", false)) {
            assertFalse(img.holdsExclusiveLock(), "librbd takes the lock on the first write, not on open");
            img.writeAsync(0, new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);
            assertTrue(img.holdsExclusiveLock());
            LockInfo info = io().getLockInfo("rbd_header." + img.id(), "rbd_lock");
            assertEquals("internal", info.tag());
            assertEquals(LockInfo.EXCLUSIVE, info.type());
            assertTrue(info.lockers().get(0).cookie().matches("auto \\d+"), info.toString());
            String ls = c.rbdOrThrow("lock", "ls", pool + "/shown");
            assertTrue(ls.contains("There is 1 exclusive lock on this image."), ls);
            assertTrue(ls.matches("(?s).*client\\." + client.instanceId() + "\\s+" + info.lockers().get(0).cookie() + "\\s.*"), ls);
            String status = c.rbdOrThrow("status", pool + "/shown");
            assertTrue(status.contains("client." + client.instanceId()), status);
        }
        assertTrue(io().getLockInfo(headerOf("shown"), "rbd_lock").lockers().isEmpty(), "closing gives the lock back");
    }

    private String headerOf(String image) {
        return "rbd_header." + RbdImage.list(io()).get(image);
    }

    @Test
    void librbdBenchAndOurWriterShareTheImageAndBothRangesSurvive() throws Exception {
        c.rbdOrThrow("create", "--size", "160M", pool + "/shared");
        String header = headerOf("shared");
        // rbd bench writes [0, 96M) sequentially with one thread (each thread starts at
        // size/threads * i, so one thread keeps its range predictable); we write [128M, 144M).
        // librbd's cache is off for the bench: with it, Reef's librbd wrote the 96M of 4K writes in
        // about a second, and could finish before it had handed us the lock (CI, session 17);
        // uncached 16K writes take it several seconds on every release.
        CompletableFuture<CommandResult> bench = CompletableFuture.supplyAsync(() -> c.rbd(Duration.ofSeconds(300),
                "bench", "--io-type", "write", "--io-pattern", "seq", "--io-size", "16K", "--io-threads", "1",
                "--io-total", "96M", "--rbd_cache=false", pool + "/shared"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (io().getLockInfo(header, "rbd_lock").lockers().isEmpty()) {
            assertTrue(System.nanoTime() < until && !bench.isDone(), "rbd bench never took the lock");
            Thread.sleep(20);
        }
        byte[] ours = new byte[16 << 20];
        new Random(7).nextBytes(ours);
        long acquisitions;
        boolean tookItFromRunningBench = false;
        long start = System.nanoTime();
        try (RbdImage img = RbdImage.open(io(), "shared", false)) {
            int chunk = 64 << 10;
            for (int off = 0; off < ours.length; off += chunk) {
                img.writeAsync((128L << 20) + off, Arrays.copyOfRange(ours, off, off + chunk)).get(150, TimeUnit.SECONDS);
                if (off == 0) {
                    tookItFromRunningBench = !bench.isDone();
                }
            }
            acquisitions = img.lockAcquisitions();
        }
        long ourMillis = (System.nanoTime() - start) / 1_000_000;
        boolean benchRunningWhenWeFinished = !bench.isDone();
        CommandResult r = bench.get(300, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        System.out.println("our writer: " + acquisitions + " lock acquisitions in " + ourMillis + " ms; first write done"
                + " while rbd bench ran: " + tookItFromRunningBench + "; bench still running when we finished: "
                + benchRunningWhenWeFinished);
        Path out = tmp.resolve("shared.export");
        c.rbdOrThrow("export", pool + "/shared", out.toString());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(out.toFile(), "r")) {
            byte[] got = new byte[ours.length];
            f.seek(128L << 20);
            f.readFully(got);
            assertArrayEquals(ours, got, "our range is exactly what we wrote");
            byte[] theirs = new byte[96 << 20];
            f.seek(0);
            f.readFully(theirs);
            for (int i = 0; i < theirs.length; i++) {
                if (theirs[i] != theirs[0]) {
                    throw new AssertionError("rbd bench's range differs at " + i);
                }
            }
        }
        String id = header.substring("rbd_header.".length());
        for (int n = 0; n < 24; n++) {
            assertTrue(c.rados("-p", pool, "stat", String.format("rbd_data.%s.%016x", id, n)).ok(), "bench wrote object " + n);
        }
        // rbd bench held the lock when we started: our first write needed librbd to hand it over.
        assertTrue(tookItFromRunningBench || acquisitions >= 2, "librbd handed the lock over while it was still writing"
                + " (we took it " + acquisitions + " times)");
        var check = c.rbd("object-map", "check", pool + "/shared");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
    }

    @Test
    void librbdRequestsTheLockWeHoldAndGetsIt() throws Exception {
        c.rbdOrThrow("create", "--size", "16M", pool + "/handover");
        byte[] mine = new byte[1 << 20];
        new Random(8).nextBytes(mine);
        try (RbdImage img = RbdImage.open(io(), "handover", false)) {
            img.writeAsync(8L << 20, mine).get(30, TimeUnit.SECONDS);
            assertTrue(img.holdsExclusiveLock());
            CommandResult r = c.rbd(Duration.ofSeconds(120), "bench", "--io-type", "write", "--io-size", "4K", "--io-threads", "1",
                    "--io-total", "1M", "--io-pattern", "seq", pool + "/handover");
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertFalse(img.holdsExclusiveLock(), "we released the lock when librbd asked");
            img.writeAsync((8L << 20) + 4096, new byte[] {42}).get(60, TimeUnit.SECONDS);
            assertTrue(img.holdsExclusiveLock(), "and took it back on our next write");
            assertEquals(2, img.lockAcquisitions());
        }
        byte[] all = export("handover");
        mine[4096] = 42;
        assertArrayEquals(mine, Arrays.copyOfRange(all, 8 << 20, 9 << 20));
    }

    @Test
    void aDeadOwnersLockIsBrokenOnlyAfterBlocklistingIt() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/orphan");
        String header = headerOf("orphan");
        String deadAddr;
        try (RadosClient other = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            // A librbd-style lock whose owner has no watch on the header: a crashed client.
            other.ioCtx(pool).lock(header, "rbd_lock", false, "auto 123456", "internal", "", 0);
            LockInfo info = io().getLockInfo(header, "rbd_lock");
            deadAddr = info.lockers().get(0).addr().toString().replaceFirst("^(any|v1|v2):", "");
            try (RbdImage img = RbdImage.open(io(), "orphan", false)) {
                img.writeAsync(0, new byte[] {9}).get(90, TimeUnit.SECONDS);
                assertTrue(img.holdsExclusiveLock());
            }
            String bl = c.cephOrThrow("osd", "blocklist", "ls");
            assertTrue(bl.contains(deadAddr), "the dead owner was blocklisted first: " + bl + " / " + deadAddr);
            // The fenced client can no longer write.
            assertThrows(RuntimeException.class, () -> other.ioCtx(pool).write("fenced-probe", 0, new byte[1]));
        } finally {
            c.ceph("osd", "blocklist", "clear");
        }
        assertEquals(9, export("orphan")[0]);
    }

    @Test
    void aLockLibrbdDidNotTakeIsNeverBroken() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/foreign");
        String header = headerOf("foreign");
        try (RadosClient other = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            other.ioCtx(pool).lock(header, "rbd_lock", false, "not-librbd", "someone-else", "", 0);
            try (RbdImage img = RbdImage.open(io(), "foreign", false)) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> img.writeAsync(0, new byte[] {1}).get(60, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof RbdException.LockBusyException, String.valueOf(e.getCause()));
            }
            assertEquals("not-librbd", io().getLockInfo(header, "rbd_lock").lockers().get(0).cookie());
            other.ioCtx(pool).unlock(header, "rbd_lock", "not-librbd");
        }
    }

    @Test
    void anOwnerThatNeverAnswersMakesWritesFailWithATypedTimeout() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/silent");
        String header = headerOf("silent");
        try (RadosClient other = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx theirs = other.ioCtx(pool);
            long handle = theirs.watch(header, (id, gid, payload) -> new byte[0]); // alive, but ignores requests
            theirs.lock(header, "rbd_lock", false, "auto " + handle, "internal", "", 0);
            try (RbdImage img = RbdImage.open(io(), "silent", false, Duration.ofSeconds(8))) {
                long t0 = System.nanoTime();
                var e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> img.writeAsync(0, new byte[] {1}).get(60, TimeUnit.SECONDS));
                long secs = (System.nanoTime() - t0) / 1_000_000_000L;
                assertTrue(e.getCause() instanceof RbdException.LockTimeoutException, String.valueOf(e.getCause()));
                assertTrue(secs >= 7 && secs < 30, "gave up after the 8 s bound: " + secs + " s");
                assertFalse(img.holdsExclusiveLock());
            }
            assertEquals("auto " + handle, io().getLockInfo(header, "rbd_lock").lockers().get(0).cookie(),
                    "a live owner's lock is never broken");
            assertTrue(c.cephOrThrow("osd", "blocklist", "ls").lines().noneMatch(l -> l.contains(
                    ExclusiveLockAddr.of(io().getLockInfo(header, "rbd_lock")))), "nor its client blocklisted");
            theirs.unlock(header, "rbd_lock", "auto " + handle);
            theirs.unwatch(header, handle);
        }
    }

    /** The lock holder's address as the blocklist prints it. */
    private static final class ExclusiveLockAddr {
        static String of(LockInfo info) {
            return info.lockers().get(0).addr().toString().replaceFirst("^(any|v1|v2):", "");
        }
    }

    @Test
    void librbdSnapshotsAnImageWhoseLockWeHoldAndOurNextWritesKeepTheSnapshotIntact() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/snapped");
        byte[] before = new byte[1 << 20];
        new Random(21).nextBytes(before);
        try (RbdImage img = RbdImage.open(io(), "snapped", false)) {
            img.writeAsync(0, before).get(30, TimeUnit.SECONDS);
            assertTrue(img.holdsExclusiveLock());
            long acquisitions = img.lockAcquisitions();
            // librbd asks the owner to snapshot; we run it as librbd's owner does and keep the lock
            CommandResult r = c.rbd(Duration.ofSeconds(120), "snap", "create", pool + "/snapped@theirs",
                    "--log_to_stderr=false", "--err_to_stderr=false");
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertEquals("\rCreating snap: 10% complete...\rCreating snap: 100% complete...done.\n", r.toolStderr());
            assertTrue(img.holdsExclusiveLock());
            assertEquals(acquisitions, img.lockAcquisitions(), "the lock never left us");
            // a name that exists: our owner's EEXIST reaches the stock tool
            CommandResult again = c.rbd(Duration.ofSeconds(120), "snap", "create", "--no-progress",
                    pool + "/snapped@theirs", "--log_to_stderr=false", "--err_to_stderr=false");
            assertEquals(17, again.exitCode(), again.stderr());
            img.writeAsync(0, new byte[1 << 20]).get(60, TimeUnit.SECONDS); // zeros over the snapshotted data
            assertTrue(img.holdsExclusiveLock());
            assertEquals(acquisitions, img.lockAcquisitions());
            assertEquals(java.util.List.of("theirs"), img.snapshots().stream().map(RbdImage.Snapshot::name).toList());
        }
        Path out = tmp.resolve("theirs.snap");
        c.rbdOrThrow("export", pool + "/snapped@theirs", out.toString());
        assertArrayEquals(before, Arrays.copyOf(Files.readAllBytes(out), before.length),
                "our write after their snapshot went out with the new snapshot context");
        assertArrayEquals(new byte[1 << 20], Arrays.copyOf(export("snapped"), 1 << 20));
        var check = c.rbd("object-map", "check", pool + "/snapped");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        var checkSnap = c.rbd("object-map", "check", pool + "/snapped@theirs");
        assertEquals(0, checkSnap.exitCode(), checkSnap.stdout() + checkSnap.stderr());
    }
}
