package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;
import org.jceph.encoding.types.PgId;
import org.junit.jupiter.api.Test;

/**
 * The per-map cache of mapped PGs ({@link Placement#pgToUpActing}) against the uncached pipeline
 * ({@link Placement#pgToUpActingOnce}): identical answers for raw pgs of every pool of every
 * captured map, across consecutive epochs whose pg_temp / upmaps differ, and never more entries
 * than the map has PGs.
 */
class PlacementCacheTest {

    private static OsdMap load(String name) throws IOException {
        return OsdMapCodec.decode(Files.readAllBytes(TestBytes.fixtureDir().resolve(name)));
    }

    private static long totalPgs(OsdMap m) {
        return m.pools().values().stream().mapToLong(PgPool::pgNum).sum();
    }

    /** Maps many raw pgs twice through one Placement; each answer equals a fresh uncached one. */
    private static int checkCachedEqualsUncached(OsdMap m, Placement cached, long seed) {
        Placement uncached = new Placement(m);
        Random rnd = new Random(seed);
        int checked = 0;
        for (int pass = 0; pass < 2; pass++) {
            rnd.setSeed(seed);
            for (var e : m.pools().entrySet()) {
                for (int i = 0; i < 2000; i++) {
                    PgId raw = new PgId(e.getKey(), Integer.toUnsignedLong(rnd.nextInt()));
                    Placement.Result got = cached.pgToUpActing(raw);
                    assertEquals(uncached.pgToUpActingOnce(raw), got, m.epoch() + " " + raw);
                    // a second lookup of the pg it folds to is the cached instance
                    assertSame(got, cached.pgToUpActing(got.pg()), m.epoch() + " " + raw);
                    checked++;
                }
            }
        }
        return checked;
    }

    @Test
    void cachedAnswersEqualUncachedOnEveryCapturedMap() throws IOException {
        int checked = 0;
        try (var s = Files.list(TestBytes.fixtureDir())) {
            for (var p : s.filter(f -> f.toString().endsWith(".osdmap")).sorted().toList()) {
                OsdMap m = OsdMapCodec.decode(Files.readAllBytes(p));
                Placement cached = new Placement(m);
                checked += checkCachedEqualsUncached(m, cached, p.getFileName().hashCode());
                // bounded by the map's PGs (2000 raw pgs per pool fold into pg_num slots)
                assertTrue(cached.cachedPgs() <= totalPgs(m), p + ": " + cached.cachedPgs() + " > " + totalPgs(m));
                assertTrue(cached.cachedPgs() > 0, p.toString());
            }
        }
        assertTrue(checked > 10_000, "checked " + checked);
    }

    /**
     * Consecutive epochs of one cluster: e20 adds upmaps to e17, e24 adds a pg_temp to e22. The
     * older map's warm cache must not leak into the newer one, and some PG must really move, or
     * the comparison proves nothing.
     */
    @Test
    void aNewEpochNeverSeesTheOldEpochsCache() throws IOException {
        String[][] pairs = {{"02-pgp-lag.e17.osdmap", "03-upmap.e20.osdmap"},
            {"04-affinity.e22.osdmap", "05-pg-temp.e24.osdmap"}};
        for (String[] pair : pairs) {
            OsdMap older = load(pair[0]);
            OsdMap newer = load(pair[1]);
            Placement olderP = new Placement(older);
            checkCachedEqualsUncached(older, olderP, 1);
            Placement newerP = new Placement(newer);
            checkCachedEqualsUncached(newer, newerP, 1);
            int moved = 0;
            for (var e : newer.pools().entrySet()) {
                if (older.pool(e.getKey()) == null || older.pool(e.getKey()).pgNum() != e.getValue().pgNum()) {
                    continue;
                }
                for (long ps = 0; ps < e.getValue().pgNum(); ps++) {
                    PgId pg = new PgId(e.getKey(), ps);
                    Placement.Result a = olderP.pgToUpActing(pg);
                    Placement.Result b = newerP.pgToUpActing(pg);
                    assertEquals(newerP.pgToUpActingOnce(pg), b, pair[1] + " " + pg);
                    assertEquals(olderP.pgToUpActingOnce(pg), a, pair[0] + " " + pg);
                    if (!a.equals(b)) {
                        moved++;
                    }
                }
            }
            assertTrue(moved > 0, pair[0] + " -> " + pair[1] + ": no PG moved");
        }
    }

    @Test
    void boundedByThePoolsPgNum() throws IOException {
        OsdMap m = load("03-upmap.e20.osdmap");
        Placement p = new Placement(m);
        Random rnd = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            for (long pool : m.pools().keySet()) {
                p.pgToUpActing(new PgId(pool, Integer.toUnsignedLong(rnd.nextInt())));
            }
        }
        assertEquals(totalPgs(m), p.cachedPgs());
        // unknown pools are answered (empty) and never cached
        assertEquals(-1, p.pgToUpActing(new PgId(9999, 1)).actingPrimary());
        assertEquals(totalPgs(m), p.cachedPgs());
        assertNotEquals(0, totalPgs(m));
    }
}
