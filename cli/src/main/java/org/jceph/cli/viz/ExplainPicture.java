package org.jceph.cli.viz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.crush.RuleStep;
import org.jceph.encoding.types.PgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;

/**
 * {@code jceph explain --format svg|html}: one object's placement as a picture. Left, the rule's
 * steps in the order the mapper took them, each straw2 bucket choice as a row of candidates ranked
 * by their draw (the winner lit), rejections, retries and acceptances marked; then upmap, primary
 * affinity and temps, ending at up, acting and the primary. Right, the CRUSH hierarchy below the
 * rule's take with the visited path expanded and everything else collapsed, so a 10,000-OSD map
 * draws as few lines as a 3-OSD one. Every number comes from {@link Placement} and the mapper's
 * own trace: the drawn result is the mapping.
 */
public final class ExplainPicture {
    /** Candidates shown per straw2 row; the rest are counted. */
    static final int ROW_CANDIDATES = 8;
    /** Off-path children listed per expanded bucket in the tree. */
    static final int TREE_SIBLINGS = 6;

    static final String STYLE = "text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
            + "text.h{font-size:15px;font-weight:bold}text.s{font-size:10px;fill:#555}text.m{font-family:DejaVu Sans Mono,monospace;font-size:11px}"
            + "rect.cand{fill:#eef2f7;stroke:#9aa8b8}rect.win{fill:#b9e8b0;stroke:#2e8b22;stroke-width:2}"
            + "rect.rej{fill:#f8d0cc;stroke:#c0392b}rect.retry{fill:#fde9c4;stroke:#d68910}rect.acc{fill:#d5f5d0;stroke:#2e8b22}"
            + "rect.bucket{fill:#e3e9f6;stroke:#5b6f99}rect.osd{fill:#fff;stroke:#888}rect.onpath{stroke:#2e8b22;stroke-width:2.5}"
            + "line.edge{stroke:#bbb;stroke-width:1}line.pedge{stroke:#2e8b22;stroke-width:2.5}rect.stage{fill:#f4f4f4;stroke:#777}"
            + "rect.chip{fill:#dbe9ff;stroke:#3b6fb6}rect.prim{fill:#ffd966;stroke:#b7950b;stroke-width:2}rect.none{fill:#eee;stroke:#aaa}"
            + "rect.down{fill:#f8d0cc;stroke:#c0392b}rect.sect{fill:#f7f7fb;stroke:#dde}";

    /** Trace rows drawn before and after an elided middle (long retry chains); steps, accepts and results always. */
    static final int TRACE_HEAD = 120;
    static final int TRACE_TAIL = 80;

    private final OsdMap map;
    private final CrushMap crush;
    private final long poolId;
    private final PgPool pool;
    private final String object;
    private final String key;
    private final String ns;
    private final Placement p;
    // computed
    final PgId raw;
    final PgId pg;
    final int pps;
    final int rule;
    final List<TraceRecorder.Event> events;
    final List<Integer> crushOut;
    final List<Integer> rawSet;
    final List<Integer> upmapped;
    final List<Integer> upBeforeAffinity;
    final Placement.Result result;

    private int steps;

    public ExplainPicture(OsdMap map, long poolId, String object, String key, String ns) {
        this.map = map;
        this.poolId = poolId;
        this.pool = map.pool(poolId);
        this.object = object;
        this.key = key;
        this.ns = ns;
        this.p = new Placement(map);
        this.crush = p.crush();
        raw = p.objectToRawPg(poolId, object, key, ns);
        pg = p.rawPgToPg(raw);
        pps = Placement.rawPgToPps(pool, raw);
        rule = p.findRule(pool);
        TraceRecorder rec = new TraceRecorder();
        crushOut = p.traceCrush(pool, raw, rec);
        events = rec.events();
        rawSet = p.rawOsds(pool, raw);
        upmapped = new ArrayList<>(rawSet);
        p.applyUpmap(pool, raw, upmapped);
        upBeforeAffinity = p.rawToUp(pool, upmapped);
        result = p.pgToUpActing(raw);
    }

    String name(int id) {
        if (id == Placement.NONE) {
            return "NONE";
        }
        String n = crush.itemNames().get(id);
        return n != null ? n : id >= 0 ? "osd." + id : "bucket" + id;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String csv(List<Integer> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Ids on the path: chosen, descended, searched and accepted items, and the take roots. */
    Set<Integer> pathItems() {
        Set<Integer> s = new LinkedHashSet<>();
        for (TraceRecorder.Event e : events) {
            switch (e.kind()) {
                case STEP -> {
                    if (e.u() == RuleStep.TAKE) {
                        s.add(e.item());
                    }
                }
                case CHOSE, DESCEND, LEAF_SEARCH, ACCEPT -> s.add(e.item());
                default -> {
                }
            }
        }
        return s;
    }

    private double rowY;
    private final double left = 16;

    /** Draws the picture. */
    public Svg svg() {
        Svg svg = new Svg(1400, 100, STYLE);
        steps = 0;
        rowY = 28;
        String title = "jceph explain: object '" + (ns.isEmpty() ? object : ns + "/" + object) + "' in pool "
                + map.poolNames().get(poolId) + " (osdmap epoch " + map.epoch() + ")";
        svg.text(left, rowY, title, "h");
        rowY += 24;
        // 1-3: hash, pg, pps
        String hashed = key.isEmpty() ? object : key;
        stepRow(svg, "1. hash", String.format("rjenkins(%s%s) = 0x%08x", ns.isEmpty() ? "" : "'" + ns + "' 0x1f ",
                "'" + hashed + "'", raw.seed()), "step");
        stepRow(svg, "2. pg", String.format("stable_mod(0x%08x, pg_num %d) = 0x%x  ->  pg %s", raw.seed(), pool.pgNum(),
                pg.seed(), pg), "step");
        stepRow(svg, "3. pps", String.format("%s = %d", pool.hasFlag(PgPool.FLAG_HASHPSPOOL)
                ? "hash(stable_mod(seed, pgp_num " + pool.pgpNum() + "), pool " + poolId + ")" : "seed + pool",
                Integer.toUnsignedLong(pps)), "step");
        stepRow(svg, "4. CRUSH", "rule " + rule + " '" + crush.ruleNames().getOrDefault(rule, "?") + "', x = pps, "
                + pool.size() + (pool.isErasure() ? " shards (indep: each position kept, NONE if unfilled)" : " replicas")
                + classesNote(), "step");
        // 4: the rule trace
        drawTrace(svg);
        double traceEnd = rowY;
        // 5-8: after CRUSH
        rowY += 10;
        drawStages(svg);
        double leftEnd = rowY;
        double treeEnd = drawTree(svg, 900, 52);
        svg.size(1400, Math.max(leftEnd, treeEnd) + 20);
        return svg;
    }

    private String classesNote() {
        if (crush.classNames().isEmpty()) {
            return "";
        }
        return "; device classes: " + String.join(", ", crush.classNames().values());
    }

    private void stepRow(Svg svg, String label, String text, String cls) {
        svg.group("ev " + cls, "data-step", Integer.toString(steps++));
        svg.text(left, rowY, label, "h");
        svg.text(left + 90, rowY, text, "m");
        svg.end();
        rowY += 22;
    }

    private void drawTrace(Svg svg) {
        List<TraceRecorder.Event> draws = new ArrayList<>();
        int depth = 0;
        int rowsTotal = 0;
        for (TraceRecorder.Event e : events) {
            rowsTotal += e.kind() == TraceRecorder.Kind.DRAW ? 0 : 1;
        }
        int row = 0;
        int elided = 0;
        for (TraceRecorder.Event e : events) {
            TraceRecorder.Kind k = e.kind();
            if (k != TraceRecorder.Kind.DRAW) {
                row++;
            }
            boolean always = k == TraceRecorder.Kind.STEP || k == TraceRecorder.Kind.ACCEPT
                    || k == TraceRecorder.Kind.STEP_RESULT || k == TraceRecorder.Kind.RESULT;
            if (row > TRACE_HEAD && row <= rowsTotal - TRACE_TAIL && !always) {
                if (k == TraceRecorder.Kind.CHOSE) {
                    draws.clear();
                }
                if (k != TraceRecorder.Kind.DRAW) {
                    elided++;
                }
                continue;
            }
            if (elided > 0) {
                note(svg, 0, "\u2026 " + elided + " trace rows elided here (a long run of rejections and retries; "
                        + "jceph explain without --format prints them all)", "retry", "elided", 0);
                elided = 0;
            }
            switch (k) {
                case STEP -> {
                    depth = 0;
                    svg.group("ev rulestep", "data-step", Integer.toString(steps++));
                    svg.rect(left + 10, rowY - 14, 860, 20, "sect");
                    svg.text(left + 16, rowY, "step " + stepText(e), "m", "font-weight", "bold");
                    svg.end();
                    rowY += 24;
                }
                case DRAW -> draws.add(e);
                case CHOSE -> {
                    drawChoice(svg, draws, e, depth);
                    draws.clear();
                }
                case DESCEND -> note(svg, depth, "descend into " + name(e.item()) + " (r=" + e.r() + ")", null, "descend",
                        e.item());
                case LEAF_SEARCH -> {
                    note(svg, depth, "chooseleaf: look for a device under " + name(e.item()) + " (r=" + e.r() + ")", null,
                            "leaf", e.item());
                    depth++;
                }
                case REJECT -> note(svg, depth, "\u2717 reject " + (e.item() == -1 ? "" : name(e.item()) + " ") + "in "
                        + name(e.bucket()) + " r=" + e.r() + ": " + e.text(), "rej", "reject", e.item());
                case RETRY -> note(svg, depth, "\u21bb failures " + e.bucket() + " (local " + e.r() + "): " + e.text(),
                        "retry", "retry", 0);
                case ACCEPT -> {
                    if (depth > 0 && e.item() >= 0) {
                        depth--;
                    }
                    note(svg, depth, "\u2713 accept " + name(e.item()) + " at position " + e.r(), "acc", "accept", e.item(),
                            "data-pos", Integer.toString(e.r()));
                }
                case STEP_RESULT -> note(svg, 0, "working set: " + names(e.items()), null, "wset", 0);
                case NOTE -> note(svg, depth, e.text(), null, "note", 0);
                case RESULT -> {
                    List<Integer> res = new ArrayList<>();
                    for (int i : e.items()) {
                        res.add(i);
                    }
                    note(svg, 0, "CRUSH result " + res, "acc", "crushresult", 0, "data-osds", csv(res));
                }
            }
        }
    }

    private String names(int[] items) {
        List<String> l = new ArrayList<>();
        for (int i : items) {
            l.add(name(i));
        }
        return "[" + String.join(", ", l) + "]";
    }

    private String stepText(TraceRecorder.Event e) {
        String type = crush.typeNames().getOrDefault(e.weight(), "type" + e.weight());
        return switch (e.u()) {
            case RuleStep.TAKE -> "take " + name(e.item()) + (name(e.item()).contains("~")
                    ? "  (a shadow tree: only devices of class " + name(e.item()).substring(name(e.item()).indexOf('~') + 1)
                            + ")" : "");
            case RuleStep.CHOOSE_FIRSTN -> "choose firstn " + e.item() + " type " + type;
            case RuleStep.CHOOSE_INDEP -> "choose indep " + e.item() + " type " + type;
            case RuleStep.CHOOSELEAF_FIRSTN -> "chooseleaf firstn " + e.item() + " type " + type;
            case RuleStep.CHOOSELEAF_INDEP -> "chooseleaf indep " + e.item() + " type " + type;
            case RuleStep.EMIT -> "emit";
            case RuleStep.SET_CHOOSE_TRIES -> "set_choose_tries " + e.item();
            case RuleStep.SET_CHOOSELEAF_TRIES -> "set_chooseleaf_tries " + e.item();
            case RuleStep.SET_CHOOSE_LOCAL_TRIES -> "set_choose_local_tries " + e.item();
            case RuleStep.SET_CHOOSE_LOCAL_FALLBACK_TRIES -> "set_choose_local_fallback_tries " + e.item();
            case RuleStep.SET_CHOOSELEAF_VARY_R -> "set_chooseleaf_vary_r " + e.item();
            case RuleStep.SET_CHOOSELEAF_STABLE -> "set_chooseleaf_stable " + e.item();
            case RuleStep.CHOOSE_MSR -> "choose msr " + e.item() + " type " + type;
            case RuleStep.SET_MSR_DESCENTS -> "set_msr_descents " + e.item();
            case RuleStep.SET_MSR_COLLISION_TRIES -> "set_msr_collision_tries " + e.item();
            default -> "op " + e.u() + " " + e.item() + " " + e.weight();
        };
    }

    private void note(Svg svg, int depth, String text, String cls, String kind, int item, String... extra) {
        String[] kv = new String[4 + extra.length];
        kv[0] = "data-step";
        kv[1] = Integer.toString(steps++);
        kv[2] = "data-item";
        kv[3] = Integer.toString(item);
        System.arraycopy(extra, 0, kv, 4, extra.length);
        svg.group("ev " + kind, kv);
        depth = Math.min(depth, 4);
        double x = left + 20 + depth * 24;
        if (cls != null) {
            svg.rect(x - 4, rowY - 14, Math.min(850 - depth * 24, text.length() * 6.6 + 12), 19, cls, "rx", "3");
        }
        svg.text(x, rowY, text, null);
        svg.end();
        rowY += 22;
    }

    /** One bucket choice: the candidates ranked by draw (straw2), or just the pick for other algorithms. */
    private void drawChoice(Svg svg, List<TraceRecorder.Event> draws, TraceRecorder.Event chose, int depth) {
        depth = Math.min(depth, 4);
        double x = left + 20 + depth * 24;
        svg.group("ev choice", "data-step", Integer.toString(steps++), "data-bucket", Integer.toString(chose.bucket()),
                "data-item", Integer.toString(chose.item()), "data-r", Integer.toString(chose.r()));
        svg.text(x, rowY, name(chose.bucket()) + " [" + chose.text() + "] r=" + chose.r()
                + (draws.isEmpty() ? "  ->  " + name(chose.item()) : ": " + draws.size() + " draws, highest wins"), null);
        rowY += 6;
        if (!draws.isEmpty()) {
            List<TraceRecorder.Event> ranked = new ArrayList<>(draws);
            // straw2 keeps the first of equal draws: a stable sort on the draw keeps that order
            ranked.sort((a, b) -> Long.compare(b.draw(), a.draw()));
            List<TraceRecorder.Event> shown = new ArrayList<>(ranked.subList(0, Math.min(ROW_CANDIDATES, ranked.size())));
            double bx = x;
            double w = 100;
            for (TraceRecorder.Event d : shown) {
                boolean win = d.item() == chose.item();
                String tip = name(d.item()) + (d.u() < 0 ? ": weight 0, never drawn"
                        : ": u = hash(x, id, r=" + d.r() + ") & 0xffff = " + d.u() + "; ln = " + d.ln() + "; weight "
                                + f((d.weight() & 0xffffffffL) / 65536.0) + "; draw = ln / weight = " + d.draw())
                        + (win ? " (winner)" : "");
                svg.group(win ? "cg winner" : "cg", "data-item", Integer.toString(d.item()), "data-draw",
                        Long.toString(d.draw()));
                svg.rectTitled(bx, rowY, w - 4, 30, win ? "win" : "cand", tip, "rx", "3");
                svg.text(bx + 4, rowY + 12, trim(name(d.item()), 14), null);
                svg.text(bx + 4, rowY + 25, d.u() < 0 ? "w=0" : Long.toString(d.draw()), "s");
                svg.end();
                bx += w;
            }
            if (ranked.size() > shown.size()) {
                svg.text(bx + 4, rowY + 19, "+" + (ranked.size() - shown.size()) + " lower draws", "s");
            }
            rowY += 36;
        }
        svg.end();
        rowY += 18;
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }

    /** After CRUSH: existing OSDs, upmap, up (down dropped), affinity, temps, the primary. */
    private void drawStages(Svg svg) {
        List<Integer> temp = map.pgTemp().get(pg);
        Integer primaryTemp = map.primaryTemp().get(pg);
        stage(svg, "5. raw", rawSet, -1, rawSet.equals(crushOut) ? "CRUSH result, all OSDs exist"
                : "nonexistent OSDs removed from " + crushOut, "raw");
        List<Integer> explicit = map.pgUpmap().get(pg);
        List<int[]> items = map.pgUpmapItems().get(pg);
        String um = explicit == null && items == null ? "no upmap for pg " + pg
                : (explicit != null ? "pg_upmap " + explicit + " " : "") + (items == null ? "" : "pg_upmap_items "
                        + items.stream().map(i -> i[0] + "->" + i[1]).collect(Collectors.joining(" ")));
        stage(svg, "6. upmap", upmapped, -1, um, "upmap");
        List<String> downs = new ArrayList<>();
        for (int osd : upmapped) {
            if (osd != Placement.NONE && (!map.exists(osd) || map.isDown(osd))) {
                downs.add("osd." + osd + " down");
            }
        }
        stage(svg, "7. up", upBeforeAffinity, -1, downs.isEmpty() ? "all up" : String.join(", ", downs)
                + (pool.canShiftOsds() ? " (dropped)" : " (kept as NONE)"), "up");
        List<String> aff = new ArrayList<>();
        for (int osd : upBeforeAffinity) {
            if (osd != Placement.NONE && map.primaryAffinity(osd) != OsdMap.DEFAULT_PRIMARY_AFFINITY) {
                aff.add("osd." + osd + "=" + f(map.primaryAffinity(osd) / 65536.0));
            }
        }
        stage(svg, "8. affinity", result.up(), result.upPrimary(), aff.isEmpty() ? "all 1.0: the first up OSD leads"
                : "primary affinity " + String.join(" ", aff), "affinity");
        svg.group("ev final", "data-step", Integer.toString(steps++), "data-crush", csv(crushOut), "data-up",
                csv(result.up()), "data-up-primary", Integer.toString(result.upPrimary()), "data-acting",
                csv(result.acting()), "data-acting-primary", Integer.toString(result.actingPrimary()), "data-pg",
                result.pg().toString());
        drawStageBody(svg, "9. acting", result.acting(), result.actingPrimary(), (temp == null ? "no pg_temp"
                : "pg_temp " + temp) + "; " + (primaryTemp == null ? "no primary_temp" : "primary_temp osd." + primaryTemp)
                + "  =>  ops go to osd." + result.actingPrimary());
        svg.end();
    }

    private void stage(Svg svg, String label, List<Integer> osds, int primary, String why, String kind) {
        svg.group("ev stage " + kind, "data-step", Integer.toString(steps++), "data-osds", csv(osds));
        drawStageBody(svg, label, osds, primary, why);
        svg.end();
    }

    private void drawStageBody(Svg svg, String label, List<Integer> osds, int primary, String why) {
        svg.rect(left + 10, rowY - 4, 860, 34, "stage", "rx", "4");
        svg.text(left + 18, rowY + 17, label, "h");
        double x = left + 120;
        for (int osd : osds) {
            String cls = osd == Placement.NONE ? "none" : osd == primary ? "prim" : map.exists(osd) && map.isDown(osd)
                    ? "down" : "chip";
            svg.rectTitled(x, rowY, 62, 26, cls, (osd == primary ? "primary " : "") + name(osd), "rx", "4");
            svg.text(x + 6, rowY + 17, osd == Placement.NONE ? "NONE" : "osd." + osd, null);
            x += 66;
        }
        svg.text(Math.max(x + 8, left + 330), rowY + 17, why, "s");
        rowY += 40;
    }

    /** The hierarchy under each take, path expanded, the rest collapsed. Returns the bottom y. */
    private double drawTree(Svg svg, double x0, double y0) {
        Set<Integer> path = pathItems();
        Set<Integer> accepted = new HashSet<>(crushOut);
        double[] y = {y0};
        svg.text(x0, y[0], "CRUSH hierarchy (path in green, the rest collapsed)", "h");
        y[0] += 22;
        for (TraceRecorder.Event e : events) {
            if (e.kind() == TraceRecorder.Kind.STEP && e.u() == RuleStep.TAKE) {
                treeNode(svg, e.item(), x0, y, 0, path, accepted, true, -1);
            }
        }
        return y[0];
    }

    private void treeNode(Svg svg, int id, double x0, double[] y, int depth, Set<Integer> path, Set<Integer> accepted,
            boolean expand, int weight) {
        double x = x0 + depth * 18;
        boolean on = path.contains(id);
        String label;
        CrushBucket b = id < 0 ? crush.bucket(id) : null;
        if (b != null) {
            label = name(id) + "  " + crush.typeNames().getOrDefault(b.type(), "?") + ", "
                    + CrushBucket.algorithmName(b.algorithm()) + ", w " + f(b.weight() / 65536.0) + ", " + b.size()
                    + " items" + (expand ? "" : " \u25b8");
        } else {
            Integer cls = crush.classMap().get(id);
            String state = id >= 0 && id < map.maxOsd() ? (!map.exists(id) ? " dne" : (map.isDown(id) ? " down" : " up")
                    + (map.isOut(id) ? " out" : map.osdWeight().get(id) != OsdMap.WEIGHT_IN
                            ? " reweight " + f(map.osdWeight().get(id) / 65536.0) : "")) : "";
            label = name(id) + (weight >= 0 ? "  w " + f(weight / 65536.0) : "")
                    + (cls != null ? "  " + crush.classNames().getOrDefault(cls, "?") : "") + state
                    + (accepted.contains(id) ? "  \u2713 chosen" : "");
        }
        svg.group("tnode" + (on ? " onpath" : ""), "data-item", Integer.toString(id));
        if (depth > 0) {
            svg.line(x - 12, y[0] - 4, x - 2, y[0] - 4, on ? "pedge" : "edge");
        }
        svg.rect(x - 2, y[0] - 13, Math.min(label.length() * 6.7 + 8, 1390 - x), 18, (b != null ? "bucket" : "osd")
                + (on ? " onpath" : ""), "rx", "3");
        svg.text(x + 2, y[0], label, null);
        svg.end();
        y[0] += 22;
        if (b == null || !expand) {
            return;
        }
        int others = 0;
        int listed = 0;
        for (int i = 0; i < b.size(); i++) {
            int child = b.item(i);
            if (path.contains(child)) {
                treeNode(svg, child, x0, y, depth + 1, path, accepted, true, b.itemWeight(i));
            } else if (listed < TREE_SIBLINGS && (y[0] < 3000)) {
                treeNode(svg, child, x0, y, depth + 1, path, accepted, false, b.itemWeight(i));
                listed++;
            } else {
                others++;
            }
        }
        if (others > 0) {
            svg.text(x0 + (depth + 1) * 18 + 2, y[0], "\u2026 " + others + " more off the path", "s");
            y[0] += 20;
        }
    }

    /** The standalone page: the SVG plus a stepper (Prev/Next, arrow keys) in inline script. */
    public String html() {
        Svg svg = svg();
        String title = "jceph explain " + map.poolNames().get(poolId) + "/" + object;
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Svg.esc(title) + "</title>\n"
                + "<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:8px}#bar{position:sticky;top:0;background:#fff;"
                + "padding:4px;border-bottom:1px solid #ccc}button{margin-right:6px}.ev.later{opacity:.12}"
                + ".ev.now rect{stroke:#d35400;stroke-width:3}</style></head>\n<body>\n"
                + "<div id=\"bar\"><button id=\"prev\">&#9664; Prev</button><button id=\"next\">Next &#9654;</button>"
                + "<button id=\"all\">Show all</button> step <span id=\"pos\"></span> of " + steps
                + " &nbsp; (arrow keys step through the rule)</div>\n" + svg.inline()
                + "<script>\n" + STEPPER + "</script>\n</body></html>\n";
    }

    static final String STEPPER = """
            window.onerror = function (m) { document.title = 'JS ERROR: ' + m; };
            (function () {
              var evs = Array.prototype.slice.call(document.querySelectorAll('.ev'));
              var n = evs.length, cur = n - 1;
              var start = /step=(\\d+)/.exec(location.hash); // a link can open at a step: page.html#step=5
              if (start) { cur = Math.max(0, Math.min(n - 1, +start[1] - 1)); }
              function show() {
                evs.forEach(function (e) {
                  var s = +e.getAttribute('data-step');
                  e.classList.toggle('later', s > cur);
                  e.classList.toggle('now', s === cur);
                });
                document.getElementById('pos').textContent = (cur + 1);
              }
              document.getElementById('prev').onclick = function () { if (cur > 0) { cur--; show(); } };
              document.getElementById('next').onclick = function () { if (cur < n - 1) { cur++; show(); } };
              document.getElementById('all').onclick = function () { cur = n - 1; show(); };
              document.addEventListener('keydown', function (k) {
                if (k.key === 'ArrowRight' || k.key === 'ArrowDown') { document.getElementById('next').onclick(); k.preventDefault(); }
                if (k.key === 'ArrowLeft' || k.key === 'ArrowUp') { document.getElementById('prev').onclick(); k.preventDefault(); }
              });
              show();
              document.body.setAttribute('data-ready', String(n));
            })();
            """;
}
