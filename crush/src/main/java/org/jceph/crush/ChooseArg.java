package org.jceph.crush;

import java.util.Arrays;

/**
 * Per-bucket choose_args entry (crush.h {@code struct crush_choose_arg}): weight sets, one per
 * position (each a u32 weight per item), and optional replacement ids used as hash inputs.
 * Only straw2 buckets consult them when mapping.
 */
public final class ChooseArg {
    private final int[][] weightSets;
    private final int[] ids;

    public ChooseArg(int[][] weightSets, int[] ids) {
        this.weightSets = new int[weightSets.length][];
        for (int i = 0; i < weightSets.length; i++) {
            this.weightSets[i] = weightSets[i].clone();
        }
        this.ids = ids.clone();
    }

    public int positions() {
        return weightSets.length;
    }

    public int[] weightSet(int position) {
        return weightSets[position].clone();
    }

    public int[] ids() {
        return ids.clone();
    }

    int[][] rawWeightSets() {
        return weightSets;
    }

    int[] rawIds() {
        return ids;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChooseArg c && Arrays.deepEquals(weightSets, c.weightSets) && Arrays.equals(ids, c.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(weightSets) * 31 + Arrays.hashCode(ids);
    }
}
