package org.jceph.benchmarks.rbd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jceph.nbd.NbdExport;
import org.jceph.nbd.internal.NbdConnection;
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
 * One NBD request at a time through the server's connection over a Unix socket pair: a READ
 * (request, then the reply and its data) or a WRITE (request and data, then the reply). The
 * export stands in for an RBD image whose bytes come from "receive buffers" (one direct
 * buffer): its array read copies them into a fresh array (as the objecter's decode did), its
 * buffer read copies them into the server's buffer; a write copies the request's data out once
 * (as the cache's copy). The server side is what is measured: before session 11 it read each
 * WRITE's data into a fresh heap array (the JDK copying through its temporary direct buffer) and
 * sent each READ's array through the same temporary copy; now both go through reused direct
 * buffers. Both sides run in this process, so the time per op includes the client's work and
 * two thread hand-offs; compare before and after, not absolutes. Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NbdServerBenchmark {
    private static final int REQUEST_MAGIC = 0x25609513;

    @Param({"4096", "1048576"})
    public int size;

    private Path dir;
    private ServerSocketChannel server;
    private SocketChannel client;
    private Thread serving;
    private ScheduledExecutorService timer;
    private ByteBuffer request;
    private ByteBuffer reply;
    private ByteBuffer data;
    private long cookie;

    /** An export whose bytes are a direct buffer (the image's receive buffers, modelled). */
    static final class Export implements NbdExport {
        private final ByteBuffer disk;
        private final ByteBuffer sink;

        Export(int size) {
            disk = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                disk.put(i, (byte) i);
            }
            sink = ByteBuffer.allocateDirect(size);
        }

        @Override
        public String name() {
            return "bench";
        }

        @Override
        public long size() {
            return disk.capacity();
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public CompletableFuture<ByteBuffer> read(long offset, int length) {
            byte[] out = new byte[length];
            disk.get((int) offset, out);
            return CompletableFuture.completedFuture(ByteBuffer.wrap(out));
        }

        @Override
        public CompletableFuture<Void> read(long offset, ByteBuffer dst) {
            dst.put(dst.position(), disk, (int) offset, dst.remaining());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> write(long offset, ByteBuffer d, boolean fua) {
            synchronized (sink) {
                sink.put(0, d, d.position(), d.remaining());
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> flush() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> trim(long offset, long length) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> writeZeroes(long offset, long length, boolean mayPunchHole) {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Setup
    public void setup() throws IOException {
        dir = Files.createTempDirectory("nbd-bench");
        UnixDomainSocketAddress at = UnixDomainSocketAddress.of(dir.resolve("s"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(at);
        client = SocketChannel.open(StandardProtocolFamily.UNIX);
        client.connect(at);
        SocketChannel accepted = server.accept();
        timer = Executors.newSingleThreadScheduledExecutor();
        Export e = new Export(size);
        NbdConnection conn = new NbdConnection(accepted, Map.of("bench", e),
                new NbdConnection.Settings(64, 32 << 20, Duration.ofSeconds(10), Duration.ofSeconds(10)), timer, "bench");
        serving = new Thread(conn, "nbd-bench-conn");
        serving.setDaemon(true);
        serving.start();
        // fixed newstyle, no zeroes, OPT_EXPORT_NAME "bench"
        ByteBuffer hello = ByteBuffer.allocate(18);
        readFully(hello);
        writeFully(ByteBuffer.allocate(4).putInt(3).flip());
        byte[] name = "bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        writeFully(ByteBuffer.allocate(16 + name.length).putLong(0x49484156454F5054L).putInt(1).putInt(name.length)
                .put(name).flip());
        readFully(ByteBuffer.allocate(10)); // size and transmission flags
        request = ByteBuffer.allocate(28);
        reply = ByteBuffer.allocate(16);
        data = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            data.put(i, (byte) (i * 3));
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        client.close();
        server.close();
        timer.shutdownNow();
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (client.read(b) < 0) {
                throw new IOException("server closed");
            }
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            client.write(b);
        }
    }

    private void send(int type) throws IOException {
        request.clear().putInt(REQUEST_MAGIC).putShort((short) 0).putShort((short) type).putLong(++cookie)
                .putLong(0).putInt(size).flip();
        writeFully(request);
    }

    private void awaitReply() throws IOException {
        reply.clear();
        readFully(reply);
        if (reply.getInt(4) != 0 || reply.getLong(8) != cookie) {
            throw new IOException("error " + reply.getInt(4) + " for cookie " + reply.getLong(8));
        }
    }

    @Benchmark
    public ByteBuffer read() throws IOException {
        send(0);
        awaitReply();
        data.clear();
        readFully(data);
        return data;
    }

    @Benchmark
    public ByteBuffer write() throws IOException {
        send(1);
        data.clear();
        writeFully(data);
        awaitReply();
        return reply;
    }
}
