package org.jceph.cli.viz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;

/**
 * Which PGs of a pool move when one map becomes another. Placement seeds 0..max(pg_num) are mapped
 * with both maps ({@link Placement#pgToUpActing}, which folds a seed by each map's own pg_num), so
 * after a pg_num change a child PG is compared with the parent that held its objects before.
 */
public final class PlacementDiff {
    /** One placement seed in both maps. */
    public record Row(long seed, PgId pgA, PgId pgB, Placement.Result a, Placement.Result b) {
        /** OSDs in B's up set that were not in A's: the copies to make. */
        public int replicasMoved() {
            Set<Integer> before = new HashSet<>(a.up());
            int n = 0;
            for (int osd : b.up()) {
                if (osd != Placement.NONE && !before.contains(osd)) {
                    n++;
                }
            }
            return n;
        }

        public boolean upChanged() {
            return !a.up().equals(b.up());
        }

        public boolean primaryChanged() {
            return a.actingPrimary() != b.actingPrimary();
        }
    }

    private final OsdMap mapA;
    private final OsdMap mapB;
    private final long pool;
    private final List<Row> rows = new ArrayList<>();
    private final TreeMap<Integer, int[]> perOsd = new TreeMap<>(); // osd -> {gained, lost}

    public PlacementDiff(OsdMap a, OsdMap b, long pool) {
        this.mapA = a;
        this.mapB = b;
        this.pool = pool;
        Placement pa = new Placement(a);
        Placement pb = new Placement(b);
        PgPool poolA = a.pool(pool);
        PgPool poolB = b.pool(pool);
        long n = Math.max(poolA.pgNum(), poolB.pgNum());
        for (long s = 0; s < n; s++) {
            PgId raw = new PgId(pool, s);
            Row r = new Row(s, pa.rawPgToPg(raw), pb.rawPgToPg(raw), pa.pgToUpActing(raw), pb.pgToUpActing(raw));
            rows.add(r);
            Set<Integer> before = new HashSet<>(r.a().up());
            Set<Integer> after = new HashSet<>(r.b().up());
            for (int osd : after) {
                if (osd != Placement.NONE && !before.contains(osd)) {
                    perOsd.computeIfAbsent(osd, k -> new int[2])[0]++;
                }
            }
            for (int osd : before) {
                if (osd != Placement.NONE && !after.contains(osd)) {
                    perOsd.computeIfAbsent(osd, k -> new int[2])[1]++;
                }
            }
        }
    }

    public List<Row> rows() {
        return rows;
    }

    /** osd -> {PG copies gained, PG copies lost}. */
    public Map<Integer, int[]> perOsd() {
        return perOsd;
    }

    public long upChanged() {
        return rows.stream().filter(Row::upChanged).count();
    }

    public long primaryChanged() {
        return rows.stream().filter(Row::primaryChanged).count();
    }

    public long replicasMoved() {
        return rows.stream().mapToLong(Row::replicasMoved).sum();
    }

    private String header() {
        PgPool a = mapA.pool(pool);
        PgPool b = mapB.pool(pool);
        return String.format(Locale.ROOT, "pool %d '%s': epoch %d -> %d, pg_num %d -> %d, size %d -> %d", pool,
                mapB.poolNames().get(pool), mapA.epoch(), mapB.epoch(), a.pgNum(), b.pgNum(), a.size(), b.size());
    }

    private String summary() {
        return String.format(Locale.ROOT, "%d of %d placement seeds change their up set (%.1f%%), %d change primary; "
                + "%d PG copies move", upChanged(), rows.size(), rows.isEmpty() ? 0.0 : 100.0 * upChanged() / rows.size(),
                primaryChanged(), replicasMoved());
    }

    public String text() {
        StringBuilder sb = new StringBuilder(header()).append('\n').append(summary()).append('\n');
        for (Row r : rows) {
            if (r.upChanged() || r.primaryChanged()) {
                sb.append(String.format(Locale.ROOT, "%s%s up %s p%d -> %s p%d (%d moved)%n", r.pgB(),
                        r.pgA().equals(r.pgB()) ? "" : " (was " + r.pgA() + ")", r.a().up(), r.a().actingPrimary(),
                        r.b().up(), r.b().actingPrimary(), r.replicasMoved()));
            }
        }
        for (Map.Entry<Integer, int[]> e : perOsd.entrySet()) {
            sb.append(String.format(Locale.ROOT, "osd.%d +%d -%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        return sb.toString();
    }

    static final String STYLE = "text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
            + ".h{font-size:15px;font-weight:bold}.s{font-size:10px;fill:#555}.same{fill:#e4e4e4}.prim{fill:#f4d03f}"
            + ".m1{fill:#f0a35e}.m2{fill:#d9534f}.m3{fill:#8e1b16}.gain{fill:#5cb85c}.loss{fill:#d9534f}.axis{stroke:#444}"
            + ".grid{stroke:#ddd}";

    public Svg svg() {
        Svg svg = new Svg(1000, 100, STYLE);
        svg.text(16, 26, "jceph explain --diff: " + header(), "h");
        svg.text(16, 46, summary(), null, "data-up-changed", Long.toString(upChanged()), "data-primary-changed",
                Long.toString(primaryChanged()), "data-moved", Long.toString(replicasMoved()), "class", "summary");
        // legend
        String[][] legend = {{"same", "unchanged"}, {"prim", "primary only"}, {"m1", "1 copy moves"},
            {"m2", "2 copies"}, {"m3", "3+ copies"}};
        double lx = 16;
        for (String[] l : legend) {
            svg.rect(lx, 56, 12, 12, l[0]);
            svg.text(lx + 16, 66, l[1], "s");
            lx += 110;
        }
        // PG grid
        int n = rows.size();
        int cols = n <= 256 ? 32 : 64;
        double cell = n <= 256 ? 26 : n <= 4096 ? 14 : 7;
        if (n > 16384) {
            cols = 128;
            cell = 7;
        }
        double y0 = 80;
        int drawn = Math.min(n, 65536);
        for (int i = 0; i < drawn; i++) {
            Row r = rows.get(i);
            int moved = r.replicasMoved();
            String cls = moved >= 3 ? "m3" : moved == 2 ? "m2" : moved == 1 ? "m1" : r.primaryChanged() ? "prim" : "same";
            double x = 16 + (i % cols) * cell;
            double y = y0 + (i / cols) * cell;
            if (cls.equals("same")) {
                svg.rect(x, y, cell - 1, cell - 1, cls); // no tooltip: keeps large maps small
            } else {
                svg.rectTitled(x, y, cell - 1, cell - 1, cls, r.pgB() + (r.pgA().equals(r.pgB()) ? "" : " (was " + r.pgA()
                        + ")") + ": " + r.a().up() + " p" + r.a().actingPrimary() + " -> " + r.b().up() + " p"
                        + r.b().actingPrimary(), "data-seed", Long.toString(r.seed()), "data-moved", Integer.toString(moved));
            }
        }
        double y = y0 + ((drawn + cols - 1) / cols) * cell + 30;
        if (drawn < n) {
            svg.text(16, y - 10, "(first " + drawn + " of " + n + " seeds drawn)", "s");
        }
        // per-OSD gains and losses, largest first, at most 80 OSDs
        List<Map.Entry<Integer, int[]>> osds = new ArrayList<>(perOsd.entrySet());
        osds.sort((p, q) -> Integer.compare(q.getValue()[0] + q.getValue()[1], p.getValue()[0] + p.getValue()[1]));
        List<Map.Entry<Integer, int[]>> shown = osds.subList(0, Math.min(80, osds.size()));
        shown.sort(Map.Entry.comparingByKey());
        svg.text(16, y, "PG copies gained (up) and lost (down) per OSD" + (osds.size() > shown.size() ? ", the "
                + shown.size() + " busiest of " + osds.size() + " OSDs" : ""), "h");
        y += 14;
        int max = 1;
        for (Map.Entry<Integer, int[]> e : shown) {
            max = Math.max(max, Math.max(e.getValue()[0], e.getValue()[1]));
        }
        double half = 90;
        double mid = y + half;
        double bw = Math.max(8, Math.min(40, 900.0 / Math.max(1, shown.size())));
        svg.line(16, mid, 16 + bw * shown.size() + 10, mid, "axis");
        svg.text(16 + bw * shown.size() + 14, y + 10, "+" + max, "s");
        svg.text(16 + bw * shown.size() + 14, mid + half, "-" + max, "s");
        for (int i = 0; i < shown.size(); i++) {
            int osd = shown.get(i).getKey();
            int[] gl = shown.get(i).getValue();
            double x = 20 + i * bw;
            double hg = half * gl[0] / max;
            double hl = half * gl[1] / max;
            svg.group("osd", "data-osd", Integer.toString(osd), "data-gained", Integer.toString(gl[0]), "data-lost",
                    Integer.toString(gl[1]));
            svg.rectTitled(x, mid - hg, bw - 2, hg, "gain", "osd." + osd + " gains " + gl[0]);
            svg.rectTitled(x, mid, bw - 2, hl, "loss", "osd." + osd + " loses " + gl[1]);
            if (bw >= 14) {
                svg.text(x, mid + half + 14, Integer.toString(osd), "s");
            }
            svg.end();
        }
        svg.size(1000, Math.max(mid + half + 30, 200));
        return svg;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Svg.esc("jceph explain --diff " + header())
                + "</title><script>window.onerror=function(m){document.title='JS ERROR: '+m;};</script></head>\n<body>\n"
                + svg().inline() + "<pre>" + Svg.esc(text()) + "</pre>\n</body></html>\n";
    }
}
