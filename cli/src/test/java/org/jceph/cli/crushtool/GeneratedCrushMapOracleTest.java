package org.jceph.cli.crushtool;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Differential test of {@code jceph crushtool} against the host's crushtool (Pacific 16.2.15) on
 * generated maps ({@link CrushMapGen}): {@code -d}, {@code --dump}, {@code --tree} and {@code --test
 * --show-mappings --show-statistics --show-bad-mappings} with reweights and pool ids must print the
 * same lines.
 * A bounded CI slice: a fixed seed, and a varying seed that jqwik prints (with the failing map) on a
 * failure and that {@link #report()} prints always. The long one-off run is recorded in
 * docs/CONFORMANCE.md; a failure shrinks to a minimal map, which becomes a fixture under
 * fixtures/src/main/resources/fixtures/crush/fuzz/ (see GeneratedCrushRegressionTest).
 *
 * <p>{@code -Dcrushfuzz.tries=N} and {@code -Dcrushfuzz.seed=S} override the varying slice's count
 * and seed (the long run). {@code -Dcrushfuzz.judgeFrom=K} (off by default) resumes a long run near
 * a try of interest: tries 1 to K-1 are generated as usual but pass without running crushtool or
 * jceph, try K and every later one (and every shrinking step) is judged. Generation draws from
 * jqwik's random source whatever the property does with the value, so try K is the same map as in a
 * run that judged everything, given the same seed and the same {@code crushfuzz.tries} (jqwik sizes
 * generation and edge-case mixing by the try count: keep it, and stop the run when enough is judged).
 * {@code -Dcrushfuzz.trace} prints every try's number and a hash of its map and arguments
 * ({@code crushfuzz trace: try N hash H}), which is how to check that claim. These apply to every
 * property that has the {@link PrintSeed} hook.
 */
class GeneratedCrushMapOracleTest {
    private static final long START = System.nanoTime();

    @Provide
    Arbitrary<CrushMapGen.Spec> maps() {
        return CrushMapGen.specs();
    }

    /** The try (jqwik's count, from 1) of the current property that has the {@link PrintSeed} hook. */
    private static final AtomicLong TRY = new AtomicLong();
    /** The first try judged ({@code crushfuzz.judgeFrom}, 0 when unset) while a {@link PrintSeed} property runs. */
    private static volatile long judgeFrom;
    /** True while a property that has the {@link PrintSeed} hook runs (then {@link #TRY} counts its tries). */
    private static volatile boolean counting;
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final boolean TRACE = System.getProperty("crushfuzz.trace") != null;

    /**
     * Counts a try of the running {@link PrintSeed} property and says whether to judge it: false for
     * tries before {@code crushfuzz.judgeFrom}. Properties without the hook judge every try.
     */
    static boolean judgeThisTry() {
        return !counting || TRY.incrementAndGet() >= judgeFrom;
    }

    /** Judges {@code spec} with {@code oracle} (unless skipped, see {@link #judgeThisTry()}), printing progress. */
    static void judge(CrushOracle oracle, CrushMapGen.Spec spec) {
        boolean judge = judgeThisTry();
        if (counting && TRACE) {
            System.out.printf("crushfuzz trace: try %d hash %08x%s%n", TRY.get(), spec.toString().hashCode(),
                    judge ? "" : " (not judged)");
        }
        if (!judge) {
            return;
        }
        try {
            oracle.judge(spec);
        } catch (AssertionError e) {
            if (counting && FAILED.compareAndSet(false, true)) {
                System.out.printf("crushfuzz: %s: first failure at try %d (counted from 1; later tries are shrinking"
                        + " steps)%n", oracle.release, TRY.get());
            }
            throw e;
        }
        long n = oracle.judged.get();
        if (n % 250 == 0) {
            System.out.printf("crushfuzz progress: %d maps judged in %.0f s%s; %s%n", n,
                    (System.nanoTime() - START) / 1e9, counting ? ", try " + TRY.get() : "", oracle.counts());
        }
    }

    private static void judge(CrushMapGen.Spec spec) {
        judge(CrushOracle.PACIFIC, spec);
    }

    @Property(tries = 80, seed = "20261206", shrinking = ShrinkingMode.FULL)
    void fixedSeedSliceMatchesCrushtool(@ForAll("maps") CrushMapGen.Spec spec) {
        judge(spec);
    }

    @Property(tries = 80, shrinking = ShrinkingMode.FULL, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    @AddLifecycleHook(PrintSeed.class)
    void varyingSeedSliceMatchesCrushtool(@ForAll("maps") CrushMapGen.Spec spec) {
        judge(spec);
    }

    /**
     * Applies -Dcrushfuzz.tries/-Dcrushfuzz.seed/-Dcrushfuzz.judgeFrom and prints the seed, count and
     * time of every run.
     */
    public static final class PrintSeed implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            Integer tries = Integer.getInteger("crushfuzz.tries");
            if (tries != null) {
                context.attributes().setTries(tries);
            }
            String seed = System.getProperty("crushfuzz.seed");
            if (seed != null) {
                context.attributes().setSeed(seed);
            }
            long from = Long.getLong("crushfuzz.judgeFrom", 0L);
            if (from > 1) {
                System.out.printf("crushfuzz: %s: tries 1 to %d generated but not judged (crushfuzz.judgeFrom)%n",
                        context.label(), from - 1);
            }
            TRY.set(0);
            judgeFrom = from;
            counting = true;
            long t0 = System.nanoTime();
            PropertyExecutionResult r;
            try {
                r = property.execute();
            } finally {
                counting = false;
                judgeFrom = 0;
            }
            System.out.printf("crushfuzz: %s seed %s: %d tries, %d checks, %s in %.1f s%n", context.label(),
                    r.seed().orElse("?"), r.countTries(), r.countChecks(), r.status(),
                    (System.nanoTime() - t0) / 1e9);
            return r;
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("crushfuzz: " + CrushOracle.PACIFIC.counts());
    }
}
