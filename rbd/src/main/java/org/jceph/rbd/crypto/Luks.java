package org.jceph.rbd.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jceph.rbd.Image;
import org.jceph.rbd.RbdException;

/**
 * librbd's LUKS encryption of RBD images ({@code rbd_encryption_format} and
 * {@code rbd_encryption_load}), interoperable with Pacific's librbd.
 *
 * <p>The LUKS header sits at offset 0 of the image, as libcryptsetup writes it; the encrypted
 * data starts at the header's data offset, which librbd aligns to the object size (4 MiB for
 * LUKS1 and 16 MiB for LUKS2 with 4 MiB objects). The data is AES-XTS with dm-crypt's plain64 IV,
 * the sector number in 512-byte units counted from the data offset, over 512-byte sectors (LUKS1)
 * or 4096-byte sectors (LUKS2). The loaded image is {@link #load an EncryptedImage} whose size is
 * the image's less the data offset, as librbd reports it once encryption is loaded.
 *
 * <p>Passphrases are byte arrays (the passphrase file's bytes, as the rbd tool passes them); each
 * method zeroes the array it was given before it returns, whatever the outcome.
 */
public final class Luks {
    /** Bound of the header reads and writes. */
    static final long IO_TIMEOUT_SECONDS = 120;
    /** LUKS2 data offset librbd's libcryptsetup picks: 16 MiB, then aligned to the object size. */
    static final long LUKS2_DATA_OFFSET = 16 << 20;

    /** The first release whose librbd aligns to the stripe period, pads the header and takes an image of the header alone. */
    static final int RELEASE_REEF = 18;

    private Luks() {
    }

    /**
     * Formats an image with LUKS, costs as {@link KdfOptions#defaults()}.
     *
     * @param image the image, open for writing and not loaded with encryption
     * @param format LUKS1 or LUKS2
     * @param algorithm AES128 or AES256
     * @param passphrase the passphrase bytes (zeroed on return)
     * @throws LuksException ENOSPC when the image cannot hold the header, EEXIST for an
     *         already loaded image, EINVAL for the format LUKS
     */
    public static void format(Image image, EncryptionFormat format, CipherAlgorithm algorithm, byte[] passphrase) {
        try {
            format(image, format, algorithm, passphrase, KdfOptions.defaults());
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }

    /**
     * Formats an image with LUKS: writes a header with a new random volume key in key slot 0,
     * opened by the passphrase. The data area is left as it was (its old bytes read as noise).
     *
     * @param image the image, open for writing and not loaded with encryption
     * @param format LUKS1 or LUKS2
     * @param algorithm AES128 or AES256
     * @param passphrase the passphrase bytes (zeroed on return)
     * @param kdf the key slot costs
     * @throws LuksException ENOSPC when the image cannot hold the header, EEXIST for an
     *         already loaded image, EINVAL for the format LUKS or an empty passphrase, ENOTSUP
     *         for a clone on Pacific (which formats flat images only; from Reef on a clone gets
     *         its own header, marked with the clone magic)
     */
    public static void format(Image image, EncryptionFormat format, CipherAlgorithm algorithm, byte[] passphrase,
            KdfOptions kdf) {
        byte[] volumeKey = null;
        try {
            if (image instanceof EncryptedImage) {
                throw new LuksException(-17, "image " + image.name() + " is already loaded with encryption");
            }
            if (image.readOnly()) {
                throw new LuksException(-30, "image " + image.name() + " is read-only");
            }
            org.jceph.rbd.RbdImage rbd = image instanceof org.jceph.rbd.RbdImage r ? r : null;
            boolean reefRules = rbd != null && rbd.clusterRelease() >= RELEASE_REEF;
            boolean clone = rbd != null && rbd.parent() != null;
            if (clone && !reefRules) {
                // Pacific's librbd formats flat images only; from Reef on a clone gets its own
                // header (with the clone magic, below) whatever its parent is
                throw new LuksException(-95, "cannot format a cloned image");
            }
            if (format == EncryptionFormat.LUKS || format == null || algorithm == null) {
                throw new LuksException(-22, "format needs LUKS1 or LUKS2 and a cipher algorithm");
            }
            if (passphrase.length == 0) {
                throw new LuksException(-22, "empty passphrase");
            }
            // the data is aligned to the object size (Pacific) or, from Reef on, to the stripe period
            long objectSize = 1L << image.order();
            if (reefRules) {
                objectSize *= Math.max(1, rbd.layout().stripeCount());
            }
            int keyBytes = algorithm.keyBytes();
            SecureRandom random = new SecureRandom();
            volumeKey = new byte[keyBytes];
            random.nextBytes(volumeKey);
            long dataOffset;
            if (format == EncryptionFormat.LUKS1) {
                long slotBytes = LuksHeader.roundUp(LuksHeader.roundUp(keyBytes * LuksHeader.STRIPES, 512), 4096);
                long end = 4096 + Luks1Header.SLOTS * slotBytes;
                dataOffset = roundUp(end, objectSize);
            } else {
                dataOffset = roundUp(LUKS2_DATA_OFFSET, objectSize);
            }
            // Pacific wants room for data past the header; Reef on takes an image of the header alone
            if (reefRules ? dataOffset > image.size() : dataOffset >= image.size()) {
                throw new LuksException(-28, "image is too small: format needs " + (reefRules ? "" : "more than ")
                        + dataOffset + " bytes");
            }
            byte[] header = format == EncryptionFormat.LUKS1
                    ? Luks1Header.format(keyBytes, volumeKey, passphrase, dataOffset, kdf, random)
                    : Luks2Header.format(keyBytes, volumeKey, passphrase, dataOffset, 4096, kdf, random);
            if (clone) {
                // the clone's data still reads partly through its parent, under the parent's key:
                // librbd marks such a header so that no plain LUKS reader takes it for a volume
                CloneMagic.toClone(header);
            }
            await(image.writeAsync(0, header, true), "writing the LUKS header");
            if (reefRules && header.length < dataOffset) {
                // Reef's librbd writes libcryptsetup's whole header area (LUKS2: with the zeroed
                // key slot area, up to the data offset) padded with zeros to the stripe period:
                // for the layouts libcryptsetup makes here, everything below the data offset. We
                // write those zeros in pieces of at most 4 MiB
                long end = dataOffset;
                byte[] zeros = new byte[(int) Math.min(4 << 20, end - header.length)];
                for (long off = header.length; off < end; off += zeros.length) {
                    int n = (int) Math.min(zeros.length, end - off);
                    await(image.writeAsync(off, n == zeros.length ? zeros : new byte[n], true),
                            "writing the LUKS header's padding");
                }
            }
        } finally {
            Arrays.fill(passphrase, (byte) 0);
            if (volumeKey != null) {
                Arrays.fill(volumeKey, (byte) 0);
            }
        }
    }

    /**
     * One layer's encryption spec for {@link #load(Image, List)} (librbd's
     * {@code rbd_encryption_spec_t}): the image's, then its parent's, and so on.
     *
     * @param format LUKS1, LUKS2, or LUKS for either
     * @param passphrase the passphrase bytes (zeroed once the load returns)
     */
    public record LayerSpec(EncryptionFormat format, byte[] passphrase) {
        /** Never shows the passphrase. */
        @Override
        public String toString() {
            return "LayerSpec[" + format + "]";
        }
    }

    /**
     * Loads an encrypted image for I/O ({@code rbd_encryption_load}): the returned view reads and
     * writes plaintext through AES-XTS, and owns {@code image} (closing it closes the image).
     * On a Reef or later cluster a clone loads its ancestors' encryption with the same spec
     * ({@link #load(Image, List)} with one spec).
     *
     * @param image the image
     * @param format LUKS1 or LUKS2 (the header must be that version), or LUKS for either
     * @param passphrase the passphrase bytes (zeroed on return)
     * @return the decrypted view
     * @throws LuksException.WrongPassphraseException (EPERM) when no key slot opens
     * @throws LuksException.NotEncryptedException (EINVAL) when there is no such LUKS header
     * @throws LuksException ENOTSUP for a cipher other than aes-xts-plain64, EINVAL for a
     *         damaged header or one whose data offset the image cannot hold
     */
    public static EncryptedImage load(Image image, EncryptionFormat format, byte[] passphrase) {
        return load(image, List.of(new LayerSpec(format, passphrase)));
    }

    /**
     * Loads the encryption of an image and of its ancestors, one spec per layer
     * ({@code rbd_encryption_load2}, Reef on): {@code specs[0]} opens the image's own header,
     * {@code specs[1]} its parent's, and so on. Ancestors past the last spec are tried with the
     * last spec again, and one that has no LUKS header at all is taken as plaintext (and its
     * ancestors with it), as librbd does. Where a clone was formatted with its own key (the
     * clone magic, {@link CloneMagic}), the data it still reads through its parent is the
     * parent's plaintext, at the same offset of the decrypted images (so at the parent's own data
     * offset underneath), re-encrypted under the clone's key: reads see it, and a write's copy-up
     * stores it so.
     *
     * <p>On Pacific (and for images that are not format 2 RBD images) only the image's own
     * header counts, as Pacific's {@code rbd_encryption_load} reads it: a clone without its own
     * header reads its parent's, and a header with the clone magic is no LUKS header.
     *
     * @param image the image
     * @param specs the layers' specs, the image's first (each passphrase zeroed on return)
     * @return the decrypted view of the image, which closes the ancestors' layers with it
     * @throws LuksException EINVAL for no spec, or more specs than the image has layers;
     *         EOPNOTSUPP for more than one spec on Pacific; what {@link #load(Image,
     *         EncryptionFormat, byte[])} throws for any layer
     */
    public static EncryptedImage load(Image image, List<LayerSpec> specs) {
        List<EncryptedImage> layers = new ArrayList<>();
        boolean done = false;
        try {
            if (specs == null || specs.isEmpty()) {
                throw new LuksException(-22, "no encryption spec to load");
            }
            if (image instanceof EncryptedImage) {
                throw new LuksException(-17, "image " + image.name() + " is already loaded with encryption");
            }
            org.jceph.rbd.RbdImage rbd = image instanceof org.jceph.rbd.RbdImage r ? r : null;
            if (rbd == null || rbd.clusterRelease() < RELEASE_REEF) {
                if (specs.size() > 1) {
                    throw new LuksException(rbd == null ? -22 : -95, rbd == null
                            ? "got " + specs.size() + " encryption specs to load, but image " + image.name()
                                    + " has no ancestors"
                            : "loading an encryption spec per layer needs Reef or later");
                }
                EncryptedImage e = loadLayer(image, specs.get(0).format(), specs.get(0).passphrase(), false, true);
                done = true;
                return e;
            }
            List<org.jceph.rbd.RbdImage> chain = ancestry(rbd);
            for (int i = 0; i < chain.size(); i++) {
                boolean reused = i >= specs.size();
                LayerSpec spec = specs.get(Math.min(i, specs.size() - 1));
                org.jceph.rbd.RbdImage img = chain.get(i);
                byte[] pass = spec.passphrase().clone();
                try {
                    layers.add(loadLayer(img, spec.format(), pass, img.parent() != null, i == 0));
                } catch (LuksException.NotEncryptedException e) {
                    if (reused && probeMagic(img) == 0) {
                        break; // librbd: an ancestor the reused spec finds no header in is plaintext
                    }
                    throw e;
                }
            }
            if (specs.size() > chain.size()) {
                throw new LuksException(-22, "got " + specs.size() + " encryption specs to load, but image "
                        + image.name() + " has " + (chain.size() - 1) + " ancestors");
            }
            EncryptedImage top = layers.get(0);
            for (int i = 0; i + 1 < chain.size() && i < layers.size(); i++) {
                EncryptedImage mine = layers.get(i);
                EncryptedImage up = i + 1 < layers.size() ? layers.get(i + 1) : null;
                if (mine.sameCrypto(up)) {
                    continue; // a clone without its own header: the parent's bytes are already ours
                }
                org.jceph.rbd.RbdImage img = chain.get(i);
                img.parentView(new LayeredParentView(img, mine, up, chain.get(i + 1)));
                top.onClose(() -> img.parentView(null));
            }
            for (int i = 1; i < layers.size(); i++) {
                top.onClose(layers.get(i)::close);
            }
            done = true;
            return top;
        } finally {
            if (specs != null) {
                for (LayerSpec s : specs) {
                    if (s != null && s.passphrase() != null) {
                        Arrays.fill(s.passphrase(), (byte) 0);
                    }
                }
            }
            if (!done) {
                for (int i = 0; i < layers.size(); i++) {
                    layers.get(i).discardKey(); // the caller's image stays open, the ancestors are the clone's
                }
            }
        }
    }

    /** The image and its clone parents, nearest first (a migration source ends the chain). */
    private static List<org.jceph.rbd.RbdImage> ancestry(org.jceph.rbd.RbdImage image) {
        List<org.jceph.rbd.RbdImage> chain = new ArrayList<>();
        for (org.jceph.rbd.RbdImage cur = image; cur != null; ) {
            chain.add(cur);
            org.jceph.rbd.RbdImage.Parent p = cur.parent();
            cur = p == null || p.image() == null || p.isMigrationSource() ? null : p.image();
            if (chain.size() > MAX_LAYERS) {
                throw new LuksException(-22, "image " + image.name() + " has more than " + MAX_LAYERS + " layers");
            }
        }
        return chain;
    }

    /** Bound of the layers a chain load walks (librbd's clone depth is bounded likewise). */
    static final int MAX_LAYERS = 64;

    /** The LUKS version at offset 0, or -1 for the clone magic, 0 for neither. */
    private static int probeMagic(Image image) {
        byte[] head = await(image.readAsync(0, (int) Math.min(8, image.size())), "reading the LUKS header");
        return CloneMagic.isClone(head) ? -1 : LuksHeader.probe(head);
    }

    /** One layer: the header at offset 0 of {@code image}, opened by the passphrase (zeroed on return). */
    private static EncryptedImage loadLayer(Image image, EncryptionFormat format, byte[] passphrase,
            boolean cloneMagic, boolean owns) {
        byte[] key = null;
        try {
            LuksHeader h = readHeader(image, format, cloneMagic);
            if (!"aes".equals(h.cipher())) {
                throw new LuksException(-95, "unsupported cipher: " + h.cipher());
            }
            if (!"xts-plain64".equals(h.cipherMode())) {
                throw new LuksException(-95, "unsupported cipher mode: " + h.cipherMode());
            }
            if (h.keyBytes() != 32 && h.keyBytes() != 64) {
                throw new LuksException(-95, "unsupported key size: " + h.keyBytes());
            }
            long size = image.size();
            if (h.dataOffset() > size || h.dataOffset() % h.sectorSize() != 0) {
                throw new LuksException(-22, "image is too small or misaligned for data offset " + h.dataOffset());
            }
            if (h.dataOffset() % (1L << image.order()) != 0) {
                throw new LuksException(-22, "incompatible layout, data offset " + h.dataOffset());
            }
            key = h.unlock(passphrase, (off, len) -> {
                if (off < 0 || off + len > h.dataOffset() || off + len > size) {
                    throw new LuksException(-22, "LUKS key slot area " + off + "+" + len + " outside the header");
                }
                return await(image.readAsync(off, len), "reading a LUKS key slot");
            });
            return new EncryptedImage(image, new AesXts(key), h.dataOffset(), h.sectorSize(), h.version(), owns);
        } finally {
            Arrays.fill(passphrase, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /**
     * The LUKS version at the start of an image, without a passphrase.
     *
     * @param image the image
     * @return 1, 2, or 0 when the image does not start with a LUKS header
     */
    public static int probe(Image image) {
        int len = (int) Math.min(4096, image.size());
        return LuksHeader.probe(await(image.readAsync(0, len), "reading the LUKS header"));
    }

    private static LuksHeader readHeader(Image image, EncryptionFormat format, boolean cloneMagic) {
        long size = image.size();
        byte[] head = await(image.readAsync(0, (int) Math.min(size, 2 * Luks2Header.DEFAULT_HDR_SIZE)),
                "reading the LUKS header");
        boolean clone = cloneMagic && CloneMagic.isClone(head);
        if (clone) {
            // a clone's own header (Reef on): put the LUKS magic back, which its checksum covers
            if (head.length >= 8 && head[6] == 0 && head[7] == 2) {
                long hdr = Luks2Header.headerSize(head);
                if (hdr > 0 && 2 * hdr > head.length && 2 * hdr <= size) {
                    head = await(image.readAsync(0, (int) (2 * hdr)), "reading the LUKS2 header");
                }
            }
            CloneMagic.toLuks(head);
        }
        int version = LuksHeader.probe(head);
        if (version == 0 || (version != 1 && version != 2)) {
            throw new LuksException.NotEncryptedException("image " + image.name() + " has no LUKS header");
        }
        if ((format == EncryptionFormat.LUKS1 && version != 1) || (format == EncryptionFormat.LUKS2 && version != 2)) {
            throw new LuksException.NotEncryptedException("image " + image.name() + " has a LUKS" + version
                    + " header, not " + format);
        }
        if (version == 1) {
            return Luks1Header.parse(head);
        }
        long hdr = Luks2Header.headerSize(head);
        if (!clone && hdr > 0 && 2 * hdr > head.length && 2 * hdr <= size) {
            head = await(image.readAsync(0, (int) (2 * hdr)), "reading the LUKS2 header");
        }
        return Luks2Header.parse(head);
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
        try {
            return f.get(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RbdException(-4, what + ": interrupted");
        } catch (TimeoutException e) {
            throw new RbdException(-110, what + ": no answer in " + IO_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new RbdException(what + " failed", c);
        }
    }
}
