package org.jceph.rbd.crypto;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.jceph.rbd.Image;
import org.jceph.rbd.RbdImage;

/**
 * What a clone formatted with its own key holds through its parent, in the clone's raw (still
 * encrypted) bytes, as Reef's librbd maps it: the clone's plaintext offset {@code L} (raw offset
 * less the clone's data offset) is the parent's plaintext offset {@code L} (the parent's own data
 * offset further on underneath, or {@code L} itself for a plaintext parent), so the two headers
 * may differ in size. The parent backs the clone below the smaller of the overlap (less the
 * clone's data offset) and the parent's decrypted size; past that the clone reads zeros. The
 * parent's plaintext is encrypted here under the clone's key with the clone's IVs, so that the
 * clone's own decryption, its read-modify-writes and its copy-ups (librbd's crypto copy-up:
 * decrypt with the parent's key, encrypt with the clone's) all see it as the clone's data.
 * Below the clone's data offset (its header area) the parent's raw bytes show through, as
 * librbd's direct mapping of the header area does.
 */
final class LayeredParentView implements RbdImage.ParentView {
    /** The clone's parent overlap now (raw bytes; it only shrinks). */
    private final java.util.function.LongSupplier overlap;
    private final EncryptedImage cloneLayer;
    /** The parent's decrypted view, or null for a plaintext parent. */
    private final EncryptedImage parentLayer;
    /** The parent underneath (its raw bytes). */
    private final Image parentRaw;

    LayeredParentView(RbdImage clone, EncryptedImage cloneLayer, EncryptedImage parentLayer, Image parentRaw) {
        this(() -> {
            RbdImage.Parent p = clone.parent();
            return p == null ? 0 : p.overlap();
        }, cloneLayer, parentLayer, parentRaw);
    }

    LayeredParentView(java.util.function.LongSupplier overlap, EncryptedImage cloneLayer, EncryptedImage parentLayer,
            Image parentRaw) {
        this.overlap = overlap;
        this.cloneLayer = cloneLayer;
        this.parentLayer = parentLayer;
        this.parentRaw = parentRaw;
    }

    /**
     * How many plaintext bytes of the clone, from its data start, its parent backs: the overlap
     * less the clone's data offset, but no more than the parent's plaintext holds.
     *
     * @param rawOverlap the clone's parent overlap (raw bytes)
     * @param cloneDataOffset the clone's data offset
     * @param parentPlainSize the parent's decrypted size (its raw size for a plaintext parent)
     * @return the backed plaintext length, 0 when the overlap ends inside the clone's header
     */
    static long backedPlaintext(long rawOverlap, long cloneDataOffset, long parentPlainSize) {
        return Math.max(0, Math.min(rawOverlap - cloneDataOffset, parentPlainSize));
    }

    @Override
    public CompletableFuture<byte[]> read(long offset, int length) {
        long dataOffset = cloneLayer.dataOffset();
        if (offset + length <= dataOffset) {
            return headerArea(offset, length);
        }
        if (offset < dataOffset) {
            int head = (int) (dataOffset - offset);
            return headerArea(offset, head).thenCombine(data(0, length - head), (a, b) -> {
                byte[] out = Arrays.copyOf(a, length);
                System.arraycopy(b, 0, out, head, b.length);
                return out;
            });
        }
        return data(offset - dataOffset, length);
    }

    private CompletableFuture<byte[]> headerArea(long offset, int length) {
        long n = Math.max(0, Math.min(length, parentRaw.size() - offset));
        if (n == 0) {
            return CompletableFuture.completedFuture(new byte[length]);
        }
        return parentRaw.readAsync(offset, (int) n).thenApply(b -> b.length == length ? b : Arrays.copyOf(b, length));
    }

    /** The clone's ciphertext of its plaintext [plain, plain + length) as the parent backs it. */
    private CompletableFuture<byte[]> data(long plain, int length) {
        int sector = cloneLayer.sectorSize();
        long start = plain / sector * sector;
        long end = (plain + length + sector - 1) / sector * sector;
        long parentSize = parentLayer != null ? parentLayer.size() : parentRaw.size();
        long backed = backedPlaintext(overlap.getAsLong(), cloneLayer.dataOffset(), parentSize);
        if (parentLayer != null) {
            // the parent's decrypted view reads whole sectors of its own only
            backed = backed / parentLayer.sectorSize() * parentLayer.sectorSize();
        }
        long readEnd = Math.min(end, backed);
        CompletableFuture<byte[]> plainBytes = readEnd <= start
                ? CompletableFuture.completedFuture(new byte[0])
                : (parentLayer != null ? parentLayer : parentRaw).readAsync(start, (int) (readEnd - start));
        return plainBytes.thenApply(b -> {
            byte[] buf = b.length == end - start ? b : Arrays.copyOf(b, (int) (end - start));
            cloneLayer.encryptSectors(buf, start);
            int from = (int) (plain - start);
            return from == 0 && buf.length == length ? buf : Arrays.copyOfRange(buf, from, from + length);
        });
    }

    /**
     * librbd's crypto flatten: once the whole clone holds its own bytes, its header is a complete
     * LUKS volume, so the clone magic goes back to LUKS (LUKS2: the secondary magic too), written
     * and flushed before the parent link goes. A header already showing the LUKS magic is left.
     */
    @Override
    public void beforeDetach() {
        restoreLuksMagic(cloneLayer.underlying());
    }

    /**
     * Puts the LUKS magic back into a clone's header at offset 0 of {@code raw}.
     *
     * @param raw the clone's raw image
     * @return whether the header changed (false: it did not carry the clone magic)
     */
    static boolean restoreLuksMagic(Image raw) {
        int first = (int) Math.min(raw.size(), 4096);
        byte[] head = Luks.await(raw.readAsync(0, first), "reading the clone's LUKS header");
        if (!CloneMagic.isClone(head)) {
            return false;
        }
        int len = 8;
        if (head.length >= 8 && head[6] == 0 && head[7] == 2) {
            long hdr = Luks2Header.headerSize(head);
            if (hdr <= 0 || hdr + 8 > raw.size()) {
                throw new LuksException(-22, "LUKS2 secondary header of " + raw.name() + " is out of reach");
            }
            len = (int) hdr + 8;
            head = Luks.await(raw.readAsync(0, len), "reading the clone's LUKS2 header");
        }
        byte[] buf = Arrays.copyOf(head, len);
        CloneMagic.toLuks(buf);
        Luks.await(raw.writeAsync(0, buf, true), "writing the LUKS header magic");
        Luks.await(raw.flushAsync(), "flushing the LUKS header");
        return true;
    }
}
