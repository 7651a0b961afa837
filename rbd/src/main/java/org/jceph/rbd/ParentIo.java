package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdImage.Parent;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * A clone's I/O against its parent, in one place: reads of absent objects fall through to the
 * parent within the overlap ({@link #readFromParent}, awaited through {@link #parentReads}),
 * writes to objects the parent still backs copy the parent's bytes up first
 * ({@link #needsCopyup}, {@link #copyupGuarded}, {@link #parentObjectData}), and flatten copies
 * every such object up before the link goes. {@link RbdImage} and its object I/O call these;
 * the parent is {@link RbdImage#parent()}, an image opened read-only at the parent snapshot.
 * A migration destination with snapshots copies up deeply instead (MIGRATION-HOOK: every source
 * snapshot of the object, then its head, through {@link MigrationObjectCopier}, one copy per
 * object at a time).
 */
final class ParentIo {
    private final RbdImage img;

    ParentIo(RbdImage img) {
        this.img = img;
    }

    void flatten(ProgressListener progress) {
        ProgressListener pl = ProgressListener.orNone(progress);
        img.checkWritable();
        Parent p = img.parent;
        if (p == null) {
            throw new RbdException("image " + img.name + " is not a clone");
        }
        if (p.isMigrationSource()) { // MIGRATION-HOOK
            throw new RbdException(Errno.EBUSY.negative(), "image " + img.name + " is being migrated: execute the "
                    + "migration instead");
        }
        if (!img.snapshots().isEmpty()) {
            throw new RbdException("image " + img.name + " has snapshots: flattening would leave them reading through "
                    + "to the parent; remove them first");
        }
        RbdImage.ParentView view = img.parentView();
        if (view == null && p.raw() == null && hasCloneMagic()) {
            // a clone with its own LUKS header over an encrypted parent: copying the parent's raw
            // bytes up would store them under the parent's key in an image read with the clone's
            throw new RbdException(Errno.EINVAL.negative(), "image " + img.name + " is an encrypted clone with "
                    + "its own LUKS header (clone magic RBDL): flatten it with its encryption loaded "
                    + "(--encryption-format and --encryption-passphrase-file, once per layer)");
        }
        boolean hook = view != null && p.raw() == null;
        if (hook) {
            // the view's hook writes the image (maintenance pauses writes): copy up, let the view
            // write, then detach, in that order, as librbd's crypto flatten runs between its
            // object copy-ups and the parent detach
            img.maintenance(() -> {
                copyUpAll(p, pl);
                return null;
            });
            view.beforeDetach();
        }
        img.maintenance(() -> {
            if (!hook) {
                copyUpAll(p, pl);
            }
            ImageAdmin.detachFromParent(img.md, img.id, p);
            img.parent = null;
            return null;
        });
        if (img.watcher != null) {
            img.watcher.notifyHeaderUpdate();
        }
    }

    /** The clone magic librbd (Reef on) gives a clone's own LUKS header: {@code RBDL 0xba 0xbe}. */
    private static final byte[] CLONE_MAGIC = {'R', 'B', 'D', 'L', (byte) 0xba, (byte) 0xbe};

    /** Whether this image's raw bytes start with {@link #CLONE_MAGIC}. */
    private boolean hasCloneMagic() {
        if (img.size() < CLONE_MAGIC.length) {
            return false;
        }
        byte[] head = RbdImage.awaitIo(img.readAsync(0, CLONE_MAGIC.length), "reading the image's first bytes");
        return java.util.Arrays.equals(head, CLONE_MAGIC);
    }

    /**
     * MIGRATION-HOOK: copies up every object the parent (or migration source) still backs, as
     * flatten and migration execute do: a no-op where this image already has the object.
     * Runs under maintenance.
     *
     * @param progress told of each object
     */
    void copyUpAll(ProgressListener progress) {
        img.checkWritable();
        Parent p = img.parent;
        if (p == null) {
            return;
        }
        img.maintenance(() -> {
            copyUpAll(p, ProgressListener.orNone(progress));
            return null;
        });
    }

    private void copyUpAll(Parent p, ProgressListener pl) {
        long objects = (p.overlap() + img.layout.objectSize() - 1) / img.layout.objectSize();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long n = 0; n < objects; n++) {
            final long obj = n;
            parts.add(parentObjectData(obj).thenCompose(data -> {
                if (data.length == 0) {
                    return CompletableFuture.completedFuture(null);
                }
                boolean update = img.mapActive() && img.mapState(obj) != ObjectMap.EXISTS;
                return img.withMapUpdate(update, () -> img.markExists(obj), () -> img.io.operateAsync(img.object(obj),
                        new IoCtx.Operation().exec("rbd", "copyup", data)).thenApply(r -> (Void) null));
            }));
            pl.update(n, objects);
            if (parts.size() >= 16) { // bounded: at most 16 objects in flight
                CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
                parts.clear();
            }
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Reads through to the parent for the parts of an absent object below the overlap. The reads
     * are collected per output buffer and awaited by {@link RbdImage#readAsync} (we are on an I/O
     * thread here and must not block).
     */
    Void readFromParent(long offset, ObjectExtent x, byte[] out) {
        Parent p = img.parent;
        if (p == null) {
            return null;
        }
        for (long[] b : x.bufferExtents()) {
            long imageOff = offset + b[0];
            long n = Math.min(b[1], p.overlap() - imageOff);
            if (n <= 0) {
                continue;
            }
            int at = (int) b[0];
            CompletableFuture<Void> f = img.parentBytes(p, imageOff, (int) n)
                    .thenAccept(d -> System.arraycopy(d, 0, out, at, d.length));
            synchronized (pendingParentReads) {
                pendingParentReads.computeIfAbsent(out, k -> new ArrayList<>()).add(f);
            }
        }
        return null;
    }

    private final java.util.Map<byte[], List<CompletableFuture<Void>>> pendingParentReads =
            new java.util.IdentityHashMap<>();

    CompletableFuture<?>[] parentReads(byte[] out) {
        synchronized (pendingParentReads) {
            List<CompletableFuture<Void>> l = pendingParentReads.remove(out);
            return l == null ? new CompletableFuture<?>[0] : l.toArray(CompletableFuture[]::new);
        }
    }

    /** The image range [start, end) that object {@code n} holds (non-striped layouts). */
    private long objectStart(long n) {
        return n * img.layout.objectSize();
    }

    /** True when writes to object {@code n} must first copy the parent's data up. */
    boolean needsCopyup(long n) {
        Parent p = img.parent;
        return p != null && objectStart(n) < p.overlap();
    }

    /**
     * MIGRATION-HOOK: true when a copy-up of object {@code n} must be a deep copy-up: the parent
     * is a migration source and the destination has snapshots (a head-only copy-up would leave
     * the destination's snapshots empty once the migration is committed). librbd's
     * CopyupRequest::deep_copy; jceph runs {@link MigrationObjectCopier}, execute's code path.
     */
    boolean needsDeepCopy() {
        Parent p = img.parent;
        return p != null && p.isMigrationSource() && !img.io.selfManagedSnapWriteContext().snaps().isEmpty();
    }

    /**
     * MIGRATION-HOOK: the refusal of a copy-up of object {@code n} that needs a deep copy jceph
     * cannot do ({@link MigrationObjectCopier#refusal}: a striped destination, a raw file
     * source), or null when the copy-up may go ahead.
     */
    RbdException deepCopyupRefusal(long n) {
        if (!needsDeepCopy()) {
            return null;
        }
        RbdException r = MigrationObjectCopier.refusal(img);
        return r == null ? null : new RbdException(r.errno(), "writing " + img.object(n) + " of " + img.name
                + " needs a deep copy-up of the migration's snapshots, refused: " + r.getMessage());
    }

    /**
     * MIGRATION-HOOK: {@link #deepCopyupRefusal} decided before a write marks the object map,
     * where HEAD's (valid) map already says the object is absent (so a copy-up is certain): a
     * refused write then leaves no trace. Null when the write may go on (to its copy-up, which
     * checks again when the map cannot tell).
     */
    RbdException refusalBeforeMapUpdate(long n) {
        if (!needsCopyup(n) || !img.mapActive() || img.mapState(n) != org.jceph.rbd.objectmap.ObjectMap.NONEXISTENT) {
            return null;
        }
        return deepCopyupRefusal(n);
    }

    /** The deep copy-ups running, one per object at most (librbd's copyup_list). */
    private final OncePerKey deepCopyups = new OncePerKey();

    /**
     * MIGRATION-HOOK: deep-copies object {@code n} from the migration source (what is left of
     * it), off the I/O threads; a caller that finds a copy of the same object running waits for
     * that one instead of starting a second (two at once could write an old stage over the first
     * one's finished object and the write after it).
     */
    private CompletableFuture<Void> deepCopyup(long n) {
        return deepCopyups.run(n, () -> {
            java.util.concurrent.Executor pool = ImageThreads.deepCopyups();
            return CompletableFuture.runAsync(() -> {
                try (MigrationObjectCopier c = MigrationObjectCopier.open(img)) {
                    if (c != null) {
                        c.copy(n, true);
                    }
                } catch (RbdException | RadosException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new RbdException("deep copy-up of " + img.object(n) + " of " + img.name + " failed", e);
                }
            }, pool);
        });
    }

    /**
     * Runs at most one task per key at a time: a caller finding one running for its key gets
     * that task's future; the key is free again once it completes (either way).
     */
    static final class OncePerKey {
        private final java.util.concurrent.ConcurrentHashMap<Long, CompletableFuture<Void>> running =
                new java.util.concurrent.ConcurrentHashMap<>();

        CompletableFuture<Void> run(long key, java.util.function.Supplier<CompletableFuture<Void>> task) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> other = running.putIfAbsent(key, mine);
            if (other != null) {
                return other;
            }
            CompletableFuture<Void> f;
            try {
                f = task.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, err) -> {
                running.remove(key, mine);
                if (err != null) {
                    mine.completeExceptionally(RadosException.unwrap(err));
                } else {
                    mine.complete(null);
                }
            });
            return mine;
        }

        /** How many keys have a task running. */
        int running() {
            return running.size();
        }
    }

    CompletableFuture<Void> copyupGuarded(long n, java.util.function.Consumer<IoCtx.Operation> step) {
        return copyupGuarded(n, step, false);
    }

    /**
     * Applies {@code step} to object {@code n} of a clone as librbd does: guarded by
     * assert-exists; when the object is absent, the parent's bytes for it are copied up (cls rbd
     * copyup, a no-op if another writer got there first), then the step runs.
     *
     * <p>The copy-up goes in the same operation as the step, unless {@code stepReadsObject}: the
     * OSD evaluates reads in a write op (cmpext) against the object as it was before the op, so
     * such a step would not see a copy-up sent with it. Then the copy-up is its own operation
     * first, and the step follows.
     */
    CompletableFuture<Void> copyupGuarded(long n, java.util.function.Consumer<IoCtx.Operation> step,
            boolean stepReadsObject) {
        return new CopyUp(n, step, stepReadsObject).start();
    }

    /**
     * The states of one write to a clone's object, as the kernel's rbd.c draws
     * rbd_obj_write_state and its copyup states:
     *
     * <pre>
     *   GUARDED_STEP   assert-exists + the step, one op
     *      |   \
     *      |    \ the object exists: the step is done ------------------------------> DONE
     *      | ENOENT (the object is absent)
     *      v
     *   READ_PARENT    the parent's bytes for the object (parentObjectData, trailing
     *      |           zeros trimmed; none: no copyup call at all)
     *      +-- the step only writes ---------> COPYUP_WITH_STEP  copyup + step, one op --> DONE
     *      |
     *      +-- the step reads the object ----> COPYUP  copyup alone (cmpext would not
     *      |                                     |     see a copyup in its own op)
     *      |                                     v
     *      |                                   STEP    the step alone -------------------> DONE
     *      |                                     ^
     *      +-- a migration destination ------> DEEP_COPY  every source snapshot, then the
     *          with snapshots                         head, each under its own snap context
     *                                                 (MigrationObjectCopier; one per object
     *                                                 at a time), then the step alone
     * </pre>
     *
     * A failure in any state fails the write (the object map was marked before, as librbd does);
     * a deep copy cut short is finished by the next write to the object or by execute.
     */
    enum CopyUpState {
        GUARDED_STEP,
        READ_PARENT,
        DEEP_COPY,
        COPYUP_WITH_STEP,
        COPYUP,
        STEP,
        DONE
    }

    /** One write to object {@code n} of a clone, walked through {@link CopyUpState}. */
    private final class CopyUp {
        private final long n;
        private final String oid;
        private final java.util.function.Consumer<IoCtx.Operation> step;
        private final boolean stepReadsObject;
        private volatile CopyUpState state = CopyUpState.GUARDED_STEP;

        CopyUp(long n, java.util.function.Consumer<IoCtx.Operation> step, boolean stepReadsObject) {
            this.n = n;
            this.oid = img.object(n);
            this.step = step;
            this.stepReadsObject = stepReadsObject;
        }

        /**
         * GUARDED_STEP: the step under assert-exists (and, where a deep copy-up may be needed,
         * under "no deep copy under way": a copy cut short left the object half done); ENOENT
         * (or ECANCELED from that second guard) leads to READ_PARENT.
         */
        CompletableFuture<Void> start() {
            IoCtx.Operation first = new IoCtx.Operation().assertExists();
            boolean deep = needsDeepCopy();
            if (deep) { // MIGRATION-HOOK
                first.cmpXattr(MigrationObjectCopier.COPYING, IoCtx.Comparison.EQ, new byte[0]);
            }
            step.accept(first);
            return img.io.operateAsync(oid, first).<Void>thenApply(r -> done()).exceptionallyCompose(err -> {
                Throwable c = RadosException.unwrap(err);
                if (!(c instanceof RadosException.ObjectNotFoundException)
                        && !(deep && c instanceof RadosException.CanceledException)) {
                    return CompletableFuture.failedFuture(c);
                }
                return readParent();
            });
        }

        /** READ_PARENT: the parent's data for the object, then the copy-up with or before the step. */
        private CompletableFuture<Void> readParent() {
            state = CopyUpState.READ_PARENT;
            RbdException refused = deepCopyupRefusal(n);
            if (refused != null) { // MIGRATION-HOOK
                return CompletableFuture.failedFuture(refused);
            }
            if (needsDeepCopy()) { // MIGRATION-HOOK
                return deepCopyThenStep();
            }
            return parentObjectData(n).thenCompose(data -> {
                IoCtx.Operation copyup = data.length == 0 ? null : new IoCtx.Operation().exec("rbd", "copyup", data);
                return stepReadsObject ? copyUpThenStep(copyup) : copyUpWithStep(copyup);
            });
        }

        /**
         * DEEP_COPY, then STEP: the object's snapshots and head copied from the migration source
         * (each stage under its own snapshot context), then the step alone under the image's.
         */
        private CompletableFuture<Void> deepCopyThenStep() {
            state = CopyUpState.DEEP_COPY;
            return deepCopyup(n).thenCompose(v -> {
                state = CopyUpState.STEP;
                return img.io.operateAsync(oid, ImageIo.stepOf(step));
            }).thenApply(r -> done());
        }

        /** COPYUP, then STEP: two operations, so that the step's reads see the copied-up data. */
        private CompletableFuture<Void> copyUpThenStep(IoCtx.Operation copyup) {
            state = CopyUpState.COPYUP;
            CompletableFuture<?> before = copyup == null ? CompletableFuture.completedFuture(null)
                    : img.io.operateAsync(oid, copyup);
            return before.thenCompose(v -> {
                state = CopyUpState.STEP;
                return img.io.operateAsync(oid, ImageIo.stepOf(step));
            }).thenApply(r -> done());
        }

        /** COPYUP_WITH_STEP: the copy-up (if the parent has data there) and the step in one operation. */
        private CompletableFuture<Void> copyUpWithStep(IoCtx.Operation copyup) {
            state = CopyUpState.COPYUP_WITH_STEP;
            IoCtx.Operation op = copyup == null ? new IoCtx.Operation() : copyup;
            step.accept(op);
            return img.io.operateAsync(oid, op).thenApply(r -> done());
        }

        private Void done() {
            state = CopyUpState.DONE;
            return null;
        }

        @Override
        public String toString() {
            return "copy-up of " + oid + " (" + state + ")";
        }
    }

    /** The parent's bytes backing object {@code n}, trailing zeros trimmed (empty: all zeros). */
    private CompletableFuture<byte[]> parentObjectData(long n) {
        Parent p = img.parent;
        long start = objectStart(n);
        long len = p == null ? 0 : Math.min(img.layout.objectSize(), p.overlap() - start);
        if (len <= 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        return img.parentBytes(p, start, (int) len).thenApply(d -> {
            int end = d.length;
            while (end > 0 && d[end - 1] == 0) {
                end--;
            }
            return end == d.length ? d : java.util.Arrays.copyOf(d, end);
        });
    }
}
