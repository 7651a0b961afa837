package org.jceph.rbd.mirror;

import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * librbd's MirroringWatcher notifications on {@code rbd_mirroring}: rbd-mirror's pool watcher
 * learns of mode changes and of images enabled or disabled only through them (it does not poll).
 * Like librbd, a notification that fails is logged, not fatal.
 */
public final class MirroringNotify {
    private MirroringNotify() {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MirroringNotify.class);

    /** NotifyOp of a mode change. */
    static final int OP_MODE_UPDATED = 0;
    /** NotifyOp of an image's state change. */
    static final int OP_IMAGE_UPDATED = 1;

    /** How long the OSD waits for watchers' acks, as librbd's notify timeout. */
    private static final int TIMEOUT_SECONDS = 5;

    /**
     * NotifyMessage v1 of a mode change: op 0, then the mode (u32).
     *
     * @param mode the new mode
     * @return the payload
     */
    public static byte[] modeUpdated(Mode mode) {
        return CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeU32Le(OP_MODE_UPDATED);
            e.writeU32Le(mode.code());
            e.finishStruct(mark);
        });
    }

    /**
     * NotifyMessage v1 of an image change: op 1, the image's mirror state (u32), its id and global id.
     *
     * @param state the image's new mirroring state
     * @param imageId its id
     * @param globalId its global id
     * @return the payload
     */
    public static byte[] imageUpdated(ImageState state, String imageId, String globalId) {
        return CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeU32Le(OP_IMAGE_UPDATED);
            e.writeU32Le(state.code());
            e.writeString(imageId);
            e.writeString(globalId);
            e.finishStruct(mark);
        });
    }

    static void send(IoCtx io, byte[] payload) {
        try {
            io.notify(MirrorPool.OBJECT, payload, TIMEOUT_SECONDS);
        } catch (RadosException e) {
            LOG.warn("mirroring notification on {} failed: {}", MirrorPool.OBJECT, e.getMessage());
        }
    }
}
