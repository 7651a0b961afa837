package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * bucket_tree_choose on a tree bucket that weighs 0 walks right to the last leaf slot, which lies
 * past the items when the size is not a power of two (mapper.c reads out of bounds there). We
 * return 0, as crushtool does for the sizes where that read is well-defined in practice (see
 * CrushMapper.treeChoose); we never throw.
 */
class TreeBucketPastLastItemTest {
    /** The node weights crush_make_tree_bucket computes: leaves at odd nodes, parents sum children. */
    static int[] nodeWeights(int[] weights) {
        int depth = 1;
        for (int t = weights.length - 1; t > 0; t >>= 1) {
            depth++;
        }
        int[] nw = new int[1 << depth];
        for (int i = 0; i < weights.length; i++) {
            int node = 2 * i + 1;
            nw[node] = weights[i];
            for (int h = 1; h < depth; h++) {
                int hgt = Integer.numberOfTrailingZeros(node);
                node = ((node >> (hgt + 1)) & 1) != 0 ? node - (1 << hgt) : node + (1 << hgt); // parent
                nw[node] += weights[i];
            }
        }
        return nw;
    }

    @Property(tries = 200)
    void zeroWeightTreeOfAnySizeChoosesItemZeroOrAnItem(@ForAll @IntRange(min = 1, max = 64) int size,
            @ForAll int x, @ForAll @IntRange(min = 0, max = 50) int r) {
        int[] items = new int[size];
        for (int i = 0; i < size; i++) {
            items[i] = 1000 + i;
        }
        CrushBucket b = CrushBucket.tree(-1, 1, 0, 0, items, nodeWeights(new int[size]));
        int chosen = CrushMapper.treeChoose(b, x, r);
        boolean pow2 = Integer.bitCount(size) == 1;
        assertEquals(pow2 ? items[size - 1] : 0, chosen, "size " + size);
    }
}
