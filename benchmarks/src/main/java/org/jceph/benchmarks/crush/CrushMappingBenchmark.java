package org.jceph.benchmarks.crush;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CRUSH mappings per second, numrep 3, rule 0 (chooseleaf firstn host), all devices in, on maps
 * built by crushtool (fixtures/src/main/resources/fixtures/crush): straw2-64.bin (64 OSDs, host/rack/root,
 * 4 OSDs per host, 4 hosts per rack) and straw2-1000.bin (1000 OSDs, 10 per host, 10 hosts per rack).
 * Each invocation maps 1024 consecutive x values with a caller-owned workspace (no allocation).
 *
 * <p>Run: {@code java -cp "benchmarks/target/jceph-benchmarks-*.jar:benchmarks/target/lib/*"
 * org.openjdk.jmh.Main CrushMappingBenchmark}. The map directory can be set with
 * {@code -Djceph.crush.maps=DIR}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrushMappingBenchmark {
    private static final int BATCH = 1024;

    @Param({"straw2-64.bin", "straw2-1000.bin"})
    public String map;

    private CrushMapper mapper;
    private int[] weights;
    private final int[] result = new int[3];
    private final CrushMapper.Workspace workspace = new CrushMapper.Workspace();
    private int nextX;

    static Path mapDir() {
        String prop = System.getProperty("jceph.crush.maps");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("fixtures/src/main/resources/fixtures/crush");
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find fixtures/src/main/resources/fixtures/crush; set -Djceph.crush.maps");
    }

    @Setup
    public void load() throws IOException {
        CrushMap m = CrushMap.decode(Files.readAllBytes(mapDir().resolve(map)));
        mapper = new CrushMapper(m);
        weights = new int[mapper.maxDevices()];
        java.util.Arrays.fill(weights, 0x10000);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void mapNumRep3(Blackhole bh) {
        int x0 = nextX;
        for (int x = x0; x < x0 + BATCH; x++) {
            int n = mapper.doRule(0, x, result, 3, weights, -1, workspace, null);
            bh.consume(n);
            bh.consume(result[0]);
        }
        nextX = x0 + BATCH;
    }
}
