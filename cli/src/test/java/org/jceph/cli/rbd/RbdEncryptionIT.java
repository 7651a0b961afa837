package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbd encryption format} side by side with Pacific's tool (exit status and message of each
 * refusal), an image jceph formatted opened by qemu's librbd, and
 * {@code rbd export --encryption-format} giving the plaintext qemu wrote through librbd.
 */
@RealCluster
class RbdEncryptionIT {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    private Path passFile(String text) throws Exception {
        Path p = tmp.resolve("pass-" + System.nanoTime());
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    private String qemu(CephCluster c, String... args) throws Exception {
        Path out = tmp.resolve("qemu-" + System.nanoTime());
        List<String> cmd = c.toolCommand("qemu-img", args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), cmd + ": " + text);
        return text;
    }

    private static String opts(CephCluster c, String image, String luks) {
        return "driver=raw,file.driver=rbd,file.pool=" + c.testPool() + ",file.image=" + image + ",file.conf="
                + c.confPath() + ",file.encrypt.format=" + luks + ",file.encrypt.key-secret=sec0";
    }

    @Test
    void weFormatQemuWritesOurExportDecrypts(CephCluster c) throws Exception {
        String pool = c.testPool();
        Path pass = passFile("cli passphrase\n"); // the newline is part of the passphrase, as for rbd
        c.rbdOrThrow("create", "--size", "40M", pool + "/enc-cli");
        Result r = runRc(c, "encryption", "format", pool + "/enc-cli", "luks2", pass.toString());
        assertEquals(0, r.rc(), r.err());
        String info = qemu(c, "info", "--object", "secret,id=sec0,file=" + pass, "--image-opts",
                opts(c, "enc-cli", "luks2"));
        assertTrue(info.contains("virtual size: 24 MiB"), info);

        byte[] data = new byte[(int) (5 * MIB + 12345)];
        new Random(3).nextBytes(data);
        Path src = tmp.resolve("src");
        Files.write(src, data);
        qemu(c, "convert", "-n", "--object", "secret,id=sec0,file=" + pass, "-f", "raw", "--target-image-opts",
                src.toString(), opts(c, "enc-cli", "luks2"));
        Path ours = tmp.resolve("ours");
        Result e = runRc(c, "export", "--encryption-format", "luks2", "--encryption-passphrase-file", pass.toString(),
                pool + "/enc-cli", ours.toString(), "--no-progress");
        assertEquals(0, e.rc(), e.err());
        byte[] plain = Files.readAllBytes(ours);
        assertEquals(24 * MIB, plain.length);
        assertArrayEquals(data, Arrays.copyOf(plain, data.length));

        Result wrong = runRc(c, "export", "--encryption-format", "luks", "--encryption-passphrase-file",
                passFile("cli passphrase").toString(), pool + "/enc-cli", tmp.resolve("no").toString());
        assertEquals(1, wrong.rc());
        assertTrue(!wrong.err().contains("cli passphrase"), wrong.err());
    }

    /** Our exit status and last stderr line against Pacific's for the same refusal. */
    private void sameRefusal(CephCluster c, String... args) {
        CommandResult stock = c.rbd(Duration.ofSeconds(180), args);
        Result ours = runRc(c, args);
        assertEquals(stock.exitCode(), ours.rc(), "stock: " + stock.toolStderr() + " ours: " + ours.err());
        List<String> s = stock.toolStderr().strip().lines().toList();
        List<String> o = ours.err().strip().lines().toList();
        assertEquals(s.get(s.size() - 1), o.get(o.size() - 1), "the stock tool's whole stderr: " + stock.stderr());
    }

    @Test
    void refusalsAsPacificsTool(CephCluster c) throws Exception {
        String pool = c.testPool();
        String pass = passFile("x").toString();
        boolean pacific = c.release().equals(CephCluster.PACIFIC);
        // LUKS1's data offset is 4 MiB here: Pacific wants more, Reef on takes an image of the header alone
        c.rbdOrThrow("create", "--size", "3M", pool + "/enc-tiny");
        sameRefusal(c, "encryption", "format", pool + "/enc-tiny", "luks1", pass);
        c.rbdOrThrow("create", "--size", "4M", pool + "/enc-small");
        if (pacific) {
            sameRefusal(c, "encryption", "format", pool + "/enc-small", "luks1", pass);
        } else {
            c.rbdOrThrow("create", "--size", "4M", pool + "/enc-small-ours");
            bothFormat(c, pool, "enc-small", "luks1", "Payload offset:\t8192\n");
            c.rbdOrThrow("create", "--size", "40M", pool + "/enc-l2");
            c.rbdOrThrow("create", "--size", "40M", pool + "/enc-l2-ours");
            bothFormat(c, pool, "enc-l2", "luks2", "offset: 16777216 [bytes]");
        }
        sameRefusal(c, "encryption", "format", pool + "/enc-small", "luks3", pass);
        byte[] parentData = new byte[40 << 20];
        new Random(40).nextBytes(parentData);
        Path parentFile = tmp.resolve("enc-parent.raw");
        Files.write(parentFile, parentData);
        c.rbdOrThrow("import", "--no-progress", parentFile.toString(), pool + "/enc-parent");
        c.rbdOrThrow("snap", "create", pool + "/enc-parent@s");
        c.rbdOrThrow("snap", "protect", pool + "/enc-parent@s");
        c.rbdOrThrow("clone", pool + "/enc-parent@s", pool + "/enc-child");
        if (pacific) {
            sameRefusal(c, "encryption", "format", pool + "/enc-child", "luks2", pass);
        } else {
            // Reef on: both tools format a clone, its header marked with the clone magic (RBDL),
            // written whole up to the data offset (the same space used)
            c.rbdOrThrow("clone", pool + "/enc-parent@s", pool + "/enc-child-ours");
            c.rbdOrThrow("encryption", "format", pool + "/enc-child", "luks2", pass);
            Result r = runRc(c, "encryption", "format", pool + "/enc-child-ours", "luks2", pass);
            assertEquals(0, r.rc(), r.err());
            assertEquals(used(c, pool + "/enc-child"), used(c, pool + "/enc-child-ours"), "rbd du");
            for (String n : List.of("enc-child", "enc-child-ours")) {
                Path img = tmp.resolve("hdr-" + n);
                c.rbdOrThrow("export", "--no-progress", pool + "/" + n, img.toString());
                byte[] head = Arrays.copyOf(Files.readAllBytes(img), 4);
                assertEquals("RBDL", new String(head, StandardCharsets.US_ASCII), n);
            }
            // the stock tool's LUKS2 clone of a plaintext parent: its plaintext L is the parent's
            // L (no parent header), the last spec reused for the parent finds no header: plaintext
            Result e = runRc(c, "export", "--no-progress", "--encryption-format", "luks2",
                    "--encryption-passphrase-file", pass, pool + "/enc-child", "-");
            assertEquals(0, e.rc(), e.err());
            assertArrayEquals(Arrays.copyOf(parentData, 24 << 20), e.bytes());
            // a spec given for the parent must open it (librbd assumes plaintext only for a reused one)
            e = runRc(c, "export", "--no-progress", "--encryption-format", "luks2", "--encryption-passphrase-file",
                    pass, "--encryption-format", "luks", "--encryption-passphrase-file", pass, pool + "/enc-child", "-");
            assertTrue(e.rc() != 0, e.err());
            assertEquals("rbd: image enc-parent has no LUKS header", e.err().strip());
        }
        sameRefusal(c, "encryption", "format", pool + "/enc-parent", "luks2", tmp.resolve("missing").toString());
    }

    /** rbd du's used_size of the image. */
    private static String used(CephCluster c, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"used_size\":(\\d+)")
                .matcher(c.rbdOrThrow("du", "--format", "json", spec));
        assertTrue(m.find(), spec);
        return m.group(1);
    }

    /**
     * Reef on: the stock tool formats {@code NAME}, jceph {@code NAME-ours} (an image of the same
     * size); libcryptsetup finds the same data offset in both headers and both images use the same
     * space (Reef writes the header area padded with zeros: every object below the data offset).
     */
    private void bothFormat(CephCluster c, String pool, String name, String luks, String offsetLine)
            throws Exception {
        String pass = passFile("x").toString();
        c.rbdOrThrow("encryption", "format", pool + "/" + name, luks, pass);
        Result r = runRc(c, "encryption", "format", pool + "/" + name + "-ours", luks, pass);
        assertEquals(0, r.rc(), r.err());
        assertEquals(used(c, pool + "/" + name), used(c, pool + "/" + name + "-ours"), "rbd du");
        for (String n : List.of(name, name + "-ours")) {
            Path img = tmp.resolve("hdr-" + n);
            c.rbdOrThrow("export", "--no-progress", pool + "/" + n, img.toString());
            String dump = new String(new ProcessBuilder("cryptsetup", "luksDump", img.toString())
                    .redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dump.contains(offsetLine), n + ": " + dump);
        }
    }
}
