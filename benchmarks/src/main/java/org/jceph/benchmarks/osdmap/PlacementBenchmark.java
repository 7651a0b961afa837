package org.jceph.benchmarks.osdmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
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
 * PGs mapped to up/acting sets per second, one thread, through the whole placement pipeline
 * (pps, CRUSH, upmaps, affinity, temps) as osdmaptool --test-map-pgs maps them
 * ({@link Placement#pgToUpActingOnce}), over the PGs of the map's first pool in turn. The map is a
 * file: {@code -Djceph.osdmap=FILE} (for instance the 10,000-OSD map benchmarks/osdmap-scale.sh
 * builds), or else one of the captured maps in fixtures/src/main/resources/fixtures/osdmap named
 * by the {@code map} parameter. The map is taken as it is: a map whose OSDs are all down and out
 * (osdmaptool --createsimple's, before --mark-up-in) measures CRUSH giving up on every PG instead.
 *
 * <p>Run: {@code java -cp "benchmarks/target/jceph-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*"
 * org.openjdk.jmh.Main PlacementBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlacementBenchmark {
    private static final int BATCH = 256;

    @Param({"03-upmap.e20.osdmap"})
    public String map;

    private Placement placement;
    private long poolId;
    private long pgNum;
    private long next;

    static Path mapFile(String name) {
        String prop = System.getProperty("jceph.osdmap");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("fixtures/src/main/resources/fixtures/osdmap");
            if (Files.isDirectory(d)) {
                return d.resolve(name);
            }
        }
        throw new IllegalStateException("cannot find fixtures/src/main/resources/fixtures/osdmap; set -Djceph.osdmap");
    }

    @Setup
    public void load() throws IOException {
        OsdMap m = OsdMapCodec.decode(Files.readAllBytes(mapFile(map)));
        placement = new Placement(m);
        Map.Entry<Long, PgPool> first = m.pools().entrySet().iterator().next();
        poolId = first.getKey();
        pgNum = first.getValue().pgNum();
        java.util.Random rnd = new java.util.Random(16);
        for (int i = 0; i < raws.length; i++) {
            raws[i] = new PgId(poolId, Integer.toUnsignedLong(rnd.nextInt()));
        }
    }

    /** Raw pgs (an object's full 32-bit hash) in the first pool, as the Objecter maps them per op. */
    private final PgId[] raws = new PgId[4096];
    private int nextRaw;

    /**
     * The Objecter's per-op lookup ({@link Placement#pgToUpActing}, what Target.calc calls) for raw
     * pgs of objects in the first pool: after the first pass every PG is known, so this measures
     * the cache of mapped PGs, not CRUSH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void cachedLookup(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(placement.pgToUpActing(raws[nextRaw]));
            nextRaw = (nextRaw + 1) & (raws.length - 1);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void mapPgs(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(placement.pgToUpActingOnce(new PgId(poolId, next)));
            next = next + 1 == pgNum ? 0 : next + 1;
        }
    }
}
