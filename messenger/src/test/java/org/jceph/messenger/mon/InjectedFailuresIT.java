package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * With {@code ms_inject_socket_failures} on the monitor (set through its admin socket, so the
 * launcher's own traffic is unaffected until then), our session faults, reconnects, and its
 * standing osdmap subscription keeps delivering new epochs.
 */
@RealCluster(osds = 1)
class InjectedFailuresIT {
    private static void inject(CephCluster cluster, int oneIn) {
        cluster.ceph("--admin-daemon", cluster.adminSocket("mon.a").toString(), "config", "set",
                "ms_inject_socket_failures", Integer.toString(oneIn)).orThrow();
    }

    @Test
    void sessionRecoversFromInjectedSocketFailuresAndTheSubscriptionContinues(CephCluster cluster) throws Exception {
        recovers(cluster, MonSessionIT.config(cluster).set("ms_mon_client_mode", "crc")
                .set("ms_connection_ready_timeout", "3").build(), "msgr2.1");
    }

    @Test
    void msgr1SessionRecoversTheSameWay(CephCluster cluster) throws Exception {
        recovers(cluster, MonSessionIT.config(cluster).set("ms_jceph_force_msgr1", "true")
                .set("ms_connection_ready_timeout", "3").build(), "msgr1");
    }

    private static void recovers(CephCluster cluster, CephConfig cfg, String transport) throws Exception {
        try (Messenger messenger = new Messenger(Duration.ofSeconds(1), Duration.ofSeconds(5));
             MonSession s = MonSession.connect(cfg, messenger)) {
            AtomicInteger faults = new AtomicInteger();
            s.onFault(e -> faults.incrementAndGet());
            assertTrue(s.connection().toString().startsWith(transport), s.connection().toString());
            OsdMapUpdate first = s.subscribeOsdMap(0, false).get(10, TimeUnit.SECONDS);
            LinkedBlockingQueue<OsdMapUpdate> later = new LinkedBlockingQueue<>();
            s.onOsdMap(later::add);

            inject(cluster, 20);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (faults.get() < 2 && System.nanoTime() < deadline) {
                    try {
                        s.fetchMonMap().get(2, TimeUnit.SECONDS); // traffic, so that failures hit us
                    } catch (Exception expectedDuringInjection) {
                        Thread.sleep(50);
                    }
                }
            } finally {
                inject(cluster, 0);
            }
            assertTrue(faults.get() >= 2, "only " + faults.get() + " faults in 30 s of injection");
            System.out.println(transport + ": injected-failure faults survived: " + faults.get());

            cluster.ceph("osd", "set", "noscrub").orThrow();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                OsdMapUpdate u;
                do {
                    u = later.poll(1, TimeUnit.SECONDS);
                } while ((u == null || u.newestMap() <= first.newestMap()) && System.nanoTime() < deadline);
                assertTrue(u != null && u.newestMap() > first.newestMap(),
                        "no new osdmap epoch after reconnecting " + faults.get() + " times; last " + u);
                assertTrue(s.fetchMonMap().get(10, TimeUnit.SECONDS).epoch() >= 1);
                assertTrue(s.connection().toString().startsWith(transport), s.connection().toString());
            } finally {
                cluster.ceph("osd", "unset", "noscrub").orThrow();
            }
        }
    }
}
