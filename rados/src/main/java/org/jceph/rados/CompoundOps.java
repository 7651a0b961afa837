package org.jceph.rados;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.rados.IoCtx.OperationResult;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;

/**
 * The compound operations of {@link IoCtx}: running a {@link ReadOperation}, a
 * {@link WriteOperation} or the deprecated {@code IoCtx.Operation} as one OSD request, handing
 * the reply's per-step results back to the operation.
 */
record CompoundOps(IoCtx io) {

    @SuppressWarnings("deprecation") // runs the deprecated IoCtx.Operation as IoCtx did
    CompletableFuture<OperationResult> operateAsync(String oid, IoCtx.Operation operation) {
        Args.oid(oid);
        Args.notNull(operation, "operation");
        operation.check();
        io.checkOpen();
        boolean writes = operation.ops().stream().anyMatch(OsdOp::writes);
        List<OsdOp> steps = List.copyOf(operation.ops());
        return io.client.submit(io.poolId, io.namespace, io.locatorKey, oid, steps,
                writes ? OsdOpMessages.NOSNAP : io.readSnap, io.writeSnapContext, io.opTimeout).thenApply(r -> {
            if (r.result() < 0) {
                throw RadosException.of(r.result(), io.where(oid));
            }
            return new OperationResult(r.outputs(), r.rvals(), r.userVersion());
        });
    }

    CompletableFuture<Long> operateAsync(String oid, ReadOperation operation) {
        Args.oid(oid);
        Args.notNull(operation, "operation");
        List<OsdOp> steps = operation.take("read");
        io.checkOpen();
        return runCompound(oid, operation, steps, io.readSnap);
    }

    CompletableFuture<Long> operateAsync(String oid, WriteOperation operation) {
        Args.oid(oid);
        Args.notNull(operation, "operation");
        List<OsdOp> steps = operation.steps();
        io.checkOpen();
        return runCompound(oid, operation, steps, OsdOpMessages.NOSNAP);
    }

    private CompletableFuture<Long> runCompound(String oid, CompoundOp<?> operation, List<OsdOp> steps, long snap) {
        String where = io.where(oid);
        return io.client.submit(io.poolId, io.namespace, io.locatorKey, oid, steps, snap, io.writeSnapContext, io.opTimeout).handle((r, e) -> {
            if (e != null) {
                RuntimeException failure = RadosException.unwrap(e) instanceof RuntimeException re ? re
                        : RadosException.of(Errno.EIO.negative(), where + ": " + RadosException.unwrap(e));
                operation.fail(failure);
                throw failure;
            }
            if (r.result() < 0) {
                RadosException failure = RadosException.of(r.result(), where);
                operation.fail(failure);
                throw failure;
            }
            operation.complete(r, where);
            return r.userVersion();
        });
    }

    /**
     * Refuses an empty {@code IoCtx.Operation} and one whose write would lose the outputs of its
     * reads, naming the steps.
     */
    static void check(CompoundOp<?> operation) {
        List<OsdOp> ops = operation.ops();
        if (ops.isEmpty()) {
            throw new IllegalOperationException("operation has no steps");
        }
        String write = null;
        String read = null;
        for (int i = 0; i < ops.size(); i++) {
            OsdOp o = ops.get(i);
            if (o.writes() && write == null) {
                write = operation.stepName(i);
            } else if (returnsData(o) && read == null) {
                read = operation.stepName(i);
            }
        }
        if (write != null && read != null) {
            throw new IllegalOperationException("operation mixes a write (" + write + ") with a read that returns data ("
                    + read + "): the OSD returns no data for a write, so run the read as its own operation");
        }
    }

    private static boolean returnsData(OsdOp o) {
        return switch (o.op()) {
            case OsdOp.READ, OsdOp.SPARSE_READ, OsdOp.GETXATTR, OsdOp.GETXATTRS, OsdOp.OMAPGETKEYS,
                    OsdOp.OMAPGETVALS, OsdOp.OMAPGETHEADER, OsdOp.OMAPGETVALSBYKEYS, OsdOp.LIST_WATCHERS,
                    OsdOp.LIST_SNAPS -> true;
            default -> false;
        };
    }
}
