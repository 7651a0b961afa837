package org.jceph.rados.internal.mon;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jceph.messenger.mon.OsdMapUpdate;
import org.jceph.osdmap.Incremental;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.Placement;

/**
 * Keeps the client's OSDMap current. Every MOSDMap (from the monitor's standing subscription, or
 * shared by an OSD) is handed to {@link #offer} exactly once; the keeper applies it on its own
 * thread ({@code jceph-osdmap}), never on the messenger's I/O thread nor the caller's, and
 * publishes the result as an immutable {@link Snapshot}. Listeners ({@link #onNewMap}) run on that
 * thread, after the snapshot is published, one map at a time, in epoch order.
 *
 * <p>Applying an update: the newest full map if it is newer than ours, then each incremental that
 * follows on. Every incremental's result is checked against its full_crc; on a mismatch (our map
 * and the cluster's have diverged) the result is dropped and the newest full map asked for
 * ({@link MapSource#requestFullMap}), which the standing subscription then delivers.
 *
 * <p>A waiter that has seen an update arrive by another path (the future of a subscription)
 * calls {@link #sync()} to wait until the keeper has applied everything offered so far: it does
 * not apply the update a second time.
 */
public final class MapKeeper implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MapKeeper.class);

    /**
     * One published map with its placement calculator; both immutable.
     *
     * @param map the OSDMap
     * @param placement the placement calculator over {@code map}
     */
    public record Snapshot(OsdMap map, Placement placement) {
        /**
         * The snapshot's epoch.
         *
         * @return the map's epoch
         */
        public long epoch() {
            return map.epoch();
        }
    }

    /** Where the keeper asks for maps it lacks: the monitor session. */
    public interface MapSource {
        /** Asks for the newest full map (a subscription from epoch 0). */
        void requestFullMap();

        /**
         * Asks for every map from {@code epoch} on.
         *
         * @param epoch the first epoch wanted
         */
        void requestFrom(long epoch);
    }

    /**
     * How the map was kept current.
     *
     * @param fullMaps full maps decoded
     * @param incrementals incrementals applied
     * @param crcMismatches incrementals whose result failed its CRC check
     * @param fullMapRequests full maps asked for after a mismatch
     * @param updatesApplied updates (MOSDMap messages) the keeper processed
     */
    public record Counters(long fullMaps, long incrementals, long crcMismatches, long fullMapRequests,
            long updatesApplied) {
    }

    private final MapSource source;
    private final ExecutorService executor;
    private volatile Snapshot current;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong fullMaps = new AtomicLong();
    private final AtomicLong incrementals = new AtomicLong();
    private final AtomicLong crcMismatches = new AtomicLong();
    private final AtomicLong fullMapRequests = new AtomicLong();
    private final AtomicLong updatesApplied = new AtomicLong();
    private final AtomicBoolean injectedDivergence = new AtomicBoolean();
    /** The keeper's thread, to refuse a wait on it (it would wait for itself). */
    private volatile Thread keeperThread;

    /**
     * A keeper on its own single thread.
     *
     * @param source where to ask for missing maps
     */
    public MapKeeper(MapSource source) {
        this.source = java.util.Objects.requireNonNull(source, "source");
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jceph-osdmap");
            t.setDaemon(true);
            keeperThread = t;
            return t;
        });
    }

    /**
     * Runs {@code listener} with every snapshot published from now on, on the keeper's thread.
     * It must not wait for the keeper ({@link #sync()}).
     *
     * @param listener who hears new maps
     */
    public void onNewMap(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /**
     * The newest snapshot.
     *
     * @return it, or null before the first full map
     */
    public Snapshot current() {
        return current;
    }

    /**
     * Queues {@code u} to be applied on the keeper's thread; returns at once.
     *
     * @param u one MOSDMap's content
     * @return completes with the newest snapshot (null if still none) once {@code u} is applied
     */
    public CompletableFuture<Snapshot> offer(OsdMapUpdate u) {
        return offer(u, false);
    }

    /**
     * As {@link #offer(OsdMapUpdate)} for a map an OSD shared: if it ends beyond what the
     * keeper could apply (a gap), the rest is asked for from the source.
     *
     * @param u one MOSDMap's content
     * @return completes with the newest snapshot once {@code u} is applied
     */
    public CompletableFuture<Snapshot> offerFromOsd(OsdMapUpdate u) {
        return offer(u, true);
    }

    private CompletableFuture<Snapshot> offer(OsdMapUpdate u, boolean fillGap) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                apply(u);
                Snapshot now = current;
                long newest = Math.max(u.fullMaps().isEmpty() ? 0 : u.fullMaps().lastKey(),
                        u.incrementalMaps().isEmpty() ? 0 : u.incrementalMaps().lastKey());
                if (fillGap && now != null && newest > now.epoch()) {
                    source.requestFrom(now.epoch() + 1); // a gap: ask the monitor for the rest
                }
                return now;
            }, executor);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    /**
     * A future that completes once every update offered before this call has been applied.
     *
     * @return completes with the newest snapshot (null if still none)
     */
    public CompletableFuture<Snapshot> sync() {
        if (Thread.currentThread() == keeperThread) {
            return CompletableFuture.completedFuture(current); // everything before us has run
        }
        try {
            return CompletableFuture.supplyAsync(() -> current, executor);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(closed);
        }
    }

    /** Applies one update; on the keeper's thread only. */
    private void apply(OsdMapUpdate u) {
        updatesApplied.incrementAndGet();
        Snapshot before = current;
        OsdMap map = before == null ? null : before.map();
        OsdMap start = map;
        if (!u.fullMaps().isEmpty()) {
            Map.Entry<Long, byte[]> newest = u.fullMaps().entrySet().stream().reduce((a, b) -> b).orElseThrow();
            if (map == null || newest.getKey() > map.epoch()) {
                long had = map == null ? 0 : map.epoch();
                map = OsdMapCodec.decode(newest.getValue());
                fullMaps.incrementAndGet();
                injectedDivergence.set(false);
                if (had == 0) {
                    LOG.debug("osdmap e{}: first full map", map.epoch());
                } else {
                    LOG.info("osdmap e{}: full map replaces e{}", map.epoch(), had);
                }
            }
        }
        boolean diverged = false;
        for (Map.Entry<Long, byte[]> inc : u.incrementalMaps().entrySet()) {
            if (map != null && inc.getKey() == map.epoch() + 1) {
                Incremental i = Incremental.decode(inc.getValue());
                OsdMap next = i.applyTo(map);
                if (injectedDivergence.get() || !i.verifies(next)) {
                    crcMismatches.incrementAndGet();
                    diverged = true;
                    break;
                }
                map = next;
                incrementals.incrementAndGet();
                LOG.debug("osdmap e{}: incremental applied", map.epoch());
            }
        }
        if (map != null && map != start) {
            Snapshot s = new Snapshot(map, new Placement(map));
            current = s;
            for (Consumer<Snapshot> l : listeners) {
                try {
                    l.accept(s);
                } catch (RuntimeException e) {
                    LOG.warn("osdmap e{}: a map listener failed", s.epoch(), e);
                }
            }
        }
        if (diverged) {
            LOG.warn("osdmap: an incremental after e{} failed its CRC check; asking the monitor for a full map",
                    map == null ? 0 : map.epoch());
            fullMapRequests.incrementAndGet();
            source.requestFullMap();
        }
    }

    /**
     * How the map was kept current so far.
     *
     * @return the counters
     */
    public Counters counters() {
        return new Counters(fullMaps.get(), incrementals.get(), crcMismatches.get(), fullMapRequests.get(),
                updatesApplied.get());
    }

    /**
     * Fault injection for tests: from now on every incremental is treated as failing its CRC check,
     * as if our map had diverged from the cluster's, until a full map replaces ours. A real
     * divergence behaves the same way: a second copy of an incremental (monitors resend when a
     * subscription is renewed) fails again, so only a full map can end it.
     */
    public void injectDivergence() {
        injectedDivergence.set(true);
    }

    /** Stops the keeper's thread; updates offered later are refused. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
