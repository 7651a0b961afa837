package org.jceph.rbd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.jceph.rados.IoCtx;

/**
 * Per-image and per-pool overrides of librbd's {@code rbd_*} options (librbd's
 * {@code rbd_config_image_*} / {@code rbd_config_pool_*}; {@code rbd config image|pool ...}):
 * stored as metadata keys {@code conf_<option>} in the image header's omap, or, for a pool,
 * in the {@code rbd_info} object's, through cls_rbd metadata_*.
 *
 * <p>jceph does not act on these options; it only keeps them, checking the name against the
 * option table of the cluster's release (its OSD map's require_osd_release: resources
 * {@code rbd-options-pacific.tsv} up to Pacific, {@code rbd-options-reef.tsv} after it: Reef's and
 * Tentacle's tools list the same options; every rbd_* option for a pool, the ones that
 * apply to an image for an image), as the rbd tool of that release knows its own options, and
 * the value against the option's type (bool, integer with an optional size suffix, float, string)
 * as the rbd tool refuses bad ones. Enumerated string options (such as rbd_cache_policy) are not
 * checked against their allowed values. {@link #list} reports, for every option, the image's
 * override, else the pool's, else the release's default: values set in a client's ceph.conf or
 * the monitors' config database are not looked up.
 */
public final class ImageConfig {
    static final String PREFIX = "conf_";
    private static final String POOL_OBJECT = "rbd_info";

    /** An option's name, type and default. */
    record Option(String name, String type, String dflt, boolean image) {
    }

    /**
     * From Quincy on: Reef's option table (Pacific's plus rbd_qos_exclude_ops), which is also
     * Tentacle's; Quincy's and Squid's own were not checked.
     */
    private static final int RELEASE_QUINCY = 17;

    private static final Map<String, Option> PACIFIC = load("rbd-options-pacific.tsv");
    private static final Map<String, Option> REEF = load("rbd-options-reef.tsv");

    private ImageConfig() {
    }

    /** Where an option's value comes from. */
    public enum Source {
        /** The client's configuration (here: the release's default). */
        CONFIG,
        /** The pool's override. */
        POOL,
        /** The image's override. */
        IMAGE;

        /**
         * The word rbd config list prints.
         *
         * @return config, pool or image
         */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One option in a listing.
     *
     * @param name the option
     * @param value its value
     * @param source where the value comes from
     */
    public record Entry(String name, String value, Source source) {
    }

    /** The key is not an rbd_* option (EINVAL). */
    public static final class NotRbdOptionException extends RbdException {
        private static final long serialVersionUID = 1L;
        /** The key given. */
        private final String key;

        /**
         * A key that is no rbd option.
         *
         * @param key the key
         * @param known whether it starts with rbd_ (then: an unknown option)
         */
        public NotRbdOptionException(String key, boolean known) {
            super(-22, known ? "invalid config key: " + key : "not rbd option: " + key);
            this.key = key;
        }

        /**
         * The key given.
         *
         * @return it
         */
        public String key() {
            return key;
        }
    }

    /** The value does not parse as the option's type (EINVAL). */
    public static final class InvalidValueException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * A bad value.
         *
         * @param key the option
         * @param value the value
         */
        public InvalidValueException(String key, String value) {
            super(-22, "invalid value for " + key + ": " + value);
        }
    }

    private static Map<String, Option> load(String resource) {
        Map<String, Option> out = new LinkedHashMap<>();
        try (InputStream in = ImageConfig.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.put(f[0], new Option(f[0], f[1], f[2], f[3].equals("image")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The option table of the release the pool's cluster requires of its OSDs. */
    private static Map<String, Option> options(IoCtx io) {
        return options(io.client().osdMap().requireOsdRelease());
    }

    private static Map<String, Option> options(int release) {
        return release >= RELEASE_QUINCY ? REEF : PACIFIC;
    }

    /**
     * The option names the rbd tool of a release knows, in order.
     *
     * @param release the release number (16 Pacific, 18 Reef, 20 Tentacle)
     * @return the names
     */
    public static List<String> optionNames(int release) {
        return new ArrayList<>(options(release).keySet());
    }

    /**
     * Checks a key names an rbd option of the cluster's release.
     *
     * @param io a pool of the cluster
     * @param key the key
     * @throws NotRbdOptionException when it does not
     */
    public static void checkKey(IoCtx io, String key) {
        checkKey(options(io), key);
    }

    private static void checkKey(Map<String, Option> options, String key) {
        if (!key.startsWith("rbd_")) {
            throw new NotRbdOptionException(key, false);
        }
        if (!options.containsKey(key)) {
            throw new NotRbdOptionException(key, true);
        }
    }

    /**
     * Checks a value parses as the option's type, as Ceph's config parser would take it.
     *
     * @param io a pool of the cluster (its release's options count)
     * @param key the option
     * @param value the value
     * @throws InvalidValueException when it does not
     */
    public static void checkValue(IoCtx io, String key, String value) {
        checkValue(options(io), key, value);
    }

    private static void checkValue(Map<String, Option> options, String key, String value) {
        checkKey(options, key);
        String v = value.strip();
        boolean ok = switch (options.get(key).type()) {
            case "bool" -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") || v.matches("-?\\d+");
            case "int" -> v.matches("-?\\d+([KMGTPE]i?)?[Bb]?") || v.matches("-?\\d+");
            case "float" -> v.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
            default -> true;
        };
        if (!ok) {
            throw new InvalidValueException(key, value);
        }
    }

    // ---- image level -------------------------------------------------------------------------

    /**
     * The image's override of {@code key}.
     *
     * @param img the open image
     * @param key the option
     * @return the value
     * @throws RbdException.NoSuchKeyException when the image does not override it
     */
    public static String get(RbdImage img, String key) {
        checkKey(img.metadataIo(), key);
        return ImageMetadata.get(img.metadataIo(), header(img), img.name(), PREFIX + key);
    }

    /**
     * Overrides {@code key} for the image.
     *
     * @param img the image, open for writing
     * @param key the option
     * @param value the value
     */
    public static void set(RbdImage img, String key, String value) {
        Map<String, Option> options = options(img.metadataIo());
        checkValue(options, key, value);
        if (!options.get(key).image()) {
            throw new InvalidValueException(key, value); // librbd takes only options that apply to an image
        }
        img.metadataSetCopied(PREFIX + key, value); // under the exclusive lock, watchers told
    }

    /**
     * Drops the image's override of {@code key}.
     *
     * @param img the image, open for writing
     * @param key the option
     * @throws RbdException.NoSuchKeyException when the image does not override it
     */
    public static void remove(RbdImage img, String key) {
        checkKey(img.metadataIo(), key);
        img.metadataRemove(PREFIX + key);
    }

    /**
     * Every rbd option with its effective value for the image and where it comes from.
     *
     * @param img the open image
     * @return the options, in the rbd tool's order
     */
    public static List<Entry> list(RbdImage img) {
        return merge(options(img.metadataIo()), overrides(img.metadataIo(), POOL_OBJECT),
                overrides(img.metadataIo(), header(img)), true);
    }

    // ---- pool level --------------------------------------------------------------------------

    /**
     * The pool's override of {@code key}.
     *
     * @param io the pool
     * @param key the option
     * @return the value
     * @throws RbdException.NoSuchKeyException when the pool does not override it
     */
    public static String poolGet(IoCtx io, String key) {
        checkKey(io, key);
        return ImageMetadata.get(io, POOL_OBJECT, "pool " + io.poolName(), PREFIX + key);
    }

    /**
     * Overrides {@code key} for every image of the pool.
     *
     * @param io the pool
     * @param key the option
     * @param value the value
     */
    public static void poolSet(IoCtx io, String key, String value) {
        checkValue(io, key, value);
        ImageMetadata.setCopied(io, POOL_OBJECT, PREFIX + key, value);
    }

    /**
     * Drops the pool's override of {@code key}.
     *
     * @param io the pool
     * @param key the option
     */
    public static void poolRemove(IoCtx io, String key) {
        checkKey(io, key);
        ImageMetadata.remove(io, POOL_OBJECT, "pool " + io.poolName(), PREFIX + key);
    }

    /**
     * Every rbd option with its value for the pool and where it comes from.
     *
     * @param io the pool
     * @return the options
     */
    public static List<Entry> poolList(IoCtx io) {
        return merge(options(io), overrides(io, POOL_OBJECT), Map.of(), false);
    }

    private static List<Entry> merge(Map<String, Option> options, Map<String, String> pool, Map<String, String> image,
            boolean imageLevel) {
        List<Entry> out = new ArrayList<>();
        for (Option o : options.values()) {
            if (imageLevel && !o.image()) {
                continue;
            }
            if (image.containsKey(o.name())) {
                out.add(new Entry(o.name(), image.get(o.name()), Source.IMAGE));
            } else if (pool.containsKey(o.name())) {
                out.add(new Entry(o.name(), pool.get(o.name()), Source.POOL));
            } else {
                out.add(new Entry(o.name(), o.dflt(), Source.CONFIG));
            }
        }
        return out;
    }

    private static Map<String, String> overrides(IoCtx io, String object) {
        Map<String, String> out = new LinkedHashMap<>();
        SortedMap<String, String> all;
        try {
            all = ImageMetadata.list(io, object);
        } catch (org.jceph.rados.RadosException.ObjectNotFoundException e) {
            return out;
        }
        all.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                out.put(k.substring(PREFIX.length()), v);
            }
        });
        return out;
    }

    private static String header(RbdImage img) {
        return "rbd_header." + img.id();
    }
}
