package org.jceph.rados;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the API-level RADOS ITs share: one client per class, connected with the test cluster's
 * ceph.conf, and an IoCtx on its test pool. The subclass names the cluster ({@code @RealCluster},
 * {@code @CrossRelease}). Its name ends in IT only so that failsafe, not surefire, sees it; it has no
 * tests of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveIoCtxIT {
    protected RadosClient client;
    protected IoCtx io;
    protected CephCluster c;
    protected String pool;

    @BeforeAll
    void connect(CephCluster cluster) throws IOException {
        c = cluster;
        pool = cluster.testPool();
        client = RadosClient.connect(CephConfig.fromEnvironment("-c", cluster.confPath().toString()));
        io = client.ioCtx(pool);
    }

    @AfterAll
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** UTF-8 bytes of a string. */
    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
