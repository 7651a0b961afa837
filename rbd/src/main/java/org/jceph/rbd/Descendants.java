package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;

/**
 * An image's clones, their clones, and so on (librbd's {@code rbd_list_descendants}; the rbd
 * tool's {@code children --descendants}): the children of one snapshot (or of every snapshot),
 * then, for each child, the children of all of its snapshots, to any depth. Sorted by pool,
 * namespace and name, as librbd returns them.
 */
public final class Descendants {
    private Descendants() {
    }

    /** Deeper than this is a loop in the metadata, not a family of clones. */
    static final int MAX_DEPTH = 64;

    /**
     * One descendant.
     *
     * @param pool the pool's name
     * @param namespace the pool namespace ("" for the default)
     * @param image the image's name
     */
    public record Child(String pool, String namespace, String image) implements Comparable<Child> {
        @Override
        public int compareTo(Child o) {
            int c = pool.compareTo(o.pool);
            if (c == 0) {
                c = namespace.compareTo(o.namespace);
            }
            return c != 0 ? c : image.compareTo(o.image);
        }

        /** As the rbd tool prints it: pool/[namespace/]image. */
        @Override
        public String toString() {
            return pool + "/" + (namespace.isEmpty() ? "" : namespace + "/") + image;
        }

        static Child parse(String spec) {
            String[] p = spec.split("/", -1);
            return p.length == 2 ? new Child(p[0], "", p[1]) : new Child(p[0], p[1], p[2]);
        }
    }

    /**
     * The descendants of {@code img}.
     *
     * @param img the image (HEAD)
     * @param snapName the snapshot whose descendants are wanted, or null for every snapshot's
     * @param client finds the pools that may hold v1 children (every pool is looked at)
     * @return the descendants, sorted, each once
     */
    public static List<Child> list(RbdImage img, String snapName, RadosClient client) {
        return list(img, snapName, client, MAX_DEPTH);
    }

    /**
     * The direct clones of {@code img} only (the rbd tool's {@code children} without
     * {@code --descendants}; librbd's {@code rbd_list_children3} when {@code snapName} is the
     * handle's snapshot).
     *
     * @param img the image (HEAD)
     * @param snapName the snapshot whose clones are wanted, or null for every snapshot's
     * @param client finds the pools that may hold v1 children
     * @return the clones, sorted, each once
     */
    public static List<Child> children(RbdImage img, String snapName, RadosClient client) {
        return list(img, snapName, client, 0);
    }

    private static List<Child> list(RbdImage img, String snapName, RadosClient client, int maxDepth) {
        List<IoCtx> pools = new ArrayList<>();
        for (String name : client.listPools().values()) {
            pools.add(client.ioCtx(name));
        }
        TreeSet<Child> out = new TreeSet<>();
        collect(img, snapName, pools, client, out, 0, maxDepth);
        return List.copyOf(out);
    }

    private static void collect(RbdImage img, String snapName, List<IoCtx> pools, RadosClient client,
                                TreeSet<Child> out, int depth, int maxDepth) {
        if (depth > MAX_DEPTH) {
            throw new RbdException(-40, "clones of image " + img.name() + " nest deeper than " + MAX_DEPTH); // ELOOP
        }
        List<String> snaps = new ArrayList<>();
        if (snapName != null) {
            snaps.add(snapName);
        } else {
            for (RbdImage.Snapshot s : img.snapshots()) {
                snaps.add(s.name());
            }
        }
        for (String snap : snaps) {
            for (String spec : img.children(snap, pools)) {
                Child child = Child.parse(spec);
                if (!out.add(child) || depth >= maxDepth) {
                    continue;
                }
                IoCtx io = client.ioCtx(child.pool());
                io.setNamespace(child.namespace());
                try (RbdImage c = RbdImage.open(io, child.image(), true)) {
                    collect(c, null, pools, client, out, depth + 1, maxDepth);
                }
            }
        }
    }
}
