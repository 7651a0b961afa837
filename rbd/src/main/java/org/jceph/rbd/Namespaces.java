package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * RBD image namespaces ({@code rbd_namespace_create/remove/list/exists}): a RADOS namespace of a
 * pool that holds its own image directory, trash, groups and mirroring state.
 *
 * <p>Where librbd keeps them (checked against Pacific 16.2.15): the pool's default namespace has
 * an {@code rbd_namespace} object whose omap cls_rbd's namespace_* methods keep as
 * "name_NAME" → empty. A namespace exists, for librbd and the rbd tool, when its own
 * {@code rbd_directory} says READY (cls_rbd dir_state_assert; the state is one byte in the
 * directory's omap). Creating one is namespace_add, then dir_state_set READY in the namespace
 * (and, from Reef on, an empty rbd_trash there),
 * (undone on failure). Removing one first disables additions to its directory and deletes the
 * directory in one operation (cls_rbd refuses with EBUSY while images are listed), refuses while
 * its trash holds an image, disables mirroring, deletes the namespace's pool-level objects, and
 * last drops the name.
 */
public final class Namespaces {
    private Namespaces() {
    }

    static final String OBJECT = "rbd_namespace";
    private static final String DIRECTORY = "rbd_directory";
    /** cls::rbd::DirectoryState. */
    private static final int DIRECTORY_READY = 0;
    private static final int DIRECTORY_ADD_DISABLED = 1;
    /** librbd's pool-level objects, removed with a namespace. */
    private static final List<String> POOL_OBJECTS = List.of("rbd_children", "rbd_group_directory", "rbd_info",
            "rbd_mirroring", "rbd_task", "rbd_trash", DIRECTORY);
    private static final int PAGE = 1024;

    /** The namespace named does not exist (ENOENT). */
    public static final class NamespaceNotFoundException extends RbdException {
        private static final long serialVersionUID = 1L;
        private final String namespace;

        public NamespaceNotFoundException(String namespace) {
            super(Errno.ENOENT.negative(), "namespace '" + namespace + "' does not exist");
            this.namespace = namespace;
        }

        /** The missing namespace's name. */
        public String namespace() {
            return namespace;
        }
    }

    /** The namespace still holds images, in its directory or its trash (EBUSY). */
    public static final class NamespaceNotEmptyException extends RbdException {
        private static final long serialVersionUID = 1L;

        public NamespaceNotEmptyException(String namespace) {
            super(Errno.EBUSY.negative(), "namespace '" + namespace + "' contains images");
        }
    }

    /**
     * Creates namespace {@code name} in {@code pool}'s pool.
     *
     * @throws RadosException.ObjectExistsException (EEXIST) when it exists already
     * @throws RbdException EINVAL for an empty name
     */
    public static void create(IoCtx pool, String name) {
        requireName(name);
        IoCtx root = in(pool, "");
        root.exec(OBJECT, "rbd", "namespace_add", str(name));
        IoCtx ns = in(pool, name);
        try {
            ns.exec(DIRECTORY, "rbd", "dir_state_set", CephEncoder.toBytes(e -> e.writeU8(DIRECTORY_READY)));
            RbdPool.createTrashObject(ns); // Reef's librbd makes the namespace's trash here too
        } catch (RuntimeException failed) {
            // as librbd: the directory may have been created before the call failed
            try {
                ns.remove(DIRECTORY);
            } catch (RadosException.ObjectNotFoundException gone) {
                // never written
            } catch (RuntimeException cleanup) {
                failed.addSuppressed(cleanup);
            }
            try {
                root.exec(OBJECT, "rbd", "namespace_remove", str(name));
            } catch (RuntimeException cleanup) {
                failed.addSuppressed(cleanup);
            }
            throw failed;
        }
    }

    /**
     * Removes namespace {@code name}, which must hold no image (in its directory or trash).
     *
     * @throws NamespaceNotEmptyException when images remain (the namespace is left usable)
     * @throws NamespaceNotFoundException when there is no such namespace
     */
    public static void remove(IoCtx pool, String name) {
        requireName(name);
        IoCtx ns = in(pool, name);
        try {
            ns.operate(DIRECTORY, new IoCtx.Operation()
                    .exec("rbd", "dir_state_set", CephEncoder.toBytes(e -> e.writeU8(DIRECTORY_ADD_DISABLED)))
                    .remove());
        } catch (RadosException.ObjectNotFoundException e) {
            // no directory: nothing to disable (the name may still be registered)
        } catch (RadosException e) {
            if (e.errno() == Errno.EBUSY.negative()) {
                throw new NamespaceNotEmptyException(name);
            }
            throw e;
        }
        if (!Trash.list(ns).isEmpty()) {
            reopen(ns);
            throw new NamespaceNotEmptyException(name);
        }
        disableMirroring(ns);
        for (String oid : POOL_OBJECTS) {
            try {
                ns.remove(oid);
            } catch (RadosException.ObjectNotFoundException e) {
                // never created in this namespace
            }
        }
        try {
            in(pool, "").exec(OBJECT, "rbd", "namespace_remove", str(name));
        } catch (RadosException.ObjectNotFoundException e) {
            throw new NamespaceNotFoundException(name);
        }
    }

    /** The pool's namespaces, sorted by name (an empty list for a pool that has none). */
    public static List<String> list(IoCtx pool) {
        IoCtx root = in(pool, "");
        List<String> out = new ArrayList<>();
        String last = "";
        while (true) {
            String after = last;
            byte[] raw;
            try {
                raw = root.exec(OBJECT, "rbd", "namespace_list",
                        CephEncoder.toBytes(e -> e.writeString(after).writeU64Le(PAGE)));
            } catch (RadosException.ObjectNotFoundException e) {
                break;
            }
            CephDecoder d = CephDecoder.of(raw, "namespace_list");
            int n = d.readCountLe("namespaces", 4);
            for (int i = 0; i < n; i++) {
                last = d.readString();
                out.add(last);
            }
            if (n < PAGE) {
                break;
            }
        }
        out.sort(null);
        return out;
    }

    /** Whether namespace {@code name} exists and is ready for images. */
    public static boolean exists(IoCtx pool, String name) {
        requireName(name);
        try {
            in(pool, name).exec(DIRECTORY, "rbd", "dir_state_assert",
                    CephEncoder.toBytes(e -> e.writeU8(DIRECTORY_READY)));
            return true;
        } catch (RadosException.ObjectNotFoundException e) {
            return false;
        }
    }

    /**
     * {@code pool} switched to namespace {@code name}, as the rbd tool opens a pool spec: the
     * default namespace for an empty name, else one that must exist.
     *
     * @throws NamespaceNotFoundException when it does not
     */
    public static IoCtx open(IoCtx pool, String name) {
        if (!name.isEmpty() && !exists(pool, name)) {
            throw new NamespaceNotFoundException(name);
        }
        return in(pool, name);
    }

    private static void reopen(IoCtx ns) {
        try {
            ns.exec(DIRECTORY, "rbd", "dir_state_set", CephEncoder.toBytes(e -> e.writeU8(DIRECTORY_READY)));
            RbdPool.createTrashObject(ns); // Reef's librbd makes the namespace's trash here too
        } catch (RadosException e) {
            // librbd also carries on: the refusal is what the caller must see
        }
    }

    private static void disableMirroring(IoCtx ns) {
        long mode;
        try {
            mode = CephDecoder.of(ns.exec("rbd_mirroring", "rbd", "mirror_mode_get", new byte[0]), "mirror_mode_get")
                    .readU32Le();
        } catch (RadosException.ObjectNotFoundException e) {
            return; // mirroring never configured here
        }
        if (mode != 0) { // as librbd: only a change of mode is written
            ns.exec("rbd_mirroring", "rbd", "mirror_mode_set", CephEncoder.toBytes(e -> e.writeU32Le(0)));
        }
    }

    private static IoCtx in(IoCtx pool, String ns) {
        IoCtx io = pool.duplicate();
        io.setNamespace(ns);
        return io;
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new RbdException(Errno.EINVAL.negative(), "a namespace needs a name");
        }
    }

    private static byte[] str(String s) {
        return CephEncoder.toBytes(e -> e.writeString(s));
    }
}
