package org.jceph.benchmarks.messenger;

import com.sun.management.ThreadMXBean;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.jceph.messenger.internal.v2.Frame;
import org.jceph.messenger.internal.v2.FrameReader;
import org.jceph.messenger.internal.v2.FrameWriter;
import org.jceph.messenger.internal.v2.GcmCipher;
import org.jceph.messenger.internal.v2.Tag;

/**
 * The frames of {@link FrameBenchmark}, timed by the thread's CPU time and allocated bytes rather
 * than by the wall clock, which a shared two-core machine makes meaningless: each frame is
 * encoded, cut into 64 KiB direct buffers as a socket would deliver it, and decoded. Prints the
 * CPU microseconds and bytes allocated per frame for each side, over {@code OPS} frames after
 * {@code WARMUP} unmeasured ones.
 *
 * <pre>java -cp "benchmarks/target/jceph-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.jceph.benchmarks.messenger.FrameCpu crc|secure SIZE WARMUP OPS</pre>
 */
public final class FrameCpu {
    private FrameCpu() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        int size = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        FrameWriter w = new FrameWriter();
        FrameReader r = new FrameReader();
        if (mode.equals("secure")) {
            w.secure(GcmCipher.serverPair(FrameBenchmark.SECRET)[1]);
            r.secure(GcmCipher.clientPair(FrameBenchmark.SECRET)[0]);
        }
        ByteBuf header = Unpooled.wrappedBuffer(new byte[53]);
        ByteBuf front = Unpooled.wrappedBuffer(new byte[200]);
        byte[] d = new byte[size];
        for (int i = 0; i < size; i++) {
            d[i] = (byte) (i * 31);
        }
        ByteBuf data = Unpooled.wrappedBuffer(d);
        ThreadMXBean tm = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long encCpu = 0;
        long decCpu = 0;
        long encAlloc = 0;
        long decAlloc = 0;
        for (int i = 0; i < warm + ops; i++) {
            long c0 = tm.getCurrentThreadCpuTime();
            long a0 = tm.getThreadAllocatedBytes(tid);
            ByteBuf wire = w.encode(Tag.MESSAGE, header, front, Unpooled.EMPTY_BUFFER, data);
            long c1 = tm.getCurrentThreadCpuTime();
            long a1 = tm.getThreadAllocatedBytes(tid);
            CompositeByteBuf cum = ByteBufAllocator.DEFAULT.compositeBuffer(Integer.MAX_VALUE);
            while (wire.isReadable()) {
                int k = Math.min(65536, wire.readableBytes());
                ByteBuf piece = ByteBufAllocator.DEFAULT.directBuffer(k);
                piece.writeBytes(wire, k);
                cum.addComponent(true, piece);
            }
            wire.release();
            long c2 = tm.getCurrentThreadCpuTime();
            long a2 = tm.getThreadAllocatedBytes(tid);
            Frame f = r.next(cum);
            int got = f.buf(3).readableBytes();
            f.release();
            cum.release();
            long c3 = tm.getCurrentThreadCpuTime();
            long a3 = tm.getThreadAllocatedBytes(tid);
            if (got != size) {
                throw new IllegalStateException("decoded " + got + " data bytes, sent " + size);
            }
            if (i >= warm) {
                encCpu += c1 - c0;
                decCpu += c3 - c2;
                encAlloc += a1 - a0;
                decAlloc += a3 - a2;
            }
        }
        System.out.printf("%s %d: encode %.1f us CPU/frame, %d B/frame; decode %.1f us CPU/frame, %d B/frame"
                + " (%d frames after %d warm-up)%n", mode, size, encCpu / 1e3 / ops, encAlloc / ops,
                decCpu / 1e3 / ops, decAlloc / ops, ops, warm);
    }
}
