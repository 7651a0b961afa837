package org.jceph.rados;

import org.jceph.rados.internal.OsdOp;

/**
 * A compound write (librados' ObjectWriteOperation): steps run in order, atomically, in one
 * message, with {@link IoCtx#operate(String, WriteOperation)}: all apply or none. Guards
 * ({@link #assertExists}, {@link #assertVersion}, {@link #cmpExt}, {@link #cmpXattr}) fail the
 * whole operation with a typed {@link RadosException}. A write returns no data, so it has no
 * reading steps: those are in {@link ReadOperation}.
 *
 * <p>An operation runs once. It is not thread-safe while built.
 */
public final class WriteOperation extends WriteSteps<WriteOperation> {
    /** An empty write operation: add steps with the methods below. */
    public WriteOperation() {
    }

    /** Refuses a write without a modifying step: librados would send it as a read. */
    java.util.List<OsdOp> steps() {
        if (!isEmpty() && ops().stream().noneMatch(o -> o.writes() || o.executes())) {
            throw new IllegalOperationException("the write operation has only guards, no step that modifies the object:"
                    + " use a ReadOperation for guards alone");
        }
        return take("write");
    }
}
