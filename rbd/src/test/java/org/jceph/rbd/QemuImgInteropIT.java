package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jceph.fixtures.cluster.CrossRelease;

/**
 * qemu's own librbd driver (qemu-utils + qemu-block-extra, {@code rbd:pool/image:conf=...}) as the
 * oracle: it sees our images, their snapshots and their bytes exactly as we do, and what it
 * writes we read.
 */
@CrossRelease
class QemuImgInteropIT extends LiveRbdTest {
    private static final long MIB = 1 << 20;
    private String spec(String image) {
        return "rbd:" + pool + "/" + image + ":conf=" + c.confPath();
    }

    /** Runs qemu-img with a bound; returns stdout, failing the test on a non-zero exit. */
    private String qemuImg(String... args) throws IOException, InterruptedException {
        // qemu-img of the cluster's release (its librbd is the oracle), inside its chroot if it has one
        List<String> cmd = c.toolCommand("qemu-img", args);
        Path out = Files.createTempFile(tmp, "qemu", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("qemu-img timed out: " + cmd);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + " failed: " + text);
        return text;
    }

    private static long jsonLong(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void qemuSeesOurImageItsBytesAndItsSnapshot() throws Exception {
        String name = "qemu-ours";
        long size = 24 * MIB + 4096;
        RbdImage.create(io(), name, size, 22, RbdFeatures.LAYERING);
        byte[] atSnap;
        byte[] head;
        try (RbdImage img = RbdImage.open(io(), name, false)) {
            Random r = new Random(7);
            for (int i = 0; i < 12; i++) {
                byte[] d = new byte[1 + r.nextInt(3 * (int) MIB)];
                r.nextBytes(d);
                img.writeAsync(r.nextInt((int) (size - d.length)), d).get(30, TimeUnit.SECONDS);
            }
            atSnap = img.readAsync(0, (int) size).get(30, TimeUnit.SECONDS);
            img.snapCreate("s1");
            byte[] d = new byte[(int) (2 * MIB)];
            r.nextBytes(d);
            img.writeAsync(5 * MIB + 17, d).get(30, TimeUnit.SECONDS);
            img.discardAsync(16 * MIB, 4 * MIB).get(30, TimeUnit.SECONDS);
            head = img.readAsync(0, (int) size).get(30, TimeUnit.SECONDS);
        }

        String info = qemuImg("info", "--output=json", spec(name));
        assertEquals(size, jsonLong(info, "virtual-size"), info);
        assertTrue(info.contains("\"format\": \"raw\""), info);
        assertTrue(info.contains("\"name\": \"s1\""), "qemu lists our snapshot: " + info);

        Path ours = tmp.resolve("ours.raw");
        Files.write(ours, head);
        qemuImg("compare", "-f", "raw", "-F", "raw", ours.toString(), spec(name)); // exit 0 = identical

        Path converted = tmp.resolve("converted.raw");
        qemuImg("convert", "-f", "raw", "-O", "raw", spec(name), converted.toString());
        assertArrayEquals(head, Files.readAllBytes(converted), "qemu-img convert reads our bytes");

        Path snap = tmp.resolve("snap.raw");
        qemuImg("convert", "-f", "raw", "-O", "raw", "rbd:" + pool + "/" + name + "@s1:conf=" + c.confPath(),
                snap.toString());
        assertArrayEquals(atSnap, Files.readAllBytes(snap), "qemu reads our snapshot as we wrote it");
        try (RbdImage img = RbdImage.open(io(), name, true)) {
            assertArrayEquals(atSnap, img.atSnapshot("s1").readAsync(0, (int) size).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void whatQemuWritesThroughLibrbdWeRead() throws Exception {
        String name = "qemu-theirs";
        byte[] content = new byte[(int) (9 * MIB + 12345)];
        new Random(11).nextBytes(content);
        Arrays.fill(content, (int) MIB, (int) (3 * MIB), (byte) 0); // a hole qemu may skip
        Path src = tmp.resolve("src.raw");
        Files.write(src, content);
        // qemu creates the image through librbd (default features), then writes it
        qemuImg("convert", "-f", "raw", "-O", "raw", src.toString(), spec(name));
        String info = qemuImg("info", "--output=json", spec(name));
        long size = jsonLong(info, "virtual-size");
        assertTrue(size >= content.length, info);
        try (RbdImage img = RbdImage.open(io(), name, true)) {
            assertEquals(size, img.size());
            byte[] read = img.readAsync(0, (int) size).get(30, TimeUnit.SECONDS);
            assertArrayEquals(content, Arrays.copyOf(read, content.length));
            for (int i = content.length; i < read.length; i++) {
                assertEquals(0, read[i], "past the source's end");
            }
        }
    }

    @Test
    void theBlockingCallsMirrorTheAsyncOnes() throws Exception {
        RbdImage.create(io(), "sync-calls", 8L << 20, 22, RbdFeatures.LIBRBD_DEFAULT);
        byte[] want = new byte[8 << 20];
        try (RbdImage img = RbdImage.open(io(), "sync-calls", false)) {
            byte[] d = new byte[3 << 20];
            new Random(9).nextBytes(d);
            img.write(1 << 20, d);
            System.arraycopy(d, 0, want, 1 << 20, d.length);
            img.discard(2 << 20, 4096);
            java.util.Arrays.fill(want, 2 << 20, (2 << 20) + 4096, (byte) 0);
            img.writeZeroes(3 << 20, 100);
            java.util.Arrays.fill(want, 3 << 20, (3 << 20) + 100, (byte) 0);
            img.flush();
            assertArrayEquals(want, img.read(0, want.length));
            org.junit.jupiter.api.Assertions.assertThrows(RbdException.class, () -> img.read(8 << 20, 1));
        }
        assertArrayEquals(want, export("sync-calls"));
    }
}
