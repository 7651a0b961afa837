package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jceph.encoding.types.PgId;
import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Test;

/** Full OSDMaps decode and re-encode to identical bytes (hence the same CRC). */
class OsdMapRoundTripTest {

    static List<Path> capturedFullMaps() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(TestBytes.fixtureDir())) {
            s.filter(p -> p.toString().endsWith(".osdmap")).sorted().forEach(out::add);
        }
        try (Stream<Path> s = Files.list(TestBytes.fixtureDir().resolve("epochs"))) {
            s.filter(p -> p.getFileName().toString().startsWith("full.")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyCapturedPacificMapReencodesByteForByte() throws IOException {
        List<Path> maps = capturedFullMaps();
        assertTrue(maps.size() >= 40, "captured maps: " + maps.size());
        for (Path p : maps) {
            byte[] bytes = Files.readAllBytes(p);
            OsdMap m = OsdMapCodec.decode(bytes);
            byte[] again = OsdMapCodec.encode(m);
            if (!java.util.Arrays.equals(bytes, again)) {
                fail(p.getFileName() + ": " + TestBytes.firstDifference(bytes, again));
            }
            assertEquals(9, m.clientVersion(), p.toString());
            assertEquals(9, m.osdVersion(), p.toString());
            assertEquals(m.crc(), OsdMapCodec.computeCrc(m));
        }
    }

    @Test
    void decodesTheUpmapAffinityAndTempStates() {
        OsdMap upmap = OsdMapCodec.decode(TestBytes.capturedMapBytes("upmap"));
                long test = upmap.poolId("jceph-test");
        assertEquals(List.of(0, 1, 2), upmap.pgUpmap().get(new PgId(test, 1)));
        List<int[]> items = upmap.pgUpmapItems().get(new PgId(test, 3));
        assertEquals(2, items.size());
        assertArrayEquals(new int[] {1, 3}, items.get(0));
        assertArrayEquals(new int[] {2, 0}, items.get(1));

        OsdMap aff = OsdMapCodec.decode(TestBytes.capturedMapBytes("affinity"));
        assertEquals(0, aff.primaryAffinity(1));
        assertEquals(0x8000, aff.primaryAffinity(2));
        assertEquals(0x10000, aff.primaryAffinity(0));

        OsdMap temp = OsdMapCodec.decode(TestBytes.capturedMapBytes("pg-temp"));
        long np2 = temp.poolId("np2");
        assertEquals(12, temp.pool(np2).pgNum());
        assertEquals(15, temp.pool(np2).pgNumMask());
        assertEquals(List.of(2, 1, 0), temp.pgTemp().get(new PgId(np2, 3)));
        OsdMap primaryTemp = OsdMapCodec.decode(TestBytes.capturedMapBytes("primary-temp"));
        assertEquals(1, primaryTemp.primaryTemp().size());
        assertTrue(primaryTemp.primaryTemp().containsKey(new PgId(np2, 4)));
    }

    @Test
    void decodesPoolKindsAndOsdStates() {
        OsdMap m = OsdMapCodec.decode(TestBytes.capturedMapBytes("osd-down"));
        PgPool ec = m.pool(m.poolId("ec"));
        assertEquals(PgPool.TYPE_ERASURE, ec.type());
        assertEquals("ec21", ec.erasureCodeProfile());
        Map<String, String> profile = m.erasureCodeProfiles().get("ec21");
        assertEquals("2", profile.get("k"));
        assertEquals("1", profile.get("m"));
        assertEquals("osd", profile.get("crush-failure-domain"));
        assertFalse(m.pool(m.poolId("nohash")).hasFlag(PgPool.FLAG_HASHPSPOOL));
        assertTrue(m.pool(m.poolId("np2")).hasFlag(PgPool.FLAG_HASHPSPOOL));
        PgPool np2 = m.pool(m.poolId("np2"));
        assertEquals(1, np2.snaps().size());
        assertEquals("snap-b", np2.snaps().values().iterator().next().name());
        assertEquals(0, m.osdWeight().get(3));
        assertTrue(m.isDown(2));
        assertTrue(m.isUp(0));
        assertEquals(16, m.requireOsdRelease());
        assertEquals(12, m.requireMinCompatClient());
    }

    @Test
    void everyCorpusOsdMapDecodesAndReencodes() {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> perVersion = new TreeMap<>();
        for (Corpus.Sample s : TestBytes.corpus("OSDMap")) {
            byte[] bytes = s.bytes();
            try {
                OsdMap m = OsdMapCodec.decode(bytes);
                byte[] again = OsdMapCodec.encode(m);
                if (!java.util.Arrays.equals(bytes, again)) {
                    failures.add(s + ": re-encode differs, " + TestBytes.firstDifference(bytes, again));
                }
                String key = m.classicVersion() != 0 ? "classic" + m.classicVersion()
                        : "client" + m.clientVersion() + "/osd" + m.osdVersion();
                perVersion.merge(key, 1, Integer::sum);
            } catch (RuntimeException e) {
                failures.add(s + ": " + e);
            }
        }
        System.out.println("OSDMap corpus samples per encoding: " + perVersion);
        if (!failures.isEmpty()) {
            fail(failures.size() + " OSDMap samples failed:\n  " + String.join("\n  ", failures));
        }
    }
}
