package org.jceph.rbd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every RBD integration test needs: the shared live cluster, one client for the class, the
 * test pool's I/O context, and librbd's {@code rbd export} of an image (the oracle).
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveRbdTest {
    protected RadosClient client;
    protected CephCluster c;
    protected String pool;

    @TempDir
    protected Path tmp;

    @BeforeAll
    void connect(CephCluster cluster) throws IOException {
        c = cluster;
        pool = cluster.testPool();
        client = RadosClient.connect(CephConfig.fromEnvironment("-c", cluster.confPath().toString()));
    }

    @AfterAll
    void close() {
        if (client != null) {
            client.close();
        }
    }

    protected IoCtx io() {
        return client.ioCtx(pool);
    }

    /** librbd's export of {@code spec} (IMAGE or IMAGE@SNAP in the test pool). */
    protected byte[] export(String spec) throws IOException {
        Path out = tmp.resolve("export-" + System.nanoTime());
        c.rbdOrThrow("export", pool + "/" + spec, out.toString());
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(out);
        return bytes;
    }
}
