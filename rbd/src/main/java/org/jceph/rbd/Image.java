package org.jceph.rbd;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What every RBD image open for I/O offers, whatever its on-disk format: {@link RbdImage} (format
 * 2) and {@link org.jceph.rbd.format1.Format1Image} (format 1, the 2010 layout). Block-device front
 * ends, such as the NBD server's export, serve either through it.
 */
public interface Image extends AutoCloseable {
    /**
     * The image's name.
     *
     * @return the name
     */
    String name();

    /**
     * The on-disk format: 2 for {@link RbdImage}, 1 for a format 1 image.
     *
     * @return 1 or 2
     */
    int format();

    /**
     * The image's size in bytes (for a snapshot view, the snapshot's).
     *
     * @return the size
     */
    long size();

    /**
     * log2 of the object size.
     *
     * @return the order
     */
    int order();

    /**
     * Whether writes are refused (opened read-only, or a snapshot view).
     *
     * @return true when read-only
     */
    boolean readOnly();

    /**
     * Reads a range; absent objects read as zeros.
     *
     * @param offset where the range starts
     * @param length its length
     * @return a future of the bytes
     */
    CompletableFuture<byte[]> readAsync(long offset, int length);

    /**
     * Reads a range without copying it where the image can (absent objects and holes as zeros):
     * the bytes are handed over as a {@link org.jceph.rados.ReadView}, which the caller must close
     * (it may pin receive memory until then; see its lifetime rules). By default this reads an
     * array ({@link #readAsync(long, int)}) and wraps it; {@link RbdImage} hands over the objects'
     * received buffers (librbd's read into a bufferlist). Cancel the returned future itself to
     * give up on a read: a view that arrives after that is closed.
     *
     * @param offset where the range starts
     * @param length its length
     * @return a future of a view of exactly {@code length} bytes
     */
    default CompletableFuture<org.jceph.rados.ReadView> readViewAsync(long offset, int length) {
        return readAsync(offset, length).thenApply(b -> org.jceph.rados.ReadView.of(java.nio.ByteBuffer.wrap(b)));
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} at its position
     * (absent objects and holes as zeros); the position moves past them when the future
     * completes. Leave the buffer alone until then. Heap and direct buffers both work. By
     * default this reads an array and copies it in; {@link RbdImage} reads the objects' bytes
     * straight into the buffer (rbd_read into a caller's memory).
     *
     * @param offset where the range starts
     * @param dst where the bytes go: its remaining bytes, not read-only
     * @return a future of how many bytes were read (all of them)
     * @throws java.nio.ReadOnlyBufferException at once when {@code dst} is read-only
     */
    default CompletableFuture<Integer> readAsync(long offset, java.nio.ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int n = dst.remaining();
        return readAsync(offset, n).thenApply(b -> {
            dst.put(b);
            return n;
        });
    }

    /**
     * Writes a range. With {@code fua} (NBD's force unit access) the future completes only once
     * the data is on the OSDs, whatever a client cache would do.
     *
     * @param offset where
     * @param data the bytes
     * @param fua whether the write must be durable when it completes
     * @return a future completed when the write is acknowledged
     */
    CompletableFuture<Void> writeAsync(long offset, byte[] data, boolean fua);

    /**
     * Writes {@code data}'s remaining bytes (its position is not moved); leave them unchanged
     * until the future completes. By default they are copied into an array (none when the buffer
     * is one whole array); {@link RbdImage} hands the buffer down as it is.
     *
     * @param offset where
     * @param data the bytes
     * @param fua whether the write must be durable when it completes
     * @return a future completed when the write is acknowledged
     */
    default CompletableFuture<Void> writeAsync(long offset, java.nio.ByteBuffer data, boolean fua) {
        byte[] bytes;
        if (data.hasArray() && data.arrayOffset() == 0 && data.position() == 0 && data.remaining() == data.array().length) {
            bytes = data.array();
        } else {
            bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
        }
        return writeAsync(offset, bytes, fua);
    }

    /**
     * Discards a range: it reads back as zeros.
     *
     * @param offset where the range starts
     * @param length its length
     * @return a future completed when done
     */
    CompletableFuture<Void> discardAsync(long offset, long length);

    /**
     * Completes once every write acknowledged before the call is on the OSDs.
     *
     * @return the flush
     */
    CompletableFuture<Void> flushAsync();

    /**
     * Which parts of a range hold data: {@code {length, allocated ? 1 : 0}} runs from
     * {@code offset}, at most {@code maxObjects} objects' worth; a future of null when the image
     * cannot tell (then callers treat the whole range as data).
     *
     * @param offset where the range starts
     * @param length its length
     * @param maxObjects how many objects to look at, at most
     * @return a future of the runs, or of null
     */
    default CompletableFuture<List<long[]>> allocation(long offset, long length, int maxObjects) {
        return CompletableFuture.completedFuture(null);
    }

    /** Closes the image (idempotent); unchecked, unlike {@link AutoCloseable#close()}. */
    @Override
    void close();
}
