package org.jceph.rbd;

import static org.jceph.rbd.Migration.EOPNOTSUPP;
import static org.jceph.rbd.Migration.await;
import static org.jceph.rbd.Migration.expectedState;
import static org.jceph.rbd.Migration.get;
import static org.jceph.rbd.MigrationSources.openSource;

import java.util.List;
import java.util.Map;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

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
 * open one per use under the exclusive lock, close it after. {@link #deepCopyObjects} is
 * execute's driver (every object in turn).
 */
final class MigrationObjectCopier implements AutoCloseable {
    /** The xattr on an object's head while its deep copy is under way (jceph's own; librbd ignores it). */
    static final String COPYING = "jceph.deep_copy";
    private static final byte[] COPYING_VALUE = {1};

    /** One step of a per-object deep copy: a destination snapshot (or HEAD) and what it reads. */
    private record Stage(long dstSnap, RbdImage view, long limit) {
    }

    private final RbdImage dst;
    private final RbdImage srcHead;
    private final List<Stage> stages = new java.util.ArrayList<>();
    private final List<RbdImage.Snapshot> dstSnaps;
    private final Map<Long, int[]> snapMaps = new java.util.TreeMap<>(Long::compareUnsigned);
    private final boolean objectMap;
    private final boolean fastDiff;
    private final long objects;

    private MigrationObjectCopier(RbdImage dst, RbdImage.Parent headParent, MigrationSpec spec) {
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
    static MigrationObjectCopier open(RbdImage dst) {
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
        return new MigrationObjectCopier(dst, headParent, spec);
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

    /**
     * The deep copy of every object of a destination with snapshots (execute of a migration
     * librbd prepared): the objects one by one through {@link MigrationObjectCopier#copy}.
     */
    static void deepCopyObjects(RbdImage dst, ProgressListener pl) {
        try (MigrationObjectCopier copier = MigrationObjectCopier.open(dst)) {
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
}
