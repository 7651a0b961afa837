package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full maps and incrementals of live Reef 18.2.7 and Tentacle 20.2.4 clusters (captured with
 * fixtures/capture/capture-newceph.sh; provenance in fixtures/README.md): OSDMap client v10,
 * pg_pool_t v29 (Reef) / v32 (Tentacle), pg_upmap_primary added and removed by incrementals.
 */
class NewerReleaseMapsTest {
    private static Path dir(String release) {
        return ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap-" + release);
    }

    private static List<Long> incrementalEpochs(Path epochs) throws IOException {
        try (var s = Files.list(epochs)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("inc."))
                    .map(n -> Long.parseLong(n.substring(4))).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reef-18.2.7", "tentacle-20.2.4"})
    void everyIncrementalAppliesToTheNextFullMapWithItsCrc(String release) throws IOException {
        Path epochs = dir(release).resolve("epochs");
        List<Long> list = incrementalEpochs(epochs);
        assertTrue(list.size() >= 20, "captured incrementals: " + list);
        OsdMap map = OsdMapCodec.decode(Files.readAllBytes(epochs.resolve("full." + (list.get(0) - 1))));
        boolean sawNewPrimary = false;
        boolean sawOldPrimary = false;
        for (long e : list) {
            byte[] incBytes = Files.readAllBytes(epochs.resolve("inc." + e));
            Incremental inc = Incremental.decode(incBytes);
            assertEquals(e, inc.epoch());
            assertTrue(Arrays.equals(incBytes, inc.encode()), "inc." + e + " re-encodes identically");
            OsdMap next = inc.applyTo(map);
            byte[] want = Files.readAllBytes(epochs.resolve("full." + e));
            assertArrayEquals(want, OsdMapCodec.encode(OsdMapCodec.decode(want)), "full." + e + " round trip");
            byte[] got = OsdMapCodec.encode(next);
            if (!Arrays.equals(want, got)) {
                fail("epoch " + e + ": applied map differs from the monitor's, " + TestBytes.firstDifference(want, got));
            }
            assertTrue(inc.verifies(next), "full_crc of epoch " + e);
            sawNewPrimary |= next.pgUpmapPrimaries().size() > map.pgUpmapPrimaries().size();
            sawOldPrimary |= next.pgUpmapPrimaries().size() < map.pgUpmapPrimaries().size();
            map = next;
        }
        assertTrue(sawNewPrimary && sawOldPrimary, "the run sets and clears pg_upmap_primary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reef-18.2.7", "tentacle-20.2.4"})
    void capturedMapsCarryTheReleasesEncodings(String release) throws IOException {
        Path d = dir(release);
        List<Path> maps;
        try (var s = Files.list(d)) {
            maps = s.filter(p -> p.toString().endsWith(".osdmap")).sorted().toList();
        }
        assertFalse(maps.isEmpty());
        int wantPool = release.startsWith("reef") ? 29 : 32;
        int wantRelease = release.startsWith("reef") ? 18 : 20;
        for (Path p : maps) {
            byte[] b = Files.readAllBytes(p);
            OsdMap m = OsdMapCodec.decode(b);
            assertArrayEquals(b, OsdMapCodec.encode(m), p + " re-encodes byte for byte");
            assertEquals(10, m.clientVersion(), p + " client section v10 (pg_upmap_primaries)");
            assertEquals(wantRelease, m.requireOsdRelease());
            for (PgPool pool : m.pools().values()) {
                assertEquals(wantPool, pool.version(), p + " pg_pool_t version");
                assertEquals(0, pool.unknownTail().length, p + " pg_pool_t fully interpreted");
            }
        }
    }
}
