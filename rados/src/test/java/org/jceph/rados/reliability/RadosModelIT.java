package org.jceph.rados.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jceph.encoding.types.SnapContext;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.ClusterFaults;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.fixtures.cluster.ReliabilityProfile;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model-checked RADOS workload in the manner of Ceph's {@code ceph_test_rados}: a seeded
 * generator issues writes, write_fulls, appends, truncates, zeroes, xattr and omap updates,
 * deletes, self-managed snapshot create/remove/rollback and reads (at the head and at snapshots)
 * on a few hundred objects, many at once through the async API (at most one op per object at a
 * time, so each object's history is a sequence). Every acknowledged result is checked against an
 * in-memory model. Meanwhile {@link ClusterFaults} injects socket failures on the OSDs and the
 * monitor, kills and restarts an OSD (pool size 3, min_size 2), marks an OSD out and in, doubles
 * pg_num and restarts the monitor.
 *
 * <p>Pass: zero mismatches, zero acknowledged writes lost (a full read-back of every object at the
 * head and at every live snapshot after the faults, some also through the stock {@code rados}
 * CLI), zero ops stuck past their deadline. The seed is printed, and is in every failure message.
 */
// The fault-injection spec: ObservabilityIT, RadosFailoverIT, RadosWatchCheckIT, WatchFaultsIT and
// RadosModelIT ask for the very same cluster, so they share one (each leaves every OSD running).
@RealCluster(config = {"osd pool default min size = 2", "osd heartbeat grace = 6", "osd heartbeat interval = 2",
        "mon osd down out interval = 0", "osd pool default pg autoscale mode = off", "osd snap trim sleep = 0.005"})
@CrossRelease
class RadosModelIT {
    private static final String POOL = "model";
    private static final int PG_NUM = 8;
    /** The client's op timeout; an op still unanswered 30 s after it is stuck. */
    private static final Duration OP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STUCK = OP_TIMEOUT.plusSeconds(30);
    private static final int MAX_SIZE = 192 * 1024;
    private static final String[] XATTRS = {"a", "b", "c", "user.d", "e-long-name-for-an-xattr"};
    private static final int OMAP_KEYS = 16;
    private static final int MAX_SNAPS = 3;

    @TempDir
    Path tmp;

    /** An object as the model knows it: immutable, replaced on every change. */
    record Obj(boolean exists, byte[] data, SortedMap<String, byte[]> xattrs, SortedMap<String, byte[]> omap) {
        static final Obj ABSENT = new Obj(false, new byte[0], Collections.emptySortedMap(), Collections.emptySortedMap());

        Obj withData(byte[] d) {
            return new Obj(true, d, xattrs, omap);
        }
    }

    enum Kind { WRITE, WRITE_FULL, APPEND, TRUNCATE, ZERO, SETXATTR, RMXATTR, OMAP_SET, OMAP_RM, DELETE, READ, SNAP_READ,
        ROLLBACK, SNAP_CREATE, SNAP_REMOVE }

    private static final Kind[] WEIGHTED = weights(Map.ofEntries(Map.entry(Kind.WRITE, 20), Map.entry(Kind.WRITE_FULL, 6),
            Map.entry(Kind.APPEND, 8), Map.entry(Kind.TRUNCATE, 4), Map.entry(Kind.ZERO, 3), Map.entry(Kind.SETXATTR, 6),
            Map.entry(Kind.RMXATTR, 2), Map.entry(Kind.OMAP_SET, 6), Map.entry(Kind.OMAP_RM, 2), Map.entry(Kind.DELETE, 3),
            Map.entry(Kind.READ, 24), Map.entry(Kind.SNAP_READ, 8), Map.entry(Kind.ROLLBACK, 2)));

    private static Kind[] weights(Map<Kind, Integer> w) {
        List<Kind> out = new ArrayList<>();
        w.forEach((k, n) -> out.addAll(Collections.nCopies(n, k)));
        Collections.sort(out); // stable order whatever the map's iteration order: replays need it
        return out.toArray(Kind[]::new);
    }

    // ---- state of one run ---------------------------------------------------------------------

    private final ReliabilityProfile profile = ReliabilityProfile.fromSystemProperties();
    private Obj[] head;
    /** Live snapshots, oldest first: snap id and the model of every object at that snap. */
    private final TreeMap<Long, Obj[]> snaps = new TreeMap<>();
    private final AtomicBoolean[] busy = new AtomicBoolean[0];
    private final Map<Long, String> inFlight = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final EnumMap<Kind, AtomicLong> done = new EnumMap<>(Kind.class);
    private final AtomicLong opIds = new AtomicLong();
    private final Map<Long, Long> started = new ConcurrentHashMap<>();
    /** The last ops on each object, for the failure report. */
    private final Map<Integer, java.util.ArrayDeque<String>> history = new ConcurrentHashMap<>();

    private void note(int o, String what) {
        java.util.ArrayDeque<String> h = history.computeIfAbsent(o, k -> new java.util.ArrayDeque<>());
        synchronized (h) {
            h.addLast(String.format("%.1fs %s", (System.nanoTime() - T0) / 1e9, what));
            if (h.size() > 16) {
                h.removeFirst();
            }
        }
    }

    private static final long T0 = System.nanoTime();

    @Test
    void everyAcknowledgedResultMatchesTheModelUnderFaults(CephCluster c) throws Exception {
        System.out.println("RadosModelIT " + profile);
        int objects = profile.pick(200, 500);
        int inflight = profile.pick(32, 64);
        long minOps = profile.pick(c, 6000, 3000, 20_000); // Reef and Tentacle: a smaller CI budget
        head = new Obj[objects];
        Arrays.fill(head, Obj.ABSENT);
        Semaphore[] objectLocks = new Semaphore[objects];
        for (int i = 0; i < objects; i++) {
            objectLocks[i] = new Semaphore(1);
        }
        for (Kind k : Kind.values()) {
            done.put(k, new AtomicLong());
        }
        Random gen = new Random(profile.seed());
        c.cephOrThrow("osd", "pool", "create", POOL, Integer.toString(PG_NUM), Integer.toString(PG_NUM));
        c.cephOrThrow("osd", "pool", "application", "enable", POOL, "rados");
        c.waitForCleanPgs(Duration.ofSeconds(120));

        CephConfig config = CephConfig.builder().confFile(c.confPath())
                .set("rados_osd_op_timeout", Long.toString(OP_TIMEOUT.toSeconds()))
                .set("objecter_inflight_ops", Integer.toString(inflight * 2)).build();
        long t0 = System.nanoTime();
        ClusterFaults faults = new ClusterFaults(c, new Random(profile.seed() ^ 0x5eed));
        try (RadosClient client = RadosClient.connect(config)) {
            IoCtx io = client.ioCtx(POOL);
            ClusterFaults.Background faulter = faults.startInBackground(POOL, PG_NUM, profile.soak(),
                    profile.soakTime(), () -> !failures.isEmpty());

            Semaphore budget = new Semaphore(inflight);
            long issued = 0;
            while ((issued < minOps || !faulter.done()) && failures.isEmpty()) {
                checkStuck();
                if (!budget.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                Kind kind = WEIGHTED[gen.nextInt(WEIGHTED.length)];
                if (gen.nextInt(400) == 0) {
                    kind = snaps.size() < MAX_SNAPS ? Kind.SNAP_CREATE : Kind.SNAP_REMOVE;
                }
                if (kind == Kind.SNAP_CREATE || kind == Kind.SNAP_REMOVE) {
                    // A barrier: no op in flight, so the snapshot falls between two known states.
                    budget.release();
                    if (!budget.tryAcquire(inflight, STUCK.toSeconds(), TimeUnit.SECONDS)) {
                        failures.add("ops still in flight after " + STUCK.toSeconds() + " s: " + inFlight.values());
                        break;
                    }
                    try {
                        snapOp(client, io, kind, gen);
                    } finally {
                        budget.release(inflight);
                    }
                    issued++;
                    continue;
                }
                int o = gen.nextInt(objects);
                // Same object busy: wait for it (keeps the op sequence a function of the seed alone).
                if (!objectLocks[o].tryAcquire(STUCK.toSeconds(), TimeUnit.SECONDS)) {
                    failures.add("object " + o + " busy for " + STUCK.toSeconds() + " s: " + inFlight.values());
                    budget.release();
                    break;
                }
                CompletableFuture<?> f;
                try {
                    f = issue(io, kind, o, gen);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                long id = opIds.incrementAndGet();
                inFlight.put(id, kind + " on " + oid(o));
                started.put(id, System.nanoTime());
                f.whenComplete((r, e) -> {
                    inFlight.remove(id);
                    started.remove(id);
                    objectLocks[o].release();
                    budget.release();
                });
                issued++;
                if (issued % 1000 == 0) {
                    System.out.printf("[model] %d ops issued, %.0f s, %d in flight, faults so far %d%n", issued,
                            (System.nanoTime() - t0) / 1e9, inFlight.size(), faults.count());
                }
            }
            // Drain.
            if (!budget.tryAcquire(inflight, STUCK.toSeconds(), TimeUnit.SECONDS) && failures.isEmpty()) {
                failures.add("ops stuck past " + STUCK.toSeconds() + " s: " + inFlight.values());
            }
            Throwable faultError = faulter.join(Duration.ofMinutes(5));
            if (faultError != null) {
                failures.add("the fault script failed: " + faultError);
            }
            long workloadSecs = (System.nanoTime() - t0) / 1_000_000_000L;
            if (failures.isEmpty()) {
                c.waitForCleanPgs(Duration.ofSeconds(240));
                verifyEverything(client, io);
                crossCheckWithRadosCli(c, gen);
            }
            long total = done.values().stream().mapToLong(AtomicLong::get).sum();
            long socketFaults = ClusterFaults.injectedSocketFailures(c);
            System.out.printf("[model] RESULT %s: %d ops acknowledged and checked in %d s (%s), %d faults injected"
                    + " (and %d injected socket failures logged by the daemons):%n  %s%n  mismatches/failures: %d%n",
                    profile.replayHint(), total, workloadSecs, done, faults.count(), socketFaults,
                    String.join("\n  ", faults.events()), failures.size());
            if (!failures.isEmpty()) {
                c.markFailed();
                fail(profile.replayHint() + ": " + failures.size() + " failure(s), first: "
                        + failures.subList(0, Math.min(5, failures.size())));
            }
        }
    }

    /**
     * Regression: after a monitor restart the client used to authenticate afresh and get a new
     * global id, so its resent ops carried a new reqid, the OSDs could not recognise them as
     * replays, and a delete that had been applied before a socket fault was applied again
     * (ENOENT; an append would have been doubled). The reconnect now reclaims the global id with
     * the old AUTH ticket.
     */
    @Test
    void theClientKeepsItsGlobalIdAcrossMonitorRestarts(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.builder().confFile(c.confPath()).build())) {
            long id = client.instanceId();
            IoCtx io = client.ioCtx(c.testPool());
            for (boolean kill : new boolean[] {false, true}) {
                c.restartMon(kill);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                // The session notices the restart when its connection fails; a pool op goes through the monitor.
                long snap = client.createSelfManagedSnap(io.poolId());
                client.removeSelfManagedSnap(io.poolId(), snap);
                while (client.instanceId() != id && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(id, client.instanceId(), "global id after a monitor restart (kill=" + kill + ")");
            }
            io.writeFull("after-mon-restarts", new byte[] {7});
            assertEquals(7, io.read("after-mon-restarts", 0, 1)[0]);
        }
    }

    private static String oid(int o) {
        return "obj-" + o;
    }

    private void checkStuck() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Long> e : started.entrySet()) {
            if (now - e.getValue() > STUCK.toNanos()) {
                failures.add("op stuck past its deadline: " + inFlight.get(e.getKey()));
            }
        }
    }

    private static byte[] bytes(Random gen, int n) {
        byte[] b = new byte[n];
        gen.nextBytes(b);
        return b;
    }

    private void mismatch(String what) {
        failures.add(what);
        System.out.println("[model] MISMATCH " + what);
    }

    /**
     * Issues one per-object op; the returned future completes after the result was checked and the
     * model updated (the object is ours alone until then).
     */
    private CompletableFuture<?> issue(IoCtx io, Kind kind, int o, Random gen) {
        Obj cur = head[o];
        String oid = oid(o);
        // Ops that only make sense on an existing object become writes on an absent one.
        if (!cur.exists() && (kind == Kind.TRUNCATE || kind == Kind.ZERO || kind == Kind.SETXATTR || kind == Kind.RMXATTR
                || kind == Kind.OMAP_SET || kind == Kind.OMAP_RM)) {
            kind = Kind.WRITE;
        }
        if (kind == Kind.RMXATTR && cur.xattrs().isEmpty()) {
            kind = Kind.SETXATTR;
        }
        if ((kind == Kind.SNAP_READ || kind == Kind.ROLLBACK) && snaps.isEmpty()) {
            kind = Kind.READ;
        }
        final Kind k = kind;
        switch (k) {
            case WRITE -> {
                int len = 1 + gen.nextInt(16 * 1024);
                int off = gen.nextInt(Math.min(MAX_SIZE - len, cur.data().length + 8 * 1024) + 1);
                byte[] d = bytes(gen, len);
                byte[] nd = Arrays.copyOf(cur.data(), Math.max(cur.data().length, off + len));
                System.arraycopy(d, 0, nd, off, len);
                note(o, "write " + off + "+" + len);
                return ack(k, o, io.writeAsync(oid, off, d), cur.withData(nd));
            }
            case WRITE_FULL -> {
                byte[] d = bytes(gen, gen.nextInt(32 * 1024));
                return ack(k, o, io.writeFullAsync(oid, d), cur.withData(d));
            }
            case APPEND -> {
                int len = 1 + gen.nextInt(8 * 1024);
                if (cur.data().length + len > MAX_SIZE) {
                    byte[] d = bytes(gen, 100);
                    return ack(Kind.WRITE_FULL, o, io.writeFullAsync(oid, d), cur.withData(d));
                }
                byte[] d = bytes(gen, len);
                byte[] nd = Arrays.copyOf(cur.data(), cur.data().length + len);
                System.arraycopy(d, 0, nd, cur.data().length, len);
                return ack(k, o, io.operateAsync(oid, new IoCtx.Operation().append(d)), cur.withData(nd));
            }
            case TRUNCATE -> {
                int size = gen.nextInt(Math.min(MAX_SIZE, cur.data().length + 8 * 1024) + 1);
                return ack(k, o, io.operateAsync(oid, new IoCtx.Operation().truncate(size)),
                        cur.withData(Arrays.copyOf(cur.data(), size)));
            }
            case ZERO -> {
                int size = cur.data().length;
                if (size == 0) {
                    return issue(io, Kind.WRITE, o, gen);
                }
                int off = gen.nextInt(size);
                int len = 1 + gen.nextInt(size - off);
                byte[] nd = cur.data().clone();
                Arrays.fill(nd, off, off + len, (byte) 0);
                if (off + len >= size) {
                    // A zero that reaches the end of the object truncates it at the zero's offset
                    // (seen on Pacific: zero 21412+188 of a 21600-byte object leaves 21412 bytes).
                    nd = Arrays.copyOf(cur.data(), off);
                }
                note(o, "zero " + off + "+" + len);
                return ack(k, o, io.zeroAsync(oid, off, len), cur.withData(nd));
            }
            case SETXATTR -> {
                String name = XATTRS[gen.nextInt(XATTRS.length)];
                byte[] v = bytes(gen, gen.nextInt(200));
                TreeMap<String, byte[]> x = new TreeMap<>(cur.xattrs());
                x.put(name, v);
                return ack(k, o, io.operateAsync(oid, new IoCtx.Operation().setXattr(name, v)),
                        new Obj(true, cur.data(), x, cur.omap()));
            }
            case RMXATTR -> {
                List<String> names = new ArrayList<>(cur.xattrs().keySet());
                String name = names.get(gen.nextInt(names.size()));
                TreeMap<String, byte[]> x = new TreeMap<>(cur.xattrs());
                x.remove(name);
                return ack(k, o, io.operateAsync(oid, new IoCtx.Operation().rmXattr(name)),
                        new Obj(true, cur.data(), x, cur.omap()));
            }
            case OMAP_SET -> {
                TreeMap<String, byte[]> set = new TreeMap<>();
                for (int i = 1 + gen.nextInt(4); i > 0; i--) {
                    set.put("k" + gen.nextInt(OMAP_KEYS), bytes(gen, gen.nextInt(100)));
                }
                TreeMap<String, byte[]> m = new TreeMap<>(cur.omap());
                m.putAll(set);
                return ack(k, o, io.operateAsync(oid, new IoCtx.Operation().omapSetVals(set)),
                        new Obj(true, cur.data(), cur.xattrs(), m));
            }
            case OMAP_RM -> {
                List<String> keys = new ArrayList<>();
                for (int i = 1 + gen.nextInt(3); i > 0; i--) {
                    keys.add("k" + gen.nextInt(OMAP_KEYS));
                }
                TreeMap<String, byte[]> m = new TreeMap<>(cur.omap());
                keys.forEach(m::remove);
                return ack(k, o, io.operateAsync(oid, new IoCtx.Operation().omapRmKeys(keys)),
                        new Obj(true, cur.data(), cur.xattrs(), m));
            }
            case DELETE -> {
                CompletableFuture<Void> f = io.removeAsync(oid);
                if (!cur.exists()) {
                    return expectEnoent(k, oid, f);
                }
                return ack(k, o, f, Obj.ABSENT);
            }
            case READ -> {
                return check(k, oid, read(io, oid), cur);
            }
            case SNAP_READ -> {
                List<Long> ids = new ArrayList<>(snaps.keySet());
                long snap = ids.get(gen.nextInt(ids.size()));
                IoCtx at = io.duplicate();
                at.setReadSnap(snap);
                return check(k, oid + "@" + snap, read(at, oid), snaps.get(snap)[o]);
            }
            case ROLLBACK -> {
                List<Long> ids = new ArrayList<>(snaps.keySet());
                long snap = ids.get(gen.nextInt(ids.size()));
                Obj then = snaps.get(snap)[o];
                note(o, "rollback to " + snap);
                return ack(k, o, io.selfManagedSnapRollbackAsync(oid, snap), then);
            }
            default -> throw new IllegalStateException(k.toString());
        }
    }

    private CompletableFuture<?> ack(Kind kind, int o, CompletableFuture<?> f, Obj after) {
        note(o, "sent " + kind + " -> size " + after.data().length + (after.exists() ? "" : " (absent)"));
        return f.handle((r, e) -> {
            note(o, "acked " + kind + (e == null ? "" : " FAILED " + unwrap(e)));
            if (e != null) {
                mismatch(kind + " on " + oid(o) + " failed: " + unwrap(e));
            } else {
                head[o] = after;
                done.get(kind).incrementAndGet();
            }
            return null;
        });
    }

    private CompletableFuture<?> expectEnoent(Kind kind, String what, CompletableFuture<?> f) {
        return f.handle((r, e) -> {
            if (e == null) {
                mismatch(kind + " on " + what + " succeeded but the model says the object does not exist");
            } else if (!(unwrap(e) instanceof RadosException.ObjectNotFoundException)) {
                mismatch(kind + " on " + what + ": expected ENOENT, got " + unwrap(e));
            } else {
                done.get(kind).incrementAndGet();
            }
            return null;
        });
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The object's data, xattrs and omap in one atomic compound read; null when it does not exist. */
    private static CompletableFuture<Obj> read(IoCtx io, String oid) {
        return io.operateAsync(oid, new IoCtx.Operation().read(0, MAX_SIZE + 4096).getXattrs().omapGetVals("", "", 1000))
                .handle((r, e) -> {
                    if (e != null) {
                        if (unwrap(e) instanceof RadosException.ObjectNotFoundException) {
                            return Obj.ABSENT;
                        }
                        throw new CompletionException(unwrap(e));
                    }
                    return new Obj(true, r.outputs().get(0), IoCtx.Operation.decodeXattrs(r.outputs().get(1)),
                            IoCtx.Operation.decodeOmapVals(r.outputs().get(2)));
                });
    }

    private CompletableFuture<?> check(Kind kind, String what, CompletableFuture<Obj> f, Obj expected) {
        return f.handle((got, e) -> {
            if (e != null) {
                mismatch(kind + " of " + what + " failed: " + unwrap(e));
            } else {
                String diff = diff(expected, got);
                if (diff != null) {
                    int o = Integer.parseInt(what.replaceAll("^(final )?obj-(\\d+).*$", "$2"));
                    java.util.ArrayDeque<String> h = history.getOrDefault(o, new java.util.ArrayDeque<>());
                    synchronized (h) {
                        mismatch(kind + " of " + what + ": " + diff + "; last ops on it: " + h);
                    }
                } else {
                    done.get(kind).incrementAndGet();
                }
            }
            return null;
        });
    }

    /** Null when equal, else what differs. */
    static String diff(Obj want, Obj got) {
        if (want.exists() != got.exists()) {
            return "exists: model " + want.exists() + ", cluster " + got.exists();
        }
        if (!want.exists()) {
            return null;
        }
        if (!Arrays.equals(want.data(), got.data())) {
            int i = Arrays.mismatch(want.data(), got.data());
            return "data differs at byte " + i + " (model size " + want.data().length + ", cluster size " + got.data().length
                    + ")";
        }
        String x = mapDiff(want.xattrs(), got.xattrs());
        if (x != null) {
            return "xattrs: " + x;
        }
        String m = mapDiff(want.omap(), got.omap());
        return m == null ? null : "omap: " + m;
    }

    private static String mapDiff(SortedMap<String, byte[]> want, SortedMap<String, byte[]> got) {
        if (!want.keySet().equals(got.keySet())) {
            return "keys: model " + want.keySet() + ", cluster " + got.keySet();
        }
        for (String k : want.keySet()) {
            if (!Arrays.equals(want.get(k), got.get(k))) {
                return "value of " + k + " differs";
            }
        }
        return null;
    }

    /** Snapshot create or remove, with nothing in flight. */
    private void snapOp(RadosClient client, IoCtx io, Kind kind, Random gen) {
        try {
            if (kind == Kind.SNAP_CREATE) {
                long id = client.createSelfManagedSnap(io.poolId());
                snaps.put(id, head.clone());
            } else {
                List<Long> ids = new ArrayList<>(snaps.keySet());
                long id = ids.get(gen.nextInt(ids.size()));
                snaps.remove(id);
                client.removeSelfManagedSnap(io.poolId(), id);
            }
            List<Long> newestFirst = new ArrayList<>(snaps.descendingKeySet());
            long seq = Math.max(lastSeq, snaps.isEmpty() ? 0 : snaps.lastKey());
            lastSeq = seq;
            io.setSelfManagedSnapWriteContext(new SnapContext(seq, newestFirst));
            done.get(kind).incrementAndGet();
        } catch (RuntimeException e) {
            mismatch(kind + " failed: " + e);
        }
    }

    private long lastSeq;

    /** After the faults: every object at the head and at every live snap, many reads at once. */
    private void verifyEverything(RadosClient client, IoCtx io) throws Exception {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int o = 0; o < head.length; o++) {
            all.add(check(Kind.READ, "final " + oid(o), read(io, oid(o)), head[o]));
            for (Map.Entry<Long, Obj[]> s : snaps.entrySet()) {
                IoCtx at = io.duplicate();
                at.setReadSnap(s.getKey());
                all.add(check(Kind.SNAP_READ, "final " + oid(o) + "@" + s.getKey(), read(at, oid(o)), s.getValue()[o]));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(STUCK.toSeconds(), TimeUnit.SECONDS);
    }

    /** The stock rados CLI as an oracle: a sample of objects read with {@code rados get}. */
    private void crossCheckWithRadosCli(CephCluster c, Random gen) throws Exception {
        for (int i = 0; i < 8; i++) {
            int o = gen.nextInt(head.length);
            Path out = tmp.resolve("get-" + o);
            var r = c.rados("-p", POOL, "get", oid(o), out.toString());
            if (head[o].exists()) {
                if (!r.ok()) {
                    mismatch("rados get " + oid(o) + ": " + r.describeFailure());
                } else if (!Arrays.equals(head[o].data(), Files.readAllBytes(out))) {
                    mismatch("rados get " + oid(o) + " differs from the model");
                }
            } else if (r.ok()) {
                mismatch("rados get " + oid(o) + " found an object the model says was deleted");
            }
        }
        assertEquals(List.of(), List.copyOf(failures));
    }
}
