package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.Test;

/** A cluster running {@code auth none}: no keys, zero AUTH_SIGNATUREs. */
@RealCluster(osds = 1, config = {"auth_cluster_required = none", "auth_service_required = none",
    "auth_client_required = none"})
class AuthNoneMonIT {
    @Test
    void authNoneSessionFetchesMaps(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_mon_client_mode", "crc").build();
        assertEquals("none", cfg.authClientRequired().get(0));
        try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
            assertEquals(ConnectionMode.CRC, s.connection().mode());
            assertEquals(UUID.fromString(cluster.fsid()), s.fetchMonMap().get(10, TimeUnit.SECONDS).fsid());
            assertTrue(s.subscribeOsdMap(0, true).get(10, TimeUnit.SECONDS).newestMap() > 0);
        }
    }
}
