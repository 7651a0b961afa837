package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.UTime;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our msgr2 client against a real monitor started by bin/jceph-cluster (Pacific, and reef/tentacle too). */
@RealCluster(osds = 1)
@CrossRelease
class MonSessionIT {
    static Messenger messenger;

    @BeforeAll
    static void start() {
        messenger = new Messenger();
    }

    @AfterAll
    static void stop() {
        messenger.close();
    }

    static CephConfig.Builder config(CephCluster cluster) {
        return CephConfig.builder().environment(Map.of()).confFile(cluster.confPath())
                .keyring(cluster.keyringPath());
    }

    @Test
    void crcModeAuthenticatesFetchesMonMapAndFollowsOsdMapEpochs(CephCluster cluster) throws Exception {
        CephConfig cfg = config(cluster).set("ms_mon_client_mode", "crc").build();
        try (MonSession s = MonSession.connect(cfg, messenger)) {
            assertEquals(ConnectionMode.CRC, s.connection().mode());
            assertTrue(s.connection().globalId() > 0);
            MonMap map = s.fetchMonMap().get(10, TimeUnit.SECONDS);
            assertEquals(UUID.fromString(cluster.fsid()), map.fsid());
            assertEquals(cluster.monV2(), map.monitors().get(0).addrs().first(EntityAddr.TYPE_MSGR2).socketAddress());

            // listening before subscribing: an epoch that comes right after the first answer (the
            // cluster is shared) is queued, not lost, so the next one still carries first + 1
            LinkedBlockingQueue<OsdMapUpdate> more = new LinkedBlockingQueue<>();
            s.onOsdMap(more::add);
            OsdMapUpdate first = s.subscribeOsdMap(0, false).get(10, TimeUnit.SECONDS);
            assertEquals(map.fsid(), first.fsid());
            assertTrue(first.fullMaps().containsKey(first.newestMap()), first.toString());

            // A new epoch arrives on the standing subscription, as an incremental.
            cluster.ceph("osd", "set", "noscrub").orThrow();
            try {
                // The monitor may repeat the current full map first (seen once in Pacific): wait for a newer epoch.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                OsdMapUpdate next;
                do {
                    next = more.poll(1, TimeUnit.SECONDS);
                } while ((next == null || next.newestMap() <= first.newestMap()) && System.nanoTime() < deadline);
                assertTrue(next != null && next.newestMap() > first.newestMap(), "no newer MOSDMap after "
                        + "'osd set noscrub'; last " + next);
                assertTrue(next.incrementalMaps().containsKey(first.newestMap() + 1), next.toString());
            } finally {
                cluster.ceph("osd", "unset", "noscrub").orThrow();
            }
        }
    }

    @Test
    void defaultModesGiveSecureAndMapsStillFlow(CephCluster cluster) throws Exception {
        CephConfig cfg = config(cluster).build(); // ms_mon_client_mode defaults to "secure crc"
        long t0 = System.nanoTime();
        try (MonSession s = MonSession.connect(cfg, messenger)) {
            long micros = (System.nanoTime() - t0) / 1000;
            assertEquals(ConnectionMode.SECURE, s.connection().mode());
            System.out.println("secure connect+auth: " + micros + " us");
            MonMap map = s.fetchMonMap().get(10, TimeUnit.SECONDS);
            assertEquals(UUID.fromString(cluster.fsid()), map.fsid());
            OsdMapUpdate u = s.subscribeOsdMap(0, true).get(10, TimeUnit.SECONDS);
            assertTrue(u.fullMaps().size() == 1, u.toString());
        }
    }

    @Test
    void wrongKeyFailsFastNamingTheEntity(CephCluster cluster) {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        CryptoKey wrong = new CryptoKey(CryptoKey.TYPE_AES, UTime.ZERO, random);
        CephConfig cfg = config(cluster).set("key", base64(wrong)).build();
        long t0 = System.nanoTime();
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> MonSession.connect(cfg, messenger));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "took " + ms + " ms"); // refused at once, not retried until client_mount_timeout (slack for a loaded machine)
        assertEquals(EntityName.client("admin"), e.entity());
        assertEquals(13, e.errno());
        assertTrue(e.getMessage().contains("client.admin") && e.getMessage().contains("EACCES"), e.getMessage());
        assertTrue(!e.getMessage().contains(base64(wrong)), e.getMessage());
    }

    @Test
    void unknownEntityIsRefusedLikeAWrongKey(CephCluster cluster) {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        CephConfig cfg = config(cluster).name(EntityName.client("nobody"))
                .set("key", base64(new CryptoKey(CryptoKey.TYPE_AES, UTime.ZERO, random))).build();
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> MonSession.connect(cfg, messenger));
        assertTrue(e.getMessage().contains("client.nobody"), e.getMessage());
        assertEquals(13, e.errno());
    }

    @Test
    void anEntityWithoutMonCapsIsRefusedFast(CephCluster cluster) {
        // a real key, but no caps at all: the monitor's cephx handler refuses it (mon caps null)
        String keyring = cluster.cephOrThrow("auth", "get-or-create", "client.nocaps");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("key = (\\S+)").matcher(keyring);
        assertTrue(m.find(), keyring);
        CephConfig cfg = config(cluster).name(EntityName.client("nocaps")).set("key", m.group(1)).build();
        long t0 = System.nanoTime();
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> MonSession.connect(cfg, messenger));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "took " + ms + " ms"); // refused at once, not retried until client_mount_timeout (slack for a loaded machine)
        assertTrue(e.getMessage().contains("client.nocaps"), e.getMessage());
        assertEquals(13, e.errno(), e.getMessage());
        assertTrue(!e.getMessage().contains(m.group(1)), "the key stays out of the message");
    }

    @Test
    void unreachableMonitorsFailWithinTheConnectTimeoutNamingEveryAddress(CephCluster cluster) throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        // A refused port, and a blackholed one (TEST-NET-1: nothing answers, nothing refuses).
        CephConfig cfg = config(cluster).monHost("v2:127.0.0.1:" + closedPort + ",v2:192.0.2.1:3300")
                .set("ms_connection_ready_timeout", "1").build();
        long t0 = System.nanoTime();
        ConnectionException e = assertThrows(ConnectionException.class, () -> MonSession.connect(cfg, messenger));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2 * 1000 + 4000, "took " + ms + " ms for two attempts of 1 s"); // each bounded at 1 s, not the 10 s default
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort) && e.getMessage().contains("192.0.2.1:3300"),
                e.getMessage());
    }

    @Test
    void aPeerThatIsNotAMonitorIsRejected(CephCluster cluster) throws IOException {
        // The v1 port speaks msgr1: our msgr2 client must say so rather than hang.
        CephConfig cfg = config(cluster).monHost("v2:127.0.0.1:" + cluster.monV1().getPort())
                .set("ms_connection_ready_timeout", "3").build();
        ConnectionException e = assertThrows(ConnectionException.class, () -> MonSession.connect(cfg, messenger));
        assertTrue(e.getMessage().contains("msgr1"), e.getMessage());
    }

    static String base64(CryptoKey k) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        k.encode(new org.jceph.encoding.CephEncoder(b));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return Base64.getEncoder().encodeToString(out);
    }
}
