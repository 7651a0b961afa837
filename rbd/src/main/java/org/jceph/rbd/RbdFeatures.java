package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;

/** RBD image feature bits (src/include/rbd/features.h) and what this client can honour. */
public final class RbdFeatures {
    /**
     * Clones (copy-on-write children of snapshots).
     */
    public static final long LAYERING = 1L << 0;
    /**
     * Striping v2: a stripe unit and count other than one object.
     */
    public static final long STRIPINGV2 = 1L << 1;
    /**
     * One writer at a time, holding the header's rbd_lock.
     */
    public static final long EXCLUSIVE_LOCK = 1L << 2;
    /**
     * A map of which objects exist (needs exclusive-lock).
     */
    public static final long OBJECT_MAP = 1L << 3;
    /**
     * Object map states that tell changed objects apart (needs object-map).
     */
    public static final long FAST_DIFF = 1L << 4;
    /**
     * Snapshots of a clone can be flattened too.
     */
    public static final long DEEP_FLATTEN = 1L << 5;
    /**
     * Every write journaled first (for mirroring); jceph cannot write such images.
     */
    public static final long JOURNALING = 1L << 6;
    /**
     * Data objects in a pool of their own.
     */
    public static final long DATA_POOL = 1L << 7;
    /**
     * Operations older clients must not do are recorded in the header.
     */
    public static final long OPERATIONS = 1L << 8;
    /**
     * The image is being migrated.
     */
    public static final long MIGRATING = 1L << 9;
    /**
     * A mirrored image that is not the primary.
     */
    public static final long NON_PRIMARY = 1L << 10;
    /**
     * A persistent write-back cache holds unflushed data.
     */
    public static final long DIRTY_CACHE = 1L << 11;

    /** librbd's rbd_default_features in Pacific: layering, exclusive-lock, object-map, fast-diff, deep-flatten. */
    public static final long LIBRBD_DEFAULT = LAYERING | EXCLUSIVE_LOCK | OBJECT_MAP | FAST_DIFF | DEEP_FLATTEN;

    /**
     * What we can open read-only: data objects are authoritative, so lock and object map only
     * matter to writers. A non-primary (mirrored, demoted or replica) image reads as any other;
     * it is refused for writing, as librbd refuses it the exclusive lock.
     */
    public static final long READABLE = LAYERING | STRIPINGV2 | EXCLUSIVE_LOCK | OBJECT_MAP | FAST_DIFF | DEEP_FLATTEN | DATA_POOL
            | OPERATIONS | NON_PRIMARY;
    /**
     * What we can write without corrupting the image for librbd: the exclusive lock and the object
     * map (with fast-diff) are kept as librbd keeps them; journaling is not.
     */
    public static final long WRITABLE = LAYERING | STRIPINGV2 | EXCLUSIVE_LOCK | OBJECT_MAP | FAST_DIFF | DEEP_FLATTEN | DATA_POOL
            | OPERATIONS;

    /**
     * librbd's rules: object-map needs exclusive-lock, fast-diff needs object-map.
     *
     * @param features the feature bits
     * @throws RbdException when a feature lacks one it needs
     */
    public static void validateDependencies(long features) {
        if ((features & OBJECT_MAP) != 0 && (features & EXCLUSIVE_LOCK) == 0) {
            throw new RbdException("feature object-map requires exclusive-lock");
        }
        if ((features & FAST_DIFF) != 0 && (features & OBJECT_MAP) == 0) {
            throw new RbdException("feature fast-diff requires object-map");
        }
    }

    private RbdFeatures() {
    }

    /** The rbd tool's names of the feature bits, by bit number (librbd's RBD_FEATURE_NAME_*). */
    private static final List<String> NAMES = List.of("layering", "striping", "exclusive-lock", "object-map",
            "fast-diff", "deep-flatten", "journaling", "data-pool", "operations", "migrating", "non-primary",
            "dirty-cache");

    /**
     * The features' names, as {@code rbd info} lists them.
     *
     * @param features the feature bits
     * @return the names, comma-separated
     */
    public static String names(long features) {
        return String.join(", ", bitNames(features, NAMES, true));
    }

    /**
     * The feature the rbd tool names {@code name} (as {@code rbd feature enable} takes it).
     *
     * @param name a feature name, such as {@code "object-map"}
     * @return its bit, or 0 when {@code name} names no feature
     */
    public static long bit(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? 0 : 1L << i;
    }

    /**
     * The names of the bits set in {@code bits}, lowest bit first.
     *
     * @param bits the bits
     * @param names the name of bit i at index i
     * @param unknownToo whether a bit beyond {@code names} is listed (as {@code unknown-bit-N}) or left out
     * @return the names
     */
    static List<String> bitNames(long bits, List<String> names, boolean unknownToo) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            if ((bits & (1L << i)) != 0 && (i < names.size() || unknownToo)) {
                out.add(i < names.size() ? names.get(i) : "unknown-bit-" + i);
            }
        }
        return out;
    }
}
