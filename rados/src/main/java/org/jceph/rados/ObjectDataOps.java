package org.jceph.rados;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.UTime;
import org.jceph.rados.IoCtx.ObjectStat;
import org.jceph.rados.IoCtx.SparseRead;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.ReadInto;

/**
 * The object data half of {@link IoCtx}: whole-object and extent writes, reads (into arrays and
 * caller's buffers), append, truncate, zero, create, remove, stat, version, sparse reads and tmap
 * updates.
 */
record ObjectDataOps(IoCtx io) {

    CompletableFuture<Void> writeFullAsync(String oid, byte[] data) {
        return io.run(oid, OsdOp.writeFull(IoCtx.bytes(data, "data"))).thenApply(r -> null);
    }

    CompletableFuture<Void> writeAsync(String oid, long offset, byte[] data) {
        Args.offset(offset);
        return io.run(oid, OsdOp.write(offset, IoCtx.bytes(data, "data"))).thenApply(r -> null);
    }

    CompletableFuture<byte[]> readAsync(String oid, long offset, int length) {
        Args.extent(offset, length);
        return io.run(oid, OsdOp.read(offset, length)).thenApply(r -> r.outputs().get(0));
    }

    /**
     * The remaining bytes of {@code b}, consumed (its position moves to its limit). A heap buffer
     * whose remaining bytes are its whole backing array is sent as is, without a copy: do not
     * change it until the op completes. Any other buffer (a slice, a direct or read-only one) is
     * copied once.
     */
    private static byte[] take(ByteBuffer b, String name) {
        Args.notNull(b, name);
        if (b.hasArray() && !b.isReadOnly() && b.arrayOffset() == 0 && b.position() == 0 && b.limit() == b.array().length) {
            byte[] a = b.array();
            b.position(b.limit());
            return a;
        }
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return copy;
    }

    CompletableFuture<Void> writeAsync(String oid, long offset, ByteBuffer data) {
        Args.offset(offset);
        Args.oid(oid);
        Args.notNull(data, "data");
        if (data.isDirect() && !data.isReadOnly()) {
            // sent from the buffer's own memory: the copy to the socket is the kernel's alone
            ByteBuffer view = data.slice();
            data.position(data.limit());
            return io.run(oid, OsdOp.write(offset, view)).thenApply(r -> null);
        }
        return writeAsync(oid, offset, take(data, "data"));
    }

    CompletableFuture<Void> writeFullAsync(String oid, ByteBuffer data) {
        Args.oid(oid);
        return writeFullAsync(oid, take(data, "data"));
    }

    CompletableFuture<Void> appendAsync(String oid, ByteBuffer data) {
        Args.oid(oid);
        return appendAsync(oid, take(data, "data"));
    }

    CompletableFuture<Integer> readAsync(String oid, long offset, ByteBuffer dst) {
        Args.oid(oid);
        Args.offset(offset);
        Args.notNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int want = dst.remaining();
        if (want == 0) {
            io.checkOpen();
            return CompletableFuture.completedFuture(0);
        }
        // The reply's bytes go straight from the received buffer into dst (one copy, as
        // rados_read), written before the future completes and only for the reply that wins the
        // op; dst's position moves when it completes. A short read leaves the rest untouched.
        Args.extent(offset, want);
        int start = dst.position();
        ReadInto sink = new ReadInto(0, dst);
        return io.run(oid, OsdOp.read(offset, want), io.opTimeout, sink).thenApply(r -> {
            int n = sink.count();
            dst.position(start + n);
            return n;
        });
    }

    /**
     * A read whose bytes stay in the received buffers: the reply's data is kept (retained), not
     * copied, and handed over as a {@link ReadView}. The view is released on every path where it
     * does not reach the caller: an error reply, a timeout or cancel after the data arrived, or a
     * caller that gave up on the returned future (cancelled or completed it) before it completed.
     */
    CompletableFuture<ReadView> readViewAsync(String oid, long offset, int length) {
        Args.oid(oid);
        Args.extent(offset, length);
        ReadInto sink = ReadInto.retaining(0, length == 0 ? Integer.MAX_VALUE : length);
        return handOver(io.run(oid, OsdOp.read(offset, length), io.opTimeout, sink), sink);
    }

    /**
     * The view {@code sink} keeps once {@code op} completes, as a future that owns it until the
     * caller has it: released when the op fails (also after delivery: a cancel or an error
     * reply), and closed when it arrives after the returned future was cancelled or otherwise
     * completed. Cancelling the returned future cancels {@code op}.
     */
    static CompletableFuture<ReadView> handOver(CompletableFuture<?> op, ReadInto sink) {
        ViewFuture result = new ViewFuture(op);
        op.whenComplete((r, e) -> {
            if (e != null) {
                sink.release(); // an error reply keeps nothing; a cancel after delivery gives it back
                result.completeExceptionally(e);
                return;
            }
            ReadView v = viewOf(sink.takeParts());
            if (!result.complete(v)) {
                v.close(); // the caller cancelled (or completed) the future first: nobody takes it
            }
        });
        return result;
    }

    /** A view owning {@code parts} (retained received buffers; null or empty: no bytes). */
    static ReadView viewOf(java.util.List<io.netty.buffer.ByteBuf> parts) {
        if (parts == null || parts.isEmpty()) {
            return ReadView.of();
        }
        java.util.List<ByteBuffer> bufs = new java.util.ArrayList<>(parts.size());
        try {
            for (io.netty.buffer.ByteBuf p : parts) {
                if (p.nioBufferCount() == 1) {
                    bufs.add(p.nioBuffer());
                } else {
                    java.util.Collections.addAll(bufs, p.nioBuffers());
                }
            }
        } catch (RuntimeException e) {
            ReadInto.releaseAll(parts);
            throw e;
        }
        return new ReadView(bufs.toArray(new ByteBuffer[0]), () -> ReadInto.releaseAll(parts));
    }

    /**
     * The future {@link #readViewAsync} returns: cancelling it cancels the op (which leaves the
     * queue and the budget), and a view that arrives after it was cancelled or completed otherwise
     * is closed rather than lost.
     */
    private static final class ViewFuture extends CompletableFuture<ReadView> {
        private final CompletableFuture<?> op;

        ViewFuture(CompletableFuture<?> op) {
            this.op = op;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean mine = super.cancel(mayInterruptIfRunning);
            op.cancel(mayInterruptIfRunning);
            return mine;
        }
    }

    int read(String oid, long offset, byte[] buf, int off, int len) {
        Args.notNull(buf, "buf");
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return io.read(oid, offset, ByteBuffer.wrap(buf, off, len));
    }

    CompletableFuture<Void> tmapUpdateAsync(String oid, byte[] commands) {
        return io.run(oid, OsdOp.tmapUpdate(IoCtx.bytes(commands, "commands"))).thenApply(r -> null);
    }

    CompletableFuture<ObjectStat> statAsync(String oid) {
        return io.run(oid, OsdOp.stat()).thenApply(r -> decodeStat(r.outputs().get(0)));
    }

    static ObjectStat decodeStat(byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long size = b.getLong();
        long sec = Integer.toUnsignedLong(b.getInt());
        long nsec = Integer.toUnsignedLong(b.getInt());
        return new ObjectStat(size, new UTime(sec, nsec));
    }

    CompletableFuture<Void> removeAsync(String oid) {
        return io.run(oid, OsdOp.delete()).thenApply(r -> null);
    }

    CompletableFuture<Void> appendAsync(String oid, byte[] data) {
        return io.run(oid, OsdOp.append(IoCtx.bytes(data, "data"))).thenApply(r -> null);
    }

    CompletableFuture<Void> truncateAsync(String oid, long size) {
        Args.nonNegative(size, "size");
        return io.run(oid, OsdOp.truncate(size)).thenApply(r -> null);
    }

    CompletableFuture<Void> zeroAsync(String oid, long offset, long length) {
        Args.extent(offset, length);
        return io.run(oid, OsdOp.zero(offset, length)).thenApply(r -> null);
    }

    ObjectStat statOrNull(String oid) {
        try {
            return io.stat(oid);
        } catch (RadosException.ObjectNotFoundException e) {
            return null;
        }
    }

    CompletableFuture<Void> createAsync(String oid, boolean exclusive) {
        return io.run(oid, OsdOp.create(exclusive)).thenApply(r -> null);
    }

    CompletableFuture<ObjectStat> statOrNullAsync(String oid) {
        return orNullWhenAbsent(io.statAsync(oid));
    }

    static <T> CompletableFuture<T> orNullWhenAbsent(CompletableFuture<T> f) {
        return f.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = RadosException.unwrap(e);
            return cause instanceof RadosException.ObjectNotFoundException
                    ? CompletableFuture.<T>completedFuture(null) : CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(x -> x);
    }

    CompletableFuture<Long> versionAsync(String oid) {
        return io.run(oid, OsdOp.stat()).thenApply(r -> r.userVersion());
    }

    CompletableFuture<SparseRead> sparseReadAsync(String oid, long offset, long length) {
        Args.extent(offset, length);
        return io.run(oid, OsdOp.sparseRead(offset, length)).thenApply(r -> {
            CephDecoder d = CephDecoder.of(r.outputs().get(0), "sparse read");
            SortedMap<Long, Long> extents = new TreeMap<>(d.readMap(16, CephDecoder::readU64Le, CephDecoder::readU64Le));
            return new SparseRead(extents, d.readBlob());
        });
    }
}
