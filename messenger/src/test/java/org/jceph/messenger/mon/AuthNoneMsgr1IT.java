package org.jceph.messenger.mon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** {@code auth none} over msgr1: MAuth with method 1 succeeds in one round. */
@RealCluster(osds = 1, config = {"auth_cluster_required = none", "auth_service_required = none",
    "auth_client_required = none"})
class AuthNoneMsgr1IT {
    @Test
    void authNoneOverMsgr1FetchesMaps(CephCluster cluster) throws Exception {
        CephConfig cfg = MonSessionIT.config(cluster).set("ms_jceph_force_msgr1", "true").build();
        assertEquals("none", cfg.authClientRequired().get(0));
        try (Messenger m = Messenger.forConfig(cfg); MonSession s = MonSession.connect(cfg, m)) {
            assertTrue(s.connection().toString().startsWith("msgr1"), s.connection().toString());
            assertTrue(s.connection().globalId() > 0);
            assertTrue(s.connection().serviceTickets().isEmpty());
            assertEquals(UUID.fromString(cluster.fsid()), s.fetchMonMap().get(10, TimeUnit.SECONDS).fsid());
            assertTrue(s.subscribeOsdMap(0, true).get(10, TimeUnit.SECONDS).newestMap() > 0);
        }
    }
}
