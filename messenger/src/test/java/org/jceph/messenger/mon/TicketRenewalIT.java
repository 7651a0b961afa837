package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.Connection;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.Test;

/**
 * cephx tickets are renewed in place on a live session, before they expire: a cluster whose
 * tickets live 16 s (AUTH) and 12 s (services) must see our session renew both over MAuth,
 * keep the same connection, and open new OSD sessions with the fresh tickets.
 */
@RealCluster(osds = 1, config = {"auth service ticket ttl = 12", "auth mon ticket ttl = 16"})
@CrossRelease
class TicketRenewalIT {
    /**
     * Over msgr2 and over msgr1, side by side: both sessions wait out the same ticket lifetimes, so
     * they wait once (each keeps its own connection, tickets and assertions).
     */
    @Test
    void overMsgr2AndOverMsgr1AtOnce(CephCluster cluster) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> v2 = pool.submit(() -> {
                ticketsAreRenewedInPlaceAndTheFreshOnesOpenOsdSessions(
                        MonSessionIT.config(cluster).set("ms_mon_client_mode", "crc").build(), cluster);
                return null;
            });
            Future<?> v1 = pool.submit(() -> {
                ticketsAreRenewedInPlaceAndTheFreshOnesOpenOsdSessions(
                        MonSessionIT.config(cluster).set("ms_jceph_force_msgr1", "true").build(), cluster);
                return null;
            });
            join("msgr2", v2);
            join("msgr1", v1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for one side (bounded: its own waits are) and rethrows its failure as it was. */
    private static void join(String side, Future<?> f) throws Exception {
        try {
            f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            cause.addSuppressed(new AssertionError("over " + side));
            if (cause instanceof Error err) {
                throw err;
            }
            throw (Exception) cause;
        }
    }

    private void ticketsAreRenewedInPlaceAndTheFreshOnesOpenOsdSessions(CephConfig cfg, CephCluster cluster)
            throws Exception {
        try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
            Connection first = s.connection();
            Map<Integer, ServiceTicket> before = first.serviceTickets();
            ServiceTicket osdBefore = before.get(EntityName.TYPE_OSD);
            ServiceTicket authBefore = before.get(EntityName.TYPE_AUTH);
            assertNotNull(osdBefore);
            assertNotNull(authBefore);
            assertEquals(12, osdBefore.validUntil().seconds(), "service ticket lifetime as configured");

            // services are due after 9 s, AUTH after 12 s; allow generous slack on a busy machine
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            Map<Integer, ServiceTicket> now = before;
            while (System.nanoTime() < deadline) {
                now = s.connection().serviceTickets();
                if (s.ticketRenewals() >= 2 && changed(authBefore, now.get(EntityName.TYPE_AUTH))
                        && changed(osdBefore, now.get(EntityName.TYPE_OSD))) {
                    break;
                }
                Thread.sleep(250);
            }
            assertTrue(s.ticketRenewals() >= 2, "renewals: " + s.ticketRenewals());
            assertTrue(changed(authBefore, now.get(EntityName.TYPE_AUTH)), "AUTH ticket renewed");
            assertTrue(changed(osdBefore, now.get(EntityName.TYPE_OSD)), "OSD ticket renewed");
            assertSame(first, s.connection(), "renewal happened in place, without reconnecting");

            // the session still serves requests
            assertEquals(0, s.command("{\"prefix\": \"status\", \"format\": \"json\"}", new byte[0])
                    .get(10, TimeUnit.SECONDS).result());

            // and a new OSD session authenticates with the renewed ticket
            EntityAddr osd = osdAddress(cluster, 0);
            Connection c = m.connectToService(osd, EntityName.TYPE_OSD, cfg.name(),
                    now.get(EntityName.TYPE_OSD), first.globalId(), List.of(ConnectionMode.CRC),
                    Duration.ofSeconds(10), msg -> { }).get(15, TimeUnit.SECONDS);
            try {
                assertFalse(c.closeFuture().isDone());
            } finally {
                c.close();
            }
        }
    }

    private static boolean changed(ServiceTicket a, ServiceTicket b) {
        return b != null && !Arrays.equals(a.blob(), b.blob());
    }

    /** osd.N's msgr2 public address, from `ceph osd dump`. */
    static EntityAddr osdAddress(CephCluster cluster, int id) {
        String dump = cluster.cephOrThrow("osd", "dump");
        Matcher m = Pattern.compile("(?m)^osd\\." + id + " .*?\\[v2:([0-9.]+):(\\d+)/(\\d+)").matcher(dump);
        assertTrue(m.find(), dump);
        return EntityAddr.of(EntityAddr.TYPE_MSGR2, Long.parseLong(m.group(3)),
                new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
    }
}
