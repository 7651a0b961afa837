package org.jceph.rbd.cache;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jceph.rbd.RbdException;

/**
 * The RBD client cache options, named and defaulted as librbd's (Pacific's
 * {@code src/common/options/rbd.yaml.in}; the same in Reef and Tentacle):
 *
 * <ul>
 *   <li>{@code rbd_cache} (true): cache writes of read-write opens;</li>
 *   <li>{@code rbd_cache_policy} (writearound, Pacific's default): {@code writeback} holds
 *       dirty data and writes it back later; {@code writearound} sends every write at once but
 *       acknowledges it from memory while the bytes in flight stay within max_dirty;
 *       {@code writethrough} acknowledges writes only once the OSDs have them;</li>
 *   <li>{@code rbd_cache_size} (32 MiB): the most bytes the cache holds;</li>
 *   <li>{@code rbd_cache_max_dirty} (24 MiB): dirty bytes beyond which a write waits for
 *       writeback; 0 makes the cache writethrough;</li>
 *   <li>{@code rbd_cache_target_dirty} (16 MiB): dirty bytes beyond which writeback starts;</li>
 *   <li>{@code rbd_cache_max_dirty_age} (1.0 s): dirty data older than this is written back;</li>
 *   <li>{@code rbd_cache_writethrough_until_flush} (true): writethrough until the user's first
 *       flush, so a guest that never flushes never loses an acknowledged write.</li>
 * </ul>
 *
 * <p>Also {@code rbd_jceph_cache_write_timeout} (jceph's own, 300 s): how long a write waits
 * for room in the cache before it fails. Instances are immutable.
 *
 * @param enabled whether the cache is used at all ({@code rbd_cache})
 * @param policy how writes are handled ({@code rbd_cache_policy})
 * @param size the most bytes the cache holds ({@code rbd_cache_size})
 * @param maxDirty dirty bytes beyond which writes wait; 0 = writethrough ({@code rbd_cache_max_dirty})
 * @param targetDirty dirty bytes beyond which writeback starts ({@code rbd_cache_target_dirty})
 * @param maxDirtyAge how old dirty data may get before writeback ({@code rbd_cache_max_dirty_age})
 * @param writethroughUntilFlush writethrough until the first user flush ({@code rbd_cache_writethrough_until_flush})
 * @param writeTimeout how long a write waits for room in the cache
 */
public record CacheSettings(boolean enabled, Policy policy, long size, long maxDirty, long targetDirty, Duration maxDirtyAge,
                            boolean writethroughUntilFlush, Duration writeTimeout) {

    /** librbd's {@code rbd_cache_policy}. */
    public enum Policy {
        /** Dirty data is held and written back later (librbd's ObjectCacher). */
        WRITEBACK,
        /** Writes are sent at once and acknowledged from memory within max_dirty in flight. */
        WRITEAROUND,
        /** Writes are acknowledged once the OSDs have them. */
        WRITETHROUGH
    }

    /** librbd's (Pacific) defaults: on, writearound. */
    public static final CacheSettings DEFAULTS = new CacheSettings(true, Policy.WRITEAROUND, 32L << 20, 24L << 20, 16L << 20,
            Duration.ofSeconds(1), true, Duration.ofSeconds(300));

    /** The cache off: every write is acknowledged by the OSDs (jceph's behaviour without a cache). */
    public static final CacheSettings DISABLED = DEFAULTS.withEnabled(false);

    /**
     * Checks the settings as librbd does when it sets up its cache: max_dirty may not exceed
     * size, target_dirty may not exceed max_dirty (unless max_dirty is 0, writethrough).
     *
     * @throws RbdException when they are inconsistent
     */
    public CacheSettings {
        if (policy == null || maxDirtyAge == null || writeTimeout == null) {
            throw new RbdException(-22, "cache policy and durations must not be null");
        }
        if (size < 0 || maxDirty < 0 || targetDirty < 0 || maxDirtyAge.isNegative() || writeTimeout.isNegative()) {
            throw new RbdException(-22, "cache sizes and durations must not be negative");
        }
        if (maxDirty > size) {
            throw new RbdException(-22, "rbd_cache_max_dirty " + maxDirty
                    + " exceeds rbd_cache_size " + size);
        }
        if (maxDirty > 0 && targetDirty > maxDirty) {
            throw new RbdException(-22, "rbd_cache_target_dirty " + targetDirty
                    + " exceeds rbd_cache_max_dirty " + maxDirty);
        }
    }

    /**
     * The settings {@code lookup} gives (an option's value by its underscore name, as ceph.conf,
     * the command line or the monitors' central config hold it), librbd's defaults for the rest.
     *
     * @param lookup an option's value by name, empty when unset
     * @return the settings
     * @throws RbdException when a value does not parse or the values are inconsistent
     */
    public static CacheSettings fromConfig(Function<String, Optional<String>> lookup) {
        CacheSettings d = DEFAULTS;
        return new CacheSettings(
                bool(lookup, "rbd_cache", d.enabled),
                policy(lookup, d.policy),
                bytes(lookup, "rbd_cache_size", d.size),
                bytes(lookup, "rbd_cache_max_dirty", d.maxDirty),
                bytes(lookup, "rbd_cache_target_dirty", d.targetDirty),
                seconds(lookup, "rbd_cache_max_dirty_age", d.maxDirtyAge),
                bool(lookup, "rbd_cache_writethrough_until_flush", d.writethroughUntilFlush),
                seconds(lookup, "rbd_jceph_cache_write_timeout", d.writeTimeout));
    }

    /**
     * Whether writes are always written through (policy writethrough, or max_dirty 0), as
     * librbd's writethrough mode.
     *
     * @return true when nothing is ever held dirty
     */
    public boolean writethroughOnly() {
        return maxDirty == 0 || policy == Policy.WRITETHROUGH;
    }

    /**
     * These settings with another policy.
     *
     * @param p rbd_cache_policy
     * @return new settings
     */
    public CacheSettings withPolicy(Policy p) {
        return new CacheSettings(enabled, p, size, maxDirty, targetDirty, maxDirtyAge, writethroughUntilFlush,
                writeTimeout);
    }

    /**
     * These settings with the cache on or off.
     *
     * @param on whether to cache
     * @return new settings
     */
    public CacheSettings withEnabled(boolean on) {
        return new CacheSettings(on, policy, size, maxDirty, targetDirty, maxDirtyAge, writethroughUntilFlush, writeTimeout);
    }

    /**
     * These settings with other sizes.
     *
     * @param newSize rbd_cache_size
     * @param newMaxDirty rbd_cache_max_dirty
     * @param newTargetDirty rbd_cache_target_dirty
     * @return new settings
     */
    public CacheSettings withSizes(long newSize, long newMaxDirty, long newTargetDirty) {
        return new CacheSettings(enabled, policy, newSize, newMaxDirty, newTargetDirty, maxDirtyAge, writethroughUntilFlush,
                writeTimeout);
    }

    /**
     * These settings with another maximum dirty age.
     *
     * @param age rbd_cache_max_dirty_age
     * @return new settings
     */
    public CacheSettings withMaxDirtyAge(Duration age) {
        return new CacheSettings(enabled, policy, size, maxDirty, targetDirty, age, writethroughUntilFlush, writeTimeout);
    }

    /**
     * These settings with writethrough-until-flush on or off.
     *
     * @param on rbd_cache_writethrough_until_flush
     * @return new settings
     */
    public CacheSettings withWritethroughUntilFlush(boolean on) {
        return new CacheSettings(enabled, policy, size, maxDirty, targetDirty, maxDirtyAge, on, writeTimeout);
    }

    /**
     * These settings with another write timeout.
     *
     * @param timeout how long a write waits for room in the cache
     * @return new settings
     */
    public CacheSettings withWriteTimeout(Duration timeout) {
        return new CacheSettings(enabled, policy, size, maxDirty, targetDirty, maxDirtyAge, writethroughUntilFlush, timeout);
    }

    private static Policy policy(Function<String, Optional<String>> lookup, Policy def) {
        Optional<String> v = lookup.apply("rbd_cache_policy");
        if (v.isEmpty()) {
            return def;
        }
        switch (v.get().strip().toLowerCase(Locale.ROOT)) {
            case "writeback":
                return Policy.WRITEBACK;
            case "writearound":
                return Policy.WRITEAROUND;
            case "writethrough":
                return Policy.WRITETHROUGH;
            default:
                throw new RbdException(-22, "rbd_cache_policy: not writeback, writearound or writethrough: " + v.get());
        }
    }

    private static boolean bool(Function<String, Optional<String>> lookup, String key, boolean def) {
        Optional<String> v = lookup.apply(key);
        if (v.isEmpty()) {
            return def;
        }
        switch (v.get().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new RbdException(-22, key + ": not a boolean: " + v.get());
        }
    }

    private static long bytes(Function<String, Optional<String>> lookup, String key, long def) {
        Optional<String> v = lookup.apply(key);
        if (v.isEmpty()) {
            return def;
        }
        String s = v.get().strip();
        long mult = 1;
        String low = s.toLowerCase(Locale.ROOT);
        String[][] units = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"k", "1024"},
                {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}};
        for (String[] u : units) {
            if (low.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).strip();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RbdException(-22, key + ": not a size: " + v.get());
        }
    }

    private static Duration seconds(Function<String, Optional<String>> lookup, String key, Duration def) {
        Optional<String> v = lookup.apply(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.get().strip());
            if (!(d >= 0) || d > 1e9) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (d * 1e9));
        } catch (NumberFormatException e) {
            throw new RbdException(-22, key + ": not a number of seconds: " + v.get());
        }
    }
}
