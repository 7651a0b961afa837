package org.jceph.benchmarks.rados;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * MOSDOp encoding as the Objecter does it for each op sent: a one-op request, a 4 KiB read or a
 * 4 KiB write_full (whose data is the caller's array, not copied), with a rados-bench-like object
 * name. The message's front is built here; framing is {@code FrameBenchmark}'s. Run with
 * {@code -prof gc} for the bytes allocated per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(1)
public class OsdOpEncodeBenchmark {
    @Param({"read", "write"})
    public String op;

    private OsdOpMessages.Request request;

    @Setup
    public void setup() {
        OsdOp o = op.equals("read") ? OsdOp.read(0, 4096) : OsdOp.writeFull(new byte[4096]);
        request = new OsdOpMessages.Request(7, new PgId(1, 3), 0x1234, 10, "benchmark_data_host_12345_object678",
                new ObjectLocator(1, "", ""), List.of(o), UTime.of(java.time.Instant.EPOCH), 0x3f01cfbffffdffffL,
                OsdOpMessages.NOSNAP, SnapContext.EMPTY, 0);
    }

    @Benchmark
    public Message encode() {
        return OsdOpMessages.encode(request);
    }
}
