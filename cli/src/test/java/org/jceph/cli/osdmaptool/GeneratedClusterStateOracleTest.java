package org.jceph.cli.osdmaptool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
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
 * Differential test of {@code jceph osdmaptool} against the host's osdmaptool (Pacific 16.2.15) on
 * generated cluster states ({@link ClusterStateGen}, judged by {@link ClusterStateOracle}). A
 * bounded CI slice: a fixed seed, and a varying seed printed on every run
 * ({@code osdmapfuzz: ... seed S ...}). {@code -Dosdmapfuzz.tries=N} and {@code -Dosdmapfuzz.seed=S}
 * override the varying slice's count and seed (the long run recorded in docs/CONFORMANCE.md).
 */
class GeneratedClusterStateOracleTest {
    static String counts() {
        return "maps judged " + ClusterStateOracle.MAPS.get() + ", tool runs compared " + ClusterStateOracle.RUNS.get()
                + ", lines matched " + ClusterStateOracle.LINES.get() + ", CRUSH maps refused by crushtool/osdmaptool "
                + ClusterStateOracle.REJECTED.get() + ", --mark-up-in refused by jceph "
                + ClusterStateOracle.UNSUPPORTED.get() + ", --mark-up-in compared with a CRUSH weight 0 OSD "
                + ClusterStateOracle.ZERO_WEIGHT_UP_IN.get();
    }

    @Provide
    Arbitrary<ClusterStateGen.Spec> states() {
        return ClusterStateGen.specs();
    }

    private static void judge(ClusterStateGen.Spec spec) {
        Path dir;
        try {
            dir = Files.createTempDirectory("osdmapfuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ClusterStateOracle.judge(spec, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Property(tries = 25, seed = "20261217", shrinking = ShrinkingMode.FULL)
    @AddLifecycleHook(PrintSeed.class)
    void fixedSeedSliceMatchesOsdmaptool(@ForAll("states") ClusterStateGen.Spec spec) {
        judge(spec);
    }

    @Property(tries = 25, shrinking = ShrinkingMode.FULL, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    @AddLifecycleHook(PrintSeed.class)
    void varyingSeedSliceMatchesOsdmaptool(@ForAll("states") ClusterStateGen.Spec spec) {
        judge(spec);
    }

    /** Applies -Dosdmapfuzz.tries/-Dosdmapfuzz.seed to the varying slice and prints seed, count and time. */
    public static final class PrintSeed implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            if (context.label().startsWith("varying")) {
                Integer tries = Integer.getInteger("osdmapfuzz.tries");
                if (tries != null) {
                    context.attributes().setTries(tries);
                }
                String seed = System.getProperty("osdmapfuzz.seed");
                if (seed != null) {
                    context.attributes().setSeed(seed);
                }
            }
            long t0 = System.nanoTime();
            PropertyExecutionResult r = property.execute();
            System.out.printf("osdmapfuzz: %s seed %s: %d tries, %d checks, %s in %.1f s%n", context.label(),
                    r.seed().orElse("?"), r.countTries(), r.countChecks(), r.status(),
                    (System.nanoTime() - t0) / 1e9);
            return r;
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("osdmapfuzz: " + counts());
        ClusterStateOracle.REJECTIONS.forEach((why, n) -> System.out.println("osdmapfuzz: refused " + n + "x: " + why));
    }
}
