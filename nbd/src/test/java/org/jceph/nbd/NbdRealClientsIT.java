package org.jceph.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NBD server against the real clients from Debian's packages: qemu-img, qemu-io (qemu's own
 * NBD client), and libnbd's nbdinfo and nbdcopy, over a Unix socket and over TCP. The exports are
 * in-memory disks here; what the clients wrote is checked in the export's own bytes.
 */
class NbdRealClientsIT {
    private static final long SIZE = 64L << 20;

    @TempDir
    Path tmp;
    private MemoryExport disk;
    private MemoryExport spare;
    private MemoryExport readOnly;
    private NbdServer unixServer;
    private NbdServer tcpServer;
    private String unixUri;
    private String tcpUri;

    @BeforeEach
    void start() throws IOException {
        Tools.requireInstalled();
        disk = new MemoryExport("disk", SIZE, false);
        spare = new MemoryExport("spare", 8L << 20, false);
        readOnly = new MemoryExport("frozen", 4L << 20, true);
        Path sock = tmp.resolve("nbd.sock");
        unixServer = NbdServer.builder().export(disk).export(spare).export(readOnly).bindUnix(sock).build().start();
        tcpServer = NbdServer.builder().export(disk).bindTcp(new InetSocketAddress("127.0.0.1", 0)).build().start();
        unixUri = "nbd+unix:///disk?socket=" + sock;
        int port = ((InetSocketAddress) tcpServer.localAddress()).getPort();
        tcpUri = "nbd://127.0.0.1:" + port + "/disk";
    }

    @AfterEach
    void stop() {
        if (unixServer != null) {
            unixServer.close();
        }
        if (tcpServer != null) {
            tcpServer.close();
        }
    }

    @Test
    void qemuImgInfoSeesTheExportSizeOverUnixAndTcp() {
        assertTrue(Tools.ok("qemu-img", "info", "--output=json", unixUri).contains("\"virtual-size\": " + SIZE));
        assertTrue(Tools.ok("qemu-img", "info", "--output=json", tcpUri).contains("\"virtual-size\": " + SIZE));
    }

    @Test
    void qemuIoWritesAPatternThatReadsBackAndLandsInTheExport() {
        String out = Tools.ok("qemu-io", "-f", "raw", "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M", unixUri);
        assertFalse(out.contains("Pattern verification failed"), out);
        byte[] want = new byte[1 << 20];
        Arrays.fill(want, (byte) 0xab);
        assertArrayEquals(want, disk.snapshot(0, 1 << 20));
    }

    @Test
    void qemuIoDiscardAndWriteZeroesReadBackAsZeros() {
        Tools.ok("qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 2M", tcpUri);
        Tools.ok("qemu-io", "-f", "raw", "-c", "discard 0 1M", "-c", "write -z 1M 64k", tcpUri);
        String out = Tools.ok("qemu-io", "-f", "raw", "-c", "read -P 0 0 1M", "-c", "read -P 0 1M 64k",
                "-c", "read -P 0x5a 1088k 960k", tcpUri);
        assertFalse(out.contains("Pattern verification failed"), out);
        assertFalse(disk.allocated(0), "a whole-chunk discard deallocates");
    }

    @Test
    void qemuImgConvertsToAndFromRawFilesAndCompares() throws IOException {
        byte[] data = new byte[(int) (8L << 20)];
        new Random(42).nextBytes(data);
        Arrays.fill(data, 2 << 20, 3 << 20, (byte) 0);
        Path raw = tmp.resolve("in.raw");
        Files.write(raw, data);
        Tools.ok("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", raw.toString(),
                "nbd+unix:///spare?socket=" + tmp.resolve("nbd.sock"));
        assertArrayEquals(data, spare.snapshot(0, data.length));
        Tools.ok("qemu-img", "compare", "-f", "raw", "-F", "raw", raw.toString(),
                "nbd+unix:///spare?socket=" + tmp.resolve("nbd.sock"));
        Path back = tmp.resolve("out.raw");
        Tools.ok("qemu-img", "convert", "-f", "raw", "-O", "raw",
                "nbd+unix:///spare?socket=" + tmp.resolve("nbd.sock"), back.toString());
        assertArrayEquals(data, Files.readAllBytes(back));
    }

    @Test
    void nbdinfoListsEveryExportAndMapsAllocation() {
        String list = Tools.ok("nbdinfo", "--list", "nbd+unix:///?socket=" + tmp.resolve("nbd.sock"));
        assertTrue(list.contains("export=\"disk\""), list);
        assertTrue(list.contains("export=\"spare\""), list);
        assertTrue(list.contains("export=\"frozen\""), list);
        assertTrue(list.contains("in-memory test disk frozen"), list);
        Tools.ok("qemu-io", "-f", "raw", "-c", "write -P 1 1M 128k", unixUri);
        String map = Tools.ok("nbdinfo", "--map", unixUri);
        // offset length type: a hole, the 128 KiB we wrote, then a hole to the end
        assertTrue(map.contains("0     1048576    3  hole,zero") || map.matches("(?s).*0\\s+1048576\\s+3\\s+hole,zero.*"), map);
        assertTrue(map.matches("(?s).*1048576\\s+131072\\s+0\\s+data.*"), map);
    }

    @Test
    void nbdcopyCopiesInAndOut() throws IOException {
        byte[] data = new byte[(int) (8L << 20)];
        new Random(7).nextBytes(data);
        Path raw = tmp.resolve("copy.raw");
        Files.write(raw, data);
        String spareUri = "nbd+unix:///spare?socket=" + tmp.resolve("nbd.sock");
        Tools.ok("nbdcopy", raw.toString(), spareUri);
        assertArrayEquals(data, spare.snapshot(0, data.length));
        Path back = tmp.resolve("copy-back.raw");
        Tools.ok("nbdcopy", spareUri, back.toString());
        assertArrayEquals(data, Files.readAllBytes(back));
    }

    @Test
    void aReadOnlyExportRefusesWritesButServesReads() {
        String frozen = "nbd+unix:///frozen?socket=" + tmp.resolve("nbd.sock");
        Tools.Result w = Tools.run("qemu-io", "-f", "raw", "-c", "write -P 1 0 4k", frozen);
        assertTrue(w.exit() != 0 || w.out().contains("Operation not permitted") || w.out().contains("read-only"), w.out());
        assertNotEquals(1, readOnly.snapshot(0, 1)[0]);
        Tools.ok("qemu-io", "-f", "raw", "-r", "-c", "read -P 0 0 4k", frozen);
    }

    @Test
    void anUnknownExportIsRefused() {
        Tools.Result r = Tools.run("qemu-img", "info", "nbd+unix:///nope?socket=" + tmp.resolve("nbd.sock"));
        assertNotEquals(0, r.exit());
        assertEquals(0, disk.writesCompleted.get());
    }
}
