package org.jceph.rbd;

import static org.jceph.rbd.Migration.EOPNOTSUPP;
import static org.jceph.rbd.Migration.get;
import static org.jceph.rbd.Migration.idOf;
import static org.jceph.rbd.Migration.idOrNull;
import static org.jceph.rbd.Migration.parseSource;
import static org.jceph.rbd.Migration.remove;
import static org.jceph.rbd.Migration.set;
import static org.jceph.rbd.Migration.setState;

import java.util.Map;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;

/**
 * The prepare step of {@link Migration}: rbd_migration_prepare and the import-only
 * rbd_migration_prepare_import, each rolled back (the half-made destination removed, a linked
 * source restored and unmarked) when it fails.
 *
 * <p>prepare moves the source to its pool's trash with source "migration" and marks its header
 * (the {@code migrating} feature and a {@link MigrationSpec} of type source naming the
 * destination); the destination is a new image (any pool; its layout and features from the
 * options, else the source's; a clone of the source's parent snapshot when the source is a clone,
 * unless flattening), with the source's image metadata and a spec of type destination naming the
 * source, whose {@code overlap} is the source's size. Sources with snapshots: the destination
 * gets the source's snapshots and a snap id map ({@code snap_seqs}); jceph deep-copies the whole
 * image there and then (librbd leaves the snapshots empty and deep-copies per object).
 *
 * <p>Import-only migrations of native ({@link NativeSource}) and raw file
 * ({@link RawFileSource}) sources leave the source as it is; trash/group/mirror snapshots are
 * refused with EOPNOTSUPP.
 */
final class MigrationPrepare {
    private MigrationPrepare() {
    }

    /** {@link Migration#prepare}: the destination linked, the source moved to the trash and marked. */
    static void prepare(IoCtx srcIo, String srcName, IoCtx dstIo, String dstName, ImageCopy.Options options) {
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

    /** {@link Migration#prepareImport}: the destination made (its data copied for a native source). */
    static void prepareImport(String sourceSpec, IoCtx dstIo, String dstName, ImageCopy.Options options) {
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
}
