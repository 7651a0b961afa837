package org.jceph.rados;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;

/** What {@link ReadOperation} and {@link WriteOperation} share: the steps and their result handles. */
abstract class CompoundOp {
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

    final <T> StepResult<T> add(String name, OsdOp op, Function<byte[], T> decode) {
        if (submitted.get()) {
            throw new IllegalStateException("this operation was already run: build a new one");
        }
        StepResult<T> r = new StepResult<>(name);
        ops.add(op);
        steps.add(new Step<>(name, r, decode));
        return r;
    }

    /** Adds {@code flags} to the last step (librados' set_op_flags2). */
    final void flagLast(OpFlag... flags) {
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
