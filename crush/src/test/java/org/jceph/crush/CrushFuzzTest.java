package org.jceph.crush;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.Corpus;
import org.jceph.fixtures.Mutations;
import org.jceph.fixtures.ProjectRoot;

/**
 * Hostile CRUSH maps: the captured crushtool maps and the corpus' CrushWrapper samples, mutated.
 * Decoding fails only with DecodeException (or the typed UnsupportedCrushFeatureException), within
 * the allocation and time bounds.
 */
class CrushFuzzTest {
    record Case(String seed, byte[] bytes) {
        @Override
        public String toString() {
            return seed + " mutated to " + bytes.length + " bytes";
        }
    }

    static List<Case> seeds() throws IOException {
        List<Case> s = new ArrayList<>();
        try (Stream<Path> files = Files.list(ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/crush"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".bin")).sorted()::iterator) {
                s.add(new Case(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        for (Corpus.Sample c : Corpus.samples("CrushWrapper")) {
            s.add(new Case(c.toString(), c.bytes()));
        }
        if (s.isEmpty()) {
            throw new AssertionError("no CRUSH fixtures or corpus samples found");
        }
        return s;
    }

    @Provide
    Arbitrary<Case> mutated() throws IOException {
        return Combinators.combine(Arbitraries.of(seeds()), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers())
                .as((seed, kind, where, value) -> new Case(seed.seed(), Mutations.mutate(seed.bytes(), kind, where, value)));
    }

    @Property(tries = 1500)
    void mutatedCrushMapsFailOnlyWithTypedErrors(@ForAll("mutated") Case c) {
        Mutations.check(c.toString(), c.bytes(), CrushMap::decode,
                e -> e instanceof DecodeException || e instanceof UnsupportedCrushFeatureException);
    }
}
