package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.ExclusiveLock;
import org.jceph.rbd.lock.ImageWatcher;
import org.jceph.rbd.objectmap.ObjectMap;
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
 *
 * <p>This class is the public facade: the handle's state (pool contexts, header values, the
 * lock, watch, map and cache of a read-write open) and the documented API, each operation
 * delegating to the class that does it: {@link ImageOpen} (open), {@link ImageAdmin} (create,
 * remove, clone, rename, resize), {@link ImageIo} (object requests), {@link ParentIo} (a
 * clone's parent read-through and copy-up, flatten), {@link ImageSnapshots},
 * {@link ImageLifecycle} (lock, watch, cache, maintenance), {@link ImageAllocation},
 * {@link ImageLocks} and {@link ImageMetadata}. It is over the project's ~600 lines because of
 * the javadoc of that API (about half of it) and the public nested types that callers name
 * ({@link Parent}, {@link Snapshot}, {@link CloneFormat} and the exceptions); its code is
 * about 610 lines, mostly one-line delegations and accessors.
 */
public final class RbdImage implements Image {
    static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;
    /** CEPH_NOSNAP, for the package (MIGRATION-HOOK). */
    static final long NOSNAP_ID = NOSNAP;

    /** Data objects: carries the image's snapshot context (librbd's data_ctx). */
    final IoCtx io;
    /** Header and object map: no snapshot context, so they are never cloned (librbd's md_ctx). */
    final IoCtx md;
    final String name;
    final String id;
    private final String objectPrefix;
    final int order;
    final long features;
    final StripingLayout layout;
    private final boolean readOnly;
    volatile long size;
    /** Lock acquisition deadline for writes (librbd has none; we bound every wait). */
    public static final java.time.Duration DEFAULT_LOCK_TIMEOUT = java.time.Duration.ofSeconds(
            Long.getLong("jceph.rbd.lockTimeoutSeconds", 120));

    // Present for read-write opens of images with exclusive-lock (and object-map).
    java.util.concurrent.ExecutorService worker;
    /** Runs peers' snapshot requests while we own the lock (ImageWatcher.OwnerOps). */
    java.util.concurrent.ExecutorService remoteOps;
    java.util.concurrent.ExecutorService mapWorkers;
    ImageWatcher watcher;
    ExclusiveLock lock;
    ObjectMap objectMap;
    volatile boolean objectMapInvalid;
    final WriteGate gate = new WriteGate();
    /**
     * CACHE-HOOK: holds new writes back from the cache while a maintenance operation flushes it,
     * as librbd blocks writes before it flushes for a snapshot: a snapshot holds every write
     * acknowledged before it began, and the flush does not race writers refilling the cache.
     */
    final WriteGate cacheGate = new WriteGate();
    /** Snapshot create, remove, rename, protect, rollback and limits ({@link ImageSnapshots}). */
    private final ImageSnapshots snaps = new ImageSnapshots(this);
    /** A clone's parent read-through and copy-up ({@link ParentIo}). */
    final ParentIo parentIo = new ParentIo(this);
    /** Object requests below the cache: read, write, discard and per-object steps ({@link ImageIo}). */
    final ImageIo objectIo = new ImageIo(this);
    /** Allocation queries and the object map check ({@link ImageAllocation}). */
    private final ImageAllocation allocations = new ImageAllocation(this);
    /** Watch, exclusive lock, cache and maintenance operations ({@link ImageLifecycle}). */
    private final ImageLifecycle lifecycle = new ImageLifecycle(this);
    /** CACHE-HOOK: the writeback cache of a read-write open, or null (rbd_cache off: uncached path). */
    volatile org.jceph.rbd.cache.WritebackCache cache;
    /** The snapshot this handle reads ({@link #atSnapshot}), or NOSNAP for HEAD. */
    long snapId = NOSNAP;

    /** The parent of a clone (opened read-only at the parent snapshot), or null. */
    volatile Parent parent;

    /**
     * How a clone sees its parent's bytes when they are not the parent's raw bytes: layered
     * encryption ({@code org.jceph.rbd.crypto}), where the clone has its own key and data offset
     * and the parent's plaintext must be re-encrypted under the clone's key for each read-through
     * and copy-up. Null (the default): the parent's raw bytes, as for any other clone.
     */
    public interface ParentView {
        /**
         * The bytes the clone's raw range [offset, offset + length) holds through its parent.
         * The range lies below the parent overlap.
         *
         * @param offset raw offset in the clone
         * @param length bytes
         * @return the bytes, exactly {@code length} of them
         */
        CompletableFuture<byte[]> read(long offset, int length);

        /**
         * Runs during a flatten through this view, after every object the parent backed was
         * copied up and before the parent link goes (librbd's crypto flatten: a clone's own LUKS
         * header gets its LUKS magic back). The default does nothing.
         */
        default void beforeDetach() {
        }
    }

    private volatile ParentView parentView;

    /** The view set by {@link #parentView(ParentView)}, or null. */
    ParentView parentView() {
        return parentView;
    }

    /**
     * Sets (or, with null, removes) how this clone reads its parent's bytes; the encryption layer
     * sets it while a layered encryption is loaded, and removes it when that is closed.
     *
     * @param view the view, or null for the parent's raw bytes
     */
    public void parentView(ParentView view) {
        this.parentView = view;
    }

    /** The parent's bytes for the clone's raw range, through the {@link ParentView} if one is set. */
    CompletableFuture<byte[]> parentBytes(Parent p, long offset, int length) {
        ParentView v = parentView;
        return v != null && p.raw() == null ? v.read(offset, length) : p.readAsync(offset, length);
    }

    /**
     * A clone's parent: the image at its snapshot, and how many bytes of the child still read
     * through to it (the overlap; it only shrinks).
     */
    public record Parent(long poolId, String poolNamespace, String imageId, long snapId, long overlap,
                         RbdImage image, RawFileSource raw) {
        /**
         * A clone's parent or an image migration source: {@code raw} is null.
         *
         * @param poolId the parent's pool
         * @param poolNamespace its namespace
         * @param imageId its id
         * @param snapId the parent snapshot (NOSNAP for a migration source)
         * @param overlap bytes of the child backed by the parent
         * @param image the parent, opened read-only at the snapshot
         */
        public Parent(long poolId, String poolNamespace, String imageId, long snapId, long overlap, RbdImage image) {
            this(poolId, poolNamespace, imageId, snapId, overlap, image, null);
        }

        /**
         * MIGRATION-HOOK: an import-only migration's raw file source (no image: {@link #image()} is null).
         *
         * @param overlap bytes of the destination backed by the file
         * @param raw the file
         * @return the parent
         */
        static Parent rawSource(long overlap, RawFileSource raw) {
            return new Parent(-1, "", "", NOSNAP, overlap, null, raw);
        }

        /**
         * MIGRATION-HOOK: reads the parent's bytes (from the image, or the raw source file).
         *
         * @param offset image offset
         * @param len bytes
         * @return the bytes
         */
        java.util.concurrent.CompletableFuture<byte[]> readAsync(long offset, int len) {
            return raw != null ? raw.readAsync(offset, len) : image.readAsync(offset, len);
        }

        /** MIGRATION-HOOK: closes what the parent holds open. */
        void closeSource() {
            if (raw != null) {
                raw.close();
            } else {
                image.close();
            }
        }

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
    static final int MAX_PARENT_DEPTH = 16;

    RbdImage(IoCtx io, IoCtx md, String name, String id, String objectPrefix, int order, long size,
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
        ImageAdmin.create(io, name, size, order, features, stripeUnit, stripeCount, dataPool);
    }

    /**
     * Image names and ids in the pool's rbd_directory (format 2 images), by name.
     *
     * @param io the pool (and namespace)
     * @return image ids by image name
     */
    public static java.util.SortedMap<String, String> list(IoCtx io) {
        return ImageAdmin.list(io);
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
            ImageAdmin.removeOpened(io, img, name, true, ProgressListener.orNone(progress));
        }
    }

    /** Removes a trashed image (known by id; its name is no longer linked in the pool). */
    static void removeTrashed(IoCtx io, String id, String name, ProgressListener progress) {
        ImageAdmin.removeTrashed(io, id, name, progress);
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
     * @throws RbdException EXDEV for a v1 clone into another namespace
     */
    public static void clone(IoCtx parentIo, String parentName, String snapName, IoCtx childIo, String childName,
                             long features, CloneFormat format) {
        ImageAdmin.clone(parentIo, parentName, snapName, childIo, childName, features, format);
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
        return ImageAdmin.children(this, snapName, pools);
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
        parentIo.flatten(progress);
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
        ImageAdmin.rename(io, from, to);
    }

    static CompletableFuture<Void> ignoreMissing(CompletableFuture<Void> f) {
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
        return ImageOpen.open(io, name, readOnly, lockTimeout, 0);
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
        return ImageOpen.atSnapshotOf(ImageOpen.open(io, name, options.readOnly(), options.lockTimeout(), 0), options);
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
        return ImageOpen.openById(io, imageId, options);
    }



    /** Opens an image by its id (one in the trash has no rbd_id object and no directory entry). */
    static RbdImage openWithId(IoCtx io, String name, String id, boolean readOnly, java.time.Duration lockTimeout,
                               int depth) {
        return ImageOpen.openWithId(io, name, id, readOnly, lockTimeout, depth);
    }


    /**
     * The parent of this clone, or null.
     *
     * @return the parent, or null for an image that is not a clone
     */
    public Parent parent() {
        return parent;
    }

    /**
     * The release the cluster requires of its OSDs (the OSD map's require_osd_release, e.g. 16 for
     * Pacific): what librbd of that release would do, where releases differ.
     *
     * @return the release number
     */
    public int clusterRelease() {
        return io.client().osdMap().requireOsdRelease();
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

    void startLocking(java.time.Duration lockTimeout) {
        lifecycle.startLocking(lockTimeout);
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

    /**
     * Hands a write to the cache while holding a write permit (released once the cache has taken
     * it): at once when the lock is already ours, else once it is taken.
     */
    private CompletableFuture<Void> underPermit(java.util.function.Supplier<CompletableFuture<Void>> take) {
        CompletableFuture<ExclusiveLock.Permit> permit = permit();
        if (permit.isDone() && !permit.isCompletedExceptionally()) {
            return holding(permit.join(), take);
        }
        return permit.thenCompose(p -> holding(p, take));
    }

    private static CompletableFuture<Void> holding(ExclusiveLock.Permit p,
            java.util.function.Supplier<CompletableFuture<Void>> take) {
        try {
            return take.get();
        } finally {
            p.close();
        }
    }

    /** A permit for one write: the exclusive lock when the image has the feature. */
    CompletableFuture<ExclusiveLock.Permit> permit() {
        if (lock == null) {
            return NO_LOCK_PERMIT;
        }
        return lock.begin();
    }

    /** The permit of an image without the exclusive-lock feature: nothing to hold, one shared future. */
    private static final CompletableFuture<ExclusiveLock.Permit> NO_LOCK_PERMIT;

    /** The permit {@link #NO_LOCK_PERMIT} holds: closing it does nothing. */
    static final ExclusiveLock.Permit NO_LOCK_PERMIT_VALUE = () -> {
    };

    static {
        NO_LOCK_PERMIT = CompletableFuture.completedFuture(NO_LOCK_PERMIT_VALUE);
    }

    /** Runs a maintenance operation (resize, snapshots) holding the exclusive lock if there is one. */
    <T> T maintenance(java.util.function.Supplier<T> op) {
        return lifecycle.maintenance(op);
    }

    /**
     * A maintenance operation that changes the header (cache written back, exclusive lock held,
     * writes paused), after which the header's watchers are told to refresh.
     */
    void headerChange(Runnable underLock) {
        lifecycle.headerChange(underLock);
    }

    /** Runs {@code op} as a maintenance operation (FeatureUpdate, ObjectMapRebuild, Sparsify): cache flushed, exclusive lock held, writes paused. */
    <T> T underMaintenance(java.util.function.Supplier<T> op) {
        checkWritable();
        return maintenance(op);
    }

    boolean mapActive() {
        return objectMap != null;
    }

    /**
     * Runs the object map updates {@code updates} needs before the data I/O, off the caller's
     * thread when there is anything to send; then the I/O.
     */
    CompletableFuture<Void> withMapUpdate(boolean needed, Runnable updates,
            java.util.function.Supplier<CompletableFuture<Void>> io) {
        if (!needed) {
            return io.get();
        }
        return CompletableFuture.runAsync(updates, mapWorkers).thenCompose(v -> io.get());
    }

    int mapState(long objectNo) {
        // An invalid map is not trusted: every object may exist and every update is sent.
        return objectMapInvalid ? -1 : objectMap.state(objectNo);
    }

    void markExists(long objectNo) {
        objectMap.update(objectNo, objectNo + 1, ObjectMap.EXISTS, java.util.Optional.empty());
    }

    /** MIGRATION-HOOK: a migration's deep copy sets HEAD's state of the object to what its snap set implies. */
    void markState(long objectNo, int state) {
        if (objectNo >= objectMap.size()) {
            return; // past HEAD's end (a snapshot is larger): HEAD's map has no such object
        }
        objectMap.update(objectNo, objectNo + 1, state, java.util.Optional.empty());
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

    String object(long number) {
        int slot = (int) (number & (objectNames.length - 1));
        ObjectName known = objectNames[slot]; // a racy read of an immutable record: at worst a miss
        if (known != null && known.number == number) {
            return known.name;
        }
        String name = dataObjectName(objectPrefix, number);
        objectNames[slot] = new ObjectName(number, name);
        return name;
    }

    /** A data object's number and name, remembered: every I/O names its object, mostly the same few. */
    private record ObjectName(long number, String name) {
    }

    /** The last names built, by object number modulo the length (a power of two). */
    private final ObjectName[] objectNames = new ObjectName[256];

    /**
     * Runs {@code step} on data object {@code n} as a write does: under the exclusive lock and
     * the write gate, the object map marked first, a clone's parent data copied up in the same
     * operation (for {@link ImageWriteOps}).
     */
    CompletableFuture<Void> objectStep(long n, boolean readsData, java.util.function.Consumer<IoCtx.Operation> step) {
        return objectIo.objectStep(n, readsData, step);
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

    void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new RbdException("range " + offset + "+" + length + " is outside the image (" + size + " bytes)");
        }
    }

    void checkWritable() {
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
        return c != null ? c.read(offset, length) : objectIo.readUncached(offset, length);
    }

    /**
     * Reads {@code length} bytes at {@code offset} without copying them: each object's bytes are
     * handed over in the buffers its reply was received into (librbd's read into a bufferlist),
     * absent objects, holes and the part past a short object as shared read-only zeros, all in
     * image order in one {@link org.jceph.rados.ReadView}, which the caller must close (see its
     * lifetime rules: it pins receive memory until closed).
     *
     * <p>Where the range cannot be served from the objects' replies alone, this is the copying
     * read ({@link #readAsync(long, int)}) wrapped in a view: the writeback cache holds dirty or
     * in-flight data over the range, the image is a clone (or a migration target) reading through
     * its parent, or the striping gathers several pieces of the range into one object. The bytes
     * are the same either way. Errors and timeouts are those of {@link #readAsync(long, int)}; a
     * failed read releases what its other objects returned. Cancel the returned future itself to
     * give up on a read: its object reads are cancelled and a view that arrives later is closed.
     *
     * @param offset where to read, within the image
     * @param length how many bytes
     * @return a future of a view of exactly {@code length} bytes
     */
    @Override
    public CompletableFuture<org.jceph.rados.ReadView> readViewAsync(long offset, int length) {
        checkRange(offset, length);
        if (length == 0) {
            return CompletableFuture.completedFuture(org.jceph.rados.ReadView.of());
        }
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK: held bytes are laid over by the copying read
        CompletableFuture<org.jceph.rados.ReadView> direct = c != null && c.holds(offset, length) ? null
                : objectIo.readView(offset, length);
        return direct != null ? direct
                : readAsync(offset, length).thenApply(b -> org.jceph.rados.ReadView.of(java.nio.ByteBuffer.wrap(b)));
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} at its position;
     * absent objects and holes read as zeros, and the position moves past the bytes when the
     * future completes (leave the buffer alone until then). Each object's bytes are copied once,
     * straight from the received message into the buffer (heap or direct): no array per read;
     * only holes are zero-filled. A clone's reads through its parent copy once more.
     *
     * @param offset where to read, within the image
     * @param dst where the bytes go: its remaining bytes, not read-only
     * @return a future of how many bytes were read (all of them)
     * @throws java.nio.ReadOnlyBufferException at once when {@code dst} is read-only
     */
    @Override
    public CompletableFuture<Integer> readAsync(long offset, java.nio.ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int length = dst.remaining();
        checkRange(offset, length);
        if (length == 0) {
            return CompletableFuture.completedFuture(0);
        }
        int pos = dst.position();
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK
        CompletableFuture<Void> f = c != null ? c.read(offset, dst) : objectIo.readUncached(offset, dst);
        return f.thenApply(v -> {
            dst.position(pos + length);
            return length;
        });
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}, waiting at most the
     * I/O timeout: see {@link #readAsync(long, java.nio.ByteBuffer)}.
     *
     * @param offset where to read, within the image
     * @param dst where the bytes go
     * @return how many bytes were read (all of them)
     */
    public int read(long offset, java.nio.ByteBuffer dst) {
        return await(readAsync(offset, dst), "read");
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
        // taken (buffered, queued or sent): its writeback has its own permit
        return c != null ? cacheGate.around(() -> underPermit(() -> c.write(offset, data, fua)))
                : objectIo.writeUncached(offset, data);
    }

    /**
     * Writes {@code data}'s remaining bytes at {@code offset} (its position is not moved), as
     * {@link #writeAsync(long, byte[], boolean)} without an array: the cache copies them in
     * writeback mode; otherwise (write-around, no cache) each object's piece is a view of the
     * buffer, so a direct buffer's memory is what the socket reads. Leave the bytes unchanged
     * until the future completes.
     *
     * @param offset where to write, within the image
     * @param data what to write: its remaining bytes
     * @param fua force the data to the OSDs before completing
     * @return a future completed when the write is acknowledged (durable, unless cached)
     */
    @Override
    public CompletableFuture<Void> writeAsync(long offset, java.nio.ByteBuffer data, boolean fua) {
        checkWritable();
        checkRange(offset, data.remaining());
        java.nio.ByteBuffer view = data.slice();
        org.jceph.rbd.cache.WritebackCache c = cache; // CACHE-HOOK: the lock is ours before a write is cached
        return c != null ? cacheGate.around(() -> underPermit(() -> c.write(offset, view, fua)))
                : objectIo.writeUncached(offset, view);
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
        return c != null ? cacheGate.around(() -> c.discard(offset, length)) : objectIo.discardUncached(offset, length);
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
        headerChange(() -> ImageAdmin.resizeUnderLock(this, newSize, ProgressListener.orNone(progress)));
    }

    long objectCount(long bytes) {
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
        return snaps.snapshots();
    }

    /**
     * Creates a snapshot: a self-managed snap id, registered in the header; later writes keep it.
     *
     * @param snapName the snapshot's name
     * @return the new snapshot
     */
    public Snapshot snapCreate(String snapName) {
        return snaps.snapCreate(snapName);
    }

    /**
     * Group hook: a snapshot in a non-user namespace ({@code namespace} writes the whole
     * cls::rbd::SnapshotNamespace struct), taken as {@link #snapCreate} takes user snapshots.
     */
    Snapshot snapCreateInNamespace(String snapName, java.util.function.Consumer<CephEncoder> namespace) {
        return snaps.snapCreateInNamespace(snapName, namespace);
    }

    /** Group hook: removes a snapshot of any namespace (public {@link #snapRemove} takes user ones only). */
    void snapRemoveAnyNamespace(String snapName) {
        snaps.snapRemoveAnyNamespace(snapName);
    }

    /** Group hook: rolls back to a snapshot of any namespace. */
    void snapRollbackAnyNamespace(String snapName) {
        snaps.snapRollbackAnyNamespace(snapName);
    }



    /**
     * Removes a snapshot (rbd snap rm): unregistered from the header, its snap id
     * removed from the pool so that the OSDs trim its clones.
     *
     * @param snapName the snapshot's name
     */
    public void snapRemove(String snapName) {
        snaps.snapRemove(snapName);
    }

    /**
     * rbd snap rename: cls_rbd snapshot_rename under the exclusive lock, as librbd's owner does it
     * ({@link RbdException.NoSuchKeyException} for an unknown snapshot, a plain
     * {@link RbdException} when the new name is taken).
     */
    public void snapRename(String from, String to) {
        snaps.snapRename(from, to);
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
        snaps.snapLimitSet(limit);
    }



    Snapshot snapshot(String snapName) {
        return snaps.snapshot(snapName);
    }

    /**
     * RBD_PROTECTION_STATUS_*: 0 unprotected, 1 unprotecting, 2 protected.
     *
     * @param snapName the snapshot's name
     * @return true unless the snapshot is unprotected
     */
    public boolean isProtected(String snapName) {
        return snaps.isProtected(snapName);
    }

    /**
     * Protects a snapshot so it can be cloned and cannot be removed (rbd snap protect).
     *
     * @param snapName the snapshot's name
     */
    public void snapProtect(String snapName) {
        snaps.snapProtect(snapName);
    }

    /**
     * Unprotects a snapshot as librbd does: UNPROTECTING first, then, with no clone of it left
     * (children_list is empty), UNPROTECTED.
     *
     * @param snapName the snapshot's name
     */
    public void snapUnprotect(String snapName) {
        snaps.snapUnprotect(snapName);
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
        snaps.snapRollback(snapName, progress);
    }


    void refreshSnapContext() {
        snaps.refreshSnapContext();
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
        Parent p = (features & RbdFeatures.MIGRATING) != 0 ? Migration.snapshotParent(md, id, s) // MIGRATION-HOOK
                : ImageOpen.loadParent(md, "rbd_header." + id, s.id(), 0);
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
        return ImageLocks.lockers(this);
    }

    /**
     * Takes an advisory lock with id {@code cookie}: exclusive, or shared under {@code sharedTag}
     * (librbd's lock_exclusive / lock_shared). Held elsewhere: {@link LockHeldException}.
     *
     * @param cookie the lock id
     * @param sharedTag the tag for a shared lock, null for an exclusive one
     */
    public void lockAdd(String cookie, String sharedTag) {
        ImageLocks.lockAdd(this, cookie, sharedTag);
    }

    /**
     * Breaks the lock {@code cookie} held by {@code locker} ("client.N"), as rbd lock rm.
     *
     * @param cookie the lock id
     * @param locker the holder, "client.N"
     */
    public void lockRemove(String cookie, String locker) {
        ImageLocks.lockRemove(this, cookie, locker);
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
        return allocations.objectMapCheck();
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
        return allocations.allocation(offset, length, maxObjects);
    }


    // ---- blocking forms (librbd's rbd_read/rbd_write/...): each bounded by the I/O timeout ------

    /**
     * How long a blocking call (read, write, flush, close's final flush, ...) waits for its
     * asynchronous form before failing: system property {@code jceph.rbd.ioTimeoutSeconds}, 300 s
     * by default. This is the bound of every blocking image call; the OSD ops underneath have no
     * timeout of their own by default (see {@link #dataOpTimeout}).
     */
    public static final java.time.Duration DEFAULT_IO_TIMEOUT = java.time.Duration.ofSeconds(
            Long.getLong("jceph.rbd.ioTimeoutSeconds", 300));

    /**
     * The op timeout of an image's data-object I/O (reads, writes, discards, the cache's
     * writeback, copy-up): none, as librbd's, unless the client's configuration sets
     * {@code rados_osd_op_timeout} explicitly (ceph.conf, {@code CEPH_ARGS}, the command line, the
     * builder), which librbd obeys too. librados' own default for that option is 0 (wait as long
     * as it takes); jceph's RADOS client defaults to 30 s for plain RADOS ops, but an image's data
     * ops do not inherit that default: OSDs that stall for a while (recovery, memory pressure) then
     * slow a guest's I/O down instead of failing it, as with librbd. What still bounds image I/O:
     * the blocking calls ({@link #DEFAULT_IO_TIMEOUT}), a cached write's wait for room
     * ({@code rbd_jceph_cache_write_timeout}) and the exclusive lock's ({@link #DEFAULT_LOCK_TIMEOUT});
     * an asynchronous call's future may be cancelled, which ends its ops.
     *
     * @param io the image's pool context (its client's configuration is read)
     * @return the timeout, {@link java.time.Duration#ZERO} for none
     */
    static java.time.Duration dataOpTimeout(IoCtx io) {
        return io.client().config().get("rados_osd_op_timeout").map(v -> {
            double seconds = Double.parseDouble(v.strip()); // the client parsed it already at connect
            return java.time.Duration.ofNanos(Math.round(seconds * 1e9));
        }).orElse(java.time.Duration.ZERO);
    }

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

    /** MIGRATION-HOOK: copies up every object the parent (or migration source) still backs ({@link ParentIo#copyUpAll}). */
    void copyUpAll(ProgressListener progress) {
        parentIo.copyUpAll(progress);
    }

    /** MIGRATION-HOOK: tells other openers to re-read the header (a no-op without a watch). */
    void notifyHeaderUpdate() {
        if (watcher != null) {
            watcher.notifyHeaderUpdate();
        }
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
            Parent p = parent;
            if (p != null && p.raw() != null) { // MIGRATION-HOOK: the raw source file's descriptor
                p.raw().close();
            }
        }
        if (flushError != null) {
            throw flushError;
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Gives back the exclusive lock (after the writes in flight) and drops the header watch. */
    void releaseLockAndWatch() {
        lifecycle.releaseLockAndWatch();
    }

    // ---- CACHE-HOOK: the client writeback cache (org.jceph.rbd.cache) ------------------------

    /** rbd_cache* as the client's configuration (ceph.conf and arguments, then the monitors') says. */
    static org.jceph.rbd.cache.CacheSettings cacheSettingsOf(IoCtx io) {
        org.jceph.rados.RadosClient c = io.client();
        return org.jceph.rbd.cache.CacheSettings.fromConfig(k -> c.config().get(k)
                .or(() -> java.util.Optional.ofNullable(c.centralConfig().get(k))));
    }

    /** Replaces the (still unused) cache: right after open only. */
    void useCache(org.jceph.rbd.cache.CacheSettings settings) {
        lifecycle.useCache(settings);
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
