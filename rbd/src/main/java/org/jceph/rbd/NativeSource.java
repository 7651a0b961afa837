package org.jceph.rbd;

import static org.jceph.rbd.Migration.EOPNOTSUPP;

import java.util.Map;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * A native import-only migration source spec, for {@link Migration#prepareImport} and the reads
 * through to the source ({@link MigrationSources}): the image (by pool name or id, namespace,
 * image name or id) and the snapshot it is read at (by name or id; none: its head). Parsed from
 * the spec's JSON ({@link Migration#parseSource} tells it from a {@link RawFileSource}); kept
 * normalized (keys sorted, compact) as librbd stores it in the destination's migration header.
 */
record NativeSource(Long poolId, String poolName, String poolNamespace, String imageName, String imageId,
                    String snapName, Long snapId, String normalized) {
    static NativeSource parse(String json) {
        return fromSpec(specObject(json));
    }

    /** The spec's JSON object (EINVAL when it is none). */
    static Map<?, ?> specObject(String json) {
        Object v;
        try {
            v = org.jceph.rbd.crypto.Json.parse(json);
        } catch (RbdException e) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: " + e.getMessage());
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: not a JSON object");
        }
        return m;
    }

    /** A native spec from its JSON object (EOPNOTSUPP for qcow and unknown formats). */
    static NativeSource fromSpec(Map<?, ?> m) {
        Object type = m.get("type");
        if (!"native".equals(type)) {
            // librbd: "unknown or unsupported format type" (jceph reads no qcow images)
            throw new RbdException(EOPNOTSUPP, "unknown or unsupported format type: " + type
                    + " (jceph imports native and raw sources only)");
        }
        java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            sorted.put(String.valueOf(e.getKey()), e.getValue());
        }
        NativeSource n = new NativeSource(num(m, "pool_id"), str(m, "pool_name"), str(m, "pool_namespace"),
                str(m, "image_name"), str(m, "image_id"), str(m, "snap_name"), num(m, "snap_id"),
                org.jceph.rbd.crypto.Json.write(sorted));
        if ((n.poolId == null) == (n.poolName == null)) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: pool_name or pool_id needed");
        }
        if (n.imageName == null) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: image_name needed");
        }
        if (n.snapName != null && n.snapId != null) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: snap_name and snap_id both set");
        }
        return n;
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof String)) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: " + key + " is not a string");
        }
        return (String) v;
    }

    private static Long num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof Long)) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid source spec: " + key + " is not a number");
        }
        return (Long) v;
    }

    /** The source image at its head, read-only. */
    RbdImage openHead(IoCtx any, int depth) {
        IoCtx io;
        try {
            io = poolId != null ? any.forPool(poolId) : any.forPool(poolName);
        } catch (RadosException.NotFoundException e) {
            throw new RbdException(Errno.ENOENT.negative(), "the source spec's pool does not exist");
        }
        io.setNamespace(poolNamespace == null ? "" : poolNamespace);
        return imageId != null
                ? RbdImage.openWithId(io, imageName, imageId, true, RbdImage.DEFAULT_LOCK_TIMEOUT, depth + 1)
                : ImageOpen.open(io, imageName, true, RbdImage.DEFAULT_LOCK_TIMEOUT, depth + 1);
    }

    /** The source, read-only, at the named snapshot (or its head). */
    RbdImage open(IoCtx any, int depth) {
        RbdImage head = openHead(any, depth);
        if (snapName != null) {
            return head.atSnapshot(snapName);
        }
        if (snapId != null) {
            return head.atSnapshotId(snapId);
        }
        return head;
    }
}
