package org.jceph.crush;

/**
 * The map-wide tunables (crush.h {@code struct crush_map}) and Ceph's named profiles
 * (CrushWrapper.h {@code set_tunables_*}).
 */
public record Tunables(int chooseLocalTries, int chooseLocalFallbackTries, int chooseTotalTries,
        int chooseleafDescendOnce, int chooseleafVaryR, int strawCalcVersion, int allowedBucketAlgs,
        int chooseleafStable) {

    /** CRUSH_LEGACY_ALLOWED_BUCKET_ALGS: uniform, list, straw. */
    public static final int LEGACY_ALLOWED_BUCKET_ALGS = (1 << CrushBucket.ALG_UNIFORM) | (1 << CrushBucket.ALG_LIST)
            | (1 << CrushBucket.ALG_STRAW);
    /** Adds straw2 (hammer and later). */
    public static final int HAMMER_ALLOWED_BUCKET_ALGS = LEGACY_ALLOWED_BUCKET_ALGS | (1 << CrushBucket.ALG_STRAW2);

    /** argonaut (= legacy): what a map with no tunables section means. */
    public static Tunables argonaut() {
        return new Tunables(2, 5, 19, 0, 0, 0, LEGACY_ALLOWED_BUCKET_ALGS, 0);
    }

    public static Tunables bobtail() {
        return new Tunables(0, 0, 50, 1, 0, 1, LEGACY_ALLOWED_BUCKET_ALGS, 0);
    }

    public static Tunables firefly() {
        return new Tunables(0, 0, 50, 1, 1, 1, LEGACY_ALLOWED_BUCKET_ALGS, 0);
    }

    public static Tunables hammer() {
        return new Tunables(0, 0, 50, 1, 1, 1, HAMMER_ALLOWED_BUCKET_ALGS, 0);
    }

    /** jewel, also "optimal" in Pacific. */
    public static Tunables jewel() {
        return new Tunables(0, 0, 50, 1, 1, 1, HAMMER_ALLOWED_BUCKET_ALGS, 1);
    }
}
