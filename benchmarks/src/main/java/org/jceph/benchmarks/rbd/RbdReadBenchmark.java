package org.jceph.benchmarks.rbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.rbd.cache.CacheSettings;
import org.jceph.rbd.cache.WritebackCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An image read through the client cache's read side (the CLI's images have it, in write-around
 * mode) down to where the objecter delivers the reply's data, which is modelled here: the data
 * is a composite view of two direct receive buffers, as crc mode hands it up.
 *
 * <p>{@code array} is the array-returning path ({@code RbdImage.readAsync(off, len)}, what
 * {@code rbd bench} and the NBD server used before issue 16's session 11): the objecter copies
 * the data into a fresh, zero-filled array of the read's size ({@code OsdOpMessages.decode}),
 * which is the answer. {@code into} is {@code RbdImage.readAsync(off, ByteBuffer)}: the data is
 * copied once from the receive buffers into the caller's (reused) buffer
 * ({@code OsdOpMessages.Head.finish}), no array. Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RbdReadBenchmark {
    @Param({"4096", "4194304"})
    public int size;

    @Param({"heap"})
    public String dst;

    private CompositeByteBuf received;
    private ByteBuffer target;
    private WritebackCache cache;

    @Setup
    public void setup() {
        ByteBuf a = ByteBufAllocator.DEFAULT.directBuffer(size / 2 + 1);
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(size - size / 2 - 1 + 64);
        for (int i = 0; i < size / 2 + 1; i++) {
            a.writeByte(i);
        }
        for (int i = 0; i < size - size / 2 - 1 + 64; i++) {
            b.writeByte(i * 7);
        }
        received = ByteBufAllocator.DEFAULT.compositeDirectBuffer(2);
        received.addComponent(true, a).addComponent(true, b);
        target = dst.equals("direct") ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        CompositeByteBuf data = received;
        WritebackCache.Backend backend = new WritebackCache.Backend() {
            @Override
            public CompletableFuture<byte[]> read(long offset, int length) {
                byte[] out = new byte[length]; // as OsdOpMessages.decode: a fresh array, then the copy
                data.getBytes(0, out);
                return CompletableFuture.completedFuture(out);
            }

            @Override
            public CompletableFuture<Void> read(long offset, ByteBuffer into) {
                ByteBuffer view = into.duplicate(); // as ReadInto.deliver: straight into the caller's buffer
                if (view.hasArray()) {
                    data.getBytes(0, view.array(), view.arrayOffset() + view.position(), view.remaining());
                } else {
                    data.getBytes(0, view);
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> write(long offset, byte[] d) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> discard(long offset, long length) {
                return CompletableFuture.completedFuture(null);
            }
        };
        CacheSettings s = CacheSettings.DEFAULTS; // write-around, as the CLI opens images
        cache = new WritebackCache(backend, s, WritebackCache.system(), "bench");
    }

    @TearDown
    public void tearDown() {
        cache.close();
        received.release();
    }

    @Benchmark
    public byte[] array() {
        return cache.read(0, size).join();
    }

    @Benchmark
    public ByteBuffer into() {
        target.clear();
        cache.read(0, target).join();
        return target;
    }
}
