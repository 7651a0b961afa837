package org.jceph.rbd.objectmap;

import java.util.Optional;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.LockInfo;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdException;

/**
 * An image's object map (src/librbd/object_map/, cls_rbd object_map_*): two bits per data
 * object in object {@code rbd_object_map.<image id>} (and {@code .<snap id as %016x>} for each
 * snapshot), stored as a {@code BitVector<2>}: a length-prefixed header envelope holding the
 * element count, the packed bytes (element i in byte i/4, the first element in the top bits),
 * and a length-prefixed footer of CRCs that cls_rbd maintains.
 *
 * <p>The HEAD map is written only under the image's exclusive lock and, like librbd, under a
 * cls_lock {@code rbd_lock} (empty cookie and tag) on the map object itself, asserted on every
 * update. Updates go through cls_rbd {@code object_map_update} before the data I/O they
 * describe; the in-memory copy follows the same rule as the class method.
 */
public final class ObjectMap {
    public static final int NONEXISTENT = 0;
    public static final int EXISTS = 1;
    public static final int PENDING = 2;
    public static final int EXISTS_CLEAN = 3;

    /** Header flags (get_flags/set_flags): RBD_FLAG_OBJECT_MAP_INVALID, RBD_FLAG_FAST_DIFF_INVALID. */
    public static final long FLAG_OBJECT_MAP_INVALID = 1;
    public static final long FLAG_FAST_DIFF_INVALID = 2;

    private static final String LOCK_NAME = "rbd_lock";
    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;

    private final IoCtx io;
    private final String imageId;
    private final String oid;
    private byte[] packed = new byte[0];
    private long count;

    public ObjectMap(IoCtx io, String imageId) {
        this.io = io;
        this.imageId = imageId;
        this.oid = name(imageId);
    }

    public static String name(String imageId) {
        return "rbd_object_map." + imageId;
    }

    public static String name(String imageId, long snapId) {
        return snapId == NOSNAP ? name(imageId) : String.format("rbd_object_map.%s.%016x", imageId, snapId);
    }

    /** Creates (or sizes) a map with every object NONEXISTENT, as librbd's CreateRequest. */
    public static void create(IoCtx io, String imageId, long objectCount) {
        io.exec(name(imageId), "rbd", "object_map_resize", resizeInput(objectCount));
    }

    private static byte[] resizeInput(long objectCount) {
        return CephEncoder.toBytes(e -> e.writeU64Le(objectCount).writeU8(NONEXISTENT));
    }

    // ---- the lock on the map object ----------------------------------------------------------

    /** Takes rbd_lock on the map object, breaking whoever held it (we hold the image lock). */
    public void lock() {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                io.lock(oid, LOCK_NAME, false, "", "", "", 0);
                return;
            } catch (RadosException e) {
                if (e.errno() == Errno.EEXIST.negative()) {
                    return; // ours already
                }
                if (e.errno() != Errno.EBUSY.negative()) {
                    throw e;
                }
            }
            LockInfo info = io.getLockInfo(oid, LOCK_NAME);
            for (LockInfo.Locker l : info.lockers()) {
                try {
                    io.breakLock(oid, LOCK_NAME, l.name(), l.cookie());
                } catch (RadosException.ObjectNotFoundException e) {
                    // gone meanwhile
                }
            }
        }
        throw new RbdException("could not lock object map " + oid);
    }

    public void unlock() {
        try {
            io.unlock(oid, LOCK_NAME, "");
        } catch (RadosException e) {
            // ENOENT: not held (or broken): nothing to give back.
        }
    }

    private static byte[] assertLocked() {
        return CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(LOCK_NAME).writeU8(LockInfo.EXCLUSIVE).writeString("").writeString("");
            e.finishStruct(mark);
        });
    }

    // ---- contents ----------------------------------------------------------------------------

    /** Reads the HEAD map into memory (object_map_load). */
    public synchronized void load() {
        byte[] raw = io.exec(oid, "rbd", "object_map_load", new byte[0]);
        decodeInto(raw);
    }

    private void decodeInto(byte[] raw) {
        CephDecoder d = CephDecoder.of(raw, "BitVector<2>");
        byte[] header = d.readBlob();
        CephDecoder h = CephDecoder.of(header, "BitVector header");
        CephDecoder.Envelope env = h.beginStruct("BitVector header", 1);
        long n = h.readU64Le();
        h.endStruct(env);
        if (n < 0 || n > 256L * 1024 * 1024) {
            throw new RbdException("object map " + oid + " claims " + n + " objects");
        }
        byte[] data = d.readBytes((int) ((n + 3) / 4));
        count = n;
        packed = data;
    }

    /** Decodes an encoded BitVector<2> (a map object's content) into one state per object. */
    public static int[] decodeStates(byte[] raw) {
        ObjectMap m = new ObjectMap(null, "");
        m.decodeInto(raw);
        int[] out = new int[(int) m.count];
        for (int i = 0; i < out.length; i++) {
            out[i] = m.state(i);
        }
        return out;
    }

    public synchronized long size() {
        return count;
    }

    public synchronized int state(long objectNo) {
        if (objectNo < 0 || objectNo >= count) {
            return NONEXISTENT;
        }
        int shift = (3 - (int) (objectNo % 4)) * 2;
        return (packed[(int) (objectNo / 4)] >> shift) & 3;
    }

    private void set(long objectNo, int state) {
        int i = (int) (objectNo / 4);
        int shift = (3 - (int) (objectNo % 4)) * 2;
        packed[i] = (byte) ((packed[i] & ~(3 << shift)) | (state << shift));
    }

    /**
     * Sets objects [start, end) to {@code newState} where their state is {@code current} (or
     * any, when empty; EXISTS also matches EXISTS_CLEAN, as in cls_rbd), asserting our lock on
     * the map object. A no-op (no round trip) when memory says nothing would change.
     */
    public void update(long start, long end, int newState, Optional<Integer> current) {
        synchronized (this) {
            if (end > count) {
                throw new RbdException("object map " + oid + " has " + count + " objects, not " + end);
            }
            boolean changes = false;
            for (long i = start; i < end && !changes; i++) {
                changes = matches(state(i), newState, current);
            }
            if (!changes) {
                return;
            }
        }
        byte[] in = CephEncoder.toBytes(e -> {
            e.writeU64Le(start).writeU64Le(end).writeU8(newState);
            e.writeBool(current.isPresent());
            current.ifPresent(e::writeU8);
        });
        io.operate(oid, new IoCtx.Operation().exec("lock", "assert_locked", assertLocked())
                .exec("rbd", "object_map_update", in));
        synchronized (this) {
            for (long i = start; i < end; i++) {
                if (matches(state(i), newState, current)) {
                    set(i, newState);
                }
            }
        }
    }

    private static boolean matches(int state, int newState, Optional<Integer> current) {
        boolean filter = current.isEmpty() || state == current.get() || (current.get() == EXISTS && state == EXISTS_CLEAN);
        return filter && state != newState;
    }

    /** Grows or shrinks the map; shrinking requires the dropped objects to be NONEXISTENT. */
    public void resize(long objectCount) {
        io.operate(oid, new IoCtx.Operation().exec("lock", "assert_locked", assertLocked())
                .exec("rbd", "object_map_resize", resizeInput(objectCount)));
        synchronized (this) {
            byte[] grown = new byte[(int) ((objectCount + 3) / 4)];
            System.arraycopy(packed, 0, grown, 0, Math.min(grown.length, packed.length));
            long old = count;
            packed = grown;
            count = objectCount;
            for (long i = objectCount; i < Math.min(old, (long) grown.length * 4); i++) {
                set(i, NONEXISTENT); // clear the tail bits of the last byte
            }
        }
    }

    /**
     * After snapshot {@code snapId} was added to the header: the HEAD map is copied to the
     * snapshot's map object, then (fast-diff) every EXISTS in HEAD becomes EXISTS_CLEAN
     * (object_map_snap_add), as librbd's SnapshotCreateRequest.
     */
    public void snapshotCreated(long snapId, boolean fastDiff) {
        byte[] head = io.read(oid, 0, 0);
        io.writeFull(name(imageId, snapId), head);
        if (fastDiff) {
            io.operate(oid, new IoCtx.Operation().exec("lock", "assert_locked", assertLocked())
                    .exec("rbd", "object_map_snap_add", new byte[0]));
            synchronized (this) {
                for (long i = 0; i < count; i++) {
                    if (state(i) == EXISTS) {
                        set(i, EXISTS_CLEAN);
                    }
                }
            }
        }
    }

    /**
     * Before snapshot {@code snapId} leaves the header: (fast-diff) the next newer map, or HEAD,
     * marks EXISTS_CLEAN objects EXISTS where the removed snapshot had them EXISTS
     * (object_map_snap_remove); then the snapshot's map object is removed.
     */
    public void snapshotRemoved(long snapId, Long nextSnapId, boolean fastDiff) {
        String snapOid = name(imageId, snapId);
        if (fastDiff) {
            byte[] snapMap;
            try {
                snapMap = io.read(snapOid, 0, 0);
            } catch (RadosException.ObjectNotFoundException e) {
                snapMap = null;
            }
            if (snapMap != null && snapMap.length > 0) {
                if (nextSnapId == null) {
                    io.operate(oid, new IoCtx.Operation().exec("lock", "assert_locked", assertLocked())
                            .exec("rbd", "object_map_snap_remove", snapMap));
                    load();
                } else {
                    io.exec(name(imageId, nextSnapId), "rbd", "object_map_snap_remove", snapMap);
                }
            }
        }
        try {
            io.remove(snapOid);
        } catch (RadosException.ObjectNotFoundException e) {
            // never had one
        }
    }

    /** Rollback: the snapshot's map replaces HEAD's (librbd's SnapshotRollbackRequest). */
    public void rolledBack(long snapId) {
        byte[] snapMap = io.read(name(imageId, snapId), 0, 0);
        io.operate(oid, new IoCtx.Operation().exec("lock", "assert_locked", assertLocked()).writeFull(snapMap));
        load();
    }

    /** Removes the HEAD map and every snapshot map (image removal). */
    public static void removeAll(IoCtx io, String imageId, Iterable<Long> snapIds) {
        for (Long s : snapIds) {
            try {
                io.remove(name(imageId, s));
            } catch (RadosException.ObjectNotFoundException e) {
                // absent
            }
        }
        try {
            io.remove(name(imageId));
        } catch (RadosException.ObjectNotFoundException e) {
            // absent
        }
    }

    /** The header's flags for HEAD (get_flags). */
    public static long flags(IoCtx io, String imageId) {
        byte[] out = io.exec("rbd_header." + imageId, "rbd", "get_flags", CephEncoder.toBytes(e -> e.writeU64Le(NOSNAP)));
        return CephDecoder.of(out, "get_flags").readU64Le();
    }
}
