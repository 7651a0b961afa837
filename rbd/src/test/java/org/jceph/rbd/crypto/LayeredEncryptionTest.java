package org.jceph.rbd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.rbd.Image;
import org.jceph.rbd.RbdImage;
import org.junit.jupiter.api.Test;

/**
 * Layered encryption's offset and key logic on images held in memory: a clone with its own LUKS
 * header over an encrypted (or plaintext) parent, reading through and copying up as librbd
 * (Reef) maps it, and the clone magic.
 */
class LayeredEncryptionTest {
    private static final int OBJ = 4 << 20;

    private static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /**
     * A clone held in memory, as RbdImage treats one: objects it does not have read through the
     * parent view below the overlap (zeros past it), and the first write to such an object copies
     * the view's bytes for the whole object up before it lands.
     */
    static final class MemoryClone implements Image {
        final MemoryImage own;
        final boolean[] exists;
        final long overlap;
        RbdImage.ParentView view;

        MemoryClone(int size, long overlap) {
            own = new MemoryImage(size, 22);
            exists = new boolean[size / OBJ];
            this.overlap = overlap;
        }

        @Override
        public String name() {
            return "clone";
        }

        @Override
        public int format() {
            return 2;
        }

        @Override
        public long size() {
            return own.size();
        }

        @Override
        public int order() {
            return 22;
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        private byte[] parentBytes(long off, int len) throws Exception {
            long n = Math.max(0, Math.min(len, overlap - off));
            byte[] out = new byte[len];
            if (n > 0) {
                System.arraycopy(get(view.read(off, (int) n)), 0, out, 0, (int) n);
            }
            return out;
        }

        @Override
        public synchronized CompletableFuture<byte[]> readAsync(long offset, int length) {
            try {
                byte[] out = new byte[length];
                for (long p = offset; p < offset + length; ) {
                    int o = (int) (p / OBJ);
                    int n = (int) Math.min(offset + length - p, (long) (o + 1) * OBJ - p);
                    byte[] part = exists[o] ? get(own.readAsync(p, n)) : parentBytes(p, n);
                    System.arraycopy(part, 0, out, (int) (p - offset), n);
                    p += n;
                }
                return CompletableFuture.completedFuture(out);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public synchronized CompletableFuture<Void> writeAsync(long offset, byte[] data, boolean fua) {
            try {
                for (long p = offset; p < offset + data.length; ) {
                    int o = (int) (p / OBJ);
                    int n = (int) Math.min(offset + data.length - p, (long) (o + 1) * OBJ - p);
                    if (!exists[o]) {
                        get(own.writeAsync((long) o * OBJ, parentBytes((long) o * OBJ, OBJ), false)); // copy-up
                        exists[o] = true;
                    }
                    get(own.writeAsync(p, Arrays.copyOfRange(data, (int) (p - offset), (int) (p - offset) + n), fua));
                    p += n;
                }
                return CompletableFuture.completedFuture(null);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Void> discardAsync(long offset, long length) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Void> flushAsync() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theParentBacksTheCloneUpToTheSmallerOfOverlapAndItsPlaintext() {
        long mib = 1 << 20;
        // LUKS2 clone (16 MiB header) of a LUKS1 parent (4 MiB header), both 64 MiB raw
        assertEquals(48 * mib, LayeredParentView.backedPlaintext(64 * mib, 16 * mib, 60 * mib));
        // LUKS1 clone of a LUKS2 parent: the parent's plaintext is the limit
        assertEquals(48 * mib, LayeredParentView.backedPlaintext(64 * mib, 4 * mib, 48 * mib));
        // an overlap ending inside the clone's header backs nothing
        assertEquals(0, LayeredParentView.backedPlaintext(8 * mib, 16 * mib, 48 * mib));
        // a shrunk overlap
        assertEquals(4 * mib, LayeredParentView.backedPlaintext(20 * mib, 16 * mib, 48 * mib));
    }

    /**
     * Parent in {@code parentFormat} written with a pattern, clone formatted in {@code cloneFormat}
     * with another passphrase: the clone reads the parent's plaintext at the same decrypted
     * offsets (not the same raw ones), zeros past what the parent backs, and writes of any
     * alignment copy the parent's data up re-encrypted under the clone's key.
     */
    private void cloneOf(EncryptionFormat parentFormat, EncryptionFormat cloneFormat, boolean plaintextParent)
            throws Exception {
        int size = 40 << 20;
        MemoryImage parentMem = new MemoryImage(size, 22);
        EncryptedImage parent = null;
        long parentPlain = size;
        Image parentData = parentMem;
        if (!plaintextParent) {
            Luks.format(parentMem, parentFormat, CipherAlgorithm.AES256, pw("parent"), KdfOptions.insecureFast());
            parent = Luks.load(parentMem, parentFormat, pw("parent"));
            parentPlain = parent.size();
            parentData = parent;
        }
        byte[] model = new byte[(int) parentPlain];
        new Random(7).nextBytes(model);
        get(parentData.writeAsync(0, model, false));

        MemoryClone clone = new MemoryClone(size, size);
        EncryptedImage[] layer = new EncryptedImage[1];
        // the clone's header goes in first (whole objects, so nothing is copied up for it)
        clone.view = (off, len) -> CompletableFuture.completedFuture(new byte[len]);
        Luks.format(clone, cloneFormat, CipherAlgorithm.AES128, pw("clone"), KdfOptions.insecureFast());
        layer[0] = Luks.load(clone, cloneFormat, pw("clone"));
        EncryptedImage c = layer[0];
        clone.view = new LayeredParentView(() -> clone.overlap, c, parent, parentMem);
        assertFalse(c.sameCrypto(parent));

        long backed = Math.min(parentPlain, size - c.dataOffset());
        byte[] expect = new byte[(int) c.size()];
        System.arraycopy(model, 0, expect, 0, (int) Math.min(backed, expect.length));
        assertArrayEquals(expect, get(c.readAsync(0, expect.length)), "read through the parent");
        // the raw bytes through the parent are the clone key's ciphertext, not the parent's
        byte[] raw = get(clone.readAsync(c.dataOffset(), 4096));
        assertFalse(Arrays.equals(raw, get(parentMem.readAsync(c.dataOffset(), 4096))));

        Random r = new Random(cloneFormat.ordinal() * 3L + java.util.Objects.hashCode(parentFormat));
        for (int i = 0; i < 40; i++) {
            int len = 1 + r.nextInt(9000);
            int off = r.nextInt(expect.length - len);
            byte[] d = new byte[len];
            r.nextBytes(d);
            get(c.writeAsync(off, d, false));
            System.arraycopy(d, 0, expect, off, len);
        }
        assertArrayEquals(expect, get(c.readAsync(0, expect.length)), "after writes and copy-ups");
        // the parent is untouched
        if (parent != null) {
            assertArrayEquals(model, get(parent.readAsync(0, model.length)));
        }
        // once every object is copied up, the clone no longer needs its parent
        for (int o = 0; o < clone.exists.length; o++) {
            if (!clone.exists[o]) {
                get(clone.writeAsync((long) o * OBJ, get(clone.readAsync((long) o * OBJ, 512)), false));
            }
        }
        clone.view = (off, len) -> CompletableFuture.failedFuture(new AssertionError("parent read after flatten"));
        assertArrayEquals(expect, get(c.readAsync(0, expect.length)), "every object copied up");
    }

    @Test
    void luks2CloneOfALuks1Parent() throws Exception {
        cloneOf(EncryptionFormat.LUKS1, EncryptionFormat.LUKS2, false);
    }

    @Test
    void luks1CloneOfALuks2Parent() throws Exception {
        cloneOf(EncryptionFormat.LUKS2, EncryptionFormat.LUKS1, false);
    }

    @Test
    void luks2CloneOfALuks2Parent() throws Exception {
        cloneOf(EncryptionFormat.LUKS2, EncryptionFormat.LUKS2, false);
    }

    @Test
    void luks1CloneOfAPlaintextParent() throws Exception {
        cloneOf(null, EncryptionFormat.LUKS1, true);
    }

    @Test
    void cloneMagicRoundTripsAndIsRefusedAsPlainLuks() throws Exception {
        for (EncryptionFormat f : List.of(EncryptionFormat.LUKS1, EncryptionFormat.LUKS2)) {
            MemoryImage mem = new MemoryImage(20 << 20, 22);
            Luks.format(mem, f, CipherAlgorithm.AES256, pw("p"), KdfOptions.insecureFast());
            byte[] luks = Arrays.copyOf(mem.bytes, 64 << 10);
            byte[] clone = luks.clone();
            CloneMagic.toClone(clone);
            assertTrue(CloneMagic.isClone(clone));
            assertEquals('R', clone[0]);
            if (f == EncryptionFormat.LUKS2) {
                assertArrayEquals(CloneMagic.CLONE2, Arrays.copyOfRange(clone, 16384, 16390));
            }
            // only the magic bytes differ
            int diff = 0;
            for (int i = 0; i < luks.length; i++) {
                diff += luks[i] != clone[i] ? 1 : 0;
            }
            assertEquals(f == EncryptionFormat.LUKS1 ? 4 : 8, diff);
            CloneMagic.toLuks(clone);
            assertArrayEquals(luks, clone);
            // a header with the clone magic is no LUKS header for an image without a parent
            System.arraycopy(luks, 0, mem.bytes, 0, luks.length);
            CloneMagic.toClone(mem.bytes);
            assertThrows(LuksException.NotEncryptedException.class, () -> Luks.load(mem, EncryptionFormat.LUKS, pw("p")));
            assertThrows(LuksException.class, () -> CloneMagic.toClone(mem.bytes), "already a clone's");
        }
    }

    @Test
    void flattenRestoresTheLuksMagicOfAClonesHeader() throws Exception {
        for (EncryptionFormat f : List.of(EncryptionFormat.LUKS1, EncryptionFormat.LUKS2)) {
            MemoryImage mem = new MemoryImage(20 << 20, 22);
            Luks.format(mem, f, CipherAlgorithm.AES256, pw("p"), KdfOptions.insecureFast());
            byte[] luks = mem.bytes.clone();
            CloneMagic.toClone(mem.bytes);
            assertTrue(LayeredParentView.restoreLuksMagic(mem), f + ": the clone magic is replaced");
            assertArrayEquals(luks, mem.bytes, f + ": back to the LUKS header byte for byte");
            assertFalse(LayeredParentView.restoreLuksMagic(mem), f + ": a LUKS header is left as it is");
            assertArrayEquals(luks, mem.bytes);
            Luks.load(mem, f, pw("p")).close();
        }
    }

    @Test
    void moreSpecsThanLayersAreRefusedAndEveryPassphraseIsZeroed() throws Exception {
        MemoryImage mem = new MemoryImage(20 << 20, 22);
        Luks.format(mem, EncryptionFormat.LUKS2, CipherAlgorithm.AES256, pw("p"), KdfOptions.insecureFast());
        byte[] a = pw("p");
        byte[] b = pw("second passphrase");
        LuksException e = assertThrows(LuksException.class, () -> Luks.load(mem,
                List.of(new Luks.LayerSpec(EncryptionFormat.LUKS2, a), new Luks.LayerSpec(EncryptionFormat.LUKS, b))));
        assertEquals(-22, e.errno());
        assertFalse(e.getMessage().contains("second passphrase"));
        assertArrayEquals(new byte[a.length], a);
        assertArrayEquals(new byte[b.length], b);
        assertFalse(new Luks.LayerSpec(EncryptionFormat.LUKS2, pw("hidden")).toString().contains("hidden"));
        assertFalse(mem.closed);
    }
}
