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

    private CompletableFuture<Long> runCompound(String oid, CompoundOp operation, List<OsdOp> steps, long snap) {
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
}
