package org.jceph.cli.crushtool;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Differential test of {@code jceph crushtool} against Tentacle 20.2.4's crushtool (the chroot
 * bin/jceph-chroot builds; located by {@link CrushOracle#tentacle()}) on generated maps: MSR rules
 * ({@link CrushMapGen#msrSpecs()}: msr_firstn / msr_indep, choosemsr, SET_MSR_* steps, the MSR
 * tunables), which Pacific's crushtool cannot compile, and the classic generator
 * ({@link CrushMapGen#specs()}), whose {@code -d} and {@code --dump} print differently in
 * Tentacle. jceph runs with {@code --release tentacle}. {@code -d}, {@code --dump}, {@code --tree}
 * and {@code --test --show-mappings --show-statistics --show-bad-mappings} are compared on every
 * map.
 *
 * <p>An integration test tagged {@value #TAG}: it runs in the failsafe execution
 * {@code it-tentacle} (once per build; the default and {@code it-reef} executions leave it out),
 * after bin/jceph-test has built the chroot. Bounded slices, each a fixed seed and a varying seed
 * that is printed ({@code crushfuzz: ... seed S}); {@code -Dcrushfuzz.seed=S} and
 * {@code -Dcrushfuzz.tries=N} (in failsafe's argLine) reproduce one or run it long;
 * {@code -Dcrushfuzz.judgeFrom=K} judges only from try K on (see {@link GeneratedCrushMapOracleTest}).
 */
@Tag(TentacleCrushMapOracleIT.TAG)
class TentacleCrushMapOracleIT {
    /** The JUnit tag of tests that need Tentacle whatever the execution's release. */
    static final String TAG = "tentacle";

    @Provide
    Arbitrary<CrushMapGen.Spec> msrMaps() {
        return CrushMapGen.msrSpecs();
    }

    @Provide
    Arbitrary<CrushMapGen.Spec> classicMaps() {
        return CrushMapGen.specs();
    }

    private static void judge(CrushMapGen.Spec spec) {
        GeneratedCrushMapOracleTest.judge(CrushOracle.tentacle(), spec);
    }

    @Property(tries = 60, seed = "20261207", shrinking = ShrinkingMode.FULL)
    @AddLifecycleHook(GeneratedCrushMapOracleTest.PrintSeed.class)
    void msrFixedSeedSliceMatchesTentacle(@ForAll("msrMaps") CrushMapGen.Spec spec) {
        judge(spec);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.FULL, afterFailure = AfterFailureMode.RANDOM_SEED)
    @AddLifecycleHook(GeneratedCrushMapOracleTest.PrintSeed.class)
    void msrVaryingSeedSliceMatchesTentacle(@ForAll("msrMaps") CrushMapGen.Spec spec) {
        judge(spec);
    }

    @Property(tries = 40, seed = "20261208", shrinking = ShrinkingMode.FULL)
    @AddLifecycleHook(GeneratedCrushMapOracleTest.PrintSeed.class)
    void classicFixedSeedSliceMatchesTentacle(@ForAll("classicMaps") CrushMapGen.Spec spec) {
        judge(spec);
    }

    @Property(tries = 40, shrinking = ShrinkingMode.FULL, afterFailure = AfterFailureMode.RANDOM_SEED)
    @AddLifecycleHook(GeneratedCrushMapOracleTest.PrintSeed.class)
    void classicVaryingSeedSliceMatchesTentacle(@ForAll("classicMaps") CrushMapGen.Spec spec) {
        judge(spec);
    }

    @AfterContainer
    static void report() {
        System.out.println("crushfuzz: " + CrushOracle.tentacle().counts());
    }
}
