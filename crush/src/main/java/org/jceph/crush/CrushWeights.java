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
 * item's weight; straw the item's weight, then every straw. Only the first slot holding the item
 * in a bucket changes, as in builder.c.
 *
 * <p>Weight sets (choose_args) change as CrushWrapper changes them: the item's entries in every
 * position take the new weight, and each bucket's entry in its parents becomes the sum of its own
 * weight set, recursively; a bucket that had no weight set in a choose_args map gets one holding
 * its item weights (Ceph does this even for non-straw2 buckets; such entries are dropped again
 * when the map is decoded).
 *
 * <p>Straw (v1) buckets get their straws recomputed as crush_calc_straw does (see {@link #straws}).
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
     * {@code map} with {@code item}'s weight set to {@code weight} (16.16) wherever it is held, weight
     * sets included (CrushWrapper::adjust_item_weight with update_weight_sets); the map itself
     * when no bucket holds it.
     */
    public static CrushMap adjustItemWeight(CrushMap map, int item, int weight) {
        State st = new State(map);
        if (!st.adjustItemWeight(item, weight, true, 0)) {
            return map;
        }
        return st.build();
    }

    /** A map being changed: bucket slots and, per choose_args key, weight sets by bucket index. */
    private static final class State {
        final CrushMap map;
        final List<CrushBucket> slots;
        /** choose_args key -&gt; bucket index -&gt; weight set per position (null: none), and the ids. */
        final java.util.TreeMap<Long, java.util.TreeMap<Integer, int[][]>> sets = new java.util.TreeMap<>();
        final java.util.TreeMap<Long, java.util.TreeMap<Integer, int[]>> ids = new java.util.TreeMap<>();

        State(CrushMap map) {
            this.map = map;
            this.slots = new ArrayList<>(map.bucketSlots());
            map.chooseArgs().forEach((key, args) -> {
                java.util.TreeMap<Integer, int[][]> s = new java.util.TreeMap<>();
                java.util.TreeMap<Integer, int[]> i = new java.util.TreeMap<>();
                args.forEach((index, a) -> {
                    int[][] ws = new int[a.positions()][];
                    for (int p = 0; p < ws.length; p++) {
                        ws[p] = a.weightSet(p);
                    }
                    s.put(index, ws.length == 0 ? null : ws);
                    i.put(index, a.ids());
                });
                sets.put(key, s);
                ids.put(key, i);
            });
        }

        CrushMap build() {
            java.util.TreeMap<Long, java.util.SortedMap<Integer, ChooseArg>> args = new java.util.TreeMap<>();
            sets.forEach((key, s) -> {
                java.util.TreeMap<Integer, ChooseArg> out = new java.util.TreeMap<>();
                java.util.Set<Integer> indexes = new java.util.TreeSet<>(s.keySet());
                indexes.addAll(ids.get(key).keySet());
                for (int index : indexes) {
                    int[][] ws = s.get(index);
                    int[] id = ids.get(key).getOrDefault(index, new int[0]);
                    if ((ws == null || ws.length == 0) && id.length == 0) {
                        continue; // CrushWrapper::encode skips entries with neither
                    }
                    out.put(index, new ChooseArg(ws == null ? new int[0][] : ws, id));
                }
                args.put(key, out);
            });
            return new CrushMap(map.maxDevicesEncoded(), slots, map.ruleSlots(), map.typeNames(), map.itemNames(),
                    map.ruleNames(), map.tunables(), map.classMap(), map.classNames(), map.classBuckets(), args,
                    map.msrDescents(), map.msrCollisionTries(), map.encodedSections(), map.wideNameKeys());
        }

        private void depth(int depth) {
            if (depth > 4 * slots.size() + 8) {
                // a bucket that (indirectly) holds itself: Ceph would recurse until its stack runs out
                throw new UnsupportedCrushFeatureException("CRUSH hierarchy has a cycle");
            }
        }

        /** CrushWrapper::adjust_item_weight: every bucket, in index order. */
        boolean adjustItemWeight(int item, int weight, boolean updateWeightSets, int depth) {
            depth(depth);
            boolean changed = false;
            for (int bidx = 0; bidx < slots.size(); bidx++) {
                if (slots.get(bidx) != null && adjustInBucket(item, weight, bidx, updateWeightSets, depth)) {
                    changed = true;
                }
            }
            return changed;
        }

        /** CrushWrapper::adjust_item_weight_in_bucket. */
        private boolean adjustInBucket(int item, int weight, int bidx, boolean updateWeightSets, int depth) {
            boolean changed = false;
            CrushBucket b = slots.get(bidx);
            for (int i = 0; i < b.size(); i++) {
                if (b.item(i) == item) {
                    if (updateWeightSets) {
                        int position = indexOf(b, item);
                        for (var s : sets.values()) {
                            int[][] ws = s.get(bidx);
                            if (ws != null) {
                                for (int[] set : ws) {
                                    if (position < set.length) {
                                        set[position] = weight;
                                    }
                                }
                            }
                        }
                    }
                    b = withItemWeight(b, item, weight, map.tunables().strawCalcVersion());
                    slots.set(bidx, b);
                    adjustItemWeight(b.id(), b.weight(), false, depth + 1);
                    b = slots.get(bidx);
                    changed = true;
                }
            }
            // keep every weight set summing up the hierarchy (Ceph does this for each bucket visited)
            for (var s : sets.values()) {
                int[][] ws = s.get(bidx);
                if (ws == null || ws.length == 0) {
                    continue;
                }
                int[] w = new int[ws.length];
                for (int j = 0; j < ws.length; j++) {
                    for (int i = 0; i < Math.min(b.size(), ws[j].length); i++) {
                        w[j] += ws[j][i];
                    }
                }
                chooseArgsAdjust(s, b.id(), w, depth + 1);
            }
            return changed;
        }

        /** CrushWrapper::choose_args_adjust_item_weight in one choose_args map. */
        private void chooseArgsAdjust(java.util.TreeMap<Integer, int[][]> s, int id, int[] weight, int depth) {
            depth(depth);
            for (int bidx = 0; bidx < slots.size(); bidx++) {
                if (slots.get(bidx) != null) {
                    chooseArgsAdjustInBucket(s, bidx, id, weight, depth);
                }
            }
        }

        /** CrushWrapper::_choose_args_adjust_item_weight_in_bucket. */
        private void chooseArgsAdjustInBucket(java.util.TreeMap<Integer, int[][]> s, int bidx, int id, int[] weight,
                int depth) {
            CrushBucket b = slots.get(bidx);
            boolean changed = false;
            int[][] ws = s.get(bidx);
            if (ws == null) {
                // Ceph gives the bucket a weight set of its own item weights (whatever its algorithm)
                int positions = positions(s);
                ws = new int[positions][b.size()];
                for (int p = 0; p < positions; p++) {
                    for (int i = 0; i < b.size(); i++) {
                        ws[p][i] = b.itemWeight(i);
                    }
                }
                s.put(bidx, ws);
                changed = true;
            }
            if (ws.length != weight.length) {
                return;
            }
            for (int i = 0; i < b.size(); i++) {
                if (b.item(i) == id) {
                    for (int j = 0; j < weight.length; j++) {
                        if (i < ws[j].length) {
                            ws[j][i] = weight[j];
                        }
                    }
                    changed = true;
                }
            }
            if (changed) {
                int[] bucketWeight = new int[weight.length];
                for (int j = 0; j < weight.length; j++) {
                    for (int i = 0; i < Math.min(b.size(), ws[j].length); i++) {
                        bucketWeight[j] += ws[j][i];
                    }
                }
                chooseArgsAdjust(s, b.id(), bucketWeight, depth + 1);
            }
        }

        /** CrushWrapper::get_choose_args_positions: the first bucket's (by index) count, else 1. */
        private static int positions(java.util.TreeMap<Integer, int[][]> s) {
            for (int[][] ws : s.values()) {
                if (ws != null && ws.length > 0) {
                    return ws.length;
                }
            }
            return 1;
        }

        private static int indexOf(CrushBucket b, int item) {
            for (int i = 0; i < b.size(); i++) {
                if (b.item(i) == item) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** builder.c crush_bucket_adjust_item_weight for one bucket. */
    static CrushBucket withItemWeight(CrushBucket b, int item, int weight, int strawCalcVersion) {
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
            case CrushBucket.ALG_STRAW -> {
                int[] iw = b.itemWeights();
                int diff = weight - iw[idx];
                iw[idx] = weight;
                return CrushBucket.straw(b.id(), b.type(), b.hash(), b.weight() + diff, items, iw,
                        straws(iw, strawCalcVersion));
            }
            default -> throw new UnsupportedCrushFeatureException("changing an item weight in a "
                    + CrushBucket.algorithmName(b.algorithm()) + " bucket (" + b.id() + ")");
        }
    }

    /**
     * builder.c crush_calc_straw: the straw lengths of a straw (v1) bucket from its item weights
     * (u32), for straw_calc_version 0 (the original, which skips items of equal weight when
     * counting those left) and 1 and later. Items are visited from the lightest up (a stable
     * insertion sort); each straw is the running product, scaled by 2^16 and truncated to u32,
     * and the product grows by (1 / pbelow)^(1 / numleft) at each new weight. The arithmetic is
     * C's: u32 weights, {@code numleft * (w[i] - w[i-1])} in unsigned 32 bits, the rest in double
     * with pow() (here Math.pow; C's and Java's pow agree to within an ulp, and a straw only
     * differs if that ulp crosses an integer after scaling: not observed, see
     * MarkUpInZeroCrushWeightTest).
     */
    static int[] straws(int[] weights, int strawCalcVersion) {
        int size = weights.length;
        int[] straws = new int[size];
        int[] reverse = new int[size];
        if (size > 0) {
            reverse[0] = 0;
        }
        for (int i = 1; i < size; i++) {
            int j;
            for (j = 0; j < i; j++) {
                if (Integer.compareUnsigned(weights[i], weights[reverse[j]]) < 0) {
                    for (int k = i; k > j; k--) {
                        reverse[k] = reverse[k - 1];
                    }
                    reverse[j] = i;
                    break;
                }
            }
            if (j == i) {
                reverse[i] = i;
            }
        }
        int numleft = size;
        double straw = 1.0;
        double wbelow = 0;
        double lastw = 0;
        int i = 0;
        while (i < size) {
            if (weights[reverse[i]] == 0) {
                straws[reverse[i]] = 0;
                i++;
                if (strawCalcVersion >= 1) {
                    numleft--;
                }
                continue;
            }
            straws[reverse[i]] = (int) (long) (straw * 0x10000);
            i++;
            if (i == size) {
                break;
            }
            if (strawCalcVersion == 0) {
                if (weights[reverse[i]] == weights[reverse[i - 1]]) {
                    continue;
                }
                wbelow += (u32(weights[reverse[i - 1]]) - lastw) * numleft;
                for (int j = i; j < size; j++) {
                    if (weights[reverse[j]] == weights[reverse[i]]) {
                        numleft--;
                    } else {
                        break;
                    }
                }
            } else {
                wbelow += (u32(weights[reverse[i - 1]]) - lastw) * numleft;
                numleft--;
            }
            double wnext = u32(numleft * (weights[reverse[i]] - weights[reverse[i - 1]]));
            double pbelow = wbelow / (wbelow + wnext);
            straw *= Math.pow(1.0 / pbelow, 1.0 / numleft);
            lastw = u32(weights[reverse[i - 1]]);
        }
        return straws;
    }

    private static double u32(int v) {
        return Integer.toUnsignedLong(v);
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
