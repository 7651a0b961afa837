package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our msgr1 client (and msgr2.0 crc) against the real Pacific monitor. */
@RealCluster(osds = 1)
@CrossRelease
class Msgr1MonIT {
    static Messenger messenger;

    @BeforeAll
    static void start() {
        messenger = new Messenger();
    }

    @AfterAll
    static void stop() {
        messenger.close();
    }

    private static void sessionWorks(MonSession s, CephCluster cluster) throws Exception {
        assertTrue(s.connection().globalId() > 0);
        MonMap map = s.fetchMonMap().get(10, TimeUnit.SECONDS);
        assertEquals(UUID.fromString(cluster.fsid()), map.fsid());
        assertEquals(cluster.monV1(), map.monitors().get(0).addrs().first(EntityAddr.TYPE_LEGACY).socketAddress());
        OsdMapUpdate u = s.subscribeOsdMap(0, true).get(10, TimeUnit.SECONDS);
        assertEquals(map.fsid(), u.fsid());
        assertTrue(u.fullMaps().containsKey(u.newestMap()) && u.fullMaps().get(u.newestMap()).length > 100,
                u.toString());
    }

    @Test
    void v1MonHostEntryAuthenticatesWithCephxOverMAuth(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).monHost("v1:" + hostPort(cluster.monV1())).build();
        try (MonSession s = MonSession.connect(cfg, messenger)) {
            assertTrue(s.connection().toString().startsWith("msgr1"), s.connection().toString());
            assertEquals(cluster.monV1(), s.connection().peerAddress().socketAddress());
            sessionWorks(s, cluster);
            // The AUTH reply carried the osd and mgr service tickets, as over msgr2.
            assertTrue(s.connection().serviceTickets().containsKey(EntityName.TYPE_OSD));
            assertTrue(s.connection().serviceTickets().containsKey(EntityName.TYPE_MGR));
        }
    }

    @Test
    void legacyPortWithoutPrefixMeansMsgr1(CephCluster cluster) throws Exception {
        // A plain ip:port entry on a non-standard port is ambiguous (v2 then v1); with the v1 address
        // spelled as v1: and the v2 one missing, only msgr1 is possible.
        CephConfig cfg = MonSessionIT.config(cluster).monHost("[v1:" + hostPort(cluster.monV1()) + "]").build();
        try (MonSession s = MonSession.connect(cfg, messenger)) {
            assertTrue(s.connection().toString().startsWith("msgr1"), s.connection().toString());
        }
    }

    @Test
    void forceMsgr1ChoosesTheV1AddressOfAVector(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_jceph_force_msgr1", "true").build();
        assertFalse(cfg.useMsgr2());
        try (MonSession s = MonSession.connect(cfg, messenger)) {
            assertTrue(s.connection().toString().startsWith("msgr1"), s.connection().toString());
            sessionWorks(s, cluster);
        }
        // and the default prefers v2
        try (MonSession s = MonSession.connect(MonSessionIT.config(cluster).build(), messenger)) {
            assertTrue(s.connection().toString().startsWith("msgr2.1"), s.connection().toString());
        }
    }

    @Test
    void bindMsgr2FalseAloneKeepsAClientOnV2AsLibradosDoes(CephCluster cluster) throws Exception {
        // AsyncMessenger::should_use_msgr2() is "!did_bind || myaddrs has v2": a client never binds.
        // Oracle: the stock CLI with the same option also connects msgr2 (checked in the mon log below).
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_bind_msgr2", "false").build();
        assertFalse(cfg.bindMsgr2());
        try (MonSession s = MonSession.connect(cfg, messenger)) {
            assertTrue(s.connection().toString().startsWith("msgr2.1"), s.connection().toString());
        }
        var r = cluster.ceph("--ms_bind_msgr2=false", "--debug_ms=1", "mon", "stat");
        r.orThrow();
        String all = r.stdout() + r.stderr();
        assertTrue(all.contains("--2-") && !all.contains("--1-"), "the stock client did not stay on msgr2:\n" + all);
    }

    @Test
    void msgr2Rev0CrcModeWorksAgainstPacific(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_jceph_msgr2_rev0", "true")
                .set("ms_mon_client_mode", "crc").build();
        try (Messenger m = Messenger.forConfig(cfg); MonSession s = MonSession.connect(cfg, m)) {
            assertTrue(s.connection().toString().startsWith("msgr2.0"), s.connection().toString());
            assertEquals(org.jceph.messenger.v2.ConnectionMode.CRC, s.connection().mode());
            sessionWorks(s, cluster);
        }
    }

    @Test
    void msgr2Rev0WithDefaultModesFallsBackToCrc(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_jceph_msgr2_rev0", "true").build(); // "secure crc"
        try (Messenger m = Messenger.forConfig(cfg); MonSession s = MonSession.connect(cfg, m)) {
            assertEquals(org.jceph.messenger.v2.ConnectionMode.CRC, s.connection().mode());
            assertEquals(UUID.fromString(cluster.fsid()), s.fetchMonMap().get(10, TimeUnit.SECONDS).fsid());
        }
    }

    @Test
    void wrongKeyOverMsgr1FailsFastNamingTheEntity(CephCluster cluster) {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String wrong = MonSessionIT.base64(new CryptoKey(CryptoKey.TYPE_AES, UTime.ZERO, random));
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_jceph_force_msgr1", "true").set("key", wrong).build();
        long t0 = System.nanoTime();
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> MonSession.connect(cfg, messenger));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "took " + ms + " ms"); // refused at once, not retried until client_mount_timeout (slack for a loaded machine)
        assertEquals(EntityName.client("admin"), e.entity());
        assertTrue(e.getMessage().contains("client.admin"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }

    static String hostPort(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
