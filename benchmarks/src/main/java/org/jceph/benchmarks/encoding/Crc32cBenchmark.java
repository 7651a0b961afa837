package org.jceph.benchmarks.encoding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.jceph.encoding.Crc32c;
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
 * CRC32C over message payloads in Ceph's seeded convention, against the JDK's plain CRC32C: the
 * seed correction (a carry-less multiply by x^(8n)) should cost next to nothing beside the
 * intrinsic. Throughput in bytes/s = size × ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc32cBenchmark {
    @Param({"64", "4096", "4194304"})
    public int size;

    private byte[] heap;
    private ByteBuf direct;

    @Setup
    public void setup() {
        heap = new byte[size];
        for (int i = 0; i < size; i++) {
            heap[i] = (byte) (i * 131 + 7);
        }
        direct = Unpooled.directBuffer(size).writeBytes(heap);
    }

    @TearDown
    public void release() {
        direct.release();
    }

    @Benchmark
    public int cephSeededHeap() {
        return Crc32c.update(-1, heap, 0, size);
    }

    @Benchmark
    public int cephSeedZeroDirect() {
        return Crc32c.update(0, direct, 0, size);
    }

    @Benchmark
    public long jdkPlain() {
        CRC32C c = new CRC32C();
        c.update(heap, 0, size);
        return c.getValue();
    }
}
