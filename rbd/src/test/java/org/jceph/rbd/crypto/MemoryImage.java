package org.jceph.rbd.crypto;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.jceph.rbd.Image;

/** An image in a byte array, for the encryption layer's unit tests. */
final class MemoryImage implements Image {
    final byte[] bytes;
    private final int order;
    boolean closed;

    MemoryImage(int size, int order) {
        this.bytes = new byte[size];
        this.order = order;
    }

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public int format() {
        return 2;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public synchronized CompletableFuture<byte[]> readAsync(long offset, int length) {
        if (offset < 0 || offset + length > bytes.length) {
            return CompletableFuture.failedFuture(new IllegalStateException("read past the end"));
        }
        return CompletableFuture.completedFuture(Arrays.copyOfRange(bytes, (int) offset, (int) offset + length));
    }

    @Override
    public synchronized CompletableFuture<Void> writeAsync(long offset, byte[] data, boolean fua) {
        if (offset < 0 || offset + data.length > bytes.length) {
            return CompletableFuture.failedFuture(new IllegalStateException("write past the end"));
        }
        System.arraycopy(data, 0, bytes, (int) offset, data.length);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> discardAsync(long offset, long length) {
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> flushAsync() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
    }
}
