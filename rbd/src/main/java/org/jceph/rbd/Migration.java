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
 * have yet (deep copy-up, as librbd's), both through {@link ObjectCopier}. Import-only
 * migrations ({@link #prepareImport}) of native and raw file sources ({@link RawFileSource}) are
 * supported; qcow sources, raw sources with snapshots or http/s3 streams, format 1 sources,
 * trash/group/mirror snapshots, and deep copies (execute or copy-up) of striped destinations or
 * of raw imports that got snapshots are refused with EOPNOTSUPP.
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
        RbdImage.Parent raw = rawParent(spec, size);
        if (raw != null) {
            return raw;
        }
        RbdImage source = openSource(io, spec, depth, true);
        // an import at a snapshot smaller than the source's head: Pacific sizes the destination
        // (and the overlap) by the head; nothing is read past the snapshot's end
        return new RbdImage.Parent(source.metadataIo().poolId(), source.metadataIo().namespace(), source.id(),
                RbdImage.NOSNAP_ID, Math.min(Math.min(size, spec.overlap()), source.size()), source);
    }

    /**
     * MIGRATION-HOOK for {@link RbdImage#atSnapshot}: what a migrating destination's snapshot
     * reads through to, as librbd's refresh gives each snapshot a parent: a snapshot copied from
     * the source (in the header's snap id map) reads the source at that source snapshot, with the
     * snapshot's size as overlap; a snapshot taken on the destination after prepare reads the
     * source's head. Objects the destination has at that snapshot (already deep-copied) are read
     * from the destination. Not migrating (or executed): the snapshot's own clone parent.
     *
     * @param io the destination's metadata pool
     * @param id its id
     * @param snap the snapshot
     * @return the parent of the snapshot view, or null
     */
    static RbdImage.Parent snapshotParent(IoCtx io, String id, RbdImage.Snapshot snap) {
        MigrationSpec spec = get(io, id);
        if (spec == null || spec.headerType() != MigrationSpec.TYPE_DST || !readsThrough(spec)) {
            return ImageOpen.loadParent(io, "rbd_header." + id, snap.id(), 0);
        }
        Long srcSnap = null;
        for (Map.Entry<Long, Long> e : spec.snapSeqs().entrySet()) {
            if (e.getValue() == snap.id()) {
                srcSnap = e.getKey();
            }
        }
        if (srcSnap == null) {
            RbdImage.Parent raw = rawParent(spec, snap.size());
            if (raw != null) {
                return raw;
            }
            RbdImage source = openSource(io, spec, 0, true);
            return new RbdImage.Parent(source.metadataIo().poolId(), source.metadataIo().namespace(), source.id(),
                    RbdImage.NOSNAP_ID, Math.min(Math.min(snap.size(), spec.overlap()), source.size()), source);
        }
        RbdImage head = openSource(io, spec, 0, false);
        RbdImage at = head.atSnapshotId(srcSnap);
        // snap id NOSNAP in the spec marks a migration source (isMigrationSource: not shown as a
        // parent); the view itself reads the source snapshot
        return new RbdImage.Parent(head.metadataIo().poolId(), head.metadataIo().namespace(), head.id(),
                RbdImage.NOSNAP_ID, Math.min(snap.size(), at.size()), at);
    }

    /**
     * MIGRATION-HOOK: the parent of a destination whose import-only source is a raw file (opened
     * here, read-only: the file must be readable on this client, as with librbd), or null for
     * other sources.
     */
    private static RbdImage.Parent rawParent(MigrationSpec spec, long size) {
        if (spec.sourceSpec().isEmpty() || !(parseSource(spec.sourceSpec()) instanceof RawFileSource raw)) {
            return null;
        }
        raw.open();
        return RbdImage.Parent.rawSource(Math.min(Math.min(size, spec.overlap()), raw.size()), raw);
    }

    /**
     * The source of destination spec {@code spec}, read-only: a linked source image at its head,
     * or an import-only native source (at its spec's snapshot when {@code atSpecSnap}, else at
     * its head).
     */
    private static RbdImage openSource(IoCtx io, MigrationSpec spec, int depth, boolean atSpecSnap) {
        if (!spec.sourceSpec().isEmpty()) {
            if (!(parseSource(spec.sourceSpec()) instanceof NativeSource ns)) {
                throw new RbdException(EOPNOTSUPP, "the migration's raw source is read through its parent only");
            }
            return atSpecSnap ? ns.open(io, depth) : ns.openHead(io, depth);
        }
        IoCtx sio = io.forPool(spec.poolId());
        sio.setNamespace(spec.poolNamespace());
        return RbdImage.openWithId(sio, spec.imageName(), spec.imageId(), true, RbdImage.DEFAULT_LOCK_TIMEOUT,
                depth + 1);
    }

    private static boolean readsThrough(MigrationSpec spec) {
        return spec.state() == MigrationSpec.STATE_PREPARED || spec.state() == MigrationSpec.STATE_EXECUTING
                || spec.state() == MigrationSpec.STATE_ABORTING;
    }

    /**
     * Whether destination {@code id} still reads through to its source: its header says prepared,
     * executing or aborting (RbdImage's refresh drops the source otherwise).
     */
    static boolean readsThrough(IoCtx io, String id) {
        MigrationSpec spec = get(io, id);
        return spec != null && spec.headerType() == MigrationSpec.TYPE_DST && readsThrough(spec);
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
        boolean withSnaps;
        try (RbdImage src = RbdImage.open(srcIo, srcName, true)) {
            if ((src.features() & RbdFeatures.MIGRATING) != 0) {
                throw new RbdException(Errno.EBUSY.negative(), "image " + srcName + " is already being migrated");
            }
            if (src.snapshots().stream().anyMatch(s -> !s.isUser())) {
                throw new RbdException(EOPNOTSUPP, "image " + srcName + " has trash, group or mirror snapshots: "
                        + "jceph migrates user snapshots only");
            }
            withSnaps = !src.snapshots().isEmpty();
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
        Map<Long, Long> snapSeqs = Map.of();
        try {
            try (RbdImage src = RbdImage.openWithId(srcIo, srcName, srcId, true, RbdImage.DEFAULT_LOCK_TIMEOUT, 0)) {
                RbdImage.Parent parent = src.parent();
                if (withSnaps) {
                    // librbd creates the destination's snapshots empty and deep-copies each object
                    // (all its snapshots) on copy-up or execute; jceph deep-copies the whole image
                    // here, snapshot by snapshot, so the destination holds every object already and
                    // execute finds nothing left to copy. The snap id map is what librbd keeps.
                    try {
                        ImageCopy.deepCopy(src, dstIo, dstImage, o);
                    } finally {
                        dstId = idOrNull(dstIo, dstImage);
                    }
                    snapSeqs = snapSeqs(src, dstIo, dstImage, dstId);
                } else if (parent != null && !o.flattening()) {
                    ImageCopy.cloneFrom(src, parent, dstIo, dstImage, o);
                } else {
                    ImageCopy.create(src, dstIo, dstImage, o, size, src.features());
                }
                if (!withSnaps) {
                    dstId = idOf(dstIo, dstImage);
                    try (RbdImage dst = RbdImage.openWithId(dstIo, dstImage, dstId, false,
                            RbdImage.DEFAULT_LOCK_TIMEOUT, 0)) {
                        if (dst.size() != size) {
                            dst.resize(size);
                        }
                        ImageCopy.copyMetadata(src, dst);
                    }
                }
            }
            // cls migration_set refuses a second set, so the source is marked once its destination
            // has an id (librbd picks the id first and marks the source before creating it)
            set(srcIo, srcId, new MigrationSpec(MigrationSpec.TYPE_SRC, dstIo.poolId(), dstIo.namespace(), dstImage,
                    dstId, "", Map.of(), 0, o.flattening(), false, 0, MigrationSpec.STATE_PREPARING, ""));
            srcMarked = true;
            set(dstIo, dstId, new MigrationSpec(MigrationSpec.TYPE_DST, srcIo.poolId(), srcIo.namespace(), srcName,
                    srcId, "", snapSeqs, size, o.flattening(), false, 0, MigrationSpec.STATE_PREPARING, ""));
            setState(srcIo, srcId, MigrationSpec.STATE_PREPARED, "");
            setState(dstIo, dstId, MigrationSpec.STATE_PREPARED, "");
        } catch (RuntimeException e) {
            rollBackPrepare(srcIo, srcId, srcMarked, dstIo, dstImage, dstId, e);
            throw e;
        }
    }

    /** Undoes a failed import-only prepare: the destination removed (the source was never touched). */
    private static void rollBackImport(IoCtx dstIo, String dstName, String dstId, RuntimeException failure) {
        try {
            removeDestination(dstIo, dstName, dstId);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The half-made destination of a failed prepare, its migration header first; nothing if never created. */
    private static void removeDestination(IoCtx dstIo, String dstName, String dstId) {
        if (dstId == null) {
            return;
        }
        if (get(dstIo, dstId) != null) {
            remove(dstIo, dstId);
        }
        RbdImage.remove(dstIo, dstName);
    }

    /** Undoes a failed prepare: the destination removed, the source linked again and unmarked. */
    private static void rollBackPrepare(IoCtx srcIo, String srcId, boolean srcMarked, IoCtx dstIo, String dstName,
            String dstId, RuntimeException failure) {
        try {
            removeDestination(dstIo, dstName, dstId);
            Trash.restore(srcIo, srcId, null, true);
            if (srcMarked) {
                remove(srcIo, srcId);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The source's snapshot ids mapped to the destination's snapshots of the same names (the
     * {@code snap_seqs} of librbd's destination migration header).
     */
    private static Map<Long, Long> snapSeqs(RbdImage src, IoCtx dstIo, String dstName, String dstId) {
        Map<String, Long> dstIds = new java.util.HashMap<>();
        try (RbdImage dst = RbdImage.openWithId(dstIo, dstName, dstId, true, RbdImage.DEFAULT_LOCK_TIMEOUT, 0)) {
            for (RbdImage.Snapshot s : dst.userSnapshots()) {
                dstIds.put(s.name(), s.id());
            }
        }
        Map<Long, Long> seqs = new java.util.TreeMap<>();
        for (RbdImage.Snapshot s : src.userSnapshots()) {
            Long d = dstIds.get(s.name());
            if (d == null) {
                throw new RbdException("snapshot " + s.name() + " was not copied to " + dstName);
            }
            seqs.put(s.id(), d);
        }
        return seqs;
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
        java.util.Objects.requireNonNull(sourceSpec, "sourceSpec");
        java.util.Objects.requireNonNull(dstIo, "dstIo");
        if (dstName == null || dstName.isEmpty()) {
            throw new RbdException(Errno.EINVAL.negative(), "an import-only migration needs a destination name");
        }
        Object source = parseSource(sourceSpec);
        ImageCopy.Options o = options == null ? new ImageCopy.Options() : options;
        o = o.withDefaultLayout().flatten(true);
        if (dstIo.statOrNull("rbd_id." + dstName) != null) {
            throw new RbdException.ImageExistsException("image " + dstName + " already exists in pool "
                    + dstIo.poolName());
        }
        if (source instanceof RawFileSource raw) {
            prepareRawImport(raw, dstIo, dstName, o);
            return;
        }
        NativeSource ns = (NativeSource) source;
        String dstId = null;
        try (RbdImage src = ns.open(dstIo, 0)) {
            if (src.snapshots().stream().anyMatch(s -> !s.isUser())) {
                throw new RbdException(EOPNOTSUPP, "the source has trash, group or mirror snapshots: jceph imports "
                        + "user snapshots only");
            }
            try {
                ImageCopy.deepCopy(src, dstIo, dstName, o);
            } finally {
                dstId = idOrNull(dstIo, dstName);
            }
            Map<Long, Long> seqs = new java.util.TreeMap<>();
            Map<String, Long> dstIds = new java.util.HashMap<>();
            try (RbdImage dst = RbdImage.openWithId(dstIo, dstName, dstId, true, RbdImage.DEFAULT_LOCK_TIMEOUT, 0)) {
                dst.userSnapshots().forEach(s -> dstIds.put(s.name(), s.id()));
            }
            long end = src.viewSnapId();
            for (RbdImage.Snapshot s : src.userSnapshots()) {
                if (Long.compareUnsigned(s.id(), end) <= 0 && dstIds.containsKey(s.name())) {
                    seqs.put(s.id(), dstIds.get(s.name()));
                }
            }
            set(dstIo, dstId, new MigrationSpec(MigrationSpec.TYPE_DST, -1, "", "", "", ns.normalized(), seqs,
                    src.size(), true, false, 0, MigrationSpec.STATE_PREPARING, ""));
            setState(dstIo, dstId, MigrationSpec.STATE_PREPARED, "");
        } catch (RuntimeException e) {
            rollBackImport(dstIo, dstName, dstId, e);
            throw e;
        }
    }

    /**
     * librbd's prepare_import of a raw file: a new image of the file's size (the pool's default
     * layout and features unless the options say otherwise) with a destination migration header
     * holding the normalized source spec, flatten set and the file's size as overlap. No data is
     * copied: the destination reads through to the file until execute copies it up (all-zero
     * objects skipped), as librbd.
     */
    private static void prepareRawImport(RawFileSource raw, IoCtx dstIo, String dstName, ImageCopy.Options o) {
        long size;
        try (RawFileSource f = raw.open()) {
            size = f.size();
        }
        String dstId = null;
        try {
            try {
                ImageCopy.createFresh(dstIo, dstName, o, size);
            } finally {
                dstId = idOrNull(dstIo, dstName);
            }
            set(dstIo, dstId, new MigrationSpec(MigrationSpec.TYPE_DST, -1, "", "", "", raw.normalized(), Map.of(),
                    size, true, false, 0, MigrationSpec.STATE_PREPARING, ""));
            setState(dstIo, dstId, MigrationSpec.STATE_PREPARED, "");
        } catch (RuntimeException e) {
            rollBackImport(dstIo, dstName, dstId, e);
            throw e;
        }
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
     * A native source spec: the image (by pool name or id, namespace, image name or id) and the
     * snapshot it is read at (by name or id; none: its head).
     */
    record NativeSource(Long poolId, String poolName, String poolNamespace, String imageName, String imageId,
                        String snapName, Long snapId, String normalized) {
        static NativeSource parse(String json) {
            return fromSpec(specObject(json));
        }

        /** The spec's JSON object (EINVAL when it is none). */
        static Map<?, ?> specObject(String json) {
            Object v;
            try {
                v = org.jceph.rbd.crypto.Json.parse(json);
            } catch (RbdException e) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: " + e.getMessage());
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: not a JSON object");
            }
            return m;
        }

        /** A native spec from its JSON object (EOPNOTSUPP for qcow and unknown formats). */
        static NativeSource fromSpec(Map<?, ?> m) {
            Object type = m.get("type");
            if (!"native".equals(type)) {
                // librbd: "unknown or unsupported format type" (jceph reads no qcow images)
                throw new RbdException(EOPNOTSUPP, "unknown or unsupported format type: " + type
                        + " (jceph imports native and raw sources only)");
            }
            java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sorted.put(String.valueOf(e.getKey()), e.getValue());
            }
            NativeSource n = new NativeSource(num(m, "pool_id"), str(m, "pool_name"), str(m, "pool_namespace"),
                    str(m, "image_name"), str(m, "image_id"), str(m, "snap_name"), num(m, "snap_id"),
                    org.jceph.rbd.crypto.Json.write(sorted));
            if ((n.poolId == null) == (n.poolName == null)) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: pool_name or pool_id needed");
            }
            if (n.imageName == null) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: image_name needed");
            }
            if (n.snapName != null && n.snapId != null) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: snap_name and snap_id both set");
            }
            return n;
        }

        private static String str(Map<?, ?> m, String key) {
            Object v = m.get(key);
            if (v != null && !(v instanceof String)) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: " + key + " is not a string");
            }
            return (String) v;
        }

        private static Long num(Map<?, ?> m, String key) {
            Object v = m.get(key);
            if (v != null && !(v instanceof Long)) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: " + key + " is not a number");
            }
            return (Long) v;
        }

        /** The source image at its head, read-only. */
        RbdImage openHead(IoCtx any, int depth) {
            IoCtx io;
            try {
                io = poolId != null ? any.forPool(poolId) : any.forPool(poolName);
            } catch (RadosException.NotFoundException e) {
                throw new RbdException(Errno.ENOENT.negative(), "the source spec's pool does not exist");
            }
            io.setNamespace(poolNamespace == null ? "" : poolNamespace);
            return imageId != null
                    ? RbdImage.openWithId(io, imageName, imageId, true, RbdImage.DEFAULT_LOCK_TIMEOUT, depth + 1)
                    : ImageOpen.open(io, imageName, true, RbdImage.DEFAULT_LOCK_TIMEOUT, depth + 1);
        }

        /** The source, read-only, at the named snapshot (or its head). */
        RbdImage open(IoCtx any, int depth) {
            RbdImage head = openHead(any, depth);
            if (snapName != null) {
                return head.atSnapshot(snapName);
            }
            if (snapId != null) {
                return head.atSnapshotId(snapId);
            }
            return head;
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
            if (dst.snapshots().isEmpty()) {
                dst.copyUpAll(progress);
            } else {
                dst.underMaintenance(() -> {
                    deepCopyObjects(dst, ProgressListener.orNone(progress));
                    return null;
                });
            }
            setBoth(p, MigrationSpec.STATE_EXECUTED);
            dst.notifyHeaderUpdate();
        }
    }

    /** One step of a per-object deep copy: a destination snapshot (or HEAD) and what it reads. */
    private record Stage(long dstSnap, RbdImage view, long limit) {
    }

    /**
     * The deep copy of every object of a destination with snapshots (execute of a migration
     * librbd prepared): the objects one by one through {@link ObjectCopier#copy}.
     */
    private static void deepCopyObjects(RbdImage dst, ProgressListener pl) {
        try (ObjectCopier copier = ObjectCopier.open(dst)) {
            if (copier == null) {
                return; // nothing reads through any more
            }
            long objects = copier.objects();
            for (long n = 0; n < objects; n++) {
                pl.update(n, objects);
                copier.copy(n, false);
            }
            pl.update(objects, objects);
        }
    }

    /**
     * librbd's deep copy of one object of a migration destination with snapshots
     * (deep_copy::ObjectCopyRequest with the migration's snap map), the one code path for both
     * execute (every object) and the deep copy-up before a write reaches an object the
     * destination does not have ({@link ParentIo}; librbd's CopyupRequest::deep_copy): the
     * object's bytes at each source snapshot mapped to a destination snapshot, oldest first, then
     * at the source's head, each written (or removed) with a snapshot context that ends just
     * before the destination snapshot it belongs to, so that the OSD's clones give each
     * destination snapshot exactly the source snapshot's bytes. Stages equal to the one before
     * are not written (the clone covers both). The destination's snapshot object maps (and
     * HEAD's, for execute) are then set from the object's snap set, as librbd's object map check
     * reads it.
     *
     * <p>Restartable: a stage whose snapshot context is not newer than the seq of the object's
     * snap set was written already (the OSD raises the seq to each write's context; stages have
     * strictly increasing contexts, and a later write by anyone uses the image's current one,
     * newer than all of them). So a copy cut short by a failure is finished from where it
     * stopped, by a retried write or by execute, and an object copied (or copied and written)
     * before gets nothing written. While a copy is under way the object's head carries the
     * xattr {@link #COPYING} (set with each stage written, removed at the end under the last
     * stage's context, so no clone is made for it): a write's guard (assert-exists and
     * "no {@code COPYING}") sends a write to an object a failed copy left half done back to the
     * copy first. Two copies of one object must not run at once (one could write an old stage
     * over the other's finished object and the write after it): the write path holds a
     * per-object guard, execute pauses writes, and other clients are kept out by the exclusive
     * lock.
     *
     * <p>Holds the source open (at its head and each mapped snapshot) and each destination
     * snapshot's object map as loaded when opened (states are sent only where they differ):
     * open one per use under the exclusive lock, close it after.
     */
    static final class ObjectCopier implements AutoCloseable {
        /** The xattr on an object's head while its deep copy is under way (jceph's own; librbd ignores it). */
        static final String COPYING = "jceph.deep_copy";
        private static final byte[] COPYING_VALUE = {1};

        private final RbdImage dst;
        private final RbdImage srcHead;
        private final List<Stage> stages = new java.util.ArrayList<>();
        private final List<RbdImage.Snapshot> dstSnaps;
        private final Map<Long, int[]> snapMaps = new java.util.TreeMap<>(Long::compareUnsigned);
        private final boolean objectMap;
        private final boolean fastDiff;
        private final long objects;

        private ObjectCopier(RbdImage dst, RbdImage.Parent headParent, MigrationSpec spec) {
            this.dst = dst;
            Map<Long, Long> reverse = new java.util.HashMap<>();
            spec.snapSeqs().forEach((src, d) -> reverse.put(d, src));
            dstSnaps = dst.snapshots();
            objectMap = (dst.features() & RbdFeatures.OBJECT_MAP) != 0;
            fastDiff = (dst.features() & RbdFeatures.FAST_DIFF) != 0;
            srcHead = openSource(dst.metadataIo(), spec, 0, false);
            try {
                for (RbdImage.Snapshot snap : dstSnaps) {
                    Long x = reverse.get(snap.id());
                    if (x != null) {
                        RbdImage view = srcHead.atSnapshotId(x);
                        stages.add(new Stage(snap.id(), view, Math.min(snap.size(), view.size())));
                    }
                }
                stages.add(new Stage(RbdImage.NOSNAP_ID, headParent.image(),
                        Math.min(headParent.overlap(), headParent.image().size())));
                long os = dst.layout().objectSize();
                long end = 0;
                for (Stage st : stages) {
                    end = Math.max(end, st.limit());
                }
                objects = (end + os - 1) / os;
                if (objectMap) {
                    for (RbdImage.Snapshot snap : dstSnaps) {
                        snapMaps.put(snap.id(), org.jceph.rbd.objectmap.ObjectMap.decodeStates(dst.metadataIo().exec(
                                org.jceph.rbd.objectmap.ObjectMap.name(dst.id(), snap.id()), "rbd", "object_map_load",
                                new byte[0])));
                    }
                }
            } catch (RuntimeException e) {
                srcHead.close();
                throw e;
            }
        }

        /**
         * The copier of destination {@code dst} (open, migrating, with snapshots), or null when
         * it no longer reads through to a source.
         *
         * @throws RbdException with EOPNOTSUPP for what jceph cannot deep-copy: a striped layout,
         *     or a raw file source (snapshots taken on the destination since the raw import)
         */
        static ObjectCopier open(RbdImage dst) {
            RbdImage.Parent headParent = dst.parent();
            if (headParent == null || !headParent.isMigrationSource()) {
                return null;
            }
            RbdException refused = refusal(dst);
            if (refused != null) {
                throw refused;
            }
            MigrationSpec spec = get(dst.metadataIo(), dst.id());
            if (spec == null || spec.headerType() != MigrationSpec.TYPE_DST) {
                return null;
            }
            return new ObjectCopier(dst, headParent, spec);
        }

        /**
         * What jceph refuses to deep-copy for destination {@code dst} (a striped layout; a raw
         * file source), or null.
         */
        static RbdException refusal(RbdImage dst) {
            if (dst.layout().stripeCount() > 1) {
                return new RbdException(EOPNOTSUPP, "image " + dst.name() + " is striped: jceph deep-copies "
                        + "migrations with snapshots for stripe count 1 only");
            }
            RbdImage.Parent p = dst.parent();
            if (p != null && p.raw() != null) {
                return new RbdException(EOPNOTSUPP, "image " + dst.name() + " has snapshots taken since its raw "
                        + "import was prepared: jceph deep-copies raw imports without snapshots only");
            }
            return null;
        }

        /** How many objects any stage covers. */
        long objects() {
            return objects;
        }

        /** The snapshot context stage {@code i} is written with: the destination's snapshots before its own. */
        private long contextSeq(int i) {
            return i == 0 ? 0 : stages.get(i - 1).dstSnap();
        }

        /** Stage {@code i}'s bytes of object {@code n}, trailing zeros dropped; null when none. */
        private byte[] stageData(int i, long n) {
            Stage st = stages.get(i);
            long os = dst.layout().objectSize();
            long start = n * os;
            long len = Math.min(os, st.limit() - start);
            return len <= 0 ? null : trimmed(await(st.view().readAsync(start, (int) len)));
        }

        /**
         * Deep-copies object {@code n} (what is left of it), then sets its object map states.
         *
         * @param n the object
         * @param forWrite a write's copy-up: HEAD's map state is left as the write marked it (the
         *     write changes the object next) and {@link #COPYING} is cleared even when nothing
         *     was left to write (a copy cut short after its last stage); execute sets HEAD's state
         *     from the snap set
         * @return how many stages were written (0: the object was complete)
         */
        int copy(long n, boolean forWrite) {
            String oid = dst.object(n);
            IoCtx data = dst.dataIo();
            IoCtx.SnapSet before = data.listSnaps(oid);
            long[] contexts = new long[stages.size()];
            for (int i = 0; i < contexts.length; i++) {
                contexts[i] = contextSeq(i);
            }
            int first = firstStageLeft(contexts, before == null ? null : before.seq());
            int written = 0;
            long lastContext = before == null ? 0 : before.seq();
            if (first < stages.size()) {
                byte[] prev = first == 0 ? null : stageData(first - 1, n);
                for (int i = first; i < stages.size(); i++) {
                    byte[] d = stageData(i, n);
                    if (!java.util.Arrays.equals(d, prev)) {
                        IoCtx w = data.duplicate();
                        w.setSelfManagedSnapWriteContext(snapContextBefore(dstSnaps, contextSeq(i)));
                        if (d == null) {
                            try {
                                w.remove(oid);
                            } catch (RadosException.ObjectNotFoundException e) {
                                // removed by the copy that was cut short
                            }
                        } else {
                            w.operate(oid, new IoCtx.Operation().writeFull(d).setXattr(COPYING, COPYING_VALUE));
                        }
                        written++;
                        lastContext = contextSeq(i);
                    }
                    prev = d;
                }
            }
            if (written > 0 || forWrite) {
                clearCopying(oid, lastContext);
            }
            if (objectMap) {
                setMapStates(dst, snapMaps, n, written == 0 ? before : data.listSnaps(oid), fastDiff, !forWrite);
            }
            return written;
        }

        /**
         * Removes {@link #COPYING} from the object's head if it is there, under the context of
         * the last stage written (the snap set's seq: no clone is made).
         */
        private void clearCopying(String oid, long context) {
            IoCtx w = dst.dataIo().duplicate();
            w.setSelfManagedSnapWriteContext(snapContextBefore(dstSnaps, context));
            try {
                w.operate(oid, new IoCtx.Operation().cmpXattr(COPYING, IoCtx.Comparison.EQ, COPYING_VALUE)
                        .rmXattr(COPYING));
            } catch (RadosException.CanceledException | RadosException.ObjectNotFoundException e) {
                // not marked, or no head (a stage removed it)
            }
        }

        /**
         * The first stage still to write: all of them (0) when the object has neither a head nor
         * a clone ({@code snapSetSeq} null), else the first whose snapshot context is newer than
         * the snap set's seq ({@code contexts.length}: none left).
         *
         * @param contexts each stage's snapshot context seq, strictly increasing
         * @param snapSetSeq the object's snap set seq, or null when there is no object
         * @return the index of the first stage to write
         */
        static int firstStageLeft(long[] contexts, Long snapSetSeq) {
            if (snapSetSeq == null) {
                return 0;
            }
            for (int i = 0; i < contexts.length; i++) {
                if (Long.compareUnsigned(contexts[i], snapSetSeq) > 0) {
                    return i;
                }
            }
            return contexts.length;
        }

        @Override
        public void close() {
            srcHead.close();
        }
    }

    /**
     * Sets object {@code n}'s state in every snapshot map that covers it and in HEAD's map to what
     * librbd's object map check (ObjectMapIterateRequest) derives from the object's snap set:
     * for an image snapshot S, the clone (or head) that serves S gives OBJECT_EXISTS when S is the
     * first image snapshot at or after the clone's oldest snap (the head's: after the snap set's
     * seq), OBJECT_EXISTS_CLEAN for the later ones with fast-diff; no clone serving S gives
     * OBJECT_NONEXISTENT. HEAD is the last such "snapshot": unchanged since the newest image
     * snapshot (written under a snap context older than it) means EXISTS_CLEAN, not EXISTS.
     * Deriving the states from what the OSD reports, rather than from which stages were written,
     * makes them right for any layout (stages skipped as unchanged, removed objects, snapshots
     * taken after prepare). HEAD's map is set only when {@code setHead} (execute); a write's
     * deep copy-up leaves HEAD as the write marked it (the write changes the object next).
     */
    private static void setMapStates(RbdImage dst, Map<Long, int[]> snapMaps, long n, IoCtx.SnapSet ss,
            boolean fastDiff, boolean setHead) {
        java.util.NavigableSet<Long> ids = new java.util.TreeSet<>(Long::compareUnsigned);
        ids.addAll(snapMaps.keySet());
        for (Map.Entry<Long, int[]> e : snapMaps.entrySet()) {
            int[] states = e.getValue();
            if (n >= states.length) {
                continue; // past the snapshot's size: the check does not look there
            }
            int want = expectedState(ss, e.getKey(), ids, fastDiff);
            if (states[(int) n] != want) {
                setSnapMapState(dst, e.getKey(), n, want);
                states[(int) n] = want;
            }
        }
        if (setHead && dst.mapActive()) {
            dst.markState(n, expectedState(ss, RbdImage.NOSNAP_ID, ids, fastDiff));
        }
    }

    /** The state librbd's object map check expects for the object with snap set {@code ss} at {@code snapId}. */
    static int expectedState(IoCtx.SnapSet ss, long snapId, java.util.NavigableSet<Long> imageSnaps,
            boolean fastDiff) {
        return ss == null ? org.jceph.rbd.objectmap.ObjectMap.NONEXISTENT
                : ObjectMapRebuild.stateAt(ss, snapId, imageSnaps, fastDiff);
    }

    /** The destination's snapshots up to {@code seq}, newest first, as a write's snap context. */
    private static org.jceph.encoding.types.SnapContext snapContextBefore(List<RbdImage.Snapshot> snaps, long seq) {
        List<Long> ids = new java.util.ArrayList<>();
        for (RbdImage.Snapshot s : snaps) {
            if (Long.compareUnsigned(s.id(), seq) <= 0) {
                ids.add(0, s.id());
            }
        }
        return new org.jceph.encoding.types.SnapContext(seq, ids);
    }

    /** cls_rbd object_map_update on a snapshot's object map (no lock: snapshot maps are not locked). */
    private static void setSnapMapState(RbdImage dst, long snapId, long objectNo, int state) {
        byte[] in = RbdImage.encode(e -> e.writeU64Le(objectNo).writeU64Le(objectNo + 1).writeU8(state)
                .writeBool(false));
        dst.metadataIo().exec(org.jceph.rbd.objectmap.ObjectMap.name(dst.id(), snapId), "rbd", "object_map_update",
                in);
    }

    /** The bytes with trailing zeros dropped; null when all zero. */
    private static byte[] trimmed(byte[] d) {
        int end = d.length;
        while (end > 0 && d[end - 1] == 0) {
            end--;
        }
        return end == 0 ? null : end == d.length ? d : java.util.Arrays.copyOf(d, end);
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

    private static String idOrNull(IoCtx io, String name) {
        try {
            return idOf(io, name);
        } catch (RbdException.ImageNotFoundException e) {
            return null;
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
