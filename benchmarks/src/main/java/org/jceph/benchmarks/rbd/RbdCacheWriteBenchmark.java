package org.jceph.benchmarks.rbd;

import java.nio.ByteBuffer;
import java.util.Random;
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
 * One 4 KiB write at a random offset through the client cache (what {@code rbd bench --io-type
 * write} does per op with the cache on), the OSDs' write modelled as already complete: the cost
 * is the cache's own bookkeeping (copy, extent maps, ordering, flush accounting). {@code policy}
 * is {@code rbd_cache_policy}: writearound (Pacific's default: sent at once, acknowledged from
 * memory) or writeback (held dirty until target_dirty, then written back). Run with
 * {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RbdCacheWriteBenchmark {
    @Param({"writearound", "writeback"})
    public String policy;

    private WritebackCache cache;
    private final byte[] data = new byte[4096];
    private final Random random = new Random(1);

    @Setup
    public void setup() {
        WritebackCache.Backend backend = new WritebackCache.Backend() {
            @Override
            public CompletableFuture<byte[]> read(long offset, int length) {
                return CompletableFuture.completedFuture(new byte[length]);
            }

            @Override
            public CompletableFuture<Void> write(long offset, byte[] d) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> write(long offset, ByteBuffer d) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> discard(long offset, long length) {
                return CompletableFuture.completedFuture(null);
            }
        };
        CacheSettings s = CacheSettings.DEFAULTS.withPolicy(policy.equals("writeback")
                ? CacheSettings.Policy.WRITEBACK : CacheSettings.Policy.WRITEAROUND).withWritethroughUntilFlush(false);
        cache = new WritebackCache(backend, s, WritebackCache.system(), "bench");
    }

    @TearDown
    public void tearDown() {
        cache.close().join();
    }

    @Benchmark
    public CompletableFuture<Void> write() {
        long off = (long) random.nextInt(65536) * 4096; // 256 MiB image, 4 KiB blocks
        return cache.write(off, data, false);
    }
}
