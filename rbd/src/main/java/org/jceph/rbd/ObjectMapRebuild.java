package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * Recomputes an object map from the data objects that exist (librbd's
 * {@code rbd_rebuild_object_map}, {@code rbd object-map rebuild IMAGE[@SNAP]}), as
 * RebuildObjectMapRequest and ObjectMapIterate do: the map is sized to the image (or
 * snapshot), each data object's snap set (list_snaps) says whether it exists at that point
 * and, with fast-diff, whether it was written since the previous snapshot (EXISTS) or not
 * (EXISTS_CLEAN); entries that disagree are rewritten, then the invalid flags for that HEAD
 * or snapshot are cleared. HEAD is rebuilt holding the exclusive lock and the map object's lock.
 */
public final class ObjectMapRebuild {
    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;
    /** librbd's limit on an object map's size (ObjectMap::is_compatible): 256 Mi objects. */
    static final long MAX_OBJECTS = 256L * 1024 * 1024;
    private static final int IN_FLIGHT = 10; // rbd_concurrent_management_ops

    private ObjectMapRebuild() {
    }

    /** The image lacks the object-map feature (librbd: EINVAL). */
    public static final class NoObjectMapException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * An image without an object map.
         *
         * @param image the image's name
         */
        public NoObjectMapException(String image) {
            super(-22, "image " + image + " does not have the object-map feature");
        }
    }

    /**
     * Rebuilds the map of HEAD ({@code snapName} null) or of a snapshot.
     *
     * @param io the image's pool
     * @param image the image's name
     * @param snapName the snapshot, or null for HEAD
     * @return how many map entries were changed
     * @throws NoObjectMapException when the image has no object map
     * @throws RbdException.NoSuchKeyException when there is no such snapshot
     */
    public static long rebuild(IoCtx io, String image, String snapName) {
        try (RbdImage img = RbdImage.open(io, image, false)) {
            if ((img.features() & RbdFeatures.OBJECT_MAP) == 0) {
                throw new NoObjectMapException(image);
            }
            long snapId = NOSNAP;
            long size = img.size();
            if (snapName != null) {
                RbdImage.Snapshot s = img.snapshots().stream().filter(x -> x.name().equals(snapName)).findFirst()
                        .orElseThrow(() -> new RbdException.NoSuchKeyException("image " + image + " has no snapshot " + snapName));
                snapId = s.id();
                size = s.size();
            }
            final long target = snapId;
            final long targetSize = size;
            return img.underMaintenance(() -> rebuildLocked(img, target, targetSize));
        }
    }

    private static long rebuildLocked(RbdImage img, long snapId, long size) {
        IoCtx md = img.metadataIo();
        String header = "rbd_header." + img.id();
        List<RbdImage.Snapshot> snaps = img.snapshots();
        NavigableSet<Long> snapIds = new TreeSet<>();
        snaps.forEach(s -> snapIds.add(s.id()));
        if (snapId == NOSNAP) {
            size = img.size();
        }
        boolean fastDiff = (img.features() & RbdFeatures.FAST_DIFF) != 0;
        long count = RbdImage.objectCountFor(img.layout(), size);
        if (count > MAX_OBJECTS) {
            throw new RbdException(-22, "image size not compatible with object map");
        }
        String oid = ObjectMap.name(img.id(), snapId);
        ObjectMap head = snapId == NOSNAP ? new ObjectMap(md, img.id()) : null;
        int[] states;
        if (head != null) {
            head.lock(); // ours already when the image was opened with the feature; taken now if it was enabled since
            head.load();
            if (head.size() != count) {
                head.resize(count);
            }
            states = new int[(int) count];
            for (int i = 0; i < count; i++) {
                states[i] = head.state(i);
            }
        } else {
            int[] current;
            try {
                current = ObjectMap.decodeStates(md.read(oid, 0, 0));
            } catch (org.jceph.rados.RadosException.ObjectNotFoundException e) {
                current = new int[0];
            }
            if (current.length != count) {
                resizeMap(md, oid, count);
                current = java.util.Arrays.copyOf(current, (int) count);
            }
            states = current;
        }
        int[] wanted = expectedStates(img, snapId, snapIds, fastDiff, count);
        long changed = 0;
        long i = 0;
        while (i < count) {
            if (states[(int) i] == wanted[(int) i]) {
                i++;
                continue;
            }
            long start = i;
            int st = wanted[(int) i];
            while (i < count && wanted[(int) i] == st && states[(int) i] != st) {
                i++;
            }
            changed += i - start;
            if (head != null) {
                head.update(start, i, st, Optional.empty());
            } else {
                final long s0 = start;
                final long e0 = i;
                md.exec(oid, "rbd", "object_map_update", CephEncoder.toBytes(e -> e.writeU64Le(s0).writeU64Le(e0).writeU8(st)
                        .writeBool(false)));
            }
        }
        // the invalid flags of this HEAD or snapshot only
        final long sid = snapId;
        md.exec(header, "rbd", "set_flags", CephEncoder.toBytes(e -> e.writeU64Le(0)
                .writeU64Le(ObjectMap.FLAG_OBJECT_MAP_INVALID | ObjectMap.FLAG_FAST_DIFF_INVALID).writeU64Le(sid)));
        FeatureUpdate.notifyUpdate(md, header);
        return changed;
    }

    /** What each object's state should be at {@code snapId}, from the data objects' snap sets. */
    private static int[] expectedStates(RbdImage img, long snapId, NavigableSet<Long> snapIds, boolean fastDiff, long count) {
        IoCtx data = img.dataIo().duplicate();
        int[] out = new int[(int) count];
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            final int objectNo = (int) n;
            window.add(data.listSnapsAsync(RbdImage.dataObjectName(img.objectPrefix(), n)).thenAccept(set -> {
                out[objectNo] = set == null ? ObjectMap.NONEXISTENT : stateAt(set, snapId, snapIds, fastDiff);
            }));
            if (window.size() >= IN_FLIGHT) {
                RbdImage.awaitIo(window.remove(0), "list_snaps");
            }
        }
        for (CompletableFuture<Void> f : window) {
            RbdImage.awaitIo(f, "list_snaps");
        }
        return out;
    }

    /**
     * The state of an object at {@code snapId} given its snap set: the clone (or head) whose
     * span of snapshots covers it decides; EXISTS_CLEAN (fast-diff) when that span began before
     * {@code snapId}, i.e. the object was not written since the previous snapshot.
     *
     * @param set the object's snap set
     * @param snapId the snapshot id, or NOSNAP for HEAD
     * @param snapIds the image's snapshot ids
     * @param fastDiff whether the image has fast-diff
     * @return the object map state
     */
    static int stateAt(IoCtx.SnapSet set, long snapId, NavigableSet<Long> snapIds, boolean fastDiff) {
        for (IoCtx.CloneInfo c : set.clones()) {
            long from;
            long to;
            if (c.cloneId() == IoCtx.CloneInfo.HEAD) {
                from = nextSnap(snapIds, set.seq() + 1);
                to = NOSNAP;
            } else {
                if (c.snaps().isEmpty()) {
                    continue;
                }
                from = nextSnap(snapIds, c.snaps().get(0));
                to = c.snaps().get(c.snaps().size() - 1);
            }
            if (Long.compareUnsigned(to, snapId) < 0) {
                continue;
            }
            if (Long.compareUnsigned(snapId, from) < 0) {
                break;
            }
            return fastDiff && from != snapId ? ObjectMap.EXISTS_CLEAN : ObjectMap.EXISTS;
        }
        return ObjectMap.NONEXISTENT;
    }

    private static long nextSnap(NavigableSet<Long> snapIds, long atLeast) {
        Long id = snapIds.ceiling(atLeast);
        return id == null ? NOSNAP : id;
    }

    /** object_map_resize: creates the map object or sizes it, new entries NONEXISTENT. */
    static void resizeMap(IoCtx md, String oid, long count) {
        md.exec(oid, "rbd", "object_map_resize", CephEncoder.toBytes(e -> e.writeU64Le(count).writeU8(ObjectMap.NONEXISTENT)));
    }
}
