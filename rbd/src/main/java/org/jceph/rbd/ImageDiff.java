package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import org.jceph.rados.IoCtx;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * {@code rbd diff}: the extents that changed between a snapshot (or the beginning) and HEAD
 * (or a later snapshot), as librbd's DiffIterate reports them.
 *
 * <ul>
 *   <li>From the beginning: every data object that exists, as far as the object reaches
 *       (whole objects with {@code wholeObject}).</li>
 *   <li>From a snapshot, whole objects, from the fast-diff maps: an object changed when any map
 *       after the start marks it EXISTS (written in that interval) or when it exists at one end
 *       only; it is data when it exists at the end, a zeroed extent otherwise.</li>
 * </ul>
 * Extent-precise diffs between snapshots need the OSD's list-snaps and are refused.
 */
public final class ImageDiff {
    private ImageDiff() {
    }

    /** One changed extent: data (exists) or zeroed. */
    public record Extent(long offset, long length, boolean exists) {
    }

    static List<Extent> of(RbdImage img, IoCtx md, IoCtx data, Long endSnapId, String fromSnap, boolean wholeObject) {
        if (img.layout().isStriped()) {
            throw new RbdException("diff of striped images is not supported by jceph");
        }
        long os = 1L << img.order();
        long size = img.size();
        long count = (size + os - 1) / os;
        List<Extent> out = new ArrayList<>();
        boolean fastDiff = (img.features() & RbdFeatures.FAST_DIFF) != 0
                && (ObjectMap.flags(md, img.id()) & (ObjectMap.FLAG_OBJECT_MAP_INVALID | ObjectMap.FLAG_FAST_DIFF_INVALID)) == 0;
        if (fromSnap == null) {
            int[] states = fastDiff && wholeObject ? ObjectMap.decodeStates(md.read(mapName(img, endSnapId), 0, 0)) : null;
            for (long n = 0; n < count; n++) {
                long span = Math.min(os, size - n * os);
                if (states != null) {
                    if (n < states.length && states[(int) n] != ObjectMap.NONEXISTENT) {
                        out.add(new Extent(n * os, span, true));
                    }
                    continue;
                }
                IoCtx.ObjectStat st = data.statOrNull(String.format("%s.%016x", img.objectPrefix(), n));
                if (st != null && st.size() > 0) {
                    out.add(new Extent(n * os, wholeObject ? span : Math.min(st.size(), span), true));
                }
            }
            return out;
        }
        if (!wholeObject || !fastDiff) {
            throw new RbdException("jceph diffs from a snapshot with --whole-object on images with a valid fast-diff map"
                    + " only (extent-precise diffs need the OSD's list-snaps)");
        }
        List<RbdImage.Snapshot> snaps = img.snapshots();
        RbdImage.Snapshot from = snaps.stream().filter(s -> s.name().equals(fromSnap)).findFirst()
                .orElseThrow(() -> new RbdException("image " + img.name() + " has no snapshot " + fromSnap));
        int[] start = ObjectMap.decodeStates(md.read(ObjectMap.name(img.id(), from.id()), 0, 0));
        List<int[]> after = new ArrayList<>();
        for (RbdImage.Snapshot s : snaps) {
            if (Long.compareUnsigned(s.id(), from.id()) > 0 && (endSnapId == null || Long.compareUnsigned(s.id(), endSnapId) < 0)) {
                after.add(ObjectMap.decodeStates(md.read(ObjectMap.name(img.id(), s.id()), 0, 0)));
            }
        }
        int[] end = ObjectMap.decodeStates(md.read(mapName(img, endSnapId), 0, 0));
        after.add(end);
        for (int n = 0; n < count; n++) {
            boolean existedAtStart = n < start.length && start[n] != ObjectMap.NONEXISTENT;
            boolean existsAtEnd = n < end.length && end[n] != ObjectMap.NONEXISTENT;
            boolean written = false;
            boolean seen = existedAtStart;
            for (int[] m : after) {
                int st = n < m.length ? m[n] : ObjectMap.NONEXISTENT;
                written |= st == ObjectMap.EXISTS || st == ObjectMap.PENDING;
                seen |= st != ObjectMap.NONEXISTENT;
            }
            boolean changed = written || existedAtStart != existsAtEnd;
            if (changed && (existsAtEnd || seen)) {
                out.add(new Extent((long) n * os, Math.min(os, size - (long) n * os), existsAtEnd));
            }
        }
        return out;
    }

    private static String mapName(RbdImage img, Long snapId) {
        return snapId == null ? ObjectMap.name(img.id()) : ObjectMap.name(img.id(), snapId);
    }
}
