package org.jceph.rbd;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.ExclusiveLock;
import org.jceph.rbd.lock.ImageWatcher;
import org.jceph.rbd.objectmap.ObjectMap;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.layout.StripingLayout;

/**
 * An RBD format 2 image, opened the way librbd opens it (rbd_id.NAME → id; header methods of
 * object class "rbd": get_size, get_object_prefix, get_features, get_stripe_unit_count,
 * get_snapcontext, parent_get), with I/O mapped onto data objects by librbd's striping.
 *
 * <p>Images with exclusive-lock are written the way librbd writes them: a watch on the header,
 * the lock taken before the first write and handed over when another client asks
 * ({@link ExclusiveLock}), and, with object-map, the map updated before each data write
 * ({@link ObjectMap}). Clones read through to their parent within the overlap and copy up before
 * writing; a separate data pool holds the data objects when the image has one. Journaling and
 * unknown feature bits are refused for writing (krbd's rule: refuse what you cannot honour,
 * never corrupt); striped clones are refused for writing. Reads of absent objects return zeros.
 *
 * <p>A handle is safe to use from several threads. {@link #close()} gives back the lock and drops
 * the watch; closing the image's {@link org.jceph.rados.RadosClient} does the same for every
 * image still open on it.
 */
public final class RbdImage implements Image {
    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;
    /** CEPH_NOSNAP, for the package (MIGRATION-HOOK). */
    static final long NOSNAP_ID = NOSNAP;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Data objects: carries the image's snapshot context (librbd's data_ctx). */
    private final IoCtx io;
    /** Header and object map: no snapshot context, so they are never cloned (librbd's md_ctx). */
    private final IoCtx md;
    private final String name;
    private final String id;
    private final String objectPrefix;
    private final int order;
    private final long features;
    private final StripingLayout layout;
    private final boolean readOnly;
    private volatile long size;
    /** Lock acquisition deadline for writes (librbd has none; we bound every wait). */
    public static final java.time.Duration DEFAULT_LOCK_TIMEOUT = java.time.Duration.ofSeconds(
            Long.getLong("jceph.rbd.lockTimeoutSeconds", 120));

    // Present for read-write opens of images with exclusive-lock (and object-map).
    private java.util.concurrent.ExecutorService worker;
    private java.util.concurrent.ExecutorService mapWorkers;
    private ImageWatcher watcher;
    private ExclusiveLock lock;
    private ObjectMap objectMap;
    private volatile boolean objectMapInvalid;
    private final WriteGate gate = new WriteGate();
    /** CACHE-HOOK: the writeback cache of a read-write open, or null (rbd_cache off: uncached path). */
    private volatile org.jceph.rbd.cache.WritebackCache cache;
    /** The snapshot this handle reads ({@link #atSnapshot}), or NOSNAP for HEAD. */
    private long snapId = NOSNAP;

    /** The parent of a clone (opened read-only at the parent snapshot), or null. */
    private volatile Parent parent;

    /**
     * A clone's parent: the image at its snapshot, and how many bytes of the child still read
     * through to it (the overlap; it only shrinks).
     */
    public record Parent(long poolId, String poolNamespace, String imageId, long snapId, long overlap,
                         RbdImage image) {
        /**
         * MIGRATION-HOOK: true when this is the source of a live migration (read at its head,
         * librbd's parent spec with snap id CEPH_NOSNAP), not a clone's parent snapshot.
         *
         * @return whether the "parent" is a migration source
         */
        public boolean isMigrationSource() {
            return snapId == NOSNAP;
        }
    }

    /** Clones nest; a chain longer than this is refused rather than followed. */
    private static final int MAX_PARENT_DEPTH = 16;
    /** CEPH_OPERATION_FEATURE_CLONE_CHILD: the image is a clone v2 child. */
    static final long OP_FEATURE_CLONE_CHILD = 1L << 1;

    private RbdImage(IoCtx io, IoCtx md, String name, String id, String objectPrefix, int order, long size,
            long features, StripingLayout layout, boolean readOnly, Parent parent) {
        this.parent = parent;
        this.io = io;
        this.md = md;
        this.name = name;
        this.id = id;
        this.objectPrefix = objectPrefix;
        this.order = order;
        this.size = size;
        this.features = features;
        this.layout = layout;
        this.readOnly = readOnly;
    }

    /**
     * Creates a format 2 image as librbd does (rbd_id, directory entry, header), with
     * {@code features} limited to what we can write ({@link RbdFeatures#WRITABLE}).
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @param size its size in bytes
     * @param order log2 of its object size (22: 4 MiB objects)
     * @param features its feature bits ({@link RbdFeatures})
     * @throws RbdException.ImageExistsException when the pool has an image of that name
     */
    public static void create(IoCtx io, String name, long size, int order, long features) {
        create(io, name, size, order, features, 0, 0, null);
    }

    /**
     * Creates a format 2 image as librbd's {@code rbd_create4} does, from {@link ImageOptions}.
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @param options size, object size, features, striping and data pool
     * @throws RbdException.ImageExistsException when the pool has an image of that name
     * @throws RbdException.UnsupportedFeaturesException when a feature asked for cannot be written by jceph
     */
    public static void create(IoCtx io, String name, ImageOptions options) {
        java.util.Objects.requireNonNull(io, "io");
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(options, "options");
        create(io, name, options.size(), options.order(), options.features(), options.stripeUnit(),
                options.stripeCount(), options.dataPool());
    }

    /**
     * Creates a format 2 image with librbd's optional layout choices: striping v2 when
     * {@code stripeUnit}/{@code stripeCount} differ from one object per stripe (the stripe unit
     * must divide the object size), and a separate data pool for the data objects when
     * {@code dataPool} is another pool (the header, id and object map stay in {@code io}'s pool).
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @param size its size in bytes
     * @param order log2 of its object size
     * @param features its feature bits ({@link RbdFeatures})
     * @param stripeUnit the stripe unit in bytes (0: the object size)
     * @param stripeCount objects per stripe (0: one)
     * @param dataPool the pool of the data objects (null: {@code io}'s pool)
     * @throws RbdException.ImageExistsException when the pool has an image of that name
     */
    public static void create(IoCtx io, String name, long size, int order, long features, long stripeUnit,
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

    /**
     * Image names and ids in the pool's rbd_directory (format 2 images), by name.
     *
     * @param io the pool (and namespace)
     * @return image ids by image name
     */
    public static java.util.SortedMap<String, String> list(IoCtx io) {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        String after = "";
        while (true) {
            final String start = after;
            byte[] raw;
            try {
                raw = io.exec("rbd_directory", "rbd", "dir_list", encode(e -> e.writeString(start).writeU64Le(1024)));
            } catch (RadosException.ObjectNotFoundException e) {
                return out; // no image was ever created in this pool
            }
            java.util.Map<String, String> page = CephDecoder.of(raw, "dir_list")
                    .readMap(8, CephDecoder::readString, CephDecoder::readString);
            out.putAll(page);
            if (page.size() < 1024) {
                return out;
            }
            after = ((java.util.SortedMap<String, String>) new java.util.TreeMap<>(page)).lastKey();
        }
    }

    /**
     * Removes an image as librbd leaves things after {@code rbd rm}: data objects, header, id
     * object and directory entry. Refused while it has snapshots, a parent, or features whose
     * objects we do not manage.
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @throws RbdException.ImageNotFoundException when there is no such image
     * @throws RbdException.ImageBusyException when another client has it open
     */
    public static void remove(IoCtx io, String name) {
        remove(io, name, ProgressListener.NONE);
    }

    /**
     * {@link #remove(IoCtx, String)} with progress (librbd's {@code rbd_remove_with_progress}):
     * data object {@code n} of {@code N} reported as its removal starts.
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @param progress told of each object (null: nobody)
     */
    public static void remove(IoCtx io, String name, ProgressListener progress) {
        try (RbdImage img = open(io, name, false)) {
            removeOpened(io, img, name, true, ProgressListener.orNone(progress));
        }
    }

    /** Removes a trashed image (known by id; its name is no longer linked in the pool). */
    static void removeTrashed(IoCtx io, String id, String name, ProgressListener progress) {
        try (RbdImage img = openWithId(io, name, id, false, DEFAULT_LOCK_TIMEOUT, 0)) {
            removeOpened(io, img, name, false, progress);
        }
    }

    private static void removeOpened(IoCtx io, RbdImage img, String name, boolean linked, ProgressListener progress) {
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

    /** The two ways librbd links a clone to its parent. */
    public enum CloneFormat {
        /** Parent snapshot must be protected; the child is listed in the child pool's rbd_children object. */
        V1,
        /** No protection needed; the child is listed in the parent's header (child_attach). */
        V2
    }

    /**
     * Clones {@code parentName@snapName} into {@code childName} as librbd's CloneRequest does:
     * a new format 2 image (the parent's order, features + layering, sized as the snapshot),
     * the parent attached to its header with the whole snapshot as overlap, and the child
     * registered with the parent: rbd_children (v1) or child_attach plus the CLONE_CHILD
     * operation feature (v2). A failure part-way removes the child again.
     *
     * @param parentIo the parent's pool
     * @param parentName the parent image
     * @param snapName the parent's snapshot to clone (protected first for {@link CloneFormat#V1})
     * @param childIo the child's pool
     * @param childName the new image's name
     * @param features the child's features (layering is added)
     * @param format how the child is registered with its parent
     */
    public static void clone(IoCtx parentIo, String parentName, String snapName, IoCtx childIo, String childName,
                             long features, CloneFormat format) {
        Snapshot snap;
        String parentId;
        int order;
        try (RbdImage p = open(parentIo, parentName, true)) {
            snap = p.snapshot(snapName);
            parentId = p.id;
            order = p.order;
            if (format == CloneFormat.V1 && !p.isProtected(snapName)) {
                throw new RbdException("parent snapshot " + parentName + "@" + snapName
                        + " must be protected for a v1 clone (rbd snap protect)");
            }
        }
        create(childIo, childName, snap.size(), order, features | RbdFeatures.LAYERING);
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
                        encode(e -> e.writeU64Le(OP_FEATURE_CLONE_CHILD).writeU64Le(OP_FEATURE_CLONE_CHILD)));
            } else {
                childIo.exec("rbd_children", "rbd", "add_child", encode(e -> e.writeS64Le(parentIo.poolId())
                        .writeString(parentId).writeU64Le(snap.id()).writeString(childId)));
            }
        } catch (RuntimeException e) {
            try {
                remove(childIo, childName);
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

    /**
     * The clones of {@code snapName}, as "pool/image" names: v2 children from the header's
     * children_list, v1 children from the rbd_children object of each pool in {@code pools}.
     *
     * @param snapName the snapshot
     * @param pools the pools to look for v1 children in
     * @return the children as "pool/image"
     */
    public List<String> children(String snapName, List<IoCtx> pools) {
        long sid = snapshot(snapName).id();
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        try {
            CephDecoder d = CephDecoder.of(md.exec("rbd_header." + id, "rbd", "children_list",
                    encode(e -> e.writeU64Le(sid))), "children_list");
            int n = d.readCountLe("children", 14);
            for (int i = 0; i < n; i++) {
                CephDecoder.Envelope env = d.beginStruct("ChildImageSpec", 2);
                long pool = d.readS64Le();
                String childId = d.readString();
                String ns = env.version() >= 2 ? d.readString() : "";
                d.endStruct(env);
                IoCtx cio = md.forPool(pool);
                cio.setNamespace(ns);
                out.add(cio.poolName() + "/" + (ns.isEmpty() ? "" : ns + "/") + nameOf(cio, childId));
            }
        } catch (RadosException.ObjectNotFoundException e) {
            // no v2 child was ever attached to this snapshot
        }
        for (IoCtx cio : pools) {
            try {
                CephDecoder d = CephDecoder.of(cio.exec("rbd_children", "rbd", "get_children", encode(e -> e
                        .writeS64Le(md.poolId()).writeString(id).writeU64Le(sid))), "get_children");
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

    private static String nameOf(IoCtx io, String imageId) {
        return CephDecoder.of(io.exec("rbd_directory", "rbd", "dir_get_name", encode(e -> e.writeString(imageId))),
                "dir_get_name").readString();
    }

    /**
     * Makes a clone independent (rbd flatten): every object the parent still backs is copied up
     * (a no-op where the child already has it), then the link is removed on both sides.
     * Refused while the clone has snapshots, which would still need the parent.
     */
    public void flatten() {
        flatten(ProgressListener.NONE);
    }

    /**
     * {@link #flatten()} with progress (librbd's {@code rbd_flatten_with_progress}): object
     * {@code n} of the {@code N} the parent overlap spans, reported as its copy-up starts.
     *
     * @param progress told of each object (null: nobody)
     */
    public void flatten(ProgressListener progress) {
        ProgressListener pl = ProgressListener.orNone(progress);
        checkWritable();
        Parent p = parent;
        if (p == null) {
            throw new RbdException("image " + name + " is not a clone");
        }
        if (p.isMigrationSource()) { // MIGRATION-HOOK
            throw new RbdException(Errno.EBUSY.negative(), "image " + name + " is being migrated: execute the "
                    + "migration instead");
        }
        if (!snapshots().isEmpty()) {
            throw new RbdException("image " + name + " has snapshots: flattening would leave them reading through "
                    + "to the parent; remove them first");
        }
        maintenance(() -> {
            copyUpAll(p, pl);
            detachFromParent(md, id, p);
            parent = null;
            return null;
        });
        if (watcher != null) {
            watcher.notifyHeaderUpdate();
        }
    }

    /**
     * MIGRATION-HOOK: copies up every object the parent (or migration source) still backs, as
     * flatten and migration execute do: a no-op where this image already has the object.
     * Runs under {@link #maintenance}.
     *
     * @param progress told of each object
     */
    void copyUpAll(ProgressListener progress) {
        checkWritable();
        Parent p = parent;
        if (p == null) {
            return;
        }
        maintenance(() -> {
            copyUpAll(p, ProgressListener.orNone(progress));
            return null;
        });
    }

    /** MIGRATION-HOOK: tells other openers to re-read the header (a no-op without a watch). */
    void notifyHeaderUpdate() {
        if (watcher != null) {
            watcher.notifyHeaderUpdate();
        }
    }

    private void copyUpAll(Parent p, ProgressListener pl) {
        long objects = (p.overlap() + layout.objectSize() - 1) / layout.objectSize();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long n = 0; n < objects; n++) {
            final long obj = n;
            parts.add(parentObjectData(obj).thenCompose(data -> {
                if (data.length == 0) {
                    return CompletableFuture.completedFuture(null);
                }
                boolean update = mapActive() && mapState(obj) != ObjectMap.EXISTS;
                return withMapUpdate(update, () -> markExists(obj), () -> io.operateAsync(object(obj),
                        new IoCtx.Operation().exec("rbd", "copyup", data)).thenApply(r -> (Void) null));
            }));
            pl.update(n, objects);
            if (parts.size() >= 16) { // bounded: at most 16 objects in flight
                CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
                parts.clear();
            }
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
    }

    /** Removes the parent link: parent_detach on the child, and the parent's record of the child. */
    private static void detachFromParent(IoCtx io, String childId, Parent p) {
        long opFeatures = CephDecoder.of(io.exec("rbd_header." + childId, "rbd", "op_features_get", new byte[0]),
                "op_features_get").readU64Le();
        io.exec("rbd_header." + childId, "rbd", "parent_detach", new byte[0]);
        IoCtx pio = io.forPool(p.poolId());
        pio.setNamespace(p.poolNamespace());
        if ((opFeatures & OP_FEATURE_CLONE_CHILD) != 0) {
            try {
                pio.exec("rbd_header." + p.imageId(), "rbd", "child_detach", encode(e -> {
                    e.writeU64Le(p.snapId());
                    childSpec(e, io.poolId(), io.namespace(), childId);
                }));
            } catch (RadosException.ObjectNotFoundException e) {
                // the parent no longer lists us
            }
            io.exec("rbd_header." + childId, "rbd", "op_features_set",
                    encode(e -> e.writeU64Le(0).writeU64Le(OP_FEATURE_CLONE_CHILD)));
        } else {
            try {
                io.exec("rbd_children", "rbd", "remove_child", encode(e -> e.writeS64Le(p.poolId())
                        .writeString(p.imageId()).writeU64Le(p.snapId()).writeString(childId)));
            } catch (RadosException.ObjectNotFoundException e) {
                // already gone
            }
        }
    }

    /**
     * Renames an image: a new id object, the directory entry moved, the old id object removed.
     *
     * @param io the pool (and namespace)
     * @param from the current name
     * @param to the new name
     * @throws RbdException.ImageExistsException when {@code to} exists
     */
    public static void rename(IoCtx io, String from, String to) {
        try (RbdImage img = open(io, from, true)) {
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

    private static CompletableFuture<Void> ignoreMissing(CompletableFuture<Void> f) {
        return f.handle((v, err) -> {
            Throwable c = RadosException.unwrap(err);
            if (c != null && !(c instanceof RadosException.ObjectNotFoundException)) {
                throw c instanceof RuntimeException re ? re : new CompletionException(c);
            }
            return null;
        });
    }

    /**
     * Opens image {@code name}; read-write unless {@code readOnly}.
     *
     * @param io the pool (and namespace) of the image; the image keeps its own copy
     * @param name the image's name
     * @param readOnly open for reading only (no lock, no watch)
     * @return the open image; close it when done
     * @throws RbdException.ImageNotFoundException when there is no such image
     * @throws RbdException.UnsupportedFeaturesException when the image has features jceph cannot honour for that access
     */
    public static RbdImage open(IoCtx io, String name, boolean readOnly) {
        return open(io, name, readOnly, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * Opens image {@code name}; a write that needs the exclusive lock fails with
     * {@link RbdException.LockTimeoutException} when it cannot have it within {@code lockTimeout}.
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @param readOnly open for reading only
     * @param lockTimeout how long a write waits for the exclusive lock
     * @return the open image; close it when done
     */
    public static RbdImage open(IoCtx io, String name, boolean readOnly, java.time.Duration lockTimeout) {
        return open(io, name, readOnly, lockTimeout, 0);
    }

    /**
     * Opens image {@code name} as {@code options} say: read-write or read-only, at its head or at
     * a snapshot (librbd's {@code rbd_open} / {@code rbd_open_read_only} with a snapshot name).
     *
     * @param io the pool (and namespace) of the image; the image keeps its own copy
     * @param name the image's name
     * @param options the access mode, snapshot and lock timeout
     * @return the open image; close it when done
     * @throws RbdException.ImageNotFoundException when there is no such image
     * @throws RbdException.NoSuchKeyException when the image has no such snapshot
     * @throws RbdException.UnsupportedFeaturesException when the image has features jceph cannot honour for that access
     */
    public static RbdImage open(IoCtx io, String name, OpenOptions options) {
        java.util.Objects.requireNonNull(io, "io");
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(options, "options");
        return atSnapshotOf(open(io, name, options.readOnly(), options.lockTimeout(), 0), options);
    }

    /**
     * Opens an image by its id (librbd's {@code rbd_open_by_id}): the id stays the same when the
     * image is renamed, and an image in the trash can be opened by id only.
     *
     * @param io the pool (and namespace) of the image
     * @param imageId the image's id, as {@link #id()} or {@code rbd info} shows it
     * @param options the access mode, snapshot and lock timeout
     * @return the open image; close it when done
     * @throws RbdException.ImageNotFoundException when no image in the pool has that id
     * @throws RbdException.NoSuchKeyException when the image has no such snapshot
     */
    public static RbdImage openById(IoCtx io, String imageId, OpenOptions options) {
        java.util.Objects.requireNonNull(io, "io");
        java.util.Objects.requireNonNull(imageId, "imageId");
        java.util.Objects.requireNonNull(options, "options");
        if (imageId.isEmpty()) {
            throw new IllegalArgumentException("image id is empty");
        }
        String name;
        try {
            name = nameOf(io, imageId);
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
    private static RbdImage atSnapshotOf(RbdImage head, OpenOptions options) {
        if (options.snapshot() == null) {
            return head;
        }
        try {
            return head.atSnapshot(options.snapshot());
        } finally {
            head.close();
        }
    }

    private static RbdImage open(IoCtx io, String name, boolean readOnly, java.time.Duration lockTimeout, int depth) {
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

    /**
     * The parent of this clone, or null.
     *
     * @return the parent, or null for an image that is not a clone
     */
    public Parent parent() {
        return parent;
    }

    /** The pool context of the header and object maps. */
    IoCtx metadataIo() {
        return md;
    }

    /** The exclusive lock (null without the feature or on a read-only handle): ImageLocks' hook. */
    ExclusiveLock exclusiveLock() {
        return lock;
    }

    /** The snapshot this handle reads (NOSNAP, the largest id, for HEAD). */
    long viewSnapId() {
        return snapId;
    }

    /** The data objects' context (a data pool's, if any), reading this handle's snapshot. */
    IoCtx dataIo() {
        return io;
    }

    RbdImage atSnapshotId(long snapId) {
        for (Snapshot s : snapshots()) {
            if (s.id() == snapId) {
                return atSnapshot(s.name());
            }
        }
        throw new RbdException("image " + name + " has no snapshot with id " + snapId);
    }

    /**
     * The image's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    private void startLocking(java.time.Duration lockTimeout) {
        if (lockTimeout.isZero()) {
            lockTimeout = java.time.Duration.ofDays(3650); // 0: no limit, as librados' timeouts
        }
        String header = "rbd_header." + id;
        worker = ImageThreads.lockWorker(name);
        mapWorkers = ImageThreads.mapUpdates();
        try {
            watcher = new ImageWatcher(md, header, worker);
        } catch (RuntimeException e) {
            worker.shutdownNow();
            throw e;
        }
        if ((features & RbdFeatures.OBJECT_MAP) != 0) {
            objectMap = new ObjectMap(md, id);
        }
        watcher.onHeaderUpdate(n -> refreshQuietly());
        // closing the client first gives the lock back and drops the watch, as closing this image does
        md.client().registerDependent(this);
        lock = new ExclusiveLock(md, watcher, worker, lockTimeout, new ExclusiveLock.Hooks() {
            @Override
            public void acquired() {
                // librbd's post-acquire: refresh the header, then lock and load the object map.
                refreshHeader();
                if (objectMap != null) {
                    objectMap.lock();
                    objectMap.load();
                    objectMapInvalid = (ObjectMap.flags(md, id) & ObjectMap.FLAG_OBJECT_MAP_INVALID) != 0;
                }
            }

            @Override
            public void beforeRelease() {
                try {
                    flushCache("before giving the exclusive lock away"); // CACHE-HOOK
                } catch (RuntimeException e) {
                    LOG_CACHE.warn("image {}: flush before releasing the exclusive lock failed: {}", name,
                            e.getMessage());
                }
            }

            @Override
            public void releasing() {
                if (objectMap != null) {
                    objectMap.unlock();
                }
            }
        }, name);
    }

    /** Re-reads size and snapshot context from the header (after a peer's HEADER_UPDATE or on lock). */
    private void refreshHeader() {
        String header = "rbd_header." + id;
        CephDecoder sz = CephDecoder.of(md.exec(header, "rbd", "get_size", encode(e -> e.writeU64Le(NOSNAP))), "get_size");
        sz.readU8();
        size = sz.readU64Le();
        refreshSnapContext();
        Parent p = parent;
        if (p != null && p.isMigrationSource() && !Migration.readsThrough(md, id)) { // MIGRATION-HOOK
            // executed (or committed) elsewhere: the destination stands on its own (or its clone parent)
            parent = loadParent(md, header, NOSNAP, 0);
            p.image().close();
        }
    }

    private void refreshQuietly() {
        try {
            refreshHeader();
        } catch (RuntimeException e) {
            // The next lock acquisition refreshes again.
        }
    }

    /**
     * Whether we hold the image's exclusive lock now (false for images without the feature).
     *
     * @return true while this handle owns the lock
     */
    public boolean holdsExclusiveLock() {
        return lock != null && lock.isOwner();
    }

    /**
     * How often this handle took the exclusive lock (hand-overs with other clients show here).
     *
     * @return how many times
     */
    public long lockAcquisitions() {
        return lock == null ? 0 : lock.acquisitions();
    }

    /** A permit for one write: the exclusive lock when the image has the feature. */
    private CompletableFuture<ExclusiveLock.Permit> permit() {
        if (lock == null) {
            return CompletableFuture.completedFuture(() -> {
            });
        }
        return lock.begin();
    }

    /** Runs a maintenance operation (resize, snapshots) holding the exclusive lock if there is one. */
    private <T> T maintenance(java.util.function.Supplier<T> op) {
        flushCache("before a snapshot/resize/rollback"); // CACHE-HOOK: every on-disk change sees the writes before it
        ExclusiveLock.Permit p;
        try {
            p = permit().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        gate.pause(name);
        try {
            return op.get();
        } finally {
            gate.resume();
            p.close();
        }
    }

    /**
     * A maintenance operation that changes the header (cache written back, exclusive lock held,
     * writes paused), after which the header's watchers are told to refresh.
     */
    private void headerChange(Runnable underLock) {
        maintenance(() -> {
            underLock.run();
            return null;
        });
        if (watcher != null) {
            watcher.notifyHeaderUpdate();
        }
    }

    /** Runs {@code op} as a maintenance operation (FeatureUpdate, ObjectMapRebuild, Sparsify): cache flushed, exclusive lock held, writes paused. */
    <T> T underMaintenance(java.util.function.Supplier<T> op) {
        checkWritable();
        return maintenance(op);
    }

    private boolean mapActive() {
        return objectMap != null;
    }

    /**
     * Runs the object map updates {@code updates} needs before the data I/O, off the caller's
     * thread when there is anything to send; then the I/O.
     */
    private CompletableFuture<Void> withMapUpdate(boolean needed, Runnable updates,
            java.util.function.Supplier<CompletableFuture<Void>> io) {
        if (!needed) {
            return io.get();
        }
        return CompletableFuture.runAsync(updates, mapWorkers).thenCompose(v -> io.get());
    }

    private int mapState(long objectNo) {
        // An invalid map is not trusted: every object may exist and every update is sent.
        return objectMapInvalid ? -1 : objectMap.state(objectNo);
    }

    private void markExists(long objectNo) {
        objectMap.update(objectNo, objectNo + 1, ObjectMap.EXISTS, java.util.Optional.empty());
    }

    /**
     * The image's id (the suffix of rbd_header.ID and of its data objects' names).
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The on-disk format: 2.
     *
     * @return 2
     */
    @Override
    public int format() {
        return 2;
    }

    /**
     * The image's size, as last read from the header or set by {@link #resize}.
     *
     * @return the size in bytes
     */
    public long size() {
        return size;
    }

    /**
     * log2 of the object size.
     *
     * @return the order (22: 4 MiB objects)
     */
    public int order() {
        return order;
    }

    /**
     * The image's feature bits ({@link RbdFeatures}).
     *
     * @return the bits
     */
    public long features() {
        return features;
    }

    /**
     * The prefix of the data objects' names (rbd_data.ID).
     *
     * @return the prefix
     */
    public String objectPrefix() {
        return objectPrefix;
    }

    /**
     * Whether this handle was opened read-only (or is a snapshot's).
     *
     * @return true for read-only
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * How the image is striped over its objects.
     *
     * @return the layout
     */
    public StripingLayout layout() {
        return layout;
    }

    private String object(long number) {
        return dataObjectName(objectPrefix, number);
    }

    /**
     * Runs {@code step} on data object {@code n} as a write does: under the exclusive lock and
     * the write gate, the object map marked first, a clone's parent data copied up in the same
     * operation (for {@link ImageWriteOps}).
     */
    CompletableFuture<Void> objectStep(long n, boolean readsData, java.util.function.Consumer<IoCtx.Operation> step) {
        checkWritable();
        return permit().thenCompose(p -> guarded(p, () -> gated(() -> withMapUpdate(
                mapActive() && mapState(n) != ObjectMap.EXISTS, () -> markExists(n), () -> !needsCopyup(n)
                        ? io.operateAsync(object(n), stepOf(step)).thenApply(r -> null)
                        : copyupGuarded(n, step, readsData)))));
    }

    private static IoCtx.Operation stepOf(java.util.function.Consumer<IoCtx.Operation> step) {
        IoCtx.Operation op = new IoCtx.Operation();
        step.accept(op);
        return op;
    }

    /** The object map's state of object {@code n}; -1 when there is no (trusted) map. */
    int objectMapStateOf(long n) {
        return mapActive() ? mapState(n) : -1;
    }

    /** Sets object {@code n}'s state in the object map, if there is one. */
    void objectMapSet(long n, int state) {
        if (mapActive()) {
            objectMap.update(n, n + 1, state, java.util.Optional.empty());
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code prefix.%016x} without a Formatter (this is on every I/O's path). */
    static String dataObjectName(String prefix, long number) {
        char[] c = new char[prefix.length() + 17];
        prefix.getChars(0, prefix.length(), c, 0);
        int at = prefix.length();
        c[at] = '.';
        for (int i = 16; i >= 1; i--) {
            c[at + i] = HEX[(int) (number & 0xf)];
            number >>>= 4;
        }
        return new String(c);
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new RbdException("range " + offset + "+" + length + " is outside the image (" + size + " bytes)");
        }
    }

    private void checkWritable() {
        if (readOnly) {
            throw new RbdException("image " + name + " is open read-only");
        }
    }

    /**
     * Reads {@code length} bytes at {@code offset}; absent objects and holes read as zeros.
     *
     * @param offset where to read, within the image
     * @param length how many bytes
     * @return a future of exactly {@code length} bytes
     */
    public CompletableFuture<byte[]> readAsync(long offset, int length) {
        checkRange(offset, length);
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK
        return c != null ? c.read(offset, length) : readUncached(offset, length);
    }

    private CompletableFuture<byte[]> readUncached(long offset, int length) {
        List<ObjectExtent> extents = Striper.fileToExtents(layout, offset, length);
        if (extents.size() == 1 && parent == null && extents.get(0).bufferExtents().size() == 1) {
            // one object, one piece, no parent: the object's bytes are the answer, no second copy
            ObjectExtent x = extents.get(0);
            return io.readAsync(object(x.objectNumber()), x.offset(), length).handle((data, err) -> {
                if (err != null) {
                    Throwable c = RadosException.unwrap(err);
                    if (c instanceof RadosException.ObjectNotFoundException) {
                        return new byte[length]; // never written: zeros
                    }
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                return data.length == length ? data : java.util.Arrays.copyOf(data, length); // short object: zeros after
            });
        }
        byte[] out = new byte[length];
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : extents) {
            parts.add(io.readAsync(object(x.objectNumber()), x.offset(), (int) x.length()).handle((data, err) -> {
                if (err != null) {
                    Throwable c = RadosException.unwrap(err);
                    if (c instanceof RadosException.ObjectNotFoundException) {
                        return readFromParent(offset, x, out); // never written: the parent's bytes, or zeros
                    }
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                int at = 0;
                for (long[] b : x.bufferExtents()) {
                    if (at >= data.length) {
                        break; // the object ends here: the rest of the extent reads as zeros
                    }
                    int n = (int) Math.min(b[1], data.length - at);
                    System.arraycopy(data, at, out, (int) b[0], n);
                    at += (int) b[1];
                }
                return null;
            }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
        if (parent == null) {
            return all.thenApply(v -> out); // no clone: no read-through bookkeeping on the read path
        }
        return all.thenCompose(v -> CompletableFuture.allOf(parentReads(out))).thenApply(v -> out);
    }

    /**
     * Reads through to the parent for the parts of an absent object below the overlap. The reads
     * are collected per output buffer and awaited by {@link #readAsync} (we are on an I/O
     * thread here and must not block).
     */
    private Void readFromParent(long offset, ObjectExtent x, byte[] out) {
        Parent p = parent;
        if (p == null) {
            return null;
        }
        for (long[] b : x.bufferExtents()) {
            long imageOff = offset + b[0];
            long n = Math.min(b[1], p.overlap() - imageOff);
            if (n <= 0) {
                continue;
            }
            int at = (int) b[0];
            CompletableFuture<Void> f = p.image().readAsync(imageOff, (int) n)
                    .thenAccept(d -> System.arraycopy(d, 0, out, at, d.length));
            synchronized (pendingParentReads) {
                pendingParentReads.computeIfAbsent(out, k -> new ArrayList<>()).add(f);
            }
        }
        return null;
    }

    private final java.util.Map<byte[], List<CompletableFuture<Void>>> pendingParentReads =
            new java.util.IdentityHashMap<>();

    private CompletableFuture<?>[] parentReads(byte[] out) {
        synchronized (pendingParentReads) {
            List<CompletableFuture<Void>> l = pendingParentReads.remove(out);
            return l == null ? new CompletableFuture<?>[0] : l.toArray(CompletableFuture[]::new);
        }
    }

    /** The image range [start, end) that object {@code n} holds (non-striped layouts). */
    private long objectStart(long n) {
        return n * layout.objectSize();
    }

    /** True when writes to object {@code n} must first copy the parent's data up. */
    private boolean needsCopyup(long n) {
        Parent p = parent;
        return p != null && objectStart(n) < p.overlap();
    }

    private CompletableFuture<Void> copyupGuarded(long n, java.util.function.Consumer<IoCtx.Operation> step) {
        return copyupGuarded(n, step, false);
    }

    /**
     * Applies {@code step} to object {@code n} of a clone as librbd does: guarded by
     * assert-exists; when the object is absent, the parent's bytes for it are copied up (cls rbd
     * copyup, a no-op if another writer got there first), then the step runs.
     *
     * <p>The copy-up goes in the same operation as the step, unless {@code stepReadsObject}: the
     * OSD evaluates reads in a write op (cmpext) against the object as it was before the op, so
     * such a step would not see a copy-up sent with it. Then the copy-up is its own operation
     * first, and the step follows.
     */
    private CompletableFuture<Void> copyupGuarded(long n, java.util.function.Consumer<IoCtx.Operation> step,
            boolean stepReadsObject) {
        String oid = object(n);
        IoCtx.Operation first = new IoCtx.Operation().assertExists();
        step.accept(first);
        return io.operateAsync(oid, first).<Void>thenApply(r -> null).exceptionallyCompose(err -> {
            Throwable c = RadosException.unwrap(err);
            if (!(c instanceof RadosException.ObjectNotFoundException)) {
                return CompletableFuture.failedFuture(c);
            }
            return parentObjectData(n).thenCompose(data -> {
                IoCtx.Operation copyup = data.length == 0 ? null : new IoCtx.Operation().exec("rbd", "copyup", data);
                if (stepReadsObject) {
                    CompletableFuture<?> before = copyup == null ? CompletableFuture.completedFuture(null)
                            : io.operateAsync(oid, copyup);
                    return before.thenCompose(v -> io.operateAsync(oid, stepOf(step))).thenApply(r -> (Void) null);
                }
                IoCtx.Operation op = copyup == null ? new IoCtx.Operation() : copyup;
                step.accept(op);
                return io.operateAsync(oid, op).thenApply(r -> (Void) null);
            });
        });
    }

    /** The parent's bytes backing object {@code n}, trailing zeros trimmed (empty: all zeros). */
    private CompletableFuture<byte[]> parentObjectData(long n) {
        Parent p = parent;
        long start = objectStart(n);
        long len = p == null ? 0 : Math.min(layout.objectSize(), p.overlap() - start);
        if (len <= 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        return p.image().readAsync(start, (int) len).thenApply(d -> {
            int end = d.length;
            while (end > 0 && d[end - 1] == 0) {
                end--;
            }
            return end == d.length ? d : java.util.Arrays.copyOf(d, end);
        });
    }

    /**
     * Writes {@code data} at {@code offset}. As with librbd's aio_write, the array must not change
     * until the future completes: a write that fits one object sends it as it is, without a copy.
     *
     * @param offset where to write, within the image
     * @param data what to write
     * @return a future completed when the OSDs have the data durably
     */
    public CompletableFuture<Void> writeAsync(long offset, byte[] data) {
        return writeAsync(offset, data, false);
    }

    /**
     * Writes {@code data} at {@code offset}; with {@code fua} (NBD's FUA, forced unit access) the
     * future completes only once the OSDs have the data, even with the writeback cache on. With
     * the cache in writeback mode the data is copied and may be changed once the future completes.
     *
     * @param offset where to write, within the image
     * @param data what to write
     * @param fua force the data to the OSDs before completing
     * @return a future completed when the write is acknowledged (durable, unless cached)
     */
    public CompletableFuture<Void> writeAsync(long offset, byte[] data, boolean fua) {
        checkWritable();
        checkRange(offset, data.length);
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK: the lock is ours before a write is cached
        return c != null ? permit().thenCompose(p -> {
            try {
                return c.write(offset, data, fua); // taken (buffered, queued or sent): its writeback has its own permit
            } finally {
                p.close();
            }
        }) : writeUncached(offset, data);
    }

    private CompletableFuture<Void> writeUncached(long offset, byte[] data) {
        return permit().thenCompose(p -> guarded(p, () -> gated(() -> writeUnderLock(offset, data))));
    }

    private static CompletableFuture<Void> guarded(ExclusiveLock.Permit p,
            java.util.function.Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> f;
        try {
            f = op.get();
        } catch (RuntimeException e) {
            p.close();
            return CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((v, err) -> p.close());
    }

    /** Runs {@code op} once no snapshot/resize/rollback is changing the image, counted until it completes. */
    private CompletableFuture<Void> gated(java.util.function.Supplier<CompletableFuture<Void>> op) {
        return gate.begin().thenCompose(v -> {
            CompletableFuture<Void> f;
            try {
                f = op.get();
            } catch (RuntimeException e) {
                gate.end();
                return CompletableFuture.failedFuture(e);
            }
            return f.whenComplete((x, err) -> gate.end());
        });
    }

    private CompletableFuture<Void> writeUnderLock(long offset, byte[] data) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        List<ObjectExtent> extents = Striper.fileToExtents(layout, offset, data.length);
        for (ObjectExtent x : extents) {
            byte[] piece;
            if (extents.size() == 1 && x.length() == data.length) {
                piece = data; // one object, all of it: no copy
            } else {
                piece = new byte[(int) x.length()];
                int at = 0;
                for (long[] b : x.bufferExtents()) {
                    System.arraycopy(data, (int) b[0], piece, at, (int) b[1]);
                    at += (int) b[1];
                }
            }
            long objectNo = x.objectNumber();
            boolean update = mapActive() && mapState(objectNo) != ObjectMap.EXISTS;
            parts.add(withMapUpdate(update, () -> markExists(objectNo),
                    () -> needsCopyup(objectNo) ? copyupGuarded(objectNo, op -> op.write(x.offset(), piece))
                            : io.writeAsync(object(objectNo), x.offset(), piece)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /**
     * librbd's write_zeroes: the range reads back as zeros afterwards, whatever a clone's parent
     * holds. Our discard already gives that guarantee (whole objects removed outside a parent's
     * overlap, zeroed inside it), so it is the same operation.
     *
     * @param offset where the range starts
     * @param length its length in bytes
     * @return a future completed when done
     */
    public CompletableFuture<Void> writeZeroesAsync(long offset, long length) {
        return discardAsync(offset, length);
    }

    /**
     * Discards a range: whole objects are removed, parts of objects zeroed. Reads return zeros
     * afterwards (what librbd guarantees for images without a parent).
     *
     * @param offset where the range starts
     * @param length its length in bytes
     * @return a future completed when done
     */
    public CompletableFuture<Void> discardAsync(long offset, long length) {
        checkWritable();
        checkRange(offset, length);
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK
        return c != null ? c.discard(offset, length) : discardUncached(offset, length);
    }

    private CompletableFuture<Void> discardUncached(long offset, long length) {
        return permit().thenCompose(p -> guarded(p, () -> gated(() -> discardUnderLock(offset, length))));
    }

    private CompletableFuture<Void> discardUnderLock(long offset, long length) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : Striper.fileToExtents(layout, offset, length)) {
            long objectNo = x.objectNumber();
            String obj = object(objectNo);
            boolean whole = x.offset() == 0 && x.length() == layout.objectSize();
            if (needsCopyup(objectNo)) {
                // removing the object would let the parent's bytes show through again: zero it
                boolean update = mapActive() && mapState(objectNo) != ObjectMap.EXISTS;
                parts.add(withMapUpdate(update, () -> markExists(objectNo),
                        () -> copyupGuarded(objectNo, op -> op.zero(x.offset(), x.length()))));
                continue;
            }
            if (!mapActive()) {
                parts.add(ignoreMissing(whole ? io.removeAsync(obj) : io.zeroAsync(obj, x.offset(), x.length())));
                continue;
            }
            int state = mapState(objectNo);
            if (state == ObjectMap.NONEXISTENT) {
                continue; // the map says there is nothing there (librbd skips the op too)
            }
            if (whole) {
                // PENDING before the removal, NONEXISTENT after it, as librbd's discard does.
                parts.add(CompletableFuture.runAsync(() -> objectMap.update(objectNo, objectNo + 1, ObjectMap.PENDING,
                        java.util.Optional.empty()), mapWorkers)
                        .thenCompose(v -> ignoreMissing(io.removeAsync(obj)))
                        .thenRunAsync(() -> objectMap.update(objectNo, objectNo + 1, ObjectMap.NONEXISTENT,
                                java.util.Optional.of(ObjectMap.PENDING)), mapWorkers));
            } else {
                parts.add(withMapUpdate(state != ObjectMap.EXISTS, () -> markExists(objectNo),
                        () -> ignoreMissing(io.zeroAsync(obj, x.offset(), x.length()))));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /**
     * Resizes the image. Shrinking removes the objects past the new end and truncates the one
     * that straddles it (non-striped images), or zeroes the cut range (striped ones), before the
     * header records the new size; growing only records it.
     *
     * @param newSize the new size in bytes
     */
    public void resize(long newSize) {
        resize(newSize, ProgressListener.NONE);
    }

    /**
     * {@link #resize(long)} with progress (librbd's {@code rbd_resize_with_progress}): when
     * shrinking, each object {@code n} past the new end reported out of the old object count as
     * its removal starts; growing reports nothing.
     *
     * @param newSize the new size in bytes
     * @param progress told of each object removed (null: nobody)
     */
    public void resize(long newSize, ProgressListener progress) {
        checkWritable();
        if (newSize < 0) {
            throw new RbdException("negative size");
        }
        headerChange(() -> resizeUnderLock(newSize, ProgressListener.orNone(progress)));
    }

    private long objectCount(long bytes) {
        return objectCountFor(layout, bytes);
    }

    /** How many data objects an image of {@code bytes} spans (librbd's Striper::get_num_objects). */
    public static long objectCountFor(StripingLayout layout, long bytes) {
        long sets = (bytes + layout.objectSetSize() - 1) / layout.objectSetSize();
        if (!layout.isStriped()) {
            return (bytes + layout.objectSize() - 1) / layout.objectSize();
        }
        // A partial last object set still spans stripe_count objects once it holds a full stripe.
        long full = bytes / layout.objectSetSize();
        long rest = bytes - full * layout.objectSetSize();
        long inLast = Math.min(layout.stripeCount(), (rest + layout.stripeUnit() - 1) / layout.stripeUnit());
        return sets == full ? full * layout.stripeCount() : full * layout.stripeCount() + inLast;
    }

    private void resizeUnderLock(long newSize, ProgressListener progress) {
        long old = size;
        if (mapActive() && newSize > old) {
            objectMap.resize(objectCount(newSize));
        }
        if (newSize < old) {
            // Whole objects past the new end go (PENDING, removed, NONEXISTENT), then what is left
            // of the cut range inside the remaining objects is truncated or zeroed, then the map
            // shrinks: librbd's TrimRequest order.
            long keep = objectCount(newSize);
            long end = objectCount(old);
            if (keep < end) {
                if (mapActive()) {
                    objectMap.update(keep, end, ObjectMap.PENDING, java.util.Optional.of(ObjectMap.EXISTS));
                }
                List<CompletableFuture<Void>> parts = new ArrayList<>();
                for (long n = keep; n < end; n++) {
                    parts.add(ignoreMissing(io.removeAsync(object(n))));
                    progress.update(n, end);
                }
                CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
                if (mapActive()) {
                    objectMap.update(keep, end, ObjectMap.NONEXISTENT, java.util.Optional.of(ObjectMap.PENDING));
                }
            }
            if (layout.isStriped()) {
                for (ObjectExtent x : Striper.fileToExtents(layout, newSize, old - newSize)) {
                    long n = x.objectNumber();
                    if (n >= keep || (mapActive() && mapState(n) == ObjectMap.NONEXISTENT)) {
                        continue;
                    }
                    if (mapActive()) {
                        markExists(n);
                    }
                    ignoreMissing(io.zeroAsync(object(n), x.offset(), x.length())).join();
                }
            } else {
                long os = layout.objectSize();
                if (newSize % os != 0 && io.statOrNull(object(newSize / os)) != null) {
                    if (mapActive()) {
                        markExists(newSize / os);
                    }
                    io.truncate(object(newSize / os), newSize % os);
                }
            }
            if (mapActive()) {
                objectMap.resize(keep);
            }
        }
        md.exec("rbd_header." + id, "rbd", "set_size", encode(e -> e.writeU64Le(newSize)));
        size = newSize;
    }

    // ---- snapshots (self-managed snap ids, registered in the header with cls rbd) ------------

    /**
     * One snapshot of the image: its namespace type (cls::rbd::SnapshotNamespaceType: 0 user,
     * 1 group, 2 trash, 3 mirror) and creation time, when the header gave them.
     */
    public record Snapshot(long id, String name, long size, int namespaceType, java.time.Instant timestamp) {
        /**
         * The namespace type of snapshots users take.
         */
        public static final int NAMESPACE_USER = 0;

        /**
         * A user snapshot whose creation time is not known.
         *
         * @param id its snap id
         * @param name its name
         * @param size the image's size at the snapshot
         */
        public Snapshot(long id, String name, long size) {
            this(id, name, size, NAMESPACE_USER, null);
        }

        /**
         * A snapshot the user took (rbd snap create), not a group, trash or mirror one.
         *
         * @return true for a user snapshot
         */
        public boolean isUser() {
            return namespaceType == NAMESPACE_USER;
        }
    }

    /**
     * The user's snapshots only, oldest first: what {@code rbd snap ls} and {@code rbd du} show.
     *
     * @return the snapshots
     */
    public List<Snapshot> userSnapshots() {
        return snapshots().stream().filter(Snapshot::isUser).toList();
    }

    /**
     * Snapshots, oldest first (get_snapcontext, then snapshot_get for each id).
     *
     * @return the snapshots of every namespace
     */
    public List<Snapshot> snapshots() {
        String header = "rbd_header." + id;
        SnapContext snapc = SnapContext.decode(CephDecoder.of(md.exec(header, "rbd", "get_snapcontext", new byte[0]),
                "get_snapcontext"));
        List<Snapshot> out = new ArrayList<>();
        for (int i = snapc.snaps().size() - 1; i >= 0; i--) {
            long snapId = snapc.snaps().get(i);
            CephDecoder d = CephDecoder.of(md.exec(header, "rbd", "snapshot_get", encode(e -> e.writeU64Le(snapId))),
                    "snapshot_get");
            CephDecoder.Envelope env = d.beginStruct("cls::rbd::SnapshotInfo", 1);
            long sid = d.readU64Le();
            CephDecoder.Envelope ns = d.beginStruct("SnapshotNamespace", 1);
            int nsType = (int) d.readU32Le();
            d.endStruct(ns); // the namespace's own fields (group, trash or mirror details) are skipped
            String snapName = d.readString();
            long snapSize = d.readU64Le();
            long sec = d.readU32Le();
            long nsec = d.readU32Le();
            d.endStruct(env); // child_count follows; not needed here
            out.add(new Snapshot(sid, snapName, snapSize, nsType, java.time.Instant.ofEpochSecond(sec, nsec)));
        }
        return out;
    }

    /**
     * Creates a snapshot: a self-managed snap id, registered in the header; later writes keep it.
     *
     * @param snapName the snapshot's name
     * @return the new snapshot
     */
    public Snapshot snapCreate(String snapName) {
        checkWritable();
        Snapshot s = maintenance(() -> snapCreateUnderLock(snapName));
        if (watcher != null) {
            watcher.notifyHeaderUpdate();
        }
        return s;
    }

    /**
     * Group hook: a snapshot in a non-user namespace ({@code namespace} writes the whole
     * cls::rbd::SnapshotNamespace struct), taken as {@link #snapCreate} takes user snapshots.
     */
    Snapshot snapCreateInNamespace(String snapName, java.util.function.Consumer<CephEncoder> namespace) {
        checkWritable();
        Snapshot s = maintenance(() -> snapCreateUnderLock(snapName, namespace));
        if (watcher != null) {
            watcher.notifyHeaderUpdate();
        }
        return s;
    }

    /** Group hook: removes a snapshot of any namespace (public {@link #snapRemove} takes user ones only). */
    void snapRemoveAnyNamespace(String snapName) {
        checkWritable();
        headerChange(() -> snapRemoveUnderLock(snapName));
    }

    /** Group hook: rolls back to a snapshot of any namespace. */
    void snapRollbackAnyNamespace(String snapName) {
        checkWritable();
        headerChange(() -> snapRollbackUnderLock(snapName, ProgressListener.NONE));
    }

    private Snapshot snapCreateUnderLock(String snapName) {
        return snapCreateUnderLock(snapName, e -> {
            int mark = e.beginStruct(1, 1);
            e.writeU32Le(0); // SnapshotNamespace USER
            e.finishStruct(mark);
        });
    }

    private Snapshot snapCreateUnderLock(String snapName, java.util.function.Consumer<CephEncoder> namespace) {
        long snapId = io.selfManagedSnapCreate();
        md.exec("rbd_header." + id, "rbd", "snapshot_add", encode(e -> {
            e.writeString(snapName).writeU64Le(snapId);
            namespace.accept(e);
        }));
        refreshSnapContext();
        if (mapActive()) {
            objectMap.snapshotCreated(snapId, (features & RbdFeatures.FAST_DIFF) != 0);
        }
        return new Snapshot(snapId, snapName, size);
    }

    /**
     * Removes a snapshot (rbd snap rm): unregistered from the header, its snap id
     * removed from the pool so that the OSDs trim its clones.
     *
     * @param snapName the snapshot's name
     */
    public void snapRemove(String snapName) {
        checkWritable();
        userSnapshot(snapName);
        headerChange(() -> snapRemoveUnderLock(snapName));
    }

    /**
     * rbd snap rename: cls_rbd snapshot_rename under the exclusive lock, as librbd's owner does it
     * ({@link RbdException.NoSuchKeyException} for an unknown snapshot, a plain
     * {@link RbdException} when the new name is taken).
     */
    public void snapRename(String from, String to) {
        checkWritable();
        Snapshot s = snapshots().stream().filter(x -> x.name().equals(from)).findFirst()
                .orElseThrow(() -> new RbdException.NoSuchKeyException("image " + name + " has no snapshot " + from));
        if (snapshots().stream().anyMatch(x -> x.name().equals(to))) {
            throw new SnapshotExistsException(name + "@" + to);
        }
        headerChange(() -> md.exec("rbd_header." + id, "rbd", "snapshot_rename",
                encode(e -> e.writeU64Le(s.id()).writeString(to))));
    }

    /** A snapshot name already in use (EEXIST in the rbd tool). */
    public static final class SnapshotExistsException extends RbdException {
        private static final long serialVersionUID = 1L;

        public SnapshotExistsException(String spec) {
            super("snapshot " + spec + " already exists");
        }
    }

    /**
     * rbd snap limit set/clear: cls_rbd snapshot_set_limit; {@code limit} -1 (UINT64_MAX) clears it.
     * Past the limit, cls_rbd's snapshot_add refuses new snapshots with EDQUOT.
     */
    public void snapLimitSet(long limit) {
        checkWritable();
        headerChange(() -> md.exec("rbd_header." + id, "rbd", "snapshot_set_limit", encode(e -> e.writeU64Le(limit))));
    }

    private void snapRemoveUnderLock(String snapName) {
        Snapshot s = snapshot(snapName);
        if (isProtected(snapName)) {
            throw new RbdException("snapshot " + name + "@" + snapName + " is protected: unprotect it first");
        }
        if (mapActive()) {
            Long next = snapshots().stream().map(Snapshot::id).filter(i -> Long.compareUnsigned(i, s.id()) > 0)
                    .min(Long::compareUnsigned).orElse(null);
            objectMap.snapshotRemoved(s.id(), next, (features & RbdFeatures.FAST_DIFF) != 0);
        }
        md.exec("rbd_header." + id, "rbd", "snapshot_remove", encode(e -> e.writeU64Le(s.id())));
        io.selfManagedSnapRemove(s.id());
        refreshSnapContext();
    }

    /** As librbd looks names up in the user namespace: group (and other) snapshots are not found by name. */
    private void userSnapshot(String snapName) {
        if (snapshots().stream().noneMatch(x -> x.name().equals(snapName) && x.isUser())) {
            throw new RbdException.NoSuchKeyException("image " + name + " has no snapshot " + snapName);
        }
    }

    private Snapshot snapshot(String snapName) {
        return snapshots().stream().filter(x -> x.name().equals(snapName)).findFirst()
                .orElseThrow(() -> new RbdException("image " + name + " has no snapshot " + snapName));
    }

    /**
     * RBD_PROTECTION_STATUS_*: 0 unprotected, 1 unprotecting, 2 protected.
     *
     * @param snapName the snapshot's name
     * @return true unless the snapshot is unprotected
     */
    public boolean isProtected(String snapName) {
        long sid = snapshot(snapName).id();
        byte[] out = md.exec("rbd_header." + id, "rbd", "get_protection_status", encode(e -> e.writeU64Le(sid)));
        return CephDecoder.of(out, "protection status").readU8() != 0;
    }

    /**
     * Protects a snapshot so it can be cloned and cannot be removed (rbd snap protect).
     *
     * @param snapName the snapshot's name
     */
    public void snapProtect(String snapName) {
        checkWritable();
        setProtection(snapshot(snapName).id(), 2);
    }

    /**
     * Unprotects a snapshot as librbd does: UNPROTECTING first, then, with no clone of it left
     * (children_list is empty), UNPROTECTED.
     *
     * @param snapName the snapshot's name
     */
    public void snapUnprotect(String snapName) {
        checkWritable();
        long sid = snapshot(snapName).id();
        setProtection(sid, 1);
        long clones;
        try {
            byte[] children = md.exec("rbd_header." + id, "rbd", "children_list", encode(e -> e.writeU64Le(sid)));
            clones = CephDecoder.of(children, "children_list").readU32Le();
        } catch (RadosException.ObjectNotFoundException e) {
            clones = 0; // cls rbd answers ENOENT when the snapshot never had a clone-v2 child
        }
        if (clones == 0) {
            try { // v1 clones in this pool are listed in rbd_children
                byte[] v1 = md.exec("rbd_children", "rbd", "get_children",
                        encode(e -> e.writeS64Le(md.poolId()).writeString(id).writeU64Le(sid)));
                clones = CephDecoder.of(v1, "get_children").readU32Le();
            } catch (RadosException.ObjectNotFoundException e) {
                clones = 0;
            }
        }
        if (clones != 0) {
            setProtection(sid, 2);
            throw new RbdException("snapshot " + name + "@" + snapName + " has clones: flatten or remove them first");
        }
        setProtection(sid, 0);
    }

    private void setProtection(long sid, int status) {
        md.exec("rbd_header." + id, "rbd", "set_protection_status", encode(e -> e.writeU64Le(sid).writeU8(status)));
    }

    /**
     * Rolls the whole image back to a snapshot (rbd snap rollback): the size it had, then every
     * data object rolled back by the OSDs (objects the snapshot did not have disappear).
     *
     * @param snapName the snapshot's name
     */
    public void snapRollback(String snapName) {
        snapRollback(snapName, ProgressListener.NONE);
    }

    /**
     * {@link #snapRollback(String)} with progress (librbd's
     * {@code rbd_snap_rollback_with_progress}): object {@code n} of the {@code N} the snapshot's
     * size spans, reported as its rollback starts.
     *
     * @param snapName the snapshot's name
     * @param progress told of each object (null: nobody)
     */
    public void snapRollback(String snapName, ProgressListener progress) {
        checkWritable();
        userSnapshot(snapName);
        headerChange(() -> snapRollbackUnderLock(snapName, ProgressListener.orNone(progress)));
    }

    private void snapRollbackUnderLock(String snapName, ProgressListener progress) {
        Snapshot s = snapshot(snapName);
        long span = Math.max(size, s.size());
        if (s.size() != size) {
            md.exec("rbd_header." + id, "rbd", "set_size", encode(e -> e.writeU64Le(s.size())));
        }
        if (mapActive()) {
            objectMap.rolledBack(s.id());
        }
        long sets = (span + layout.objectSetSize() - 1) / layout.objectSetSize();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        long total = objectCountFor(layout, s.size());
        for (long n = 0; n < sets * layout.stripeCount(); n++) {
            parts.add(ignoreMissing(io.selfManagedSnapRollbackAsync(object(n), s.id())));
            if (n < total) {
                progress.update(n, total);
            }
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        size = s.size();
    }

    private void refreshSnapContext() {
        io.setSelfManagedSnapWriteContext(SnapContext.decode(CephDecoder.of(md.exec("rbd_header." + id, "rbd",
                "get_snapcontext", new byte[0]), "get_snapcontext")));
    }

    /**
     * The image as it was at snapshot {@code snapName}: read-only, sized as then.
     *
     * @param snapName the snapshot's name
     * @return a read-only handle on the snapshot (it shares this handle's pool contexts)
     */
    public RbdImage atSnapshot(String snapName) {
        Snapshot s = snapshots().stream().filter(x -> x.name().equals(snapName)).findFirst()
                .orElseThrow(() -> new RbdException.NoSuchKeyException("image " + name + " has no snapshot " + snapName));
        IoCtx snapIo = io.duplicate();
        snapIo.setReadSnap(s.id());
        Parent p = loadParent(md, "rbd_header." + id, s.id(), 0);
        RbdImage at = new RbdImage(snapIo, md, name, id, objectPrefix, order, s.size(), features, layout, true, p);
        at.snapId = s.id();
        return at;
    }

    // ---- image metadata (rbd image-meta) ------------------------------------------------------

    /**
     * The value of metadata key {@code key}; {@link RbdException.NoSuchKeyException} when absent.
     *
     * @param key the key
     * @return its value
     */
    public String metadataGet(String key) {
        return ImageMetadata.get(md, "rbd_header." + id, name, key);
    }

    /**
     * Sets a metadata key (under the exclusive lock when the image has one, as librbd's owner does it).
     *
     * @param key the key
     * @param value its value
     */
    public void metadataSet(String key, String value) {
        checkWritable();
        headerChange(() -> ImageMetadata.set(md, "rbd_header." + id, key, value));
    }

    /** Sets a key copied from another image's metadata (import): conf_ keys pass, as their source validated them. */
    void metadataSetCopied(String key, String value) {
        checkWritable();
        headerChange(() -> ImageMetadata.setCopied(md, "rbd_header." + id, key, value));
    }

    /**
     * Removes a metadata key (under the exclusive lock when the image has one).
     *
     * @param key the key
     * @throws RbdException.NoSuchKeyException when the image has no such key
     */
    public void metadataRemove(String key) {
        checkWritable();
        headerChange(() -> ImageMetadata.remove(md, "rbd_header." + id, name, key));
    }

    /**
     * All metadata, by key.
     *
     * @return the values by key
     */
    public java.util.SortedMap<String, String> metadataList() {
        return ImageMetadata.list(md, "rbd_header." + id);
    }

    // ---- advisory locks (rbd lock add/ls/rm): cls_lock "rbd_lock" on the header -------------

    /**
     * The advisory (or librbd-managed) lock on the header: type, tag and holders.
     *
     * @return the lock and its holders
     */
    public org.jceph.rados.LockInfo lockers() {
        return md.getLockInfo("rbd_header." + id, ExclusiveLock.LOCK_NAME);
    }

    /**
     * Takes an advisory lock with id {@code cookie}: exclusive, or shared under {@code sharedTag}
     * (librbd's lock_exclusive / lock_shared). Held elsewhere: {@link LockHeldException}.
     *
     * @param cookie the lock id
     * @param sharedTag the tag for a shared lock, null for an exclusive one
     */
    public void lockAdd(String cookie, String sharedTag) {
        try {
            md.lock("rbd_header." + id, ExclusiveLock.LOCK_NAME, sharedTag != null, cookie, sharedTag == null ? ""
                    : sharedTag, "", 0);
        } catch (RadosException e) {
            if (e.errno() == Errno.EBUSY.negative() || e.errno() == Errno.EEXIST.negative()) {
                throw new LockHeldException("lock is already held by someone else");
            }
            throw e;
        }
    }

    /**
     * Breaks the lock {@code cookie} held by {@code locker} ("client.N"), as rbd lock rm.
     *
     * @param cookie the lock id
     * @param locker the holder, "client.N"
     */
    public void lockRemove(String cookie, String locker) {
        if (!locker.matches("client\\.\\d+")) {
            throw new RbdException("locker must be client.<id>, not " + locker);
        }
        try {
            md.breakLock("rbd_header." + id, ExclusiveLock.LOCK_NAME, new org.jceph.encoding.types.EntityName(
                    org.jceph.encoding.types.EntityName.TYPE_CLIENT, Long.parseLong(locker.substring(7))), cookie);
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.NoSuchKeyException("no lock " + cookie + " held by " + locker + " on image " + name);
        }
    }

    /** An advisory lock that someone else holds (EBUSY/EEXIST). */
    public static final class LockHeldException extends RbdException {
        private static final long serialVersionUID = 1L;

        LockHeldException(String message) {
            super(message);
        }
    }

    // ---- object map check and disk usage ---------------------------------------------------

    /** One object whose map state disagrees with the data object. */
    public record ObjectMapMismatch(long objectNo, int mapState, boolean exists) {
    }

    /**
     * Compares the object map of this handle (HEAD, or the snapshot it reads) with the data
     * objects: an object that exists must be EXISTS or EXISTS_CLEAN, one that does not must be
     * NONEXISTENT. (Whether an existing object is clean since the last snapshot is not checked.)
     *
     * @return the objects whose state disagrees, empty when the map is right
     */
    public List<ObjectMapMismatch> objectMapCheck() {
        if ((features & RbdFeatures.OBJECT_MAP) == 0) {
            throw new RbdException("image " + name + " does not have the object-map feature");
        }
        int[] states = ObjectMap.decodeStates(md.read(ObjectMap.name(id, snapId), 0, 0));
        long count = layout.isStriped() ? objectCount(size) : (size + layout.objectSize() - 1) / layout.objectSize();
        List<CompletableFuture<ObjectMapMismatch>> checks = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            final long objectNo = n;
            int st = n < states.length ? states[(int) n] : -1;
            checks.add(io.statAsync(object(n)).handle((stat, err) -> {
                Throwable c = RadosException.unwrap(err);
                if (c != null && !(c instanceof RadosException.ObjectNotFoundException)) {
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                boolean exists = c == null;
                boolean ok = exists ? st == ObjectMap.EXISTS || st == ObjectMap.EXISTS_CLEAN : st == ObjectMap.NONEXISTENT;
                return ok ? null : new ObjectMapMismatch(objectNo, st, exists);
            }));
        }
        List<ObjectMapMismatch> out = new ArrayList<>();
        for (CompletableFuture<ObjectMapMismatch> f : checks) {
            ObjectMapMismatch m = f.join();
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Whether the header flags this image's object map (HEAD) invalid.
     *
     * @return true when the invalid flag is set
     */
    public boolean objectMapFlaggedInvalid() {
        return (features & RbdFeatures.OBJECT_MAP) != 0 && (ObjectMap.flags(md, id) & ObjectMap.FLAG_OBJECT_MAP_INVALID) != 0;
    }

    /**
     * rbd diff: what changed since snapshot {@code fromSnap} (null: since the beginning) up to
     * this handle's HEAD or snapshot; see {@link ImageDiff} for what is supported.
     *
     * @param fromSnap the older snapshot, null for the beginning
     * @param wholeObject report whole objects rather than changed extents
     * @return the changed extents, in image order
     */
    public List<ImageDiff.Extent> diff(String fromSnap, boolean wholeObject) {
        return ImageDiff.of(this, md, io, snapId == NOSNAP ? null : snapId, fromSnap, wholeObject);
    }

    /** The diff of this image's own objects: a clone's parent does not show through. */
    List<ImageDiff.Extent> diffOwn(String fromSnap, boolean wholeObject) {
        return ImageDiff.of(this, md, io, snapId == NOSNAP ? null : snapId, fromSnap, wholeObject, false);
    }

    /**
     * rbd du: each snapshot, oldest first, then HEAD (whole objects, as rbd du without --exact).
     *
     * @return one entry per snapshot, then one for HEAD
     */
    public List<DiskUsage.Usage> diskUsage() {
        return DiskUsage.of(this);
    }

    /**
     * rbd du with its options: only the snapshots after {@code fromSnap} (null: all), up to and
     * including {@code toSnap} (null: all, then HEAD); {@code exact} sums changed extents rather
     * than whole objects.
     *
     * @param fromSnap count only the snapshots after this one (null: all)
     * @param toSnap stop at this snapshot (null: all, then HEAD)
     * @param exact sum changed extents rather than whole objects
     * @return one entry per snapshot counted (and HEAD)
     */
    public List<DiskUsage.Usage> diskUsage(String fromSnap, String toSnap, boolean exact) {
        return DiskUsage.of(this, fromSnap, toSnap, exact);
    }

    /**
     * Which parts of {@code [offset, offset+length)} hold data, object by object (an absent
     * object is a hole that reads as zeros, unless a clone's parent backs it): a list of
     * {@code {length, allocated ? 1 : 0}} runs covering the range from {@code offset}, at most
     * {@code maxObjects} objects' worth (callers ask again for the rest). Non-striped images
     * only; striped ones report everything allocated.
     *
     * @param offset where the range starts
     * @param length its length
     * @param maxObjects how many objects to look at, at most
     * @return a future of the {length, allocated} runs
     */
    public CompletableFuture<List<long[]>> allocation(long offset, long length, int maxObjects) {
        checkRange(offset, length);
        long os = layout.objectSize();
        if (layout.isStriped() || length == 0) {
            return CompletableFuture.completedFuture(List.of(new long[] {length, 1}));
        }
        long first = offset / os;
        long last = Math.min((offset + length - 1) / os, first + Math.max(1, maxObjects) - 1);
        int[] states = allocationMap();
        List<CompletableFuture<Boolean>> exists = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            final long obj = n;
            if (states != null && n < states.length) {
                // the object map answers, as librbd's does: only NONEXISTENT is a hole
                exists.add(CompletableFuture.completedFuture(states[(int) n] != ObjectMap.NONEXISTENT || needsCopyup(obj)));
            } else {
                exists.add(io.statAsync(object(n)).handle((st, err) -> err == null || needsCopyup(obj)));
            }
        }
        return CompletableFuture.allOf(exists.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<long[]> runs = new ArrayList<>();
            long pos = offset;
            long end = Math.min(offset + length, (last + 1) * os);
            for (int i = 0; pos < end; i++) {
                long objEnd = Math.min(end, (first + i + 1) * os);
                long state = exists.get(i).join() ? 1 : 0;
                long[] prev = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (prev != null && prev[1] == state) {
                    prev[0] += objEnd - pos;
                } else {
                    runs.add(new long[] {objEnd - pos, state});
                }
                pos = objEnd;
            }
            return runs;
        });
    }

    private volatile int[] cachedStates;
    private volatile long cachedStatesAt;

    /**
     * The HEAD object map's states for allocation queries (re-read at most once a second), or
     * null when the image has no valid object map or this handle reads a snapshot.
     */
    private int[] allocationMap() {
        if ((features & RbdFeatures.OBJECT_MAP) == 0 || snapId != NOSNAP) {
            return null;
        }
        long now = System.nanoTime();
        int[] c = cachedStates;
        if (c != null && now - cachedStatesAt < 1_000_000_000L) {
            return c;
        }
        try {
            if ((ObjectMap.flags(md, id) & ObjectMap.FLAG_OBJECT_MAP_INVALID) != 0) {
                return null;
            }
            c = ObjectMap.decodeStates(md.exec(ObjectMap.name(id), "rbd", "object_map_load", new byte[0]));
        } catch (RuntimeException e) {
            return null; // fall back to asking the OSDs object by object
        }
        cachedStates = c;
        cachedStatesAt = now;
        return c;
    }

    // ---- blocking forms (librbd's rbd_read/rbd_write/...): each bounded by the I/O timeout ------

    /** How long a blocking call waits for its asynchronous form before failing. */
    public static final java.time.Duration DEFAULT_IO_TIMEOUT = java.time.Duration.ofSeconds(
            Long.getLong("jceph.rbd.ioTimeoutSeconds", 300));

    /**
     * Reads {@code length} bytes at {@code offset}, waiting at most the I/O timeout.
     *
     * @param offset where to read, within the image
     * @param length how many bytes
     * @return the bytes
     */
    public byte[] read(long offset, int length) {
        return await(readAsync(offset, length), "read");
    }

    /**
     * Writes {@code data} at {@code offset}, waiting at most the I/O timeout.
     *
     * @param offset where to write, within the image
     * @param data what to write
     */
    public void write(long offset, byte[] data) {
        await(writeAsync(offset, data), "write");
    }

    /**
     * Discards a range (see {@link #discardAsync}), waiting at most the I/O timeout.
     *
     * @param offset where the range starts
     * @param length its length in bytes
     */
    public void discard(long offset, long length) {
        await(discardAsync(offset, length), "discard");
    }

    /**
     * Zeroes a range (see {@link #writeZeroesAsync}), waiting at most the I/O timeout.
     *
     * @param offset where the range starts
     * @param length its length in bytes
     */
    public void writeZeroes(long offset, long length) {
        await(writeZeroesAsync(offset, length), "write_zeroes");
    }

    /**
     * librbd's writesame: {@code pattern} repeated over {@code length} bytes at {@code offset}
     * (see {@link ImageWriteOps#writeSame}).
     *
     * @param offset where the range starts
     * @param length its length, a whole multiple of the pattern's
     * @param pattern the bytes to repeat
     * @return a future completed when the OSDs have the data
     */
    public CompletableFuture<Void> writeSameAsync(long offset, long length, byte[] pattern) {
        return cacheBarrier().thenCompose(v -> ImageWriteOps.writeSame(this, offset, length, pattern));
    }

    /**
     * {@link #writeSameAsync}, waiting at most the I/O timeout.
     *
     * @param offset where the range starts
     * @param length its length, a whole multiple of the pattern's
     * @param pattern the bytes to repeat
     */
    public void writeSame(long offset, long length, byte[] pattern) {
        await(writeSameAsync(offset, length, pattern), "writesame");
    }

    /**
     * librbd's compare_and_write: writes {@code data} only if the image holds {@code compare} at
     * {@code offset}; fails with {@link CompareMismatchException} otherwise (see
     * {@link ImageWriteOps#compareAndWrite}).
     *
     * @param offset where
     * @param compare the bytes expected there
     * @param data the bytes to write, as long as {@code compare}
     * @return a future completed when written, or failed with the mismatch
     */
    public CompletableFuture<Void> compareAndWriteAsync(long offset, byte[] compare, byte[] data) {
        return cacheBarrier().thenCompose(v -> ImageWriteOps.compareAndWrite(this, offset, compare, data));
    }

    /**
     * CACHE-HOOK: writesame and compare-and-write go to the OSDs object by object, around the
     * cache; the dirty data acknowledged before them is written back first, so it can neither be
     * compared against stale bytes nor land on top of them later. Not a user flush.
     */
    private CompletableFuture<Void> cacheBarrier() {
        org.jceph.rbd.cache.WritebackCache c = cache;
        return c == null ? CompletableFuture.completedFuture(null) : c.flush(false);
    }

    /**
     * {@link #compareAndWriteAsync}, waiting at most the I/O timeout.
     *
     * @param offset where
     * @param compare the bytes expected there
     * @param data the bytes to write, as long as {@code compare}
     * @throws CompareMismatchException when the image's bytes differ from {@code compare}
     */
    public void compareAndWrite(long offset, byte[] compare, byte[] data) {
        await(compareAndWriteAsync(offset, compare, data), "compare_and_write");
    }

    /**
     * Waits (at most the I/O timeout) until every write acknowledged so far is durable; see
     * {@link #flushAsync()}.
     */
    public void flush() {
        await(flushAsync(), "flush");
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        return awaitIo(f, what + " on image " + name);
    }

    /**
     * Waits for {@code f} at most the I/O timeout; on timeout or interrupt the future is cancelled.
     * Failures come out as the RuntimeException the future failed with, or an RbdException naming
     * {@code what}.
     */
    static <T> T awaitIo(CompletableFuture<T> f, String what) {
        try {
            return f.get(DEFAULT_IO_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new RbdException(what + " did not complete within " + DEFAULT_IO_TIMEOUT);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = RadosException.unwrap(e.getCause());
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new RbdException(what + " failed: " + c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new RbdException(what + " was interrupted");
        }
    }

    /**
     * Completes once every write acknowledged before the call is on the OSDs. Without the cache
     * writes are acknowledged by the OSDs once durable, so it is complete at once; with it this is
     * the writeback cache's flush (the first one also ends writethrough-until-flush), and it
     * fails with a writeback error no flush has reported yet.
     *
     * @return the flush
     */
    public CompletableFuture<Void> flushAsync() {
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK
        return c != null ? c.flush(true) : CompletableFuture.completedFuture(null);
    }

    static byte[] encode(java.util.function.Consumer<CephEncoder> body) {
        return CephEncoder.toBytes(body);
    }

    /**
     * Closes the image: gives back the exclusive lock (after the writes in flight) and drops the
     * header watch. Calling it again does nothing. Closing the {@link org.jceph.rados.RadosClient}
     * closes every image still open on it this way first.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException flushError = null;
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK: write the dirty data back first
        if (c != null) {
            try {
                awaitIo(c.close(), "final flush of image " + name);
            } catch (RuntimeException e) {
                flushError = e;
            }
        }
        try {
            releaseLockAndWatch();
        } finally {
            md.client().unregisterDependent(this);
        }
        if (flushError != null) {
            throw flushError;
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Gives back the exclusive lock (after the writes in flight) and drops the header watch. */
    private void releaseLockAndWatch() {
        if (watcher == null) {
            return;
        }
        try {
            lock.shutdown();
        } finally {
            watcher.close();
            worker.shutdownNow();
            watcher = null;
        }
    }

    // ---- CACHE-HOOK: the client writeback cache (org.jceph.rbd.cache) ------------------------

    private static final org.slf4j.Logger LOG_CACHE = org.slf4j.LoggerFactory.getLogger("org.jceph.rbd.cache");

    /** rbd_cache* as the client's configuration (ceph.conf and arguments, then the monitors') says. */
    private static org.jceph.rbd.cache.CacheSettings cacheSettingsOf(IoCtx io) {
        org.jceph.rados.RadosClient c = io.client();
        return org.jceph.rbd.cache.CacheSettings.fromConfig(k -> c.config().get(k)
                .or(() -> java.util.Optional.ofNullable(c.centralConfig().get(k))));
    }

    /** Replaces the (still unused) cache: right after open only. */
    private void useCache(org.jceph.rbd.cache.CacheSettings settings) {
        org.jceph.rbd.cache.WritebackCache old = cache;
        if (old != null) {
            old.close();
        }
        cache = settings.enabled() ? new org.jceph.rbd.cache.WritebackCache(new org.jceph.rbd.cache.WritebackCache
                .Backend() {
            @Override
            public CompletableFuture<byte[]> read(long offset, int length) {
                return readUncached(offset, length);
            }

            @Override
            public CompletableFuture<Void> write(long offset, byte[] data) {
                return writeUncached(offset, data);
            }

            @Override
            public CompletableFuture<Void> discard(long offset, long length) {
                return discardUncached(offset, length);
            }
        }, settings, org.jceph.rbd.cache.WritebackCache.system(), name) : null;
        if (cache != null) {
            md.client().registerDependent(this); // closing the client flushes this image first
        }
    }

    /** Writes the cache's dirty data back (not a user flush: writethrough-until-flush stays). */
    private void flushCache(String why) {
        org.jceph.rbd.cache.WritebackCache c = cache;
        if (c != null) {
            awaitIo(c.flush(false), "cache flush " + why + " of image " + name);
        }
    }

    /**
     * Opens image {@code name} as {@link #open(IoCtx, String, OpenOptions)} does, with the given
     * client cache settings instead of those of the client's configuration ({@code rbd_cache*}).
     * The cache applies to read-write opens only.
     *
     * @param io the pool (and namespace) of the image
     * @param name the image's name
     * @param options the access mode, snapshot and lock timeout
     * @param cacheSettings the writeback cache's settings ({@link org.jceph.rbd.cache.CacheSettings#DISABLED}: none)
     * @return the open image; close it when done
     */
    public static RbdImage open(IoCtx io, String name, OpenOptions options,
                                org.jceph.rbd.cache.CacheSettings cacheSettings) {
        java.util.Objects.requireNonNull(cacheSettings, "cacheSettings");
        RbdImage img = open(io, name, options);
        if (!img.readOnly) {
            img.useCache(cacheSettings);
        }
        return img;
    }

    /**
     * The writeback cache's settings, or null when this handle has no cache (read-only, or
     * {@code rbd_cache} off).
     *
     * @return the settings in use
     */
    public org.jceph.rbd.cache.CacheSettings cacheSettings() {
        org.jceph.rbd.cache.WritebackCache c = cache;
        return c == null ? null : c.settings();
    }

    @Override
    public String toString() {
        return "RbdImage[" + io.poolName() + "/" + name + ", id " + id + ", " + size + " bytes, order " + order
                + ", features " + RbdFeatures.names(features) + (readOnly ? ", read-only" : "") + "]";
    }
}
