package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import org.jceph.rados.IoCtx;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * {@code rbd du} as librbd computes it with fast-diff: for each snapshot (oldest first) and for
 * HEAD, the bytes of the objects written since the previous snapshot, from the object maps
 * (EXISTS, or EXISTS_CLEAN where the previous map had nothing), each object counted up to the
 * image's size at that point. Without fast-diff only HEAD of an image without snapshots is
 * measured, by looking at every data object.
 */
public final class DiskUsage {
    private DiskUsage() {
    }

    /** One line of rbd du: a snapshot (name and id) or HEAD (null name), its size and used bytes. */
    public record Usage(String image, String imageId, String snapshot, long snapshotId, long provisioned, long used) {
    }

    static List<Usage> of(RbdImage img, IoCtx md, IoCtx data) {
        if (img.layout().isStriped()) {
            throw new RbdException("du of striped images (stripe count " + img.layout().stripeCount()
                    + ") is not supported by jceph");
        }
        List<RbdImage.Snapshot> snaps = img.snapshots();
        List<Usage> out = new ArrayList<>();
        long os = 1L << img.order();
        boolean fastDiff = (img.features() & RbdFeatures.FAST_DIFF) != 0
                && (ObjectMap.flags(md, img.id()) & (ObjectMap.FLAG_OBJECT_MAP_INVALID | ObjectMap.FLAG_FAST_DIFF_INVALID)) == 0;
        if (!fastDiff) {
            if (!snaps.isEmpty()) {
                throw new RbdException("image " + img.name() + " has snapshots but no valid fast-diff map: jceph measures"
                        + " snapshots from the object maps only");
            }
            long used = 0;
            for (long n = 0; n * os < img.size(); n++) {
                if (data.statOrNull(String.format("%s.%016x", img.objectPrefix(), n)) != null) {
                    used += Math.min(os, img.size() - n * os);
                }
            }
            out.add(new Usage(img.name(), img.id(), null, 0, img.size(), used));
            return out;
        }
        int[] prev = null;
        for (RbdImage.Snapshot s : snaps) {
            int[] states = ObjectMap.decodeStates(md.read(ObjectMap.name(img.id(), s.id()), 0, 0));
            out.add(new Usage(img.name(), img.id(), s.name(), s.id(), s.size(), used(states, prev, os, s.size())));
            prev = states;
        }
        int[] head = ObjectMap.decodeStates(md.read(ObjectMap.name(img.id()), 0, 0));
        out.add(new Usage(img.name(), img.id(), null, 0, img.size(), used(head, prev, os, img.size())));
        return out;
    }

    private static long used(int[] states, int[] prev, long os, long size) {
        long used = 0;
        for (int i = 0; i < states.length && (long) i * os < size; i++) {
            int st = states[i];
            boolean changed = st == ObjectMap.EXISTS || st == ObjectMap.PENDING
                    || (st == ObjectMap.EXISTS_CLEAN && (prev == null || i >= prev.length || prev[i] == ObjectMap.NONEXISTENT));
            if (changed) {
                used += Math.min(os, size - (long) i * os);
            }
        }
        return used;
    }
}
