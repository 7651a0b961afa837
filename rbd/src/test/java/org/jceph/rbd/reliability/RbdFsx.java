package org.jceph.rbd.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.ClusterFaults;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.fixtures.cluster.ReliabilityProfile;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RBD exerciser in the manner of Ceph's {@code fsx} for librbd: a seeded generator runs reads,
 * writes, discards, zero-writes, resizes (grow and shrink) and snapshot create / rollback / remove
 * / read-at-snapshot on one format 2 image, each checked against an in-memory model of the image
 * (and of each snapshot), while {@link ClusterFaults} injects socket failures, kills and restarts an
 * OSD, marks one out and in, splits the pool's PGs and restarts the monitor. At the end the stock
 * {@code rbd export} of the image and of every snapshot must equal the model.
 *
 * <p>write_zeroes: jceph's RbdImage has no write_zeroes call; it is exercised as a write of a
 * zero-filled buffer (and discard, which librbd also guarantees reads back as zeros here).
 * Clone/flatten are not in the RbdImage API yet and are not exercised.
 *
 * <p>{@link RbdFsxIT} runs it on every release; {@link RbdFsxCacheIT} runs it again through the
 * client writeback cache.
 */
@RealCluster(config = {"osd pool default min size = 2", "osd heartbeat grace = 6", "osd heartbeat interval = 2",
        "mon osd down out interval = 0", "osd pool default pg autoscale mode = off", "osd snap trim sleep = 0.005"})
abstract class RbdFsx {
    static final String POOL = "fsx";
    private static final String IMAGE = "fsx-image";
    private static final int ORDER = 20; // 1 MiB objects: many objects, cheap to touch
    private static final int MAX_SIZE = 24 << 20;
    private static final Duration OP_TIMEOUT = Duration.ofSeconds(120);
    private static final long STUCK_SECONDS = OP_TIMEOUT.toSeconds() + 30;
    private static final int MAX_SNAPS = 3;

    enum Kind { READ, WRITE, DISCARD, WRITE_ZEROES, RESIZE, SNAP_CREATE, SNAP_ROLLBACK, SNAP_REMOVE, SNAP_READ, FLUSH }

    @TempDir
    Path tmp;

    final ReliabilityProfile profile = ReliabilityProfile.fromSystemProperties();
    private byte[] model;
    private final Map<String, byte[]> snaps = new LinkedHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final EnumMap<Kind, Integer> done = new EnumMap<>(Kind.class);
    private int snapCounter;

    private String pool = POOL;

    /**
     * One run: a pool of its own, the image, {@code minOps} steps at least while the fault script
     * runs, then the stock exports compared with the model. {@code cache} null: the uncached path.
     */
    void run(CephCluster c, String poolName, org.jceph.rbd.cache.CacheSettings cache, long minOps)
            throws Exception {
        pool = poolName;
        System.out.println("RbdFsxIT " + profile + (cache == null ? "" : ", cache " + cache));
        Random gen = new Random(profile.seed());
        Random flushes = new Random(profile.seed() ^ 0xcac4eL);
        c.cephOrThrow("osd", "pool", "create", pool, "8", "8");
        c.cephOrThrow("osd", "pool", "application", "enable", pool, "rbd");
        c.waitForCleanPgs(Duration.ofSeconds(120));
        CephConfig config = CephConfig.builder().confFile(c.confPath())
                .set("rados_osd_op_timeout", Long.toString(OP_TIMEOUT.toSeconds())).build();
        ClusterFaults faults = new ClusterFaults(c, new Random(profile.seed() ^ 0xf5c));
        long t0 = System.nanoTime();
        try (RadosClient client = RadosClient.connect(config)) {
            IoCtx io = client.ioCtx(pool);
            RbdImage.create(io, IMAGE, 8 << 20, ORDER, RbdFeatures.LAYERING);
            try (RbdImage img = cache == null ? RbdImage.open(io, IMAGE, false)
                    : RbdImage.open(io, IMAGE, org.jceph.rbd.OpenOptions.readWrite(), cache)) {
                model = new byte[(int) img.size()];
                ClusterFaults.Background faulter = faults.startInBackground(pool, 8, profile.soak(),
                        profile.soakTime(), () -> !failures.isEmpty());
                long ops = 0;
                while ((ops < minOps || !faulter.done()) && failures.isEmpty()) {
                    step(img, gen, ops);
                    if (cache != null && flushes.nextInt(10) == 0) {
                        await("flush after op " + ops, img.flushAsync());
                        done.merge(Kind.FLUSH, 1, Integer::sum);
                    }
                    ops++;
                    if (ops % 250 == 0) {
                        System.out.printf("[fsx] %d ops, %.0f s, size %d, snaps %s, faults so far %d%n", ops,
                                (System.nanoTime() - t0) / 1e9, model.length, snaps.keySet(), faults.count());
                    }
                }
                Throwable faultError = faulter.join(Duration.ofMinutes(5));
                if (faultError != null) {
                    failures.add("the fault script failed: " + faultError);
                }
                long secs = (System.nanoTime() - t0) / 1_000_000_000L;
                if (failures.isEmpty()) {
                    await("final flush", img.flushAsync());
                    c.waitForCleanPgs(Duration.ofSeconds(240));
                    check("final read", model, img.readAsync(0, model.length));
                    compareExport(c, IMAGE, model);
                    for (Map.Entry<String, byte[]> s : snaps.entrySet()) {
                        compareExport(c, IMAGE + "@" + s.getKey(), s.getValue());
                    }
                }
                System.out.printf("[fsx] RESULT %s: %d ops in %d s (%s), %d faults injected (%d injected socket failures"
                        + " logged by the daemons):%n  %s%n  mismatches/failures: %d%n", profile.replayHint(), ops, secs,
                        done, faults.count(), ClusterFaults.injectedSocketFailures(c), String.join("\n  ", faults.events()),
                        failures.size());
            }
        }
        if (!failures.isEmpty()) {
            c.markFailed();
            fail(profile.replayHint() + ": " + failures.size() + " failure(s), first: "
                    + failures.subList(0, Math.min(5, failures.size())));
        }
    }

    private void step(RbdImage img, Random gen, long n) throws Exception {
        int size = model.length;
        int pick = gen.nextInt(100);
        Kind k;
        if (pick < 30) {
            k = Kind.READ;
        } else if (pick < 62) {
            k = Kind.WRITE;
        } else if (pick < 70) {
            k = Kind.DISCARD;
        } else if (pick < 76) {
            k = Kind.WRITE_ZEROES;
        } else if (pick < 81) {
            k = Kind.RESIZE;
        } else if (pick < 85) {
            k = snaps.size() < MAX_SNAPS ? Kind.SNAP_CREATE : Kind.SNAP_REMOVE;
        } else if (pick < 88) {
            k = snaps.isEmpty() ? Kind.READ : Kind.SNAP_ROLLBACK;
        } else if (pick < 90) {
            k = snaps.isEmpty() ? Kind.READ : Kind.SNAP_REMOVE;
        } else {
            k = snaps.isEmpty() ? Kind.READ : Kind.SNAP_READ;
        }
        if (size == 0 && (k == Kind.READ || k == Kind.WRITE || k == Kind.DISCARD || k == Kind.WRITE_ZEROES)) {
            k = Kind.RESIZE;
        }
        switch (k) {
            case READ -> {
                int len = 1 + gen.nextInt(Math.min(size, 3 << 20));
                int off = gen.nextInt(size - len + 1);
                check("read " + off + "+" + len, Arrays.copyOfRange(model, off, off + len), img.readAsync(off, len));
            }
            case WRITE, WRITE_ZEROES -> {
                // A few non-overlapping writes at once (fsx's single stream, with some parallelism).
                int batch = 1 + gen.nextInt(4);
                List<CompletableFuture<Void>> fs = new ArrayList<>();
                int slice = size / batch;
                for (int b = 0; b < batch && slice > 0; b++) {
                    int len = 1 + gen.nextInt(Math.min(slice, 2 << 20));
                    int off = b * slice + gen.nextInt(slice - len + 1);
                    byte[] d = new byte[len];
                    if (k == Kind.WRITE) {
                        gen.nextBytes(d);
                    }
                    System.arraycopy(d, 0, model, off, len);
                    fs.add(img.writeAsync(off, d));
                }
                await(k + " batch", CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)));
            }
            case DISCARD -> {
                int len = 1 + gen.nextInt(Math.min(size, 4 << 20));
                int off = gen.nextInt(size - len + 1);
                Arrays.fill(model, off, off + len, (byte) 0);
                await("discard " + off + "+" + len, img.discardAsync(off, len));
            }
            case RESIZE -> {
                int newSize = gen.nextInt(4) == 0 ? gen.nextInt(MAX_SIZE + 1) : (gen.nextInt(MAX_SIZE >> 12) + 1) << 12;
                img.resize(newSize);
                model = Arrays.copyOf(model, newSize);
            }
            case SNAP_CREATE -> {
                String name = "s" + (snapCounter++);
                img.snapCreate(name);
                snaps.put(name, model.clone());
            }
            case SNAP_REMOVE -> {
                String name = new ArrayList<>(snaps.keySet()).get(gen.nextInt(snaps.size()));
                img.snapRemove(name);
                snaps.remove(name);
            }
            case SNAP_ROLLBACK -> {
                String name = new ArrayList<>(snaps.keySet()).get(gen.nextInt(snaps.size()));
                img.snapRollback(name);
                model = snaps.get(name).clone();
            }
            case SNAP_READ -> {
                String name = new ArrayList<>(snaps.keySet()).get(gen.nextInt(snaps.size()));
                byte[] then = snaps.get(name);
                RbdImage at = img.atSnapshot(name);
                if (at.size() != then.length) {
                    failures.add("op " + n + ": snapshot " + name + " has size " + at.size() + ", model " + then.length);
                } else if (then.length > 0) {
                    int len = 1 + gen.nextInt(Math.min(then.length, 3 << 20));
                    int off = gen.nextInt(then.length - len + 1);
                    check("read @" + name + " " + off + "+" + len, Arrays.copyOfRange(then, off, off + len),
                            at.readAsync(off, len));
                }
            }
            default -> throw new IllegalStateException();
        }
        if (img.size() != model.length) {
            failures.add("op " + n + " (" + k + "): image size " + img.size() + ", model " + model.length);
        }
        done.merge(k, 1, Integer::sum);
    }

    private <T> T await(String what, CompletableFuture<T> f) throws Exception {
        try {
            return f.get(STUCK_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            failures.add(what + ": stuck for " + STUCK_SECONDS + " s");
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            failures.add(what + " failed: " + e.getCause());
            return null;
        }
    }

    private void check(String what, byte[] want, CompletableFuture<byte[]> f) throws Exception {
        byte[] got = await(what, f);
        if (got != null && !Arrays.equals(want, got)) {
            failures.add(what + ": differs from the model at byte " + Arrays.mismatch(want, got));
            System.out.println("[fsx] MISMATCH " + what);
        }
    }

    private void compareExport(CephCluster c, String spec, byte[] want) throws Exception {
        Path out = tmp.resolve(spec.replace('@', '_') + ".raw");
        var r = c.rbd(Duration.ofSeconds(120), "export", pool + "/" + spec, out.toString());
        if (!r.ok()) {
            failures.add("rbd export " + spec + ": " + r.describeFailure());
            return;
        }
        byte[] got = Files.readAllBytes(out);
        if (!Arrays.equals(want, got)) {
            failures.add("rbd export " + spec + " differs from the model at byte " + Arrays.mismatch(want, got)
                    + " (model " + want.length + " bytes, export " + got.length + ")");
        }
    }
}
