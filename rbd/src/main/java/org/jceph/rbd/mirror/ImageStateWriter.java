package org.jceph.rbd.mirror;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.MirrorAccess;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;

/**
 * The image state librbd stores beside each primary mirror snapshot (its
 * SetImageStateRequest/WriteImageStateRequest), which rbd-mirror reads to create and update the
 * replica: objects {@code rbd_mirror_snapshot.<image id>.<snap id>.<index>} holding an
 * ImageStateHeader (object count) then the ImageState (name, features, snapshot limit, user
 * snapshots, metadata), cut in rbd_default_order-sized pieces.
 */
public final class ImageStateWriter {
    private ImageStateWriter() {
    }

    /** The objects' name prefix. */
    public static final String PREFIX = "rbd_mirror_snapshot.";

    /** librbd's rbd_default_order (22): the size of each piece. */
    static final int OBJECT_SIZE = 1 << 22;

    /** RBD_FEATURES_IMPLICIT_ENABLE in Pacific: features the image state leaves out. */
    static final long IMPLICIT = RbdFeatures.STRIPINGV2 | RbdFeatures.DATA_POOL | RbdFeatures.FAST_DIFF
            | RbdFeatures.OPERATIONS | (1L << 9) | RbdFeatures.NON_PRIMARY | RbdFeatures.DIRTY_CACHE;

    /** cls_rbd's protection status of a protected snapshot. */
    private static final int PROTECTED = 2;

    /** The metadata keys librbd keeps to itself (GetMetadataRequest's internal filter). */
    private static final String INTERNAL_KEY_PREFIX = ".rbd";

    /**
     * The name of piece {@code index} of snapshot {@code snapId}'s image state.
     *
     * @param imageId the image's id
     * @param snapId the mirror snapshot's id
     * @param index the piece
     * @return the object name
     */
    public static String objectName(String imageId, long snapId, int index) {
        return PREFIX + imageId + "." + Long.toUnsignedString(snapId) + "." + index;
    }

    /**
     * The ImageState struct (v1) of an image.
     *
     * @param img the image
     * @return its encoding
     */
    static byte[] encodeState(RbdImage img) {
        IoCtx md = MirrorAccess.metadataIo(img);
        long snapLimit = CephDecoder.of(md.exec("rbd_header." + img.id(), "rbd", "snapshot_get_limit", new byte[0]),
                "snapshot_get_limit").readU64Le();
        Map<String, String> meta = img.metadataList();
        return CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(img.name());
            e.writeU64Le(img.features() & ~IMPLICIT);
            e.writeU64Le(snapLimit);
            java.util.List<RbdImage.Snapshot> user = img.userSnapshots();
            e.writeU32Le(user.size());
            for (RbdImage.Snapshot s : user) { // oldest first: ascending snap ids, as the map is ordered
                e.writeU64Le(s.id());
                int sm = e.beginStruct(1, 1);
                int ns = e.beginStruct(1, 1);
                e.writeU32Le(RbdImage.Snapshot.NAMESPACE_USER);
                e.finishStruct(ns);
                e.writeString(s.name());
                e.writeU8(img.isProtected(s.name()) ? PROTECTED : 0);
                e.finishStruct(sm);
            }
            Map<String, String> kept = new java.util.TreeMap<>();
            meta.forEach((k, v) -> {
                if (!k.startsWith(INTERNAL_KEY_PREFIX)) {
                    kept.put(k, v);
                }
            });
            e.writeU32Le(kept.size());
            kept.forEach((k, v) -> {
                e.writeString(k);
                e.writeBlob(v.getBytes(StandardCharsets.UTF_8));
            });
            e.finishStruct(mark);
        });
    }

    /**
     * Writes the image state of mirror snapshot {@code snapId}, last piece first, as librbd does.
     *
     * @param img the image
     * @param snapId the mirror snapshot
     */
    static void write(RbdImage img, long snapId) {
        byte[] state = encodeState(img);
        int headerLength = 6 + 4;
        int count = 1 + (headerLength + state.length) / OBJECT_SIZE;
        byte[] all = new byte[headerLength + state.length];
        byte[] header = CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeU32Le(count);
            e.finishStruct(mark);
        });
        System.arraycopy(header, 0, all, 0, headerLength);
        System.arraycopy(state, 0, all, headerLength, state.length);
        IoCtx md = MirrorAccess.metadataIo(img);
        for (int i = count - 1; i >= 0; i--) {
            int from = i * OBJECT_SIZE;
            md.writeFull(objectName(img.id(), snapId, i), Arrays.copyOfRange(all, from, Math.min(all.length, from + OBJECT_SIZE)));
        }
    }

    /**
     * Removes the image state objects of mirror snapshot {@code snapId} (missing ones are fine).
     *
     * @param md the image's metadata context
     * @param imageId the image's id
     * @param snapId the mirror snapshot
     */
    static void remove(IoCtx md, String imageId, long snapId) {
        int count = 1;
        try {
            CephDecoder d = CephDecoder.of(md.read(objectName(imageId, snapId, 0), 0, 16), "ImageStateHeader");
            CephDecoder.Envelope env = d.beginStruct("ImageStateHeader", 1);
            count = (int) Math.min(1024, d.readU32Le());
            d.endStruct(env);
        } catch (RadosException.NotFoundException e) {
            return;
        } catch (org.jceph.encoding.DecodeException e) {
            count = 1; // a damaged header: remove what we know of
        }
        for (int i = 0; i < count; i++) {
            try {
                md.remove(objectName(imageId, snapId, i));
            } catch (RadosException.NotFoundException e) {
                // already gone
            }
        }
    }
}
