package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.OpenOptions;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdImage;
import org.jceph.rbd.mirror.MirrorImages;
import org.jceph.rbd.mirror.MirrorPool;
import org.jceph.rbd.mirror.MirrorTypes;
import org.jceph.rbd.mirror.MirrorTypes.Direction;
import org.jceph.rbd.mirror.MirrorTypes.ImageInfo;
import org.jceph.rbd.mirror.MirrorTypes.ImageMode;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.ImageStatus;
import org.jceph.rbd.mirror.MirrorTypes.MirrorSnapshot;
import org.jceph.rbd.mirror.MirrorTypes.Mode;
import org.jceph.rbd.mirror.MirrorTypes.Peer;

/**
 * {@code rbd mirror pool enable|disable|info|status|peer add|remove|set|bootstrap create|import} and
 * {@code rbd mirror image enable|disable|promote|demote|resync|snapshot|status}, snapshot-based
 * mirroring only, with Pacific's output, messages and exit statuses (including where the stock
 * tool says nothing). Status is what can be known without an rbd-mirror daemon.
 *
 * <p>Why ~840 lines (over the project's ~600): it is rbd's MirrorPool.cc and MirrorImage.cc, some
 * twenty subcommands whose messages and exit statuses differ one by one from release to release.
 */
final class RbdMirrorCommands {
    private RbdMirrorCommands() {
    }

    /** Help for the mirror commands, in Pacific's words. */
    static void registerHelp(RbdHelp.Adder add) {
        add.add("mirror image demote", "mirror image demote", "rbd mirror image demote <image-spec>",
                "Demote an image to non-primary for RBD mirroring.");
        add.add("mirror image disable", "mirror image disable", "rbd mirror image disable [--force] <image-spec>",
                "Disable RBD mirroring for an image.");
        add.add("mirror image enable", "mirror image enable", "rbd mirror image enable <image-spec> [<mode>]",
                "Enable RBD mirroring for an image.");
        add.add("mirror image promote", "mirror image promote", "rbd mirror image promote [--force] <image-spec>",
                "Promote an image to primary for RBD mirroring.");
        add.add("mirror image resync", "mirror image resync", "rbd mirror image resync <image-spec>",
                "Force resync to primary image for RBD mirroring.");
        add.add("mirror image snapshot", "mirror image snapshot", "rbd mirror image snapshot <image-spec>",
                "Create RBD mirroring image snapshot.");
        add.add("mirror image status", "mirror image status",
                "rbd mirror image status [--format <format>] [--pretty-format] <image-spec>",
                "Show RBD mirroring status for an image.");
        add.add("mirror pool disable", "mirror pool disable", "rbd mirror pool disable <pool-spec>",
                "Disable RBD mirroring by default within a pool.");
        add.add("mirror pool enable", "mirror pool enable", "rbd mirror pool enable [--site-name <site-name>]\n"
                + "          <pool-spec> <mode>", "Enable RBD mirroring by default within a pool.");
        add.add("mirror pool info", "mirror pool info", "rbd mirror pool info [--format <format>] [--pretty-format] [--all]\n"
                + "          <pool-spec>", "Show information about the pool mirroring configuration.");
        add.add("mirror pool peer add", "mirror pool peer add", "rbd mirror pool peer add [--remote-client-name <name>]\n"
                + "          [--remote-cluster <name>] [--direction <direction>] <pool-name> <remote-cluster-spec>",
                "Add a mirroring peer to a pool.");
        add.add("mirror pool peer bootstrap create", "mirror pool peer bootstrap create",
                "rbd mirror pool peer bootstrap create [--site-name <site-name>]\n          <pool-name>",
                "Create a peer bootstrap token to import in a remote cluster");
        add.add("mirror pool peer bootstrap import", "mirror pool peer bootstrap import",
                "rbd mirror pool peer bootstrap import [--site-name <site-name>]\n"
                + "          [--token-path <token-path>] [--direction <direction>]\n          <pool-name> <token-path>",
                "Import a peer bootstrap token created from a remote cluster");
        add.add("mirror pool peer remove", "mirror pool peer remove", "rbd mirror pool peer remove <pool-name> <uuid>",
                "Remove a mirroring peer from a pool.");
        add.add("mirror pool peer set", "mirror pool peer set", "rbd mirror pool peer set <pool-name> <uuid> <key> <value>",
                "Update mirroring peer settings.");
        add.add("mirror pool status", "mirror pool status",
                "rbd mirror pool status [--format <format>] [--pretty-format] [--verbose]\n          <pool-spec>",
                "Show status for all mirrored images in the pool.");
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String scope = pos(a, 1);
        String sub = pos(a, 2);
        if (scope.equals("pool")) {
            return switch (sub) {
                case "enable" -> poolEnable(a, rados, out, err);
                case "disable" -> poolDisable(a, rados, out);
                case "info" -> poolInfo(a, rados, out);
                case "status" -> poolStatus(a, rados, out, err);
                case "peer" -> peer(a, rados, out, err);
                default -> throw new UsageException("usage: rbd mirror pool <enable|disable|info|status|peer> ...");
            };
        }
        if (scope.equals("image")) {
            return image(a, sub, rados, out, err);
        }
        throw new UsageException("usage: rbd mirror <pool|image> ...");
    }

    private static String pos(RbdCommand.Args a, int i) {
        return i < a.pos().size() ? a.pos().get(i) : "";
    }

    private static IoCtx pool(RbdCommand.Args a, RadosClient rados, int index) {
        return RbdCommand.io(rados, RbdCommand.poolArg(a, index));
    }

    private static int errno(RuntimeException e) {
        return RbdCommand.errnoOf(e);
    }

    // ---- pool ------------------------------------------------------------------------------

    private static int poolEnable(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        IoCtx io = pool(a, rados, 3);
        Mode mode;
        try {
            mode = Mode.parse(pos(a, 4));
        } catch (RbdException e) {
            err.println("rbd: must specify 'image' or 'pool' mode.");
            return 22;
        }
        if (mode == Mode.DISABLED) {
            err.println("rbd: must specify 'image' or 'pool' mode.");
            return 22;
        }
        String site = a.opt("site-name", null);
        try {
            boolean updated = false;
            if (site != null && !site.equals(MirrorPool.siteNameGet(rados))) {
                MirrorPool.siteNameSet(rados, site);
                updated = true;
            }
            // these words go to standard output, as the stock tool prints them
            Mode current = MirrorPool.modeGet(io);
            if (current == mode) {
                if (!updated) {
                    out.println("rbd: mirroring is already configured for " + mode.text() + " mode");
                }
                out.flush();
                return 0;
            }
            if (current != Mode.DISABLED) {
                out.println("note: changing mirroring mode from " + current.text() + " to " + mode.text());
                out.flush();
            }
            MirrorPool.modeSet(io, mode);
            return 0;
        } catch (RbdException | RadosException e) {
            return errno(e);
        }
    }

    private static int poolDisable(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        IoCtx io = pool(a, rados, 3);
        try {
            if (MirrorPool.modeGet(io) == Mode.DISABLED) {
                out.println("rbd: mirroring is already disabled");
                out.flush();
                return 0;
            }
            MirrorPool.modeSet(io, Mode.DISABLED);
            return 0;
        } catch (RbdException | RadosException e) {
            return errno(e);
        }
    }

    /** The first release (Squid) whose tool's mirror pool info shows the mirror uuid and remote namespace. */
    private static final int RELEASE_SQUID = 19;

    /**
     * The release (Tentacle) whose tool's bootstrap import adds the error text to "rbd: error
     * opening PATH" and "rbd: failed to import peer bootstrap token" (Pacific's and Reef's print
     * the words alone; Squid's were not checked).
     */
    private static final int RELEASE_TENTACLE = 20;

    private static int poolInfo(RbdCommand.Args a, RadosClient rados, PrintStream out) {
        IoCtx io = pool(a, rados, 3);
        boolean all = a.flags().contains("all");
        Mode mode = MirrorPool.modeGet(io);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", mode.text());
        List<Peer> peers = List.of();
        String site = null;
        // from Squid on the tool also shows the pool's mirror uuid and the remote namespace
        boolean squid = rados.osdMap().requireOsdRelease() >= RELEASE_SQUID;
        String uuid = null;
        String remoteNamespace = null;
        // for a namespace the tool shows no site and no peers: Pacific's and Reef's the mode
        // alone, Squid's the mode, the uuid and the remote namespace
        boolean namespaceOnly = !io.namespace().isEmpty();
        if (mode != Mode.DISABLED) {
            site = MirrorPool.siteNameGet(rados);
            peers = namespaceOnly ? List.of() : MirrorPool.peers(io);
            if (!namespaceOnly) {
                doc.put("site_name", site);
            }
            if (squid) {
                // the pool's uuid (its default namespace's), also when asked about a namespace
                IoCtx root = io.duplicate();
                root.setNamespace("");
                uuid = java.util.Objects.requireNonNullElse(MirrorPool.uuidGet(root), "");
                remoteNamespace = MirrorPool.remoteNamespaceGet(io);
                doc.put("mirror_uuid", uuid);
                doc.put("remote_namespace", remoteNamespace);
            }
            List<Object> list = new ArrayList<>();
            for (Peer p : peers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("uuid", p.uuid());
                m.put("direction", p.direction().text());
                m.put("site_name", p.siteName());
                m.put("mirror_uuid", p.mirrorUuid());
                m.put("client_name", p.clientName());
                if (all) {
                    m.putAll(MirrorPool.peerAttributes(io, p.uuid()));
                }
                list.add(m);
            }
            if (!namespaceOnly) {
                doc.put("peers", new CephJson.Items("peer", list));
            }
        }
        if (CephJson.formatted(a)) {
            CephJson.print(out, a, "mirror", doc);
            return 0;
        }
        out.println("Mode: " + mode.text());
        if (mode == Mode.DISABLED) {
            out.flush();
            return 0;
        }
        if (!namespaceOnly) {
            out.println("Site Name: " + site);
        }
        if (squid) {
            out.println("Mirror UUID: " + uuid);
            out.println("Remote Namespace: " + remoteNamespace);
            out.println();
        } else if (!namespaceOnly) {
            out.println();
        }
        if (namespaceOnly) {
            out.flush();
            return 0;
        }
        if (peers.isEmpty()) {
            out.println("Peer Sites: none");
        } else {
            out.println("Peer Sites: ");
            for (Peer p : peers) {
                out.println();
                out.println("UUID: " + p.uuid());
                out.println("Name: " + p.siteName());
                if (p.direction() != Direction.RX_ONLY || !p.mirrorUuid().isEmpty()) {
                    out.println("Mirror UUID: " + p.mirrorUuid());
                }
                out.println("Direction: " + p.direction().text());
                if (p.direction() != Direction.TX_ONLY || !p.clientName().isEmpty()) {
                    out.println("Client: " + p.clientName());
                }
                if (all) {
                    Map<String, String> attrs = MirrorPool.peerAttributes(io, p.uuid());
                    out.println("Mon Host: " + attrs.getOrDefault(MirrorPool.ATTR_MON_HOST, ""));
                    out.println("Key: " + attrs.getOrDefault(MirrorPool.ATTR_KEY, ""));
                }
                if (!p.siteName().equals(peers.get(peers.size() - 1).siteName())) {
                    out.println();
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The health words of rbd mirror pool status, in the order they outrank each other. */
    private static final List<String> HEALTH = List.of("OK", "UNKNOWN", "WARNING", "ERROR");

    private static int poolStatus(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        IoCtx io = pool(a, rados, 3);
        if (MirrorPool.modeGet(io) == Mode.DISABLED) {
            err.println("rbd: mirroring not enabled on the pool");
            return 22;
        }
        List<ImageStatus> statuses = new ArrayList<>();
        for (String id : MirrorPool.imageIds(io).keySet()) {
            try (RbdImage img = RbdImage.openById(io, id, OpenOptions.readOnlyHead())) {
                ImageStatus s = MirrorImages.status(img);
                if (s != null) {
                    statuses.add(s);
                }
            } catch (RbdException.ImageNotFoundException e) {
                // removed meanwhile
            }
        }
        statuses.sort((x, y) -> x.name().compareTo(y.name()));
        Map<String, Integer> states = new TreeMap<>();
        for (ImageStatus s : statuses) {
            states.merge(s.statusFound() ? "unknown" : "unknown", 1, Integer::sum);
        }
        String imageHealth = statuses.isEmpty() ? "OK" : "WARNING"; // every image down+unknown without rbd-mirror
        String daemonHealth = "UNKNOWN";
        String health = HEALTH.get(Math.max(HEALTH.indexOf(imageHealth), HEALTH.indexOf(daemonHealth)));
        boolean verbose = a.flags().contains("verbose");
        if (CephJson.formatted(a)) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("health", health);
            summary.put("daemon_health", daemonHealth);
            summary.put("image_health", imageHealth);
            summary.put("states", new LinkedHashMap<String, Object>(states));
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("summary", summary);
            if (verbose) {
                doc.put("daemons", new CephJson.Items("daemon", List.of()));
                List<Object> images = new ArrayList<>();
                for (ImageStatus s : statuses) {
                    images.add(statusDoc(s, false));
                }
                doc.put("images", new CephJson.Items("image", images));
            }
            CephJson.print(out, a, "status", doc);
            return 0;
        }
        out.println("health: " + health);
        out.println("daemon health: " + daemonHealth);
        out.println("image health: " + imageHealth);
        out.println("images: " + statuses.size() + " total");
        states.forEach((k, v) -> out.println("    " + v + " " + k));
        if (verbose) {
            out.println();
            out.println("DAEMONS");
            out.println("  none");
            out.println();
            out.println("IMAGES");
            boolean first = true;
            for (ImageStatus s : statuses) {
                if (!first) {
                    out.println();
                }
                first = false;
                printStatus(out, s, false);
            }
        }
        out.flush();
        return 0;
    }

    private static final String UUID_RE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private static boolean poolEnabled(IoCtx io, PrintStream err) {
        if (MirrorPool.modeGet(io) == Mode.DISABLED) {
            err.println("rbd: mirroring not enabled on the pool");
            return false;
        }
        return true;
    }

    /**
     * {@code rbd mirror pool peer bootstrap create [--site-name N] POOL} and
     * {@code ... import [--site-name N] [--direction rx-only|rx-tx] POOL TOKEN_PATH}, with
     * the messages and exit statuses of the cluster's release's tool (create's quirk included: a
     * caps mismatch prints its message, then an empty token, and exits 0; from Tentacle on the
     * import failures end with the error text).
     */
    private static int bootstrap(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String op = pos(a, 4);
        boolean poolOpt = a.opts().containsKey("pool");
        int next = poolOpt ? 5 : 6;
        IoCtx io = poolOpt ? RbdCommand.io(rados, RbdCommand.poolArg(a, Integer.MAX_VALUE)) : pool(a, rados, 5);
        String site = a.opt("site-name", null);
        switch (op) {
            case "create" -> {
                if (!poolEnabled(io, err)) {
                    return 22;
                }
                if (site != null) {
                    MirrorPool.siteNameSet(rados, site);
                }
                String token;
                try {
                    token = org.jceph.rbd.mirror.PeerBootstrap.create(io);
                } catch (RbdException | RadosException e) {
                    int n = errno(e);
                    if (n != 17) {
                        err.println("rbd: failed to create mirroring bootstrap token: " + RbdCommand.strerror(n));
                        return n;
                    }
                    err.println("rbd: mismatch with pre-existing RBD mirroring peer user caps");
                    token = "";
                }
                out.println(token);
                out.flush();
                return 0;
            }
            case "import" -> {
                String path = a.opt("token-path", pos(a, next));
                if (path.isEmpty()) {
                    err.println("rbd: token path was not specified");
                    return 22;
                }
                Direction dir;
                switch (a.opt("direction", "rx-tx")) {
                    case "rx-only" -> dir = Direction.RX_ONLY;
                    case "rx-tx" -> dir = Direction.RX_TX;
                    default -> {
                        // tx-only too: the stock tool's option check refuses it before librbd would
                        err.println("rbd: the argument for option '--direction' is invalid");
                        return 1;
                    }
                }
                String token;
                try (java.io.InputStream in = path.equals("-") ? null
                        : java.nio.file.Files.newInputStream(java.nio.file.Path.of(path))) {
                    // as the stock tool: at most 1023 bytes of the file
                    byte[] raw = (in == null ? System.in : in).readNBytes(1023);
                    token = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
                    int n = e instanceof java.nio.file.NoSuchFileException ? 2 : 13;
                    err.println("rbd: error opening " + path + (tentacle(rados) ? ": " + RbdCommand.strerror(n) : ""));
                    return n;
                } catch (java.io.IOException e) {
                    err.println("rbd: error reading token file: " + RbdCommand.strerror(5));
                    return 5;
                }
                if (site != null) {
                    MirrorPool.siteNameSet(rados, site);
                }
                try {
                    org.jceph.rbd.mirror.PeerBootstrap.importToken(io, dir, token,
                            org.jceph.rbd.mirror.PeerBootstrap.DEFAULT_CONNECTOR);
                } catch (RbdException | RadosException e) {
                    int n = errno(e);
                    err.println(n == 38 ? "rbd: mirroring is not enabled on remote peer"
                            : "rbd: failed to import peer bootstrap token"
                                    + (tentacle(rados) ? ": " + RbdCommand.strerror(n) : ""));
                    return n;
                }
                return 0;
            }
            default -> throw new UsageException("usage: rbd mirror pool peer bootstrap <create|import> ...");
        }
    }

    /** Whether the cluster's release is Tentacle or newer (require_osd_release). */
    private static boolean tentacle(RadosClient rados) {
        return rados.osdMap().requireOsdRelease() >= RELEASE_TENTACLE;
    }

    private static int peer(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String op = pos(a, 3);
        if (op.equals("bootstrap")) {
            return bootstrap(a, rados, out, err);
        }
        IoCtx io = pool(a, rados, 4);
        switch (op) {
            case "add" -> {
                String spec = pos(a, 5);
                String client = a.opt("remote-client-name", "client.admin");
                String cluster = a.opt("remote-cluster", "");
                Map<String, String> attrs = new TreeMap<>();
                if (a.opts().containsKey("remote-mon-host")) {
                    attrs.put(MirrorPool.ATTR_MON_HOST, a.opt("remote-mon-host", ""));
                }
                if (a.opts().containsKey("remote-key-file")) {
                    String key = readKeyFile(a.opt("remote-key-file", ""), err);
                    if (key == null) {
                        return 22;
                    }
                    attrs.put(MirrorPool.ATTR_KEY, key);
                }
                if (!spec.isEmpty()) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:(client\\.[^@]+)@)?([^/@]+)$")
                            .matcher(spec);
                    if (!m.matches()) {
                        err.println("rbd: invalid spec '" + spec + "'");
                        return 22;
                    }
                    if (m.group(1) != null) {
                        client = m.group(1);
                    }
                    cluster = m.group(2);
                }
                if (cluster.isEmpty()) {
                    err.println("rbd: remote cluster was not specified");
                    return 22;
                }
                Direction dir;
                String d = a.opt("direction", "rx-tx");
                if (d.equals("rx-only")) {
                    dir = Direction.RX_ONLY;
                } else if (d.equals("rx-tx")) {
                    dir = Direction.RX_TX;
                } else {
                    err.println("rbd: the argument for option '--direction' is invalid");
                    return 1;
                }
                if (!poolEnabled(io, err)) {
                    return 22;
                }
                // as the stock tool: one rx peer at most (tx-only ones do not count)
                if (MirrorPool.peers(io).stream().anyMatch(p -> p.direction() != Direction.TX_ONLY)) {
                    err.println("rbd: multiple RX peers are not currently supported");
                    return 22;
                }
                String uuid;
                try {
                    uuid = MirrorPool.peerAdd(io, cluster, client, dir);
                } catch (RbdException | RadosException e) {
                    int n = errno(e);
                    err.println(n == 17 ? "rbd: mirror peer already exists" : "rbd: error adding mirror peer");
                    return n;
                }
                if (!attrs.isEmpty()) {
                    try {
                        MirrorPool.peerSetAttributes(io, uuid, attrs);
                    } catch (RbdException | RadosException e) {
                        int n = errno(e);
                        err.println(n == 1 || n == 13 ? "rbd: permission denied attempting to set peer config-key secrets in the monitor"
                                : "rbd: failed to update mirroring peer config: (" + n + ") " + org.jceph.rados.Errno.strerror(n));
                        return n;
                    }
                }
                out.println(uuid);
                out.flush();
                return 0;
            }
            case "remove", "rm" -> {
                String uuid = pos(a, 5);
                if (uuid.isEmpty()) {
                    err.println("rbd: must specify peer uuid");
                    return 22;
                }
                if (!uuid.matches(UUID_RE)) {
                    err.println("rbd: invalid uuid '" + uuid + "'");
                    return 22;
                }
                if (!poolEnabled(io, err)) {
                    return 22;
                }
                try {
                    MirrorPool.peerRemove(io, uuid);
                    return 0;
                } catch (RbdException | RadosException e) {
                    int n = errno(e);
                    err.println("rbd: error removing mirror peer");
                    return n;
                }
            }
            case "set" -> {
                String uuid = pos(a, 5);
                String key = pos(a, 6);
                String value = pos(a, 7);
                if (uuid.isEmpty()) {
                    err.println("rbd: must specify peer uuid");
                    return 22;
                }
                if (!uuid.matches(UUID_RE)) {
                    err.println("rbd: invalid uuid '" + uuid + "'");
                    return 22;
                }
                if (!List.of("client", "cluster", "direction", "key-file", "mon-host", "site-name").contains(key)) {
                    err.println("rbd: must specify 'client', 'cluster', 'direction', 'key-file', 'mon-host', 'site-name' key.");
                    return 22;
                }
                if (key.equals("key-file")) {
                    value = readKeyFile(value, err);
                    if (value == null) {
                        return 22;
                    }
                }
                if (!poolEnabled(io, err)) {
                    return 22;
                }
                try {
                    switch (key) {
                        case "client" -> MirrorPool.peerSetClient(io, uuid, value);
                        case "site-name", "cluster" -> MirrorPool.peerSetName(io, uuid, value);
                        case "mon-host", "key-file" -> {
                            String attr = key.equals("mon-host") ? MirrorPool.ATTR_MON_HOST : MirrorPool.ATTR_KEY;
                            Map<String, String> attrs = MirrorPool.peerAttributes(io, uuid);
                            if (value.isEmpty()) {
                                attrs.remove(attr);
                            } else {
                                attrs.put(attr, value);
                            }
                            MirrorPool.peerSetAttributes(io, uuid, attrs);
                        }
                        default -> {
                            Direction dir;
                            try {
                                dir = Direction.parse(value);
                            } catch (RbdException e) {
                                err.println("rbd: invalid direction");
                                return 22;
                            }
                            if (dir != Direction.TX_ONLY && MirrorPool.peers(io).stream()
                                    .anyMatch(p -> !p.uuid().equals(uuid) && p.direction() != Direction.TX_ONLY)) {
                                err.println("rbd: multiple RX peers are not currently supported");
                                return 22;
                            }
                            MirrorPool.peerSetDirection(io, uuid, dir);
                        }
                    }
                    return 0;
                } catch (RbdException | RadosException e) {
                    int n = errno(e);
                    if (n == 2) {
                        err.println("rbd: mirror peer " + uuid + " does not exist");
                    }
                    return n;
                }
            }
            default -> throw new UsageException("usage: rbd mirror pool peer <add|remove|set> ...");
        }
    }

    /** The first line of a key file, as the stock tool reads --remote-key-file; null (after its message) when unreadable. */
    private static String readKeyFile(String path, PrintStream err) {
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(path))) {
            String line = r.readLine();
            return line == null ? "" : line;
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            err.println("rbd: failed to open " + path);
            return null;
        }
    }

    // ---- image -----------------------------------------------------------------------------

    private static int image(RbdCommand.Args a, String sub, RadosClient rados, PrintStream out, PrintStream err) {
        String[] spec = imageSpec(a, 3);
        // opened read-only: the mirror operations open a writable handle when they need one
        // (a non-primary image cannot be opened read-write)
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], OpenOptions.readOnlyHead())) {
            switch (sub) {
                case "enable" -> {
                    String m = pos(a, 4).isEmpty() ? "journal" : pos(a, 4);
                    ImageMode mode;
                    if (m.equals("snapshot")) {
                        mode = ImageMode.SNAPSHOT;
                    } else if (m.equals("journal")) {
                        err.println("rbd: journal-based mirroring is not supported by jceph");
                        return 95;
                    } else {
                        err.println("rbd: unsupported mirror image mode " + m);
                        return 22;
                    }
                    try {
                        MirrorImages.enable(img, mode);
                    } catch (RbdException | RadosException e) {
                        return errno(e);
                    }
                    out.println("Mirroring enabled");
                }
                case "disable" -> {
                    try {
                        if (MirrorPool.modeGet(RbdCommand.io(rados, spec[0])) == Mode.DISABLED) {
                            return 22; // librbd: mirroring is not enabled for the pool
                        }
                        MirrorImages.disable(img, a.flags().contains("force"));
                    } catch (RbdException | RadosException e) {
                        return errno(e);
                    }
                    out.println("Mirroring disabled");
                }
                case "promote" -> {
                    if (!enabled(img, err)) {
                        return 22;
                    }
                    try {
                        MirrorImages.promote(img, a.flags().contains("force"));
                    } catch (RbdException | RadosException e) {
                        err.println("rbd: error promoting image to primary");
                        return errno(e);
                    }
                    out.println("Image promoted to primary");
                }
                case "demote" -> {
                    if (!enabled(img, err)) {
                        return 22;
                    }
                    try {
                        MirrorImages.demote(img);
                    } catch (RbdException | RadosException e) {
                        err.println("rbd: error demoting image to non-primary");
                        return errno(e);
                    }
                    out.println("Image demoted to non-primary");
                }
                case "resync" -> {
                    if (!enabled(img, err)) {
                        return 22;
                    }
                    try {
                        MirrorImages.resync(img);
                    } catch (RbdException | RadosException e) {
                        err.println("rbd: error flagging image resync");
                        return errno(e);
                    }
                    out.println("Flagged image for resync from primary");
                }
                case "snapshot" -> {
                    if (!enabled(img, err)) {
                        return 22;
                    }
                    long id;
                    try {
                        id = MirrorImages.snapshotCreate(img);
                    } catch (RbdException | RadosException e) {
                        int n = errno(e);
                        err.println("rbd: error creating snapshot: (" + n + ") " + org.jceph.rados.Errno.strerror(n));
                        return n;
                    }
                    out.println("Snapshot ID: " + id);
                }
                case "status" -> {
                    if (!enabled(img, err)) {
                        return 22;
                    }
                    ImageStatus s = MirrorImages.status(img);
                    if (CephJson.formatted(a)) {
                        CephJson.print(out, a, "image", statusDoc(s, true));
                    } else {
                        printStatus(out, s, true);
                    }
                }
                default -> throw new UsageException(
                        "usage: rbd mirror image <enable|disable|promote|demote|resync|snapshot|status> IMAGE");
            }
        }
        out.flush();
        return 0;
    }

    private static String[] imageSpec(RbdCommand.Args a, int index) {
        if (index >= a.pos().size() && a.opt("image", null) == null) {
            throw new UsageException("rbd: image name was not specified");
        }
        return RbdCommand.spec(a, index);
    }

    /** The stock tool's check before promote/demote/resync/snapshot/status. */
    private static boolean enabled(RbdImage img, PrintStream err) {
        ImageInfo info = MirrorImages.info(img);
        if (info == null || info.state() != ImageState.ENABLED) {
            err.println("rbd: mirroring not enabled on the image");
            return false;
        }
        return true;
    }

    private static Map<String, Object> statusDoc(ImageStatus s, boolean withSnapshots) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("global_id", s.mirror().globalId());
        m.put("state", "down+unknown");
        m.put("description", "status not found");
        m.put("last_update", "");
        if (withSnapshots && s.primary() && s.mirror().mode() == ImageMode.SNAPSHOT) {
            List<Object> snaps = new ArrayList<>();
            for (MirrorSnapshot snap : s.snapshots()) {
                if (!snap.namespace().state().primary()) {
                    continue;
                }
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("id", snap.id());
                x.put("name", snap.name());
                x.put("demoted", snap.namespace().state() == MirrorTypes.SnapState.PRIMARY_DEMOTED);
                x.put("mirror_peer_uuids", new CephJson.Items("peer_uuid", new ArrayList<Object>(snap.namespace().peerUuids())));
                snaps.add(x);
            }
            m.put("snapshots", new CephJson.Items("snapshot", snaps));
        }
        return m;
    }

    private static void printStatus(PrintStream out, ImageStatus s, boolean withSnapshots) {
        out.println(s.name() + ":");
        out.println("  global_id:   " + s.mirror().globalId());
        out.println("  state:       down+unknown");
        out.println("  description: status not found");
        out.println("  last_update: ");
        if (withSnapshots && s.primary() && s.mirror().mode() == ImageMode.SNAPSHOT) {
            out.println("  snapshots:");
            for (MirrorSnapshot snap : s.snapshots()) {
                if (!snap.namespace().state().primary()) {
                    continue;
                }
                out.println("    " + snap.id() + " " + snap.name() + " ("
                        + (snap.namespace().state() == MirrorTypes.SnapState.PRIMARY_DEMOTED ? "demoted " : "")
                        + "peer_uuids:[" + String.join(",", snap.namespace().peerUuids()) + "])");
            }
        }
    }

    /**
     * The NAMESPACE column and JSON of a mirror snapshot in rbd snap ls --all.
     *
     * @param img the image
     * @param s the snapshot
     * @param ns where the JSON fields go
     * @return the column text
     */
    static String snapNamespace(RbdImage img, RbdImage.Snapshot s, Map<String, Object> ns) {
        ns.put("type", "mirror");
        MirrorTypes.SnapNamespace m = MirrorImages.namespaceOf(org.jceph.rbd.MirrorAccess.metadataIo(img), img.id(), s.id());
        if (m == null) {
            return "mirror";
        }
        String state = switch (m.state()) {
            case PRIMARY -> "primary";
            case NON_PRIMARY -> "non-primary";
            default -> "demoted";
        };
        ns.put("state", state);
        ns.put("mirror_peer_uuids", new CephJson.Items("peer_uuid", new ArrayList<Object>(m.peerUuids())));
        ns.put("complete", m.complete());
        StringBuilder b = new StringBuilder("mirror (").append(state).append(" peer_uuids:[")
                .append(String.join(",", m.peerUuids())).append("]");
        if (!m.state().primary()) {
            ns.put("primary_mirror_uuid", m.primaryMirrorUuid());
            ns.put("primary_snap_id", m.primarySnapId());
            ns.put("last_copied_object_number", m.lastCopiedObjectNumber());
            b.append(' ').append(m.primaryMirrorUuid()).append(':').append(Long.toUnsignedString(m.primarySnapId())).append(' ');
            if (!m.complete()) {
                long objectSize = 1L << img.order();
                long objs = (img.size() + objectSize - 1) / objectSize;
                if (objs > 0) {
                    b.append(Math.min(100, 100 * m.lastCopiedObjectNumber() / objs)).append("% ");
                } else {
                    b.append("not ");
                }
            }
            b.append("copied");
        }
        return b.append(')').toString();
    }
}
