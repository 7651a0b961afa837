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
 *   <li>From a snapshot, extent-precise (or without fast-diff): the OSD's snap sets, object by
 *       object (list_snaps), as librbd's DiffIterate does.</li>
 * </ul>
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
        List<RbdImage.Snapshot> snaps = img.snapshots();
        RbdImage.Snapshot from = snaps.stream().filter(s -> s.name().equals(fromSnap)).findFirst()
                .orElseThrow(() -> new RbdException("image " + img.name() + " has no snapshot " + fromSnap));
        if (!wholeObject || !fastDiff) {
            return fromSnapSets(img, data, from, endSnapId, wholeObject);
        }
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

    /**
     * Extent-precise diff from snapshot {@code from} to {@code endSnapId} (null: HEAD), object by
     * object from the OSD's snap sets (list_snaps), as librbd does without fast-diff: the bytes
     * that differ between the two points, data where the object exists at the end (within its
     * size there), zero elsewhere.
     */
    private static List<Extent> fromSnapSets(RbdImage img, IoCtx data, RbdImage.Snapshot from, Long endSnapId,
                                             boolean wholeObject) {
        long os = 1L << img.order();
        long endSize = img.size();
        long span = Math.max(endSize, from.size());
        long count = (span + os - 1) / os;
        long end = endSnapId == null ? IoCtx.CloneInfo.HEAD : endSnapId;
        List<Extent> out = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            IoCtx.SnapSet ss = data.listSnaps(String.format("%s.%016x", img.objectPrefix(), n));
            if (ss == null) {
                continue; // never existed at either end
            }
            ObjectDiff d = snapSetDiff(ss, from.id(), end);
            long base = n * os;
            long objEnd = Math.min(os, Math.max(0, endSize - base)); // the object's span in the end image
            if (d.whole || wholeObject) {
                if (d.whole || !d.diff.isEmpty()) {
                    long len = Math.min(os, span - base);
                    out.add(new Extent(base, len, d.endExists && objEnd > 0));
                }
                continue;
            }
            for (long[] z : d.diff) {
                long a = z[0];
                long b = z[1];
                if (d.endExists && a < d.endSize) {
                    long m = Math.min(b, d.endSize);
                    add(out, base, a, m, true, objEnd, os, span);
                    a = m;
                }
                if (a < b) {
                    add(out, base, a, b, false, objEnd, os, span);
                }
            }
        }
        return out;
    }

    private static void add(List<Extent> out, long base, long a, long b, boolean exists, long objEnd, long os, long span) {
        long limit = Math.min(os, span - base); // never past the larger of the two image sizes
        b = Math.min(b, limit);
        if (a >= b) {
            return;
        }
        out.add(new Extent(base + a, b - a, exists && a < objEnd));
    }

    /** What changed in one object between two snapshot points. */
    record ObjectDiff(List<long[]> diff, long endSize, boolean endExists, boolean whole) {
    }

    /**
     * The byte ranges of one object that differ between snapshot {@code start} and point
     * {@code end} (a later snap id, or HEAD), from its snap set: the clones are walked oldest
     * first; each one's span [first snap, last snap] (the head's: after the snap set's seq) is
     * matched against the two points, and between consecutive clones everything outside their
     * recorded overlap counts as changed. Snap ids compare unsigned (HEAD is the largest).
     */
    static ObjectDiff snapSetDiff(IoCtx.SnapSet ss, long start, long end) {
        Ranges diff = new Ranges();
        long endSize = 0;
        boolean endExists = false;
        boolean sawStart = false;
        boolean reachedEnd = false;
        long startSize = 0;
        List<IoCtx.CloneInfo> clones = ss.clones();
        for (int i = 0; i < clones.size(); ) {
            IoCtx.CloneInfo r = clones.get(i);
            long first;
            long last;
            if (r.cloneId() == IoCtx.CloneInfo.HEAD) {
                first = ss.seq() + 1;
                last = IoCtx.CloneInfo.HEAD;
            } else if (r.snaps().isEmpty()) {
                return new ObjectDiff(List.of(), 0, true, true); // trimmed snaps: only "all of it" is safe
            } else {
                first = r.snaps().get(0);
                last = r.snaps().get(r.snaps().size() - 1);
            }
            if (Long.compareUnsigned(last, start) < 0) {
                i++;
                continue; // entirely before the start point
            }
            if (!sawStart) {
                if (Long.compareUnsigned(start, first) < 0) {
                    // the object did not exist at the start point: all of it is new
                    if (r.size() > 0) {
                        diff.add(0, r.size());
                    }
                    startSize = 0;
                } else {
                    startSize = r.size();
                }
                sawStart = true;
            }
            endSize = r.size();
            if (Long.compareUnsigned(end, first) < 0) {
                // gone by the end point: what existed at the start is the difference
                endExists = false;
                reachedEnd = true;
                diff = new Ranges();
                if (startSize > 0) {
                    diff.add(0, startSize);
                }
                break;
            }
            if (Long.compareUnsigned(end, last) <= 0) {
                endExists = true;
                reachedEnd = true;
                break;
            }
            long max = r.size();
            List<long[]> overlap = r.overlap();
            i++;
            if (i < clones.size()) {
                max = Math.max(max, clones.get(i).size());
            }
            Ranges toNext = new Ranges();
            if (max > 0) {
                toNext.add(0, max);
            }
            for (long[] o : overlap) {
                toNext.remove(o[0], o[0] + o[1]);
            }
            diff.addAll(toNext);
        }
        if (!reachedEnd) {
            // no clone (and no head) covers the end point: the object is gone there, so what it
            // held at the start is the whole difference (nothing, if it did not exist then either)
            diff = new Ranges();
            if (startSize > 0) {
                diff.add(0, startSize);
            }
            endExists = false;
        }
        return new ObjectDiff(diff.list(), endSize, endExists, false);
    }

    /** A small set of disjoint, sorted half-open byte ranges. */
    static final class Ranges implements Iterable<long[]> {
        private final java.util.TreeMap<Long, Long> r = new java.util.TreeMap<>();

        void add(long a, long b) {
            if (a >= b) {
                return;
            }
            var lo = r.floorEntry(a);
            if (lo != null && lo.getValue() >= a) {
                a = lo.getKey();
                b = Math.max(b, lo.getValue());
            }
            var it = r.subMap(a, true, b, true).entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                b = Math.max(b, e.getValue());
                it.remove();
            }
            r.put(a, b);
        }

        void remove(long a, long b) {
            if (a >= b) {
                return;
            }
            List<long[]> keep = new ArrayList<>();
            var it = r.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                long s = e.getKey();
                long t = e.getValue();
                if (t <= a || s >= b) {
                    continue;
                }
                it.remove();
                if (s < a) {
                    keep.add(new long[] {s, a});
                }
                if (t > b) {
                    keep.add(new long[] {b, t});
                }
            }
            for (long[] k : keep) {
                r.put(k[0], k[1]);
            }
        }

        void addAll(Ranges o) {
            for (long[] x : o) {
                add(x[0], x[1]);
            }
        }

        boolean isEmpty() {
            return r.isEmpty();
        }

        List<long[]> list() {
            List<long[]> l = new ArrayList<>();
            r.forEach((a, b) -> l.add(new long[] {a, b}));
            return l;
        }

        @Override
        public java.util.Iterator<long[]> iterator() {
            return list().iterator();
        }
    }

    private static String mapName(RbdImage img, Long snapId) {
        return snapId == null ? ObjectMap.name(img.id()) : ObjectMap.name(img.id(), snapId);
    }
}
