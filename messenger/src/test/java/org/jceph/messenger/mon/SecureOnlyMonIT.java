package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.Test;

/** A cluster whose monitor serves clients in secure mode only. */
@RealCluster(osds = 1, config = {"ms_mon_service_mode = secure"})
@CrossRelease
class SecureOnlyMonIT {
    @Test
    void clientOfferingOnlyCrcIsToldThereIsNoCommonMode(CephCluster cluster) {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_mon_client_mode", "crc").build();
        try (Messenger m = new Messenger()) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> MonSession.connect(cfg, m));
            assertTrue(e.getMessage().contains("no common connection mode") && e.getMessage().contains("SECURE"),
                    e.getMessage());
        }
    }

    @Test
    void clientOfferingCrcThenSecureGetsSecure(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_mon_client_mode", "crc secure").build();
        try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
            assertEquals(ConnectionMode.SECURE, s.connection().mode());
            assertEquals(UUID.fromString(cluster.fsid()), s.fetchMonMap().get(10, TimeUnit.SECONDS).fsid());
            assertTrue(s.subscribeOsdMap(0, true).get(10, TimeUnit.SECONDS).newestMap() > 0);
        }
    }
}
