package org.jceph.cli.crushtool;

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
 * and seed (the long run).
 */
class GeneratedCrushMapOracleTest {
    private static final long START = System.nanoTime();

    @Provide
    Arbitrary<CrushMapGen.Spec> maps() {
        return CrushMapGen.specs();
    }

    private static void judge(CrushMapGen.Spec spec) {
        CrushOracle.PACIFIC.judge(spec);
        long n = CrushOracle.PACIFIC.judged.get();
        if (n % 250 == 0) {
            System.out.printf("crushfuzz progress: %d maps judged in %.0f s; %s%n", n,
                    (System.nanoTime() - START) / 1e9, CrushOracle.PACIFIC.counts());
        }
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

    /** Applies -Dcrushfuzz.tries/-Dcrushfuzz.seed and prints the seed, count and time of every run. */
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
            long t0 = System.nanoTime();
            PropertyExecutionResult r = property.execute();
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
