package org.jceph.rbd;

import static org.jceph.rbd.RbdImage.NOSNAP;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdImage.ObjectMapMismatch;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * Which of an image's objects hold data, for {@link RbdImage}: allocation runs (NBD's block
 * status, {@code rbd_diff_iterate}'s holes), answered by the object map when it is valid and by
 * the OSDs object by object otherwise, and the object map checked against the data objects.
 */
final class ImageAllocation {
    private final RbdImage img;

    ImageAllocation(RbdImage img) {
        this.img = img;
    }

    List<ObjectMapMismatch> objectMapCheck() {
        if ((img.features & RbdFeatures.OBJECT_MAP) == 0) {
            throw new RbdException("image " + img.name + " does not have the object-map feature");
        }
        int[] states = ObjectMap.decodeStates(img.md.read(ObjectMap.name(img.id, img.snapId), 0, 0));
        long count = img.layout.isStriped() ? img.objectCount(img.size) : (img.size + img.layout.objectSize() - 1) / img.layout.objectSize();
        List<CompletableFuture<ObjectMapMismatch>> checks = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            final long objectNo = n;
            int st = n < states.length ? states[(int) n] : -1;
            checks.add(img.io.statAsync(img.object(n)).handle((stat, err) -> {
                Throwable c = RadosException.unwrap(err);
                if (c != null && !(c instanceof RadosException.ObjectNotFoundException)) {
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                boolean exists = c == null;
                boolean ok = exists ? st == ObjectMap.EXISTS || st == ObjectMap.EXISTS_CLEAN : st == ObjectMap.NONEXISTENT;
                return ok ? null : new ObjectMapMismatch(objectNo, st, exists);
            }));
        }
        List<ObjectMapMismatch> out = new ArrayList<>();
        for (CompletableFuture<ObjectMapMismatch> f : checks) {
            ObjectMapMismatch m = f.join();
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    CompletableFuture<List<long[]>> allocation(long offset, long length, int maxObjects) {
        img.checkRange(offset, length);
        long os = img.layout.objectSize();
        if (img.layout.isStriped() || length == 0) {
            return CompletableFuture.completedFuture(List.of(new long[] {length, 1}));
        }
        long first = offset / os;
        long last = Math.min((offset + length - 1) / os, first + Math.max(1, maxObjects) - 1);
        int[] states = allocationMap();
        List<CompletableFuture<Boolean>> exists = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            final long obj = n;
            if (states != null && n < states.length) {
                // the object map answers, as librbd's does: only NONEXISTENT is a hole
                exists.add(CompletableFuture.completedFuture(states[(int) n] != ObjectMap.NONEXISTENT || img.parentIo.needsCopyup(obj)));
            } else {
                exists.add(img.io.statAsync(img.object(n)).handle((st, err) -> err == null || img.parentIo.needsCopyup(obj)));
            }
        }
        return CompletableFuture.allOf(exists.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<long[]> runs = new ArrayList<>();
            long pos = offset;
            long end = Math.min(offset + length, (last + 1) * os);
            for (int i = 0; pos < end; i++) {
                long objEnd = Math.min(end, (first + i + 1) * os);
                long state = exists.get(i).join() ? 1 : 0;
                long[] prev = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (prev != null && prev[1] == state) {
                    prev[0] += objEnd - pos;
                } else {
                    runs.add(new long[] {objEnd - pos, state});
                }
                pos = objEnd;
            }
            return runs;
        });
    }

    /**
     * The HEAD object map's states for allocation queries (re-read at most once a second), or
     * null when the image has no valid object map or this handle reads a snapshot.
     */
    private volatile int[] cachedStates;
    private volatile long cachedStatesAt;

    private int[] allocationMap() {
        if ((img.features & RbdFeatures.OBJECT_MAP) == 0 || img.snapId != NOSNAP) {
            return null;
        }
        long now = System.nanoTime();
        int[] c = cachedStates;
        if (c != null && now - cachedStatesAt < 1_000_000_000L) {
            return c;
        }
        try {
            if ((ObjectMap.flags(img.md, img.id) & ObjectMap.FLAG_OBJECT_MAP_INVALID) != 0) {
                return null;
            }
            c = ObjectMap.decodeStates(img.md.exec(ObjectMap.name(img.id), "rbd", "object_map_load", new byte[0]));
        } catch (RuntimeException e) {
            return null; // fall back to asking the OSDs object by object
        }
        cachedStates = c;
        cachedStatesAt = now;
        return c;
    }
}
