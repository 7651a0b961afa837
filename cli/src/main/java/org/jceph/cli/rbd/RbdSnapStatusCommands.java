package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.Migration;
import org.jceph.rbd.RbdImage;

/**
 * {@code rbd status} (the header's watchers) and {@code rbd snap rename|purge|limit set|limit
 * clear}, with the stock tool's output, messages and exit statuses.
 */
final class RbdSnapStatusCommands {
    private RbdSnapStatusCommands() {
    }

    /** Whether {@code rbd snap SUB} is one of ours. */
    static boolean handles(String sub) {
        return sub.equals("rename") || sub.equals("purge") || sub.equals("limit");
    }

    /** rbd status [POOL/]IMAGE: "Watchers: none" or one "\twatcher=ADDR client.N cookie=C" line each. */
    static int status(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        String[] spec = RbdCommand.spec(a, 1);
        IoCtx io = RbdCommand.io(rados, spec[0]);
        List<IoCtx.Watcher> watchers;
        Migration.Status migration;
        try (RbdImage img = RbdImage.open(io, spec[1], true)) {
            watchers = io.listWatchers("rbd_header." + img.id());
            migration = Migration.statusOf(img);
        }
        if (CephJson.formatted(a)) {
            List<Object> list = new ArrayList<>();
            for (IoCtx.Watcher w : watchers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("address", address(w));
                m.put("client", w.name().num());
                m.put("cookie", new java.math.BigInteger(Long.toUnsignedString(w.cookie())));
                list.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("watchers", new CephJson.Items("watcher", list));
            if (migration != null) {
                doc.put("migration", RbdMigrationCommands.statusDoc(rados, migration));
            }
            CephJson.print(out, a, "status", doc);
        } else if (watchers.isEmpty()) {
            out.println("Watchers: none");
        } else {
            out.println("Watchers:");
            for (IoCtx.Watcher w : watchers) {
                out.println("\twatcher=" + address(w) + " client." + w.name().num() + " cookie="
                        + Long.toUnsignedString(w.cookie()));
            }
        }
        if (migration != null && !CephJson.formatted(a)) {
            RbdMigrationCommands.printStatus(rados, migration, out);
        }
        out.flush();
        return 0;
    }

    /** A watcher's address as librados prints it: a client's (type "any") without the type prefix. */
    private static String address(IoCtx.Watcher w) {
        String s = w.addr().toString();
        return s.startsWith("any:") ? s.substring(4) : s;
    }

    static int snap(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().get(1);
        return switch (sub) {
            case "rename" -> rename(a, rados, err);
            case "purge" -> purge(a, rados, out, err);
            case "limit" -> limit(a, rados, err);
            default -> throw new UsageException("unknown snap command '" + sub + "'");
        };
    }

    /** rbd snap rename [POOL/]IMAGE@SNAP [POOL/]IMAGE@NEW (or just NEW). */
    private static int rename(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        if (a.pos().size() < 4) {
            throw new UsageException("usage: rbd snap rename [POOL/]IMAGE@SNAP [POOL/]IMAGE@NEW_SNAP");
        }
        String[] src = RbdCommand.spec(a, 2);
        String[] img = RbdCommand.splitSnap(src[1]);
        String dest = a.pos().get(3);
        String[] dst = RbdCommand.splitSnap(dest.contains("/") ? dest.substring(dest.lastIndexOf('/', dest.indexOf('@') < 0 ? dest.length() : dest.indexOf('@')) + 1) : dest);
        String to = dst[1] != null ? dst[1] : dst[0];
        if (img[1] == null) {
            throw new UsageException("rbd: snapshot name was not specified");
        }
        if (dst[1] != null && !dst[0].equals(img[0])) {
            err.println("rbd: source and destination image names must be the same");
            return 22;
        }
        try (RbdImage image = RbdImage.open(RbdCommand.io(rados, src[0]), img[0], false)) {
            image.snapRename(img[1], to);
        } catch (RbdException.NoSuchKeyException e) {
            err.println("rbd: renaming snap failed: (2) No such file or directory");
            return 2;
        } catch (RbdImage.SnapshotExistsException e) {
            err.println("rbd: renaming snap failed: (17) File exists");
            return 17;
        }
        return 0;
    }

    /**
     * rbd snap purge: removes every unprotected user snapshot, oldest first; protected ones are
     * named on stdout and the progress line ends in "failed." (the exit status stays 0, as the
     * stock tool's).
     */
    private static int purge(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String[] spec = RbdCommand.spec(a, 2);
        boolean quiet = a.flags().contains("no-progress");
        String what = "Removing all snapshots";
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), RbdCommand.splitSnap(spec[1])[0], false)) {
            List<RbdImage.Snapshot> snaps = new ArrayList<>(img.userSnapshots());
            snaps.sort((x, y) -> Long.compareUnsigned(x.id(), y.id()));
            if (snaps.isEmpty()) {
                return 0;
            }
            List<String> prot = new ArrayList<>();
            snaps.removeIf(s -> {
                if (img.isProtected(s.name())) {
                    prot.add(s.name());
                    return true;
                }
                return false;
            });
            if (!prot.isEmpty()) {
                out.println("rbd: error removing snapshot(s) '" + String.join(",", prot) + "', which "
                        + (prot.size() == 1 ? "is" : "are") + " protected - these must be unprotected with `rbd snap unprotect`.");
            }
            int shown = 0;
            int total = snaps.size() + prot.size();
            for (int i = 0; i < snaps.size(); i++) {
                img.snapRemove(snaps.get(i).name());
                int pct = (int) ((i + 1) * 100L / total);
                if (!quiet && pct != shown) { // the stock tool also prints 100% before done.
                    shown = pct;
                    err.print("\r" + what + ": " + pct + "% complete...");
                }
            }
            if (!quiet) {
                err.println(prot.isEmpty() ? "\r" + what + ": 100% complete...done."
                        : "\r" + what + ": " + shown + "% complete...failed.");
            }
        }
        return 0;
    }

    /** rbd snap limit set --limit N [POOL/]IMAGE, rbd snap limit clear [POOL/]IMAGE. */
    private static int limit(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String op = a.pos().size() > 2 ? a.pos().get(2) : "";
        long limit;
        if (op.equals("set")) {
            String l = a.opt("limit", null);
            if (l == null) {
                err.println("rbd: must specify --limit <num>");
                return 34; // the stock tool's status for it
            }
            try {
                limit = Long.parseUnsignedLong(l);
            } catch (NumberFormatException e) {
                throw new UsageException("--limit must be a number: " + l);
            }
        } else if (op.equals("clear")) {
            limit = -1L; // UINT64_MAX: no limit
        } else {
            throw new UsageException("usage: rbd snap limit set --limit N [POOL/]IMAGE | rbd snap limit clear [POOL/]IMAGE");
        }
        String[] spec = RbdCommand.spec(a, 3);
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], false)) {
            img.snapLimitSet(limit);
        }
        return 0;
    }
}
