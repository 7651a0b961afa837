package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.Groups;
import org.jceph.rbd.RbdException;

/**
 * {@code rbd group create|remove|list|rename}, {@code group image add|remove|list} and
 * {@code group snap create|remove|rename|list|rollback}, with Pacific's output, messages and
 * exit statuses (the errno), including where the stock tool stays silent.
 */
final class RbdGroupCommands {
    private RbdGroupCommands() {
    }

    /** Help for the group commands, in Pacific's words. */
    static void registerHelp(RbdHelp.Adder add) {
        add.add("group create", "group create", "rbd group create <group-spec>", "Create a group.");
        add.add("group image add", "group image add", "rbd group image add [--pool <pool>] <group-spec> <image-spec>",
                "Add an image to a group.");
        add.add("group image list", "group image list (... ls)", "rbd group image list [--format <format>] [--pretty-format]\n"
                + "          <group-spec>", "List images in a group.", "group image ls");
        add.add("group image remove", "group image remove (... rm)", "rbd group image remove [--pool <pool>] [--image-id <image-id>]\n"
                + "          <group-spec> [<image-spec>]", "Remove an image from a group.", "group image rm");
        add.add("group list", "group list (group ls)", "rbd group list [--pool <pool>] [--format <format>] [--pretty-format]",
                "List rbd groups.", "group ls");
        add.add("group remove", "group remove (group rm)", "rbd group remove <group-spec>", "Delete a group.", "group rm");
        add.add("group rename", "group rename", "rbd group rename <source-group-spec> <dest-group-spec>",
                "Rename a group within pool.");
        add.add("group snap create", "group snap create", "rbd group snap create <group-snap-spec>",
                "Make a snapshot of a group.");
        add.add("group snap list", "group snap list (... ls)", "rbd group snap list [--format <format>] [--pretty-format]\n"
                + "          <group-spec>", "List snapshots of a group.", "group snap ls");
        add.add("group snap remove", "group snap remove (... rm)", "rbd group snap remove <group-snap-spec>",
                "Remove a snapshot from a group.", "group snap rm");
        add.add("group snap rename", "group snap rename", "rbd group snap rename <group-snap-spec> <dest-snap>",
                "Rename group's snapshot.");
        add.add("group snap rollback", "group snap rollback", "rbd group snap rollback [--no-progress] <group-snap-spec>",
                "Rollback group to snapshot.");
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        return switch (sub) {
            case "create" -> create(a, rados, err);
            case "remove", "rm" -> {
                String[] g = groupSpec(a, 2);
                Groups.remove(RbdCommand.io(rados, g[0]), g[1]);
                yield 0;
            }
            case "list", "ls" -> list(a, rados, out);
            case "rename" -> rename(a, rados, err);
            case "image" -> image(a, rados, out, err);
            case "snap" -> snap(a, rados, out, err);
            default -> throw new UsageException("usage: rbd group <create|remove|list|rename|image|snap> ...");
        };
    }

    /** [POOL/[NAMESPACE/]]GROUP at position {@code index} (or --group), the pool from --pool or "rbd". */
    private static String[] groupSpec(RbdCommand.Args a, int index) {
        String s = index < a.pos().size() ? a.pos().get(index) : a.opt("group", null);
        if (s == null || s.isEmpty()) {
            throw new UsageException("rbd: group name was not specified");
        }
        return RbdCommand.spec(a, index, "group");
    }

    /** [POOL/]GROUP@SNAP (or --snap): pool, group, snapshot (null when absent). */
    private static String[] groupSnapSpec(RbdCommand.Args a, int index) {
        String[] g = groupSpec(a, index);
        int at = g[1].indexOf('@');
        String snap = at < 0 ? a.opt("snap", null) : g[1].substring(at + 1);
        return new String[] {g[0], at < 0 ? g[1] : g[1].substring(0, at), snap};
    }

    private static int errno(RuntimeException e) {
        return RbdCommand.errnoOf(e);
    }

    /** The stock tool's "(N) Message" for an errno. */
    private static String strerror(int errno) {
        return RbdCommand.strerror(errno);
    }

    private static int fail(PrintStream err, String what, RuntimeException e) {
        int n = errno(e);
        err.println("rbd: " + what + ": " + strerror(n));
        return n;
    }

    private static int create(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] g = groupSpec(a, 2);
        try {
            Groups.create(RbdCommand.io(rados, g[0]), g[1]);
            return 0;
        } catch (Groups.GroupExistsException e) {
            return fail(err, "create error", e);
        }
    }

    private static int list(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        IoCtx io = RbdCommand.io(rados, RbdCommand.poolArg(a, 2));
        List<String> names = Groups.list(io);
        if (json(a)) {
            CephJson.print(out, a, "groups", new CephJson.Items("name", new ArrayList<Object>(names)));
        } else {
            names.forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private static int rename(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] from = groupSpec(a, 2);
        String[] to = groupSpec(a, 3);
        try {
            Groups.rename(RbdCommand.io(rados, from[0]), from[1], to[1]);
            return 0;
        } catch (RbdException e) {
            return fail(err, "failed to rename group", e);
        }
    }

    private static boolean json(RbdCommand.Args a) {
        return CephJson.formatted(a);
    }

    // ---- group image ----------------------------------------------------------------------------

    private static int image(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 2 ? a.pos().get(2) : "";
        switch (sub) {
            case "add" -> {
                String[] g = groupSpec(a, 3);
                String[] i = RbdCommand.spec(a, 4);
                try {
                    Groups.imageAdd(RbdCommand.io(rados, g[0]), g[1], RbdCommand.io(rados, i[0]), i[1]);
                    return 0;
                } catch (RbdException | RadosException.ObjectNotFoundException e) {
                    return fail(err, "add image error", e);
                }
            }
            case "remove", "rm" -> {
                String[] g = groupSpec(a, 3);
                String byId = a.opt("image-id", null);
                try {
                    if (byId != null) {
                        Groups.imageRemoveById(RbdCommand.io(rados, g[0]), g[1], RbdCommand.io(rados, a.opt("pool", g[0])), byId);
                    } else {
                        String[] i = RbdCommand.spec(a, 4);
                        Groups.imageRemove(RbdCommand.io(rados, g[0]), g[1], RbdCommand.io(rados, i[0]), i[1]);
                    }
                    return 0;
                } catch (RbdException | RadosException.ObjectNotFoundException e) {
                    return fail(err, "remove image error", e);
                }
            }
            case "list", "ls" -> {
                return imageList(a, rados, out);
            }
            default -> throw new UsageException("usage: rbd group image <add|remove|list> ...");
        }
    }

    /**
     * rbd group image ls: "POOL/IMAGE STATE" (attached members have an empty state, so the line
     * ends in a space). As Pacific's tool: a missing group lists nothing, and the listing stops
     * at the first member whose name cannot be resolved (a trashed image), still exiting 0.
     */
    private static int imageList(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        String[] g = groupSpec(a, 3);
        IoCtx io = RbdCommand.io(rados, g[0]);
        List<Groups.Member> members;
        try {
            members = Groups.imageList(io, g[1]);
        } catch (Groups.GroupNotFoundException e) {
            members = List.of();
        }
        List<Object> json = new ArrayList<>();
        for (Groups.Member m : members) {
            if (m.imageName() == null) {
                break;
            }
            String pool = rados.ioCtx(m.poolId()).poolName();
            if (json(a)) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("image", m.imageName());
                e.put("pool", pool);
                e.put("namespace", io.namespace());
                e.put("state", m.state());
                json.add(e);
            } else {
                out.println(pool + "/" + (io.namespace().isEmpty() ? "" : io.namespace() + "/") + m.imageName() + " "
                        + (m.attached() ? "" : "incomplete"));
            }
        }
        if (json(a)) {
            CephJson.print(out, a, "images", new CephJson.Items("image", json));
        }
        out.flush();
        return 0;
    }

    // ---- group snap -----------------------------------------------------------------------------

    private static int snap(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 2 ? a.pos().get(2) : "";
        return switch (sub) {
            case "create" -> {
                String[] s = needSnap(groupSnapSpec(a, 3), err);
                if (s == null) {
                    yield 22;
                }
                try {
                    Groups.snapCreate(RbdCommand.io(rados, s[0]), s[1], s[2]);
                    yield 0;
                } catch (Groups.GroupExistsException | Groups.GroupNotFoundException e) {
                    yield errno(e); // the stock tool prints nothing here
                }
            }
            case "remove", "rm" -> {
                String[] s = needSnap(groupSnapSpec(a, 3), err);
                if (s == null) {
                    yield 22;
                }
                try {
                    Groups.snapRemove(RbdCommand.io(rados, s[0]), s[1], s[2]);
                    yield 0;
                } catch (RbdException e) {
                    yield fail(err, "failed to remove group snapshot", e);
                }
            }
            case "rename" -> {
                String[] s = needSnap(groupSnapSpec(a, 3), err);
                if (s == null) {
                    yield 22;
                }
                String to = a.pos().size() > 4 ? a.pos().get(4) : a.opt("dest-snap", null);
                if (to == null) {
                    err.println("rbd: destination snapshot name was not specified");
                    yield 22;
                }
                try {
                    Groups.snapRename(RbdCommand.io(rados, s[0]), s[1], s[2], to);
                    yield 0;
                } catch (RbdException e) {
                    yield fail(err, "failed to rename group snapshot", e);
                }
            }
            case "list", "ls" -> snapList(a, rados, out);
            case "rollback" -> rollback(a, rados, err);
            default -> throw new UsageException("usage: rbd group snap <create|remove|rename|list|rollback> ...");
        };
    }

    private static String[] needSnap(String[] spec, PrintStream err) {
        if (spec[2] == null || spec[2].isEmpty()) {
            err.println("rbd: snapshot name was not specified");
            return null;
        }
        return spec;
    }

    /** The first release (Squid) whose rbd group snap ls shows ID, NAME and STATE ("complete"). */
    private static final int RELEASE_SQUID = 19;

    /**
     * rbd group snap ls: NAME and STATUS ("ok" or "incomplete"); from Squid on ID, NAME and STATE
     * ("complete" or "incomplete"), as the tool of the cluster's release prints them; nothing at
     * all when there is none (and for a missing group: Pacific's exit 0, Squid's ENOENT).
     */
    private static int snapList(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        String[] g = groupSpec(a, 3);
        boolean squid = rados.osdMap().requireOsdRelease() >= RELEASE_SQUID;
        List<Groups.GroupSnap> snaps;
        try {
            snaps = Groups.snapshots(RbdCommand.io(rados, g[0]), g[1]);
        } catch (Groups.GroupNotFoundException e) {
            if (squid) {
                return 2; // Squid's tool fails with ENOENT, saying nothing but in librbd's log
            }
            snaps = List.of(); // Pacific's lists nothing
        }
        String done = squid ? "complete" : "ok";
        if (json(a)) {
            List<Object> list = new ArrayList<>();
            for (Groups.GroupSnap s : snaps) {
                Map<String, Object> m = new LinkedHashMap<>();
                if (squid) {
                    m.put("id", s.id());
                }
                m.put("snapshot", s.name());
                m.put("state", s.complete() ? done : "incomplete");
                list.add(m);
            }
            CephJson.print(out, a, "group_snaps", new CephJson.Items("group_snap", list));
        } else if (!snaps.isEmpty()) {
            RbdCommand.TextTable t = squid
                    ? new RbdCommand.TextTable(new String[] {"ID", "NAME", "STATE"}, new boolean[] {false, false, true})
                    : new RbdCommand.TextTable(new String[] {"NAME", "STATUS"}, new boolean[] {false, true});
            for (Groups.GroupSnap s : snaps) {
                String state = s.complete() ? done : "incomplete";
                if (squid) {
                    t.row(s.id(), s.name(), state);
                } else {
                    t.row(s.name(), state);
                }
            }
            t.print(out);
        }
        out.flush();
        return 0;
    }

    private static int rollback(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] s = needSnap(groupSnapSpec(a, 3), err);
        if (s == null) {
            return 22;
        }
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Rolling back to group snapshot");
        try {
            Groups.snapRollback(RbdCommand.io(rados, s[0]), s[1], s[2], progress::update);
        } catch (RbdException e) {
            if (!a.flags().contains("no-progress")) {
                err.println("\rRolling back to group snapshot: 0% complete...failed.");
            }
            return fail(err, "rollback group to snapshot failed", e);
        }
        progress.done();
        return 0;
    }
}
