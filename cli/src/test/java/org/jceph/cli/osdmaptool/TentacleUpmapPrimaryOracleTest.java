package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;

/**
 * pg_upmap_primary, judged by Tentacle 20.2.4's osdmaptool (the host's Pacific tool does not know
 * it): a generated cluster state ({@link ClusterStateGen}, built as in {@link ClusterStateOracle})
 * plus pg_upmap_primary entries written by jceph's encoder (client section v10), copied into the
 * Tentacle chroot under a unique name, and mapped by both tools: {@code --test-map-pgs-dump-all},
 * {@code --test-map-pgs-dump --pool P} and {@code --test-map-object NAME --pool P} must print the
 * same. Needs the chroot at /var/cache/jceph/chroots/tentacle (bin/jceph-chroot build tentacle);
 * fails when it is missing.
 */
class TentacleUpmapPrimaryOracleTest {
    static final Path CHROOT = Path.of("/var/cache/jceph/chroots/tentacle");
    static final AtomicLong MAPS = new AtomicLong();
    static final AtomicLong ENTRIES = new AtomicLong();
    static final AtomicLong LINES = new AtomicLong();


    record Case(ClusterStateGen.Spec spec, List<ClusterStateGen.PgOsds> primaries) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(ClusterStateGen.specs(), ClusterStateGen.pgOsds(1).list().ofMinSize(1).ofMaxSize(6))
                .as(Case::new);
    }

    static void judge(Case c) throws IOException {
        assertTrue(Files.isExecutable(CHROOT.resolve("usr/bin/osdmaptool")),
                "Tentacle chroot missing: bin/jceph-chroot build tentacle");
        Path dir = Files.createTempDirectory("upmapprimary");
        Path inChroot = Files.createTempDirectory(CHROOT.resolve("tmp"), "jceph-upmap-primary-");
        try {
            Path map = ClusterStateOracle.build(c.spec(), dir, c.primaries());
            if (map == null) {
                return;
            }
            MAPS.incrementAndGet();
            OsdMap m = OsdMapCodec.decode(Files.readAllBytes(map));
            ENTRIES.addAndGet(m.pgUpmapPrimaries().size());

            Files.copy(map, inChroot.resolve("m.osdmap"));
            String chrootMap = "/tmp/" + inChroot.getFileName() + "/m.osdmap";
            List<Long> pools = new ArrayList<>(m.pools().keySet());
            String pool = "" + pools.get(c.spec().objectPool() % pools.size());
            for (List<String> args : List.of(List.of("--test-map-pgs-dump-all"),
                    List.of("--test-map-pgs-dump", "--pool", pool),
                    List.of("--test-map-object", c.spec().object(), "--pool", pool))) {
                List<String> cmd = new ArrayList<>(List.of("chroot", CHROOT.toString(), "osdmaptool", chrootMap));
                cmd.addAll(args);
                ClusterStateOracle.Run theirs = ClusterStateOracle.exec(dir, cmd.toArray(new String[0]));
                List<String> ours = new ArrayList<>(List.of(map.toString()));
                ours.addAll(args);
                ClusterStateOracle.Run mine = ClusterStateOracle.jceph(ours.toArray(new String[0]));
                String what = String.join(" ", args) + " on " + c + "\npg_upmap_primary " + m.pgUpmapPrimaries()
                        + "\nTentacle stderr: " + theirs.err() + "\njceph stderr: " + mine.err();
                assertEquals(0, theirs.rc(), what);
                assertEquals(theirs.out(), mine.out(), what);
                LINES.addAndGet(theirs.out().lines().count());
            }
        } finally {
            for (Path p : List.of(dir, inChroot)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static void run(Case c) {
        try {
            judge(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 15, seed = "20261217", shrinking = ShrinkingMode.FULL)
    @AddLifecycleHook(GeneratedClusterStateOracleTest.PrintSeed.class)
    void fixedSeedSliceMatchesTentacle(@ForAll("cases") Case c) {
        run(c);
    }

    @Property(tries = 15, shrinking = ShrinkingMode.FULL, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    @AddLifecycleHook(GeneratedClusterStateOracleTest.PrintSeed.class)
    void varyingSeedSliceMatchesTentacle(@ForAll("cases") Case c) {
        run(c);
    }

    @AfterContainer
    static void report() {
        System.out.println("osdmapfuzz: Tentacle judge: maps " + MAPS.get() + ", pg_upmap_primary entries " + ENTRIES.get()
                + " (" + ClusterStateOracle.UPMAP_PRIMARY_MOVES.get() + " of them naming a replica that was not the primary)"
                + ", lines matched " + LINES.get());
    }
}
