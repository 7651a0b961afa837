package org.jceph.rbd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * librbd's image trash: the {@code rbd_trash} object of a pool, whose omap cls_rbd's trash_*
 * methods keep as "id_ID" → TrashImageSpec (struct v2: source u8, name, deletion time and
 * deferment end as utime_t, state u8).
 *
 * <p>As librbd moves an image there: the entry is added in state MOVING, the image's rbd_id
 * object and directory entry go, then the state becomes NORMAL. Restoring flips it to RESTORING,
 * links the name again (rbd_id, directory) and drops the entry; removing flips it to REMOVING,
 * removes the image by id and drops the entry. The image's header and data never move.
 */
public final class Trash {
    private Trash() {
    }

    static final String OBJECT = "rbd_trash";

    /** TrashImageSource. */
    public static final int SOURCE_USER = 0;
    public static final int SOURCE_MIRRORING = 1;
    public static final int SOURCE_MIGRATION = 2;
    public static final int SOURCE_REMOVING = 3;

    /** TrashImageState. */
    public static final int STATE_NORMAL = 0;
    public static final int STATE_MOVING = 1;
    public static final int STATE_REMOVING = 2;
    public static final int STATE_RESTORING = 3;

    /** One trashed image. */
    public record Entry(String id, String name, int source, Instant deleted, Instant defermentEnd, int state) {
        /** The source as the rbd tool prints it. */
        public String sourceName() {
            return switch (source) {
                case SOURCE_USER -> "USER";
                case SOURCE_MIRRORING -> "MIRRORING";
                case SOURCE_MIGRATION -> "MIGRATION";
                case SOURCE_REMOVING -> "REMOVING";
                default -> "UNKNOWN";
            };
        }
    }

    /** Removal refused: the image is protected in the trash until its deferment end (EPERM in the tool). */
    public static final class DefermentNotExpiredException extends RbdException {
        private static final long serialVersionUID = 1L;

        public DefermentNotExpiredException(String id, Instant until) {
            super("image " + id + " is protected in the trash until " + until);
        }
    }

    /** Whether image {@code imageId} is in {@code io}'s pool trash (cls_rbd trash_get). */
    public static boolean contains(IoCtx io, String imageId) {
        return getOrNull(io, imageId) != null;
    }

    /** The trash entry of {@code id}, or null. */
    public static Entry getOrNull(IoCtx io, String id) {
        try {
            return decodeSpec(id, CephDecoder.of(io.exec(OBJECT, "rbd", "trash_get",
                    CephEncoder.toBytes(e -> e.writeString(id))), "trash_get"));
        } catch (RadosException.ObjectNotFoundException e) {
            return null; // no trash object, or no such entry
        }
    }

    /** Every entry, by id (cls_rbd trash_list, paged). */
    public static List<Entry> list(IoCtx io) {
        return ClsPager.all(io, OBJECT, "trash_list", "", (e, after) -> e.writeString(after), d -> {
            int n = d.readCountLe("trash entries", 4 + 10);
            List<Entry> page = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = d.readString();
                page.add(decodeSpec(id, d));
            }
            return page;
        }, Entry::id);
    }

    private static Entry decodeSpec(String id, CephDecoder d) {
        d.push("TrashImageSpec");
        int v = d.readU8();
        d.readU8(); // compat
        int len = d.readLengthLe("TrashImageSpec");
        int end = d.offset() + len;
        int source = d.readU8();
        String name = d.readString();
        Instant deleted = Instant.ofEpochSecond(d.readU32Le(), d.readU32Le());
        Instant deferEnd = Instant.ofEpochSecond(d.readU32Le(), d.readU32Le());
        int state = v >= 2 ? d.readU8() : STATE_NORMAL;
        d.skip(end - d.offset());
        d.pop();
        return new Entry(id, name, source, deleted, deferEnd, state);
    }

    private static void encodeSpec(CephEncoder e, int source, String name, Instant deleted, Instant deferEnd, int state) {
        int mark = e.beginStruct(2, 1);
        e.writeU8(source);
        e.writeString(name);
        e.writeU32Le((int) deleted.getEpochSecond()).writeU32Le(deleted.getNano());
        e.writeU32Le((int) deferEnd.getEpochSecond()).writeU32Le(deferEnd.getNano());
        e.writeU8(state);
        e.finishStruct(mark);
    }

    private static void setState(IoCtx io, String id, int state, int expect) {
        io.exec(OBJECT, "rbd", "trash_state_set", CephEncoder.toBytes(e -> e.writeString(id).writeU8(state).writeU8(expect)));
    }

    /**
     * rbd trash mv: moves image {@code name} to the trash, removable from {@code defermentEnd}
     * (null: at once). Refused while another client has it open. Returns its id.
     */
    public static String move(IoCtx io, String name, Instant defermentEnd) {
        return move(io, name, defermentEnd, SOURCE_USER);
    }

    /** {@link #move(IoCtx, String, Instant)} recording who moved it ({@link #SOURCE_MIGRATION}: a migration). */
    static String move(IoCtx io, String name, Instant defermentEnd, int source) {
        String id;
        try (RbdImage img = RbdImage.open(io, name, false)) {
            id = img.id();
            if (source == SOURCE_USER && (img.features() & RbdFeatures.MIGRATING) != 0) {
                // librbd's trash move refuses a migration's destination the same way
                throw new RbdException(org.jceph.rados.Errno.EBUSY.negative(), "image " + name
                        + " is being migrated: commit or abort the migration first");
            }
            long others = io.listWatchers("rbd_header." + id).stream()
                    .filter(w -> w.name().num() != io.client().instanceId()).count();
            if (others > 0) {
                throw new RbdException("image " + name + " still has watchers: it is open elsewhere; close it there first");
            }
        }
        Instant now = Instant.now();
        Instant until = defermentEnd == null ? now : defermentEnd;
        io.exec(OBJECT, "rbd", "trash_add", CephEncoder.toBytes(e -> {
            e.writeString(id);
            encodeSpec(e, source, name, now, until, STATE_MOVING);
        }));
        io.remove("rbd_id." + name);
        io.exec("rbd_directory", "rbd", "dir_remove_image", CephEncoder.toBytes(e -> e.writeString(name).writeString(id)));
        setState(io, id, STATE_NORMAL, STATE_MOVING);
        return id;
    }

    /** rbd trash restore: links image {@code id} again under {@code newName} (null: its old name). */
    public static void restore(IoCtx io, String id, String newName) {
        restore(io, id, newName, false);
    }

    /**
     * Restores an entry; only a migration (abort) may restore its own source ({@code migration}),
     * as librbd's trash restore accepts only user and mirroring entries otherwise (EINVAL).
     */
    static void restore(IoCtx io, String id, String newName, boolean migration) {
        Entry e = getOrNull(io, id);
        if (e == null) {
            throw new RbdException.NoSuchKeyException("no image " + id + " in the trash of pool " + io.poolName());
        }
        if (e.source() == SOURCE_MIGRATION && !migration) {
            throw new RbdException(org.jceph.rados.Errno.EINVAL.negative(), "image " + id + " is the source of a "
                    + "migration: abort the migration to restore it");
        }
        if (e.state() != STATE_NORMAL && e.state() != STATE_RESTORING) {
            throw new RbdException("image " + id + " is busy in the trash (state " + e.state() + ")");
        }
        String name = newName == null ? e.name() : newName;
        if (e.state() == STATE_NORMAL) {
            setState(io, id, STATE_RESTORING, STATE_NORMAL);
        }
        try {
            io.create("rbd_id." + name, true);
        } catch (RadosException.ObjectExistsException x) {
            setState(io, id, STATE_NORMAL, STATE_RESTORING);
            throw new RbdException("an image named " + name + " already exists in pool " + io.poolName());
        }
        io.exec("rbd_id." + name, "rbd", "set_id", CephEncoder.toBytes(x -> x.writeString(id)));
        io.exec("rbd_directory", "rbd", "dir_add_image", CephEncoder.toBytes(x -> x.writeString(name).writeString(id)));
        io.exec(OBJECT, "rbd", "trash_remove", CephEncoder.toBytes(x -> x.writeString(id)));
    }

    /**
     * rbd trash rm: removes image {@code id} for good; before its deferment end only with
     * {@code force}. The image must have no snapshots (as {@link RbdImage#remove}).
     */
    public static void remove(IoCtx io, String id, boolean force) {
        remove(io, id, force, ProgressListener.NONE);
    }

    /**
     * {@link #remove(IoCtx, String, boolean)} with progress (librbd's
     * {@code rbd_trash_remove_with_progress}): data object {@code n} of {@code N} reported as
     * its removal starts, as {@link RbdImage#remove(IoCtx, String, ProgressListener)} does.
     *
     * @param io the pool
     * @param id the trashed image's id
     * @param force whether to remove before the deferment end
     * @param progress told of each object (null: nobody)
     */
    public static void remove(IoCtx io, String id, boolean force, ProgressListener progress) {
        Entry e = getOrNull(io, id);
        if (e == null) {
            throw new RbdException.NoSuchKeyException("no image " + id + " in the trash of pool " + io.poolName());
        }
        if (!force && e.defermentEnd().isAfter(Instant.now())) {
            throw new DefermentNotExpiredException(id, e.defermentEnd());
        }
        if (e.state() == STATE_NORMAL) {
            setState(io, id, STATE_REMOVING, STATE_NORMAL);
        } else if (e.state() != STATE_REMOVING) {
            throw new RbdException("image " + id + " is busy in the trash (state " + e.state() + ")");
        }
        try {
            RbdImage.removeTrashed(io, id, e.name(), ProgressListener.orNone(progress));
        } catch (RuntimeException x) {
            setState(io, id, STATE_NORMAL, STATE_REMOVING);
            throw x;
        }
        io.exec(OBJECT, "rbd", "trash_remove", CephEncoder.toBytes(x -> x.writeString(id)));
    }

    /** rbd trash purge: removes every entry whose deferment ended before {@code before}; returns their ids. */
    public static List<String> purge(IoCtx io, Instant before) {
        return purge(io, before, ProgressListener.NONE);
    }

    /**
     * {@link #purge(IoCtx, Instant)} with progress (librbd's
     * {@code rbd_trash_purge_with_progress}): {@code (k, K)} after the k-th of the K images due
     * is removed.
     *
     * @param io the pool
     * @param before entries whose deferment ended before this go
     * @param progress told of each image removed (null: nobody)
     * @return the removed images' ids
     */
    public static List<String> purge(IoCtx io, Instant before, ProgressListener progress) {
        ProgressListener pl = ProgressListener.orNone(progress);
        List<Entry> due = new ArrayList<>();
        for (Entry e : list(io)) {
            if (e.source() == SOURCE_USER && e.state() == STATE_NORMAL && !e.defermentEnd().isAfter(before)) {
                due.add(e);
            }
        }
        List<String> gone = new ArrayList<>();
        for (Entry e : due) {
            remove(io, e.id(), true);
            gone.add(e.id());
            pl.update(gone.size(), due.size());
        }
        return gone;
    }
}
