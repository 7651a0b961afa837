package org.jceph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchWarmUpTest {
    private static final long S = 1_000_000_000L;

    /** A 10 s run: 1,000 ops/s at 1 ms CPU each after a first second of 200 ops and 2 s of CPU. */
    private static List<long[]> run() {
        List<long[]> s = new ArrayList<>();
        s.add(new long[] {0, 0, 0});
        long ops = 200;
        long cpu = 2 * S;
        s.add(new long[] {S, ops, cpu});
        for (int t = 2; t <= 10; t++) {
            ops += 1000;
            cpu += 1000 * 1_000_000L;
            s.add(new long[] {t * S, ops, cpu});
        }
        return s;
    }

    @Test
    void secondHalfIsTheSteadyStateAndTheRestIsWarmUp() {
        BenchWarmUp.Result r = BenchWarmUp.of(run());
        assertEquals(1000, r.steadyRate(), 1e-9);
        assertEquals(0.001, r.steadyCpuPerOp(), 1e-12);
        assertEquals(200, r.firstRate(), 1e-9);
        // 9,200 ops at 1 ms would be 9.2 s; the run took 11 s of CPU
        assertEquals(1 - 9.2 / 11, r.share(), 1e-9);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BenchWarmUp.print(new PrintStream(b, true, StandardCharsets.UTF_8), run());
        String printed = b.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        assertTrue(printed.startsWith("Second half: IOPS 1000, CPU seconds per op 0.001000000 (first second: IOPS 200)\n"
                + "Warm-up share of CPU:   16.4%\n"), printed);
        // on Linux a third line: this JVM's compiler threads' CPU and when the run reached 90 %
        // of its steady rate (the sample ending at 2 s ran at 1,000 ops/s)
        if (BenchWarmUp.compilerCpuNanos() >= 0) {
            assertTrue(printed.matches("(?s).*\nJIT compiler CPU: +[0-9.]+ s, [0-9.]+% of the process CPU \\([0-9.]+ s\\); "
                    + "90% of the steady rate at 2 s\nJVM: [^\n]*\n"), printed);
        }
        // last, the JVM that ran it: this one, with its home and options
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String jvm = "JVM: " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.home")
                + "), options: " + (args.isEmpty() ? "(none)" : String.join(" ", args));
        assertTrue(printed.endsWith("\n" + jvm + "\n"), printed);
    }

    @Test
    void theSteadyRateIsReachedAtTheFirstSampleAtNinetyPercentOfIt() {
        List<long[]> s = run();
        assertEquals(2.0, BenchWarmUp.reachedSeconds(s, 1000), 1e-9);
        assertEquals(-1, BenchWarmUp.reachedSeconds(s, 5000), 1e-9);
    }

    @Test
    void shortOrEmptyRunsPrintNothing() {
        assertNull(BenchWarmUp.of(List.of()));
        assertNull(BenchWarmUp.of(List.of(new long[] {0, 0, 0}, new long[] {3 * S, 3000, S})));
        assertNull(BenchWarmUp.of(List.of(new long[] {0, 0, 0}, new long[] {10 * S, 0, S})));
        // a run with a single end sample: its second half is the whole run, no first second
        BenchWarmUp.Result r = BenchWarmUp.of(List.of(new long[] {0, 0, 0}, new long[] {5 * S, 5000, 5 * S}));
        assertEquals(1000, r.steadyRate(), 1e-9);
        assertEquals(0, r.firstRate(), 1e-9);
        assertEquals(0, r.share(), 1e-9);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BenchWarmUp.print(new PrintStream(b, true, StandardCharsets.UTF_8), List.of(new long[] {0, 0, 0}));
        assertEquals("", b.toString(StandardCharsets.UTF_8));
    }
}
