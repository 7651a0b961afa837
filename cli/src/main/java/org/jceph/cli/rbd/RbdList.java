package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jceph.rados.IoCtx;
import org.jceph.rados.LockInfo;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdImage;
import org.jceph.rbd.format1.Format1Header;
import org.jceph.rbd.format1.Format1Image;

/**
 * {@code rbd ls [-l] [--format json|xml [--pretty-format]] POOL} as Pacific's tool prints it
 * (src/tools/rbd/action/List.cc): names only, or the long listing of every image and its user
 * snapshots with size, parent, format, protection and advisory/exclusive lock type.
 */
final class RbdList {
    private RbdList() {
    }

    static void list(RadosClient rados, IoCtx io, boolean longFormat, RbdCommand.Args a, PrintStream out, PrintStream err) {
        boolean formatted = CephJson.formatted(a);
        // librbd's list2 order: the format 1 images (by name), then the format 2 images (by name)
        Map<String, Integer> names = new LinkedHashMap<>();
        new TreeSet<>(Format1Image.list(io)).forEach(n -> names.put(n, 1));
        RbdImage.list(io).keySet().forEach(n -> names.putIfAbsent(n, 2));
        if (!longFormat) {
            if (formatted) {
                CephJson.print(out, a, "images", new CephJson.Items("name", new ArrayList<>(names.keySet())));
            } else {
                names.keySet().forEach(out::println);
            }
            return;
        }
        List<Object> items = new ArrayList<>();
        RbdCommand.TextTable table = new RbdCommand.TextTable(new String[] {"NAME", "SIZE", "PARENT", "FMT", "PROT", "LOCK"},
                new boolean[] {false, true, false, true, false, false});
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            try {
                if (e.getValue() == 2) {
                    format2(rados, io, e.getKey(), items, table);
                } else {
                    format1(io, e.getKey(), items, table);
                }
            } catch (RbdException.ImageNotFoundException gone) {
                // removed between the listing and the open: the tool skips it quietly
            } catch (RbdException ex) {
                err.println("rbd: error opening " + e.getKey() + ": " + ex.getMessage());
            }
        }
        if (formatted) {
            CephJson.print(out, a, "images", items);
        } else if (!names.isEmpty()) {
            table.print(out);
        }
    }

    private static void format2(RadosClient rados, IoCtx io, String name, List<Object> items, RbdCommand.TextTable table) {
        try (RbdImage img = RbdImage.open(io, name, true)) {
            LockInfo locks = img.lockers();
            String lockType = locks.lockers().isEmpty() ? null : locks.type() == LockInfo.SHARED ? "shared" : "exclusive";
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", name);
            m.put("id", img.id());
            m.put("size", img.size());
            RbdImage.Parent p = img.parent();
            if (p != null && p.isMigrationSource()) {
                p = null; // rbd ls -l shows no parent for a migration's source
            }
            Map<String, Object> parent = parentOf(rados, p);
            if (parent != null) {
                m.put("parent", parent);
            }
            m.put("format", 2);
            if (lockType != null) {
                m.put("lock_type", lockType);
            }
            items.add(new CephJson.Named("image", m));
            table.row(name, RbdCommand.human(img.size()), parentText(parent), "2", "",
                    lockType == null ? "" : lockType.equals("shared") ? "shr" : "excl");
            for (RbdImage.Snapshot s : img.snapshots()) {
                if (s.namespaceType() != RbdImage.Snapshot.NAMESPACE_USER) {
                    continue;
                }
                boolean prot = img.isProtected(s.name());
                Map<String, Object> sp;
                try (RbdImage at = img.atSnapshot(s.name())) {
                    RbdImage.Parent ap = at.parent();
                    // a migrating destination's snapshots read through to the source: not a parent
                    sp = parentOf(rados, ap != null && ap.isMigrationSource() ? null : ap);
                }
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("image", name);
                sm.put("id", img.id());
                sm.put("snapshot", s.name());
                sm.put("snapshot_id", s.id());
                sm.put("size", s.size());
                if (sp != null) {
                    sm.put("parent", sp);
                }
                sm.put("format", 2);
                sm.put("protected", prot ? "true" : "false");
                items.add(new CephJson.Named("snapshot", sm));
                table.row(name + "@" + s.name(), RbdCommand.human(s.size()), parentText(sp), "2", prot ? "yes" : "", "");
            }
        }
    }

    private static void format1(IoCtx io, String name, List<Object> items, RbdCommand.TextTable table) {
        try (Format1Image img = Format1Image.open(io, name, true)) {
            LockInfo locks = io.getLockInfo(Format1Header.headerObject(name), "rbd_lock");
            String lockType = locks.lockers().isEmpty() ? null : locks.type() == LockInfo.SHARED ? "shared" : "exclusive";
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", name);
            m.put("id", "");
            m.put("size", img.size());
            m.put("format", 1);
            if (lockType != null) {
                m.put("lock_type", lockType);
            }
            items.add(new CephJson.Named("image", m));
            table.row(name, RbdCommand.human(img.size()), "", "1", "",
                    lockType == null ? "" : lockType.equals("shared") ? "shr" : "excl");
            for (Format1Header.Snap s : img.snapshots()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("image", name);
                sm.put("id", "");
                sm.put("snapshot", s.name());
                sm.put("snapshot_id", s.id());
                sm.put("size", s.imageSize());
                sm.put("format", 1);
                sm.put("protected", "false");
                items.add(new CephJson.Named("snapshot", sm));
                table.row(name + "@" + s.name(), RbdCommand.human(s.imageSize()), "", "1", "", "");
            }
        }
    }

    private static Map<String, Object> parentOf(RadosClient rados, RbdImage.Parent p) {
        if (p == null || p.image() == null) {
            return null;
        }
        String snap = p.image().snapshots().stream().filter(x -> x.id() == p.snapId()).map(RbdImage.Snapshot::name)
                .findFirst().orElse(String.valueOf(p.snapId()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", rados.ioCtx(p.poolId()).poolName());
        m.put("pool_namespace", p.poolNamespace());
        m.put("image", p.image().name());
        m.put("snapshot", snap);
        return m;
    }

    private static String parentText(Map<String, Object> parent) {
        if (parent == null) {
            return "";
        }
        String ns = (String) parent.get("pool_namespace");
        return parent.get("pool") + "/" + (ns.isEmpty() ? "" : ns + "/") + parent.get("image") + "@" + parent.get("snapshot");
    }
}
