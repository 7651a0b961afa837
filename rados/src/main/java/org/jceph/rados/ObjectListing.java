package org.jceph.rados;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.rados.IoCtx.ListedObject;
import org.jceph.rados.IoCtx.ObjectPage;
import org.jceph.rados.internal.OsdOp;

/**
 * The listing half of {@link IoCtx}: PGNLS pages between {@link ObjectCursor}s, the slicing of
 * the hash space for parallel workers, and the list and stream forms built on the pages.
 */
record ObjectListing(IoCtx io) {

    List<ListedObject> listObjects(String ns) {
        Args.notNull(ns, "ns");
        List<ListedObject> out = new java.util.ArrayList<>();
        io.objects(ns).forEach(out::add);
        return out;
    }

    CompletableFuture<List<ListedObject>> listObjectsAsync(String ns) {
        Args.notNull(ns, "ns");
        io.checkOpen();
        List<ListedObject> out = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        return collect(ns, ObjectCursor.BEGIN, ObjectCursor.END, out).thenApply(v -> List.copyOf(out));
    }

    private CompletableFuture<Void> collect(String ns, ObjectCursor from, ObjectCursor end, List<ListedObject> out) {
        return listObjectsPageAsync(ns, from, end, DEFAULT_PAGE).thenCompose(page -> {
            out.addAll(page.objects());
            return page.done() ? CompletableFuture.completedFuture(null) : collect(ns, page.next(), end, out);
        });
    }

    /** How many entries a page of the iterators asks for (librados' rados ls asks 1024 too). */
    private static final int DEFAULT_PAGE = 1024;

    List<ObjectCursor.Range> objectListSlice(ObjectCursor start, ObjectCursor end, int parts) {
        Args.notNull(start, "start");
        Args.notNull(end, "end");
        if (parts <= 0) {
            throw new IllegalArgumentException("parts must be positive: " + parts);
        }
        new ObjectCursor.Range(start, end); // start <= end
        long from = start == ObjectCursor.BEGIN ? 0 : start.reversedHash();
        long to = end.reversedHash();
        if (start.isEnd()) {
            return java.util.Collections.nCopies(parts, new ObjectCursor.Range(ObjectCursor.END, ObjectCursor.END));
        }
        long span = to - from;
        List<ObjectCursor.Range> out = new java.util.ArrayList<>(parts);
        ObjectCursor prev = start;
        for (int i = 0; i < parts; i++) {
            ObjectCursor next = i == parts - 1 ? end
                    : ObjectCursor.atReversedHash(io.poolId, from + java.math.BigInteger.valueOf(span)
                            .multiply(java.math.BigInteger.valueOf(i + 1L)).divide(java.math.BigInteger.valueOf(parts)).longValueExact());
            if (next.compareTo(prev) < 0) {
                next = prev; // a slice boundary inside start's hash: an empty range, never a backwards one
            }
            if (i < parts - 1 && next.compareTo(end) > 0) {
                next = end;
            }
            out.add(new ObjectCursor.Range(prev, next));
            prev = next;
        }
        return List.copyOf(out);
    }

    CompletableFuture<ObjectPage> listObjectsPageAsync(String ns, ObjectCursor start, ObjectCursor end, int maxEntries) {
        Args.notNull(ns, "ns");
        new ObjectCursor.Range(start, end);
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        io.checkOpen();
        if (start.isEnd() || start.compareTo(end) >= 0) {
            return CompletableFuture.completedFuture(new ObjectPage(List.of(), end, true));
        }
        org.jceph.osdmap.OsdMap map = io.client.osdMap();
        org.jceph.osdmap.PgPool pool = map.pool(io.poolId);
        if (pool == null) {
            throw new RadosException.PoolNotFoundException("pool '" + io.poolName + "'");
        }
        long ps = org.jceph.osdmap.Placement.stableMod(start.position().hash(), pool.pgNum(), pool.pgNumMask());
        return io.client.submitToPg(io.poolId, ns, ps, List.of(OsdOp.pgnls(maxEntries, map.epoch(), start.encoded()))).thenApply(r -> {
            if (r.result() < 0) {
                throw RadosException.of(r.result(), "listing pg " + io.poolId + "." + Long.toHexString(ps) + " of pool '" + io.poolName + "'");
            }
            CephDecoder d = CephDecoder.of(r.outputs().get(0), "pg_nls_response_t");
            CephDecoder.Envelope env = d.beginStruct("pg_nls_response_t", 1);
            ObjectCursor handle = new ObjectCursor(org.jceph.encoding.types.HObject.decode(d));
            int n = d.readCountLe("entries", 12);
            List<ListedObject> objects = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ListedObject o = new ListedObject(d.readString(), d.readString(), d.readString());
                if (!end.isEnd()) {
                    String key = o.locator().isEmpty() ? o.oid() : o.locator();
                    long hash = Integer.toUnsignedLong(org.jceph.osdmap.Placement.hashKey(pool, key, o.namespace()));
                    if (ObjectCursor.ofObject(io.poolId, hash, o.namespace(), o.locator(), o.oid()).compareTo(end) >= 0) {
                        continue; // past the range's end: the next range's worker lists it
                    }
                }
                objects.add(o);
            }
            d.endStruct(env);
            boolean done = handle.isEnd() || handle.compareTo(end) >= 0;
            return new ObjectPage(List.copyOf(objects), done ? end : handle, done);
        });
    }

    java.util.stream.Stream<ListedObject> objects(String ns, ObjectCursor.Range range) {
        Args.notNull(ns, "ns");
        Args.notNull(range, "range");
        io.checkOpen();
        java.util.Iterator<ListedObject> it = new java.util.Iterator<>() {
            private java.util.Iterator<ListedObject> page = java.util.Collections.emptyIterator();
            private ObjectCursor next = range.start();
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !done) {
                    ObjectPage p = io.listObjectsPage(ns, next, range.end(), DEFAULT_PAGE);
                    page = p.objects().iterator();
                    next = p.next();
                    done = p.done();
                }
                return page.hasNext();
            }

            @Override
            public ListedObject next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("no more objects");
                }
                return page.next();
            }
        };
        return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(it,
                java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false);
    }
}
