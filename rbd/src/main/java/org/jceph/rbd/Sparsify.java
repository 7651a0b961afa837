package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * librbd's sparsify (operation/SparsifyRequest): each data object of the image is handed to
 * the OSD's {@code rbd.sparsify} class method, which finds the runs of zeros of
 * {@code sparseSize} (aligned within the object) and punches them out, truncates a zero tail and
 * removes an object that is all zeros. Objects a clone's parent overlap covers are never
 * removed (an absent object would read the parent's bytes again), only punched; objects the
 * object map says do not exist are skipped, and after a possible removal the map records
 * whether the object is still there. Writes carry the image's snapshot context, so the OSD keeps
 * the snapshots' copies intact.
 */
public final class Sparsify {
    /** The default run size, as rbd sparsify's {@code --sparse-size}: 4 KiB. */
    public static final long DEFAULT_SPARSE_SIZE = 4096;
    /** How many objects are worked on at once (librbd's rbd_concurrent_management_ops). */
    private static final int CONCURRENCY = 10;
    private static final int EINVAL = 22;

    private Sparsify() {
    }

    /**
     * Checks a sparse size as the rbd tool and librbd do: a power of two from 4 KiB up to the
     * object size.
     *
     * @param sparseSize the run size in bytes
     * @param objectSize the image's object size
     * @throws RbdException with EINVAL when it is not acceptable
     */
    public static void checkSparseSize(long sparseSize, long objectSize) {
        if (sparseSize < 4096 || Long.bitCount(sparseSize) != 1) {
            throw new RbdException(EINVAL, "sparse size should be power of two not less than 4096");
        }
        if (sparseSize > objectSize) {
            throw new RbdException(EINVAL, "sparse size " + sparseSize + " is larger than the object size "
                    + objectSize);
        }
    }

    /**
     * Sparsifies an image open for writing.
     *
     * @param img the image (HEAD, writable)
     * @param sparseSize the zero-run size: a power of two, at least 4 KiB
     * @throws RbdException with EINVAL for a bad sparse size, or the OSD's error
     */
    public static void sparsify(RbdImage img, long sparseSize) {
        sparsify(img, sparseSize, ProgressListener.NONE);
    }

    /**
     * {@link #sparsify(RbdImage, long)} with progress (librbd's
     * {@code rbd_sparsify_with_progress}): object {@code n} of {@code N} reported as it is
     * reached.
     *
     * @param img the image (HEAD, writable)
     * @param sparseSize the zero-run size: a power of two, at least 4 KiB
     * @param progress told of each object (null: nobody)
     */
    public static void sparsify(RbdImage img, long sparseSize, ProgressListener progress) {
        if (img.readOnly()) {
            throw new RbdException("image " + img.name() + " is open read-only");
        }
        checkSparseSize(sparseSize, img.layout().objectSize());
        img.underMaintenance(() -> {
            run(img, sparseSize, ProgressListener.orNone(progress));
            return null;
        });
    }

    private static void run(RbdImage img, long sparseSize, ProgressListener progress) {
        long objects = RbdImage.objectCountFor(img.layout(), img.size());
        RbdImage.Parent parent = img.parent();
        long overlapObjects = parent == null || parent.overlap() <= 0 ? 0
                : RbdImage.objectCountFor(img.layout(), parent.overlap());
        IoCtx io = img.dataIo();
        List<Long> window = new ArrayList<>();
        for (long n = 0; n < objects; n++) {
            progress.update(n, objects);
            if (img.objectMapStateOf(n) == ObjectMap.NONEXISTENT) {
                continue; // the map says it is not there (librbd skips it too)
            }
            window.add(n);
            if (window.size() >= CONCURRENCY) {
                batch(img, io, window, sparseSize, overlapObjects);
                window.clear();
            }
        }
        batch(img, io, window, sparseSize, overlapObjects);
    }

    /**
     * Sparsifies a few objects at once. The object map (a blocking update) is marked PENDING for
     * those that may go before, and EXISTS or NONEXISTENT after, on the caller's thread.
     */
    private static void batch(RbdImage img, IoCtx io, List<Long> objects, long sparseSize, long overlapObjects) {
        List<CompletableFuture<Void>> ops = new ArrayList<>();
        List<Long> mayGo = new ArrayList<>();
        for (long n : objects) {
            boolean removeEmpty = n >= overlapObjects;
            if (removeEmpty && img.objectMapStateOf(n) >= 0) {
                img.objectMapSet(n, ObjectMap.PENDING);
                mayGo.add(n);
            }
            ops.add(one(io, RbdImage.dataObjectName(img.objectPrefix(), n), sparseSize, removeEmpty));
        }
        RbdImage.awaitIo(CompletableFuture.allOf(ops.toArray(CompletableFuture[]::new)),
                "sparsify of image " + img.name());
        for (long n : mayGo) {
            boolean exists = io.statOrNull(RbdImage.dataObjectName(img.objectPrefix(), n)) != null;
            img.objectMapSet(n, exists ? ObjectMap.EXISTS : ObjectMap.NONEXISTENT);
        }
    }

    /** The class method's input: the run size (u64) and whether an all-zero object goes (bool). */
    static byte[] input(long sparseSize, boolean removeEmpty) {
        return CephEncoder.toBytes(e -> e.writeU64Le(sparseSize).writeBool(removeEmpty));
    }

    private static CompletableFuture<Void> one(IoCtx io, String oid, long sparseSize, boolean removeEmpty) {
        IoCtx.Operation op = new IoCtx.Operation().exec("rbd", "sparsify", input(sparseSize, removeEmpty));
        return io.operateAsync(oid, op).<Void>thenApply(r -> null).exceptionallyCompose(err -> {
            Throwable c = RadosException.unwrap(err);
            return c instanceof RadosException.ObjectNotFoundException ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(c);
        });
    }
}
