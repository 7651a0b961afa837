package org.jceph.messenger.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.auth.Keyring;

/**
 * What the stock tools read to find and authenticate to a cluster: ceph.conf, the keyring,
 * {@code CEPH_CONF}, {@code CEPH_ARGS} and the common command-line options.
 *
 * <p>Precedence, lowest first (as in src/common/config.cc): built-in defaults, the conf file
 * ({@code [global]} &lt; {@code [client]} &lt; {@code [client.NAME]}), {@code CEPH_ARGS}, the
 * command line, then anything set on the {@link Builder}. Values may use Ceph's metavariables
 * {@code $cluster}, {@code $type}, {@code $id} and {@code $name}.
 *
 * <p>Secrets: the {@code key} option and keyring contents are only handed out as {@link CryptoKey};
 * {@link #toString()} and every error message leave them out.
 */
public final class CephConfig {
    public static final String DEFAULT_CONF = "/etc/ceph/$cluster.conf";
    public static final String DEFAULT_KEYRING =
            "/etc/ceph/$cluster.$name.keyring,/etc/ceph/$cluster.keyring,/etc/ceph/keyring,/etc/ceph/keyring.bin";
    private static final Set<String> SECRET_KEYS = Set.of("key");

    private final EntityName name;
    private final String cluster;
    private final Map<String, String> values; // normalised key -> raw value (not yet expanded)
    private final Optional<Path> confFile;

    private CephConfig(EntityName name, String cluster, Map<String, String> values, Optional<Path> confFile) {
        this.name = name;
        this.cluster = cluster;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.confFile = confFile;
    }

    /** Reads the environment ({@code CEPH_CONF}, {@code CEPH_ARGS}) and {@code args} like the ceph CLI. */
    public static CephConfig fromEnvironment(String... args) {
        return builder().environment(System.getenv()).args(args).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public EntityName name() {
        return name;
    }

    public String cluster() {
        return cluster;
    }

    public Optional<Path> confFile() {
        return confFile;
    }

    /** A setting after metavariable expansion, by any spelling of its name ({@code mon host}, {@code mon_host}). */
    public Optional<String> get(String key) {
        String v = values.get(IniParser.normalizeKey(key));
        return v == null ? Optional.empty() : Optional.of(expand(v));
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(expand(defaultValue));
    }

    /** The monitors to try, from {@code mon_host} (or {@code -m}). */
    public List<EntityAddrVec> monHosts() {
        String mh = get("mon_host").orElseThrow(() -> new IllegalStateException(
                "no monitors configured: set mon_host in " + confFile.map(Path::toString).orElse("ceph.conf")
                        + " or pass -m"));
        return MonHost.parse(mh);
    }

    /** {@code ms_mon_client_mode}: the modes offered to monitors, preferred first (default "secure crc"). */
    public List<String> monClientModes() {
        return modes(get("ms_mon_client_mode", "secure crc"));
    }

    /** {@code ms_client_mode}: the modes offered to OSDs and MGRs (default "crc secure"). */
    public List<String> clientModes() {
        return modes(get("ms_client_mode", "crc secure"));
    }

    private static List<String> modes(String v) {
        List<String> out = new ArrayList<>();
        for (String m : v.toLowerCase(Locale.ROOT).split("[,;\\s]+")) {
            if (m.isEmpty()) {
                continue;
            }
            if (!m.equals("crc") && !m.equals("secure")) {
                throw new IllegalArgumentException("unknown connection mode '" + m + "' (expected crc or secure)");
            }
            out.add(m);
        }
        return out;
    }

    /** {@code auth_client_required}: "cephx" (default), "none", or both. */
    public List<String> authClientRequired() {
        return Arrays.asList(get("auth_client_required", "cephx, none").toLowerCase(Locale.ROOT).split("[,;\\s]+"));
    }

    /** Per-attempt bound on TCP connect + handshake + auth: {@code ms_connection_ready_timeout}, default 10 s. */
    public Duration connectTimeout() {
        return seconds("ms_connection_ready_timeout", "10");
    }

    /** KEEPALIVE2 period towards monitors: {@code mon_client_ping_interval}, default 10 s. */
    public Duration keepaliveInterval() {
        return seconds("mon_client_ping_interval", "10");
    }

    /** Silence after which a monitor is declared dead: {@code mon_client_ping_timeout}, default 30 s. */
    public Duration keepaliveTimeout() {
        return seconds("mon_client_ping_timeout", "30");
    }

    /**
     * {@code ms_bind_msgr2} (default true): whether a daemon listens on msgr2. It does not change
     * which address a client dials: librados never binds, and AsyncMessenger::should_use_msgr2()
     * ({@code !did_bind || myaddrs has v2}) keeps such a messenger on v2 whenever the peer offers it
     * (checked on Pacific 16.2.15: {@code ceph --ms_bind_msgr2=false} still connects msgr2). jceph
     * does the same; see {@link #forceMsgr1()}.
     */
    public boolean bindMsgr2() {
        return bool("ms_bind_msgr2", true);
    }

    /**
     * {@code ms_jceph_force_msgr1} (jceph only, default false): dial every monitor, OSD and MGR on
     * its v1 (legacy) address, as the kernel client's {@code ms_mode=legacy} does. Without it v1 is
     * used only for peers that have no v2 address ({@code v1:} or :6789 entries in {@code mon_host},
     * daemons running with {@code ms_bind_msgr2 = false}).
     */
    public boolean forceMsgr1() {
        return bool("ms_jceph_force_msgr1", false);
    }

    /** Whether peers' v2 addresses are used (the address policy's switch): not {@link #forceMsgr1()}. */
    public boolean useMsgr2() {
        return !forceMsgr1();
    }

    /**
     * {@code ms_jceph_msgr2_rev0} (jceph only, default false): do not advertise msgr2 REVISION_1 in
     * the banner, so the peer falls back to the msgr2.0 frame layout (crc mode only). For talking to
     * Nautilus 14.2.0-14.2.10 style peers and for testing that path against newer ones.
     */
    public boolean msgr2Rev0() {
        return bool("ms_jceph_msgr2_rev0", false);
    }

    /**
     * {@code ms_jceph_drop_features} (jceph only, default empty): CephFeature names, comma separated
     * (e.g. {@code cephx_v2}), left out of what we advertise in msgr1's connect, to behave like an
     * older client towards a peer (the legacy cephx signature needs a session without CEPHX_V2).
     * For interop tests; returns the bits to clear.
     */
    public long droppedFeatures() {
        long mask = 0;
        for (String n : get("ms_jceph_drop_features", "").split("[,;\\s]+")) {
            if (n.isBlank()) {
                continue;
            }
            try {
                mask |= org.jceph.encoding.CephFeature.valueOf(n.strip().toUpperCase(Locale.ROOT)).bitMask();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ms_jceph_drop_features: unknown feature '" + n.strip() + "'");
            }
        }
        return mask;
    }

    /**
     * msgr2 on-wire compression: {@code ms_osd_compress_mode} (none, passive, aggressive, force),
     * {@code ms_osd_compression_algorithm} (default snappy), {@code ms_osd_compress_min_size}
     * (default 1024) and {@code ms_compress_secure} (default false), as librados reads them.
     */
    public org.jceph.messenger.internal.compress.CompressionSettings onWireCompression() {
        String m = get("ms_osd_compress_mode", "none");
        org.jceph.messenger.internal.compress.CompressionMode mode =
                org.jceph.messenger.internal.compress.CompressionMode.named(m);
        if (mode == null) {
            throw new IllegalArgumentException("ms_osd_compress_mode: unknown mode '" + m
                    + "' (expected none, passive, aggressive or force)");
        }
        String min = get("ms_osd_compress_min_size", "1024").strip();
        long minSize;
        try {
            minSize = Long.parseLong(min);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ms_osd_compress_min_size is not a number of bytes: '" + min + "'");
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("ms_osd_compress_min_size is negative: " + minSize);
        }
        return new org.jceph.messenger.internal.compress.CompressionSettings(mode,
                org.jceph.messenger.internal.compress.CompressionSettings.parseMethods(
                        get("ms_osd_compression_algorithm", "snappy")),
                minSize, bool("ms_compress_secure", false));
    }

    /** {@code cephx_sign_messages} (default true): sign and check msgr1 message footers. */
    public boolean cephxSignMessages() {
        return bool("cephx_sign_messages", true);
    }

    private boolean bool(String key, boolean def) {
        String v = get(key).orElse(null);
        if (v == null) {
            return def;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(key + " is not a boolean: '" + v + "'");
        };
    }

    /** Whole-operation deadline for mounting (auth + first maps): {@code client_mount_timeout}, default 300 s. */
    public Duration mountTimeout() {
        return seconds("client_mount_timeout", "300");
    }

    private Duration seconds(String key, String def) {
        String v = get(key, def);
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number of seconds: '" + v + "'");
        }
    }

    /**
     * The secret for {@link #name()}: the {@code key} option, else {@code keyfile}, else the first
     * readable file in {@code keyring} that holds this entity.
     */
    public CryptoKey secret() throws IOException {
        Optional<String> inline = get("key");
        if (inline.isPresent() && !inline.get().isBlank()) {
            return CryptoKey.fromBase64(inline.get());
        }
        Optional<String> keyfile = get("keyfile");
        if (keyfile.isPresent() && !keyfile.get().isBlank()) {
            return CryptoKey.fromBase64(Files.readString(Path.of(keyfile.get()), StandardCharsets.UTF_8));
        }
        List<String> tried = new ArrayList<>();
        for (String f : get("keyring", DEFAULT_KEYRING).split(",")) {
            Path p = Path.of(f.strip());
            tried.add(p.toString());
            if (!Files.isReadable(p)) {
                continue;
            }
            Optional<CryptoKey> k = Keyring.read(p).keyFor(name);
            if (k.isPresent()) {
                return k.get();
            }
        }
        throw new IOException("no key for " + name + " in keyring(s) " + tried);
    }

    private String expand(String v) {
        if (v.indexOf('$') < 0) {
            return v;
        }
        return v.replace("$cluster", cluster)
                .replace("$name", name.toString())
                .replace("$type", EntityName.typeName(name.type()))
                .replace("$id", name.id());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CephConfig[name=").append(name).append(", conf=")
                .append(confFile.map(Path::toString).orElse("-"));
        values.forEach((k, v) -> sb.append(", ").append(k).append('=')
                .append(SECRET_KEYS.contains(k) ? "<redacted>" : v));
        return sb.append(']').toString();
    }

    /**
     * Collects the layers, then resolves them in {@link #build()}: the entity name must be known
     * before the conf file's {@code [client.NAME]} section can be picked.
     */
    public static final class Builder {
        private Map<String, String> env = Map.of();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Path confPath;
        private boolean confExplicit;
        private EntityName name;
        private String cluster;

        private Builder() {
        }

        /** Environment variables to read {@code CEPH_CONF} and {@code CEPH_ARGS} from. */
        public Builder environment(Map<String, String> environment) {
            this.env = Map.copyOf(environment);
            return this;
        }

        /** Command-line arguments: {@code -c/--conf}, {@code --id/--user}, {@code -n/--name}, {@code -k/--keyring}, {@code -m}, {@code --OPTION[=]VALUE}. */
        public Builder args(String... a) {
            args.addAll(Arrays.asList(a));
            return this;
        }

        public Builder confFile(Path p) {
            this.confPath = p;
            this.confExplicit = true;
            return this;
        }

        public Builder name(EntityName n) {
            this.name = n;
            return this;
        }

        public Builder cluster(String c) {
            this.cluster = c;
            return this;
        }

        /** Sets any option, overriding the file, CEPH_ARGS and the command line. */
        public Builder set(String key, String value) {
            overrides.put(IniParser.normalizeKey(key), value);
            return this;
        }

        public Builder monHost(String monHost) {
            return set("mon_host", monHost);
        }

        public Builder keyring(Path p) {
            return set("keyring", p.toString());
        }

        public CephConfig build() {
            // CEPH_ARGS first, then the real command line: later wins.
            List<String> all = new ArrayList<>();
            String cephArgs = env.get("CEPH_ARGS");
            if (cephArgs != null && !cephArgs.isBlank()) {
                all.addAll(Arrays.asList(cephArgs.strip().split("\\s+")));
            }
            all.addAll(args);
            Map<String, String> cli = new LinkedHashMap<>();
            EntityName argName = null;
            Path argConf = null;
            for (int i = 0; i < all.size(); i++) {
                String a = all.get(i);
                String opt;
                String val;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    opt = a.substring(2, eq);
                    val = a.substring(eq + 1);
                } else if (a.startsWith("-")) {
                    opt = a.startsWith("--") ? a.substring(2) : a.substring(1);
                    if (i + 1 >= all.size()) {
                        throw new IllegalArgumentException("option " + a + " needs a value");
                    }
                    val = all.get(++i);
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                switch (IniParser.normalizeKey(opt)) {
                    case "c", "conf" -> argConf = Path.of(val);
                    case "id", "user" -> argName = EntityName.client(val);
                    case "n", "name" -> argName = EntityName.parse(val);
                    case "k" -> cli.put("keyring", val);
                    case "m" -> cli.put("mon_host", val);
                    case "cluster" -> cluster = cluster == null ? val : cluster;
                    default -> cli.put(IniParser.normalizeKey(opt), val);
                }
            }
            EntityName n = name != null ? name : argName != null ? argName : EntityName.client("admin");
            String cl = cluster != null ? cluster : "ceph";

            Path conf = confExplicit ? confPath : argConf;
            boolean mustExist = conf != null;
            if (conf == null && env.get("CEPH_CONF") != null && !env.get("CEPH_CONF").isBlank()) {
                conf = Path.of(env.get("CEPH_CONF"));
                mustExist = true;
            }
            if (conf == null) {
                conf = Path.of(DEFAULT_CONF.replace("$cluster", cl));
            }
            Map<String, String> merged = new LinkedHashMap<>();
            Optional<Path> used = Optional.empty();
            if (Files.isReadable(conf)) {
                try {
                    Map<String, Map<String, String>> sections =
                            IniParser.parse(Files.readString(conf, StandardCharsets.UTF_8), conf.toString());
                    for (String s : List.of("global", EntityName.typeName(n.type()), n.toString())) {
                        merged.putAll(sections.getOrDefault(s, Map.of()));
                    }
                    used = Optional.of(conf);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + conf + ": " + e.getMessage(), e);
                }
            } else if (mustExist) {
                throw new IllegalArgumentException("cannot read ceph.conf " + conf);
            }
            merged.putAll(cli);
            merged.putAll(overrides);
            return new CephConfig(n, cl, merged, used);
        }
    }
}
