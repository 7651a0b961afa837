package org.jceph.cli.rados;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.cli.BenchWarmUp;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * {@code rados bench} over our client, interchangeable with the stock tool's: the same object
 * names ({@code benchmark_data_<host>_<pid>_object<N>}), the same contents ({@code "I'm the %16dth
 * op!"}, a NUL, then 'z' to the op size) and the same run metadata object
 * ({@code benchmark_last_metadata}, or {@code --run-name}). So the read modes read whatever the last
 * write left, whichever tool wrote it, and verify each object's bytes as the stock tool does; and
 * {@code rados bench seq} reads what we wrote. Write mode cleans up after itself unless
 * {@code --no-cleanup}; seq and rand need such a write first ("Must write data before running a read
 * benchmark!", as the stock tool). The summary has the stock tool's lines plus p99 latency and the
 * process's CPU seconds per op.
 */
final class RadosBench {
    /** The stock tool's default run name: the object that records the last write run. */
    static final String DEFAULT_RUN_NAME = "benchmark_last_metadata";

    private final IoCtx io;
    private final PrintStream out;
    private final PrintStream err;

    RadosBench(IoCtx io, PrintStream out, PrintStream err) {
        this.io = io;
        this.out = out;
        this.err = err;
    }

    /**
     * What {@code rados bench write} records for the read modes: le64 object size, le32 number of
     * objects, le32 writer pid, le64 op size (Pacific's obj_bencher; an older writer left out the op
     * size, which then equals the object size).
     */
    record Metadata(long objectSize, int numObjects, int pid, long opSize) {
        static final int SIZE = 24;

        byte[] encode() {
            return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(objectSize).putInt(numObjects)
                    .putInt(pid).putLong(opSize).array();
        }

        static Metadata decode(byte[] b) {
            if (b.length < 16) {
                throw new IllegalArgumentException("bench metadata of " + b.length + " bytes (at least 16 expected)");
            }
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long objectSize = bb.getLong();
            int n = bb.getInt();
            int pid = bb.getInt();
            long opSize = bb.remaining() >= 8 ? bb.getLong() : objectSize;
            return new Metadata(objectSize, n, pid, opSize);
        }
    }

    /**
     * The host name as the stock tool takes it: gethostname into a 30-byte buffer of which 29 may
     * be used, so longer names are cut to 29 characters.
     */
    static String hostname() {
        String h = null;
        try {
            h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        if (h == null || h.isEmpty()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        return h.length() > 29 ? h.substring(0, 29) : h;
    }

    static String objectName(String host, int pid, long index) {
        return "benchmark_data_" + host + "_" + pid + "_object" + index;
    }

    /**
     * The bytes the stock tool writes as op {@code index}: {@code snprintf(buf, size, "I'm the
     * %16dth op!", index)} over a buffer of 'z'. The text, cut to size - 1, is followed by a NUL.
     */
    static byte[] contents(long index, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'z');
        if (size == 0) {
            return b;
        }
        byte[] text = text(index);
        int n = Math.min(text.length, size - 1);
        System.arraycopy(text, 0, b, 0, n);
        b[n] = 0;
        return b;
    }

    /**
     * Whether {@code got} is {@link #contents contents(index, size)}, compared in place: the text,
     * its NUL, then the run of 'z' against {@code zs} (at least {@code size} bytes of 'z'). Every
     * byte is checked, as the stock tool's memcmp does, without building the expected object per
     * read (that, with String.format, was two thirds of the completion thread's time).
     */
    static boolean matches(byte[] got, long index, int size, byte[] zs) {
        return matches(got, got.length, index, size, zs);
    }

    /** As {@link #matches(byte[], long, int, byte[])} for the first {@code gotLength} bytes of {@code got}. */
    static boolean matches(byte[] got, int gotLength, long index, int size, byte[] zs) {
        if (gotLength != size) {
            return false;
        }
        if (size == 0) {
            return true;
        }
        byte[] text = text(index);
        int n = Math.min(text.length, size - 1);
        return Arrays.equals(got, 0, n, text, 0, n) && got[n] == 0
                && Arrays.equals(got, n + 1, size, zs, n + 1, size);
    }

    /**
     * Whether the view {@code got} (a read handed over in its received buffers) is
     * {@link #contents contents(index, size)}: every byte compared in place, piece by piece, the
     * run of 'z' against {@code zs} (at least {@code size} bytes of 'z') with a vectorised
     * mismatch, as the stock tool's memcmp over its bufferlist; nothing is copied out.
     */
    static boolean matches(org.jceph.rados.ReadView got, long index, int size, ByteBuffer zs) {
        if (got.length() != size) {
            return false;
        }
        if (size == 0) {
            return true;
        }
        byte[] text = text(index);
        int n = Math.min(text.length, size - 1); // text bytes [0, n), NUL at n, 'z' after
        int at = 0;
        for (ByteBuffer b : got.nioBuffers()) {
            int p = b.position();
            int len = b.remaining();
            int i = 0;
            for (; i < len && at + i <= n; i++) {
                byte want = at + i < n ? text[at + i] : 0;
                if (b.get(p + i) != want) {
                    return false;
                }
            }
            if (i < len && b.slice(p + i, len - i).mismatch(zs.slice(0, len - i)) != -1) {
                return false;
            }
            at += len;
        }
        return at == size;
    }

    /** {@code "I'm the %16dth op!"} of {@code index}, built without a Formatter. */
    static byte[] text(long index) {
        String digits = Long.toString(index);
        int pad = Math.max(0, 16 - digits.length());
        byte[] t = new byte[8 + pad + digits.length() + 6];
        int k = 0;
        for (char c : "I'm the ".toCharArray()) {
            t[k++] = (byte) c;
        }
        for (int i = 0; i < pad; i++) {
            t[k++] = ' ';
        }
        for (int i = 0; i < digits.length(); i++) {
            t[k++] = (byte) digits.charAt(i);
        }
        for (char c : "th op!".toCharArray()) {
            t[k++] = (byte) c;
        }
        return t;
    }

    /** The metadata of the last write run under this name, or null when there is none. */
    Metadata metadata(String runName) {
        try {
            byte[] b = io.read(runName, 0, Metadata.SIZE);
            return b.length == 0 ? null : Metadata.decode(b);
        } catch (RadosException.ObjectNotFoundException e) {
            return null;
        }
    }

    /**
     * Writes {@code size}-byte objects for {@code seconds} with {@code threads} in flight, records
     * the run's metadata under {@code runName}, and returns it.
     */
    Metadata write(int seconds, int size, int threads, String runName) throws InterruptedException {
        String host = hostname();
        int pid = (int) ProcessHandle.current().pid();
        out.printf("Maintaining %d concurrent writes of %d bytes to objects of size %d for up to %d seconds or 0 objects%n",
                threads, size, size, seconds);
        out.println("Object prefix: benchmark_data_" + host + "_" + pid);
        long ops = loop("write", seconds, size, threads, (i, buf) -> io.writeFullAsync(objectName(host, pid, i),
                contents(i, size)), Long.MAX_VALUE, null, false);
        Metadata m = new Metadata(size, (int) ops, pid, size);
        io.writeFull(runName, m.encode());
        return m;
    }

    /**
     * Reads what the write run {@code m} left: in order (seq, ending early when every object was read)
     * or at random (rand), for {@code seconds}, verifying each object's bytes unless {@code noVerify}.
     * Each object that does not hold what the run wrote is named on stderr ("NAME is not correct!",
     * as the stock tool); returns how many reads found such an object.
     */
    long read(String mode, int seconds, int threads, Metadata m, boolean noVerify) throws InterruptedException {
        String host = hostname();
        int size = (int) m.opSize();
        Random pick = new Random(7);
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        // Each read is handed over in the buffers it was received into (IoCtx.readViewAsync, as
        // the stock tool reads into a bufferlist): no copy, verified in place, then released
        loop(mode, seconds, size, threads, (i, buf) -> io.readViewAsync(objectName(host, m.pid(), i), 0, size),
                m.numObjects(),
                mode.equals("seq") ? null : pick, noVerify, errors, next, i -> err.println(objectName(host, m.pid(), i)
                        + " is not correct!"));
        return errors.get();
    }

    /** Removes the objects of the run recorded under {@code runName} and the record itself; returns how many. */
    long cleanup(String runName) throws InterruptedException {
        Metadata m = metadata(runName);
        if (m == null) {
            return -1;
        }
        String host = hostname();
        List<String> names = new ArrayList<>();
        for (long i = 0; i < m.numObjects(); i++) {
            names.add(objectName(host, m.pid(), i));
        }
        long removed = removeAll(names);
        io.remove(runName);
        return removed;
    }

    /**
     * Removes these objects, 16 at a time as the stock tool's cleanup does; an object already gone
     * is not counted. Returns how many were removed.
     */
    long removeAll(List<String> names) throws InterruptedException {
        Semaphore slots = new Semaphore(16);
        AtomicLong removed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (String oid : names) {
            if (failure.get() != null) {
                break;
            }
            if (!slots.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("removals still in flight after 60 s");
            }
            io.removeAsync(oid).whenComplete((v, e) -> {
                if (e == null) {
                    removed.incrementAndGet();
                } else if (!(RadosException.unwrap(e) instanceof RadosException.ObjectNotFoundException)) {
                    failure.compareAndSet(null, e);
                }
                slots.release();
            });
        }
        if (!slots.tryAcquire(16, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("removals still in flight after 60 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a removal failed: " + failure.get(), failure.get());
        }
        return removed.get();
    }

    private interface Issue {
        /**
         * Starts op {@code index}; a read's future yields a {@link org.jceph.rados.ReadView} of
         * the object's bytes, which the loop verifies and closes ({@code buf} is null).
         */
        CompletableFuture<?> start(long index, byte[] buf);
    }

    private long loop(String mode, int seconds, int size, int threads, Issue issue, long objects, Random pick,
            boolean noVerify) throws InterruptedException {
        return loop(mode, seconds, size, threads, issue, objects, pick, noVerify, new AtomicLong(), new AtomicLong(),
                i -> { });
    }

    private long loop(String mode, int seconds, int size, int threads, Issue issue, long objects, Random pick,
            boolean noVerify, AtomicLong errors, AtomicLong next, java.util.function.LongConsumer wrong)
            throws InterruptedException {
        Semaphore slots = new Semaphore(threads);
        AtomicLong ops = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Latencies latencies = new Latencies();
        boolean verify = !mode.equals("write") && !noVerify;
        byte[] z = new byte[size];
        Arrays.fill(z, (byte) 'z');
        ByteBuffer zs = ByteBuffer.wrap(z).asReadOnlyBuffer();
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        // (elapsed ns, ops done, process CPU ns) about once a second: the run's steady rate and
        // what its warm-up (JIT compilation, first connections) cost on top of it
        List<long[]> samples = new ArrayList<>();
        samples.add(new long[] {0, 0, 0});
        long nextSample = start + SAMPLE_NANOS;
        while (System.nanoTime() < end && failure.get() == null) {
            long now = System.nanoTime();
            if (now >= nextSample) {
                samples.add(new long[] {now - start, ops.get(), cpuNanos() - cpu0});
                nextSample = now + SAMPLE_NANOS;
            }
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long i;
            if (pick == null) {
                i = next.getAndIncrement();
                if (i >= objects) {
                    slots.release();
                    break;
                }
            } else {
                i = (long) (pick.nextDouble() * objects);
            }
            long t0 = System.nanoTime();
            long index = i;
            CompletableFuture<?> f;
            try {
                f = issue.start(i, null);
            } catch (RuntimeException ex) {
                f = CompletableFuture.failedFuture(ex);
            }
            f.whenComplete((r, e) -> {
                try {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        latencies.add(System.nanoTime() - t0);
                        ops.incrementAndGet();
                        if (verify && !matches((org.jceph.rados.ReadView) r, index, size, zs)) {
                            errors.incrementAndGet();
                            wrong.accept(index);
                        }
                    }
                } finally {
                    if (r instanceof org.jceph.rados.ReadView v) {
                        v.close(); // the received buffers go back to the pool
                    }
                    slots.release();
                }
            });
        }
        if (!slots.tryAcquire(threads, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("ops still in flight 60 s after the run ended");
        }
        long elapsed = System.nanoTime() - start;
        long cpu = cpuNanos() - cpu0;
        if (failure.get() != null) {
            throw new IllegalStateException("an op failed: " + failure.get(), failure.get());
        }
        samples.add(new long[] {elapsed, ops.get(), cpu});
        summary(mode, elapsed, ops.get(), size, latencies.sorted(), cpu);
        warmUp(samples);
        return ops.get();
    }

    private static final long SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Latencies of the completed ops, appended from the completion thread (or the bench thread when
     * an op completed at once) without boxing: the harness's own cost per op stays small.
     */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int n;

        synchronized void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        synchronized long[] sorted() {
            long[] l = Arrays.copyOf(values, n);
            Arrays.sort(l);
            return l;
        }
    }

    /**
     * Two lines past the stock tool's summary: ops/s and CPU per op over the second half of the run
     * (the steady state), and the share of the run's CPU spent beyond that steady rate (JIT
     * warm-up, connecting); see {@link BenchWarmUp}. Runs of under 4 s print nothing.
     */
    private void warmUp(List<long[]> samples) {
        BenchWarmUp.print(out, samples);
    }

    private void summary(String mode, long elapsedNanos, long ops, int size, long[] l, long cpuNanos) {
        double secs = elapsedNanos / 1e9;
        double avg = Arrays.stream(l).average().orElse(0) / 1e9;
        double sd = Math.sqrt(Arrays.stream(l).mapToDouble(x -> Math.pow(x / 1e9 - avg, 2)).average().orElse(0));
        String what = mode.equals("write") ? "writes" : "reads";
        out.printf("Total time run:         %.4f%n", secs);
        out.printf("Total %s made:      %d%n", what, ops);
        out.printf("%s size:             %d%n", mode.equals("write") ? "Write" : "Read", size);
        out.printf("Object size:            %d%n", size);
        out.printf("Bandwidth (MB/sec):     %.4f%n", ops * (double) size / secs / (1 << 20));
        out.printf("Average IOPS:           %d%n", Math.round(ops / secs));
        out.printf("Average Latency(s):     %.7f%n", avg);
        out.printf("Stddev Latency(s):      %.7f%n", sd);
        out.printf("Max latency(s):         %.7f%n", l.length == 0 ? 0 : l[l.length - 1] / 1e9);
        out.printf("Min latency(s):         %.7f%n", l.length == 0 ? 0 : l[0] / 1e9);
        out.printf("p99 latency(s):         %.7f%n", l.length == 0 ? 0 : l[(int) Math.min(l.length - 1, l.length * 0.99)] / 1e9);
        out.printf("CPU seconds per op:     %.9f%n", ops == 0 ? 0 : cpuNanos / 1e9 / ops);
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
