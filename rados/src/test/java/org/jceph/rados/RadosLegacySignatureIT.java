package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.encoding.CephFeature;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * The legacy (pre-CEPHX_V2) cephx message signature, live: the cluster accepts cephx v1 peers
 * (cephx_*require_version = 1) and our msgr1 client leaves CEPHX_V2 out of its connect
 * (ms_jceph_drop_features), so the OSD signs and checks footers the old way. Completed ops prove
 * the OSD accepted our legacy signatures; our client checked the OSD's on every reply.
 */
@RealCluster(osds = 1, config = {"cephx_require_version = 1", "cephx_cluster_require_version = 1",
    "cephx_service_require_version = 1", "debug_ms = 10", "debug_auth = 10"})
class RadosLegacySignatureIT {
    @Test
    void legacySignaturesBothWaysWithAPeerLackingCephxV2(CephCluster cluster) throws IOException {
        CephConfig cfg = CephConfig.builder().environment(java.util.Map.of()).confFile(cluster.confPath())
                .keyring(cluster.keyringPath()).set("ms_jceph_force_msgr1", "true")
                .set("ms_jceph_drop_features", "cephx_v2").set("rados_osd_op_timeout", "20").build();
        byte[] data = "signed the 2013 way\n".getBytes(StandardCharsets.UTF_8);
        try (RadosClient client = RadosClient.connect(cfg)) {
            IoCtx io = client.ioCtx(cluster.testPool());
            io.writeFull("legacy-signed", data);
            assertArrayEquals(data, io.read("legacy-signed", 0, 4096));
        }
        // ProtocolV1 (server side) logs "accept features N" for each accepted connection. The
        // daemon's log thread writes asynchronously: on a loaded host the lines can lag the ops,
        // so read the log again (bounded) until they are there.
        String osdLog = "";
        boolean sawLegacyPeer = false;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (true) {
            osdLog = Files.readString(cluster.logDir().resolve("osd.0.log"));
            Matcher m = Pattern.compile("accept features (\\d+)").matcher(osdLog);
            while (m.find()) {
                sawLegacyPeer |= !CephFeature.CEPHX_V2.isIn(Long.parseUnsignedLong(m.group(1)));
            }
            if ((sawLegacyPeer && osdLog.contains("_calc_signature")) || System.nanoTime() > deadline) {
                break;
            }
            org.jceph.fixtures.cluster.ClusterFaults.sleep(java.time.Duration.ofMillis(200));
        }
        assertTrue(sawLegacyPeer, "the OSD accepted no msgr1 session without CEPHX_V2");
        assertTrue(osdLog.contains("_calc_signature"), "the OSD computed no message signatures");
        assertTrue(!osdLog.contains("Signature failed") && !osdLog.contains("Message signature does not match"),
                "the OSD rejected a signature");
    }
}
