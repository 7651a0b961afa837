package org.jceph.rbd;

import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/** librbd's image trash: the {@code rbd_trash} object of a pool, managed by cls_rbd's trash_* methods. */
public final class Trash {
    private Trash() {
    }

    static final String OBJECT = "rbd_trash";

    /** Whether image {@code imageId} is in {@code io}'s pool trash (cls_rbd trash_get). */
    public static boolean contains(IoCtx io, String imageId) {
        try {
            io.exec(OBJECT, "rbd", "trash_get", CephEncoder.toBytes(e -> e.writeString(imageId)));
            return true;
        } catch (RadosException.ObjectNotFoundException e) {
            return false; // no trash object, or no such entry
        }
    }
}
