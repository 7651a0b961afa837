package org.jceph.osdmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.Corpus;
import org.jceph.fixtures.Mutations;

/**
 * Hostile input for the map decoders: captured Pacific full maps and incrementals, and the corpus'
 * OSDMap, OSDMap::Incremental and pg_pool_t samples, mutated (bit flips, lying lengths and counts,
 * truncation, garbage, duplicated slices). The only failure allowed is DecodeException; allocation
 * stays within a multiple of the input; every decode returns within the time bound.
 */
class MapFuzzTest {
    record Seed(String type, byte[] bytes, Consumer<byte[]> decode) {
        @Override
        public String toString() {
            return type + " " + bytes.length + " bytes";
        }
    }

    static List<Seed> seeds() throws IOException {
        List<Seed> s = new ArrayList<>();
        Consumer<byte[]> full = OsdMapCodec::decode;
        Consumer<byte[]> inc = Incremental::decode;
        Consumer<byte[]> pool = b -> PgPool.decode(CephDecoder.of(b, "pg_pool_t"));
        try (Stream<Path> files = Files.list(TestBytes.fixtureDir())) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".osdmap")) {
                    s.add(new Seed("captured " + n, Files.readAllBytes(p), full));
                }
            }
        }
        try (Stream<Path> files = Files.list(TestBytes.fixtureDir().resolve("epochs"))) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.getFileName().toString().startsWith("inc.")) {
                    s.add(new Seed("captured " + p.getFileName(), Files.readAllBytes(p), inc));
                }
            }
        }
        for (Corpus.Sample c : TestBytes.corpus("OSDMap")) {
            s.add(new Seed("corpus " + c, c.bytes(), full));
        }
        for (Corpus.Sample c : TestBytes.corpus("OSDMap::Incremental")) {
            s.add(new Seed("corpus " + c, c.bytes(), inc));
        }
        for (Corpus.Sample c : TestBytes.corpus("pg_pool_t")) {
            s.add(new Seed("corpus " + c, c.bytes(), pool));
        }
        return s;
    }

    record Case(Seed seed, byte[] bytes) {
        @Override
        public String toString() {
            return seed + " mutated to " + bytes.length + " bytes";
        }
    }

    @Provide
    Arbitrary<Case> mutated() throws IOException {
        return Combinators.combine(Arbitraries.of(seeds()), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers(), Arbitraries.integers().between(1, 3))
                .as((seed, kind, where, value, times) -> {
                    byte[] b = seed.bytes();
                    for (int i = 0; i < times; i++) {
                        b = Mutations.mutate(b, kind + i, where * (i + 1), value ^ i);
                    }
                    return new Case(seed, b);
                });
    }

    @Property(tries = 1500)
    void mutatedMapsFailOnlyWithDecodeException(@ForAll("mutated") Case c) {
        Mutations.check(c.toString(), c.bytes(), c.seed().decode(), e -> e instanceof DecodeException);
    }
}
