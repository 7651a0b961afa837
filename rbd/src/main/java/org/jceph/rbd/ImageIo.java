package org.jceph.rbd;

import static org.jceph.rbd.RbdImage.ignoreMissing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.ExclusiveLock;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * An image's object requests below the client cache: reads mapped onto data objects (absent
 * objects read as zeros, or through to a clone's parent), writes and discards under the
 * exclusive lock's permit and the write gate, the object map marked before the data I/O, and
 * the copy-up of a clone's objects done by {@link ParentIo}. Writesame and compare-and-write
 * ({@link ImageWriteOps}) run their per-object steps through {@link #objectStep}.
 */
final class ImageIo {
    private final RbdImage img;

    ImageIo(RbdImage img) {
        this.img = img;
    }

    /**
     * Runs {@code step} on data object {@code n} as a write does: under the exclusive lock and
     * the write gate, the object map marked first, a clone's parent data copied up in the same
     * operation (for {@link ImageWriteOps}).
     */
    CompletableFuture<Void> objectStep(long n, boolean readsData, java.util.function.Consumer<IoCtx.Operation> step) {
        img.checkWritable();
        return img.permit().thenCompose(p -> guarded(p, () -> gated(() -> refusedOr(n, () -> img.withMapUpdate(
                img.mapActive() && img.mapState(n) != ObjectMap.EXISTS, () -> img.markExists(n), () -> !img.parentIo.needsCopyup(n)
                        ? img.io.operateAsync(img.object(n), stepOf(step)).thenApply(r -> null)
                        : img.parentIo.copyupGuarded(n, step, readsData))))));
    }

    /** MIGRATION-HOOK: a write's refused deep copy-up fails before the object map is marked. */
    private CompletableFuture<Void> refusedOr(long n, java.util.function.Supplier<CompletableFuture<Void>> write) {
        RbdException refused = img.parentIo.refusalBeforeMapUpdate(n);
        return refused != null ? CompletableFuture.failedFuture(refused) : write.get();
    }

    static IoCtx.Operation stepOf(java.util.function.Consumer<IoCtx.Operation> step) {
        IoCtx.Operation op = new IoCtx.Operation();
        step.accept(op);
        return op;
    }

    CompletableFuture<byte[]> readUncached(long offset, int length) {
        List<ObjectExtent> extents = Striper.fileToExtents(img.layout, offset, length);
        if (extents.size() == 1 && img.parent == null && extents.get(0).bufferExtents().size() == 1) {
            // one object, one piece, no parent: the object's bytes are the answer, no second copy
            ObjectExtent x = extents.get(0);
            return img.io.readAsync(img.object(x.objectNumber()), x.offset(), length).handle((data, err) -> {
                if (err != null) {
                    Throwable c = RadosException.unwrap(err);
                    if (c instanceof RadosException.ObjectNotFoundException) {
                        return new byte[length]; // never written: zeros
                    }
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                return data.length == length ? data : java.util.Arrays.copyOf(data, length); // short object: zeros after
            });
        }
        byte[] out = new byte[length];
        if (img.parent == null) {
            // each object's bytes land in out straight from the reply: one copy, no array per object
            return readUncached(offset, java.nio.ByteBuffer.wrap(out)).thenApply(v -> out);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : extents) {
            parts.add(img.io.readAsync(img.object(x.objectNumber()), x.offset(), (int) x.length()).handle((data, err) -> {
                if (err != null) {
                    Throwable c = RadosException.unwrap(err);
                    if (c instanceof RadosException.ObjectNotFoundException) {
                        return img.parentIo.readFromParent(offset, x, out); // never written: the parent's bytes, or zeros
                    }
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                int at = 0;
                for (long[] b : x.bufferExtents()) {
                    if (at >= data.length) {
                        break; // the object ends here: the rest of the extent reads as zeros
                    }
                    int n = (int) Math.min(b[1], data.length - at);
                    System.arraycopy(data, at, out, (int) b[0], n);
                    at += (int) b[1];
                }
                return null;
            }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
        if (img.parent == null) {
            return all.thenApply(v -> out); // no clone: no read-through bookkeeping on the read path
        }
        return all.thenCompose(v -> CompletableFuture.allOf(img.parentIo.parentReads(out))).thenApply(v -> out);
    }

    /**
     * The range as the objects' replies hand it over (no copy), or null when it cannot be served
     * from them alone: a clone or migration target (the parent's bytes), or striping that puts
     * several pieces of the range into one object. Absent objects and the part past a short
     * object are zeros. Each object is one {@link IoCtx#readViewAsync}; when any fails (other than
     * ENOENT) the views the others returned are closed, and cancelling the result cancels them
     * all (a view that still arrives is closed).
     */
    CompletableFuture<org.jceph.rados.ReadView> readView(long offset, int length) {
        if (img.parent != null) {
            return null;
        }
        List<ObjectExtent> extents = new ArrayList<>(Striper.fileToExtents(img.layout, offset, length));
        for (ObjectExtent x : extents) {
            if (x.bufferExtents().size() != 1) {
                return null;
            }
        }
        extents.sort(java.util.Comparator.comparingLong(x -> x.bufferExtents().get(0)[0]));
        long expect = 0;
        for (ObjectExtent x : extents) {
            long[] b = x.bufferExtents().get(0);
            if (b[0] != expect || b[1] != x.length()) {
                return null; // not one contiguous run per object, in order
            }
            expect += b[1];
        }
        if (expect != length) {
            return null;
        }
        int n = extents.size();
        @SuppressWarnings("unchecked")
        CompletableFuture<org.jceph.rados.ReadView>[] raw = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            ObjectExtent x = extents.get(i);
            try {
                raw[i] = img.io.readViewAsync(img.object(x.objectNumber()), x.offset(), (int) x.length());
            } catch (RuntimeException e) {
                raw[i] = CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<org.jceph.rados.ReadView> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean mine = super.cancel(mayInterruptIfRunning);
                for (CompletableFuture<org.jceph.rados.ReadView> f : raw) {
                    f.cancel(mayInterruptIfRunning); // each closes a view that arrives later itself
                }
                return mine;
            }
        };
        CompletableFuture.allOf(raw).whenComplete((v, allErr) -> {
            List<org.jceph.rados.ReadView> parts = new ArrayList<>(n + 1);
            Throwable failure = null;
            for (int i = 0; i < n; i++) {
                int len = (int) extents.get(i).length();
                try {
                    org.jceph.rados.ReadView got = raw[i].join();
                    parts.add(got);
                    int have = got.length();
                    if (have < len) {
                        parts.add(org.jceph.rados.ReadView.zeros(len - have)); // past a short object
                    }
                } catch (java.util.concurrent.CancellationException | CompletionException e) {
                    Throwable c = RadosException.unwrap(e);
                    if (c instanceof RadosException.ObjectNotFoundException) {
                        parts.add(org.jceph.rados.ReadView.zeros(len)); // never written
                    } else if (failure == null) {
                        failure = c;
                    }
                }
            }
            if (failure != null) {
                parts.forEach(org.jceph.rados.ReadView::close);
                result.completeExceptionally(failure);
                return;
            }
            org.jceph.rados.ReadView all;
            try {
                all = parts.size() == 1 ? parts.get(0) : org.jceph.rados.ReadView.concat(parts);
            } catch (RuntimeException e) {
                parts.forEach(org.jceph.rados.ReadView::close);
                result.completeExceptionally(e);
                return;
            }
            if (!result.complete(all)) {
                all.close(); // the caller gave up first
            }
        });
        return result;
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} from its position
     * (neither position nor limit is moved). Without a parent, each object's piece is read
     * straight into a view of {@code dst} (one copy, from the received message); only holes and
     * the part past a short object are zero-filled. A clone reads through the array path (the
     * parent's bytes are laid over it) and is copied in once.
     */
    CompletableFuture<Void> readUncached(long offset, java.nio.ByteBuffer dst) {
        int length = dst.remaining();
        int base = dst.position();
        if (img.parent != null) {
            return readUncached(offset, length).thenAccept(data -> dst.put(base, data));
        }
        List<ObjectExtent> extents = Striper.fileToExtents(img.layout, offset, length);
        if (extents.size() == 1) {
            return readObjectInto(extents.get(0), dst, base);
        }
        CompletableFuture<?>[] parts = new CompletableFuture<?>[extents.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = readObjectInto(extents.get(i), dst, base);
        }
        return CompletableFuture.allOf(parts);
    }

    /** Reads extent {@code x} into its ranges of {@code dst} (relative to {@code base}); absent bytes as zeros. */
    private CompletableFuture<Void> readObjectInto(ObjectExtent x, java.nio.ByteBuffer dst, int base) {
        String oid = img.object(x.objectNumber());
        List<long[]> ranges = x.bufferExtents();
        if (ranges.size() == 1) {
            int at = base + (int) ranges.get(0)[0];
            int len = (int) ranges.get(0)[1];
            java.nio.ByteBuffer view = dst.slice(at, len);
            return img.io.readAsync(oid, x.offset(), view).handle((n, err) -> {
                if (err != null) {
                    Throwable c = RadosException.unwrap(err);
                    if (!(c instanceof RadosException.ObjectNotFoundException)) {
                        throw c instanceof RuntimeException re ? re : new CompletionException(c);
                    }
                    n = 0; // never written: zeros
                }
                zero(dst, at + n, at + len); // past a short object: zeros
                return null;
            });
        }
        // striping gathers several ranges of dst into this object: read it whole, scatter it
        return img.io.readAsync(oid, x.offset(), (int) x.length()).handle((data, err) -> {
            if (err != null) {
                Throwable c = RadosException.unwrap(err);
                if (!(c instanceof RadosException.ObjectNotFoundException)) {
                    throw c instanceof RuntimeException re ? re : new CompletionException(c);
                }
                data = new byte[0];
            }
            int from = 0;
            for (long[] b : ranges) {
                int at = base + (int) b[0];
                int n = (int) Math.max(0, Math.min(b[1], data.length - from));
                if (n > 0) {
                    dst.put(at, data, from, n);
                }
                zero(dst, at + n, at + (int) b[1]);
                from += (int) b[1];
            }
            return null;
        });
    }

    private static final byte[] ZEROS = new byte[64 * 1024];

    /** Zero-fills {@code b}'s bytes [from, to) (absolute; position and limit unchanged). */
    static void zero(java.nio.ByteBuffer b, int from, int to) {
        if (from >= to) {
            return;
        }
        if (b.hasArray()) {
            java.util.Arrays.fill(b.array(), b.arrayOffset() + from, b.arrayOffset() + to, (byte) 0);
            return;
        }
        for (int at = from; at < to; at += ZEROS.length) {
            b.put(at, ZEROS, 0, Math.min(ZEROS.length, to - at));
        }
    }

    CompletableFuture<Void> writeUncached(long offset, byte[] data) {
        return writeUncached(offset, java.nio.ByteBuffer.wrap(data));
    }

    /**
     * Writes {@code data}'s remaining bytes (its position is not moved) without copying them: each
     * object's piece is a view of it (a copy only where striping gathers several of its ranges
     * into one object), so a direct buffer's memory is what the socket reads.
     */
    CompletableFuture<Void> writeUncached(long offset, java.nio.ByteBuffer data) {
        CompletableFuture<ExclusiveLock.Permit> permit = img.permit();
        ExclusiveLock.Permit held = permit.isDone() && !permit.isCompletedExceptionally() ? permit.join() : null;
        if (held != null) {
            // the lock is ours (or the image has none): no stage before the write, and one after it
            // that counts it out of the gate and releases the permit (none for the shared no-lock one)
            return img.gate.around(() -> writeUnderLock(offset, data), held == RbdImage.NO_LOCK_PERMIT_VALUE ? null : held::close);
        }
        return permit.thenCompose(p -> guarded(p, () -> gated(() -> writeUnderLock(offset, data))));
    }

    private static CompletableFuture<Void> guarded(ExclusiveLock.Permit p,
            java.util.function.Supplier<CompletableFuture<Void>> op) {
        CompletableFuture<Void> f;
        try {
            f = op.get();
        } catch (RuntimeException e) {
            p.close();
            return CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((v, err) -> p.close());
    }

    /** Runs {@code op} once no snapshot/resize/rollback is changing the image, counted until it completes. */
    private CompletableFuture<Void> gated(java.util.function.Supplier<CompletableFuture<Void>> op) {
        return img.gate.around(op);
    }

    private CompletableFuture<Void> writeUnderLock(long offset, java.nio.ByteBuffer data) {
        int length = data.remaining();
        long os = img.layout.objectSize();
        if (length > 0 && !img.layout.isStriped() && offset / os == (offset + length - 1) / os) {
            // inside one object without striping (every small write): the striper's one extent,
            // computed here without its lists
            return writeObject(offset / os, offset % os, data.slice());
        }
        List<ObjectExtent> extents = Striper.fileToExtents(img.layout, offset, length);
        if (extents.size() == 1) {
            return writeObject(extents.get(0), data.slice()); // one object, all of it: no copy
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>(extents.size());
        for (ObjectExtent x : extents) {
            java.nio.ByteBuffer piece;
            List<long[]> ranges = x.bufferExtents();
            if (ranges.size() == 1) {
                piece = data.slice(data.position() + (int) ranges.get(0)[0], (int) ranges.get(0)[1]); // a view
            } else {
                // striping gathers several ranges of the buffer into this object: one copy
                byte[] gathered = new byte[(int) x.length()];
                int at = 0;
                for (long[] b : ranges) {
                    data.get(data.position() + (int) b[0], gathered, at, (int) b[1]);
                    at += (int) b[1];
                }
                piece = java.nio.ByteBuffer.wrap(gathered);
            }
            parts.add(writeObject(x, piece));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /** Writes {@code piece} (all of extent {@code x}) to its object: the map marked first, a clone's object copied up. */
    private CompletableFuture<Void> writeObject(ObjectExtent x, java.nio.ByteBuffer piece) {
        return writeObject(x.objectNumber(), x.offset(), piece);
    }

    /** Writes {@code piece} at {@code objectOffset} of object {@code objectNo}: as above. */
    private CompletableFuture<Void> writeObject(long objectNo, long objectOffset, java.nio.ByteBuffer piece) {
        boolean update = img.mapActive() && img.mapState(objectNo) != ObjectMap.EXISTS;
        if (!update && !img.parentIo.needsCopyup(objectNo)) {
            // nothing to mark, nothing to copy up (so nothing to refuse): the write alone, no stages
            return img.io.writeAsync(img.object(objectNo), objectOffset, piece.duplicate());
        }
        return refusedOr(objectNo, () -> img.withMapUpdate(update, () -> img.markExists(objectNo),
                () -> img.parentIo.needsCopyup(objectNo) ? img.parentIo.copyupGuarded(objectNo, op -> op.write(objectOffset, bytesOf(piece)))
                        : img.io.writeAsync(img.object(objectNo), objectOffset, piece.duplicate())));
    }

    /** {@code b}'s remaining bytes as an array: its own when it is one whole array, else a copy. */
    static byte[] bytesOf(java.nio.ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    CompletableFuture<Void> discardUncached(long offset, long length) {
        return img.permit().thenCompose(p -> guarded(p, () -> gated(() -> discardUnderLock(offset, length))));
    }

    private CompletableFuture<Void> discardUnderLock(long offset, long length) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : Striper.fileToExtents(img.layout, offset, length)) {
            long objectNo = x.objectNumber();
            String obj = img.object(objectNo);
            boolean whole = x.offset() == 0 && x.length() == img.layout.objectSize();
            if (img.parentIo.needsCopyup(objectNo)) {
                // removing the object would let the parent's bytes show through again: zero it
                boolean update = img.mapActive() && img.mapState(objectNo) != ObjectMap.EXISTS;
                parts.add(refusedOr(objectNo, () -> img.withMapUpdate(update, () -> img.markExists(objectNo),
                        () -> img.parentIo.copyupGuarded(objectNo, op -> op.zero(x.offset(), x.length())))));
                continue;
            }
            if (!img.mapActive()) {
                parts.add(ignoreMissing(whole ? img.io.removeAsync(obj) : img.io.zeroAsync(obj, x.offset(), x.length())));
                continue;
            }
            int state = img.mapState(objectNo);
            if (state == ObjectMap.NONEXISTENT) {
                continue; // the map says there is nothing there (librbd skips the op too)
            }
            if (whole) {
                // PENDING before the removal, NONEXISTENT after it, as librbd's discard does.
                parts.add(CompletableFuture.runAsync(() -> img.objectMap.update(objectNo, objectNo + 1, ObjectMap.PENDING,
                        java.util.Optional.empty()), img.mapWorkers)
                        .thenCompose(v -> ignoreMissing(img.io.removeAsync(obj)))
                        .thenRunAsync(() -> img.objectMap.update(objectNo, objectNo + 1, ObjectMap.NONEXISTENT,
                                java.util.Optional.of(ObjectMap.PENDING)), img.mapWorkers));
            } else {
                parts.add(img.withMapUpdate(state != ObjectMap.EXISTS, () -> img.markExists(objectNo),
                        () -> ignoreMissing(img.io.zeroAsync(obj, x.offset(), x.length()))));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }
}
