package org.jceph.rbd;

import static org.jceph.rbd.RbdImage.encode;
import static org.jceph.rbd.RbdImage.ignoreMissing;
import static org.jceph.rbd.RbdImage.objectCountFor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdImage.Snapshot;
import org.jceph.rbd.RbdImage.SnapshotExistsException;

/**
 * An image's snapshots, for {@link RbdImage}: self-managed snap ids registered in the header
 * with cls rbd (snapshot_add/remove/rename/set_limit, protection status), the object map told
 * of each change, and rollback of every data object. Changes run as maintenance operations of
 * the image (cache written back, exclusive lock held, writes paused) and tell the header's
 * watchers.
 */
final class ImageSnapshots {
    private final RbdImage img;

    ImageSnapshots(RbdImage img) {
        this.img = img;
    }

    List<Snapshot> snapshots() {
        String header = "rbd_header." + img.id;
        SnapContext snapc = SnapContext.decode(CephDecoder.of(img.md.exec(header, "rbd", "get_snapcontext", new byte[0]),
                "get_snapcontext"));
        List<Snapshot> out = new ArrayList<>();
        for (int i = snapc.snaps().size() - 1; i >= 0; i--) {
            long snapId = snapc.snaps().get(i);
            out.add(snapshotGet(img.md, img.id, snapId, d -> {
                CephDecoder.Envelope ns = d.beginStruct("SnapshotNamespace", 1);
                int nsType = (int) d.readU32Le();
                d.endStruct(ns); // the namespace's own fields (group, trash or mirror details) are skipped
                String snapName = d.readString();
                long snapSize = d.readU64Le();
                long sec = d.readU32Le();
                long nsec = d.readU32Le();
                return new Snapshot(snapId, snapName, snapSize, nsType, java.time.Instant.ofEpochSecond(sec, nsec));
            }));
        }
        return out;
    }

    /**
     * Reads snapshot {@code snapId}'s cls::rbd::SnapshotInfo from image {@code imageId}'s header
     * (cls rbd snapshot_get): {@code rest} decodes what follows the snapshot id, the
     * SnapshotNamespace first; what it leaves unread (child_count, newer fields) is skipped.
     *
     * @param md the image's metadata context
     * @param imageId the image's id
     * @param snapId the snapshot
     * @param rest decodes the fields after the id
     * @param <T> what {@code rest} makes of them
     * @return what {@code rest} returned
     */
    static <T> T snapshotGet(org.jceph.rados.IoCtx md, String imageId, long snapId, java.util.function.Function<CephDecoder, T> rest) {
        CephDecoder d = CephDecoder.of(md.exec("rbd_header." + imageId, "rbd", "snapshot_get", encode(e -> e.writeU64Le(snapId))),
                "snapshot_get");
        CephDecoder.Envelope env = d.beginStruct("cls::rbd::SnapshotInfo", 1);
        d.readU64Le(); // the id asked for
        T value = rest.apply(d);
        d.endStruct(env);
        return value;
    }

    Snapshot snapCreate(String snapName) {
        img.checkWritable();
        Snapshot s = img.maintenance(() -> snapCreateUnderLock(snapName));
        if (img.watcher != null) {
            img.watcher.notifyHeaderUpdate();
        }
        return s;
    }

    Snapshot snapCreateInNamespace(String snapName, java.util.function.Consumer<CephEncoder> namespace) {
        img.checkWritable();
        Snapshot s = img.maintenance(() -> snapCreateUnderLock(snapName, namespace));
        if (img.watcher != null) {
            img.watcher.notifyHeaderUpdate();
        }
        return s;
    }

    void snapRemoveAnyNamespace(String snapName) {
        img.checkWritable();
        img.headerChange(() -> snapRemoveUnderLock(snapName));
    }

    void snapRollbackAnyNamespace(String snapName) {
        img.checkWritable();
        img.headerChange(() -> snapRollbackUnderLock(snapName, ProgressListener.NONE));
    }

    private Snapshot snapCreateUnderLock(String snapName) {
        return snapCreateUnderLock(snapName, e -> {
            int mark = e.beginStruct(1, 1);
            e.writeU32Le(0); // SnapshotNamespace USER
            e.finishStruct(mark);
        });
    }

    private Snapshot snapCreateUnderLock(String snapName, java.util.function.Consumer<CephEncoder> namespace) {
        long snapId = img.io.selfManagedSnapCreate();
        img.md.exec("rbd_header." + img.id, "rbd", "snapshot_add", encode(e -> {
            e.writeString(snapName).writeU64Le(snapId);
            namespace.accept(e);
        }));
        refreshSnapContext();
        if (img.mapActive()) {
            img.objectMap.snapshotCreated(snapId, (img.features & RbdFeatures.FAST_DIFF) != 0);
        }
        return new Snapshot(snapId, snapName, img.size);
    }

    void snapRemove(String snapName) {
        img.checkWritable();
        userSnapshot(snapName);
        img.headerChange(() -> snapRemoveUnderLock(snapName));
    }

    void snapRename(String from, String to) {
        img.checkWritable();
        Snapshot s = snapshots().stream().filter(x -> x.name().equals(from)).findFirst()
                .orElseThrow(() -> new RbdException.NoSuchKeyException("image " + img.name + " has no snapshot " + from));
        if (snapshots().stream().anyMatch(x -> x.name().equals(to))) {
            throw new SnapshotExistsException(img.name + "@" + to);
        }
        img.headerChange(() -> img.md.exec("rbd_header." + img.id, "rbd", "snapshot_rename",
                encode(e -> e.writeU64Le(s.id()).writeString(to))));
    }

    void snapLimitSet(long limit) {
        img.checkWritable();
        img.headerChange(() -> img.md.exec("rbd_header." + img.id, "rbd", "snapshot_set_limit", encode(e -> e.writeU64Le(limit))));
    }

    private void snapRemoveUnderLock(String snapName) {
        Snapshot s = snapshot(snapName);
        if (isProtected(snapName)) {
            throw new RbdException("snapshot " + img.name + "@" + snapName + " is protected: unprotect it first");
        }
        if (img.mapActive()) {
            Long next = snapshots().stream().map(Snapshot::id).filter(i -> Long.compareUnsigned(i, s.id()) > 0)
                    .min(Long::compareUnsigned).orElse(null);
            img.objectMap.snapshotRemoved(s.id(), next, (img.features & RbdFeatures.FAST_DIFF) != 0);
        }
        img.md.exec("rbd_header." + img.id, "rbd", "snapshot_remove", encode(e -> e.writeU64Le(s.id())));
        img.io.selfManagedSnapRemove(s.id());
        refreshSnapContext();
    }

    /** As librbd looks names up in the user namespace: group (and other) snapshots are not found by name. */
    private void userSnapshot(String snapName) {
        if (snapshots().stream().noneMatch(x -> x.name().equals(snapName) && x.isUser())) {
            throw new RbdException.NoSuchKeyException("image " + img.name + " has no snapshot " + snapName);
        }
    }

    Snapshot snapshot(String snapName) {
        return snapshots().stream().filter(x -> x.name().equals(snapName)).findFirst()
                .orElseThrow(() -> new RbdException("image " + img.name + " has no snapshot " + snapName));
    }

    boolean isProtected(String snapName) {
        long sid = snapshot(snapName).id();
        byte[] out = img.md.exec("rbd_header." + img.id, "rbd", "get_protection_status", encode(e -> e.writeU64Le(sid)));
        return CephDecoder.of(out, "protection status").readU8() != 0;
    }

    void snapProtect(String snapName) {
        img.checkWritable();
        setProtection(snapshot(snapName).id(), 2);
    }

    void snapUnprotect(String snapName) {
        img.checkWritable();
        long sid = snapshot(snapName).id();
        setProtection(sid, 1);
        long clones;
        try {
            byte[] children = img.md.exec("rbd_header." + img.id, "rbd", "children_list", encode(e -> e.writeU64Le(sid)));
            clones = CephDecoder.of(children, "children_list").readU32Le();
        } catch (RadosException.ObjectNotFoundException e) {
            clones = 0; // cls rbd answers ENOENT when the snapshot never had a clone-v2 child
        }
        if (clones == 0) {
            try { // v1 clones in this pool are listed in rbd_children
                byte[] v1 = img.md.exec("rbd_children", "rbd", "get_children",
                        encode(e -> e.writeS64Le(img.md.poolId()).writeString(img.id).writeU64Le(sid)));
                clones = CephDecoder.of(v1, "get_children").readU32Le();
            } catch (RadosException.ObjectNotFoundException e) {
                clones = 0;
            }
        }
        if (clones != 0) {
            setProtection(sid, 2);
            throw new RbdException("snapshot " + img.name + "@" + snapName + " has clones: flatten or remove them first");
        }
        setProtection(sid, 0);
    }

    private void setProtection(long sid, int status) {
        img.md.exec("rbd_header." + img.id, "rbd", "set_protection_status", encode(e -> e.writeU64Le(sid).writeU8(status)));
    }

    void snapRollback(String snapName, ProgressListener progress) {
        img.checkWritable();
        userSnapshot(snapName);
        img.headerChange(() -> snapRollbackUnderLock(snapName, ProgressListener.orNone(progress)));
    }

    private void snapRollbackUnderLock(String snapName, ProgressListener progress) {
        Snapshot s = snapshot(snapName);
        long span = Math.max(img.size, s.size());
        if (s.size() != img.size) {
            img.md.exec("rbd_header." + img.id, "rbd", "set_size", encode(e -> e.writeU64Le(s.size())));
        }
        if (img.mapActive()) {
            img.objectMap.rolledBack(s.id());
        }
        long sets = (span + img.layout.objectSetSize() - 1) / img.layout.objectSetSize();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        long total = objectCountFor(img.layout, s.size());
        for (long n = 0; n < sets * img.layout.stripeCount(); n++) {
            parts.add(ignoreMissing(img.io.selfManagedSnapRollbackAsync(img.object(n), s.id())));
            if (n < total) {
                progress.update(n, total);
            }
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        img.size = s.size();
    }

    void refreshSnapContext() {
        img.io.setSelfManagedSnapWriteContext(SnapContext.decode(CephDecoder.of(img.md.exec("rbd_header." + img.id, "rbd",
                "get_snapcontext", new byte[0]), "get_snapcontext")));
    }
}
