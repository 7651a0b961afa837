package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-megabyte payloads through every transport, now that the messenger sends the caller's
 * arrays as they are and hands received data up as views of the socket's buffers: one MOSDOp
 * carrying two writes (its data part is then a composite of both inputs) and one carrying two
 * reads (the reply's data is split between them), in msgr2 crc, msgr2 secure, msgr2.0 crc and
 * msgr1 (signed). The stock {@code rados get} checks what reached the OSD.
 */
@RealCluster(osds = 1, config = {"debug_ms = 1"})
class RadosLargePayloadIT {
    @TempDir
    Path tmp;

    @Test
    void largeCompoundWritesAndReadsInEveryMode(CephCluster cluster) throws IOException {
        Map<String, Map<String, String>> modes = Map.of(
                "crc", Map.of("ms_client_mode", "crc"),
                "secure", Map.of("ms_client_mode", "secure"),
                "rev0", Map.of("ms_jceph_msgr2_rev0", "true", "ms_mon_client_mode", "crc", "ms_client_mode", "crc"),
                "msgr1", Map.of("ms_jceph_force_msgr1", "true"));
        Random random = new Random(42);
        Map<String, Long> ids = new java.util.HashMap<>();
        for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
            CephConfig.Builder b = CephConfig.builder().environment(Map.of()).confFile(cluster.confPath())
                    .keyring(cluster.keyringPath());
            mode.getValue().forEach(b::set);
            byte[] first = new byte[(4 << 20) + 13];
            byte[] second = new byte[(1 << 20) + 7];
            random.nextBytes(first);
            random.nextBytes(second);
            String oid = "large-" + mode.getKey();
            try (RadosClient client = RadosClient.connect(b.build())) {
                IoCtx io = client.ioCtx(cluster.testPool());
                io.operate(oid, new IoCtx.Operation().writeFull(first).write(first.length, second));
                IoCtx.OperationResult r = io.operate(oid, new IoCtx.Operation().read(0, first.length)
                        .read(first.length, second.length));
                assertArrayEquals(first, r.outputs().get(0), mode.getKey());
                assertArrayEquals(second, r.outputs().get(1), mode.getKey());
                ids.put(mode.getKey(), client.instanceId());
            }
            Path got = tmp.resolve(oid);
            cluster.radosOrThrow("-p", cluster.testPool(), "get", oid, got.toString());
            byte[] stored = Files.readAllBytes(got);
            assertEquals(first.length + second.length, stored.length, mode.getKey());
            assertArrayEquals(first, java.util.Arrays.copyOf(stored, first.length), mode.getKey());
            assertArrayEquals(second, java.util.Arrays.copyOfRange(stored, first.length, stored.length), mode.getKey());
        }
        // The OSD's view of the sessions ("--2- ... conn(... secure :-1 s=READY ... rev1=1 ...).ready entity=client.N"):
        // the secure client really used secure mode.
        String osdLog = Files.readString(cluster.logDir().resolve("osd.0.log"));
        assertTrue(Pattern.compile("secure :-1 s=READY .* rev1=1 .*\\)\\.ready entity=client\\." + ids.get("secure") + " ")
                .matcher(osdLog).find(), "no secure msgr2 session from client." + ids.get("secure") + " in the OSD log");
    }
}
