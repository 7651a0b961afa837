package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.FeatureUpdate;
import org.jceph.rbd.ImageConfig;
import org.jceph.rbd.ObjectMapRebuild;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;

/**
 * {@code rbd feature enable|disable}, {@code rbd object-map rebuild} and
 * {@code rbd config image|pool list|get|set|remove}, with the stock tool's messages and exit
 * statuses.
 */
final class RbdFeatureCommands {
    private RbdFeatureCommands() {
    }

    /**
     * Feature names (each argument may be a comma-separated list) to bits; null when one is not a
     * feature name (the rbd tool's "the argument for option is invalid").
     */
    static Long parseFeatures(List<String> words) {
        long bits = 0;
        for (String w : words) {
            for (String name : w.split(",")) {
                long bit = RbdFeatures.bit(name.trim());
                if (bit == 0) {
                    return null;
                }
                bits |= bit;
            }
        }
        return bits;
    }

    /** rbd feature enable|disable IMAGE FEATURE... */
    static int feature(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        if (!sub.equals("enable") && !sub.equals("disable")) {
            throw new UsageException("usage: rbd feature <enable|disable> [POOL/]IMAGE FEATURE...");
        }
        String[] spec = RbdCommand.spec(a, 2);
        Long bits = parseFeatures(a.pos().subList(Math.min(3, a.pos().size()), a.pos().size()));
        if (bits == null) {
            err.println("rbd: the argument for option is invalid");
            return 1;
        }
        if (a.pos().size() < 4) {
            err.println("rbd: at least one feature name must be specified");
            return 22;
        }
        try {
            FeatureUpdate.update(RbdCommand.io(rados, spec[0]), spec[1], bits, sub.equals("enable"));
        } catch (FeatureUpdate.RefusedException e) {
            err.println("rbd: failed to update image features: (22) Invalid argument");
            return 22;
        } catch (FeatureUpdate.JournalingNotSupportedException e) {
            err.println("rbd: " + e.getMessage());
            err.println("rbd: failed to update image features: (95) Operation not supported");
            return 95;
        }
        return 0;
    }

    /** rbd object-map rebuild IMAGE[@SNAP]. */
    static int rebuild(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] spec = RbdCommand.spec(a, 2);
        String[] snap = RbdCommand.splitSnap(spec[1]);
        String snapName = snap[1] != null ? snap[1] : a.opt("snap", null);
        boolean progress = !a.flags().contains("no-progress");
        try {
            ObjectMapRebuild.rebuild(RbdCommand.io(rados, spec[0]), snap[0], snapName);
        } catch (RbdException.NoSuchKeyException e) {
            err.println("error setting snapshot context: (2) No such file or directory");
            return 2;
        } catch (ObjectMapRebuild.NoObjectMapException e) {
            if (progress) {
                err.println("Object Map Rebuild: 0% complete...failed.");
            }
            err.println("rbd: rebuilding object map failed: (22) Invalid argument");
            return 22;
        }
        if (progress) {
            err.println("Object Map Rebuild: 100% complete...done.");
        }
        return 0;
    }

    /** rbd config image|pool list|get|set|remove. */
    static int config(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String level = a.pos().size() > 1 ? a.pos().get(1) : "";
        String sub = a.pos().size() > 2 ? a.pos().get(2) : "";
        if (!level.equals("image") && !level.equals("pool") || !List.of("list", "ls", "get", "set", "remove", "rm").contains(sub)) {
            throw new UsageException("usage: rbd config <image|pool> <list|get|set|remove> SPEC [KEY [VALUE]]");
        }
        boolean image = level.equals("image");
        String key = a.pos().size() > 4 ? a.pos().get(4) : null;
        if (key == null && !sub.equals("list") && !sub.equals("ls")) {
            err.println("rbd: config key was not specified");
            return 22;
        }
        try {
            if (image) {
                String[] spec = RbdCommand.spec(a, 3);
                boolean write = sub.equals("set") || sub.equals("remove") || sub.equals("rm");
                try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], !write)) {
                    return configOp(sub, key, a, out, err, () -> ImageConfig.list(img), () -> ImageConfig.get(img, key),
                            v -> ImageConfig.set(img, key, v), () -> ImageConfig.remove(img, key), true);
                }
            }
            if (a.pos().size() < 4) {
                throw new UsageException("usage: rbd config pool " + sub + " POOL ...");
            }
            IoCtx io = rados.ioCtx(a.pos().get(3));
            return configOp(sub, key, a, out, err, () -> ImageConfig.poolList(io), () -> ImageConfig.poolGet(io, key),
                    v -> ImageConfig.poolSet(io, key, v), () -> ImageConfig.poolRemove(io, key), false);
        } catch (ImageConfig.NotRbdOptionException e) {
            err.println("rbd: " + e.getMessage());
            return 22;
        }
    }

    private static int configOp(String sub, String key, RbdCommand.Args a, PrintStream out, PrintStream err,
            java.util.function.Supplier<List<ImageConfig.Entry>> list, java.util.function.Supplier<String> get,
            java.util.function.Consumer<String> set, Runnable remove, boolean image) {
        switch (sub) {
            case "get" -> {
                try { // get() checks the key against the cluster's release first (NotRbdOptionException)
                    out.println(get.get());
                } catch (RbdException.NoSuchKeyException e) {
                    err.println("rbd: " + key + " is not set");
                    return 2;
                }
            }
            case "set" -> {
                if (a.pos().size() < 6) {
                    err.println("rbd: config value was not specified");
                    return 22;
                }
                try {
                    set.accept(a.pos().get(5));
                } catch (ImageConfig.InvalidValueException e) {
                    err.println("rbd: failed to set " + key + ": (22) Invalid argument");
                    return 22;
                }
            }
            case "remove", "rm" -> {
                try {
                    remove.run();
                } catch (RbdException.NoSuchKeyException e) {
                    err.println("rbd: failed to remove " + key + ": (2) No such file or directory");
                    return 2;
                }
            }
            default -> printList(list.get(), a, out, image);
        }
        return 0;
    }

    private static void printList(List<ImageConfig.Entry> entries, RbdCommand.Args a, PrintStream out, boolean image) {
        if (CephJson.formatted(a)) {
            List<Object> rows = new ArrayList<>();
            for (ImageConfig.Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.name());
                m.put("value", e.value());
                m.put("source", e.source().word());
                rows.add(m);
            }
            CephJson.print(out, a, "config", new CephJson.Items("option", rows));
            out.flush();
            return;
        }
        if (image) {
            out.println("There are " + entries.size() + " values:");
        }
        RbdCommand.TextTable t = new RbdCommand.TextTable(new String[] {"Name", "Value", "Source"}, new boolean[3]);
        entries.forEach(e -> t.row(e.name(), e.value(), e.source().word()));
        t.print(out);
    }
}
