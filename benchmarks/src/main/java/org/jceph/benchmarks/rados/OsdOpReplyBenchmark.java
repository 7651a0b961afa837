package org.jceph.benchmarks.rados;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.ReadInto;
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
 * What a read reply costs the objecter once the frame is read: {@code OsdOpMessages.decode} of a
 * one-op MOSDOpReply (v8 front as an OSD sends it, {@code rados bench}'s object name) whose data
 * is a view of direct receive buffers, as crc mode hands it up (the reply's bytes split across
 * two 64 KiB socket reads, so the view is a composite). Run with {@code -prof gc} for the bytes
 * allocated per reply.
 *
 * <p>{@code readIntoTwoCopies} and {@code readIntoOneCopy} are a read into a caller's buffer
 * ({@code IoCtx.read(oid, off, ByteBuffer)}) before and after issue 16: the reply's data into a
 * fresh array and that array into the buffer, against the data copied once from the receive
 * buffers into the buffer ({@code dst}: a heap or a direct one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OsdOpReplyBenchmark {
    @Param({"4096"})
    public int size;

    @Param({"heap"})
    public String dst;

    private java.nio.ByteBuffer target;

    private byte[] front;
    private CompositeByteBuf data;

    @Setup
    public void setup() {
        PackedLayout op = CephStructs.CEPH_OSD_OP;
        ByteBuf f = CephEncoder.heapBuffer(256);
        CephEncoder e = new CephEncoder(f);
        e.writeString("benchmark_data_host_12345_object1234");
        new PgId(2, 0x1f).encode(e);
        e.writeU64Le(OsdOpMessages.FLAG_ONDISK | OsdOpMessages.FLAG_READ).writeS32Le(0);
        EVersion.ZERO.encode(e); // bad_replay_version
        e.writeU32Le(20).writeU32Le(1); // epoch, one op
        int at = f.writerIndex();
        f.writeZero(op.size());
        op.field("op").setLong(f, at, 0x1201); // CEPH_OSD_OP_READ
        op.field("payload_len").setLong(f, at, size);
        e.writeS32Le(0); // retry_attempt
        e.writeS32Le(0); // rval
        EVersion.ZERO.encode(e); // replay_version
        e.writeU64Le(7); // user_version
        e.writeBool(false); // no redirect
        e.writeBytes(new byte[24]); // blkin trace
        front = new byte[f.readableBytes()];
        f.readBytes(front);
        data = ByteBufAllocator.DEFAULT.compositeBuffer();
        int first = size / 3;
        data.addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(first).writeZero(first));
        data.addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(size - first).writeZero(size - first));
        target = "direct".equals(dst) ? java.nio.ByteBuffer.allocateDirect(size) : java.nio.ByteBuffer.allocate(size);
    }

    @TearDown
    public void release() {
        data.release();
    }

    private Message reply() {
        return new Message(MessageType.OSD_OPREPLY.number(), 8, 2, 127, 1, 1, front, new byte[0], data.duplicate());
    }

    @Benchmark
    public Object decode() {
        return OsdOpMessages.decode(reply());
    }

    /** Before issue 16: the data into a fresh array, then into the caller's buffer. */
    @Benchmark
    public int readIntoTwoCopies() {
        byte[] out = OsdOpMessages.decode(reply()).outputs().get(0);
        target.clear();
        target.put(out, 0, Math.min(out.length, target.remaining()));
        return target.position();
    }

    /** After: the data copied once, from the receive buffers into the caller's buffer. */
    @Benchmark
    public int readIntoOneCopy() {
        target.clear();
        ReadInto sink = new ReadInto(0, target);
        OsdOpMessages.decodeHead(reply()).finish(sink);
        return sink.count();
    }
}
