package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RADOS over msgr1: with {@code ms_jceph_force_msgr1} the client reaches the monitor and the OSDs
 * on their v1 addresses; the OSD sessions carry a cephx authorizer (with the challenge round) and
 * every message footer is signed, which the OSD checks (cephx_sign_messages defaults to true: a
 * bad signature would fault the session, so completed ops prove our signatures). The OSD's own
 * log, at debug_ms 1 / debug_auth 10, is the oracle for the transport and the signature checks.
 */
@RealCluster(osds = 1, config = {"debug_ms = 1", "debug_auth = 10"})
class RadosMsgr1IT {
    @TempDir
    Path tmp;

    @Test
    void writeAndReadOverMsgr1WithSignedMessages(CephCluster cluster) throws IOException {
        CephConfig cfg = CephConfig.builder().environment(java.util.Map.of()).confFile(cluster.confPath())
                .keyring(cluster.keyringPath()).set("ms_jceph_force_msgr1", "true").build();
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        long id;
        try (RadosClient client = RadosClient.connect(cfg)) {
            id = client.instanceId();
            IoCtx io = client.ioCtx(cluster.testPool());
            io.writeFull("msgr1-object", data);
            assertArrayEquals(data, io.read("msgr1-object", 0, data.length));
            Path got = tmp.resolve("got");
            cluster.radosOrThrow("-p", cluster.testPool(), "get", "msgr1-object", got.toString());
            assertArrayEquals(data, Files.readAllBytes(got));

            Path in = tmp.resolve("in");
            Files.write(in, "put by librados\n".getBytes(StandardCharsets.UTF_8));
            cluster.radosOrThrow("-p", cluster.testPool(), "put", "librados-object", in.toString());
            assertArrayEquals(Files.readAllBytes(in), io.read("librados-object", 0, 4096));
        }
        String osdLog = Files.readString(cluster.logDir().resolve("osd.0.log"));
        // "<== client.4123 v1:127.0.0.1:0/2134 1 ==== osd_op(...)": our ops arrived over msgr1
        Matcher m = Pattern.compile("<== client\\." + id + " (v\\d):\\S+ \\d+ ==== osd_op").matcher(osdLog);
        assertTrue(m.find(), "no osd_op from client." + id + " in the OSD log");
        assertTrue(m.group(1).equals("v1"), "client." + id + " reached the OSD over " + m.group(1));
        assertTrue(osdLog.contains("_calc_signature"), "the OSD computed no message signatures");
        assertTrue(!osdLog.contains("Signature failed") && !osdLog.contains("Message signature does not match"),
                "the OSD rejected a signature");
    }

    @Test
    void writeAndReadOverMsgr2Rev0Crc(CephCluster cluster) throws IOException {
        CephConfig cfg = CephConfig.builder().environment(java.util.Map.of()).confFile(cluster.confPath())
                .keyring(cluster.keyringPath()).set("ms_jceph_msgr2_rev0", "true").set("ms_mon_client_mode", "crc")
                .set("ms_client_mode", "crc").build();
        byte[] data = "msgr2.0 crc frames\n".getBytes(StandardCharsets.UTF_8);
        long id;
        try (RadosClient client = RadosClient.connect(cfg)) {
            id = client.instanceId();
            IoCtx io = client.ioCtx(cluster.testPool());
            io.writeFull("rev0-object", data);
            assertArrayEquals(data, io.read("rev0-object", 0, 4096));
        }
        String osdLog = Files.readString(cluster.logDir().resolve("osd.0.log"));
        // "--2- ... conn(... crc :-1 s=READY ... l=1 rev1=0 ...).ready entity=client.4122"
        Matcher m = Pattern.compile("crc :-1 s=READY .* rev1=(\\d) .*\\)\\.ready entity=client\\." + id + " ")
                .matcher(osdLog);
        assertTrue(m.find(), "no msgr2 session from client." + id + " in the OSD log");
        assertTrue(m.group(1).equals("0"), "client." + id + " reached the OSD with rev1=" + m.group(1));
    }
}
