package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdPool;

/** {@code rbd pool init [--force] POOL} and {@code rbd pool stats [POOL]}, as the stock tool runs and prints them. */
final class RbdPoolCommands {
    private RbdPoolCommands() {
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        IoCtx io = RbdCommand.io(rados, RbdCommand.poolArg(a, 2));
        return switch (sub) {
            case "init" -> init(a, io, err);
            case "stats" -> stats(a, io, out);
            default -> throw new UsageException("usage: rbd pool <init|stats> [POOL]");
        };
    }

    /** Like the stock tool, a pool of another application is reported but is not a failure (exit 0). */
    private static int init(RbdCommand.Args a, IoCtx io, PrintStream err) {
        try {
            RbdPool.init(io, a.flags().contains("force"));
        } catch (RbdPool.OtherApplicationException e) {
            err.println("rbd: pool already registered to a different application.");
        }
        return 0;
    }

    private static int stats(RbdCommand.Args a, IoCtx io, PrintStream out) {
        RbdPool.Stats s = RbdPool.stats(io);
        if (CephJson.formatted(a)) {
            // the tool reports each image's largest size (HEAD or snapshot) as provisioned_bytes
            Map<String, Object> images = new LinkedHashMap<>();
            images.put("count", s.images());
            images.put("provisioned_bytes", s.maxProvisionedBytes());
            images.put("snap_count", s.snapshots());
            Map<String, Object> trash = new LinkedHashMap<>();
            trash.put("count", s.trashImages());
            trash.put("provisioned_bytes", s.trashMaxProvisionedBytes());
            trash.put("snap_count", s.trashSnapshots());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("images", images);
            doc.put("trash", trash);
            CephJson.print(out, a, "stats", doc);
        } else {
            boolean trash = s.trashImages() > 0;
            out.println("Total Images: " + s.images() + (trash ? " (" + s.trashImages() + " in trash)" : ""));
            out.println("Total Snapshots: " + s.snapshots() + (trash ? " (" + s.trashSnapshots() + " in trash)" : ""));
            out.println("Provisioned Size: " + RbdCommand.human(s.maxProvisionedBytes())
                    + (trash ? " (" + RbdCommand.human(s.trashMaxProvisionedBytes()) + " in trash)" : ""));
        }
        out.flush();
        return 0;
    }
}
