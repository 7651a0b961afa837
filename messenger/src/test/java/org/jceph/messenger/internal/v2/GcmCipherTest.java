package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GcmCipher's sliced encryption and its two-pass decryption (CTR, then a GCM re-encryption for
 * the tag) against the JDK's one-shot AES-GCM under the same key and nonces, at sizes around the
 * slice and block boundaries, with the input cut into parts anywhere (the tag split across parts
 * too), and with a flipped bit anywhere failing authentication.
 */
class GcmCipherTest {
    private static final int[] SIZES = {0, 1, 15, 16, 17, 4095, 4096, 4097, 8192 + 5, (1 << 20) + 3};

    /** The JDK's reference: one doFinal, the tx nonce of the server pair's i-th operation. */
    private static byte[] reference(int mode, byte[] in, long op) throws Exception {
        byte[] secret = FrameCodecTest.SECRET;
        // the server's tx nonce is nonce A (secret[16..28)); counter = the u64 at its offset 4, + op
        ByteBuffer n = ByteBuffer.wrap(Arrays.copyOfRange(secret, 16, 28)).order(ByteOrder.LITTLE_ENDIAN);
        int fixed = n.getInt();
        long counter = n.getLong() + op;
        byte[] nonce = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(fixed).putLong(counter).array();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(Arrays.copyOf(secret, 16), "AES"), new GCMParameterSpec(128, nonce));
        return c.doFinal(in);
    }

    private static ByteBuffer[] cut(byte[] b, Random rnd, boolean direct) {
        List<ByteBuffer> parts = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            int n = Math.min(b.length - pos, 1 + rnd.nextInt(rnd.nextBoolean() ? 20 : 9000));
            ByteBuffer p = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.wrap(new byte[n + 3], 3, n).slice();
            p.put(b, pos, n).flip();
            parts.add(p);
            pos += n;
        }
        return parts.toArray(new ByteBuffer[0]);
    }

    /** Runs {@code body} with blocks up to {@code max} bytes opened by the JDK in one call (0: never). */
    private static void withOneCallMax(int max, ThrowingBody body) throws Exception {
        int was = GcmCipher.oneCallMax;
        GcmCipher.oneCallMax = max;
        try {
            body.run();
        } finally {
            GcmCipher.oneCallMax = was;
        }
    }

    private interface ThrowingBody {
        void run() throws Exception;
    }

    /** Both receive paths: the sliced CTR + tag pass (0) and the JDK's one-call decryption (every size). */
    private static final int[] ONE_CALL_MAXES = {0, Integer.MAX_VALUE};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void slicedEncryptionAndTwoPassDecryptionMatchTheJdk(boolean direct) throws Exception {
        for (int max : ONE_CALL_MAXES) {
            withOneCallMax(max, () -> slicedEncryptionAndDecryptionMatchTheJdk(direct));
        }
    }

    private static void slicedEncryptionAndDecryptionMatchTheJdk(boolean direct) throws Exception {
        Random rnd = new Random(16);
        GcmCipher tx = GcmCipher.serverPair(FrameCodecTest.SECRET)[1];
        GcmCipher rx = GcmCipher.clientPair(FrameCodecTest.SECRET)[0];
        long op = 0;
        for (int size : SIZES) {
            byte[] plain = new byte[size];
            rnd.nextBytes(plain);
            byte[] expect = reference(Cipher.ENCRYPT_MODE, plain, op);
            byte[] sealed = new byte[size + GcmCipher.TAG_LEN];
            tx.encrypt(ByteBuffer.wrap(sealed), cut(plain, rnd, direct));
            assertArrayEquals(expect, sealed, "ciphertext and tag of " + size + " bytes");
            assertArrayEquals(plain, rx.decrypt(cut(sealed, rnd, direct), sealed.length), "plaintext of " + size + " bytes");
            op++;
            assertArrayEquals(plain, reference(Cipher.DECRYPT_MODE, tx.encrypt(plain, 0, size), op), size + " bytes, array API");
            assertArrayEquals(plain, rx.decrypt(expectAt(plain, op), 0, size + GcmCipher.TAG_LEN), size + " bytes, array API");
            op++;
        }
    }

    private static byte[] expectAt(byte[] plain, long op) throws Exception {
        return reference(Cipher.ENCRYPT_MODE, plain, op);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 4095, 4096, 5000, 5000 + 15})
    void anyFlippedBitFailsAndTheNextFrameStillDecrypts(int flip) throws Exception {
        for (int max : ONE_CALL_MAXES) {
            withOneCallMax(max, () -> flippedBitFailsAndTheNextFrameStillDecrypts(flip));
        }
    }

    private static void flippedBitFailsAndTheNextFrameStillDecrypts(int flip) throws Exception {
        int size = 5000;
        Random rnd = new Random(flip);
        byte[] plain = new byte[size];
        rnd.nextBytes(plain);
        GcmCipher tx = GcmCipher.serverPair(FrameCodecTest.SECRET)[1];
        GcmCipher rx = GcmCipher.clientPair(FrameCodecTest.SECRET)[0];
        byte[] bad = tx.encrypt(plain, 0, size);
        bad[flip] ^= 0x10; // ciphertext, or (5000..5015) the tag
        assertThrows(AEADBadTagException.class, () -> rx.decrypt(cut(bad, rnd, false), bad.length));
        // the failed operation used its nonce: the peer's next frame decrypts under the next one
        byte[] good = tx.encrypt(plain, 0, size);
        assertArrayEquals(plain, rx.decrypt(cut(good, rnd, true), good.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15})
    void tooShortForItsTagIsABadTag(int len) {
        GcmCipher rx = GcmCipher.clientPair(FrameCodecTest.SECRET)[0];
        assertThrows(AEADBadTagException.class, () -> rx.decrypt(new ByteBuffer[] {ByteBuffer.allocate(len)}, len));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void encryptionAcrossSeveralOutputsMatchesTheJdk(boolean direct) throws Exception {
        // the frame writer's pieces of direct memory: a sealed block spans several, cut anywhere
        Random rnd = new Random(17);
        GcmCipher tx = GcmCipher.serverPair(FrameCodecTest.SECRET)[1];
        long op = 0;
        for (int size : SIZES) {
            byte[] plain = new byte[size];
            rnd.nextBytes(plain);
            byte[] expect = reference(Cipher.ENCRYPT_MODE, plain, op++);
            ByteBuffer[] outs = cut(new byte[expect.length], rnd, direct);
            for (ByteBuffer o : outs) {
                o.clear();
            }
            tx.encrypt(outs, cut(plain, rnd, !direct));
            byte[] got = new byte[expect.length];
            int at = 0;
            for (ByteBuffer o : outs) {
                assertEquals(0, o.remaining(), "an output left unfilled");
                o.flip();
                int n = o.remaining();
                o.get(got, at, n);
                at += n;
            }
            assertArrayEquals(expect, got, "ciphertext and tag of " + size + " bytes across " + outs.length + " outputs");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4095, 4096, 70_000, 100_000 + 15})
    void aFlippedBitLeavesNoPlaintextInTheDestinations(int flip) throws Exception {
        for (int max : ONE_CALL_MAXES) {
            withOneCallMax(max, () -> flippedBitLeavesNoPlaintextInTheDestinations(flip));
        }
    }

    private static void flippedBitLeavesNoPlaintextInTheDestinations(int flip) throws Exception {
        int size = 100_000;
        Random rnd = new Random(flip);
        byte[] plain = new byte[size];
        rnd.nextBytes(plain);
        GcmCipher tx = GcmCipher.serverPair(FrameCodecTest.SECRET)[1];
        GcmCipher rx = GcmCipher.clientPair(FrameCodecTest.SECRET)[0];
        byte[] bad = tx.encrypt(plain, 0, size);
        bad[flip] ^= 0x01;
        byte[] a = new byte[60_000];
        byte[] b = new byte[size - a.length];
        assertThrows(AEADBadTagException.class,
                () -> rx.decrypt(cut(bad, rnd, true), bad.length, ByteBuffer.wrap(a), ByteBuffer.wrap(b)));
        assertArrayEquals(new byte[a.length], a, "plaintext left in the first destination");
        assertArrayEquals(new byte[b.length], b, "plaintext left in the second destination");
    }
}
