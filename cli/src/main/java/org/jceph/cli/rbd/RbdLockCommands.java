package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.LockInfo;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdImage;

/**
 * {@code rbd lock add|ls|rm}: advisory locks (cls_lock {@code rbd_lock} on the header), with the
 * stock tool's listing (text, {@code --format json}, {@code --pretty-format}), messages and exit
 * statuses.
 */
final class RbdLockCommands {
    private RbdLockCommands() {
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        String[] spec = RbdCommand.spec(a, 2);
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], true)) {
            switch (sub) {
                case "add" -> img.lockAdd(arg(a, 3, "lock id"), a.opt("shared", null));
                case "remove", "rm" -> {
                    try {
                        img.lockRemove(arg(a, 3, "lock id"), arg(a, 4, "locker"));
                    } catch (RbdException.NoSuchKeyException e) {
                        err.println("rbd: releasing lock failed: (2) No such file or directory");
                        return 2;
                    }
                }
                case "ls", "list" -> list(img, a, out);
                default -> throw new UsageException("usage: rbd lock <add|ls|remove> [POOL/]IMAGE [LOCK-ID [LOCKER]] [--shared TAG]");
            }
        }
        return 0;
    }

    private static void list(RbdImage img, RbdCommand.Args a, PrintStream out) {
        LockInfo info = img.lockers();
        if (CephJson.formatted(a)) {
            List<Object> list = new ArrayList<>();
            for (LockInfo.Locker l : info.lockers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", l.cookie());
                m.put("locker", l.name().toString());
                m.put("address", address(l));
                list.add(m);
            }
            CephJson.print(out, a, "locks", new CephJson.Items("lock", list));
            out.flush();
            return;
        }
        int n = info.lockers().size();
        if (n == 0) {
            return;
        }
        boolean shared = info.type() == LockInfo.SHARED;
        out.println((n == 1 ? "There is 1 " : "There are " + n + " ") + (shared ? "shared" : "exclusive")
                + " lock" + (n == 1 ? "" : "s") + " on this image.");
        if (shared) {
            out.println("Lock tag: " + info.tag());
        }
        RbdCommand.TextTable t = new RbdCommand.TextTable(new String[] {"Locker", "ID", "Address"},
                new boolean[] {false, false, false});
        for (LockInfo.Locker l : info.lockers()) {
            t.row(l.name().toString(), l.cookie(), address(l));
        }
        t.print(out);
    }

    private static String arg(RbdCommand.Args a, int i, String what) {
        if (i >= a.pos().size()) {
            throw new UsageException(what + " is required");
        }
        return a.pos().get(i);
    }

    /** A locker's address as librbd prints it (its legacy form): ip:port/nonce. */
    private static String address(LockInfo.Locker l) {
        String s = l.addr().toString();
        int colon = s.indexOf(':');
        return colon > 0 && s.substring(0, colon).matches("any|v1|v2") ? s.substring(colon + 1) : s;
    }
}
