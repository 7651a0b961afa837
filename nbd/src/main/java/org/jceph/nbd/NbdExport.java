package org.jceph.nbd;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One block device served over NBD. Every operation is asynchronous: the server keeps many
 * requests in flight per connection and replies as they complete. Offsets and lengths are checked
 * against {@link #size()} by the server before they reach the export.
 *
 * <p>A future that fails with {@link NbdIoException} is replied with that exception's errno;
 * any other failure becomes EIO.
 */
public interface NbdExport {
    /** The name clients ask for (NBD_OPT_GO / NBD_OPT_EXPORT_NAME). */
    String name();

    /** Free text shown by {@code nbdinfo}. */
    default String description() {
        return "";
    }

    long size();

    boolean readOnly();

    /** Preferred I/O size (the image's object size for RBD). */
    default int preferredBlockSize() {
        return 4096;
    }

    CompletableFuture<ByteBuffer> read(long offset, int length);

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} at its position (the
     * server's own, reused buffer; position and limit are left as they are). By default through
     * {@link #read(long, int)} and a copy; an export that can fill a caller's buffer overrides it.
     *
     * @param offset where
     * @param dst where the bytes go
     * @return completed when all of them are there
     */
    default CompletableFuture<Void> read(long offset, ByteBuffer dst) {
        int at = dst.position();
        int n = dst.remaining();
        return read(offset, n).thenAccept(b -> {
            if (b.remaining() != n) {
                // never send a reused buffer's stale bytes in place of missing ones
                throw new NbdIoException(NbdIoException.EIO, "export returned " + b.remaining() + " bytes for a read of " + n);
            }
            dst.put(at, b, b.position(), n);
        });
    }

    /**
     * Whether the server reads with {@link #readView} (the export hands over buffers it holds,
     * which the server writes to the socket as they are and then closes) instead of
     * {@link #read(long, ByteBuffer)} into a buffer of the server's own. False by default.
     *
     * @return true when {@link #readView} is the export's fast read
     */
    default boolean readsViews() {
        return false;
    }

    /**
     * Reads {@code length} bytes at {@code offset} as a view the server writes to the socket with
     * one gathering write and then closes (used when {@link #readsViews()} is true). The view must
     * hold exactly {@code length} bytes. By default through {@link #read(long, int)}, wrapped.
     *
     * @param offset where
     * @param length how many bytes
     * @return the bytes, the server's to close
     */
    default CompletableFuture<org.jceph.rados.ReadView> readView(long offset, int length) {
        return read(offset, length).thenApply(org.jceph.rados.ReadView::of);
    }

    /**
     * Writes {@code data} (its remaining bytes); when {@code fua}, durable before completing. The
     * buffer is the server's, reused once the future completes: copy what must be kept longer.
     */
    CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua);

    CompletableFuture<Void> flush();

    /** Discard: the range may read back as anything until written again (RBD: zeros). */
    CompletableFuture<Void> trim(long offset, long length);

    /** The range reads back as zeros; {@code mayPunchHole} allows deallocating it. */
    CompletableFuture<Void> writeZeroes(long offset, long length, boolean mayPunchHole);

    /**
     * Allocation of {@code [offset, offset+length)} for the base:allocation metadata context, in
     * order from {@code offset}; it may describe less than asked, never nothing. Null when the
     * export cannot tell (then the server answers "allocated data" for the whole range).
     */
    default CompletableFuture<List<Extent>> allocation(long offset, long length) {
        return CompletableFuture.completedFuture(null);
    }

    /** A run of bytes and its allocation state. */
    record Extent(long length, boolean hole, boolean zero) {
    }
}
