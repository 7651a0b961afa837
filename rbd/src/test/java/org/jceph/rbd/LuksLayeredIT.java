package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.rbd.crypto.CipherAlgorithm;
import org.jceph.rbd.crypto.EncryptedImage;
import org.jceph.rbd.crypto.EncryptionFormat;
import org.jceph.rbd.crypto.KdfOptions;
import org.jceph.rbd.crypto.Luks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Layered LUKS encryption (Reef on: a clone with its own header and key over an encrypted
 * parent) against the release's own librbd, both ways: python3-rbd's {@code encryption_load2}
 * and the rbd tool's {@code encryption format} and {@code flatten} with one encryption spec per
 * layer. Runs in the it-reef and it-tentacle executions only (tag newer-releases), on the
 * cluster the module's cross-release classes share.
 *
 * <p>The python bindings mishandle several specs: Reef's (18.2.7 in Debian trixie) hands every
 * layer the <em>last</em> spec's passphrase (a clone and parent with different passphrases fail
 * with EPERM on the clone, and with the passphrases swapped on the parent), and Tentacle's
 * (20.2.4) fails with EPERM even when both passphrases are the same. So python gets one spec
 * ({@code luks}, one passphrase for both layers, which librbd reuses for the parent; the volume
 * keys still differ), and the check with different passphrases goes through the rbd tool's
 * flatten, whose copy-ups decrypt the parent with its key and encrypt under the clone's.
 */
@Tag("newer-releases")
class LuksLayeredIT extends LiveRbdTest {
    private static final long MIB = 1 << 20;
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);

    private Path passFile(String name, String pass) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, pass, StandardCharsets.US_ASCII);
        return p;
    }

    private static byte[] pw(String pass) {
        return pass.getBytes(StandardCharsets.US_ASCII);
    }

    private Path script() throws IOException {
        Path p = tmp.resolve("librbd-layered.py");
        if (!Files.exists(p)) {
            try (InputStream in = LuksLayeredIT.class.getResourceAsStream("librbd-layered.py")) {
                Files.copy(in, p);
            }
        }
        return p;
    }

    private void librbd(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(script().toString(), pool));
        argv.addAll(List.of(args));
        CommandResult r = c.tool(TOOL_TIMEOUT, "python3", argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), "librbd " + String.join(" ", args) + ": " + r.stderr());
    }

    private byte[] librbdRead(String image, String... specs) throws IOException {
        Path out = tmp.resolve("librbd-read-" + System.nanoTime());
        List<String> a = new ArrayList<>(List.of("read", image, out.toString()));
        a.addAll(List.of(specs));
        librbd(a.toArray(String[]::new));
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        return b;
    }

    /** Writes {@code data}'s equal pieces at the offsets, in one load of librbd's encryption. */
    private void librbdWrite(String image, long[] offsets, byte[] data, String... specs) throws IOException {
        Path in = tmp.resolve("librbd-write-" + System.nanoTime());
        Files.write(in, data);
        String offs = String.join(",", Arrays.stream(offsets).mapToObj(Long::toString).toList());
        List<String> a = new ArrayList<>(List.of("write", image, offs, in.toString()));
        a.addAll(List.of(specs));
        librbd(a.toArray(String[]::new));
        Files.delete(in);
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] read(Image img, long off, int len) {
        return RbdImage.awaitIo(img.readAsync(off, len), "read");
    }

    /** The arrays agree on every range written (ranges as offset, length). */
    private static void sameWhereDefined(byte[] expected, byte[] actual, List<long[]> ranges, String what) {
        for (long[] x : ranges) {
            int from = (int) x[0];
            int to = (int) (x[0] + x[1]);
            assertArrayEquals(Arrays.copyOfRange(expected, from, to), Arrays.copyOfRange(actual, from, to),
                    what + ": range " + from + "+" + x[1]);
        }
    }

    /** The first four bytes of the image's raw data: its header magic. */
    private String magic(String image) {
        try (RbdImage img = RbdImage.open(io(), image, true)) {
            return new String(read(img, 0, 4), StandardCharsets.US_ASCII);
        }
    }

    /** A parent formatted and written by us, snapshotted and cloned by the stock tool. */
    private byte[] encryptedParentAndClone(String parent, String child, EncryptionFormat format, String pass,
            Random r) {
        c.rbdOrThrow("create", "--size", "64M", pool + "/" + parent);
        byte[] data;
        try (RbdImage p = RbdImage.open(io(), parent, false)) {
            Luks.format(p, format, CipherAlgorithm.AES256, pw(pass), KdfOptions.insecureFast());
        }
        try (EncryptedImage e = Luks.load(RbdImage.open(io(), parent, false), format, pw(pass))) {
            data = random(r, (int) (12 * MIB));
            RbdImage.awaitIo(e.writeAsync(MIB, data, false), "write");
        }
        c.rbdOrThrow("snap", "create", pool + "/" + parent + "@s");
        c.rbdOrThrow("snap", "protect", pool + "/" + parent + "@s");
        c.rbdOrThrow("clone", pool + "/" + parent + "@s", pool + "/" + child);
        return data;
    }

    @Test
    void aCloneLibrbdFormattedAndWroteReadsTheSameThroughUs() throws Exception {
        Random r = new Random(18);
        String same = "one passphrase, two keys";
        Path pass = passFile("same", same);
        // LUKS1 parent (data at 4 MiB), LUKS2 clone (data at 16 MiB): the clone's plaintext offset
        // L is the parent's L, 12 MiB apart underneath
        byte[] parentData = encryptedParentAndClone("lp1", "lc1", EncryptionFormat.LUKS1, same, r);
        c.rbdOrThrow("encryption", "format", pool + "/lc1", "luks2", pass.toString());
        // one "luks" spec, which librbd reuses for the parent (see the class comment on python's
        // encryption_load2 with several specs)
        String[] specs = {"luks:" + pass};
        byte[] model = new byte[(int) (48 * MIB)];
        System.arraycopy(parentData, 0, model, (int) MIB, parentData.length);
        // librbd writes: unaligned inside parent data (its crypto copy-up), across the parent
        // data's end, and past it
        long[] offsets = {3 * MIB + 1234, 13 * MIB - 777, 40 * MIB + 5};
        List<long[]> defined = new ArrayList<>(List.of(new long[] {MIB, parentData.length}));
        int piece = 70000;
        byte[] d = random(r, piece * offsets.length);
        librbdWrite("lc1", offsets, d, specs);
        for (int i = 0; i < offsets.length; i++) {
            System.arraycopy(d, i * piece, model, (int) offsets[i], piece);
            defined.add(new long[] {offsets[i], piece});
        }
        byte[] theirs = librbdRead("lc1", specs);
        assertEquals(model.length, theirs.length);
        sameWhereDefined(model, theirs, defined, "librbd reads its own clone as the model");
        assertEquals("RBDL", magic("lc1"), "librbd's clone magic");

        try (EncryptedImage ours = Luks.load(RbdImage.open(io(), "lc1", true),
                List.of(new Luks.LayerSpec(EncryptionFormat.LUKS2, pw(same)),
                        new Luks.LayerSpec(EncryptionFormat.LUKS1, pw(same))))) {
            assertEquals(16 * MIB, ours.dataOffset());
            assertEquals(model.length, ours.size());
            byte[] mine = read(ours, 0, model.length);
            sameWhereDefined(theirs, mine, defined, "we read librbd's clone as librbd does");
            int at = Arrays.mismatch(theirs, mine);
            assertEquals(-1, at, "byte for byte; first difference at " + at);
        }

        // flatten without the encryption would store the parent's ciphertext in the clone: refused
        try (RbdImage raw = RbdImage.open(io(), "lc1", false)) {
            RbdException e = assertThrows(RbdException.class, raw::flatten);
            assertEquals(-22, e.errno());
            assertTrue(e.getMessage().contains("--encryption-format"), e.getMessage());
            assertFalse(e.getMessage().contains(same), "no passphrase in the message");
            assertNotNull(raw.parent(), "still a clone");
        }
        assertEquals("RBDL", magic("lc1"), "the refused flatten left the header alone");
        // flatten with it: the parent's plaintext copied up under the clone's key, the LUKS magic back
        try (EncryptedImage ours = Luks.load(RbdImage.open(io(), "lc1", false),
                List.of(new Luks.LayerSpec(EncryptionFormat.LUKS2, pw(same)),
                        new Luks.LayerSpec(EncryptionFormat.LUKS1, pw(same))))) {
            ours.flatten(null);
        }
        assertEquals("LUKS", magic("lc1"), "our flatten restores the LUKS magic, as librbd's does");
        try (RbdImage raw = RbdImage.open(io(), "lc1", true)) {
            assertNull(raw.parent(), "flattened");
        }
        // librbd reads the flat image with the clone's key alone, byte for byte as before
        byte[] flat = librbdRead("lc1", "luks2:" + pass);
        int at = Arrays.mismatch(theirs, flat);
        assertEquals(-1, at, "librbd reads our flattened clone as it read the clone; first difference at " + at);
    }

    @Test
    void aCloneWeFormattedAndWroteReadsTheSameThroughLibrbd() throws Exception {
        Random r = new Random(20);
        String parentPass = "parent's passphrase";
        String childPass = "child's passphrase";
        // LUKS2 parent (data at 16 MiB), LUKS1 clone (data at 4 MiB): the parent backs only 48
        // MiB of the clone's 60
        byte[] parentData = encryptedParentAndClone("lp2", "lc2", EncryptionFormat.LUKS2, parentPass, r);
        try (RbdImage child = RbdImage.open(io(), "lc2", false)) {
            Luks.format(child, EncryptionFormat.LUKS1, CipherAlgorithm.AES128, pw(childPass), KdfOptions.insecureFast());
        }
        byte[] model = new byte[(int) (60 * MIB)];
        System.arraycopy(parentData, 0, model, (int) MIB, parentData.length);
        try (EncryptedImage ours = Luks.load(RbdImage.open(io(), "lc2", false),
                List.of(new Luks.LayerSpec(EncryptionFormat.LUKS1, pw(childPass)),
                        new Luks.LayerSpec(EncryptionFormat.LUKS2, pw(parentPass))))) {
            assertEquals(4 * MIB, ours.dataOffset());
            assertEquals(model.length, ours.size());
            assertArrayEquals(model, read(ours, 0, model.length), "read through the parent");
            for (long off : new long[] {2 * MIB + 100, 8 * MIB - 3000, 47 * MIB + 999, 50 * MIB + 512}) {
                byte[] d = random(r, 60000);
                RbdImage.awaitIo(ours.writeAsync(off, d, false), "write");
                System.arraycopy(d, 0, model, (int) off, d.length);
            }
            assertArrayEquals(model, read(ours, 0, model.length), "after our copy-ups");
        }
        assertEquals("RBDL", magic("lc2"));
        // librbd's flatten with a spec per layer copies the rest up (parent key -> clone key);
        // then one spec reads the whole clone
        Path cp = passFile("child", childPass);
        Path pp = passFile("parent", parentPass);
        c.rbdOrThrow("flatten", "--no-progress", "--encryption-format", "luks1", "--encryption-passphrase-file",
                cp.toString(), "--encryption-format", "luks2", "--encryption-passphrase-file", pp.toString(),
                pool + "/lc2");
        byte[] theirs = librbdRead("lc2", "luks1:" + cp);
        assertEquals(model.length, theirs.length);
        assertTrue(Arrays.equals(model, theirs), "librbd reads what we wrote and what our clone read through");
        // the flattened image is plain LUKS again, as librbd's flatten leaves it
        assertEquals("LUKS", magic("lc2"));
        try (EncryptedImage ours = Luks.load(RbdImage.open(io(), "lc2", true), EncryptionFormat.LUKS1, pw(childPass))) {
            assertArrayEquals(model, read(ours, 0, model.length));
        }
        assertFalse(Arrays.equals(parentData, Arrays.copyOfRange(theirs, 0, parentData.length)));
    }
}
