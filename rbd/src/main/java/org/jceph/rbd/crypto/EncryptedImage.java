package org.jceph.rbd.crypto;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.jceph.rbd.Image;

/**
 * An image loaded with LUKS encryption ({@link Luks#load}): offsets are those of the decrypted
 * data, which starts at the header's data offset in the underlying image, and every sector is
 * AES-XTS encrypted with its plain64 IV (512-byte units from the data offset), as librbd's crypto
 * layer does. Unaligned writes read, decrypt, merge and re-encrypt the partial sectors at their
 * ends; they are serialized among themselves so that two of them sharing a sector do not undo
 * each other. A discard writes encrypted zeros, as librbd turns it into a write-same of zeros.
 * Sectors that are all zeros underneath (never written, or discarded around the encryption) read
 * as zeros, as absent objects do through librbd.
 *
 * <p>Closing the view zeroes the key and closes the underlying image.
 */
public final class EncryptedImage implements Image {
    /** Largest piece a discard writes at once. */
    private static final int ZERO_CHUNK = 4 << 20;

    private final Image inner;
    private final AesXts xts;
    private final long dataOffset;
    private final int sectorSize;
    private final int luksVersion;
    private final Object rmwLock = new Object();
    private CompletableFuture<Void> rmwTail = CompletableFuture.completedFuture(null);
    private volatile boolean closed;
    /** Whether closing this view closes {@link #inner} (not for an ancestor's layer, which its clone owns). */
    private final boolean ownsInner;
    /** Run once on close, before the key goes: the ancestors' layers and the clones' parent views. */
    private final java.util.List<Runnable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    EncryptedImage(Image inner, AesXts xts, long dataOffset, int sectorSize, int luksVersion) {
        this(inner, xts, dataOffset, sectorSize, luksVersion, true);
    }

    EncryptedImage(Image inner, AesXts xts, long dataOffset, int sectorSize, int luksVersion, boolean ownsInner) {
        this.inner = inner;
        this.xts = xts;
        this.dataOffset = dataOffset;
        this.sectorSize = sectorSize;
        this.luksVersion = luksVersion;
        this.ownsInner = ownsInner;
    }

    /** Registers something to undo when this view closes (ancestor layers, parent views). */
    void onClose(Runnable r) {
        onClose.add(r);
    }

    /**
     * Encrypts whole sectors in place, as this layer writes them at plaintext offset {@code at}:
     * what a clone with its own key makes of its parent's plaintext before it is read through or
     * copied up.
     *
     * @param plain whole sectors of plaintext (encrypted in place)
     * @param at the plaintext offset of the first, a multiple of the sector size
     * @return {@code plain}
     */
    byte[] encryptSectors(byte[] plain, long at) {
        return encrypt(plain, at);
    }

    /** Zeroes the key of a layer that will not be used (a load that failed), leaving the image open. */
    void discardKey() {
        closed = true;
        xts.destroy();
    }

    /** Whether the two layers encrypt alike: same key, data offset and sector size. */
    boolean sameCrypto(EncryptedImage o) {
        return o != null && dataOffset == o.dataOffset && sectorSize == o.sectorSize && xts.sameKey(o.xts);
    }

    /**
     * The image underneath, whose bytes are the ciphertext (and the header at offset 0).
     *
     * @return the image
     */
    public Image underlying() {
        return inner;
    }

    /**
     * Where the encrypted data starts in the underlying image.
     *
     * @return the data offset in bytes
     */
    public long dataOffset() {
        return dataOffset;
    }

    /**
     * The encryption sector size: 512 for LUKS1, 4096 for LUKS2 as librbd formats it.
     *
     * @return the sector size in bytes
     */
    public int sectorSize() {
        return sectorSize;
    }

    /**
     * The header's LUKS version.
     *
     * @return 1 or 2
     */
    public int luksVersion() {
        return luksVersion;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int format() {
        return inner.format();
    }

    @Override
    public long size() {
        return Math.max(0, inner.size() - dataOffset);
    }

    @Override
    public int order() {
        return inner.order();
    }

    @Override
    public boolean readOnly() {
        return inner.readOnly();
    }

    private LuksException outOfRange(long offset, long length) {
        return new LuksException(-22, "range " + offset + "+" + length + " is outside the encrypted image of "
                + size() + " bytes");
    }

    @Override
    public CompletableFuture<byte[]> readAsync(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size()) {
            return CompletableFuture.failedFuture(outOfRange(offset, length));
        }
        if (length == 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        long start = offset / sectorSize * sectorSize;
        long end = (offset + length + sectorSize - 1) / sectorSize * sectorSize;
        if (end > size()) {
            return CompletableFuture.failedFuture(new LuksException(-22,
                    "the encrypted image does not end on a whole " + sectorSize + "-byte sector"));
        }
        return inner.readAsync(dataOffset + start, (int) (end - start)).thenApply(raw -> {
            decrypt(raw, start);
            if (start == offset && raw.length == length) {
                return raw;
            }
            return Arrays.copyOfRange(raw, (int) (offset - start), (int) (offset - start) + length);
        });
    }

    /** Decrypts whole sectors read at plaintext offset {@code at}; all-zero sectors stay zeros. */
    private void decrypt(byte[] raw, long at) {
        int run = -1;
        for (int p = 0; p <= raw.length; p += sectorSize) {
            boolean zero = p < raw.length && isZero(raw, p, sectorSize);
            boolean data = p < raw.length && !zero;
            if (data && run < 0) {
                run = p;
            } else if (!data && run >= 0) {
                xts.decrypt(raw, run, p - run, (at + run) / 512, sectorSize, sectorSize / 512);
                run = -1;
            }
        }
    }

    private static boolean isZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private byte[] encrypt(byte[] plain, long at) {
        xts.encrypt(plain, 0, plain.length, at / 512, sectorSize, sectorSize / 512);
        return plain;
    }

    @Override
    public CompletableFuture<Void> writeAsync(long offset, byte[] data, boolean fua) {
        if (offset < 0 || offset + data.length > size()) {
            return CompletableFuture.failedFuture(outOfRange(offset, data.length));
        }
        if (data.length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (offset % sectorSize == 0 && data.length % sectorSize == 0) {
            byte[] copy = data.clone();
            try {
                encrypt(copy, offset);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            return inner.writeAsync(dataOffset + offset, copy, fua);
        }
        long start = offset / sectorSize * sectorSize;
        long end = (offset + data.length + sectorSize - 1) / sectorSize * sectorSize;
        if (end > size()) {
            return CompletableFuture.failedFuture(new LuksException(-22,
                    "the encrypted image does not end on a whole " + sectorSize + "-byte sector"));
        }
        byte[] copy = data.clone();
        synchronized (rmwLock) {
            CompletableFuture<Void> next = rmwTail.handle((x, e) -> null)
                    .thenCompose(x -> readModifyWrite(start, end, offset, copy, fua));
            rmwTail = next;
            return next;
        }
    }

    private CompletableFuture<Void> readModifyWrite(long start, long end, long offset, byte[] data, boolean fua) {
        int len = (int) (end - start);
        CompletableFuture<byte[]> head = offset > start || len <= sectorSize
                ? readAsync(start, sectorSize) : CompletableFuture.completedFuture(null);
        long tailAt = end - sectorSize;
        CompletableFuture<byte[]> tail = offset + data.length < end && tailAt > start
                ? readAsync(tailAt, sectorSize) : CompletableFuture.completedFuture(null);
        return head.thenCombine(tail, (h, t) -> {
            byte[] buf = new byte[len];
            if (h != null) {
                System.arraycopy(h, 0, buf, 0, sectorSize);
            }
            if (t != null) {
                System.arraycopy(t, 0, buf, len - sectorSize, sectorSize);
            }
            System.arraycopy(data, 0, buf, (int) (offset - start), data.length);
            return encrypt(buf, start);
        }).thenCompose(buf -> inner.writeAsync(dataOffset + start, buf, fua));
    }

    @Override
    public CompletableFuture<Void> discardAsync(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size()) {
            return CompletableFuture.failedFuture(outOfRange(offset, length));
        }
        CompletableFuture<Void> f = CompletableFuture.completedFuture(null);
        for (long p = offset; p < offset + length; ) {
            int n = (int) Math.min(ZERO_CHUNK - (p % ZERO_CHUNK), offset + length - p);
            long at = p;
            f = f.thenCompose(x -> writeAsync(at, new byte[n], false));
            p += n;
        }
        return f;
    }

    @Override
    public CompletableFuture<Void> flushAsync() {
        return inner.flushAsync();
    }

    /**
     * Flattens the clone underneath with its encryption loaded, as librbd's flatten does when
     * encryption is loaded: every object the parent still backs is copied up through the
     * decrypted view (the parent's plaintext encrypted under this clone's key, where the clone
     * has its own header), the clone's own header gets its LUKS magic back (the clone magic
     * {@code RBDL} is for clones only), and the parent link goes.
     *
     * @param progress told of each object (null: nobody)
     * @throws LuksException EINVAL when the image underneath is not an RBD image
     * @throws org.jceph.rbd.RbdException what {@link org.jceph.rbd.RbdImage#flatten()} throws
     */
    public void flatten(org.jceph.rbd.ProgressListener progress) {
        if (!(inner instanceof org.jceph.rbd.RbdImage rbd)) {
            throw new LuksException(-22, "image " + inner.name() + " is not an RBD image to flatten");
        }
        if (closed) {
            throw new LuksException(-22, "image " + inner.name() + ": the encryption was closed");
        }
        rbd.flatten(progress);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            RuntimeException first = null;
            for (Runnable r : onClose) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            xts.destroy();
            if (ownsInner) {
                inner.close();
            }
            if (first != null) {
                throw first;
            }
        }
    }

    @Override
    public String toString() {
        return "EncryptedImage[" + inner.name() + ", LUKS" + luksVersion + ", data offset " + dataOffset + "]";
    }
}
