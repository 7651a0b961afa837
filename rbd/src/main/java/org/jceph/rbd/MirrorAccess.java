package org.jceph.rbd;

import java.util.function.Consumer;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;

/**
 * The few package hooks of {@link RbdImage} that snapshot-based mirroring
 * ({@code org.jceph.rbd.mirror}) needs: snapshots in the mirror namespace and the image's
 * metadata context. Not for applications: use {@code org.jceph.rbd.mirror.MirrorImages}.
 */
public final class MirrorAccess {
    private MirrorAccess() {
    }

    /**
     * Takes a snapshot in a non-user namespace, as group snapshots do (cache flushed, exclusive lock held).
     *
     * @param img the image, open read-write
     * @param name the snapshot's name
     * @param namespace writes the whole cls::rbd::SnapshotNamespace struct
     * @return the new snapshot
     */
    public static RbdImage.Snapshot snapCreate(RbdImage img, String name, Consumer<CephEncoder> namespace) {
        return img.snapCreateInNamespace(name, namespace);
    }

    /**
     * Removes a snapshot of any namespace.
     *
     * @param img the image, open read-write
     * @param name the snapshot's name
     */
    public static void snapRemove(RbdImage img, String name) {
        img.snapRemoveAnyNamespace(name);
    }

    /**
     * The context of the image's header and metadata objects.
     *
     * @param img the image
     * @return its metadata IoCtx
     */
    public static IoCtx metadataIo(RbdImage img) {
        return img.metadataIo();
    }

    /**
     * The namespace of snapshot {@code snapId} (cls rbd snapshot_get), decoded by {@code namespace}.
     *
     * @param md the image's metadata context
     * @param imageId the image's id
     * @param snapId the snapshot
     * @param namespace decodes the cls::rbd::SnapshotNamespace
     * @param <T> the decoded namespace
     * @return what {@code namespace} returned
     */
    public static <T> T snapshotNamespace(IoCtx md, String imageId, long snapId,
            java.util.function.Function<org.jceph.encoding.CephDecoder, T> namespace) {
        return ImageSnapshots.snapshotGet(md, imageId, snapId, namespace);
    }
}
