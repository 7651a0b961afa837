package org.jceph.rbd;

import static org.jceph.rbd.Migration.EOPNOTSUPP;
import static org.jceph.rbd.Migration.get;
import static org.jceph.rbd.Migration.parseSource;

import java.util.Map;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;

/**
 * What a migrating image reads through to, for {@link Migration}'s hooks in image open and
 * refresh: until the migration is executed, a destination reads through to its source (a linked
 * source image at its head, an import-only {@link NativeSource}, or a raw file
 * {@link RawFileSource}) for objects it does not have, exactly like a clone with its parent
 * ({@link RbdImage.Parent#isMigrationSource()}); its snapshot views read through to the source
 * snapshots mapped to them by the destination header's snap id map ({@code snap_seqs}). A source
 * opens read-only only.
 */
final class MigrationSources {
    private MigrationSources() {
    }

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
    static RbdImage openSource(IoCtx io, MigrationSpec spec, int depth, boolean atSpecSnap) {
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
}
