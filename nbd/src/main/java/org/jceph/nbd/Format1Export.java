package org.jceph.nbd;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.jceph.rbd.format1.Format1Image;

/** A format 1 RBD image served over NBD, with the same semantics as {@link RbdExport}. */
public final class Format1Export implements NbdExport {
    private final String name;
    private final Format1Image image;
    private final boolean readOnly;

    public Format1Export(String name, Format1Image image, boolean readOnly) {
        this.name = name;
        this.image = image;
        this.readOnly = readOnly;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "rbd format 1 image " + image.name() + " (" + image.size() + " bytes, " + (1L << image.order())
                + "-byte objects)";
    }

    @Override
    public long size() {
        return image.size();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
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
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return image.writeAsync(offset, bytes);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null); // the OSDs acknowledge durable writes
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return image.discardAsync(offset, length);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, boolean mayPunchHole) {
        return image.discardAsync(offset, length);
    }
}
