package org.jceph.rados.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.ClusterFaults;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.fixtures.cluster.ReliabilityProfile;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.Placement;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.junit.jupiter.api.Test;

/**
 * Watches survive faults: while socket failures are injected on the OSDs and the monitor, while
 * the primary of each watched object is killed and restarted, and across a monitor restart, every
 * watch stays registered; a notify sent (by another client) after each fault is over is heard by
 * every watcher and acknowledged, with no watcher reported as timed out.
 */
// The fault-injection spec: ObservabilityIT, RadosFailoverIT, RadosWatchCheckIT, WatchFaultsIT and
// RadosModelIT ask for the very same cluster, so they share one (each leaves every OSD running).
@CrossRelease
@RealCluster(config = {"osd pool default min size = 2", "osd heartbeat grace = 6", "osd heartbeat interval = 2",
        "mon osd down out interval = 0", "osd pool default pg autoscale mode = off", "osd snap trim sleep = 0.005"})
class WatchFaultsIT {
    private static final int WATCHES = 4;
    private static final String CONFIRM = " (confirm)";
    private final ReliabilityProfile profile = ReliabilityProfile.fromSystemProperties();
    private CephCluster cluster;

    @Test
    void notifiesAfterEachFaultAreHeardByEveryWatch(CephCluster c) throws Exception {
        System.out.println("WatchFaultsIT " + profile);
        cluster = c;
        CephConfig config = CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "60").build();
        ClusterFaults faults = new ClusterFaults(c, new Random(profile.seed()));
        try (RadosClient watcher = RadosClient.connect(config); RadosClient notifier = RadosClient.connect(config)) {
            IoCtx wio = watcher.ioCtx(c.testPool());
            IoCtx nio = notifier.ioCtx(c.testPool());
            List<LinkedBlockingQueue<String>> heard = new ArrayList<>();
            for (int i = 0; i < WATCHES; i++) {
                String oid = "watched-" + i;
                wio.writeFull(oid, new byte[0]);
                LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
                heard.add(q);
                int me = i;
                wio.watch(oid, (id, gid, payload) -> {
                    q.add(new String(payload, StandardCharsets.UTF_8));
                    return ("ack " + me).getBytes(StandardCharsets.UTF_8);
                });
            }
            int round = 0;
            notifyAll(nio, heard, "baseline", round++);

            // Socket failures everywhere, notifies meanwhile (some may time out: that is allowed here).
            faults.injectSocketFailures(profile.pick(50, 20));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(profile.pick(15, 120));
            int duringFaults = 0;
            int maxInFlight = 0;
            while (System.nanoTime() < until) {
                maxInFlight = Math.max(maxInFlight, watcher.opsInFlight());
                try {
                    nio.notify("watched-" + (duringFaults % WATCHES), "during".getBytes(StandardCharsets.UTF_8), 5);
                } catch (RadosException e) {
                    // tolerated while the sockets are failing
                }
                duringFaults++;
            }
            faults.injectSocketFailures(0);
            // The watcher sends only its watches' pings and re-registrations and its notify acks: at
            // most one ping or re-registration per watch, however many faults (a re-registration
            // replaces the one before it), plus an ack or two.
            assertTrue(maxInFlight <= 2 * WATCHES + 2, "the watcher's ops in flight stayed bounded under faults: "
                    + maxInFlight + " at most, for " + WATCHES + " watches");
            notifyAll(nio, heard, "after socket failures", round++);

            // The primary of each watched object killed and restarted in turn.
            // Pacific: the primaries of two watched objects; Reef and Tentacle: one (a shorter CI budget).
            for (int i = 0; i < WATCHES; i += profile.pick(c, 2, WATCHES, 1)) {
                Placement p = new Placement(watcher.osdMap());
                int primary = p.pgToUpActing(p.objectToRawPg(wio.poolId(), "watched-" + i, "", "")).actingPrimary();
                c.killOsd(primary);
                watcher.waitForMap(m -> !m.isUp(primary), Duration.ofSeconds(60));
                notifyAll(nio, heard, "with osd." + primary + " down", round++);
                c.startOsd(primary);
                notifyAll(nio, heard, "after osd." + primary + " restarted", round++);
                // the restarted memstore OSD comes back empty: let it backfill before the next kill,
                // or a pg that loses its other complete copy too stays below min_size until then
                c.waitForCleanPgs(Duration.ofSeconds(180));
            }
            faults.restartMon(true);
            notifyAll(nio, heard, "after a monitor restart", round++);
            c.waitForCleanPgs(Duration.ofSeconds(180));
            notifyAll(nio, heard, "after recovery", round++);
            System.out.printf("[watch] RESULT %s: %d watches, %d notify rounds all heard, %d notifies sent during"
                    + " socket failures (watcher's ops in flight at most %d), %d injected socket failures logged by the"
                    + " daemons%n", profile.replayHint(), WATCHES, round, duringFaults, maxInFlight,
                    ClusterFaults.injectedSocketFailures(c));
        }
    }

    /**
     * Notifies each watched object until one notify is heard by its watcher within 60 s (a watch may
     * still be re-registering right after a fault), then once more: that one must be heard at once,
     * with the watcher's ack and no timed-out watcher.
     */
    private void notifyAll(IoCtx nio, List<LinkedBlockingQueue<String>> heard, String phase, int round)
            throws InterruptedException {
        for (int i = 0; i < WATCHES; i++) {
            String oid = "watched-" + i;
            String msg = phase + " #" + round;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean got = false;
            while (!got && System.nanoTime() < deadline) {
                try {
                    nio.notify(oid, msg.getBytes(StandardCharsets.UTF_8), 5);
                } catch (RadosException e) {
                    // the notify itself may fail while the cluster settles; retried
                }
                // A notify that returned was heard already (the watcher acks after its callback ran);
                // one that failed may still reach the watcher: give it a second, then notify again.
                String h;
                while (!got && (h = heard.get(i).poll(1, TimeUnit.SECONDS)) != null) {
                    got = h.equals(msg);
                }
            }
            if (!got) {
                fail(profile.replayHint() + ": watch on " + oid + " heard nothing " + phase + " within 60 s; the OSD's"
                        + " watchers: " + cluster.rados("-p", cluster.testPool(), "listwatchers", oid).stdout().strip());
            }
            String again = msg + CONFIRM;
            IoCtx.NotifyResult r = nio.notify(oid, again.getBytes(StandardCharsets.UTF_8), 10);
            // Earlier notifies that failed for the notifier (retries above, the ones sent during socket
            // failures) may still be delivered late and are skipped; the first confirmation heard must be
            // this one.
            String next;
            do {
                next = heard.get(i).poll(10, TimeUnit.SECONDS);
            } while (next != null && !next.endsWith(CONFIRM));
            assertEquals(again, next, "watch on " + oid + " " + phase);
            assertTrue(r.timedOut().isEmpty(), "no watcher timed out " + phase + ": " + r.timedOut());
            assertEquals(1, r.replies().size(), "one watcher acked " + phase);
            assertEquals("ack " + i, new String(r.replies().values().iterator().next(), StandardCharsets.UTF_8));
            heard.get(i).clear();
        }
    }
}
