package org.jceph.cli;

import java.io.PrintStream;
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
     * {@code 1 - steady CPU per op * ops / CPU} (never below 0). Prints nothing for a run under 4 s,
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
