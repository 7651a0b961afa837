package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Test;

/**
 * Every archive version of the corpus that holds OSDMap, OSDMap::Incremental or pg_pool_t samples
 * is read by the round-trip tests, including the newest (18.2.0, 19.2.0-404, 20.3.0-4314), and the
 * newest encodings are interpreted completely: no pg_pool_t or OSDMap section of those releases
 * leaves bytes this decoder only carries along.
 */
class CorpusVersionCoverageTest {
    private static Set<String> archiveVersionsWith(String type) throws IOException {
        Path archive = Corpus.root().orElseThrow(() -> new AssertionError("corpus missing: " + Corpus.expectedLocation()))
                .resolve("archive");
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(archive)) {
            s.filter(v -> Files.isDirectory(v.resolve("objects").resolve(type)))
                    .forEach(v -> out.add(v.getFileName().toString()));
        }
        return out;
    }

    @Test
    void everyArchiveVersionIsReadAndTheNewestAreFullyInterpreted() throws IOException {
        TreeMap<String, Integer> seen = new TreeMap<>();
        for (String type : List.of("OSDMap", "OSDMap::Incremental", "pg_pool_t")) {
            Set<String> versions = archiveVersionsWith(type);
            assertTrue(versions.containsAll(Set.of("18.2.0", "19.2.0-404-g78ddc7f9027", "20.3.0-4314-g034eb49a9ce")),
                    type + " archives: " + versions);
            Set<String> decoded = new TreeSet<>();
            for (Corpus.Sample s : Corpus.samples(type)) {
                byte[] b = s.bytes();
                switch (type) {
                    case "OSDMap" -> {
                        OsdMap m = OsdMapCodec.decode(b);
                        assertArrayEquals(b, OsdMapCodec.encode(m), s.file().toString());
                        if (s.version().compareTo("18") >= 0 && m.clientVersion() >= 10) {
                            assertEquals(0, m.clientTail.length + m.osdTail.length, s.file() + " tails");
                            m.pools().values().forEach(p -> assertEquals(0, p.unknownTail().length, s.file() + " pool"));
                        }
                    }
                    case "OSDMap::Incremental" -> assertArrayEquals(b, Incremental.decode(b).encode(), s.file().toString());
                    default -> {
                        PgPool p = PgPool.decode(org.jceph.encoding.CephDecoder.of(b, "pg_pool_t"));
                        assertEquals(0, p.unknownTail().length, s.file() + " v" + p.version() + " fully interpreted");
                    }
                }
                decoded.add(s.version());
                seen.merge(type + " " + s.version(), 1, Integer::sum);
            }
            assertEquals(versions, decoded, type);
        }
        System.out.println("corpus samples read per type and archive version: " + seen);
        assertFalse(seen.isEmpty());
    }
}
