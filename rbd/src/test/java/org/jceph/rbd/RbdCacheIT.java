package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.cache.CacheSettings;
import org.junit.jupiter.api.Test;

/**
 * The client writeback cache against the live cluster, with librbd's {@code rbd export} as the
 * oracle: flushed data is what the stock tool reads, snapshots and resizes see the writes before
 * them, a peer taking the exclusive lock sees them, and a client killed with dirty data leaves
 * every block acknowledged before its last completed flush on the OSDs, untorn.
 */
class RbdCacheIT extends LiveRbdTest {
    /** Writeback, no writethrough phase, nothing written back by age during a test. */
    private static final CacheSettings WB = CacheSettings.DEFAULTS.withPolicy(CacheSettings.Policy.WRITEBACK)
            .withWritethroughUntilFlush(false).withMaxDirtyAge(Duration.ofMinutes(10));

    private RbdImage open(String name, CacheSettings s) {
        return RbdImage.open(io(), name, OpenOptions.readWrite(), s);
    }

    @Test
    void writeSameAndCompareAndWriteSeeTheDirtyDataBeforeThem() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", "--object-size", "1M", "--image-feature",
                "layering,exclusive-lock,object-map,fast-diff", pool + "/cache-caw");
        byte[] model = new byte[4 << 20];
        try (RbdImage img = open("cache-caw", WB)) {
            byte[] dirty = new byte[8192];
            new java.util.Random(41).nextBytes(dirty);
            img.write(4096, dirty); // held in the cache: no flush yet
            System.arraycopy(dirty, 0, model, 4096, dirty.length);
            // compare-and-write must compare against the cached bytes, not the OSDs' older zeros
            byte[] cmp = java.util.Arrays.copyOfRange(dirty, 0, 512);
            byte[] data = new byte[512];
            java.util.Arrays.fill(data, (byte) 7);
            img.compareAndWrite(4096, cmp, data);
            System.arraycopy(data, 0, model, 4096, 512);
            // writesame over dirty data: the older cached bytes must not land on top of it later
            img.write(1 << 20, dirty);
            img.writeSame(1 << 20, 4096, new byte[] {1, 2, 3, 4});
            for (int i = 0; i < 4096; i++) {
                model[(1 << 20) + i] = (byte) (1 + i % 4);
            }
            System.arraycopy(dirty, 4096, model, (1 << 20) + 4096, 4096);
            img.flush();
            assertArrayEquals(model, img.read(0, model.length));
        }
        assertArrayEquals(model, export("cache-caw"), "the stock tool reads the final bytes");
    }

    @Test
    void cachedWritesReadBackBeforeTheFlushAndRbdExportReadsThemAfterIt() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", "--image-feature", "layering", pool + "/cached");
        byte[] model = new byte[8 << 20];
        Random r = new Random(42);
        try (RbdImage img = open("cached", WB);
             RbdImage peer = RbdImage.open(io(), "cached", true)) {
            assertEquals(WB, img.cacheSettings());
            for (int i = 0; i < 300; i++) {
                int len = 1 + r.nextInt(r.nextBoolean() ? 4096 : 40_000);
                int off = r.nextInt(model.length - len);
                byte[] d = new byte[len];
                r.nextBytes(d);
                System.arraycopy(d, 0, model, off, len);
                img.writeAsync(off, d).get(30, TimeUnit.SECONDS); // acknowledged from memory
                if (i % 50 == 49) {
                    int dl = 1 + r.nextInt(20_000);
                    int doff = r.nextInt(model.length - dl);
                    Arrays.fill(model, doff, doff + dl, (byte) 0);
                    img.discard(doff, dl);
                }
            }
            assertArrayEquals(model, img.read(0, model.length), "our reads see the unflushed writes");
            try (org.jceph.rados.ReadView v = img.readViewAsync(0, model.length).get(30, TimeUnit.SECONDS)) {
                assertArrayEquals(model, v.toByteArray(), "a view sees the unflushed writes too");
            }
            assertFalse(Arrays.equals(model, peer.read(0, model.length)),
                    "another client does not see them yet: they are in our cache (dirty < target, age 10 min)");
            img.flush();
            assertArrayEquals(model, peer.read(0, model.length));
            RbdImageIT.readViews(img, model, 43, true); // nothing held any more: the objects' replies themselves
        }
        assertArrayEquals(model, export("cached"), "rbd export reads what we flushed");
    }

    @Test
    void snapshotAndResizeSeeTheCachedWritesBeforeThem() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", "--image-feature", "layering", pool + "/snapflush");
        byte[] x = new byte[100_000];
        byte[] y = new byte[100_000];
        Arrays.fill(x, (byte) 'x');
        Arrays.fill(y, (byte) 'y');
        try (RbdImage img = open("snapflush", WB)) {
            img.write(1000, x);
            img.snapCreate("s1");
            img.write(1000, y);
            img.write((6 << 20) + 5, x); // beyond the size we shrink to next
            img.resize(4 << 20);
            img.resize(8 << 20);
            assertArrayEquals(new byte[100_000], img.read((6 << 20) + 5, 100_000),
                    "the cut range reads as zeros: the cached write was written before the shrink, not after");
        }
        byte[] atSnap = export("snapflush@s1");
        assertArrayEquals(x, Arrays.copyOfRange(atSnap, 1000, 101_000), "the snapshot holds the write before it");
        byte[] head = export("snapflush");
        assertArrayEquals(y, Arrays.copyOfRange(head, 1000, 101_000));
        assertArrayEquals(new byte[100_000], Arrays.copyOfRange(head, (6 << 20) + 5, (6 << 20) + 100_005));
    }

    @Test
    void aPeerTakingTheExclusiveLockSeesOurCachedWrites() throws Exception {
        c.rbdOrThrow("create", "--size", "8M", pool + "/locked"); // default features: exclusive-lock, object-map
        byte[] ours = new byte[64 << 10];
        Arrays.fill(ours, (byte) 7);
        try (RadosClient other = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
             RbdImage img = open("locked", WB)) {
            img.write(0, ours);
            assertTrue(img.holdsExclusiveLock());
            try (RbdImage theirs = RbdImage.open(other.ioCtx(pool), "locked", OpenOptions.readWrite(),
                    CacheSettings.DISABLED)) {
                theirs.write(1 << 20, new byte[] {1}); // asks for the lock: we flush, then hand it over
                assertTrue(theirs.holdsExclusiveLock());
                assertArrayEquals(ours, theirs.read(0, ours.length));
            }
        }
        assertArrayEquals(ours, Arrays.copyOf(export("locked"), ours.length));
    }

    /**
     * A writer process with the writeback cache is killed (SIGKILL) with dirty data: every block
     * written before its last completed flush must be on the OSDs as that round or a later one
     * wrote it, and no block may be torn (a mix of two rounds).
     */
    @Test
    void aClientKilledWithDirtyDataKeepsEverythingBeforeItsLastFlushUntorn() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering", pool + "/crash");
        long seed = new Random().nextLong();
        int rounds = 11; // flushes after rounds 3, 6, 9; rounds 10 and 11 stay dirty
        String cp = System.getProperty("java.class.path") + java.io.File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, CacheCrashWriter.class.getName(), c.confPath().toString(), pool, "crash",
                Long.toString(seed), Integer.toString(rounds)).redirectErrorStream(true).start();
        int lastFlushed = 0;
        boolean ready = false;
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        synchronized (output) {
                            output.add(line);
                        }
                        if (line.equals("READY")) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.get(180, TimeUnit.SECONDS);
            p.destroyForcibly(); // SIGKILL: no close, no final flush
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        synchronized (output) {
            for (String line : output) {
                if (line.startsWith("FLUSHED ")) {
                    lastFlushed = Integer.parseInt(line.substring(8));
                }
                ready |= line.equals("READY");
            }
        }
        assertTrue(ready, "the writer finished its rounds: " + output);
        assertEquals(9, lastFlushed, output.toString());
        byte[] image = export("crash");
        List<int[]> plan = CacheCrashWriter.plan(seed, rounds);
        int unflushedSeen = 0;
        for (int b = 0; b < CacheCrashWriter.BLOCKS; b++) {
            int mustHave = 0; // the last round up to the last flush that wrote this block
            List<Integer> allowed = new ArrayList<>();
            for (int g = 1; g <= rounds; g++) {
                final int blk = b;
                if (Arrays.stream(plan.get(g - 1)).anyMatch(x -> x == blk)) {
                    if (g <= lastFlushed) {
                        mustHave = g;
                    }
                    allowed.add(g);
                }
            }
            byte[] got = Arrays.copyOfRange(image, b * CacheCrashWriter.BLOCK, (b + 1) * CacheCrashWriter.BLOCK);
            int found = -1;
            if (mustHave == 0 && Arrays.equals(got, new byte[CacheCrashWriter.BLOCK])) {
                found = 0;
            }
            for (int g : allowed) {
                if (g >= mustHave && Arrays.equals(got, CacheCrashWriter.pattern(b, g))) {
                    found = g;
                }
            }
            assertTrue(found >= 0, "seed " + seed + ": block " + b + " is neither round " + mustHave
                    + " (its last before the flush) nor a later one, nor untorn");
            if (found > lastFlushed) {
                unflushedSeen++;
            }
        }
        System.out.println("[cache-crash] seed " + seed + ": " + unflushedSeen
                + " blocks from the unflushed rounds reached the OSDs (allowed, not required)");
    }
}
