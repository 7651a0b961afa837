package org.jceph.rbd;

import static org.jceph.rbd.RbdImage.DEFAULT_LOCK_TIMEOUT;
import static org.jceph.rbd.RbdImage.MAX_PARENT_DEPTH;
import static org.jceph.rbd.RbdImage.NOSNAP;
import static org.jceph.rbd.RbdImage.cacheSettingsOf;
import static org.jceph.rbd.RbdImage.encode;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdImage.Parent;
import org.jceph.rbd.layout.StripingLayout;

/**
 * Opening a format 2 image for {@link RbdImage}, as librbd's OpenRequest does: rbd_id.NAME to
 * the id (or the id given), the header read (size, features checked against what jceph can
 * honour for the access, object prefix, striping, data pool), the parent chain opened read-only
 * at each parent snapshot, then for read-write opens the snapshot write context, the exclusive
 * lock and the client cache.
 */
final class ImageOpen {
    private ImageOpen() {
    }

    static RbdImage openById(IoCtx io, String imageId, OpenOptions options) {
        java.util.Objects.requireNonNull(io, "io");
        java.util.Objects.requireNonNull(imageId, "imageId");
        java.util.Objects.requireNonNull(options, "options");
        if (imageId.isEmpty()) {
            throw new IllegalArgumentException("image id is empty");
        }
        String name;
        try {
            name = ImageAdmin.nameOf(io, imageId);
        } catch (RadosException.ObjectNotFoundException e) {
            Trash.Entry t = Trash.getOrNull(io, imageId);
            if (t == null) {
                throw new RbdException.ImageNotFoundException("id " + imageId, io.poolName());
            }
            name = t.name();
        }
        try {
            io.stat("rbd_header." + imageId);
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.ImageNotFoundException("id " + imageId, io.poolName());
        }
        return atSnapshotOf(openWithId(io, name, imageId, options.readOnly(), options.lockTimeout(), 0), options);
    }

    /** {@code head} itself, or (closing head) its read-only view at the options' snapshot. */
    static RbdImage atSnapshotOf(RbdImage head, OpenOptions options) {
        if (options.snapshot() == null) {
            return head;
        }
        try {
            return head.atSnapshot(options.snapshot());
        } finally {
            head.close();
        }
    }

    static RbdImage open(IoCtx io, String name, boolean readOnly, java.time.Duration lockTimeout, int depth) {
        String id;
        try {
            id = CephDecoder.of(io.exec("rbd_id." + name, "rbd", "get_id", new byte[0]), "get_id").readString();
        } catch (RadosException.ObjectNotFoundException e) {
            if (io.statOrNull(name + ".rbd") != null) {
                throw new RbdException("image " + name + " is format 1: open it with Format1Image");
            }
            throw new RbdException.ImageNotFoundException(name, io.poolName());
        }
        return openWithId(io, name, id, readOnly, lockTimeout, depth);
    }

    /** Opens an image by its id (one in the trash has no rbd_id object and no directory entry). */
    static RbdImage openWithId(IoCtx io, String name, String id, boolean readOnly, java.time.Duration lockTimeout,
                               int depth) {
        String header = "rbd_header." + id;
        CephDecoder sz = CephDecoder.of(io.exec(header, "rbd", "get_size", encode(e -> e.writeU64Le(NOSNAP))), "get_size");
        int order = sz.readU8();
        long size = sz.readU64Le();
        CephDecoder f = CephDecoder.of(io.exec(header, "rbd", "get_features",
                encode(e -> e.writeU64Le(NOSNAP).writeBool(readOnly))), "get_features");
        long features = f.readU64Le();
        long incompatible = f.readU64Le();
        long supported = readOnly ? RbdFeatures.READABLE : RbdFeatures.WRITABLE;
        // MIGRATION-HOOK: the migrating bit is handled by Migration.ioParent below
        long unsupported = (features | incompatible) & ~supported & ~RbdFeatures.MIGRATING;
        if (unsupported != 0) {
            throw new RbdException.UnsupportedFeaturesException(name, unsupported, !readOnly);
        }
        String prefix = CephDecoder.of(io.exec(header, "rbd", "get_object_prefix", new byte[0]), "get_object_prefix")
                .readString();
        StripingLayout layout = StripingLayout.ofOrder(order);
        if ((features & RbdFeatures.STRIPINGV2) != 0) {
            CephDecoder s = CephDecoder.of(io.exec(header, "rbd", "get_stripe_unit_count", new byte[0]), "stripe");
            layout = new StripingLayout(1L << order, s.readU64Le(), s.readU64Le());
        }
        Parent parent = (features & RbdFeatures.MIGRATING) != 0 // MIGRATION-HOOK
                ? Migration.ioParent(io, id, name, size, readOnly, depth)
                : loadParent(io, header, NOSNAP, depth);
        // stripe count 1 keeps each object a contiguous image range, which is all copy-up needs
        if (parent != null && !readOnly && layout.stripeCount() > 1) {
            throw new RbdException("image " + name + " is a striped clone: writing it (copy-up across stripes) is "
                    + "not supported; open it read-only");
        }
        // The caller's IoCtx keeps its own snapshot settings; a data pool holds the data objects
        // (and gives the snapshot ids), the header's pool everything else.
        IoCtx data = io.duplicate();
        if ((features & RbdFeatures.DATA_POOL) != 0) {
            long dataPool = CephDecoder.of(io.exec(header, "rbd", "get_data_pool", new byte[0]), "get_data_pool")
                    .readS64Le();
            if (dataPool >= 0 && dataPool != io.poolId()) {
                data = io.forPool(dataPool);
                data.setNamespace(io.namespace());
            }
        }
        data.setOpTimeout(RbdImage.dataOpTimeout(io));
        RbdImage image = new RbdImage(data, io.duplicate(), name, id, prefix, order, size, features, layout, readOnly,
                parent);
        if (!readOnly) {
            SnapContext snapc = SnapContext.decode(CephDecoder.of(io.exec(header, "rbd", "get_snapcontext",
                    new byte[0]), "get_snapcontext"));
            data.setSelfManagedSnapWriteContext(snapc);
            if ((features & RbdFeatures.EXCLUSIVE_LOCK) != 0) {
                image.startLocking(lockTimeout);
            }
            image.useCache(cacheSettingsOf(io)); // CACHE-HOOK
        }
        return image;
    }

    /**
     * The parent of the image at {@code snapId} (NOSNAP for the head): parent_get names it,
     * parent_overlap_get says how much of it shows through (absent: detached at that snapshot).
     */
    static Parent loadParent(IoCtx io, String header, long snapId, int depth) {
        CephDecoder p = CephDecoder.of(io.exec(header, "rbd", "parent_get", new byte[0]), "parent_get");
        CephDecoder.Envelope env = p.beginStruct("ParentImageSpec", 1);
        long pool = p.readS64Le();
        String ns = p.readString();
        String imageId = p.readString();
        long parentSnap = p.readU64Le();
        p.endStruct(env);
        if (pool == -1) {
            return null;
        }
        CephDecoder o = CephDecoder.of(io.exec(header, "rbd", "parent_overlap_get", encode(e -> e.writeU64Le(snapId))),
                "parent_overlap_get");
        if (o.readU8() == 0) {
            return null;
        }
        long overlap = o.readU64Le();
        if (depth >= MAX_PARENT_DEPTH) {
            throw new RbdException("clone chain deeper than " + MAX_PARENT_DEPTH + " at " + header);
        }
        IoCtx pio = io.forPool(pool);
        pio.setNamespace(ns);
        String parentName;
        try {
            parentName = CephDecoder.of(pio.exec("rbd_directory", "rbd", "dir_get_name",
                    encode(e -> e.writeString(imageId))), "dir_get_name").readString();
        } catch (RadosException e) {
            throw new RbdException("parent image id " + imageId + " of " + header + " is not in pool " + pool
                    + "'s directory (" + e.getMessage() + ")");
        }
        RbdImage head = open(pio, parentName, true, DEFAULT_LOCK_TIMEOUT, depth + 1);
        RbdImage atSnap = head.atSnapshotId(parentSnap);
        return new Parent(pool, ns, imageId, parentSnap, overlap, atSnap);
    }
}
