package org.jceph.cli.rados;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.rados.IoCtx;

/**
 * {@code rados bench}'s write, seq and rand modes over our client: {@code threads} ops in flight,
 * objects of {@code size} bytes named {@code benchmark_data_jceph_<pid>_object<N>}, a summary in
 * rados bench's shape, plus p99 latency and the process's CPU seconds per op.
 */
final class RadosBench {
    private final IoCtx io;
    private final PrintStream out;

    RadosBench(IoCtx io, PrintStream out) {
        this.io = io;
        this.out = out;
    }

    private static String name(long i) {
        return "benchmark_data_jceph_" + ProcessHandle.current().pid() + "_object" + i;
    }

    /** Runs one mode for {@code seconds}; returns the number of objects written (write mode). */
    long run(String mode, int seconds, int size, int threads, long objectsAvailable) throws InterruptedException {
        byte[] payload = new byte[size];
        new Random(1).nextBytes(payload);
        Semaphore slots = new Semaphore(threads);
        AtomicLong ops = new AtomicLong();
        AtomicLong next = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Random pick = new Random(7);
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end && failure.get() == null) {
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long i;
            if (mode.equals("write")) {
                i = next.getAndIncrement();
            } else if (mode.equals("seq")) {
                i = next.getAndIncrement();
                if (i >= objectsAvailable) {
                    slots.release();
                    break;
                }
            } else {
                synchronized (pick) {
                    i = (long) (pick.nextDouble() * objectsAvailable);
                }
            }
            long t0 = System.nanoTime();
            CompletableFuture<?> f = mode.equals("write") ? io.writeFullAsync(name(i), payload)
                    : io.readAsync(name(i), 0, size);
            f.whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    latencies.add(System.nanoTime() - t0);
                    ops.incrementAndGet();
                }
                slots.release();
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
        summary(mode, elapsed, ops.get(), size, latencies, cpu);
        return mode.equals("write") ? ops.get() : objectsAvailable;
    }

    void cleanup(long objects) {
        for (long i = 0; i < objects; i++) {
            io.remove(name(i));
        }
    }

    private void summary(String mode, long elapsedNanos, long ops, int size, List<Long> lat, long cpuNanos) {
        double secs = elapsedNanos / 1e9;
        long[] l = lat.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(l);
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
