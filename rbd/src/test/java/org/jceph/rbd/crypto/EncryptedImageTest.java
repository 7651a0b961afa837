package org.jceph.rbd.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Format, load and I/O through the encryption layer on an image held in memory. */
class EncryptedImageTest {
    private static final int SIZE = 24 << 20;

    private static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void randomWritesOfAnyAlignmentReadBackAsAModelDisk() throws Exception {
        for (EncryptionFormat format : new EncryptionFormat[] {EncryptionFormat.LUKS1, EncryptionFormat.LUKS2}) {
            MemoryImage mem = new MemoryImage(SIZE, 22);
            Luks.format(mem, format, CipherAlgorithm.AES256, pw("secret"), KdfOptions.insecureFast());
            EncryptedImage img = Luks.load(mem, EncryptionFormat.LUKS, pw("secret"));
            long dataOffset = format == EncryptionFormat.LUKS1 ? 4 << 20 : 16 << 20;
            assertEquals(dataOffset, img.dataOffset());
            assertEquals(format == EncryptionFormat.LUKS1 ? 512 : 4096, img.sectorSize());
            assertEquals(SIZE - dataOffset, img.size());
            byte[] model = new byte[(int) img.size()];
            assertArrayEquals(model, get(img.readAsync(0, model.length)), "a fresh image reads as zeros");
            Random r = new Random(format.ordinal());
            for (int i = 0; i < 200; i++) {
                int len = 1 + r.nextInt(20000);
                int off = r.nextInt(model.length - len);
                if (i % 3 == 0) {
                    off = off / 512 * 512;
                    len = Math.max(512, len / 512 * 512);
                }
                if (i % 17 == 0) {
                    get(img.discardAsync(off, len));
                    Arrays.fill(model, off, off + len, (byte) 0);
                } else {
                    byte[] d = new byte[len];
                    r.nextBytes(d);
                    get(img.writeAsync(off, d, false));
                    System.arraycopy(d, 0, model, off, len);
                }
                int ro = r.nextInt(model.length - 30000);
                assertArrayEquals(Arrays.copyOfRange(model, ro, ro + 30000), get(img.readAsync(ro, 30000)));
            }
            assertArrayEquals(model, get(img.readAsync(0, model.length)));
            // the ciphertext is not the plaintext
            byte[] raw = Arrays.copyOfRange(mem.bytes, (int) dataOffset, SIZE);
            assertFalse(Arrays.equals(model, raw));
            img.close();
            assertTrue(mem.closed);
            // load again: same plaintext
            EncryptedImage again = Luks.load(mem, format, pw("secret"));
            assertArrayEquals(model, get(again.readAsync(0, model.length)));
        }
    }

    @Test
    void concurrentUnalignedWritesSharingASectorBothLand() throws Exception {
        MemoryImage mem = new MemoryImage(SIZE, 22);
        Luks.format(mem, EncryptionFormat.LUKS2, CipherAlgorithm.AES128, pw("x"), KdfOptions.insecureFast());
        EncryptedImage img = Luks.load(mem, EncryptionFormat.LUKS2, pw("x"));
        List<CompletableFuture<Void>> all = new ArrayList<>();
        byte[] model = new byte[8192];
        for (int i = 0; i < 64; i++) {
            byte[] d = new byte[100];
            Arrays.fill(d, (byte) (i + 1));
            all.add(img.writeAsync(i * 100L, d, false));
            Arrays.fill(model, i * 100, i * 100 + 100, (byte) (i + 1));
        }
        get(CompletableFuture.allOf(all.toArray(new CompletableFuture[0])));
        assertArrayEquals(model, get(img.readAsync(0, 8192)));
    }

    @Test
    void errorsAreTypedAndCarryNoPassphrase() throws Exception {
        MemoryImage mem = new MemoryImage(SIZE, 22);
        LuksException notLuks = assertThrows(LuksException.NotEncryptedException.class,
                () -> Luks.load(mem, EncryptionFormat.LUKS, pw("x")));
        assertEquals(-22, notLuks.errno());
        byte[] given = pw("hunter2");
        Luks.format(mem, EncryptionFormat.LUKS1, CipherAlgorithm.AES256, given, KdfOptions.insecureFast());
        assertArrayEquals(new byte[7], given, "the passphrase array is zeroed");
        assertThrows(LuksException.NotEncryptedException.class,
                () -> Luks.load(mem, EncryptionFormat.LUKS2, pw("hunter2")));
        byte[] wrong = pw("hunter3");
        LuksException e = assertThrows(LuksException.WrongPassphraseException.class,
                () -> Luks.load(mem, EncryptionFormat.LUKS1, wrong));
        assertEquals(-1, e.errno());
        assertArrayEquals(new byte[7], wrong);
        assertFalse(e.getMessage().contains("hunter"));
        EncryptedImage img = Luks.load(mem, EncryptionFormat.LUKS1, pw("hunter2"));
        assertEquals(-17, assertThrows(LuksException.class,
                () -> Luks.format(img, EncryptionFormat.LUKS1, CipherAlgorithm.AES256, pw("y"))).errno());
        assertFalse(img.toString().contains("hunter"));
        assertThrows(Exception.class, () -> get(img.readAsync(img.size() - 10, 20)));
        MemoryImage small = new MemoryImage(4 << 20, 22);
        assertEquals(-28, assertThrows(LuksException.class, () -> Luks.format(small, EncryptionFormat.LUKS1,
                CipherAlgorithm.AES256, pw("y"), KdfOptions.insecureFast())).errno());
    }
}
