package org.jceph.rbd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.rados.IoCtx;

/**
 * librbd's image copies: {@link #copy} (rbd_copy3, {@code rbd cp}) and {@link #deepCopy}
 * (rbd_deep_copy, {@code rbd deep cp}).
 *
 * <p>A copy creates the destination with the source's size, order, striping and features
 * unless {@link Options} says otherwise, then writes the data the source (HEAD or the snapshot
 * it is open at) reads, a clone's parent data included, skipping every run of
 * {@code sparseSize} zero bytes (so all-zero objects are never created), and copies the image
 * metadata. Snapshots are not copied.
 *
 * <p>A deep copy keeps the snapshots: the destination is created the same way, but as a clone
 * of the same parent snapshot when the source is a clone (the oldest snapshot's parent, as
 * librbd takes it; unless {@link Options#flatten}), and then, snapshot by snapshot in id order
 * up to the one the source is open at (or HEAD), the destination is resized to that
 * snapshot's size, the bytes that differ are written (zero runs as write-zeroes), and the
 * snapshot is taken under the same name and protected when the source's is. Image metadata
 * follows at the end.
 */
public final class ImageCopy {
    /** The chunk read and compared at a time. */
    private static final int CHUNK = 4 << 20;
    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;
    /** Features librbd never passes on to a copy: create sets them from the layout it is given. */
    private static final long IMPLICIT = RbdFeatures.STRIPINGV2 | RbdFeatures.DATA_POOL | RbdFeatures.OPERATIONS
            | RbdFeatures.MIGRATING | RbdFeatures.NON_PRIMARY;

    private ImageCopy() {
    }

    /**
     * The destination's layout and features, each defaulting to the source's when not set, and
     * the copy's own choices.
     */
    public static final class Options {
        private Integer order;
        private Long features;
        private long stripeUnit = -1;
        private long stripeCount = -1;
        private IoCtx dataPool;
        private long sparseSize = Sparsify.DEFAULT_SPARSE_SIZE;
        private boolean flatten;
        private RbdImage.CloneFormat cloneFormat;

        /** Options that take everything from the source. */
        public Options() {
        }

        /**
         * The destination's object size as log2.
         *
         * @param order 12..25
         * @return these options
         */
        public Options order(int order) {
            this.order = order;
            return this;
        }

        /**
         * The destination's features ({@link RbdFeatures}).
         *
         * @param features the bits
         * @return these options
         */
        public Options features(long features) {
            this.features = features;
            return this;
        }

        /**
         * The destination's striping.
         *
         * @param unit the stripe unit in bytes
         * @param count objects per stripe
         * @return these options
         */
        public Options striping(long unit, long count) {
            this.stripeUnit = unit;
            this.stripeCount = count;
            return this;
        }

        /**
         * A data pool for the destination's data objects.
         *
         * @param dataPool the pool
         * @return these options
         */
        public Options dataPool(IoCtx dataPool) {
            this.dataPool = dataPool;
            return this;
        }

        /**
         * The zero-run size a copy skips (rbd cp's {@code --sparse-size}; default 4 KiB).
         *
         * @param sparseSize a power of two, at least 4 KiB
         * @return these options
         */
        public Options sparseSize(long sparseSize) {
            this.sparseSize = sparseSize;
            return this;
        }

        /**
         * Deep copy only: make the destination independent of the source's parent.
         *
         * @param flatten true to copy the parent's data instead of cloning
         * @return these options
         */
        public Options flatten(boolean flatten) {
            this.flatten = flatten;
            return this;
        }

        /**
         * Import-only migrations: librbd's defaults (4 MiB objects, no striping) where no order
         * or striping was given, instead of the source's layout.
         */
        Options withDefaultLayout() {
            if (order == null) {
                order = 22;
            }
            if (stripeUnit < 0) {
                stripeUnit = 1L << order;
                stripeCount = 1;
            }
            return this;
        }

        /** Whether {@link #flatten(boolean)} was asked for (Migration reads it). */
        boolean flattening() {
            return flatten;
        }

        /**
         * Deep copy of a clone: how the destination clone registers with the parent (default:
         * v1 when the parent snapshot is protected, else v2).
         *
         * @param format the clone format
         * @return these options
         */
        public Options cloneFormat(RbdImage.CloneFormat format) {
            this.cloneFormat = format;
            return this;
        }
    }

    /**
     * Copies the data {@code src} reads (HEAD or its snapshot) into a new image.
     *
     * @param src the source, open (read-only is enough)
     * @param dstIo the destination's pool
     * @param dstName the destination's name
     * @param options layout and features (null: the source's)
     * @throws RbdException.ImageExistsException when the destination exists
     */
    public static void copy(RbdImage src, IoCtx dstIo, String dstName, Options options) {
        copy(src, dstIo, dstName, options, ProgressListener.NONE);
    }

    /**
     * {@link #copy(RbdImage, IoCtx, String, Options)} with progress (librbd's
     * {@code rbd_copy_with_progress*}): {@code (k, N)} as the k-th of the source's N objects is
     * copied, up to {@code (N, N)}.
     *
     * @param src the source, open (read-only is enough)
     * @param dstIo the destination's pool
     * @param dstName the destination's name
     * @param options layout and features (null: the source's)
     * @param progress told of each object copied (null: nobody)
     */
    public static void copy(RbdImage src, IoCtx dstIo, String dstName, Options options, ProgressListener progress) {
        Options o = options == null ? new Options() : options;
        ObjectProgress objects = new ObjectProgress(progress, src.layout(), src.size());
        Sparsify.checkSparseSize(o.sparseSize, Long.MAX_VALUE);
        create(src, dstIo, dstName, o, src.size(), src.features());
        try (RbdImage dst = RbdImage.open(dstIo, dstName, false)) {
            // whole sparse-size blocks, as librbd writes them (an object's data rounded up to one)
            long done = 0;
            for (ImageDiff.Extent e : src.diff(null, false)) {
                if (e.exists()) {
                    long from = Math.max(done, e.offset() / o.sparseSize * o.sparseSize);
                    long to = Math.min(src.size(), (e.offset() + e.length() + o.sparseSize - 1) / o.sparseSize
                            * o.sparseSize);
                    if (to > from) {
                        sync(src, dst, from, to - from, o.sparseSize, true, objects);
                        done = to;
                    }
                }
            }
            objects.finish();
            copyMetadata(src, dst);
        }
    }

    /**
     * Deep-copies {@code src}: its snapshots (up to the one it is open at) and HEAD, and a
     * clone's parent link.
     *
     * @param src the source, open (read-only is enough)
     * @param dstIo the destination's pool
     * @param dstName the destination's name
     * @param options layout, features, flatten (null: as the source)
     * @throws RbdException.ImageExistsException when the destination exists
     */
    public static void deepCopy(RbdImage src, IoCtx dstIo, String dstName, Options options) {
        deepCopy(src, dstIo, dstName, options, ProgressListener.NONE);
    }

    /**
     * {@link #deepCopy(RbdImage, IoCtx, String, Options)} with progress (librbd's
     * {@code rbd_deep_copy_with_progress}): {@code (k, N)} over the N objects of the largest
     * size copied. librbd copies object by object through every snapshot; we copy snapshot by
     * snapshot, so the counts advance while the last one (HEAD, or the snapshot the source is
     * open at) is copied.
     *
     * @param src the source, open (read-only is enough)
     * @param dstIo the destination's pool
     * @param dstName the destination's name
     * @param options layout, features, flatten (null: as the source)
     * @param progress told of each object copied (null: nobody)
     */
    public static void deepCopy(RbdImage src, IoCtx dstIo, String dstName, Options options,
                                ProgressListener progress) {
        Options o = options == null ? new Options() : options;
        long end = src.viewSnapId();
        List<RbdImage.Snapshot> snaps = new ArrayList<>();
        for (RbdImage.Snapshot s : src.userSnapshots()) {
            if (Long.compareUnsigned(s.id(), end) <= 0) {
                snaps.add(s);
            }
        }
        snaps.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        RbdImage.Parent parent = null;
        if (!o.flatten) {
            if (snaps.isEmpty()) {
                parent = src.parent();
            } else {
                try (RbdImage oldest = src.atSnapshot(snaps.get(0).name())) {
                    parent = oldest.parent();
                    if (parent != null) {
                        cloneFrom(src, parent, dstIo, dstName, o);
                    }
                }
            }
        }
        if (parent == null) {
            create(src, dstIo, dstName, o, src.size(), src.features());
        } else if (snaps.isEmpty()) {
            cloneFrom(src, parent, dstIo, dstName, o);
        }
        long largest = src.size();
        for (RbdImage.Snapshot s : snaps) {
            largest = Math.max(largest, s.size());
        }
        ObjectProgress objects = new ObjectProgress(progress, src.layout(), largest);
        try (RbdImage dst = RbdImage.open(dstIo, dstName, false)) {
            String prev = null;
            for (int i = 0; i < snaps.size(); i++) {
                RbdImage.Snapshot s = snaps.get(i);
                boolean last = end != NOSNAP && i == snaps.size() - 1;
                try (RbdImage view = src.atSnapshot(s.name())) {
                    replay(view, prev, dst, last ? objects : null);
                }
                dst.snapCreate(s.name());
                if (src.isProtected(s.name())) {
                    dst.snapProtect(s.name());
                }
                prev = s.name();
            }
            if (end == NOSNAP) {
                replay(src, prev, dst, objects);
            }
            objects.finish();
            copyMetadata(src, dst);
        }
    }

    static void cloneFrom(RbdImage src, RbdImage.Parent parent, IoCtx dstIo, String dstName, Options o) {
        RbdImage p = parent.image();
        String snapName = null;
        boolean isProtected = false;
        try (RbdImage head = RbdImage.openById(p.metadataIo(), parent.imageId(), OpenOptions.readOnlyHead())) {
            for (RbdImage.Snapshot s : head.snapshots()) {
                if (s.id() == parent.snapId()) {
                    snapName = s.name();
                }
            }
            if (snapName == null) {
                throw new RbdException("the parent snapshot " + parent.snapId() + " of " + src.name() + " is gone");
            }
            isProtected = head.isProtected(snapName);
        }
        long features = o.features != null ? o.features : src.features() & ~IMPLICIT;
        RbdImage.CloneFormat format = o.cloneFormat != null ? o.cloneFormat
                : isProtected ? RbdImage.CloneFormat.V1 : RbdImage.CloneFormat.V2;
        RbdImage.clone(p.metadataIo(), p.name(), snapName, dstIo, dstName, features, format);
    }

    /**
     * A new image with no source to take after: the options' layout (after
     * {@link Options#withDefaultLayout}) and features, else librbd's default features
     * (an import-only migration from a raw file).
     */
    static void createFresh(IoCtx dstIo, String dstName, Options o, long size) {
        o.withDefaultLayout();
        long features = o.features != null ? o.features : RbdFeatures.LIBRBD_DEFAULT;
        RbdImage.create(dstIo, dstName, size, o.order, features, o.stripeUnit, o.stripeCount, o.dataPool);
    }

    static void create(RbdImage src, IoCtx dstIo, String dstName, Options o, long size, long srcFeatures) {
        int order = o.order != null ? o.order : src.order();
        long features = o.features != null ? o.features : srcFeatures & ~IMPLICIT;
        long unit;
        long count;
        if (o.stripeUnit >= 0) {
            unit = o.stripeUnit;
            count = o.stripeCount;
        } else {
            // librbd takes the source's stripe unit and count even when the order changes: a copy
            // of a 1 MiB-object image with --object-size 2M gets striping (unit 1 MiB, count 1)
            unit = src.layout().stripeUnit();
            count = src.layout().stripeCount();
        }
        RbdImage.create(dstIo, dstName, size, order, features, unit, count, o.dataPool);
    }

    /** Brings {@code dst}'s HEAD to what {@code view} reads: size, then the bytes that differ. */
    private static void replay(RbdImage view, String prevSnap, RbdImage dst, ObjectProgress objects) {
        if (dst.size() != view.size()) {
            dst.resize(view.size());
        }
        List<ImageDiff.Extent> changed = view.diff(prevSnap, false);
        for (ImageDiff.Extent e : changed) {
            sync(view, dst, e.offset(), e.length(), Sparsify.DEFAULT_SPARSE_SIZE, false, objects);
        }
    }

    /**
     * Makes {@code dst}'s bytes in [off, off+len) equal {@code src}'s: block by block of
     * {@code sparse} bytes (aligned to image offsets), blocks already equal are left alone, zero
     * blocks become write-zeroes (none at all when {@code dstEmpty}: a new image reads zeros).
     */
    static void sync(RbdImage src, RbdImage dst, long off, long len, long sparse, boolean dstEmpty,
                     ObjectProgress objects) {
        long end = Math.min(off + len, Math.min(src.size(), dst.size()));
        long at = off;
        while (at < end) {
            long chunkEnd = Math.min(end, (at / CHUNK + 1) * CHUNK);
            int n = (int) (chunkEnd - at);
            CompletableFuture<byte[]> sf = src.readAsync(at, n);
            byte[] d = dstEmpty ? null : RbdImage.awaitIo(dst.readAsync(at, n), "read of " + dst.name());
            byte[] s = RbdImage.awaitIo(sf, "read of " + src.name());
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long[] run : runs(at, s, d, sparse)) {
                int from = (int) (run[0] - at);
                int to = from + (int) run[1];
                writes.add(run[2] == 0 ? dst.writeZeroesAsync(run[0], run[1])
                        : dst.writeAsync(run[0], Arrays.copyOfRange(s, from, to)));
            }
            RbdImage.awaitIo(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)), "copy to "
                    + dst.name());
            at = chunkEnd;
            if (objects != null) {
                objects.doneBefore(at);
            }
        }
    }

    /**
     * The runs {offset, length, 1 data / 0 zeros} to write so that {@code d} (null: zeros)
     * becomes {@code s}, both starting at image offset {@code base}, in blocks of {@code sparse}
     * aligned to image offsets; equal blocks are skipped, adjacent blocks of a kind merged.
     */
    static List<long[]> runs(long base, byte[] s, byte[] d, long sparse) {
        List<long[]> out = new ArrayList<>();
        int i = 0;
        while (i < s.length) {
            int blockEnd = (int) Math.min(s.length, ((base + i) / sparse + 1) * sparse - base);
            boolean zero = isZero(s, i, blockEnd);
            boolean same = d == null ? zero : Arrays.equals(s, i, blockEnd, d, i, blockEnd);
            if (!same) {
                int kind = zero ? 0 : 1;
                long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && last[2] == kind && last[0] + last[1] == base + i) {
                    last[1] += blockEnd - i;
                } else {
                    out.add(new long[] {base + i, blockEnd - i, kind});
                }
            }
            i = blockEnd;
        }
        return out;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static void copyMetadata(RbdImage src, RbdImage dst) {
        // verbatim, conf_ keys too: they were validated where they were set (librbd copies them the same way)
        String header = "rbd_header." + dst.id();
        src.metadataList().forEach((k, v) -> ImageMetadata.setCopied(dst.metadataIo(), header, k, v));
    }
}
