package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.ImageCopy;
import org.jceph.rbd.Migration;
import org.jceph.rbd.RbdException;

/**
 * {@code rbd migration prepare|execute|commit|abort}, with the stock tool's progress lines
 * ("Image migration", "Commit image migration", "Abort image migration") and failure words
 * ({@code rbd: preparing migration failed: (22) Invalid argument}), and the "Migration:" section
 * of {@code rbd status}.
 */
final class RbdMigrationCommands {
    private RbdMigrationCommands() {
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        return switch (sub) {
            case "prepare" -> prepare(a, rados, err);
            case "execute" -> step(a, rados, err, "Image migration", "migration failed",
                    (io, name, pl) -> Migration.execute(io, name, pl));
            case "commit" -> commit(a, rados, err);
            case "abort" -> step(a, rados, err, "Abort image migration", "aborting migration failed",
                    (io, name, pl) -> Migration.abort(io, name, pl));
            default -> throw new UsageException("usage: rbd migration prepare|execute|commit|abort ...");
        };
    }

    private static int prepare(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        if (a.flags().contains("import-only")) {
            return prepareImport(a, rados, err);
        }
        if (a.opts().containsKey("source-spec") || a.opts().containsKey("source-spec-path")) {
            err.println("rbd: --source-spec and --source-spec-path need --import-only");
            return 22;
        }
        String[] src = RbdCommand.spec(a, 2);
        // the destination's pool: its spec's, else --dest-pool, else the default pool "rbd" (not
        // the source's: Pacific's `rbd migration prepare POOL/IMAGE` alone opens pool rbd)
        String dstSpec = a.pos().size() > 3 ? a.pos().get(3) : a.opt("dest", null);
        // [POOL/[NAMESPACE/]]IMAGE, the parts not given from --dest-pool and --dest-namespace
        String dstNamespace = a.opt("dest-namespace", "");
        String[] dst;
        if (dstSpec == null) {
            dst = new String[] {RbdCommand.poolSpec(a.opt("dest-pool", "rbd"), dstNamespace), src[1]};
        } else {
            if (dstSpec.startsWith("rbd:")) {
                dstSpec = dstSpec.substring(4);
            }
            String[] parts = dstSpec.split("/", -1);
            dst = switch (parts.length) {
                case 1 -> new String[] {RbdCommand.poolSpec(a.opt("dest-pool", "rbd"), dstNamespace), dstSpec};
                case 2 -> new String[] {RbdCommand.poolSpec(parts[0], dstNamespace), parts[1]};
                case 3 -> new String[] {RbdCommand.poolSpec(parts[0], parts[1]), parts[2]};
                default -> throw new UsageException("rbd: invalid spec '" + dstSpec + "'");
            };
        }
        ImageCopy.Options o = RbdCopyCommands.options(a, rados, true);
        try {
            Migration.prepare(RbdCommand.io(rados, src[0]), src[1], RbdCommand.io(rados, dst[0]), dst[1], o);
        } catch (RbdException e) {
            err.println("rbd: preparing migration failed: " + strerror(e.errno()));
            return Math.min(255, Math.abs(e.errno()));
        }
        return 0;
    }

    /**
     * {@code rbd migration prepare --import-only}: the source from {@code --source-spec JSON},
     * {@code --source-spec-path FILE} (then the only positional is the destination), or a native
     * spec built from the source image spec POOL/[NS/]IMAGE@SNAP (the snapshot is required, as
     * the stock tool's "rbd: snapshot name was not specified"). Native and raw file sources: jceph refuses
     * qcow specs with EOPNOTSUPP (raw file specs are read as librbd).
     */
    private static int prepareImport(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String json = a.opt("source-spec", null);
        String path = a.opt("source-spec-path", null);
        String dstSpec;
        if (json != null || path != null) {
            if (json != null && path != null) {
                err.println("rbd: cannot specify both source-spec and source-spec-path");
                return 22;
            }
            if (path != null) {
                try {
                    json = java.nio.file.Files.readString(java.nio.file.Path.of(path));
                } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                    err.println("rbd: failed to read source-spec file: " + strerror(2));
                    return 2;
                }
            }
            dstSpec = a.pos().size() > 2 ? a.pos().get(2) : a.opt("dest", null);
        } else {
            String[] src = RbdCommand.spec(a, 2);
            int at = src[1].indexOf('@');
            if (at < 0) {
                err.println("rbd: snapshot name was not specified");
                return 22;
            }
            String pool = src[0];
            String ns = "";
            int slash = pool.indexOf('/');
            if (slash >= 0) {
                ns = pool.substring(slash + 1);
                pool = pool.substring(0, slash);
            }
            long poolId;
            try {
                poolId = rados.ioCtx(pool).poolId();
            } catch (RadosException e) {
                err.println("rbd: error opening pool '" + pool + "': " + strerror(e.errno()));
                return Math.min(255, Math.abs(e.errno()));
            }
            Map<String, Object> m = new java.util.TreeMap<>();
            m.put("type", "native");
            m.put("pool_id", poolId);
            m.put("pool_namespace", ns);
            m.put("image_name", src[1].substring(0, at));
            m.put("snap_name", src[1].substring(at + 1));
            json = org.jceph.rbd.crypto.Json.write(m);
            dstSpec = a.pos().size() > 3 ? a.pos().get(3) : a.opt("dest", null);
        }
        if (dstSpec == null) {
            throw new UsageException("rbd: destination image name was not specified");
        }
        if (dstSpec.startsWith("rbd:")) {
            dstSpec = dstSpec.substring(4);
        }
        int slash = dstSpec.indexOf('/');
        String[] dst = slash < 0 ? new String[] {a.opt("dest-pool", a.opt("pool", "rbd")), dstSpec}
                : new String[] {dstSpec.substring(0, slash), dstSpec.substring(slash + 1)};
        ImageCopy.Options o = RbdCopyCommands.options(a, rados, true);
        try {
            Migration.prepareImport(json, rados.ioCtx(dst[0]), dst[1], o);
        } catch (RbdException e) {
            err.println("rbd: preparing import migration failed: " + strerror(e.errno()));
            return Math.min(255, Math.abs(e.errno()));
        } catch (RadosException e) {
            err.println("rbd: preparing import migration failed: " + strerror(e.errno()));
            return Math.min(255, Math.abs(e.errno()));
        }
        return 0;
    }

    @FunctionalInterface
    private interface Step {
        void run(org.jceph.rados.IoCtx io, String name, org.jceph.rbd.ProgressListener progress);
    }

    private static int step(RbdCommand.Args a, RadosClient rados, PrintStream err, String what, String failure,
            Step step) {
        String[] spec = RbdCommand.spec(a, 2);
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, what);
        try {
            step.run(RbdCommand.io(rados, spec[0]), spec[1], progress);
        } catch (RbdException e) {
            progress.fail();
            err.println("rbd: " + failure + ": " + strerror(e.errno()));
            return Math.min(255, Math.abs(e.errno()));
        } catch (RadosException e) {
            progress.fail();
            err.println("rbd: " + failure + ": " + strerror(e.errno()));
            return Math.min(255, Math.abs(e.errno()));
        }
        progress.done();
        return 0;
    }

    private static int commit(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] spec = RbdCommand.spec(a, 2);
        try {
            Migration.status(RbdCommand.io(rados, spec[0]), spec[1]);
        } catch (RbdException e) {
            // the stock tool asks for the status first and stops there
            err.println("rbd: getting migration status failed: " + strerror(e.errno()));
            return Math.min(255, Math.abs(e.errno()));
        }
        return step(a, rados, err, "Commit image migration", "committing migration failed",
                (io, name, pl) -> Migration.commit(io, name, pl));
    }

    private static String strerror(int errno) {
        return RbdCommand.strerror(errno);
    }

    private static String poolName(RadosClient rados, long poolId) {
        try {
            return rados.ioCtx(poolId).poolName();
        } catch (RuntimeException e) {
            return String.valueOf(poolId);
        }
    }

    private static String imageSpec(String pool, String ns, String name) {
        return pool + "/" + (ns.isEmpty() ? "" : ns + "/") + name;
    }

    /** rbd status's "Migration:" lines. */
    static void printStatus(RadosClient rados, Migration.Status s, PrintStream out) {
        out.println("Migration:");
        if (!s.sourceSpec().isEmpty()) {
            out.println("\tsource: " + s.sourceSpec());
        } else {
            out.println("\tsource: " + imageSpec(poolName(rados, s.sourcePoolId()), s.sourcePoolNamespace(),
                    s.sourceImageName()) + " (" + s.sourceImageId() + ")");
        }
        out.println("\tdestination: " + imageSpec(poolName(rados, s.destPoolId()), s.destPoolNamespace(),
                s.destImageName()) + " (" + s.destImageId() + ")");
        out.println("\tstate: " + s.stateName() + (s.stateDescription().isEmpty() ? ""
                : " (" + s.stateDescription() + ")"));
    }

    /** rbd status --format json's "migration" object. */
    static Map<String, Object> statusDoc(RadosClient rados, Migration.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!s.sourceSpec().isEmpty()) {
            m.put("source_spec", s.sourceSpec());
        } else {
            m.put("source_pool_name", poolName(rados, s.sourcePoolId()));
            m.put("source_pool_namespace", s.sourcePoolNamespace());
            m.put("source_image_name", s.sourceImageName());
            m.put("source_image_id", s.sourceImageId());
        }
        m.put("dest_pool_name", poolName(rados, s.destPoolId()));
        m.put("dest_pool_namespace", s.destPoolNamespace());
        m.put("dest_image_name", s.destImageName());
        m.put("dest_image_id", s.destImageId());
        m.put("state", s.stateName());
        m.put("state_description", s.stateDescription());
        return m;
    }
}
