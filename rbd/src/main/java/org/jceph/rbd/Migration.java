package org.jceph.rbd;

import java.util.Map;
import org.jceph.encoding.CephDecoder;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * librbd's live image migration (rbd_migration_prepare/execute/commit/abort/status, and the
 * {@code rbd migration} commands), interoperable with Pacific's librbd: either side can prepare
 * and the other execute, commit or abort.
 *
 * <p>What the cluster holds while an image migrates, as librbd leaves it:
 * <ul>
 *   <li>The source is moved to its pool's trash with source "migration" (so {@code rbd ls} no
 *       longer lists it; {@code rbd trash ls --all} does), its header gets the {@code migrating}
 *       feature and a {@link MigrationSpec} of type source naming the destination.</li>
 *   <li>The destination is a new image (any pool; its layout and features from the options, else
 *       the source's; a clone of the source's parent snapshot when the source is a clone, unless
 *       flattening), with the source's image metadata, the {@code migrating} feature and a spec of
 *       type destination naming the source, whose {@code overlap} is the source's size.</li>
 *   <li>Until the migration is executed, the destination reads through to the source (at its
 *       head) for objects it does not have and copies them up before writing, exactly like a
 *       clone with its parent ({@link RbdImage.Parent#isMigrationSource()}).</li>
 *   <li>Execute copies every remaining object up (states prepared, executing, executed, in both
 *       headers); commit drops the destination's migration header and removes the source from the
 *       trash; abort removes the destination and restores the source under its old name.</li>
 * </ul>
 *
 * <p>Not done here (refused with EOPNOTSUPP): sources with snapshots, import-only migrations
 * (a source spec instead of a source image) and format 1 sources.
 */
public final class Migration {
    private static final int EOPNOTSUPP = 95;

    private Migration() {
    }

    /**
     * librbd's image_migration_status_t.
     *
     * @param sourcePoolId the source's pool
     * @param sourcePoolNamespace its namespace
     * @param sourceImageName its name
     * @param sourceImageId its id
     * @param destPoolId the destination's pool
     * @param destPoolNamespace its namespace
     * @param destImageName its name
     * @param destImageId its id
     * @param state one of {@link MigrationSpec}'s {@code STATE_} constants
     * @param stateDescription its description
     */
    public record Status(long sourcePoolId, String sourcePoolNamespace, String sourceImageName, String sourceImageId,
                         long destPoolId, String destPoolNamespace, String destImageName, String destImageId,
                         int state, String stateDescription) {
        /**
         * The state as {@code rbd status} prints it: Pacific's rbd_migration_status maps no
         * "aborting" (a half-done abort reads "unknown").
         *
         * @return "prepared", "executed", ...
         */
        public String stateName() {
            return state == MigrationSpec.STATE_ABORTING ? "unknown" : MigrationSpec.stateName(state);
        }
    }

    /** One side of a migration: where its header is and what it says. */
    private record Side(IoCtx io, String name, String id, MigrationSpec spec) {
        String header() {
            return "rbd_header." + id;
        }
    }

    /** Both sides, found from either image's name. */
    private record Pair(Side src, Side dst) {
    }

    // ---- cls_rbd calls -------------------------------------------------------------------------

    /**
     * The migration header of image {@code imageId} (cls_rbd migration_get), or null when it has
     * none.
     *
     * @param io the image's pool
     * @param imageId its id
     * @return the spec, or null
     */
    public static MigrationSpec get(IoCtx io, String imageId) {
        try {
            return MigrationSpec.decode(io.exec("rbd_header." + imageId, "rbd", "migration_get", new byte[0]));
        } catch (RadosException.ObjectNotFoundException e) {
            return null;
        }
    }

    /** cls_rbd migration_set: stores the spec and sets the migrating feature. */
    static void set(IoCtx io, String imageId, MigrationSpec spec) {
        io.exec("rbd_header." + imageId, "rbd", "migration_set", spec.toBytes());
    }

    /** cls_rbd migration_set_state: u8 state, string description. */
    static void setState(IoCtx io, String imageId, int state, String description) {
        io.exec("rbd_header." + imageId, "rbd", "migration_set_state",
                RbdImage.encode(e -> e.writeU8(state).writeString(description)));
    }

    /** cls_rbd migration_remove: drops the spec and the migrating feature. */
    static void remove(IoCtx io, String imageId) {
        io.exec("rbd_header." + imageId, "rbd", "migration_remove", new byte[0]);
    }

    // ---- the RbdImage hook ---------------------------------------------------------------------

    /**
     * What a migrating image reads through to, as librbd's refresh decides it: a destination not
     * yet executed reads through to its source (opened read-only at its head); a source opens
     * read-only only (as the source of its own clone parent, if any); otherwise the image's own
     * parent.
     */
    static RbdImage.Parent ioParent(IoCtx io, String id, String name, long size, boolean readOnly, int depth) {
        String header = "rbd_header." + id;
        MigrationSpec spec = get(io, id);
        if (spec == null) { // the feature without a header: librbd treats it as not migrating
            return ImageOpen.loadParent(io, header, RbdImage.NOSNAP_ID, depth);
        }
        if (spec.headerType() == MigrationSpec.TYPE_SRC) {
            if (!readOnly) {
                throw new RbdException(Errno.EROFS.negative(), "image " + name + " is being migrated to "
                        + spec.imageName() + ": it opens read-only only");
            }
            return ImageOpen.loadParent(io, header, RbdImage.NOSNAP_ID, depth);
        }
        if (!spec.sourceSpec().isEmpty()) {
            throw new RbdException(EOPNOTSUPP, "image " + name + " is the destination of an import-only migration: "
                    + "jceph cannot read its source");
        }
        switch (spec.state()) {
            case MigrationSpec.STATE_PREPARED, MigrationSpec.STATE_EXECUTING -> {
            }
            case MigrationSpec.STATE_ABORTING -> {
                if (!readOnly) {
                    throw new RbdException(Errno.EROFS.negative(), "the migration of image " + name
                            + " is being aborted");
                }
            }
            case MigrationSpec.STATE_EXECUTED -> {
                return ImageOpen.loadParent(io, header, RbdImage.NOSNAP_ID, depth);
            }
            default -> throw new RbdException(Errno.EBUSY.negative(), "image " + name + " is in migration state "
                    + MigrationSpec.stateName(spec.state()));
        }
        IoCtx sio = io.forPool(spec.poolId());
        sio.setNamespace(spec.poolNamespace());
        RbdImage source = RbdImage.openWithId(sio, spec.imageName(), spec.imageId(), true,
                RbdImage.DEFAULT_LOCK_TIMEOUT, depth + 1);
        return new RbdImage.Parent(spec.poolId(), spec.poolNamespace(), spec.imageId(), RbdImage.NOSNAP_ID,
                Math.min(size, spec.overlap()), source);
    }

    /**
     * Whether destination {@code id} still reads through to its source: its header says prepared,
     * executing or aborting (RbdImage's refresh drops the source otherwise).
     */
    static boolean readsThrough(IoCtx io, String id) {
        MigrationSpec spec = get(io, id);
        return spec != null && spec.headerType() == MigrationSpec.TYPE_DST
                && (spec.state() == MigrationSpec.STATE_PREPARED || spec.state() == MigrationSpec.STATE_EXECUTING
                || spec.state() == MigrationSpec.STATE_ABORTING);
    }

    // ---- the operations ------------------------------------------------------------------------

    /**
     * rbd_migration_prepare: links a new destination image that reads through to the source and
     * moves the source to the trash (source "migration").
     *
     * @param srcIo the source's pool (and namespace)
     * @param srcName the source image
     * @param dstIo the destination's pool (and namespace)
     * @param dstName the destination's name (may be the source's, in the same pool)
     * @param options the destination's layout and features (null: the source's) and flatten
     * @throws RbdException.ImageNotFoundException when there is no such source
     * @throws RbdException.ImageExistsException when the destination name is taken
     */
    public static void prepare(IoCtx srcIo, String srcName, IoCtx dstIo, String dstName, ImageCopy.Options options) {
        java.util.Objects.requireNonNull(srcIo, "srcIo");
        java.util.Objects.requireNonNull(srcName, "srcName");
        java.util.Objects.requireNonNull(dstIo, "dstIo");
        String dstImage = dstName == null || dstName.isEmpty() ? srcName : dstName;
        ImageCopy.Options o = options == null ? new ImageCopy.Options() : options;
        boolean samePlace = srcIo.poolId() == dstIo.poolId() && srcIo.namespace().equals(dstIo.namespace());
        String srcId;
        long size;
        try (RbdImage src = RbdImage.open(srcIo, srcName, true)) {
            if ((src.features() & RbdFeatures.MIGRATING) != 0) {
                throw new RbdException(Errno.EBUSY.negative(), "image " + srcName + " is already being migrated");
            }
            if (!src.snapshots().isEmpty()) {
                throw new RbdException(EOPNOTSUPP, "image " + srcName + " has snapshots: jceph does not migrate "
                        + "snapshots yet");
            }
            srcId = src.id();
            size = src.size();
            if (!samePlace || !dstImage.equals(srcName)) {
                // fail before touching the source, as librbd's create would after it
                if (dstIo.statOrNull("rbd_id." + dstImage) != null) {
                    throw new RbdException.ImageExistsException("image " + dstImage + " already exists in pool "
                            + dstIo.poolName());
                }
            }
        }
        Trash.move(srcIo, srcName, null, Trash.SOURCE_MIGRATION);
        String dstId = null;
        boolean srcMarked = false;
        try {
            try (RbdImage src = RbdImage.openWithId(srcIo, srcName, srcId, true, RbdImage.DEFAULT_LOCK_TIMEOUT, 0)) {
                RbdImage.Parent parent = src.parent();
                if (parent != null && !o.flattening()) {
                    ImageCopy.cloneFrom(src, parent, dstIo, dstImage, o);
                } else {
                    ImageCopy.create(src, dstIo, dstImage, o, size, src.features());
                }
                dstId = idOf(dstIo, dstImage);
                try (RbdImage dst = RbdImage.openWithId(dstIo, dstImage, dstId, false, RbdImage.DEFAULT_LOCK_TIMEOUT,
                        0)) {
                    if (dst.size() != size) {
                        dst.resize(size);
                    }
                    ImageCopy.copyMetadata(src, dst);
                }
            }
            // cls migration_set refuses a second set, so the source is marked once its destination
            // has an id (librbd picks the id first and marks the source before creating it)
            set(srcIo, srcId, new MigrationSpec(MigrationSpec.TYPE_SRC, dstIo.poolId(), dstIo.namespace(), dstImage,
                    dstId, "", Map.of(), 0, o.flattening(), false, 0, MigrationSpec.STATE_PREPARING, ""));
            srcMarked = true;
            set(dstIo, dstId, new MigrationSpec(MigrationSpec.TYPE_DST, srcIo.poolId(), srcIo.namespace(), srcName,
                    srcId, "", Map.of(), size, o.flattening(), false, 0, MigrationSpec.STATE_PREPARING, ""));
            setState(srcIo, srcId, MigrationSpec.STATE_PREPARED, "");
            setState(dstIo, dstId, MigrationSpec.STATE_PREPARED, "");
        } catch (RuntimeException e) {
            rollBackPrepare(srcIo, srcId, srcMarked, dstIo, dstImage, dstId, e);
            throw e;
        }
    }

    /** Undoes a failed prepare: the destination removed, the source linked again and unmarked. */
    private static void rollBackPrepare(IoCtx srcIo, String srcId, boolean srcMarked, IoCtx dstIo, String dstName,
            String dstId, RuntimeException failure) {
        try {
            if (dstId != null) {
                if (get(dstIo, dstId) != null) {
                    remove(dstIo, dstId);
                }
                RbdImage.remove(dstIo, dstName);
            }
            Trash.restore(srcIo, srcId, null, true);
            if (srcMarked) {
                remove(srcIo, srcId);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * rbd_migration_execute: copies every object the destination still reads from the source.
     *
     * @param io the pool of {@code name}
     * @param name the destination (or the source, if it is still linked)
     */
    public static void execute(IoCtx io, String name) {
        execute(io, name, ProgressListener.NONE);
    }

    /**
     * rbd_migration_execute_with_progress.
     *
     * @param io the pool of {@code name}
     * @param name the destination
     * @param progress told of each object copied
     */
    public static void execute(IoCtx io, String name, ProgressListener progress) {
        Pair p = pair(io, name);
        int state = p.dst.spec.state();
        if (state != MigrationSpec.STATE_PREPARED && state != MigrationSpec.STATE_EXECUTING) {
            throw new RbdException(Errno.EINVAL.negative(), "the migration of " + name + " is "
                    + MigrationSpec.stateName(state) + ", not prepared");
        }
        setBoth(p, MigrationSpec.STATE_EXECUTING);
        try (RbdImage dst = RbdImage.openWithId(p.dst.io, p.dst.name, p.dst.id, false, RbdImage.DEFAULT_LOCK_TIMEOUT,
                0)) {
            dst.copyUpAll(progress);
            setBoth(p, MigrationSpec.STATE_EXECUTED);
            dst.notifyHeaderUpdate();
        }
    }

    /**
     * rbd_migration_commit: the destination stands alone; the source is removed from the trash.
     *
     * @param io the pool of {@code name}
     * @param name the destination
     */
    public static void commit(IoCtx io, String name) {
        commit(io, name, ProgressListener.NONE);
    }

    /**
     * rbd_migration_commit_with_progress.
     *
     * @param io the pool of {@code name}
     * @param name the destination
     * @param progress told of each source object removed
     */
    public static void commit(IoCtx io, String name, ProgressListener progress) {
        Pair p = pair(io, name);
        if (p.dst.spec.state() != MigrationSpec.STATE_EXECUTED) {
            throw new RbdException(Errno.EINVAL.negative(), "the migration of " + name + " is "
                    + MigrationSpec.stateName(p.dst.spec.state()) + ", not executed");
        }
        remove(p.dst.io, p.dst.id);
        if (get(p.src.io, p.src.id) != null) {
            remove(p.src.io, p.src.id);
        }
        if (Trash.contains(p.src.io, p.src.id)) {
            Trash.remove(p.src.io, p.src.id, true, progress);
        }
        notifyUpdate(p.dst);
    }

    /**
     * rbd_migration_abort: removes the destination (whatever was written to it) and links the
     * source again under its old name.
     *
     * @param io the pool of {@code name}
     * @param name the destination
     */
    public static void abort(IoCtx io, String name) {
        abort(io, name, ProgressListener.NONE);
    }

    /**
     * rbd_migration_abort_with_progress.
     *
     * @param io the pool of {@code name}
     * @param name the destination
     * @param progress told of each destination object removed
     */
    public static void abort(IoCtx io, String name, ProgressListener progress) {
        ProgressListener pl = ProgressListener.orNone(progress);
        Pair p = pair(io, name);
        boolean dstThere = p.dst.spec != null;
        boolean srcMarked = p.src.spec != null;
        if (dstThere) {
            long others = p.dst.io.listWatchers(p.dst.header()).size();
            if (others > 0) { // librbd: "image has watchers - cannot abort migration"
                throw new RbdException(Errno.EBUSY.negative(), "image " + p.dst.name + " is open elsewhere: "
                        + "close it there before aborting its migration");
            }
            if (srcMarked) {
                setState(p.src.io, p.src.id, MigrationSpec.STATE_ABORTING, "");
            }
            setState(p.dst.io, p.dst.id, MigrationSpec.STATE_ABORTING, "");
        }
        // librbd's two steps: the destination's HEAD copied back to the source, then its removal
        ProgressListener first = (done, total) -> pl.update(done, 2 * total);
        ProgressListener second = (done, total) -> pl.update(total + done, 2 * total);
        if (srcMarked) {
            remove(p.src.io, p.src.id); // the source takes writes again (librbd opens it ignoring the header)
        }
        if (dstThere) {
            revertData(p, first);
            remove(p.dst.io, p.dst.id);
            try {
                RbdImage.remove(p.dst.io, p.dst.name, second);
            } catch (RbdException.ImageNotFoundException e) {
                // already gone: an abort that failed half way
            }
        }
        if (Trash.contains(p.src.io, p.src.id)) {
            Trash.restore(p.src.io, p.src.id, p.src.name, true);
        }
    }

    /**
     * Copies what the destination holds back into the source (librbd's revert_data): every
     * object the destination has (written or copied up while prepared) is read through the
     * destination and written to the source at the same image range, so writes made during the
     * migration survive the abort.
     */
    private static void revertData(Pair p, ProgressListener progress) {
        try (RbdImage dst = RbdImage.openWithId(p.dst.io, p.dst.name, p.dst.id, true, RbdImage.DEFAULT_LOCK_TIMEOUT,
                0);
             RbdImage src = RbdImage.openWithId(p.src.io, p.src.name, p.src.id, false,
                RbdImage.DEFAULT_LOCK_TIMEOUT, 0)) {
            long size = Math.min(dst.size(), src.size());
            long objectSize = dst.layout().objectSize();
            boolean contiguous = dst.layout().stripeCount() == 1;
            long objects = contiguous ? (size + objectSize - 1) / objectSize : 1;
            for (long n = 0; n < objects; n++) {
                progress.update(n, objects);
                long start = contiguous ? n * objectSize : 0;
                long len = contiguous ? Math.min(objectSize, size - start) : size;
                if (contiguous && dst.dataIo().statOrNull(RbdImage.dataObjectName(dst.objectPrefix(), n)) == null) {
                    continue; // still only on the source
                }
                for (long off = start; off < start + len; off += CHUNK) {
                    int l = (int) Math.min(CHUNK, start + len - off);
                    byte[] data = await(dst.readAsync(off, l));
                    await(src.writeAsync(off, data));
                }
            }
            src.flush();
            progress.update(objects, objects);
        }
    }

    private static final int CHUNK = 4 << 20;

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(RbdImage.DEFAULT_LOCK_TIMEOUT.toSeconds() + 60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RbdException("interrupted while reverting migrated data");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new RbdException("reverting migrated data failed: " + c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RbdException(Errno.ETIMEDOUT.negative(), "reverting migrated data timed out");
        }
    }

    /**
     * rbd_migration_status.
     *
     * @param io the pool of {@code name}
     * @param name either image of a migration
     * @return both sides and the state
     * @throws RbdException with EINVAL when the image is not migrating
     */
    public static Status status(IoCtx io, String name) {
        Pair p = pair(io, name);
        MigrationSpec s = p.dst.spec != null ? p.dst.spec : p.src.spec;
        return new Status(p.src.io.poolId(), p.src.io.namespace(), p.src.name, p.src.id, p.dst.io.poolId(),
                p.dst.io.namespace(), p.dst.name, p.dst.id, s.state(), s.stateDescription());
    }

    /**
     * The migration status of an open image, or null when it is not migrating (rbd status).
     *
     * @param image an open image
     * @return its migration's status, or null
     */
    public static Status statusOf(RbdImage image) {
        if ((image.features() & RbdFeatures.MIGRATING) == 0) {
            return null;
        }
        return status(image.metadataIo(), image.name());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void setBoth(Pair p, int state) {
        if (p.src.spec == null || p.dst.spec == null) {
            throw new RbdException(Errno.EINVAL.negative(), "the migration of " + p.dst.name + " was half aborted: "
                    + "abort it again");
        }
        setState(p.src.io, p.src.id, state, "");
        setState(p.dst.io, p.dst.id, state, "");
    }

    /** Tells the image's watchers to re-read its header (best effort, as librbd). */
    private static void notifyUpdate(Side s) {
        try {
            s.io.notify(s.header(), org.jceph.rbd.lock.WatchNotifyMessages.headerUpdate(), 5);
        } catch (RadosException e) {
            // watchers re-read the header on their next refresh anyway
        }
    }

    private static String idOf(IoCtx io, String name) {
        try {
            return CephDecoder.of(io.exec("rbd_id." + name, "rbd", "get_id", new byte[0]), "get_id").readString();
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.ImageNotFoundException(name, io.poolName());
        }
    }

    /** Both sides of the migration {@code name} takes part in. */
    private static Pair pair(IoCtx io, String name) {
        String id = idOf(io, name);
        long features = CephDecoder.of(io.exec("rbd_header." + id, "rbd", "get_features",
                RbdImage.encode(e -> e.writeU64Le(RbdImage.NOSNAP_ID).writeBool(true))), "get_features").readU64Le();
        MigrationSpec spec = (features & RbdFeatures.MIGRATING) == 0 ? null : get(io, id);
        if (spec == null) {
            throw new RbdException(Errno.EINVAL.negative(), "image " + name + " is not migrating");
        }
        IoCtx other = io.forPool(spec.poolId());
        other.setNamespace(spec.poolNamespace());
        Side me = new Side(io, name, id, spec);
        if (spec.headerType() == MigrationSpec.TYPE_DST) {
            if (!spec.sourceSpec().isEmpty()) {
                throw new RbdException(EOPNOTSUPP, "image " + name + " is the destination of an import-only "
                        + "migration: jceph does not run those");
            }
            return new Pair(new Side(other, spec.imageName(), spec.imageId(), get(other, spec.imageId())), me);
        }
        String dstId = spec.imageId();
        return new Pair(me, new Side(other, spec.imageName(), dstId, dstId.isEmpty() ? null : get(other, dstId)));
    }
}
