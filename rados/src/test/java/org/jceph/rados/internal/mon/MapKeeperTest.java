package org.jceph.rados.internal.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jceph.messenger.mon.OsdMapUpdate;
import org.jceph.osdmap.OsdMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MapKeeper driven by a fake monitor (the {@link MapKeeper.MapSource} it asks for maps, and the
 * updates the test hands it), with the maps of the capture cluster's monitor store
 * (fixtures/osdmap/epochs: full.N and inc.N). No cluster, no sleeps: every wait is on a future.
 */
class MapKeeperTest {
    private static final UUID FSID = new UUID(1, 2);
    /** Each wait is bounded; none should come near it. */
    private static final long WAIT_S = 10;

    /** The fake monitor: records what the keeper asked for. */
    private static final class FakeMon implements MapKeeper.MapSource {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public void requestFullMap() {
            asked.add("full");
        }

        @Override
        public void requestFrom(long epoch) {
            asked.add("from " + epoch);
        }
    }

    private final FakeMon mon = new FakeMon();
    private final MapKeeper keeper = new MapKeeper(mon);

    @AfterEach
    void close() {
        keeper.close();
    }

    private static byte[] epochFile(String name) {
        return org.jceph.rados.internal.CapturedEpochs.bytes(name);
    }

    private static OsdMapUpdate full(long epoch) {
        SortedMap<Long, byte[]> full = new TreeMap<>();
        full.put(epoch, epochFile("full." + epoch));
        return new OsdMapUpdate(FSID, new TreeMap<>(), full, epoch, epoch);
    }

    private static OsdMapUpdate incs(long from, long to) {
        SortedMap<Long, byte[]> incs = new TreeMap<>();
        for (long e = from; e <= to; e++) {
            incs.put(e, epochFile("inc." + e));
        }
        return new OsdMapUpdate(FSID, incs, new TreeMap<>(), from, to);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void theFirstFullMapIsPublishedOnTheKeepersThreadNotTheCallers() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        keeper.onNewMap(s -> threads.add(Thread.currentThread().getName()));
        assertNull(keeper.current());
        MapKeeper.Snapshot s = get(keeper.offer(full(20)));
        assertEquals(20, s.epoch());
        assertSame(s, keeper.current());
        assertSame(s.map(), s.placement().map(), "the placement is computed over the published map");
        assertEquals(List.of("jceph-osdmap"), threads);
        assertEquals(new MapKeeper.Counters(1, 0, 0, 0, 1), keeper.counters());
        assertEquals(List.of(), mon.asked);
    }

    @Test
    void incrementalsChainOnTheFullMapAndEachSnapshotStaysAsItWas() throws Exception {
        List<Long> published = new CopyOnWriteArrayList<>();
        keeper.onNewMap(s -> published.add(s.epoch()));
        MapKeeper.Snapshot first = get(keeper.offer(full(20)));
        OsdMap firstMap = first.map();
        MapKeeper.Snapshot last = get(keeper.offer(incs(21, 25)));
        assertEquals(25, last.epoch());
        // one snapshot per update, not per incremental: listeners see the newest map once
        assertEquals(List.of(20L, 25L), published);
        assertSame(firstMap, first.map());
        assertEquals(20, first.epoch(), "an older snapshot is never changed");
        assertEquals(new MapKeeper.Counters(1, 5, 0, 0, 2), keeper.counters());
    }

    @Test
    void anUpdateOfferedTwiceChangesNothingTheSecondTime() throws Exception {
        List<Long> published = new CopyOnWriteArrayList<>();
        keeper.onNewMap(s -> published.add(s.epoch()));
        get(keeper.offer(full(20)));
        OsdMapUpdate u = incs(21, 22);
        MapKeeper.Snapshot once = get(keeper.offer(u));
        MapKeeper.Snapshot twice = get(keeper.offer(u));
        assertSame(once, twice, "a second copy publishes no new snapshot");
        assertEquals(List.of(20L, 22L), published, "nor wakes the listeners (retarget) again");
        assertEquals(2, keeper.counters().incrementals());
        // an older full map does not replace a newer one either
        assertSame(once, get(keeper.offer(full(21))));
        assertEquals(1, keeper.counters().fullMaps());
    }

    @Test
    void syncWaitsForEverythingOfferedBefore() throws Exception {
        // the keeper's thread is held by a listener until the test lets it go: sync() must not
        // complete before the update queued behind the first one is applied
        CompletableFuture<Void> gate = new CompletableFuture<>();
        keeper.onNewMap(s -> {
            if (s.epoch() == 20) {
                gate.join();
            }
        });
        keeper.offer(full(20));
        keeper.offer(incs(21, 23));
        CompletableFuture<MapKeeper.Snapshot> synced = keeper.sync();
        assertTrue(!synced.isDone());
        gate.complete(null);
        assertEquals(23, get(synced).epoch());
    }

    @Test
    void syncFromTheKeepersOwnThreadDoesNotWaitForItself() throws Exception {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        keeper.onNewMap(s -> seen.complete(keeper.sync().join().epoch()));
        keeper.offer(full(20));
        assertEquals(20, get(seen));
    }

    @Test
    void aCrcMismatchDropsTheResultAndAsksForAFullMapUntilOneComes() throws Exception {
        get(keeper.offer(full(20)));
        keeper.injectDivergence();
        MapKeeper.Snapshot after = get(keeper.offer(incs(21, 22)));
        assertEquals(20, after.epoch(), "the diverged result is not published");
        assertEquals(List.of("full"), mon.asked);
        // the monitor resends the incremental: it fails again (only a full map ends a divergence)
        get(keeper.offer(incs(21, 21)));
        assertEquals(List.of("full", "full"), mon.asked);
        assertEquals(2, keeper.counters().crcMismatches());
        assertEquals(2, keeper.counters().fullMapRequests());
        // the full map the monitor answers with replaces ours, and incrementals apply again
        assertEquals(22, get(keeper.offer(full(22))).epoch());
        assertEquals(24, get(keeper.offer(incs(23, 24))).epoch());
        assertEquals(new MapKeeper.Counters(2, 2, 2, 2, 5), keeper.counters());
    }

    @Test
    void aMapSharedByAnOsdWithAGapAsksTheMonitorForTheRest() throws Exception {
        get(keeper.offer(full(20)));
        // an OSD shares 23..24, but we are at 20: nothing applies, ask from 21
        assertEquals(20, get(keeper.offerFromOsd(incs(23, 24))).epoch());
        assertEquals(List.of("from 21"), mon.asked);
        // the same from the monitor's subscription asks nothing (the subscription brings the rest)
        get(keeper.offer(incs(23, 24)));
        assertEquals(List.of("from 21"), mon.asked);
        // a shared map that applies leaves no gap
        assertEquals(22, get(keeper.offerFromOsd(incs(21, 22))).epoch());
        assertEquals(List.of("from 21"), mon.asked);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersNorTheKeeper() throws Exception {
        List<Long> heard = new ArrayList<>();
        keeper.onNewMap(s -> {
            throw new IllegalStateException("listener bug");
        });
        keeper.onNewMap(s -> heard.add(s.epoch()));
        get(keeper.offer(full(20)));
        assertEquals(21, get(keeper.offer(incs(21, 21))).epoch());
        assertEquals(List.of(20L, 21L), heard);
    }

    @Test
    void afterCloseOffersFail() throws Exception {
        assertNotNull(get(keeper.offer(full(20))));
        keeper.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(keeper.offer(incs(21, 21))));
        assertNotEquals(null, e.getCause());
        assertThrows(ExecutionException.class, () -> get(keeper.sync()));
    }
}
