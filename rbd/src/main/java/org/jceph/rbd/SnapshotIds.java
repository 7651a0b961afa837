package org.jceph.rbd;

/**
 * Snapshots named by id rather than by name (librbd's {@code rbd_snap_set_by_id} and
 * {@code rbd_snap_remove_by_id}; the rbd tool's {@code --snap-id}).
 */
public final class SnapshotIds {
    private SnapshotIds() {
    }

    /**
     * The image as it was at snapshot {@code snapId} (librbd's {@code rbd_snap_set_by_id}):
     * read-only, sized as then.
     *
     * @param img the image (HEAD)
     * @param snapId the snapshot's id
     * @return a read-only handle on the snapshot; close it when done
     * @throws RbdException.NoSuchKeyException (ENOENT) when the image has no such snapshot
     */
    public static RbdImage open(RbdImage img, long snapId) {
        find(img, snapId);
        return img.atSnapshotId(snapId);
    }

    /**
     * Removes snapshot {@code snapId} (librbd's {@code rbd_snap_remove_by_id}), as
     * {@link RbdImage#snapRemove} removes one by name.
     *
     * @param img the image, open for writing
     * @param snapId the snapshot's id
     * @throws RbdException.NoSuchKeyException (ENOENT) when the image has no such snapshot
     * @throws RbdException EOPNOTSUPP for a snapshot outside the user namespace (group, trash,
     *                      mirror), which jceph does not remove
     */
    public static void remove(RbdImage img, long snapId) {
        RbdImage.Snapshot s = find(img, snapId);
        if (!s.isUser()) {
            throw new RbdException(-95, "snapshot " + Long.toUnsignedString(snapId) + " of image " + img.name()
                    + " is in namespace " + s.namespaceType() + ", not a user snapshot");
        }
        img.snapRemove(s.name());
    }

    private static RbdImage.Snapshot find(RbdImage img, long snapId) {
        for (RbdImage.Snapshot s : img.snapshots()) {
            if (s.id() == snapId) {
                return s;
            }
        }
        throw new RbdException.NoSuchKeyException("image " + img.name() + " has no snapshot with id "
                + Long.toUnsignedString(snapId));
    }
}
