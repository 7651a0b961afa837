package org.jceph.rbd;

import java.time.Instant;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * What {@code rbd info} shows beyond size and layout, read from the image header with cls_rbd
 * methods: op_features ({@code op_features_get}), flags of the viewed snapshot ({@code get_flags}),
 * the create/access/modify timestamps ({@code get_*_timestamp}, utime_t), the snapshot limit
 * ({@code snapshot_get_limit}), and whether a clone's parent sits in its pool's trash.
 */
public record ImageInfo(long opFeatures, long flags, Instant created, Instant accessed, Instant modified,
                        long snapshotLimit, int snapshotCount, long dataPoolId, boolean parentInTrash) {

    /** librbd's operation feature bits (RBD_OPERATION_FEATURE_*), in the order the tool lists them. */
    public static final long OP_CLONE_PARENT = 1L << 0;
    public static final long OP_CLONE_CHILD = 1L << 1;
    public static final long OP_GROUP = 1L << 2;
    public static final long OP_SNAP_TRASH = 1L << 3;

    /** Image flags (RBD_FLAG_*). */
    public static final long FLAG_OBJECT_MAP_INVALID = ObjectMap.FLAG_OBJECT_MAP_INVALID;
    public static final long FLAG_FAST_DIFF_INVALID = ObjectMap.FLAG_FAST_DIFF_INVALID;

    /** No snapshot limit (the tool prints none). */
    public static final long NO_LIMIT = -1L;

    public static ImageInfo of(RbdImage img) {
        IoCtx md = img.metadataIo();
        String header = "rbd_header." + img.id();
        long op = u64(md, header, "op_features_get", new byte[0], 0);
        long flags = u64(md, header, "get_flags", CephEncoder.toBytes(e -> e.writeU64Le(img.viewSnapId())), 0);
        long limit = u64(md, header, "snapshot_get_limit", new byte[0], NO_LIMIT);
        boolean parentTrash = false;
        RbdImage.Parent p = img.parent();
        if (p != null && p.image() != null) { // MIGRATION-HOOK: a raw file source is in no trash
            parentTrash = Trash.contains(p.image().metadataIo(), p.imageId());
        }
        return new ImageInfo(op, flags, time(md, header, "get_create_timestamp"), time(md, header, "get_access_timestamp"),
                time(md, header, "get_modify_timestamp"), limit, img.snapshots().size(), img.dataIo().poolId(),
                parentTrash);
    }

    private static long u64(IoCtx md, String header, String method, byte[] in, long dflt) {
        try {
            return CephDecoder.of(md.exec(header, "rbd", method, in), method).readU64Le();
        } catch (RadosException e) {
            return dflt; // an older OSD without the method: the tool prints nothing for it either
        }
    }

    /** A header timestamp, or null when unset (sec 0) or unknown to the OSD. */
    private static Instant time(IoCtx md, String header, String method) {
        try {
            CephDecoder d = CephDecoder.of(md.exec(header, "rbd", method, new byte[0]), method);
            long sec = d.readU32Le();
            long nsec = d.readU32Le();
            return sec == 0 ? null : Instant.ofEpochSecond(sec, nsec);
        } catch (RadosException e) {
            return null;
        }
    }

    /** The op feature names as the tool lists them. */
    public static List<String> opFeatureNames(long bits) {
        return RbdFeatures.bitNames(bits, List.of("clone-parent", "clone-child", "group", "snap-trash"), false);
    }

    /** The flag names as the tool lists them. */
    public static List<String> flagNames(long bits) {
        return RbdFeatures.bitNames(bits, List.of("object map invalid", "fast diff invalid"), false);
    }
}
