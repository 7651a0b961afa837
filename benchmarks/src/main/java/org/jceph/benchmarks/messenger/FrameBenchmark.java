package org.jceph.benchmarks.messenger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.jceph.messenger.internal.v2.Frame;
import org.jceph.messenger.internal.v2.FrameReader;
import org.jceph.messenger.internal.v2.FrameWriter;
import org.jceph.messenger.internal.v2.GcmCipher;
import org.jceph.messenger.internal.v2.Tag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * msgr2.1 MESSAGE frames (header2 53 bytes, front 200, no middle, data {@code size}) through
 * FrameWriter and FrameReader in crc and secure mode. {@code encode} builds a frame's wire form
 * (what a write costs the sender); {@code decode} reads a wire frame back as the socket delivers
 * it (64 KiB direct buffers in a composite cumulation, as the clients' channel does): what a read
 * reply costs the receiver. The decoded frames are a ring encoded at set-up and read again and
 * again; in secure mode each pass over the ring starts a fresh reader whose rx cipher starts at
 * the nonce the ring was sealed from. Run with {@code -prof gc} for the bytes allocated per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameBenchmark {
    static final byte[] SECRET = new byte[GcmCipher.SECRET_LEN];

    static {
        for (int i = 0; i < SECRET.length; i++) {
            SECRET[i] = (byte) (i * 7 + 1);
        }
    }

    @Param({"crc", "secure"})
    public String mode;

    @Param({"4096", "4194304"})
    public int size;

    private FrameWriter writer;
    private ByteBuf header;
    private ByteBuf front;
    private ByteBuf data;

    // decode: a ring of wire frames sealed once; each pass over it starts a fresh reader
    private ByteBuf[] ring;
    private FrameReader reader;
    private int next;

    @Setup
    public void setup() {
        header = Unpooled.wrappedBuffer(new byte[53]);
        front = Unpooled.wrappedBuffer(new byte[200]);
        byte[] d = new byte[size];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 31);
        }
        data = Unpooled.wrappedBuffer(d);
        writer = new FrameWriter();
        if (mode.equals("secure")) {
            writer.secure(GcmCipher.clientPair(SECRET)[1]);
        }
        FrameWriter ringWriter = new FrameWriter();
        if (mode.equals("secure")) {
            ringWriter.secure(GcmCipher.serverPair(SECRET)[1]);
        }
        ring = new ByteBuf[Math.max(4, Math.min(1024, (16 << 20) / size))];
        for (int i = 0; i < ring.length; i++) {
            ByteBuf wire = ringWriter.encode(Tag.MESSAGE, header, front, Unpooled.EMPTY_BUFFER, data);
            CompositeByteBuf cum = ByteBufAllocator.DEFAULT.compositeBuffer(Integer.MAX_VALUE);
            while (wire.isReadable()) {
                int n = Math.min(65536, wire.readableBytes());
                ByteBuf piece = ByteBufAllocator.DEFAULT.directBuffer(n);
                piece.writeBytes(wire, n);
                cum.addComponent(true, piece);
            }
            wire.release();
            ring[i] = cum;
        }
        next = ring.length;
    }

    @Benchmark
    public int encode() {
        ByteBuf wire = writer.encode(Tag.MESSAGE, header, front, Unpooled.EMPTY_BUFFER, data);
        int n = wire.readableBytes();
        wire.release();
        return n;
    }

    /**
     * {@link #encode} plus what the socket write adds for a heap frame: Netty copies a frame that
     * is not direct into a pooled direct buffer before writing it (filterOutboundMessage). The
     * client's path for frames over 64 KiB, and for every frame before session 11.
     */
    @Benchmark
    public int encodeToSocket() {
        return toSocket(writer.encode(Tag.MESSAGE, header, front, Unpooled.EMPTY_BUFFER, data));
    }

    /**
     * The client's path for a crc-mode frame under 64 KiB since session 11
     * ({@link FrameWriter#encodeSmall}): the frame written once into one pooled direct buffer,
     * which the socket takes as it is. Compare with {@link #encodeToSocket}.
     */
    @Benchmark
    public int encodeSmallToSocket() {
        return toSocket(writer.encodeSmall(ByteBufAllocator.DEFAULT, Tag.MESSAGE, header, front,
                Unpooled.EMPTY_BUFFER, data));
    }

    /** What the socket write does with a frame: a heap frame is copied into a pooled direct buffer first. */
    private static int toSocket(ByteBuf wire) {
        int n = wire.readableBytes();
        ByteBuf direct = wire.isDirect() ? wire : ByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(wire);
        if (direct != wire) {
            wire.release();
        }
        direct.release();
        return n;
    }

    @Benchmark
    public int decode() {
        if (next == ring.length) {
            reader = new FrameReader();
            if (mode.equals("secure")) {
                reader.secure(GcmCipher.clientPair(SECRET)[0]);
            }
            next = 0;
        }
        ByteBuf in = ring[next++];
        in.readerIndex(0);
        Frame f = reader.next(in);
        int n = f.buf(3).readableBytes();
        f.release();
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ByteBuf b : ring) {
            b.release();
        }
    }
}
