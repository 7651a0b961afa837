package org.jceph.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The steady state of a benchmark run and what its warm-up cost, from samples taken about once a
 * second: {@code (elapsed ns, ops completed, process CPU ns)}, each counted from the run's start,
 * the first sample {@code {0, 0, 0}} and the last one the run's end. Shared by {@code rados bench}
 * and {@code rbd bench}, which print it after the stock tool's summary lines (never in place of
 * them): a JVM's run carries JIT compilation, class loading and connecting on top of its steady
 * rate, and a short run measures mostly that (issue 16).
 */
public final class BenchWarmUp {
    /** Runs shorter than this print nothing: their second half is too short to call steady. */
    static final long MIN_NANOS = TimeUnit.SECONDS.toNanos(4);

    private BenchWarmUp() {}

    /**
     * Two lines: ops/s and CPU per op over the second half of the run (from the last sample at or
     * before half the run's time to the end), and the share of the run's CPU above that steady rate,
     * {@code 1 - steady CPU per op * ops / CPU} (never below 0), then (on Linux) the JIT compiler
     * threads' CPU, and the JVM and its options. Prints nothing for a run under 4 s,
     * without ops, or without ops in its second half.
     */
    public static void print(PrintStream out, List<long[]> samples) {
        Result r = of(samples);
        if (r == null) {
            return;
        }
        out.printf("Second half: IOPS %d, CPU seconds per op %.9f (first second: IOPS %d)%n",
                Math.round(r.steadyRate()), r.steadyCpuPerOp(), Math.round(r.firstRate()));
        out.printf("Warm-up share of CPU:   %.1f%%%n", r.share() * 100);
        long jit = compilerCpuNanos();
        long all = processCpuNanos();
        if (jit >= 0 && all > 0) {
            out.printf("JIT compiler CPU:       %.2f s, %.1f%% of the process CPU (%.2f s); 90%% of the steady rate at %.0f s%n",
                    jit / 1e9, 100.0 * jit / all, all / 1e9, reachedSeconds(samples, r.steadyRate()));
        }
        out.println(jvmLine());
    }

    /**
     * The JVM that ran the bench and the options it was given, e.g.
     * {@code JVM: 25.0.3+9-LTS (/usr/lib/jvm/temurin-25-jdk-amd64), options: -XX:MaxInlineSize=20 ...}:
     * the same code runs at different speeds on different JDKs and JIT settings, so a figure is
     * only comparable with the line that says what produced it.
     */
    static String jvmLine() {
        List<String> args;
        try {
            args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) { // no management module
            args = List.of();
        }
        return "JVM: " + System.getProperty("java.runtime.version", System.getProperty("java.version", "?")) + " ("
                + System.getProperty("java.home", "?") + "), options: "
                + (args.isEmpty() ? "(none)" : String.join(" ", args));
    }

    /**
     * Seconds into the run of the first sample interval whose rate was at least 90 % of the steady
     * rate; -1 if none was.
     */
    static double reachedSeconds(List<long[]> samples, double steadyRate) {
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            if (b[0] > a[0] && (b[1] - a[1]) / ((b[0] - a[0]) / 1e9) >= 0.9 * steadyRate) {
                return b[0] / 1e9;
            }
        }
        return -1;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    /**
     * CPU time of the JIT compiler threads since the JVM started, from {@code /proc/self/task} (the
     * compiler threads are hidden from ThreadMXBean); -1 where that is not readable. Threads that
     * the JVM stopped (dynamic compiler thread count) are not counted.
     */
    public static long compilerCpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (var dirs = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) dirs::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                        continue;
                    }
                    // after ") ": state is field 3; utime and stime are fields 14 and 15
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * (1_000_000_000L / 100); // USER_HZ: 100 on every Linux architecture Java runs on
    }

    /** The figures {@link #print} prints; {@code null} when it prints nothing. */
    static Result of(List<long[]> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        long[] last = samples.get(samples.size() - 1);
        if (last[0] < MIN_NANOS || last[1] == 0) {
            return null;
        }
        long[] mid = samples.get(0);
        for (long[] s : samples) {
            if (s[0] <= last[0] / 2) {
                mid = s;
            }
        }
        long ops = last[1] - mid[1];
        if (ops <= 0 || last[0] == mid[0]) {
            return null;
        }
        double steadyCpuPerOp = (last[2] - mid[2]) / 1e9 / ops;
        double steadyRate = ops / ((last[0] - mid[0]) / 1e9);
        double firstRate = samples.size() > 2 ? samples.get(1)[1] / (samples.get(1)[0] / 1e9) : 0;
        double share = last[2] == 0 ? 0 : Math.max(0, 1 - steadyCpuPerOp * last[1] / (last[2] / 1e9));
        return new Result(steadyRate, steadyCpuPerOp, firstRate, share);
    }

    /** Steady ops/s and CPU s per op (second half), the first second's ops/s, the warm-up share (0-1). */
    record Result(double steadyRate, double steadyCpuPerOp, double firstRate, double share) {}
}
