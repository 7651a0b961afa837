package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Test;

/** Every pg_pool_t in ../shared/corpus decodes, consumes its bytes and re-encodes identically. */
class PgPoolCorpusTest {

    @Test
    void everyCorpusPoolRoundTripsByteForByte() {
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> perVersion = new TreeMap<>();
        for (Corpus.Sample s : TestBytes.corpus("pg_pool_t")) {
            byte[] bytes = s.bytes();
            try {
                CephDecoder d = CephDecoder.of(bytes, "pg_pool_t");
                PgPool p = PgPool.decode(d);
                d.expectEnd();
                byte[] again = TestBytes.encode(p::encode);
                if (!Arrays.equals(bytes, again)) {
                    failures.add(s + " v" + p.version() + ": " + TestBytes.firstDifference(bytes, again));
                }
                perVersion.merge(p.version(), 1, Integer::sum);
            } catch (RuntimeException e) {
                failures.add(s + ": " + e);
            }
        }
        System.out.println("pg_pool_t corpus samples per struct_v: " + perVersion);
        if (!failures.isEmpty()) {
            fail(failures.size() + " pg_pool_t samples failed:\n  " + String.join("\n  ", failures));
        }
        assertTrue(perVersion.keySet().containsAll(List.of(6, 8, 14, 17, 24, 29, 32)), perVersion.toString());
    }

    @Test
    void aTentaclePoolWrittenAsV29EqualsTheCorpusV29EncodingOfThatPool() {
        java.util.Set<String> v29 = new java.util.HashSet<>();
        List<PgPool> v32 = new ArrayList<>();
        for (Corpus.Sample s : TestBytes.corpus("pg_pool_t")) {
            PgPool p = PgPool.decode(CephDecoder.of(s.bytes(), "pg_pool_t"));
            if (p.version() == 29) {
                v29.add(java.util.HexFormat.of().formatHex(s.bytes()));
            } else if (p.version() == 32) {
                v32.add(p);
            }
        }
        long matches = v32.stream()
                .map(p -> java.util.HexFormat.of().formatHex(TestBytes.encode(e -> p.encode(e, 29))))
                .filter(v29::contains).count();
        // the 20.3 test instances mostly differ from older ones; one is the same pool in both
        assertTrue(matches >= 1, "v32 pools whose v29 encoding is a corpus v29 sample: " + matches);
    }
}
