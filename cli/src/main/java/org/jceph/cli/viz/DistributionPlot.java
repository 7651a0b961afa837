package org.jceph.cli.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jceph.cli.osdmaptool.OsdmapTool;
import org.jceph.crush.CrushMap;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;

/**
 * PGs and primaries per OSD against the share its CRUSH weight (times its reweight) promises,
 * per pool and in total, as osdmaptool --test-map-pgs counts them (acting sets). Optionally
 * against a second map, so a reweight, an out OSD or an upmap shows as before/after.
 * Up to {@value #COLUMNS_MAX} OSDs draw one column each; more draw a histogram of deviations.
 */
public final class DistributionPlot {
    static final int COLUMNS_MAX = 150;

    /** Counts for one map. */
    public static final class Counts {
        public final OsdMap map;
        public final long pool; // -1: all pools
        public final int[] pgs;
        public final int[] primaries;
        public final int[][] perPool; // [pool index][osd]
        public final List<Long> pools = new ArrayList<>();
        public final double[] expected;
        public final long total;

        public Counts(OsdMap map, long poolFilter) {
            this.map = map;
            this.pool = poolFilter;
            int n = map.maxOsd();
            pgs = new int[n];
            primaries = new int[n];
            Placement p = new Placement(map);
            for (Map.Entry<Long, PgPool> e : map.pools().entrySet()) {
                if (poolFilter == -1 || e.getKey() == poolFilter) {
                    pools.add(e.getKey());
                }
            }
            perPool = new int[pools.size()][n];
            long t = 0;
            for (int pi = 0; pi < pools.size(); pi++) {
                long id = pools.get(pi);
                for (long ps = 0; ps < map.pool(id).pgNum(); ps++) {
                    Placement.Result r = p.pgToUpActing(new PgId(id, ps));
                    for (int osd : r.acting()) {
                        if (osd != Placement.NONE && osd >= 0 && osd < n) {
                            pgs[osd]++;
                            perPool[pi][osd]++;
                            t++;
                        }
                    }
                    if (r.actingPrimary() >= 0 && r.actingPrimary() < n) {
                        primaries[r.actingPrimary()]++;
                    }
                }
            }
            total = t;
            // expected: total copies shared by effective weight (crush weight x reweight) among in OSDs
            Map<Integer, Integer> cw = OsdmapTool.crushWeights(CrushMap.decode(map.crushBytes()));
            expected = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                expected[i] = counted(i, cw) ? cw.get(i) / 65536.0 * map.osdWeight().get(i) / 65536.0 : 0;
                sum += expected[i];
            }
            for (int i = 0; i < n; i++) {
                expected[i] = sum == 0 ? 0 : expected[i] / sum * total;
            }
        }

        private boolean counted(int i, Map<Integer, Integer> cw) {
            return map.exists(i) && !map.isOut(i) && cw.getOrDefault(i, 0) > 0;
        }

        /** OSDs that count: exist, in, with CRUSH weight. */
        public List<Integer> osds() {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < pgs.length; i++) {
                if (expected[i] > 0 || pgs[i] > 0) {
                    l.add(i);
                }
            }
            return l;
        }

        /** Standard deviation of (pgs - expected) over the OSDs that count. */
        public double stddev() {
            List<Integer> l = osds();
            double s = 0;
            for (int i : l) {
                s += (pgs[i] - expected[i]) * (pgs[i] - expected[i]);
            }
            return l.isEmpty() ? 0 : Math.sqrt(s / l.size());
        }

        public double maxDeviationPct() {
            double m = 0;
            for (int i : osds()) {
                if (expected[i] > 0) {
                    m = Math.max(m, Math.abs(pgs[i] - expected[i]) / expected[i] * 100);
                }
            }
            return m;
        }
    }

    static final String STYLE = "text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
            + "text.h{font-size:15px;font-weight:bold}text.s{font-size:10px;fill:#555}line.axis{stroke:#444}"
            + "line.exp{stroke:#000;stroke-width:2}rect.prim{fill:#34495e}rect.ghost{fill:none;stroke:#999;stroke-dasharray:3,2}"
            + "rect.over{fill:#d9534f}rect.under{fill:#5b8bd9}line.grid{stroke:#eee}";
    static final String[] POOL_COLORS = {"#8fc1e3", "#f6c28b", "#a8d5a2", "#d7b5e8", "#f4a6a6", "#c9c9a3", "#9fd8d8",
        "#e8c1d6"};

    private final Counts after;
    private final Counts before; // may be null
    private final String caption;

    public DistributionPlot(Counts after, Counts before, String caption) {
        this.after = after;
        this.before = before;
        this.caption = caption;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    public String summary(Counts c) {
        return String.format(Locale.ROOT, "epoch %d: %d PG copies on %d OSDs, stddev from the weight share %.2f, "
                + "worst OSD %.1f%% off", c.map.epoch(), c.total, c.osds().size(), c.stddev(), c.maxDeviationPct());
    }

    public Svg svg() {
        Svg svg = new Svg(1200, 100, STYLE);
        svg.text(16, 24, "PGs per OSD against CRUSH weight" + (caption.isEmpty() ? "" : ": " + caption), "h");
        double y = 44;
        if (before != null) {
            svg.text(16, y, "before: " + summary(before), null, "class", "sumbefore");
            y += 18;
        }
        svg.text(16, y, (before != null ? "after: " : "") + summary(after), null, "class", "sum");
        y += 16;
        // legend
        double lx = 16;
        for (int pi = 0; pi < after.pools.size(); pi++) {
            svg.rect(lx, y, 12, 12, null, "fill", POOL_COLORS[pi % POOL_COLORS.length]);
            String name = after.map.poolNames().get(after.pools.get(pi));
            svg.text(lx + 16, y + 10, "pool " + after.pools.get(pi) + " " + name, "s");
            lx += 30 + name.length() * 6 + 40;
        }
        svg.rect(lx, y, 12, 12, "prim");
        svg.text(lx + 16, y + 10, "primaries", "s");
        svg.line(lx + 90, y + 6, lx + 104, y + 6, "exp");
        svg.text(lx + 108, y + 10, "expected from weight", "s");
        if (before != null) {
            svg.rect(lx + 230, y, 12, 12, "ghost");
            svg.text(lx + 246, y + 10, "before", "s");
        }
        y += 30;
        List<Integer> osds = after.osds();
        if (before != null) {
            for (int i : before.osds()) {
                if (!osds.contains(i)) {
                    osds.add(i);
                }
            }
            osds.sort(null);
        }
        double bottom = osds.size() <= COLUMNS_MAX ? columns(svg, osds, y) : histogram(svg, y);
        svg.size(1200, bottom + 20);
        return svg;
    }

    private double columns(Svg svg, List<Integer> osds, double y0) {
        double h = 260;
        double max = 1;
        for (int i : osds) {
            max = Math.max(max, Math.max(after.pgs[i], after.expected[i]));
            if (before != null && i < before.pgs.length) {
                max = Math.max(max, Math.max(before.pgs[i], before.expected[i]));
            }
        }
        double x0 = 56;
        double w = Math.max(5, Math.min(48, 1100.0 / Math.max(1, osds.size())));
        double base = y0 + h;
        for (int k = 0; k <= 4; k++) {
            double gy = base - h * k / 4;
            svg.line(x0 - 4, gy, x0 + w * osds.size(), gy, "grid");
            svg.text(8, gy + 4, f(max * k / 4), "s");
        }
        svg.line(x0, base, x0 + w * osds.size(), base, "axis");
        double devBase = base + 30 + 70;
        svg.text(8, base + 24, "deviation from the weight share, % (red over, blue under)", "s");
        svg.line(x0, devBase, x0 + w * osds.size(), devBase, "axis");
        double devScale = 50; // +-50% spans the band
        for (int k = 0; k < osds.size(); k++) {
            int i = osds.get(k);
            double x = x0 + k * w;
            int pgs = i < after.pgs.length ? after.pgs[i] : 0;
            double exp = i < after.expected.length ? after.expected[i] : 0;
            svg.group("osdcol", "data-osd", Integer.toString(i), "data-pgs", Integer.toString(pgs), "data-primaries",
                    Integer.toString(i < after.primaries.length ? after.primaries[i] : 0), "data-expected", f(exp),
                    "data-before", before == null ? null : Integer.toString(i < before.pgs.length ? before.pgs[i] : 0));
            double yy = base;
            for (int pi = 0; pi < after.pools.size(); pi++) {
                double ph = h * after.perPool[pi][i] / max;
                if (ph > 0) {
                    yy -= ph;
                    svg.rectTitled(x + 1, yy, w - 2, ph, null, "osd." + i + " pool " + after.pools.get(pi) + ": "
                            + after.perPool[pi][i] + " PGs", "fill", POOL_COLORS[pi % POOL_COLORS.length]);
                }
            }
            double prh = h * after.primaries[i] / max;
            svg.rectTitled(x + w * 0.35, base - prh, w * 0.3, prh, "prim", "osd." + i + ": primary of "
                    + after.primaries[i] + " PGs");
            if (before != null && i < before.pgs.length) {
                double bh = h * before.pgs[i] / max;
                svg.rectTitled(x + 0.5, base - bh, w - 1, bh, "ghost", "osd." + i + " before: " + before.pgs[i] + " PGs");
            }
            svg.line(x, base - h * exp / max, x + w, base - h * exp / max, "exp");
            double dev = exp > 0 ? (pgs - exp) / exp * 100 : (pgs > 0 ? 100 : 0);
            double dh = Math.min(70, Math.abs(dev) / devScale * 70);
            svg.rectTitled(x + 1, dev >= 0 ? devBase - dh : devBase, w - 2, dh, dev >= 0 ? "over" : "under",
                    String.format(Locale.ROOT, "osd.%d: %d PGs, expected %.1f (%+.1f%%), weight share", i, pgs, exp, dev));
            if (w >= 14) {
                svg.text(x + 1, devBase + 84, Integer.toString(i), "s");
            }
            svg.end();
        }
        svg.text(x0 + w * osds.size() + 6, devBase - 64, "+50%", "s");
        svg.text(x0 + w * osds.size() + 6, devBase + 70, "-50%", "s");
        svg.text(x0, devBase + 100, "osd id", "s");
        return devBase + 110;
    }

    /** Many OSDs: how many OSDs fall in each deviation bin (after, and before as an outline). */
    private double histogram(Svg svg, double y0) {
        int bins = 41; // -100%..+100% in 5% steps
        int[] a = bins(after, bins);
        int[] b = before == null ? null : bins(before, bins);
        int max = 1;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(a[i], b == null ? 0 : b[i]));
        }
        double h = 300;
        double x0 = 56;
        double w = 26;
        double base = y0 + h;
        svg.text(x0, y0 - 6, "OSDs by deviation of their PG count from the weight share (" + after.osds().size()
                + " OSDs)", null);
        for (int i = 0; i < bins; i++) {
            double x = x0 + i * w;
            double bh = h * a[i] / max;
            int pct = (i - bins / 2) * 5;
            svg.group("bin", "data-pct", Integer.toString(pct), "data-osds", Integer.toString(a[i]));
            svg.rectTitled(x + 1, base - bh, w - 2, bh, pct >= 0 ? "over" : "under", a[i] + " OSDs at " + pct + "%");
            if (b != null) {
                double gh = h * b[i] / max;
                svg.rectTitled(x + 0.5, base - gh, w - 1, gh, "ghost", b[i] + " OSDs at " + pct + "% before");
            }
            if (i % 4 == 0) {
                svg.text(x, base + 14, pct + "%", "s");
            }
            svg.end();
        }
        svg.line(x0, base, x0 + w * bins, base, "axis");
        svg.text(8, y0 + 4, Integer.toString(max), "s");
        return base + 30;
    }

    private static int[] bins(Counts c, int bins) {
        int[] out = new int[bins];
        for (int i : c.osds()) {
            double dev = c.expected[i] > 0 ? (c.pgs[i] - c.expected[i]) / c.expected[i] * 100 : 100;
            int bin = (int) Math.round(dev / 5) + bins / 2;
            out[Math.max(0, Math.min(bins - 1, bin))]++;
        }
        return out;
    }
}
