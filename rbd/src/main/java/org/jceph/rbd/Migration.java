package org.jceph.rbd;

import java.util.List;
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
 * <p>Sources with snapshots: the destination gets the source's snapshots and a snap id map
 * ({@code snap_seqs}); its snapshot views read through to the mapped source snapshots
 * ({@link #snapshotParent}). jceph's prepare deep-copies the whole image there and then (librbd
 * leaves the snapshots empty and deep-copies per object); jceph's execute of a stock-prepared
 * migration deep-copies per object, and so does a write to an object the destination does not
 * have yet (deep copy-up, as librbd's), both through {@link MigrationObjectCopier}. Import-only
 * migrations ({@link #prepareImport}) of native and raw file sources ({@link RawFileSource}) are
 * supported; qcow sources, raw sources with snapshots or http/s3 streams, format 1 sources,
 * trash/group/mirror snapshots, and deep copies (execute or copy-up) of striped destinations or
 * of raw imports that got snapshots are refused with EOPNOTSUPP.
 *
 * <p>This class holds the public operations, the cls_rbd migration calls and execute, commit,
 * abort and status (the state transitions in both headers); the parts live beside it:
 * {@link MigrationPrepare} (prepare and the import-only prepare, with their rollbacks),
 * {@link MigrationSources} (what a migrating image reads through to: the image open and snapshot
 * hooks), {@link NativeSource} (the native import-only source spec) and
 * {@link MigrationObjectCopier} (the per-object deep copy).
 */
public final class Migration {
    static final int EOPNOTSUPP = 95;

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
     * @param sourceSpec an import-only migration's source spec (the source fields are then empty,
     *     pool -1), else empty
     */
    public record Status(long sourcePoolId, String sourcePoolNamespace, String sourceImageName, String sourceImageId,
                         long destPoolId, String destPoolNamespace, String destImageName, String destImageId,
                         int state, String stateDescription, String sourceSpec) {
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

    /** Both sides, found from either image's name; {@code src} is null for an import-only migration. */
    private record Pair(Side src, Side dst) {
        boolean importOnly() {
            return src == null;
        }
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

    // ---- the RbdImage hooks (in MigrationSources) ----------------------------------------------

    /** MIGRATION-HOOK for image open: {@link MigrationSources#ioParent}. */
    static RbdImage.Parent ioParent(IoCtx io, String id, String name, long size, boolean readOnly, int depth) {
        return MigrationSources.ioParent(io, id, name, size, readOnly, depth);
    }

    /** MIGRATION-HOOK for {@link RbdImage#atSnapshot}: {@link MigrationSources#snapshotParent}. */
    static RbdImage.Parent snapshotParent(IoCtx io, String id, RbdImage.Snapshot snap) {
        return MigrationSources.snapshotParent(io, id, snap);
    }

    /** Whether destination {@code id} still reads through to its source ({@link MigrationSources#readsThrough}). */
    static boolean readsThrough(IoCtx io, String id) {
        return MigrationSources.readsThrough(io, id);
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
        MigrationPrepare.prepare(srcIo, srcName, dstIo, dstName, options);
    }

    /**
     * rbd_migration_prepare_import with a native source spec
     * ({@code {"type":"native","pool_name":...,"image_name":...,"snap_name":...}}, or
     * {@code pool_id}, {@code pool_namespace}, {@code image_id}, {@code snap_id}): a new
     * destination that reads through to the source image (at the snapshot, if named); the source
     * is left as it is (not moved to the trash, not marked) and commit does not remove it.
     *
     * <p>As librbd does, the destination takes the pool's defaults for its layout and features
     * unless the options say otherwise (not the source's), gets the source's snapshots up to
     * the named one with a snap id map, its image metadata, and a migration header with the
     * source spec (keys sorted, compact, as librbd's json_spirit writes it) and flatten set.
     * Unlike librbd, jceph copies the data here (snapshot by snapshot); execute then has nothing
     * left to copy. A raw file spec ({@code {"type":"raw","stream":{"type":"file","file_path":...}}})
     * gives a destination of the file's size that reads through to the file until execute
     * ({@link RawFileSource}). qcow, http/s3 streams and raw snapshots are refused with EOPNOTSUPP.
     *
     * @param sourceSpec the JSON source spec
     * @param dstIo the destination's pool (and namespace)
     * @param dstName the destination's name
     * @param options the destination's layout and features (null: defaults)
     * @throws RbdException with EINVAL for a malformed spec, EOPNOTSUPP for a non-native one
     * @throws RbdException.ImageExistsException when the destination name is taken
     */
    public static void prepareImport(String sourceSpec, IoCtx dstIo, String dstName, ImageCopy.Options options) {
        MigrationPrepare.prepareImport(sourceSpec, dstIo, dstName, options);
    }

    /**
     * Parses an import-only source spec: a {@link NativeSource} or a {@link RawFileSource} (not
     * opened); qcow and other formats are refused with EOPNOTSUPP, malformed JSON with EINVAL.
     *
     * @param json the spec
     * @return the source
     */
    static Object parseSource(String json) {
        Map<?, ?> m = NativeSource.specObject(json);
        Object type = m.get("type");
        if ("raw".equals(type)) {
            return RawFileSource.fromSpec(m);
        }
        return NativeSource.fromSpec(m);
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
            if (dst.snapshots().isEmpty()) {
                dst.copyUpAll(progress);
            } else {
                dst.underMaintenance(() -> {
                    MigrationObjectCopier.deepCopyObjects(dst, ProgressListener.orNone(progress));
                    return null;
                });
            }
            setBoth(p, MigrationSpec.STATE_EXECUTED);
            dst.notifyHeaderUpdate();
        }
    }

    /** The state librbd's object map check expects for the object with snap set {@code ss} at {@code snapId}. */
    static int expectedState(IoCtx.SnapSet ss, long snapId, java.util.NavigableSet<Long> imageSnaps,
            boolean fastDiff) {
        return ss == null ? org.jceph.rbd.objectmap.ObjectMap.NONEXISTENT
                : ObjectMapRebuild.stateAt(ss, snapId, imageSnaps, fastDiff);
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
        if (p.importOnly()) { // the source was never linked: it stays as it is
            notifyUpdate(p.dst);
            return;
        }
        if (get(p.src.io, p.src.id) != null) {
            remove(p.src.io, p.src.id);
        }
        if (Trash.contains(p.src.io, p.src.id)) {
            removeSnapshots(p.src);
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
        if (p.importOnly()) {
            abortImport(p, pl);
            return;
        }
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
                removeSnapshots(p.dst);
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
     * Removes an image's user snapshots (unprotecting them first), as librbd does before it
     * removes the committed source or the aborted destination.
     */
    private static void removeSnapshots(Side side) {
        try (RbdImage img = RbdImage.openById(side.io, side.id, OpenOptions.readWrite())) {
            List<RbdImage.Snapshot> snaps = img.userSnapshots();
            for (int i = snaps.size() - 1; i >= 0; i--) {
                String name = snaps.get(i).name();
                if (img.isProtected(name)) {
                    img.snapUnprotect(name);
                }
                img.snapRemove(name);
            }
        }
    }

    /** Aborts an import-only migration: the destination goes, the source was never touched. */
    private static void abortImport(Pair p, ProgressListener pl) {
        long others = p.dst.io.listWatchers(p.dst.header()).size();
        if (others > 0) {
            throw new RbdException(Errno.EBUSY.negative(), "image " + p.dst.name + " is open elsewhere: "
                    + "close it there before aborting its migration");
        }
        setState(p.dst.io, p.dst.id, MigrationSpec.STATE_ABORTING, "");
        remove(p.dst.io, p.dst.id);
        try {
            removeSnapshots(p.dst);
            RbdImage.remove(p.dst.io, p.dst.name, pl);
        } catch (RbdException.ImageNotFoundException e) {
            // already gone: an abort that failed half way
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

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
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
        if (p.importOnly()) {
            MigrationSpec s = p.dst.spec;
            return new Status(-1, "", "", "", p.dst.io.poolId(), p.dst.io.namespace(), p.dst.name, p.dst.id,
                    s.state(), s.stateDescription(), s.sourceSpec());
        }
        MigrationSpec s = p.dst.spec != null ? p.dst.spec : p.src.spec;
        return new Status(p.src.io.poolId(), p.src.io.namespace(), p.src.name, p.src.id, p.dst.io.poolId(),
                p.dst.io.namespace(), p.dst.name, p.dst.id, s.state(), s.stateDescription(), "");
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
        if (p.importOnly()) {
            setState(p.dst.io, p.dst.id, state, "");
            return;
        }
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

    static String idOrNull(IoCtx io, String name) {
        try {
            return idOf(io, name);
        } catch (RbdException.ImageNotFoundException e) {
            return null;
        }
    }

    static String idOf(IoCtx io, String name) {
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
        Side me = new Side(io, name, id, spec);
        if (spec.headerType() == MigrationSpec.TYPE_DST && !spec.sourceSpec().isEmpty()) {
            return new Pair(null, me); // import-only: the source is not linked to the migration
        }
        IoCtx other = io.forPool(spec.poolId());
        other.setNamespace(spec.poolNamespace());
        if (spec.headerType() == MigrationSpec.TYPE_DST) {
            return new Pair(new Side(other, spec.imageName(), spec.imageId(), get(other, spec.imageId())), me);
        }
        String dstId = spec.imageId();
        return new Pair(me, new Side(other, spec.imageName(), dstId, dstId.isEmpty() ? null : get(other, dstId)));
    }
}
