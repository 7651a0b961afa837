package org.jceph.rados.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a capture of a secure-mode session holds none of the plaintext object data written
 * through it, checked on a tcpdump capture of the loopback traffic. The same write in crc mode is
 * the control: there the data must show up in the capture, so the check can fail.
 */
@RealCluster
class SecureCaptureIT {
    @TempDir
    Path tmp;

    @Test
    void aSecureSessionCarriesNoPlaintextWhileACrcSessionDoes(CephCluster cluster) throws Exception {
        byte[] data = new byte[256 << 10];
        new Random(20261125).nextBytes(data);
        assertEquals(0, windowsFound(capture(cluster, "secure", data, "plain-secure"), data), "plaintext in a secure capture");
        assertTrue(windowsFound(capture(cluster, "crc", data, "plain-crc"), data) > 0,
                "the crc control capture should show the object's bytes (else the check proves nothing)");
    }

    /** Writes and reads {@code data} over {@code mode} while tcpdump records lo; returns the pcap. */
    private byte[] capture(CephCluster cluster, String mode, byte[] data, String oid) throws Exception {
        Path pcap = tmp.resolve(mode + ".pcap");
        Path log = tmp.resolve(mode + ".tcpdump.log");
        Process dump;
        try {
            // only our sessions: the monitor's and the OSDs' public msgr2 ports (the OSDs replicate
            // to each other on their cluster ports, in the cluster's own mode)
            dump = new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-s", "0", "-w", pcap.toString(), publicPorts(cluster))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (java.io.IOException e) {
            fail("tcpdump is needed (apt-get install -y tcpdump, run as root): " + e.getMessage());
            return null;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("listening on")) {
                if (!dump.isAlive() || System.nanoTime() > deadline) {
                    fail("tcpdump did not start: " + Files.readString(log, StandardCharsets.UTF_8));
                }
                Thread.sleep(50);
            }
            CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(cluster.confPath())
                    .keyring(cluster.keyringPath()).set("ms_client_mode", mode).set("ms_mon_client_mode", mode).build();
            try (RadosClient client = RadosClient.connect(cfg)) {
                IoCtx io = client.ioCtx(cluster.testPool());
                io.writeFull(oid, data);
                assertArrayEquals(data, io.read(oid, 0, data.length));
                io.remove(oid);
            }
            Thread.sleep(500); // let tcpdump write the last packets (-U flushes per packet)
        } finally {
            dump.destroy(); // SIGTERM: tcpdump finishes the file
            if (!dump.waitFor(20, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
            }
        }
        return Files.readAllBytes(pcap);
    }

    /** A tcpdump filter for the monitor's v2 port and every OSD's public v2 port. */
    private static String publicPorts(CephCluster cluster) {
        StringBuilder f = new StringBuilder("tcp and (port " + cluster.monV2().getPort());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^osd\\.\\d+ .*?\\[v2:[0-9.]+:(\\d+)/")
                .matcher(cluster.cephOrThrow("osd", "dump"));
        int osds = 0;
        while (m.find()) {
            f.append(" or port ").append(m.group(1));
            osds++;
        }
        assertTrue(osds > 0, "no OSD addresses in ceph osd dump");
        return f.append(')').toString();
    }

    /** How many of the object's 64-byte windows (one every 4 KiB) appear verbatim in the capture. */
    private static int windowsFound(byte[] pcap, byte[] data) {
        int found = 0;
        for (int at = 1000; at + 64 <= data.length; at += 4096) {
            if (indexOf(pcap, data, at, 64) >= 0) {
                found++;
            }
        }
        return found;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from, int len) {
        outer:
        for (int i = 0; i + len <= hay.length; i++) {
            for (int j = 0; j < len; j++) {
                if (hay[i + j] != needle[from + j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
