package org.jceph.nbd;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.jceph.rbd.Image;

/**
 * An RBD image of either format ({@link Image}: {@code RbdImage} or {@code Format1Image}) served
 * over NBD: READ/WRITE go to the image's data objects, TRIM and
 * WRITE_ZEROES become discards (absent objects read as zeros), FLUSH is the image's flush. Without
 * the client cache ({@code rbd_cache=false}) the OSDs acknowledge writes only once they are
 * durable and FLUSH completes at once; with it FLUSH writes the dirty data back (the first FLUSH
 * also ends writethrough-until-flush), and a WRITE with FUA completes only once its data is on
 * the OSDs.
 */
public final class RbdExport implements NbdExport {
    private final String name;
    private final Image image;

    /**
     * Serves {@code image} under the export name {@code name}.
     *
     * @param name the NBD export name
     * @param image the open image (a snapshot view is served read-only)
     */
    public RbdExport(String name, Image image) {
        this.name = name;
        this.image = image;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return (image.format() == 1 ? "rbd format 1 image " : "rbd image ") + image.name() + " (" + image.size()
                + " bytes, " + (1L << image.order()) + "-byte objects)";
    }

    @Override
    public long size() {
        return image.size();
    }

    @Override
    public boolean readOnly() {
        return image.readOnly();
    }

    @Override
    public int preferredBlockSize() {
        return (int) Math.min(1L << image.order(), 1 << 22);
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        return image.readAsync(offset, length).thenApply(ByteBuffer::wrap);
    }

    @Override
    public CompletableFuture<Void> read(long offset, ByteBuffer dst) {
        // straight from the OSDs' replies into the server's buffer (a duplicate: its position stays)
        return image.readAsync(offset, dst.duplicate()).thenApply(n -> null);
    }

    /** Reads are views of the OSDs' replies (no copy into a server buffer): see {@link #readView}. */
    @Override
    public boolean readsViews() {
        return true;
    }

    /**
     * The image's zero-copy read ({@link Image#readViewAsync}): the objects' received buffers go
     * to the socket as they are, holes as shared zeros; where the image cannot serve a range from
     * the objects' replies alone (cache holding data over it, a clone's parent, an encrypted or
     * format 1 image) it is the copying read, wrapped.
     */
    @Override
    public CompletableFuture<org.jceph.rados.ReadView> readView(long offset, int length) {
        return image.readViewAsync(offset, length);
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        return image.writeAsync(offset, data, fua); // no array: the cache copies, or the buffer is sent as it is
    }

    @Override
    public CompletableFuture<Void> flush() {
        return image.flushAsync();
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return image.discardAsync(offset, length);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, boolean mayPunchHole) {
        return image.discardAsync(offset, length);
    }

    /** base:allocation from which data objects exist (64 objects per answer at most), when the image can tell. */
    @Override
    public CompletableFuture<java.util.List<Extent>> allocation(long offset, long length) {
        return image.allocation(offset, length, 64).thenApply(runs -> runs == null ? null : runs.stream()
                .map(r -> new Extent(r[0], r[1] == 0, r[1] == 0)).toList());
    }
}
