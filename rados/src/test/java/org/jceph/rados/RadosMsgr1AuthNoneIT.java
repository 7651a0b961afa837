package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** {@code auth none} over msgr1: MAuth method 1 to the monitor, the none authorizer to the OSD, no signatures. */
@RealCluster(osds = 1, config = {"auth_cluster_required = none", "auth_service_required = none",
    "auth_client_required = none"})
class RadosMsgr1AuthNoneIT {
    @Test
    void writeAndReadOverMsgr1WithAuthNone(CephCluster cluster) throws IOException {
        CephConfig cfg = CephConfig.builder().environment(java.util.Map.of()).confFile(cluster.confPath())
                .keyring(cluster.keyringPath()).set("ms_jceph_force_msgr1", "true").build();
        byte[] data = "auth none, msgr1\n".getBytes(StandardCharsets.UTF_8);
        try (RadosClient client = RadosClient.connect(cfg)) {
            IoCtx io = client.ioCtx(cluster.testPool());
            io.writeFull("none-object", data);
            assertArrayEquals(data, io.read("none-object", 0, 4096));
        }
        java.nio.file.Path got = java.nio.file.Files.createTempFile("none", ".bin");
        try {
            cluster.radosOrThrow("-p", cluster.testPool(), "get", "none-object", got.toString());
            assertArrayEquals(data, java.nio.file.Files.readAllBytes(got));
        } finally {
            java.nio.file.Files.deleteIfExists(got);
        }
    }
}
