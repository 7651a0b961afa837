package org.jceph.crush;

import java.util.Arrays;

/**
 * One CRUSH bucket (Ceph src/crush/crush.h {@code struct crush_bucket} and its five subtypes).
 * Immutable: arrays are copied in and out. Weights are 16.16 fixed point held as unsigned 32-bit
 * values in Java ints.
 *
 * <p>Which per-algorithm arrays are present: UNIFORM {@link #uniformItemWeight()}; LIST item weights
 * and sum weights; TREE node weights ({@code num_nodes} entries); STRAW item weights and straws;
 * STRAW2 item weights.
 */
public final class CrushBucket {
    /** CRUSH_BUCKET_UNIFORM. */
    public static final int ALG_UNIFORM = 1;
    /** CRUSH_BUCKET_LIST. */
    public static final int ALG_LIST = 2;
    /** CRUSH_BUCKET_TREE. */
    public static final int ALG_TREE = 3;
    /** CRUSH_BUCKET_STRAW. */
    public static final int ALG_STRAW = 4;
    /** CRUSH_BUCKET_STRAW2. */
    public static final int ALG_STRAW2 = 5;
    /** CRUSH_HASH_RJENKINS1, the only hash Ceph defines. */
    public static final int HASH_RJENKINS1 = 0;

    final int id;
    final int type;
    final int alg;
    final int hash;
    final int weight;
    final int[] items;
    final int uniformItemWeight;
    final int[] itemWeights;
    final int[] sumWeights;
    final int[] nodeWeights;
    final int[] straws;

    private CrushBucket(int id, int type, int alg, int hash, int weight, int[] items, int uniformItemWeight,
            int[] itemWeights, int[] sumWeights, int[] nodeWeights, int[] straws) {
        this.id = id;
        this.type = type;
        this.alg = alg;
        this.hash = hash;
        this.weight = weight;
        this.items = items;
        this.uniformItemWeight = uniformItemWeight;
        this.itemWeights = itemWeights;
        this.sumWeights = sumWeights;
        this.nodeWeights = nodeWeights;
        this.straws = straws;
    }

    private static int[] copy(int[] a) {
        return a == null ? null : a.clone();
    }

    public static CrushBucket uniform(int id, int type, int hash, int weight, int[] items, int itemWeight) {
        return new CrushBucket(id, type, ALG_UNIFORM, hash, weight, items.clone(), itemWeight, null, null, null, null);
    }

    public static CrushBucket list(int id, int type, int hash, int weight, int[] items, int[] itemWeights,
            int[] sumWeights) {
        requireSize(items, itemWeights, "item weights");
        requireSize(items, sumWeights, "sum weights");
        return new CrushBucket(id, type, ALG_LIST, hash, weight, items.clone(), 0, itemWeights.clone(),
                sumWeights.clone(), null, null);
    }

    public static CrushBucket tree(int id, int type, int hash, int weight, int[] items, int[] nodeWeights) {
        if (nodeWeights.length > 255) {
            throw new IllegalArgumentException("tree bucket num_nodes " + nodeWeights.length + " exceeds a u8");
        }
        return new CrushBucket(id, type, ALG_TREE, hash, weight, items.clone(), 0, null, null, nodeWeights.clone(),
                null);
    }

    public static CrushBucket straw(int id, int type, int hash, int weight, int[] items, int[] itemWeights,
            int[] straws) {
        requireSize(items, itemWeights, "item weights");
        requireSize(items, straws, "straws");
        return new CrushBucket(id, type, ALG_STRAW, hash, weight, items.clone(), 0, itemWeights.clone(), null, null,
                straws.clone());
    }

    public static CrushBucket straw2(int id, int type, int hash, int weight, int[] items, int[] itemWeights) {
        requireSize(items, itemWeights, "item weights");
        return new CrushBucket(id, type, ALG_STRAW2, hash, weight, items.clone(), 0, itemWeights.clone(), null, null,
                null);
    }

    private static void requireSize(int[] items, int[] other, String what) {
        if (other.length != items.length) {
            throw new IllegalArgumentException(what + " has " + other.length + " entries for " + items.length + " items");
        }
    }

    public int id() {
        return id;
    }

    public int type() {
        return type;
    }

    /** One of the ALG_* constants. */
    public int algorithm() {
        return alg;
    }

    public int hash() {
        return hash;
    }

    /** Total weight, 16.16 fixed point (unsigned). */
    public int weight() {
        return weight;
    }

    public int size() {
        return items.length;
    }

    public int item(int i) {
        return items[i];
    }

    public int[] items() {
        return items.clone();
    }

    /** The weight of item {@code i} as Ceph reports it (crush_get_bucket_item_weight). */
    public int itemWeight(int i) {
        switch (alg) {
            case ALG_UNIFORM:
                return uniformItemWeight;
            case ALG_LIST:
            case ALG_STRAW:
            case ALG_STRAW2:
                return itemWeights[i];
            case ALG_TREE:
                int node = ((i + 1) << 1) - 1;
                return node < nodeWeights.length ? nodeWeights[node] : 0;
            default:
                return 0;
        }
    }

    public int uniformItemWeight() {
        return uniformItemWeight;
    }

    public int[] itemWeights() {
        return copy(itemWeights);
    }

    public int[] sumWeights() {
        return copy(sumWeights);
    }

    public int[] nodeWeights() {
        return copy(nodeWeights);
    }

    public int[] straws() {
        return copy(straws);
    }

    /** crush_bucket_alg_name. */
    public static String algorithmName(int alg) {
        switch (alg) {
            case ALG_UNIFORM: return "uniform";
            case ALG_LIST: return "list";
            case ALG_TREE: return "tree";
            case ALG_STRAW: return "straw";
            case ALG_STRAW2: return "straw2";
            default: return "unknown";
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CrushBucket)) {
            return false;
        }
        CrushBucket b = (CrushBucket) o;
        return id == b.id && type == b.type && alg == b.alg && hash == b.hash && weight == b.weight
                && uniformItemWeight == b.uniformItemWeight && Arrays.equals(items, b.items)
                && Arrays.equals(itemWeights, b.itemWeights) && Arrays.equals(sumWeights, b.sumWeights)
                && Arrays.equals(nodeWeights, b.nodeWeights) && Arrays.equals(straws, b.straws);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(items);
    }
}
