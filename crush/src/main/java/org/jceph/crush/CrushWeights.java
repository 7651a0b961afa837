package org.jceph.crush;

import java.util.ArrayList;
import java.util.List;

/**
 * CrushWrapper::adjust_item_weight (src/crush/CrushWrapper.cc) on an immutable {@link CrushMap}:
 * set an item's weight in every bucket that holds it, and carry the change of each such bucket's
 * weight up into the buckets that hold the bucket, shadow (device class) buckets included. This is
 * what {@code osdmaptool --mark-up-in} does to an OSD whose CRUSH weight is 0 (it sets 1.0).
 *
 * <p>Per algorithm, as builder.c's crush_bucket_adjust_item_weight: uniform buckets have one weight
 * for all items (the bucket weighs size × weight); list buckets also shift the running sums from
 * the item on; tree buckets change the item's leaf node and every node above it; straw2 only the
 * item's weight. Only the first slot holding the item in a bucket changes, as in builder.c.
 *
 * <p>Not supported (an {@link UnsupportedCrushFeatureException}): straw (v1) buckets, whose straws
 * Ceph recomputes in floating point (crush_calc_straw), and maps with choose_args weight sets,
 * which CrushWrapper also rewrites so that each bucket's weight-set entries keep summing up the
 * hierarchy.
 */
public final class CrushWeights {
    private CrushWeights() {
    }

    /** The first weight of {@code item} in bucket-index order, or {@code null} when no bucket holds it (Ceph: -ENOENT). */
    public static Integer itemWeight(CrushMap map, int item) {
        for (CrushBucket b : map.bucketSlots()) {
            if (b == null) {
                continue;
            }
            for (int i = 0; i < b.size(); i++) {
                if (b.item(i) == item) {
                    return b.itemWeight(i);
                }
            }
        }
        return null;
    }

    /**
     * {@code map} with {@code item}'s weight set to {@code weight} (16.16) wherever it is held; the
     * map itself when no bucket holds it.
     */
    public static CrushMap adjustItemWeight(CrushMap map, int item, int weight) {
        for (var args : map.chooseArgs().values()) {
            for (ChooseArg a : args.values()) {
                if (a.positions() > 0) {
                    throw new UnsupportedCrushFeatureException(
                            "changing a CRUSH weight in a map with choose_args weight sets");
                }
            }
        }
        List<CrushBucket> slots = new ArrayList<>(map.bucketSlots());
        if (!adjust(slots, item, weight, 0)) {
            return map;
        }
        return new CrushMap(map.maxDevicesEncoded(), slots, map.ruleSlots(), map.typeNames(), map.itemNames(),
                map.ruleNames(), map.tunables(), map.classMap(), map.classNames(), map.classBuckets(),
                map.chooseArgs(), map.msrDescents(), map.msrCollisionTries(), map.encodedSections(),
                map.wideNameKeys());
    }

    /** Adjusts {@code item} in every bucket holding it, then each changed bucket in its parents. */
    private static boolean adjust(List<CrushBucket> slots, int item, int weight, int depth) {
        if (depth > slots.size() + 1) {
            // a bucket that (indirectly) holds itself: Ceph would recurse until its stack runs out
            throw new UnsupportedCrushFeatureException("CRUSH hierarchy has a cycle through item " + item);
        }
        boolean changed = false;
        for (int bidx = 0; bidx < slots.size(); bidx++) {
            CrushBucket b = slots.get(bidx);
            if (b == null) {
                continue;
            }
            for (int i = 0; i < b.size(); i++) {
                if (b.item(i) == item) {
                    CrushBucket nb = withItemWeight(b, item, weight);
                    slots.set(bidx, nb);
                    adjust(slots, nb.id(), nb.weight(), depth + 1);
                    b = slots.get(bidx);
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** builder.c crush_bucket_adjust_item_weight for one bucket. */
    static CrushBucket withItemWeight(CrushBucket b, int item, int weight) {
        int idx = -1;
        for (int i = 0; i < b.size(); i++) {
            if (b.item(i) == item) {
                idx = i;
                break;
            }
        }
        int[] items = b.items();
        switch (b.algorithm()) {
            case CrushBucket.ALG_UNIFORM -> {
                return CrushBucket.uniform(b.id(), b.type(), b.hash(), weight * b.size(), items, weight);
            }
            case CrushBucket.ALG_LIST -> {
                int[] iw = b.itemWeights();
                int[] sw = b.sumWeights();
                int diff = weight - iw[idx];
                iw[idx] = weight;
                for (int j = idx; j < sw.length; j++) {
                    sw[j] += diff;
                }
                return CrushBucket.list(b.id(), b.type(), b.hash(), b.weight() + diff, items, iw, sw);
            }
            case CrushBucket.ALG_TREE -> {
                int[] nw = b.nodeWeights();
                int depth = treeDepth(b.size());
                int node = ((idx + 1) << 1) - 1;
                int diff = weight - nw[node];
                nw[node] = weight;
                for (int j = 1; j < depth; j++) {
                    node = treeParent(node);
                    nw[node] += diff;
                }
                return CrushBucket.tree(b.id(), b.type(), b.hash(), b.weight() + diff, items, nw);
            }
            case CrushBucket.ALG_STRAW2 -> {
                int[] iw = b.itemWeights();
                int diff = weight - iw[idx];
                iw[idx] = weight;
                return CrushBucket.straw2(b.id(), b.type(), b.hash(), b.weight() + diff, items, iw);
            }
            default -> throw new UnsupportedCrushFeatureException("changing an item weight in a "
                    + CrushBucket.algorithmName(b.algorithm()) + " bucket (" + b.id() + ")");
        }
    }

    /** builder.c calc_depth: levels of a tree bucket of {@code size} items. */
    private static int treeDepth(int size) {
        if (size == 0) {
            return 0;
        }
        int depth = 1;
        for (int t = size - 1; t != 0; t >>= 1) {
            depth++;
        }
        return depth;
    }

    private static int treeParent(int n) {
        int h = Integer.numberOfTrailingZeros(n);
        return (n & (1 << (h + 1))) != 0 ? n - (1 << h) : n + (1 << h);
    }
}
