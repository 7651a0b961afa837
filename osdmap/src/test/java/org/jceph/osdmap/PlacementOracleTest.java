package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jceph.encoding.types.PgId;
import org.junit.jupiter.api.Test;

/**
 * Placement against the real tools on every captured map: each PG line of
 * {@code osdmaptool --test-map-pgs-dump}, each {@code --test-map-object} line, and the live
 * cluster's {@code ceph osd map} answers on the last epoch.
 */
class PlacementOracleTest {

    private static List<Path> maps() throws IOException {
        try (var s = Files.list(TestBytes.fixtureDir())) {
            return s.filter(p -> p.toString().endsWith(".osdmap")).sorted().toList();
        }
    }

    private static Path beside(Path map, String suffix) {
        return map.resolveSibling(map.getFileName().toString().replaceFirst("\\.osdmap$", suffix));
    }

    static String osds(List<Integer> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void everyPgMapsLikeOsdmaptoolTestMapPgsDump() throws IOException {
        int checked = 0;
        for (Path p : maps()) {
            OsdMap m = OsdMapCodec.decode(Files.readAllBytes(p));
            Placement placement = new Placement(m);
            List<String> want = new ArrayList<>();
            for (String line : Files.readAllLines(beside(p, ".pgs-dump.txt"))) {
                if (line.matches("\\d+\\.[0-9a-f]+\t.*")) {
                    want.add(line);
                }
            }
            List<String> got = new ArrayList<>();
            for (var e : m.pools().entrySet()) {
                for (long ps = 0; ps < e.getValue().pgNum(); ps++) {
                    Placement.Result r = placement.pgToUpActing(new PgId(e.getKey(), ps));
                    got.add(r.pg() + "\t" + osds(r.acting()) + "\t" + r.actingPrimary());
                }
            }
            assertEquals(want, got, p.getFileName().toString());
            checked += got.size();
        }
        assertTrue(checked > 500, "PG mappings checked: " + checked);
    }

    /**
     * The memo keys results by folded pg: any raw pg (an object's full 32-bit hash) must map
     * exactly like the pg it folds to. Each side is computed by a fresh Placement, so neither
     * answer comes from the memo.
     */
    @Test
    void everyRawPgMapsLikeTheFoldedPg() throws IOException {
        java.util.Random rnd = new java.util.Random(7);
        int checked = 0;
        for (Path p : maps()) {
            OsdMap m = OsdMapCodec.decode(Files.readAllBytes(p));
            for (var e : m.pools().entrySet()) {
                for (int i = 0; i < 40; i++) {
                    PgId raw = new PgId(e.getKey(), rnd.nextInt() & 0xffffffffL, -1);
                    Placement.Result fromRaw = new Placement(m).pgToUpActing(raw);
                    Placement.Result fromFolded = new Placement(m).pgToUpActing(fromRaw.pg());
                    assertEquals(fromFolded, fromRaw, p.getFileName() + " " + raw);
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "raw pgs checked: " + checked);
    }

    @Test
    void objectsMapLikeOsdmaptoolTestMapObject() throws IOException {
        Pattern line = Pattern.compile(" object '(.*)' -> (\\d+)\\.([0-9a-f]+) -> (\\[.*\\])");
        int checked = 0;
        for (Path p : maps()) {
            OsdMap m = OsdMapCodec.decode(Files.readAllBytes(p));
            Placement placement = new Placement(m);
            List<String> lines = Files.readAllLines(beside(p, ".map-object.txt"), StandardCharsets.UTF_8);
            for (String l : lines) {
                Matcher x = line.matcher(l);
                assertTrue(x.matches(), l);
                long pool = Long.parseLong(x.group(2));
                Placement.Result r = placement.objectToUpActing(pool, x.group(1), "", "");
                assertEquals(l, " object '" + x.group(1) + "' -> " + r.pg() + " -> " + osds(r.acting()),
                        p.getFileName().toString());
                checked++;
            }
        }
        assertTrue(checked > 300, "object mappings checked: " + checked);
    }

    @Test
    void objectsMapLikeTheLiveClustersCephOsdMap() throws IOException {
        Pattern line = Pattern.compile("osdmap e(\\d+) pool '(.*)' \\((\\d+)\\) object '(.*)' -> pg "
                + "(\\d+)\\.([0-9a-f]+) \\((\\S+)\\) -> up \\((.*), p(-?\\d+)\\) acting \\((.*), p(-?\\d+)\\)");
        OsdMap m = OsdMapCodec.decode(TestBytes.capturedMapBytes("osd-down"));
        Placement placement = new Placement(m);
        List<Path> outputs;
        try (var s = Files.list(TestBytes.fixtureDir())) {
            outputs = s.filter(f -> f.getFileName().toString().startsWith("live-osd-map.")).sorted().toList();
        }
        assertTrue(outputs.size() >= 8 && outputs.stream().anyMatch(o -> o.toString().contains("ns1")), "live outputs: " + outputs);
        for (Path f : outputs) {
            String l = Files.readString(f).strip();
            Matcher x = line.matcher(l);
            assertTrue(x.matches(), l);
            assertEquals(m.epoch(), Long.parseLong(x.group(1)), f.toString());
            // `ceph osd map POOL OBJ NS` prints the object as NS/OBJ (none of our names has a '/')
            String printed = x.group(4);
            int slash = printed.indexOf('/');
            String ns = slash < 0 ? "" : printed.substring(0, slash);
            String name = printed.substring(slash + 1);
            long pool = m.poolId(x.group(2));
            PgId raw = placement.objectToRawPg(pool, name, "", ns);
            Placement.Result r = placement.pgToUpActing(raw);
            String ours = "osdmap e" + m.epoch() + " pool '" + x.group(2) + "' (" + pool + ") object '" + x.group(4)
                    + "' -> pg " + raw + " (" + r.pg() + ") -> up (" + live(r.up()) + ", p" + r.upPrimary()
                    + ") acting (" + live(r.acting()) + ", p" + r.actingPrimary() + ")";
            assertEquals(l, ours, f.toString());
        }
    }

    /** `ceph osd map` prints NONE for an empty EC position (pg_vector_string). */
    private static String live(List<Integer> l) {
        return l.stream().map(o -> o == Placement.NONE ? "NONE" : String.valueOf(o))
                .collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void stringHashesMatchKnownValues() {
        // ceph_str_hash_rjenkins("obj-a") is the seed in `ceph osd map np2 obj-a`: pg 3.7382c1dc
        assertEquals(0x7382c1dc, StringHash.rjenkins("obj-a".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, StringHash.linux(new byte[0]));
        // one byte 'a' (0x61): (0 + 0x610 + 0x6) * 11
        assertEquals((0x610 + 6) * 11, StringHash.linux(new byte[] {'a'}));
    }

    @Test
    void stableModFoldsIntoPgNum() {
        // pg_num 12, mask 15: 13 & 15 = 13 >= 12 so fold with mask 7 -> 5
        assertEquals(5, Placement.stableMod(13, 12, 15));
        assertEquals(11, Placement.stableMod(11, 12, 15));
        assertEquals(15, PgPool.mask(12));
        assertEquals(15, PgPool.mask(16));
        assertEquals(0, PgPool.mask(1));
    }
}
