package org.jceph.rbd.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.MirrorAccess;
import org.jceph.rbd.OpenOptions;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;
import org.jceph.rbd.mirror.MirrorTypes.Direction;
import org.jceph.rbd.mirror.MirrorTypes.ImageInfo;
import org.jceph.rbd.mirror.MirrorTypes.ImageMode;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.ImageStatus;
import org.jceph.rbd.mirror.MirrorTypes.MirrorImage;
import org.jceph.rbd.mirror.MirrorTypes.MirrorSnapshot;
import org.jceph.rbd.mirror.MirrorTypes.Mode;
import org.jceph.rbd.mirror.MirrorTypes.Peer;
import org.jceph.rbd.mirror.MirrorTypes.SnapNamespace;
import org.jceph.rbd.mirror.MirrorTypes.SnapState;

/**
 * Image-level snapshot-based mirroring, as librbd's api/Mirror and mirror/ requests do it:
 * enable (a primary mirror snapshot, then the image's record in {@code rbd_mirroring}),
 * disable, promote, demote, resync and mirror snapshots. Journal-based mirroring is not
 * supported (jceph has no journal).
 */
public final class MirrorImages {
    private MirrorImages() {
    }

    /** CEPH_NOSNAP: a primary snapshot's primary snap id. */
    static final long NOSNAP = -2L;

    /** librbd's rbd_mirroring_max_mirroring_snapshots default: primary snapshots kept per peer. */
    public static final int MAX_MIRROR_SNAPSHOTS = 5;

    /** The image-meta key prefix under which a resync is requested (then the pool's mirror uuid). */
    public static final String RESYNC_KEY_PREFIX = ".rbd_mirror.";

    /**
     * The image's mirroring record (mirror_image_get), or null when it is not mirrored.
     *
     * @param io the image's pool (and namespace)
     * @param imageId the image's id
     * @return the record, or null
     */
    public static MirrorImage record(IoCtx io, String imageId) {
        try {
            return MirrorCodec.decodeImage(CephDecoder.of(io.exec(MirrorPool.OBJECT, "rbd", "mirror_image_get",
                    CephEncoder.toBytes(e -> e.writeString(imageId))), "mirror_image_get"));
        } catch (RadosException.NotFoundException e) {
            return null;
        }
    }

    private static void setRecord(IoCtx io, String imageId, MirrorImage m) {
        io.exec(MirrorPool.OBJECT, "rbd", "mirror_image_set", CephEncoder.toBytes(e -> {
            e.writeString(imageId);
            MirrorCodec.encodeImage(e, m);
        }));
    }

    /**
     * The image's mirror snapshots, oldest first.
     *
     * @param img the image
     * @return its snapshots in the mirror namespace
     */
    public static List<MirrorSnapshot> snapshots(RbdImage img) {
        IoCtx md = MirrorAccess.metadataIo(img);
        List<MirrorSnapshot> out = new ArrayList<>();
        for (RbdImage.Snapshot s : img.snapshots()) {
            if (s.namespaceType() != SnapNamespace.TYPE) {
                continue;
            }
            SnapNamespace ns = namespaceOf(md, img.id(), s.id());
            if (ns != null) {
                out.add(new MirrorSnapshot(s.id(), s.name(), ns));
            }
        }
        return out;
    }

    /**
     * The mirror namespace of snapshot {@code snapId} (snapshot_get), or null for another namespace.
     *
     * @param md the image's metadata context
     * @param imageId the image's id
     * @param snapId the snapshot
     * @return the namespace, or null
     */
    public static SnapNamespace namespaceOf(IoCtx md, String imageId, long snapId) {
        return MirrorAccess.snapshotNamespace(md, imageId, snapId, MirrorCodec::decodeNamespace);
    }

    /**
     * Whether the image is primary here: its newest mirror snapshot is a (not demoted) primary
     * one, or it has none yet (librbd's promotion state).
     */
    private static boolean primary(List<MirrorSnapshot> snaps) {
        return snaps.isEmpty() || snaps.get(snaps.size() - 1).namespace().state() == SnapState.PRIMARY;
    }

    /**
     * rbd_mirror_image_get_info: null when the image is not mirrored.
     *
     * @param img the image
     * @return its global id, state and whether it is primary
     */
    public static ImageInfo info(RbdImage img) {
        MirrorImage m = record(MirrorAccess.metadataIo(img), img.id());
        if (m == null) {
            return null;
        }
        boolean primary = m.mode() == ImageMode.SNAPSHOT ? primary(snapshots(img)) : true;
        return new ImageInfo(m.globalId(), m.state(), primary);
    }

    /**
     * rbd_mirror_image_get_mode.
     *
     * @param img the image
     * @return its mirroring mode, or null when it is not mirrored
     */
    public static ImageMode mode(RbdImage img) {
        MirrorImage m = record(MirrorAccess.metadataIo(img), img.id());
        return m == null ? null : m.mode();
    }

    /**
     * rbd_mirror_image_enable2 in snapshot mode: the pool must be in image mode; a primary
     * mirror snapshot (linked to every peer we send to, or to none), then the image's record,
     * enabled, with a new global id. Enabling again in the same mode does nothing.
     *
     * @param img the image, open read-write
     * @param mode only {@link ImageMode#SNAPSHOT}
     */
    public static void enable(RbdImage img, ImageMode mode) {
        if (mode != ImageMode.SNAPSHOT) {
            throw new RbdException(Errno.EOPNOTSUPP.negative(), "journal-based mirroring is not supported by jceph");
        }
        IoCtx md = MirrorAccess.metadataIo(img);
        if (MirrorPool.modeGet(md) != Mode.IMAGE) {
            throw new RbdException(Errno.EINVAL.negative(), "cannot enable mirroring in the current pool mirroring mode");
        }
        MirrorImage existing = record(md, img.id());
        if (existing != null) {
            if (existing.state() == ImageState.ENABLED && existing.mode() == mode) {
                return;
            }
            throw new RbdException(Errno.EINVAL.negative(), "mirroring is already " + existing.state().text()
                    + " in " + existing.mode().text() + " mode");
        }
        String globalId = UUID.randomUUID().toString();
        withWritable(img, rw -> createPrimarySnapshot(rw, globalId, false, true));
        setRecord(md, img.id(), new MirrorImage(mode, globalId, ImageState.ENABLED));
        MirroringNotify.send(md, MirroringNotify.imageUpdated(ImageState.ENABLED, img.id(), globalId));
    }

    /**
     * rbd_mirror_image_disable: marks the record disabling, removes every mirror snapshot, then
     * the record. A non-primary image needs {@code force}. A non-mirrored image is left alone.
     *
     * @param img the image, open read-write
     * @param force disable a non-primary image too
     */
    public static void disable(RbdImage img, boolean force) {
        IoCtx md = MirrorAccess.metadataIo(img);
        MirrorImage m = record(md, img.id());
        if (m == null) {
            return;
        }
        List<MirrorSnapshot> snaps = snapshots(img);
        if (m.mode() == ImageMode.SNAPSHOT && !primary(snaps) && !force) {
            throw new RbdException(Errno.EINVAL.negative(),
                    "mirrored image is not primary, add force option to disable mirroring");
        }
        setRecord(md, img.id(), new MirrorImage(m.mode(), m.globalId(), ImageState.DISABLING));
        MirroringNotify.send(md, MirroringNotify.imageUpdated(ImageState.DISABLING, img.id(), m.globalId()));
        setNonPrimary(md, img.id(), false);
        withWritable(img, rw -> {
            for (MirrorSnapshot s : snaps) {
                removeSnapshot(rw, s);
            }
            return null;
        });
        md.exec(MirrorPool.OBJECT, "rbd", "mirror_image_remove", CephEncoder.toBytes(e -> e.writeString(img.id())));
        MirroringNotify.send(md, MirroringNotify.imageUpdated(ImageState.DISABLED, img.id(), m.globalId()));
    }

    /**
     * rbd_mirror_image_promote: a primary mirror snapshot. A primary image is refused (EINVAL);
     * a non-primary one that was not demoted needs {@code force}. A non-primary image whose
     * last copy is incomplete is refused (EOPNOTSUPP: librbd rolls it back first, jceph does not).
     *
     * @param img the image, open read-write
     * @param force promote even though the remote primary was not demoted
     */
    public static void promote(RbdImage img, boolean force) {
        MirrorImage m = snapshotRecord(img);
        List<MirrorSnapshot> snaps = snapshots(img);
        if (primary(snaps)) {
            throw new RbdException(Errno.EINVAL.negative(), "image is already primary");
        }
        SnapNamespace last = snaps.get(snaps.size() - 1).namespace();
        if (last.state() == SnapState.NON_PRIMARY && !force) {
            throw new RbdException(Errno.EINVAL.negative(),
                    "image is primary within a remote cluster or demotion is not propagated yet");
        }
        if (!last.state().primary() && !last.complete()) {
            throw new RbdException(Errno.EOPNOTSUPP.negative(),
                    "the last mirror snapshot is incomplete: rolling back to the last complete one is not supported");
        }
        // the non-primary bit goes first: a non-primary image cannot be opened for writing
        withNonPrimary(img, false, () -> withWritable(img, rw -> createPrimarySnapshot(rw, m.globalId(), false, true)));
    }

    /**
     * rbd_mirror_image_demote: a demoted primary mirror snapshot; the image must be primary.
     *
     * @param img the image, open read-write
     */
    public static void demote(RbdImage img) {
        MirrorImage m = snapshotRecord(img);
        if (!primary(snapshots(img))) {
            throw new RbdException(Errno.EINVAL.negative(), "image is not primary");
        }
        // librbd's order: the non-primary feature, then the demotion snapshot
        withWritable(img, rw -> withNonPrimary(img, true, () -> createPrimarySnapshot(rw, m.globalId(), true, true)));
    }

    /**
     * rbd_mirror_image_resync: flags a non-primary image for rbd-mirror to copy again (image-meta
     * {@code .rbd_mirror.<pool mirror uuid>} = {@code {"resync_requested": true}}).
     *
     * @param img the image, open read-write
     */
    public static void resync(RbdImage img) {
        snapshotRecord(img);
        if (primary(snapshots(img))) {
            throw new RbdException(Errno.EINVAL.negative(), "image is primary, cannot resync to itself");
        }
        String uuid = MirrorPool.uuidGet(MirrorAccess.metadataIo(img));
        if (uuid == null) {
            throw new RbdException(Errno.EINVAL.negative(), "the pool has no mirror uuid");
        }
        byte[] value = "{\"resync_requested\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MirrorAccess.metadataIo(img).exec("rbd_header." + img.id(), "rbd", "metadata_set", CephEncoder.toBytes(e -> {
            e.writeU32Le(1);
            e.writeString(RESYNC_KEY_PREFIX + uuid);
            e.writeBlob(value);
        }));
    }

    /**
     * rbd_mirror_image_create_snapshot: a primary mirror snapshot of a primary image, linked to
     * the pool's peers (EINVAL when there is none we send to); old ones beyond
     * {@link #MAX_MIRROR_SNAPSHOTS} per peer are unlinked, and removed when no peer needs them.
     *
     * @param img the image, open read-write
     * @return the new snapshot's id
     */
    public static long snapshotCreate(RbdImage img) {
        MirrorImage m = snapshotRecord(img);
        if (!primary(snapshots(img))) {
            throw new RbdException(Errno.EINVAL.negative(), "cannot create snapshot on non-primary image");
        }
        return withWritable(img, rw -> createPrimarySnapshot(rw, m.globalId(), false, false)).id();
    }

    /**
     * The image's status as far as it is known without rbd-mirror.
     *
     * @param img the image
     * @return the status, or null when the image is not mirrored
     */
    public static ImageStatus status(RbdImage img) {
        IoCtx md = MirrorAccess.metadataIo(img);
        MirrorImage m = record(md, img.id());
        if (m == null) {
            return null;
        }
        boolean found;
        try {
            md.exec(MirrorPool.OBJECT, "rbd", "mirror_image_status_get",
                    CephEncoder.toBytes(e -> e.writeString(m.globalId())));
            found = true;
        } catch (RadosException.NotFoundException e) {
            found = false;
        }
        List<MirrorSnapshot> snaps = m.mode() == ImageMode.SNAPSHOT ? snapshots(img) : List.of();
        return new ImageStatus(img.name(), m, primary(snaps), found, snaps);
    }

    /**
     * Runs {@code op} on a writable handle of the image: {@code img} itself, or a read-write
     * handle opened for the operation (a non-primary image can only be opened read-only).
     */
    private static <T> T withWritable(RbdImage img, java.util.function.Function<RbdImage, T> op) {
        if (!img.readOnly()) {
            return op.apply(img);
        }
        try (RbdImage rw = RbdImage.openById(MirrorAccess.metadataIo(img), img.id(), OpenOptions.readWrite())) {
            return op.apply(rw);
        }
    }

    /**
     * Sets the image's non-primary bit to {@code on}, then runs {@code op}; when {@code op} fails
     * the bit goes back (a failure to restore it is added to the first one as suppressed).
     */
    private static <T> T withNonPrimary(RbdImage img, boolean on, java.util.function.Supplier<T> op) {
        IoCtx md = MirrorAccess.metadataIo(img);
        setNonPrimary(md, img.id(), on);
        try {
            return op.get();
        } catch (RuntimeException e) {
            try {
                setNonPrimary(md, img.id(), !on);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /**
     * Sets or clears the image's non-primary feature bit (set_features with that mask): librbd
     * marks a demoted or replica image with it, and refuses such an image writes.
     */
    static void setNonPrimary(IoCtx md, String imageId, boolean on) {
        md.exec("rbd_header." + imageId, "rbd", "set_features", CephEncoder.toBytes(e -> {
            e.writeU64Le(on ? RbdFeatures.NON_PRIMARY : 0);
            e.writeU64Le(RbdFeatures.NON_PRIMARY);
        }));
        notifyHeaderUpdate(md, imageId);
    }

    private static MirrorImage snapshotRecord(RbdImage img) {
        MirrorImage m = record(MirrorAccess.metadataIo(img), img.id());
        if (m == null || m.state() != ImageState.ENABLED) {
            throw new RbdException(Errno.EINVAL.negative(), "mirroring is not enabled for this image");
        }
        if (m.mode() != ImageMode.SNAPSHOT) {
            throw new RbdException(Errno.EOPNOTSUPP.negative(), "journal-based mirroring is not supported by jceph");
        }
        return m;
    }

    /** The uuids of the peers mirror snapshots are linked to: all but rx-only ones (default namespace). */
    private static Set<String> txPeers(IoCtx md) {
        IoCtx def = md.client().ioCtx(md.poolId());
        Set<String> out = new TreeSet<>();
        for (Peer p : MirrorPool.peers(def)) {
            if (p.direction() != Direction.RX_ONLY) {
                out.add(p.uuid());
            }
        }
        return out;
    }

    /** librbd's CreatePrimaryRequest: the snapshot, then pruning. */
    private static RbdImage.Snapshot createPrimarySnapshot(RbdImage img, String globalId, boolean demoted,
            boolean ignoreEmptyPeers) {
        IoCtx md = MirrorAccess.metadataIo(img);
        Set<String> peers = txPeers(md);
        if (peers.isEmpty() && !ignoreEmptyPeers) {
            throw new RbdException(Errno.EINVAL.negative(), "no mirror tx peers configured for the pool");
        }
        // librbd's order: the snapshot incomplete, the image state rbd-mirror reads, then complete
        SnapNamespace ns = new SnapNamespace(demoted ? SnapState.PRIMARY_DEMOTED : SnapState.PRIMARY, false, peers,
                "", NOSNAP, 0, Map.of());
        String name = ".mirror.primary." + globalId + "." + UUID.randomUUID();
        RbdImage.Snapshot s = MirrorAccess.snapCreate(img, name, e -> MirrorCodec.encodeNamespace(e, ns));
        ImageStateWriter.write(img, s.id());
        md.exec("rbd_header." + img.id(), "rbd", "mirror_image_snapshot_set_copy_progress", CephEncoder.toBytes(e -> {
            e.writeU64Le(s.id());
            e.writeBool(true);
            e.writeU64Le(0);
        }));
        notifyHeaderUpdate(md, img.id()); // rbd-mirror looks again once the snapshot is complete
        prune(img, peers);
        return s;
    }

    /**
     * librbd's unlink_peer loop: for each peer, among the primary snapshots since the last
     * demotion or promotion, one linked to no peer or incomplete is unlinked at once; else,
     * beyond {@link #MAX_MIRROR_SNAPSHOTS}, the one at that count is.
     */
    private static void prune(RbdImage img, Set<String> peers) {
        for (int guard = 0; guard < 64; guard++) {
            List<MirrorSnapshot> snaps = snapshots(img);
            MirrorSnapshot victim = null;
            String victimPeer = null;
            for (String peer : peers) {
                int count = 0;
                MirrorSnapshot atMax = null;
                for (MirrorSnapshot s : snaps) {
                    SnapNamespace ns = s.namespace();
                    if (ns.state() != SnapState.PRIMARY) {
                        count = 0;
                        atMax = null;
                        continue;
                    }
                    if (!ns.peerUuids().isEmpty() && !ns.peerUuids().contains(peer)) {
                        continue;
                    }
                    if (ns.peerUuids().isEmpty() || !ns.complete()) {
                        victim = s;
                        break;
                    }
                    count++;
                    if (count == MAX_MIRROR_SNAPSHOTS) {
                        atMax = s;
                    }
                    if (count > MAX_MIRROR_SNAPSHOTS) {
                        victim = atMax;
                        break;
                    }
                }
                if (victim != null) {
                    victimPeer = peer;
                    break;
                }
            }
            if (victim == null) {
                return;
            }
            unlinkPeer(img, snaps, victim, victimPeer);
        }
    }

    /**
     * librbd's UnlinkPeerRequest: removes the snapshot when {@code peer} is its only link (or it
     * has none) and it is not the newest mirror snapshot; otherwise drops the link.
     */
    private static void unlinkPeer(RbdImage img, List<MirrorSnapshot> snaps, MirrorSnapshot s, String peer) {
        Set<String> links = s.namespace().peerUuids();
        boolean newest = snaps.get(snaps.size() - 1).id() == s.id();
        if (!newest && (links.isEmpty() || (links.size() == 1 && links.contains(peer)))) {
            removeSnapshot(img, s);
            return;
        }
        if (links.contains(peer)) {
            MirrorAccess.metadataIo(img).exec("rbd_header." + img.id(), "rbd", "mirror_image_snapshot_unlink_peer",
                    CephEncoder.toBytes(e -> {
                        e.writeU64Le(s.id());
                        e.writeString(peer);
                    }));
        }
    }

    /** Tells the header's watchers (rbd-mirror's replayer among them) to refresh; best effort, as librbd. */
    static void notifyHeaderUpdate(IoCtx md, String imageId) {
        try {
            md.notify("rbd_header." + imageId, org.jceph.rbd.lock.WatchNotifyMessages.headerUpdate(), 5);
        } catch (RadosException e) {
            // watchers also refresh when they next look
        }
    }

    /** Removes a mirror snapshot and its image state objects, as librbd's snapshot removal does. */
    private static void removeSnapshot(RbdImage img, MirrorSnapshot s) {
        MirrorAccess.snapRemove(img, s.name());
        ImageStateWriter.remove(MirrorAccess.metadataIo(img), img.id(), s.id());
    }

    /** For peer removal: unlinks {@code peer} from the snapshots of every snapshot-mirrored image of the pool. */
    static void unlinkPeerEverywhere(IoCtx io, String peer) {
        for (String imageId : MirrorPool.imageIds(io).keySet()) {
            MirrorImage m = record(io, imageId);
            if (m == null || m.mode() != ImageMode.SNAPSHOT) {
                continue;
            }
            try (RbdImage img = RbdImage.openById(io, imageId, OpenOptions.readWrite())) {
                List<MirrorSnapshot> snaps = snapshots(img);
                for (MirrorSnapshot s : snaps) {
                    if (s.namespace().peerUuids().contains(peer)) {
                        unlinkPeer(img, snaps, s, peer);
                    }
                }
            }
        }
    }
}
