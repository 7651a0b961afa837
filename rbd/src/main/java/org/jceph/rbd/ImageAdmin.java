package org.jceph.rbd;

import static org.jceph.rbd.RbdImage.DEFAULT_LOCK_TIMEOUT;
import static org.jceph.rbd.ImageInfo.OP_CLONE_CHILD;
import static org.jceph.rbd.RbdImage.encode;
import static org.jceph.rbd.RbdImage.ignoreMissing;
import static org.jceph.rbd.RbdImage.objectCountFor;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdImage.CloneFormat;
import org.jceph.rbd.RbdImage.Parent;
import org.jceph.rbd.RbdImage.Snapshot;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.layout.StripingLayout;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * The image administration {@link RbdImage}'s static API delegates to: creating, listing,
 * removing, cloning, renaming and resizing format 2 images, and a clone's links to its parent (the
 * child records on both sides). The bodies are librbd's image requests (CreateRequest,
 * RemoveRequest, CloneRequest, DetachParentRequest) written against cls rbd.
 */
final class ImageAdmin {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ImageAdmin() {
    }

    static void create(IoCtx io, String name, long size, int order, long features, long stripeUnit,
                              long stripeCount, IoCtx dataPool) {
        if (order < 12 || order > 25) {
            throw new RbdException("order " + order + " is outside 12..25");
        }
        long objectSize = 1L << order;
        boolean striped = stripeUnit != 0 && !(stripeUnit == objectSize && stripeCount == 1);
        if (striped) {
            if (stripeUnit < 0 || stripeCount < 1 || objectSize % stripeUnit != 0) {
                throw new RbdException(Errno.EINVAL.negative(), "stripe unit " + stripeUnit // as librbd's validate_striping
                        + " must divide the object size " + objectSize
                        + " and stripe count " + stripeCount + " must be at least 1");
            }
            features |= RbdFeatures.STRIPINGV2;
        } else if ((features & RbdFeatures.STRIPINGV2) != 0) {
            throw new RbdException("the striping feature needs a stripe unit and count");
        }
        long dataPoolId = dataPool == null || dataPool.poolId() == io.poolId() ? -1 : dataPool.poolId();
        if (dataPoolId >= 0) {
            features |= RbdFeatures.DATA_POOL;
        }
        if ((features & ~RbdFeatures.WRITABLE) != 0) {
            throw new RbdException.UnsupportedFeaturesException(name, features & ~RbdFeatures.WRITABLE, true);
        }
        final long feats = features;
        RbdFeatures.validateDependencies(feats);
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String idObject = "rbd_id." + name;
        try {
            io.create(idObject, true);
        } catch (RadosException.ObjectExistsException e) {
            throw new RbdException.ImageExistsException("image " + name + " already exists in pool " + io.poolName());
        }
        io.exec(idObject, "rbd", "set_id", encode(e -> e.writeString(id)));
        io.exec("rbd_directory", "rbd", "dir_add_image", encode(e -> e.writeString(name).writeString(id)));
        String header = "rbd_header." + id;
        io.create(header, true);
        // with a data pool the object prefix names that pool, as librbd writes it
        String prefix = dataPoolId >= 0 ? String.format("rbd_data.%d.%s", io.poolId(), id) : "rbd_data." + id;
        io.exec(header, "rbd", "create", encode(e -> e.writeU64Le(size).writeU8(order).writeU64Le(feats)
                .writeString(prefix).writeS64Le(dataPoolId)));
        if (striped) {
            io.exec(header, "rbd", "set_stripe_unit_count", encode(e -> e.writeU64Le(stripeUnit).writeU64Le(stripeCount)));
        }
        if ((feats & RbdFeatures.OBJECT_MAP) != 0) {
            StripingLayout l = striped ? new StripingLayout(objectSize, stripeUnit, stripeCount)
                    : StripingLayout.ofOrder(order);
            ObjectMap.create(io, id, objectCountFor(l, size));
        }
    }

    static java.util.SortedMap<String, String> list(IoCtx io) {
        return ClsPager.directory(io, "rbd_directory", "dir_list"); // empty: no image was ever created in this pool
    }

    static void removeTrashed(IoCtx io, String id, String name, ProgressListener progress) {
        try (RbdImage img = RbdImage.openWithId(io, name, id, false, DEFAULT_LOCK_TIMEOUT, 0)) {
            removeOpened(io, img, name, false, progress);
        }
    }

    static void removeOpened(IoCtx io, RbdImage img, String name, boolean linked, ProgressListener progress) {
        if (img.lock != null) {
            long others = io.listWatchers("rbd_header." + img.id).stream()
                    .filter(w -> w.cookie() != img.watcher.handle() || w.name().num() != io.client().instanceId()).count();
            if (others > 0) {
                throw new RbdException.ImageBusyException("image " + name + " still has watchers: it is open elsewhere (rbd status shows"
                        + " them); close it there first");
            }
            img.maintenance(() -> null); // take the lock, as librbd's remove does
        }
        SnapContext snapc = SnapContext.decode(CephDecoder.of(io.exec("rbd_header." + img.id, "rbd", "get_snapcontext",
                new byte[0]), "get_snapcontext"));
        if ((img.features & RbdFeatures.MIGRATING) != 0) { // MIGRATION-HOOK: librbd refuses too
            throw new RbdException(Errno.EBUSY.negative(), "image " + name + " is being migrated: commit or abort "
                    + "the migration first");
        }
        if (!snapc.snaps().isEmpty()) { // ENOTEMPTY, as librbd's pre-remove (group snapshots count too)
            throw new RbdException(Errno.ENOTEMPTY.negative(), "image " + name + " has snapshots: remove them first");
        }
        Groups.refuseIfGrouped(io, img.id, name); // after the snapshot check, as librbd's pre-remove
        long sets = (img.size + img.layout.objectSetSize() - 1) / img.layout.objectSetSize();
        long total = objectCountFor(img.layout, img.size);
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (long n = 0; n < sets * img.layout.stripeCount(); n++) {
            removals.add(ignoreMissing(img.io.removeAsync(img.object(n)))); // the data pool, if any
            if (n < total) {
                progress.update(n, total);
            }
        }
        CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).join();
        img.releaseLockAndWatch(); // the lock and watch go before the header they live on
        if ((img.features & RbdFeatures.OBJECT_MAP) != 0) {
            ObjectMap.removeAll(io, img.id, List.of());
        }
        if (img.parent != null && !img.parent.isMigrationSource()) {
            detachFromParent(img.md, img.id, img.parent);
        }
        io.remove("rbd_header." + img.id);
        if (linked) {
            io.remove("rbd_id." + name);
            io.exec("rbd_directory", "rbd", "dir_remove_image", encode(e -> e.writeString(name).writeString(img.id)));
        }
    }

    static void clone(IoCtx parentIo, String parentName, String snapName, IoCtx childIo, String childName,
                             long features, CloneFormat format) {
        if (format == CloneFormat.V1 && !parentIo.namespace().equals(childIo.namespace())) {
            // v1 children are listed in the parent's namespace only, so librbd refuses too
            throw new RbdException(Errno.EXDEV.negative(), "clone v2 required for cross-namespace clones");
        }
        Snapshot snap;
        String parentId;
        int order;
        try (RbdImage p = RbdImage.open(parentIo, parentName, true)) {
            snap = p.snapshot(snapName);
            parentId = p.id;
            order = p.order;
            if (format == CloneFormat.V1 && !p.isProtected(snapName)) {
                throw new RbdException("parent snapshot " + parentName + "@" + snapName
                        + " must be protected for a v1 clone (rbd snap protect)");
            }
        }
        RbdImage.create(childIo, childName, snap.size(), order, features | RbdFeatures.LAYERING);
        String childId = CephDecoder.of(childIo.exec("rbd_id." + childName, "rbd", "get_id", new byte[0]), "get_id")
                .readString();
        try {
            childIo.exec("rbd_header." + childId, "rbd", "parent_attach", encode(e -> {
                int m = e.beginStruct(1, 1);
                e.writeS64Le(parentIo.poolId()).writeString(parentIo.namespace()).writeString(parentId)
                        .writeU64Le(snap.id());
                e.finishStruct(m);
                e.writeU64Le(snap.size()).writeBool(false);
            }));
            if (format == CloneFormat.V2) {
                parentIo.exec("rbd_header." + parentId, "rbd", "child_attach", encode(e -> {
                    e.writeU64Le(snap.id());
                    childSpec(e, childIo.poolId(), childIo.namespace(), childId);
                }));
                childIo.exec("rbd_header." + childId, "rbd", "op_features_set",
                        encode(e -> e.writeU64Le(OP_CLONE_CHILD).writeU64Le(OP_CLONE_CHILD)));
            } else {
                childIo.exec("rbd_children", "rbd", "add_child", encode(e -> e.writeS64Le(parentIo.poolId())
                        .writeString(parentId).writeU64Le(snap.id()).writeString(childId)));
            }
        } catch (RuntimeException e) {
            try {
                RbdImage.remove(childIo, childName);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** cls::rbd::ChildImageSpec v2: pool, image id, then the namespace (added in v2, hence last). */
    private static void childSpec(CephEncoder e, long pool, String ns, String id) {
        int m = e.beginStruct(2, 1);
        e.writeS64Le(pool).writeString(id).writeString(ns);
        e.finishStruct(m);
    }

    static List<String> children(RbdImage img, String snapName, List<IoCtx> pools) {
        long sid = img.snapshot(snapName).id();
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        try {
            CephDecoder d = CephDecoder.of(img.md.exec("rbd_header." + img.id, "rbd", "children_list",
                    encode(e -> e.writeU64Le(sid))), "children_list");
            int n = d.readCountLe("children", 14);
            for (int i = 0; i < n; i++) {
                CephDecoder.Envelope env = d.beginStruct("ChildImageSpec", 2);
                long pool = d.readS64Le();
                String childId = d.readString();
                String ns = env.version() >= 2 ? d.readString() : "";
                d.endStruct(env);
                IoCtx cio = img.md.forPool(pool);
                cio.setNamespace(ns);
                out.add(cio.poolName() + "/" + (ns.isEmpty() ? "" : ns + "/") + nameOf(cio, childId));
            }
        } catch (RadosException.ObjectNotFoundException e) {
            // no v2 child was ever attached to this snapshot
        }
        for (IoCtx cio : pools) {
            try {
                CephDecoder d = CephDecoder.of(cio.exec("rbd_children", "rbd", "get_children", encode(e -> e
                        .writeS64Le(img.md.poolId()).writeString(img.id).writeU64Le(sid))), "get_children");
                int n = d.readCountLe("children", 4);
                for (int i = 0; i < n; i++) {
                    out.add(cio.poolName() + "/" + nameOf(cio, d.readString()));
                }
            } catch (RadosException.ObjectNotFoundException e) {
                // no v1 clone in that pool
            }
        }
        return List.copyOf(out);
    }

    static String nameOf(IoCtx io, String imageId) {
        return CephDecoder.of(io.exec("rbd_directory", "rbd", "dir_get_name", encode(e -> e.writeString(imageId))),
                "dir_get_name").readString();
    }

    /** Removes the parent link: parent_detach on the child, and the parent's record of the child. */
    static void detachFromParent(IoCtx io, String childId, Parent p) {
        long opFeatures = CephDecoder.of(io.exec("rbd_header." + childId, "rbd", "op_features_get", new byte[0]),
                "op_features_get").readU64Le();
        io.exec("rbd_header." + childId, "rbd", "parent_detach", new byte[0]);
        IoCtx pio = io.forPool(p.poolId());
        pio.setNamespace(p.poolNamespace());
        if ((opFeatures & OP_CLONE_CHILD) != 0) {
            try {
                pio.exec("rbd_header." + p.imageId(), "rbd", "child_detach", encode(e -> {
                    e.writeU64Le(p.snapId());
                    childSpec(e, io.poolId(), io.namespace(), childId);
                }));
            } catch (RadosException.ObjectNotFoundException e) {
                // the parent no longer lists us
            }
            io.exec("rbd_header." + childId, "rbd", "op_features_set",
                    encode(e -> e.writeU64Le(0).writeU64Le(OP_CLONE_CHILD)));
        } else {
            try {
                io.exec("rbd_children", "rbd", "remove_child", encode(e -> e.writeS64Le(p.poolId())
                        .writeString(p.imageId()).writeU64Le(p.snapId()).writeString(childId)));
            } catch (RadosException.ObjectNotFoundException e) {
                // already gone
            }
        }
    }

    static void rename(IoCtx io, String from, String to) {
        try (RbdImage img = RbdImage.open(io, from, true)) {
            String newIdObject = "rbd_id." + to;
            try {
                io.create(newIdObject, true);
            } catch (RadosException.ObjectExistsException e) {
                throw new RbdException.ImageExistsException("image " + to + " already exists in pool " + io.poolName());
            }
            io.exec(newIdObject, "rbd", "set_id", encode(e -> e.writeString(img.id)));
            io.exec("rbd_directory", "rbd", "dir_rename_image",
                    encode(e -> e.writeString(from).writeString(to).writeString(img.id)));
            io.remove("rbd_id." + from);
        }
    }

    /** Shrinks (objects trimmed, then the object map) or grows the image; the header records the new size last. */
    static void resizeUnderLock(RbdImage img, long newSize, ProgressListener progress) {
        long old = img.size;
        if (img.mapActive() && newSize > old) {
            img.objectMap.resize(img.objectCount(newSize));
        }
        if (newSize < old) {
            // Whole objects past the new end go (PENDING, removed, NONEXISTENT), then what is left
            // of the cut range inside the remaining objects is truncated or zeroed, then the map
            // shrinks: librbd's TrimRequest order.
            long keep = img.objectCount(newSize);
            long end = img.objectCount(old);
            if (keep < end) {
                if (img.mapActive()) {
                    img.objectMap.update(keep, end, ObjectMap.PENDING, java.util.Optional.of(ObjectMap.EXISTS));
                }
                List<CompletableFuture<Void>> parts = new ArrayList<>();
                for (long n = keep; n < end; n++) {
                    parts.add(ignoreMissing(img.io.removeAsync(img.object(n))));
                    progress.update(n, end);
                }
                CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
                if (img.mapActive()) {
                    img.objectMap.update(keep, end, ObjectMap.NONEXISTENT, java.util.Optional.of(ObjectMap.PENDING));
                }
            }
            if (img.layout.isStriped()) {
                for (ObjectExtent x : Striper.fileToExtents(img.layout, newSize, old - newSize)) {
                    long n = x.objectNumber();
                    if (n >= keep || (img.mapActive() && img.mapState(n) == ObjectMap.NONEXISTENT)) {
                        continue;
                    }
                    if (img.mapActive()) {
                        img.markExists(n);
                    }
                    ignoreMissing(img.io.zeroAsync(img.object(n), x.offset(), x.length())).join();
                }
            } else {
                long os = img.layout.objectSize();
                if (newSize % os != 0 && img.io.statOrNull(img.object(newSize / os)) != null) {
                    if (img.mapActive()) {
                        img.markExists(newSize / os);
                    }
                    img.io.truncate(img.object(newSize / os), newSize % os);
                }
            }
            if (img.mapActive()) {
                img.objectMap.resize(keep);
            }
        }
        img.md.exec("rbd_header." + img.id, "rbd", "set_size", encode(e -> e.writeU64Le(newSize)));
        img.size = newSize;
    }
}
