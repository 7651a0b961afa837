package org.jceph.messenger.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jceph.encoding.DecodeException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.config.IniParser;

/**
 * A keyring file as written by {@code ceph-authtool} and {@code ceph auth get} (src/auth/KeyRing.cc):
 * INI sections named after entities, each with {@code key = <base64 CryptoKey>}; {@code caps ...}
 * lines are ignored (caps matter to the monitor, not to the client).
 */
public final class Keyring {
    private final Map<String, CryptoKey> keys;

    private Keyring(Map<String, CryptoKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    public static Keyring read(Path file) throws IOException {
        warnIfReadableByOthers(file);
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses keyring text; {@code source} names it in errors. Key material is never quoted. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Keyring.class);

    /**
     * A keyring others can read leaks the key: warn, as the stock tools do (the file's name only,
     * never its content). Returns whether it warned.
     */
    public static boolean warnIfReadableByOthers(Path file) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)) {
                LOG.warn("keyring " + file + " is readable by "
                        + (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ) ? "others" : "its group")
                        + " (" + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "): chmod 600 it");
                return true;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or unreadable: reading it will say so
        }
        return false;
    }

    public static Keyring parse(String text, String source) {
        Map<String, Map<String, String>> sections = IniParser.parse(text, source);
        Map<String, CryptoKey> keys = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> s : sections.entrySet()) {
            String key = s.getValue().get("key");
            if (key == null) {
                continue;
            }
            try {
                keys.put(s.getKey(), CryptoKey.fromBase64(key));
            } catch (IllegalArgumentException | DecodeException e) {
                throw new IllegalArgumentException(source + ": bad key for [" + s.getKey() + "]: "
                        + e.getMessage(), null);
            }
        }
        return new Keyring(keys);
    }

    public Optional<CryptoKey> keyFor(EntityName name) {
        return Optional.ofNullable(keys.get(name.toString()));
    }

    /** The entity names this keyring holds keys for. */
    public java.util.Set<String> entities() {
        return keys.keySet();
    }

    @Override
    public String toString() {
        return "Keyring" + keys.keySet();
    }
}
