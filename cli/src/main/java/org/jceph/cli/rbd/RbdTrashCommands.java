package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.Trash;

/** {@code rbd trash mv|ls|restore|rm|purge}, interoperable with librbd's trash. */
final class RbdTrashCommands {
    private RbdTrashCommands() {
    }

    private static final java.time.format.DateTimeFormatter CTIME =
            java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.ROOT);

    private static String ctime(Instant t) {
        return CTIME.format(t.atZone(ZoneId.systemDefault()));
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        return switch (sub) {
            case "mv", "move" -> move(a, rados, err);
            case "ls", "list" -> list(a, rados, out);
            case "restore" -> restore(a, rados, err);
            case "rm", "remove" -> remove(a, rados, err);
            case "purge" -> purge(a, rados, err);
            default -> throw new UsageException("usage: rbd trash <mv|ls|restore|rm|purge> ...");
        };
    }

    /** The stock tool's date forms for --expires-at / --expired-before: "YYYY-MM-DD[ HH:MM:SS]", local time. */
    static Instant parseDate(String s) {
        try {
            if (s.length() <= 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneId.systemDefault()).toInstant();
            }
            return LocalDateTime.parse(s.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("rbd: error parsing date/time: " + s);
        }
    }

    private static int move(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] spec = RbdCommand.spec(a, 2);
        String expires = a.opt("expires-at", null);
        Instant until = expires == null ? null : parseDate(expires);
        if (until != null && until.isBefore(Instant.now())) {
            throw new UsageException("rbd: cannot use a date in the past as an expiration date");
        }
        try {
            Trash.move(RbdCommand.io(rados, spec[0]), spec[1], until);
        } catch (RbdException.ImageNotFoundException e) {
            throw e;
        } catch (RbdException e) {
            if (e.errno() != -16) {
                throw e;
            }
            // a migrating image, as the stock tool words it
            err.println("rbd: deferred delete error: (16) Device or resource busy");
            return 16;
        }
        return 0;
    }

    private static IoCtx pool(RbdCommand.Args a, RadosClient rados, int index) {
        return RbdCommand.io(rados, RbdCommand.poolArg(a, index));
    }

    private static int list(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        IoCtx io = pool(a, rados, 2);
        List<Trash.Entry> entries = new ArrayList<>(Trash.list(io));
        entries.removeIf(e -> e.state() != Trash.STATE_NORMAL && e.state() != Trash.STATE_REMOVING && !a.flags().contains("all"));
        boolean longFormat = a.flags().contains("l");
        if (CephJson.formatted(a)) {
            List<Object> list = new ArrayList<>();
            for (Trash.Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("name", e.name());
                if (longFormat) {
                    m.put("source", e.sourceName());
                    m.put("deleted_at", ctime(e.deleted()));
                    m.put("status", status(e));
                }
                list.add(m);
            }
            CephJson.print(out, a, "trash", new CephJson.Items("image", list));
        } else if (!longFormat) {
            for (Trash.Entry e : entries) {
                out.println(e.id() + " " + e.name());
            }
        } else if (!entries.isEmpty()) {
            RbdCommand.TextTable t = new RbdCommand.TextTable(
                    new String[] {"ID", "NAME", "SOURCE", "DELETED_AT", "STATUS", "PARENT"},
                    new boolean[6]);
            for (Trash.Entry e : entries) {
                t.row(e.id(), e.name(), e.sourceName(), ctime(e.deleted()), status(e), "");
            }
            t.print(out);
        }
        out.flush();
        return 0;
    }

    private static String status(Trash.Entry e) {
        return e.defermentEnd().isAfter(Instant.now()) ? "protected until " + ctime(e.defermentEnd())
                : "expired at " + ctime(e.defermentEnd());
    }

    private static int restore(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] spec = idSpec(a);
        try {
            Trash.restore(RbdCommand.io(rados, spec[0]), spec[1], a.opt("image", null));
        } catch (RbdException.NoSuchKeyException e) {
            err.println("rbd: restore error: (2) No such file or directory");
            return 2;
        } catch (RbdException e) {
            if (e.errno() != -22) {
                throw e;
            }
            err.println("rbd: restore error: (22) Invalid argument"); // a migration's source
            return 22;
        }
        return 0;
    }

    private static int remove(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] spec = idSpec(a);
        boolean quiet = a.flags().contains("no-progress");
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Removing image");
        try {
            Trash.remove(RbdCommand.io(rados, spec[0]), spec[1], a.flags().contains("force"), progress);
        } catch (Trash.DefermentNotExpiredException e) {
            err.println("Deferment time has not expired, please use --force if you really want to remove the image");
            if (!quiet) {
                err.println("Removing image: 0% complete...failed.");
            }
            return 1;
        } catch (RbdException.NoSuchKeyException e) {
            err.println("rbd: remove error: (2) No such file or directory");
            return 2;
        } catch (RbdException e) {
            if (e.errno() != -30) {
                throw e;
            }
            // a migration's source opens read-only only: the stock tool's words and order
            err.println("rbd: remove error: (30) Read-only file system");
            progress.fail();
            return 30;
        }
        progress.done();
        return 0;
    }

    private static int purge(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        IoCtx io = pool(a, rados, 2);
        String before = a.opt("expired-before", null);
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Removing images");
        Trash.purge(io, before == null ? Instant.now() : parseDate(before), progress);
        progress.done();
        return 0;
    }

    /** [POOL/]IMAGE_ID of restore and rm. */
    private static String[] idSpec(RbdCommand.Args a) {
        if (a.pos().size() < 3) {
            throw new UsageException("usage: rbd trash " + a.pos().get(1) + " [POOL/]IMAGE_ID");
        }
        return RbdCommand.spec(a, 2);
    }
}
