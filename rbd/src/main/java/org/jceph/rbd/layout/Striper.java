package org.jceph.rbd.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps image byte ranges to object byte ranges, as librbd's Striper does (src/osdc/Striper.cc,
 * {@code file_to_extents}), so our objects hold exactly the bytes librbd's would.
 *
 * <p>For each stripe-unit-sized block of the range: block number b = x / su; stripe number
 * s = b / stripe_count; position in the stripe p = b % stripe_count; object set
 * o = s / (object_size / su); object number = o * stripe_count + p; offset in the object =
 * (s % (object_size / su)) * su + x % su. Consecutive pieces landing contiguously in the same
 * object are merged into one extent.
 */
public final class Striper {
    private Striper() {
    }

    /**
     * Object extents covering image range [offset, offset+length), ordered by first touch.
     *
     * @param layout the image's layout
     * @param offset where the range starts
     * @param length its length
     * @return the object extents
     */
    public static List<ObjectExtent> fileToExtents(StripingLayout layout, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (!layout.isStriped()) {
            // one object after another: no merging to do
            long os = layout.objectSize();
            List<ObjectExtent> out = new ArrayList<>((int) Math.min(16, length / os + 2));
            long cur = offset;
            long end = offset + length;
            while (cur < end) {
                long inObject = cur % os;
                long n = Math.min(end - cur, os - inObject);
                out.add(new ObjectExtent(cur / os, inObject, n, List.of(new long[] {cur - offset, n})));
                cur += n;
            }
            return out;
        }
        long su = layout.stripeUnit();
        long count = layout.stripeCount();
        long stripesPerObject = layout.objectSize() / su;
        Map<Long, List<long[]>> pieces = new LinkedHashMap<>(); // object → [objOff, len, bufOff]
        long cur = offset;
        long left = length;
        while (left > 0) {
            long block = cur / su;
            long stripe = block / count;
            long position = block % count;
            long objectSet = stripe / stripesPerObject;
            long object = objectSet * count + position;
            long inBlock = cur % su;
            long objectOffset = (stripe % stripesPerObject) * su + inBlock;
            long n = Math.min(left, su - inBlock);
            List<long[]> list = pieces.computeIfAbsent(object, k -> new ArrayList<>());
            long[] last = list.isEmpty() ? null : list.get(list.size() - 1);
            if (last != null && last[0] + last[1] == objectOffset && last[2] + last[1] == cur - offset) {
                last[1] += n;
            } else {
                list.add(new long[] {objectOffset, n, cur - offset});
            }
            cur += n;
            left -= n;
        }
        List<ObjectExtent> out = new ArrayList<>();
        for (Map.Entry<Long, List<long[]>> e : pieces.entrySet()) {
            // One extent per contiguous object range; buffer pieces keep their request offsets.
            List<long[]> runs = e.getValue();
            int i = 0;
            while (i < runs.size()) {
                long start = runs.get(i)[0];
                long end = start + runs.get(i)[1];
                List<long[]> buffers = new ArrayList<>();
                buffers.add(new long[] {runs.get(i)[2], runs.get(i)[1]});
                int j = i + 1;
                while (j < runs.size() && runs.get(j)[0] == end) {
                    end += runs.get(j)[1];
                    buffers.add(new long[] {runs.get(j)[2], runs.get(j)[1]});
                    j++;
                }
                out.add(new ObjectExtent(e.getKey(), start, end - start, List.copyOf(buffers)));
                i = j;
            }
        }
        return out;
    }

    /**
     * Format 2 data object name: {@code rbd_data.<image id>.<object number, 16 hex digits>}.
     *
     * @param imageId the image's id
     * @param objectNumber the object's number
     * @return the object's name
     */
    public static String format2DataObject(String imageId, long objectNumber) {
        return String.format("rbd_data.%s.%016x", imageId, objectNumber);
    }

    /**
     * Format 1 data object name: {@code <block name>.<object number, 12 hex digits>}.
     *
     * @param blockName the header's block name
     * @param objectNumber the object's number
     * @return the object's name
     */
    public static String format1DataObject(String blockName, long objectNumber) {
        return String.format("%s.%012x", blockName, objectNumber);
    }
}
