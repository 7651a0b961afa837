package org.jceph.rados;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;

/**
 * What every compound operation ({@link ReadOperation}, {@link WriteOperation} and the deprecated
 * {@code IoCtx.Operation}) shares: the steps and their result handles, the guards any of them may
 * carry, and the encoding of the steps more than one of them adds, each written once here.
 *
 * @param <T> the operation's own type, which the step methods return for chaining
 */
abstract class CompoundOp<T extends CompoundOp<T>> {
    private final List<OsdOp> ops = new ArrayList<>();
    private final List<Step<?>> steps = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean submitted = new java.util.concurrent.atomic.AtomicBoolean();

    /** One step: its name (for messages), its handle, and how its output becomes its value (null: none). */
    private record Step<T>(String name, StepResult<T> result, Function<byte[], T> decode) {
        void complete(byte[] out, int rval, String where) {
            if (rval < 0) {
                result.fail(RadosException.of(rval, where + " (step " + name + ")"), rval);
                return;
            }
            try {
                result.complete(decode == null ? null : decode.apply(out), rval);
            } catch (RuntimeException e) {
                result.fail(e, rval);
            }
        }
    }

    final <V> StepResult<V> add(String name, OsdOp op, Function<byte[], V> decode) {
        if (submitted.get()) {
            throw new IllegalStateException("this operation was already run: build a new one");
        }
        StepResult<V> r = new StepResult<>(name);
        ops.add(op);
        steps.add(new Step<>(name, r, decode));
        return r;
    }

    /** Adds a step whose output nobody reads (a guard, or any step of a write). */
    final T step(String name, OsdOp op) {
        add(name, op, null);
        return self();
    }

    @SuppressWarnings("unchecked") // T is the class of this operation, as its declaration says
    private T self() {
        return (T) this;
    }

    /**
     * Fails the operation with ENOENT unless the object exists (a STAT step, as librados does it).
     *
     * @return this operation
     */
    public T assertExists() {
        return step("assertExists", OsdOp.stat());
    }

    /**
     * Fails the operation with ERANGE (the object is newer) or EOVERFLOW (older) unless the
     * object's user version is exactly {@code version}.
     *
     * @param version the expected user version
     * @return this operation
     */
    public T assertVersion(long version) {
        return step("assertVersion", OsdOp.assertVersion(version));
    }

    /**
     * Fails the operation with {@link RadosException.CompareMismatchException} (naming the first
     * differing offset) unless the object's bytes at {@code offset} equal {@code data} (the OSD's
     * CMPEXT).
     *
     * @param offset where, not negative
     * @param data the expected bytes
     * @return this operation
     */
    public T cmpExt(long offset, byte[] data) {
        Args.offset(offset);
        return step("cmpExt", OsdOp.cmpext(offset, Args.notNull(data, "data")));
    }

    /**
     * Fails the operation with ECANCELED unless the comparison of an xattr (as strings) holds.
     *
     * @param name the attribute
     * @param op the comparison: given value OP stored value, as the OSD evaluates it
     * @param value the value to compare with
     * @return this operation
     */
    public T cmpXattr(String name, IoCtx.Comparison op, byte[] value) {
        return cmpXattr(name, op, 1, Args.notNull(value, "value"));
    }

    /**
     * Fails the operation with ECANCELED unless the comparison of an xattr, read as a decimal
     * number, with {@code value} holds (librados' u64 mode: the value travels as a little-endian u64).
     *
     * @param name the attribute
     * @param op the comparison: given value OP stored value, as the OSD evaluates it
     * @param value the number to compare with
     * @return this operation
     */
    public T cmpXattr(String name, IoCtx.Comparison op, long value) {
        return cmpXattr(name, op, 2, org.jceph.encoding.CephEncoder.toBytes(e -> e.writeU64Le(value)));
    }

    /** A CMPXATTR step; {@code mode} is the OSD's CEPH_OSD_CMPXATTR_MODE (1 string, 2 u64). */
    private T cmpXattr(String name, IoCtx.Comparison op, int mode, byte[] value) {
        Args.notNull(name, "name");
        Args.notNull(op, "op");
        return step("cmpXattr", OsdOp.cmpXattr(name, op.code(), mode, value));
    }

    /**
     * Adds flags to the last step added (librados' set_op_flags2): {@link OpFlag#FAILOK} lets it
     * fail without failing the operation, the FADVISE flags hint the OSD.
     *
     * @param flags the flags
     * @return this operation
     * @throws IllegalOperationException when there is no step yet
     */
    public T setFlags(OpFlag... flags) {
        flagLast(flags);
        return self();
    }

    /** A READ step of up to {@code length} bytes at {@code offset} (0: to the end). */
    static OsdOp readStep(long offset, long length) {
        Args.extent(offset, length);
        return OsdOp.read(offset, length);
    }

    /** A GETXATTR step. */
    static OsdOp getXattrStep(String name) {
        return OsdOp.getXattr(Args.notNull(name, "name"));
    }

    /** An OMAPGETVALS step. */
    static OsdOp omapGetValsStep(String startAfter, String prefix, long max) {
        Args.notNull(startAfter, "startAfter");
        Args.notNull(prefix, "prefix");
        Args.nonNegative(max, "max");
        return OsdOp.omapGetVals(startAfter, prefix, max);
    }

    /** A CALL step: an object class method. */
    static OsdOp execStep(String cls, String method, byte[] input) {
        Args.notNull(cls, "cls");
        Args.notNull(method, "method");
        return OsdOp.call(cls, method, Args.notNull(input, "input"));
    }

    /** The name of step {@code i}, for messages. */
    final String stepName(int i) {
        return steps.get(i).name();
    }

    /** Adds {@code flags} to the last step (librados' set_op_flags2). */
    private void flagLast(OpFlag... flags) {
        Args.notNull(flags, "flags");
        if (ops.isEmpty()) {
            throw new IllegalOperationException("setFlags applies to the last step, and there is none yet");
        }
        int bits = 0;
        for (OpFlag f : flags) {
            bits |= Args.notNull(f, "flag").bit();
        }
        ops.set(ops.size() - 1, ops.get(ops.size() - 1).withFlags(bits));
    }

    final boolean isEmpty() {
        return ops.isEmpty();
    }

    /** The steps to send, marking the operation as run (its handles belong to this one run). */
    final List<OsdOp> take(String kind) {
        if (ops.isEmpty()) {
            throw new IllegalOperationException("the " + kind + " operation has no steps");
        }
        if (!submitted.compareAndSet(false, true)) {
            throw new IllegalStateException("this " + kind + " operation was already run: build a new one");
        }
        return List.copyOf(ops);
    }

    final List<OsdOp> ops() {
        return ops;
    }

    /** Fills every handle from the reply (the op succeeded as a whole). */
    final void complete(OsdOpMessages.Reply r, String where) {
        for (int i = 0; i < steps.size(); i++) {
            byte[] out = i < r.outputs().size() ? r.outputs().get(i) : new byte[0];
            int rval = i < r.rvals().size() ? r.rvals().get(i) : 0;
            steps.get(i).complete(out, rval, where);
        }
    }

    /** Fails every handle with the operation's error. */
    final void fail(RuntimeException e) {
        int errno = e instanceof RadosException re ? re.errno() : -5;
        for (Step<?> s : steps) {
            s.result().fail(e, errno);
        }
    }
}
