package org.jceph.cli.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jceph nbd serve rbd:POOL/IMAGE}, run as its own process, used by qemu-img, qemu-io and
 * nbdcopy; what they wrote is then read through librbd ({@code rbd export}). SIGTERM lets
 * writes already received finish before the process exits.
 */
@RealCluster
@CrossRelease
class NbdRbdIT {
    @TempDir
    Path tmp;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * The NBD clients: qemu-img and qemu-io of the cluster's release (inside its chroot for
     * reef/tentacle, so each release's qemu reads the export), libnbd's nbdcopy/nbdinfo from the
     * host (they are not part of a Ceph release).
     */
    private static void requireClients(CephCluster c) {
        for (String t : new String[] {"qemu-img", "qemu-io"}) {
            if (!c.tool(Duration.ofSeconds(30), "sh", "-c", "command -v " + t).ok()) {
                fail(t + " is missing for " + c.release() + ": apt-get install -y qemu-utils (bin/jceph-chroot installs it)");
            }
        }
        for (String t : new String[] {"nbdcopy", "nbdinfo"}) {
            boolean found = Arrays.stream(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, t)));
            if (!found) {
                fail(t + " is missing: apt-get install -y libnbd-bin");
            }
        }
    }

    private void serve(CephCluster c, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.jceph.cli.Main", "nbd", "serve"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-c", c.confPath().toString()));
        server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // the server's output is read on its own thread, so the start-up timeout holds even when
        // the server prints nothing; everything it printed goes into a failure's message
        StringBuffer output = new StringBuffer();
        CountDownLatch serving = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (serving.getCount() > 0) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("serving ")) {
                        serving.countDown();
                    }
                }
            } catch (IOException e) {
                output.append("(reading the server's output: ").append(e).append(")\n");
            }
        }, "nbd-serve-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!serving.await(100, TimeUnit.MILLISECONDS)) {
            if (!server.isAlive()) {
                reader.join(5_000);
                fail("jceph nbd serve exited with " + server.exitValue() + ":\n" + output);
            }
            if (System.nanoTime() > deadline) {
                // SIGQUIT: the JVM prints its threads' stacks, so the failure shows where start-up stood
                new ProcessBuilder("kill", "-QUIT", Long.toString(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
                // HotSpot ends the dump with its "JNI global refs" line; wait for it, at most 5 s
                long dumpBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (output.indexOf("JNI global refs") < 0 && System.nanoTime() < dumpBy && server.isAlive()) {
                    Thread.sleep(50);
                }
                fail("jceph nbd serve did not start within 60 s; it printed:\n" + output);
            }
        }
    }

    /** An NBD transmission request header (no payload): TYPE, COOKIE, OFFSET, LENGTH. */
    private static void request(DataOutputStream out, int type, long cookie, long offset, int length)
            throws IOException {
        out.writeInt(0x25609513);
        out.writeShort(0);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt(length);
    }

    /** Reads one simple reply (no payload) into {@code replies}: its cookie to its error. */
    private static void readSimpleReply(DataInputStream in, java.util.Map<Long, Integer> replies) throws IOException {
        assertEquals(0x67446698, in.readInt());
        int error = in.readInt();
        replies.put(in.readLong(), error);
    }

    /** Runs qemu-img/qemu-io of the cluster's release, or a host tool (nbdcopy, nbdinfo). */
    private static String run(CephCluster c, String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (tool.startsWith("qemu-")) {
            cmd.addAll(c.toolCommand(tool, args));
        } else {
            cmd.add(tool);
            cmd.addAll(List.of(args));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    private byte[] export(CephCluster c, String image) throws IOException {
        Path out = tmp.resolve(image + ".export");
        Files.deleteIfExists(out);
        c.rbdOrThrow("export", c.testPool() + "/" + image, out.toString());
        return Files.readAllBytes(out);
    }

    @Test
    void anEncryptedImageIsServedDecryptedAndLibrbdDecryptsWhatWasWritten(CephCluster c) throws Exception {
        requireClients(c);
        String pool = c.testPool();
        c.rbdOrThrow("create", "--size", "40M", "--image-feature", "layering", pool + "/nbdenc");
        Path pass = tmp.resolve("pass");
        Files.write(pass, "nbd luks passphrase".getBytes(StandardCharsets.US_ASCII));
        try (org.jceph.rados.RadosClient rados = org.jceph.rados.RadosClient.connect(
                org.jceph.messenger.config.CephConfig.fromEnvironment("-c", c.confPath().toString()));
                org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(rados.ioCtx(pool), "nbdenc", false)) {
            org.jceph.rbd.crypto.Luks.format(img, org.jceph.rbd.crypto.EncryptionFormat.LUKS2,
                    org.jceph.rbd.crypto.CipherAlgorithm.AES256, Files.readAllBytes(pass),
                    org.jceph.rbd.crypto.KdfOptions.insecureFast());
        }
        Path sock = tmp.resolve("nbdenc.sock");
        serve(c, "rbd:" + pool + "/nbdenc", "--socket", sock.toString(), "--encryption-format", "luks2",
                "--encryption-passphrase-file", pass.toString());
        String uri = "nbd+unix:///nbdenc?socket=" + sock;
        // 40 MiB less the 16 MiB LUKS2 header area, as librbd shows it
        assertTrue(run(c, "qemu-img", "info", "--output=json", uri).contains("\"virtual-size\": 25165824"));
        byte[] data = new byte[24 << 20];
        new Random(12).nextBytes(data);
        Path raw = tmp.resolve("enc-in.raw");
        Files.write(raw, data);
        run(c, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", raw.toString(), uri);
        String io = run(c, "qemu-io", "-f", "raw", "-c", "write -P 0x3c 1000 5000", "-c", "discard 1M 64k", uri);
        assertTrue(!io.contains("failed"), io);
        Arrays.fill(data, 1000, 6000, (byte) 0x3c);
        Arrays.fill(data, 1 << 20, (1 << 20) + (64 << 10), (byte) 0);
        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));

        // qemu's librbd with librbd's own encryption load reads the plaintext
        Path back = tmp.resolve("enc-back.raw");
        run(c, "qemu-img", "convert", "--object", "secret,id=sec0,file=" + pass, "--image-opts",
                "driver=raw,file.driver=rbd,file.pool=" + pool + ",file.image=nbdenc,file.conf=" + c.confPath()
                        + ",file.encrypt.format=luks2,file.encrypt.key-secret=sec0", "-O", "raw", back.toString());
        assertArrayEquals(data, Files.readAllBytes(back));
    }

    @Test
    void qemuAndLibnbdClientsWriteAnImageThatLibrbdReadsBack(CephCluster c) throws Exception {
        requireClients(c);
        c.rbdOrThrow("create", "--size", "24M", "--image-feature", "layering", c.testPool() + "/nbdimg");
        Path sock = tmp.resolve("nbd.sock");
        serve(c, "rbd:" + c.testPool() + "/nbdimg", "--socket", sock.toString());
        String uri = "nbd+unix:///nbdimg?socket=" + sock;

        assertTrue(run(c, "qemu-img", "info", "--output=json", uri).contains("\"virtual-size\": 25165824"));
        String io = run(c, "qemu-io", "-f", "raw", "-c", "write -P 0xab 0 1M", "-c", "read -P 0xab 0 1M",
                "-c", "discard 512k 256k", "-c", "write -z 2M 64k", uri);
        assertTrue(!io.contains("Pattern verification failed"), io);

        byte[] want = new byte[24 << 20];
        Arrays.fill(want, 0, 1 << 20, (byte) 0xab);
        Arrays.fill(want, 512 << 10, 768 << 10, (byte) 0);
        assertArrayEquals(want, export(c, "nbdimg"), "librbd sees what qemu-io wrote through jceph");

        byte[] data = new byte[8 << 20];
        new Random(8).nextBytes(data);
        Path raw = tmp.resolve("in.raw");
        Files.write(raw, data);
        run(c, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", raw.toString(), uri);
        run(c, "qemu-img", "compare", "-f", "raw", "-F", "raw", raw.toString(), uri);
        System.arraycopy(data, 0, want, 0, data.length);
        assertArrayEquals(want, export(c, "nbdimg"));

        Path back = tmp.resolve("back.raw");
        run(c, "nbdcopy", uri, back.toString());
        assertArrayEquals(want, Files.readAllBytes(back));
    }

    @Test
    void severalExportsFormat1SnapshotsAndAllocationMap(CephCluster c) throws Exception {
        requireClients(c);
        String pool = c.testPool();
        // a format 2 image with a snapshot, and a format 1 image made by jceph
        c.rbdOrThrow("create", "--size", "16M", "--object-size", "4M", "--image-feature", "layering", pool + "/multi2");
        Path sock = tmp.resolve("multi.sock");
        byte[] pattern = new byte[5 << 20];
        new Random(12).nextBytes(pattern);
        Path pat = tmp.resolve("pattern.raw");
        Files.write(pat, pattern);
        try (org.jceph.rados.RadosClient rados = org.jceph.rados.RadosClient.connect(
                org.jceph.messenger.config.CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            org.jceph.rados.IoCtx io = rados.ioCtx(pool);
            try (org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(io, "multi2", false)) {
                img.writeAsync(4 << 20, pattern).get(30, TimeUnit.SECONDS); // objects 1 and 2; 0 and 3 absent
                img.snapCreate("before");
                img.writeAsync(4 << 20, new byte[4096]).get(30, TimeUnit.SECONDS);
            }
            org.jceph.rbd.format1.Format1Image.create(io, "multi1", 8 << 20, 22);
        }
        serve(c, "rbd:" + pool + "/multi2@before", "rbd:" + pool + "/multi1", "--socket", sock.toString());

        String list = run(c, "nbdinfo", "--list", "nbd+unix:///?socket=" + sock);
        assertTrue(list.contains("multi2@before") && list.contains("multi1"), list);

        // the snapshot export is read-only and holds the bytes as they were
        String snapUri = "nbd+unix:///multi2@before?socket=" + sock;
        String info = run(c, "nbdinfo", snapUri);
        assertTrue(info.contains("is_read_only: true"), info);
        Path snap = tmp.resolve("snap.raw");
        run(c, "nbdcopy", snapUri, snap.toString());
        byte[] want = new byte[16 << 20];
        System.arraycopy(pattern, 0, want, 4 << 20, pattern.length);
        assertArrayEquals(want, Files.readAllBytes(snap));
        // base:allocation: objects 0 and 3 are holes, 1 and 2 data
        String map = run(c, "nbdinfo", "--map", snapUri);
        assertTrue(map.matches("(?s)\\s*0\\s+4194304\\s+3\\s+hole,zero.*"), map);
        assertTrue(map.contains("4194304     8388608    0  data") || map.matches("(?s).*4194304\\s+8388608\\s+0\\s+data.*"), map);

        // the format 1 export is writable; librbd reads what qemu-io wrote through it
        String f1Uri = "nbd+unix:///multi1?socket=" + sock;
        run(c, "qemu-io", "-f", "raw", "-c", "write -P 0x3c 1M 2M", f1Uri);
        byte[] f1 = export(c, "multi1");
        for (int i = 0; i < f1.length; i++) {
            if (f1[i] != (i >= 1 << 20 && i < 3 << 20 ? (byte) 0x3c : 0)) {
                fail("format 1 image byte " + i + " is " + f1[i]);
            }
        }
        // leave the shared pool as we found it (other tests measure it whole)
        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        c.rbdOrThrow("snap", "purge", pool + "/multi2");
        c.rbdOrThrow("rm", pool + "/multi2");
        c.rbdOrThrow("rm", pool + "/multi1");
    }

    @Test
    void writesToADefaultFeatureImageTakeTheExclusiveLockAndHandItToLibrbd(CephCluster c) throws Exception {
        requireClients(c);
        String pool = c.testPool();
        c.rbdOrThrow("create", "--size", "16M", pool + "/lockimg"); // default features: exclusive-lock, object-map...
        Path sock = tmp.resolve("lock.sock");
        serve(c, "rbd:" + pool + "/lockimg", "--socket", sock.toString());
        String uri = "nbd+unix:///lockimg?socket=" + sock;
        assertTrue(c.rbdOrThrow("lock", "ls", pool + "/lockimg").isBlank(), "no lock before the first write");
        run(c, "qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 1M", uri);
        String locks = c.rbdOrThrow("lock", "ls", pool + "/lockimg");
        assertTrue(locks.contains("There is 1 exclusive lock on this image.") && locks.contains("auto "), locks);
        // librbd asks for the lock, gets it, writes [0, 64K) and closes.
        c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4K", "--io-threads", "1", "--io-total", "64K",
                "--io-pattern", "seq", pool + "/lockimg");
        run(c, "qemu-io", "-f", "raw", "-c", "write -P 0x6b 4M 1M", uri); // and we take it back
        // base:allocation from the object map: objects 0 and 1 hold data, 2 and 3 never existed
        String map = run(c, "nbdinfo", "--map", uri);
        assertTrue(map.matches("(?s)\\s*0\\s+8388608\\s+0\\s+data\\s+8388608\\s+8388608\\s+3\\s+hole,zero\\s*"), map);
        server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        assertTrue(c.rbdOrThrow("lock", "ls", pool + "/lockimg").isBlank(), "SIGTERM gives the lock back");
        byte[] image = export(c, "lockimg");
        for (int i = 64 << 10; i < 1 << 20; i++) {
            assertEquals((byte) 0x5a, image[i], "offset " + i);
        }
        for (int i = 4 << 20; i < 5 << 20; i++) {
            assertEquals((byte) 0x6b, image[i], "offset " + i);
        }
        var check = c.rbd("object-map", "check", pool + "/lockimg");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
    }

    @Test
    void sigtermFinishesTheWritesAlreadyReceived(CephCluster c) throws Exception {
        c.rbdOrThrow("create", "--size", "8M", "--image-feature", "layering", c.testPool() + "/termimg");
        Path sock = tmp.resolve("term.sock");
        serve(c, "rbd:" + c.testPool() + "/termimg", "--socket", sock.toString());
        byte[] block = new byte[256 << 10];
        new Random(12).nextBytes(block);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            in.readLong();
            in.readLong();
            in.readShort();
            out.writeInt(3);
            byte[] name = "termimg".getBytes(StandardCharsets.UTF_8);
            out.writeLong(0x49484156454F5054L);
            out.writeInt(7);
            out.writeInt(6 + name.length);
            out.writeInt(name.length);
            out.write(name);
            out.writeShort(0);
            out.flush();
            while (true) { // option replies until ACK
                in.readLong();
                in.readInt();
                int type = in.readInt();
                in.readNBytes(in.readInt());
                if (type == 1) {
                    break;
                }
            }
            for (int i = 0; i < 8; i++) {
                request(out, 1, i, (long) i * block.length, block.length); // WRITE
                out.write(block);
            }
            // The server reads requests one after the other and stops reading at SIGTERM
            // (NbdConnection.shutdown): a write still in the socket then was never received. The
            // flush above returns with up to a socket buffer (~200 KiB) of the last write unread,
            // so a probe the server refuses at once (a READ past the end: EINVAL, no I/O) is sent
            // after the writes, and SIGTERM only once its reply shows all 8 writes were read.
            long probe = 99;
            request(out, 0, probe, 8L << 20, 4096); // READ
            out.flush();
            java.util.Map<Long, Integer> replies = new java.util.HashMap<>();
            while (!replies.containsKey(probe)) {
                readSimpleReply(in, replies);
            }
            int answeredBeforeSigterm = replies.size() - 1;
            server.destroy(); // SIGTERM while the writes are in flight
            while (replies.size() < 9) {
                readSimpleReply(in, replies);
            }
            assertEquals(22, replies.get(probe), "the probe is refused: EINVAL");
            for (long i = 0; i < 8; i++) {
                assertEquals(0, replies.get(i), "write " + i + " acknowledged without error");
            }
            System.out.println("[nbd-sigterm] writes answered before the SIGTERM: " + answeredBeforeSigterm + " of 8");
        }
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exits after SIGTERM");
        byte[] image = export(c, "termimg");
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(block, Arrays.copyOfRange(image, i * block.length, (i + 1) * block.length), "write " + i);
        }
    }
}
