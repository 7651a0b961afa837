package org.jceph.messenger.internal.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of msgr2 secure mode (src/msg/async/crypto_onwire.cc): AES-128-GCM, 16-byte tag,
 * no AAD, 12-byte nonce laid out as {@code u32 fixed | u64 counter} (little-endian). In msgr2.1
 * each GCM operation (one encrypt or one decrypt call) is followed by counter += 1; the fixed part
 * never changes. The key and nonces come from the cephx connection secret:
 * <pre>
 *   secret[0..16)  AES key          secret[16..28) nonce A      secret[28..40) nonce B
 *   connecting side: rx = A, tx = B;   accepting side: rx = B, tx = A
 * </pre>
 */
public final class GcmCipher {
    public static final int TAG_LEN = 16;
    public static final int KEY_LEN = 16;
    public static final int NONCE_LEN = 12;
    /** Key plus both nonces. */
    public static final int SECRET_LEN = KEY_LEN + 2 * NONCE_LEN;

    private final SecretKeySpec key;
    private final int mode;
    private final int fixed;
    private long counter;
    private final long firstCounter;
    private final Cipher cipher;
    /** Receiving side only: AES-CTR for the plaintext and a GCM encryptor for the tag (see {@link #decrypt(ByteBuffer[], int)}). */
    private final Cipher ctr;
    private final Cipher tagger;
    private final byte[] scratch;
    /** Staging for input from direct buffers (see {@link #feed}). */
    private final byte[] stage = new byte[CHUNK];
    /** Receiving side, one-call path: the gathered ciphertext and the plaintext (grown on demand up to {@link #oneCallMax}). */
    private byte[] wire = new byte[0];
    private byte[] plainStage = new byte[0];

    /**
     * The largest slice handed to the JDK cipher in one call (a multiple of the AES block): see
     * {@link #encrypt(ByteBuffer, ByteBuffer...)} for why large inputs are sliced.
     */
    static final int CHUNK = 4096;
    /**
     * The slice for the process's first {@code WARM_SLICES} slices (24,000; system property
     * {@code jceph.secure.warmSlices} for measurements): the JIT compiles the JDK's
     * cipher methods, and with them the AES-NI/CLMUL intrinsics, after a number of calls, not of
     * bytes, and until then GHASH runs in plain Java at some 75 MB/s. Small slices first get there
     * after an eighth of the data; afterwards {@value #CHUNK} keeps the per-call overhead low.
     */
    static final int WARM_CHUNK = 512;
    static final int WARM_SLICES = Integer.getInteger("jceph.secure.warmSlices", 24_000);
    /**
     * Sealed blocks up to this many bytes are opened by the JDK's own GCM decryption in one call
     * (ciphertext gathered into {@link #wire}, plaintext into {@link #plainStage}, handed to the
     * destinations only after the tag verified) instead of the CTR + tag pass of
     * {@link #decrypt(ByteBuffer[], int, ByteBuffer...)}: one AES pass instead of two. JDK 25's
     * combined AES-GCM intrinsic (AVX2 here) makes that about twice as cheap for a 4 KiB block
     * once compiled (docs/BENCHMARKS.md, "Session 12"). JDK 17 has that intrinsic only with
     * AVX-512, and its one-call decryption of blocks above a few KiB was not compiled in after
     * thousands of calls there, so the default is 0 (off) below JDK 25. Larger blocks always
     * take the sliced path: a call over 1 MiB takes a JDK branch that runs in plain Java for
     * hundreds of frames on both JDKs. System property {@code jceph.secure.oneCallMax} overrides;
     * tests set the field to run both paths on any JDK.
     */
    static int oneCallMax = Integer.getInteger("jceph.secure.oneCallMax",
            Runtime.version().feature() >= 25 ? 64 * 1024 : 0);
    /** Slices cut so far in this process (all ciphers; a racy count is fine, it only picks a size). */
    private static int slices;
    private static final int AES_BLOCK = 16;

    private GcmCipher(byte[] key, byte[] nonce, int mode) {
        this.key = new SecretKeySpec(key, "AES");
        this.mode = mode;
        ByteBuffer n = ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN);
        this.fixed = n.getInt();
        this.counter = n.getLong();
        this.firstCounter = counter;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            this.ctr = mode == Cipher.DECRYPT_MODE ? Cipher.getInstance("AES/CTR/NoPadding") : null;
            this.tagger = mode == Cipher.DECRYPT_MODE ? Cipher.getInstance("AES/GCM/NoPadding") : null;
            this.scratch = new byte[CHUNK + 2 * TAG_LEN];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding or AES/CTR/NoPadding", e);
        }
    }

    /** The client's (connecting side's) pair from a connection secret: [rx, tx]. */
    public static GcmCipher[] clientPair(byte[] connectionSecret) {
        if (connectionSecret.length < SECRET_LEN) {
            throw new IllegalArgumentException("connection secret of " + connectionSecret.length
                    + " bytes, secure mode needs " + SECRET_LEN);
        }
        byte[] k = java.util.Arrays.copyOfRange(connectionSecret, 0, KEY_LEN);
        byte[] a = java.util.Arrays.copyOfRange(connectionSecret, KEY_LEN, KEY_LEN + NONCE_LEN);
        byte[] b = java.util.Arrays.copyOfRange(connectionSecret, KEY_LEN + NONCE_LEN, SECRET_LEN);
        return new GcmCipher[] {new GcmCipher(k, a, Cipher.DECRYPT_MODE), new GcmCipher(k, b, Cipher.ENCRYPT_MODE)};
    }

    /** The server's (accepting side's) pair: [rx, tx], nonces swapped. For tests and tools. */
    public static GcmCipher[] serverPair(byte[] connectionSecret) {
        GcmCipher[] c = clientPair(connectionSecret);
        return new GcmCipher[] {new GcmCipher(c[0].key.getEncoded(), c[1].nonce(), Cipher.DECRYPT_MODE),
            new GcmCipher(c[0].key.getEncoded(), c[0].nonce(), Cipher.ENCRYPT_MODE)};
    }

    private byte[] nonce() {
        return ByteBuffer.allocate(NONCE_LEN).order(ByteOrder.LITTLE_ENDIAN).putInt(fixed).putLong(counter).array();
    }

    /** Encrypts {@code len} bytes: returns ciphertext followed by the 16-byte tag. One nonce used. */
    public byte[] encrypt(byte[] plain, int off, int len) {
        byte[] out = new byte[len + TAG_LEN];
        encrypt(ByteBuffer.wrap(out), ByteBuffer.wrap(plain, off, len));
        return out;
    }

    /** Decrypts ciphertext+tag; throws {@link javax.crypto.AEADBadTagException} on a bad tag. One nonce used. */
    public byte[] decrypt(byte[] sealed, int off, int len) throws GeneralSecurityException {
        if (len > CHUNK) {
            return decrypt(new ByteBuffer[] {ByteBuffer.wrap(sealed, off, len)}, len);
        }
        checkMode(Cipher.DECRYPT_MODE);
        // Small blocks (the 96-byte head of every frame): the JDK's GCM decryption in one call.
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LEN * 8, nonce()));
            return cipher.doFinal(sealed, off, len);
        } finally {
            advance();
        }
    }

    /**
     * Encrypts the concatenation of {@code parts} (read in place, positions moved) into {@code out}:
     * ciphertext then the 16-byte tag. One nonce used. {@code out}, a heap buffer, must have room
     * for both.
     *
     * <p>The parts go to the cipher in slices of at most {@value #CHUNK} bytes. That is for
     * speed, not correctness: the JDK runs AES-CTR and GHASH as CPU intrinsics (AES-NI, CLMUL)
     * only in code its optimizing compiler has compiled, and it compiles them after a few thousand
     * calls. One call per 4 MiB segment (the JDK splits it into six) would take thousands of
     * writes to get there and runs the plain-Java GHASH at about 75 MB/s until then; 4 KiB slices
     * get there within the first 20 MiB (docs/BENCHMARKS.md, secure mode).
     */
    public void encrypt(ByteBuffer out, ByteBuffer... parts) {
        encrypt(new ByteBuffer[] {out}, parts);
    }

    /**
     * As {@link #encrypt(ByteBuffer, ByteBuffer...)}, the sealed bytes written across
     * {@code outs} in order (heap or direct buffers; positions move, each filled before the next).
     */
    public void encrypt(ByteBuffer[] outs, ByteBuffer... parts) {
        checkMode(Cipher.ENCRYPT_MODE);
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_LEN * 8, nonce()));
            Sink sink = new Sink(outs);
            for (ByteBuffer part : parts) {
                feed(cipher, part, part.remaining(), sink);
            }
            int last = cipher.doFinal(scratch, 0, 0, scratch, 0); // the unaligned rest, then the tag
            sink.put(scratch, last);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            advance();
        }
    }

    /** The sending side's output: the current buffer and the ones after it. */
    private static final class Sink {
        private final ByteBuffer[] outs;
        private int i;

        Sink(ByteBuffer[] outs) {
            this.outs = outs;
        }

        /** The current output if it is a heap buffer with room for {@code n} bytes, else null. */
        ByteBuffer heapWithRoom(int n) {
            while (i < outs.length - 1 && !outs[i].hasRemaining()) {
                i++;
            }
            ByteBuffer o = outs[i];
            return o.hasArray() && o.remaining() >= n ? o : null;
        }

        void put(byte[] src, int n) {
            int at = 0;
            while (at < n) {
                while (!outs[i].hasRemaining()) {
                    if (++i == outs.length) {
                        throw new java.nio.BufferOverflowException();
                    }
                }
                int k = Math.min(n - at, outs[i].remaining());
                outs[i].put(src, at, k);
                at += k;
            }
        }
    }

    /**
     * Decrypts ciphertext+tag given as consecutive {@code parts} of {@code sealedLen} bytes in all
     * (read in place, positions moved); returns the plaintext. Throws
     * {@link javax.crypto.AEADBadTagException} on a bad tag. One nonce used.
     *
     * <p>Not through the JDK's GCM decryption, which keeps all the ciphertext in a growing buffer
     * until {@code doFinal} and then runs it in six large calls (so, as for encryption, its
     * intrinsics would take thousands of frames to be compiled in). GCM is CTR mode plus a GHASH
     * of the ciphertext, so it is done with two ciphers the JDK runs fast in {@value #CHUNK}-byte
     * calls, both over one slice before the next (the slice stays in cache): AES-CTR from GCM's
     * first data counter block ({@code nonce | 2}) turns the ciphertext into the plaintext, and
     * GCM <em>encryption</em> of that plaintext under the same nonce, its output dropped, yields
     * the tag of exactly that ciphertext, which must equal the one received
     * (compared in constant time). No plaintext leaves this method unless the tags match. Nothing
     * is sent under the nonce, so reusing it for the check gives an eavesdropper nothing.
     */
    public byte[] decrypt(ByteBuffer[] parts, int sealedLen) throws GeneralSecurityException {
        if (sealedLen < TAG_LEN) {
            checkMode(Cipher.DECRYPT_MODE);
            throw new javax.crypto.AEADBadTagException("sealed block of " + sealedLen + " bytes is shorter than its tag");
        }
        byte[] plain = new byte[sealedLen - TAG_LEN];
        decrypt(parts, sealedLen, ByteBuffer.wrap(plain));
        return plain;
    }

    /**
     * As {@link #decrypt(ByteBuffer[], int)}, the plaintext written into {@code dests} in order
     * (heap buffers whose remaining bytes together are {@code sealedLen - 16}; their positions
     * move). On a bad tag every destination is zeroed before the exception.
     */
    public void decrypt(ByteBuffer[] parts, int sealedLen, ByteBuffer... dests) throws GeneralSecurityException {
        checkMode(Cipher.DECRYPT_MODE);
        if (sealedLen < TAG_LEN) {
            throw new javax.crypto.AEADBadTagException("sealed block of " + sealedLen + " bytes is shorter than its tag");
        }
        byte[] nonce = nonce();
        int len = sealedLen - TAG_LEN;
        int room = 0;
        for (ByteBuffer d : dests) {
            room += d.remaining();
        }
        if (room != len) {
            advance();
            throw new IllegalArgumentException(room + " bytes of room for " + len + " bytes of plaintext");
        }
        if (sealedLen <= oneCallMax) {
            openInOneCall(parts, sealedLen, nonce, dests);
            return;
        }
        int[] starts = new int[dests.length];
        for (int i = 0; i < dests.length; i++) {
            starts[i] = dests[i].position();
        }
        try {
            byte[] tag = new byte[TAG_LEN];
            ByteBuffer tagOut = ByteBuffer.wrap(tag);
            // GCM's counter blocks are nonce | u32be: J0 = nonce | 1 seals the tag, the data starts at
            // J0 + 1. GCM wraps only the low 32 bits, CTR carries into the nonce: the same for any
            // frame under 2^32 blocks (64 GiB), and frames here are under 2 GiB.
            byte[] counter0 = java.util.Arrays.copyOf(nonce, AES_BLOCK);
            counter0[AES_BLOCK - 1] = 2;
            ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter0));
            tagger.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LEN * 8, nonce));
            int left = len;
            int d = 0;
            for (ByteBuffer part : parts) {
                while (left > 0 && part.hasRemaining()) {
                    while (!dests[d].hasRemaining()) {
                        d++;
                    }
                    int n = Math.min(left, Math.min(part.remaining(), dests[d].remaining()));
                    open(part, n, dests[d]);
                    left -= n;
                }
                int t = Math.min(part.remaining(), tagOut.remaining());
                if (t > 0) {
                    tagOut.put(tagOut.position(), part, part.position(), t);
                    tagOut.position(tagOut.position() + t);
                    part.position(part.position() + t);
                }
            }
            if (left != 0 || tagOut.hasRemaining()) {
                throw new javax.crypto.AEADBadTagException("parts hold fewer than the " + sealedLen + " sealed bytes");
            }
            int last = tagger.doFinal(scratch, 0, 0, scratch, 0); // the unaligned rest of the ciphertext, then the tag
            if (!MessageDigest.isEqual(tag, java.util.Arrays.copyOfRange(scratch, last - TAG_LEN, last))) {
                for (int i = 0; i < dests.length; i++) {
                    ByteBuffer p = dests[i];
                    java.util.Arrays.fill(p.array(), p.arrayOffset() + starts[i], p.arrayOffset() + p.position(), (byte) 0);
                }
                throw new javax.crypto.AEADBadTagException("GCM tag mismatch");
            }
        } finally {
            advance();
        }
    }

    /**
     * The one-call path of {@link #decrypt(ByteBuffer[], int, ByteBuffer...)} (blocks up to
     * {@link #oneCallMax}): the sealed bytes are gathered into {@link #wire}, the JDK's GCM
     * decryption writes the plaintext into {@link #plainStage} (it zeroes its output on a bad tag),
     * and only after the tag verified is the plaintext copied into the destinations, so on a bad
     * tag they are left untouched except for being zeroed here as on the sliced path. One nonce used.
     */
    private void openInOneCall(ByteBuffer[] parts, int sealedLen, byte[] nonce, ByteBuffer... dests)
            throws GeneralSecurityException {
        int len = sealedLen - TAG_LEN;
        try {
            if (wire.length < sealedLen) {
                wire = new byte[sealedLen];
                plainStage = new byte[len];
            }
            int at = 0;
            for (ByteBuffer part : parts) {
                int k = Math.min(part.remaining(), sealedLen - at);
                part.get(part.position(), wire, at, k);
                part.position(part.position() + k);
                at += k;
            }
            if (at != sealedLen) {
                throw new javax.crypto.AEADBadTagException("parts hold fewer than the " + sealedLen + " sealed bytes");
            }
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LEN * 8, nonce));
            try {
                cipher.doFinal(wire, 0, sealedLen, plainStage, 0);
            } catch (GeneralSecurityException e) {
                java.util.Arrays.fill(plainStage, 0, len, (byte) 0);
                for (ByteBuffer d : dests) {
                    java.util.Arrays.fill(d.array(), d.arrayOffset() + d.position(), d.arrayOffset() + d.limit(), (byte) 0);
                }
                throw e;
            }
            int from = 0;
            for (ByteBuffer d : dests) {
                int k = d.remaining();
                d.put(plainStage, from, k);
                from += k;
            }
            java.util.Arrays.fill(plainStage, 0, len, (byte) 0); // no plaintext left behind in the cipher
        } finally {
            advance();
        }
    }

    /**
     * The receiving side's one pass over {@code n} sealed bytes of {@code part}: in slices of at
     * most {@value #CHUNK}, AES-CTR turns the slice into plaintext in the heap buffer {@code out}
     * (its position moves), and the GCM encryptor for the tag reads that plaintext back at once,
     * while it is still in the first-level cache (its output, the ciphertext again, is dropped).
     * A direct part is read through the reused staging array.
     */
    private void open(ByteBuffer part, int n, ByteBuffer out) throws ShortBufferException {
        byte[] o = out.array();
        int stop = part.position() + n;
        while (part.position() < stop) {
            int k = Math.min(slice(), stop - part.position());
            int at = out.arrayOffset() + out.position();
            int made;
            if (part.hasArray()) {
                made = ctr.update(part.array(), part.arrayOffset() + part.position(), k, o, at);
            } else {
                part.get(part.position(), stage, 0, k);
                made = ctr.update(stage, 0, k, o, at);
            }
            tagger.update(o, at, made, scratch, 0);
            part.position(part.position() + k);
            out.position(out.position() + made);
        }
    }

    /**
     * Hands {@code n} bytes of {@code part} to {@code c} in slices of at most {@value #CHUNK},
     * through the cipher's array API: a heap part is read in place, a direct (or read-only) one
     * through a reused staging array; the output goes straight into a heap output buffer with
     * room for it, else (direct memory, the end of a piece) through the reused scratch array. The
     * JDK's ByteBuffer API would allocate a temporary array per call for a direct buffer, 4 MiB
     * of garbage per 4 MiB frame.
     */
    private void feed(Cipher c, ByteBuffer part, int n, Sink out) throws ShortBufferException {
        int stop = part.position() + n;
        while (part.position() < stop) {
            int k = Math.min(slice(), stop - part.position());
            byte[] in;
            int inAt;
            if (part.hasArray()) {
                in = part.array();
                inAt = part.arrayOffset() + part.position();
            } else {
                part.get(part.position(), stage, 0, k);
                in = stage;
                inAt = 0;
            }
            ByteBuffer heap = out.heapWithRoom(k + AES_BLOCK);
            if (heap != null) {
                int made = c.update(in, inAt, k, heap.array(), heap.arrayOffset() + heap.position());
                heap.position(heap.position() + made);
            } else {
                out.put(scratch, c.update(in, inAt, k, scratch, 0));
            }
            part.position(part.position() + k);
        }
    }

    private static int slice() {
        if (slices >= WARM_SLICES) {
            return CHUNK;
        }
        slices++;
        return WARM_CHUNK;
    }

    private void checkMode(int expected) {
        if (mode != expected) {
            throw new IllegalStateException(mode == Cipher.ENCRYPT_MODE ? "tx cipher used to decrypt" : "rx cipher used to encrypt");
        }
    }

    private void advance() {
        counter++;
        if (counter == firstCounter) {
            // 2^64 operations: Ceph faults the connection rather than reuse a nonce.
            throw new IllegalStateException("GCM nonce wrapped");
        }
    }

    @Override
    public String toString() {
        return "GcmCipher[" + (mode == Cipher.ENCRYPT_MODE ? "tx" : "rx") + ", key=<redacted>]";
    }
}
