package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.rbd.crypto.CipherAlgorithm;
import org.jceph.rbd.crypto.EncryptedImage;
import org.jceph.rbd.crypto.EncryptionFormat;
import org.jceph.rbd.crypto.KdfOptions;
import org.jceph.rbd.crypto.Luks;
import org.jceph.rbd.crypto.LuksException;
import org.junit.jupiter.api.Test;

/**
 * librbd's LUKS encryption both ways on the live Pacific cluster. Pacific's {@code rbd encryption
 * format} writes the header; qemu 7.2's rbd driver, which hands {@code encrypt.format} and the key
 * secret to librbd's {@code rbd_encryption_load}, is the independent reader and writer of the
 * plaintext; libcryptsetup ({@code cryptsetup --test-passphrase}) checks the headers we write.
 */
class LuksInteropIT extends LiveRbdTest {
    private static final long MIB = 1 << 20;
    private static final byte[] PASSPHRASE = "pacific interop passphrase".getBytes(StandardCharsets.US_ASCII);

    private Path passFile() throws IOException {
        Path p = tmp.resolve("pass");
        Files.write(p, PASSPHRASE);
        return p;
    }

    private static byte[] pass() {
        return PASSPHRASE.clone();
    }

    /** qemu's image options for the image through librbd's encryption (qemu calls LUKS1 "luks"). */
    private String qemuOpts(String image, String luks) {
        luks = luks.equals("luks1") ? "luks" : luks;
        return "driver=raw,file.driver=rbd,file.pool=" + pool + ",file.image=" + image + ",file.conf=" + c.confPath()
                + ",file.encrypt.format=" + luks + ",file.encrypt.key-secret=sec0";
    }

    private String run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "tool", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + " failed: " + text);
        return text;
    }

    private String qemuImg(String... args) throws IOException, InterruptedException {
        return run(c.toolCommand("qemu-img", args));
    }

    /** Writes {@code src} from offset 0 of the encrypted image through qemu and librbd. */
    private void qemuWrite(String image, String luks, Path src) throws Exception {
        qemuImg("convert", "-n", "--object", "secret,id=sec0,file=" + passFile(), "-f", "raw", "--target-image-opts",
                src.toString(), qemuOpts(image, luks));
    }

    /** The whole decrypted image as qemu and librbd read it. */
    private byte[] qemuRead(String image, String luks) throws Exception {
        Path out = tmp.resolve("qemu-read-" + System.nanoTime());
        qemuImg("convert", "--object", "secret,id=sec0,file=" + passFile(), "--image-opts", qemuOpts(image, luks),
                "-O", "raw", out.toString());
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        return b;
    }

    private static byte[] content(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        Arrays.fill(b, length / 3, length / 3 + (int) MIB, (byte) 0); // a zeroed run
        return b;
    }

    private void pacificFormatsQemuWritesWeRead(String luks, EncryptionFormat format, long dataOffset)
            throws Exception {
        String name = "luks-theirs-" + luks;
        c.rbdOrThrow("create", "--size", "64M", pool + "/" + name);
        c.rbd(Duration.ofSeconds(180), "encryption", "format", pool + "/" + name, luks, passFile().toString())
                .orThrow();
        long size = 64 * MIB - dataOffset;
        byte[] data = content((int) (9 * MIB + 4096 * 3), 5);
        Path src = tmp.resolve("src-" + luks);
        Files.write(src, data);
        qemuWrite(name, luks, src);
        byte[] theirs = qemuRead(name, luks);
        // qemu-img convert copies the whole virtual size, as qemu-img info would print it
        assertEquals(size, theirs.length, "librbd's size once encryption is loaded");
        assertArrayEquals(data, Arrays.copyOf(theirs, data.length), "qemu reads back what it wrote");

        try (EncryptedImage img = Luks.load(RbdImage.open(io(), name, true), format, pass())) {
            assertEquals(dataOffset, img.dataOffset());
            assertEquals(format == EncryptionFormat.LUKS1 ? 512 : 4096, img.sectorSize());
            assertEquals(size, img.size());
            byte[] ours = img.readAsync(0, (int) size).get(60, TimeUnit.SECONDS);
            assertArrayEquals(theirs, ours, "we read the whole image as librbd does, written and unwritten parts");
            // unaligned reads
            assertArrayEquals(Arrays.copyOfRange(data, 1000, 777_777),
                    img.readAsync(1000, 776_777).get(60, TimeUnit.SECONDS));
        }
        if (format == EncryptionFormat.LUKS1) {
            return; // a wrong passphrase costs a whole PBKDF2 run: 4 million iterations, tested on LUKS2 only
        }
        try (RbdImage raw = RbdImage.open(io(), name, true)) {
            LuksException e = org.junit.jupiter.api.Assertions.assertThrows(
                    LuksException.WrongPassphraseException.class,
                    () -> Luks.load(raw, format, "not it".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(-1, e.errno());
        }
    }

    @Test
    void luks2FormattedByPacificWrittenByQemuReadByUs() throws Exception {
        pacificFormatsQemuWritesWeRead("luks2", EncryptionFormat.LUKS2, 16 * MIB);
    }

    @Test
    void luks1FormattedByPacificWrittenByQemuReadByUs() throws Exception {
        pacificFormatsQemuWritesWeRead("luks1", EncryptionFormat.LUKS1, 4 * MIB);
    }

    private void weFormatAndWriteLibrbdReads(String luks, EncryptionFormat format, CipherAlgorithm alg,
            KdfOptions kdf) throws Exception {
        String name = "luks-ours-" + luks + "-" + alg;
        RbdImage.create(io(), name, 40 * MIB, 22, RbdFeatures.LAYERING | RbdFeatures.EXCLUSIVE_LOCK);
        byte[] model;
        long size;
        try (RbdImage raw = RbdImage.open(io(), name, false)) {
            Luks.format(raw, format, alg, pass(), kdf);
            try (EncryptedImage img = Luks.load(raw, format, pass())) {
                size = img.size();
                model = new byte[(int) size];
                Random r = new Random(9);
                // cover everything first: librbd decrypts the zeros of a hole inside an existing
                // object into noise where we read zeros (see RBD-NOTES), so leave no holes
                r.nextBytes(model);
                img.writeAsync(0, model, false).get(60, TimeUnit.SECONDS);
                for (int i = 0; i < 40; i++) {
                    byte[] d = new byte[1 + r.nextInt((int) MIB)];
                    r.nextBytes(d);
                    int off = r.nextInt((int) size - d.length);
                    img.writeAsync(off, d, false).get(60, TimeUnit.SECONDS);
                    System.arraycopy(d, 0, model, off, d.length);
                }
                img.discardAsync(2 * MIB + 100, 300_000).get(60, TimeUnit.SECONDS);
                Arrays.fill(model, (int) (2 * MIB + 100), (int) (2 * MIB + 100 + 300_000), (byte) 0);
                img.flushAsync().get(60, TimeUnit.SECONDS);
            }
        }
        byte[] back = qemuRead(name, luks); // one librbd unlock for the size and the data
        assertEquals(size, back.length, "librbd's size once encryption is loaded");
        assertArrayEquals(model, back, "librbd decrypts what we wrote");

        // libcryptsetup accepts our header and our key slot
        Path header = tmp.resolve("header-" + luks);
        c.rbdOrThrow("export", pool + "/" + name, header.toString());
        run(List.of("cryptsetup", "open", "--test-passphrase", "--key-file", passFile().toString(),
                header.toString()));
        String dump = run(List.of("cryptsetup", "luksDump", header.toString()));
        assertTrue(dump.contains("xts-plain64"), dump);
    }

    @Test
    void luks2WeFormatAndWriteLibrbdReads() throws Exception {
        weFormatAndWriteLibrbdReads("luks2", EncryptionFormat.LUKS2, CipherAlgorithm.AES256, KdfOptions.defaults());
    }

    @Test
    void luks1Aes128WeFormatAndWriteLibrbdReads() throws Exception {
        weFormatAndWriteLibrbdReads("luks1", EncryptionFormat.LUKS1, CipherAlgorithm.AES128, KdfOptions.defaults());
    }

    @Test
    void aPlainImageIsNotEncrypted() throws Exception {
        RbdImage.create(io(), "luks-plain", 8 * MIB, 22, RbdFeatures.LAYERING);
        try (RbdImage raw = RbdImage.open(io(), "luks-plain", true)) {
            assertEquals(0, Luks.probe(raw));
            LuksException e = org.junit.jupiter.api.Assertions.assertThrows(LuksException.NotEncryptedException.class,
                    () -> Luks.load(raw, EncryptionFormat.LUKS, pass()));
            assertEquals(-22, e.errno());
        }
    }
}
