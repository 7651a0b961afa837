package org.jceph.rbd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code rbd du} as the rbd tool computes it: for each snapshot (oldest first) and then HEAD, the
 * bytes that changed since the previous snapshot, summed from {@link ImageDiff} (whole objects,
 * or extent-precise with {@code exact}), without the parent's data. With fast-diff the object
 * maps answer; without it, the OSDs' snap sets do, object by object, as librbd's DiffIterate
 * does. Striped images are measured through their layout, as librbd does.
 */
public final class DiskUsage {
    private DiskUsage() {
    }

    /** One line of rbd du: a snapshot (name and id) or HEAD (null name), its size and used bytes. */
    public record Usage(String image, String imageId, String snapshot, long snapshotId, long provisioned, long used) {
    }

    static List<Usage> of(RbdImage img) {
        return of(img, null, null, false);
    }

    /**
     * The rows {@code rbd du} prints for one image: with {@code fromSnap}, only the snapshots after
     * it (and HEAD); with {@code toSnap}, the snapshots up to and including it and no HEAD.
     *
     * @throws RbdException.NoSuchKeyException when a named snapshot does not exist
     * @throws RbdException when {@code fromSnap} is not older than {@code toSnap}
     */
    static List<Usage> of(RbdImage img, String fromSnap, String toSnap, boolean exact) {
        List<RbdImage.Snapshot> snaps = new ArrayList<>(img.userSnapshots()); // as rbd du: user snapshots only
        snaps.sort(Comparator.comparing(RbdImage.Snapshot::id, Long::compareUnsigned));
        RbdImage.Snapshot from = find(snaps, fromSnap);
        RbdImage.Snapshot to = find(snaps, toSnap);
        if ((fromSnap != null && from == null) || (toSnap != null && to == null)) {
            throw new RbdException.NoSuchKeyException("specified snapshot is not found.");
        }
        List<Usage> out = new ArrayList<>();
        if (from != null && to != null) {
            if (from.id() == to.id()) {
                return out; // nothing between a snapshot and itself
            }
            if (Long.compareUnsigned(from.id(), to.id()) > 0) {
                throw new RbdException("snapshot " + fromSnap + " is newer than " + toSnap);
            }
        }
        boolean counting = fromSnap == null;
        String previous = null;
        for (RbdImage.Snapshot s : snaps) {
            if (counting) {
                try (RbdImage at = img.atSnapshot(s.name())) {
                    out.add(new Usage(img.name(), img.id(), s.name(), s.id(), s.size(), used(at.diffOwn(previous, !exact))));
                }
            } else if (s.name().equals(fromSnap)) {
                counting = true;
            }
            if (s.name().equals(toSnap)) {
                return out;
            }
            previous = s.name();
        }
        out.add(new Usage(img.name(), img.id(), null, 0, img.size(), used(img.diffOwn(previous, !exact))));
        return out;
    }

    /**
     * {@link #of(RbdImage, String, String, boolean)} for a format 1 image (its id is empty, as
     * the rbd tool prints it; usage always from the OSDs' snap sets).
     *
     * @param io the image's pool
     * @param img the open image
     * @param fromSnap count only the snapshots after this one (null: all)
     * @param toSnap stop at this snapshot (null: all, then HEAD)
     * @param exact sum changed extents rather than whole objects
     * @return one entry per snapshot counted (and HEAD)
     */
    public static List<Usage> ofFormat1(org.jceph.rados.IoCtx io, org.jceph.rbd.format1.Format1Image img, String fromSnap,
                                        String toSnap, boolean exact) {
        List<org.jceph.rbd.format1.Format1Header.Snap> snaps = new ArrayList<>(img.snapshots());
        snaps.sort(Comparator.comparing(org.jceph.rbd.format1.Format1Header.Snap::id, Long::compareUnsigned));
        var from = snaps.stream().filter(s -> s.name().equals(fromSnap)).findFirst().orElse(null);
        var to = snaps.stream().filter(s -> s.name().equals(toSnap)).findFirst().orElse(null);
        if ((fromSnap != null && from == null) || (toSnap != null && to == null)) {
            throw new RbdException.NoSuchKeyException("specified snapshot is not found.");
        }
        if (from != null && to != null && Long.compareUnsigned(from.id(), to.id()) > 0) {
            throw new RbdException("snapshot " + fromSnap + " is newer than " + toSnap);
        }
        List<Usage> out = new ArrayList<>();
        if (from != null && to != null && from.id() == to.id()) {
            return out;
        }
        boolean counting = fromSnap == null;
        long previous = 0;
        for (var s : snaps) {
            if (counting) {
                out.add(new Usage(img.name(), "", s.name(), s.id(), s.imageSize(),
                        used(ImageDiff.ofFormat1(img, io, s.imageSize(), previous, s.id(), !exact))));
            } else if (s.name().equals(fromSnap)) {
                counting = true;
            }
            if (s.name().equals(toSnap)) {
                return out;
            }
            previous = s.id();
        }
        out.add(new Usage(img.name(), "", null, 0, img.size(),
                used(ImageDiff.ofFormat1(img, io, img.size(), previous, org.jceph.rados.IoCtx.CloneInfo.HEAD, !exact))));
        return out;
    }

    private static RbdImage.Snapshot find(List<RbdImage.Snapshot> snaps, String name) {
        return name == null ? null : snaps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private static long used(List<ImageDiff.Extent> extents) {
        long used = 0;
        for (ImageDiff.Extent x : extents) {
            if (x.exists()) {
                used += x.length();
            }
        }
        return used;
    }
}
