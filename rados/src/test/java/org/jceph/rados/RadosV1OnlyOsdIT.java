package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * Daemons started with {@code ms_bind_msgr2 = false}: the OSD's addrvec in the osdmap holds only a
 * legacy address, so a client with default settings reaches it over msgr1 (and the monitor, whose
 * monmap still lists v2, over msgr2), as librados does.
 */
@RealCluster(osds = 1, config = {"ms_bind_msgr2 = false"})
class RadosV1OnlyOsdIT {
    @Test
    void anOsdWithOnlyALegacyAddressIsReachedOverMsgr1(CephCluster cluster) throws IOException {
        CephConfig cfg = CephConfig.builder().environment(java.util.Map.of()).confFile(cluster.confPath())
                .keyring(cluster.keyringPath()).build();
        byte[] data = "to a v1-only OSD\n".getBytes(StandardCharsets.UTF_8);
        try (RadosClient client = RadosClient.connect(cfg)) {
            var addrs = client.osdMap().clientAddrs().get(0);
            assertNull(addrs.first(EntityAddr.TYPE_MSGR2), addrs.toString());
            assertEquals(EntityAddr.TYPE_LEGACY, org.jceph.messenger.AddressPolicy.pick(addrs, cfg.useMsgr2()).type());
            IoCtx io = client.ioCtx(cluster.testPool());
            io.writeFull("v1-only-osd", data);
            assertArrayEquals(data, io.read("v1-only-osd", 0, 4096));
        }
        java.nio.file.Path got = java.nio.file.Files.createTempFile("v1only", ".bin");
        try {
            cluster.radosOrThrow("-p", cluster.testPool(), "get", "v1-only-osd", got.toString());
            assertArrayEquals(data, java.nio.file.Files.readAllBytes(got));
        } finally {
            java.nio.file.Files.deleteIfExists(got);
        }
    }
}
