package org.jceph.cli.osdmaptool;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.osdmap.OsdMap;

/**
 * OSDMap::print_tree in plain text (OSDTreePlainDumper over CrushTreeDumper, Pacific): the CRUSH
 * hierarchy from each non-shadow root, depth first, children sorted by (class, name), then the
 * OSDs that exist but are in no bucket. Columns as TextTable lays them out: padded to the widest
 * cell, two spaces apart.
 */
final class TreePrinter {
    private static final String[] HEADERS = {"ID", "CLASS", "WEIGHT", "TYPE NAME", "STATUS", "REWEIGHT", "PRI-AFF"};
    /** Data alignment per column: true = right. Headers are all left-aligned. */
    private static final boolean[] RIGHT = {true, true, true, false, true, true, true};

    private record Item(int id, int depth, float weight) {
    }

    private TreePrinter() {
    }

    /** weightf_t on a stream ({@link org.jceph.cli.CStdio#weightf}). */
    static String weightf(float w) {
        return org.jceph.cli.CStdio.weightf(w);
    }

    static void print(OsdMap m, CrushMap crush, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        Set<Integer> touched = new HashSet<>();
        Set<Integer> children = new HashSet<>();
        for (CrushBucket b : crush.bucketSlots()) {
            if (b != null) {
                for (int i = 0; i < b.size(); i++) {
                    children.add(b.item(i));
                }
            }
        }
        TreeSet<Integer> roots = new TreeSet<>();
        for (CrushBucket b : crush.bucketSlots()) {
            if (b != null && !children.contains(b.id()) && !crush.itemNames().getOrDefault(b.id(), "").contains("~")) {
                roots.add(b.id());
            }
        }
        for (int root : roots) {
            Deque<Item> queue = new ArrayDeque<>();
            queue.push(new Item(root, 0, crush.bucket(root).weight() / 65536.0f));
            while (!queue.isEmpty()) {
                Item qi = queue.pop();
                touched.add(qi.id());
                rows.add(row(m, crush, qi));
                if (qi.id() < 0) {
                    CrushBucket b = crush.bucket(qi.id());
                    TreeMap<String, Item> sorted = new TreeMap<>();
                    for (int k = b.size() - 1; k >= 0; k--) {
                        int id = b.item(k);
                        String key;
                        if (id >= 0) {
                            key = className(crush, id) + "_" + String.format("osd.%08d", id);
                        } else {
                            key = "_" + crush.itemNames().getOrDefault(id, "");
                        }
                        sorted.put(key, new Item(id, qi.depth() + 1, b.itemWeight(k) / 65536.0f));
                    }
                    for (Item child : sorted.descendingMap().values()) {
                        queue.push(child);
                    }
                }
            }
        }
        for (int i = 0; i < m.maxOsd(); i++) {
            if (m.exists(i) && !touched.contains(i)) {
                rows.add(row(m, crush, new Item(i, 0, 0)));
            }
        }
        out.print(table(rows));
    }

    private static String className(CrushMap crush, int device) {
        Integer c = crush.classMap().get(device);
        return c == null ? "" : crush.classNames().getOrDefault(c, "");
    }

    private static String[] row(OsdMap m, CrushMap crush, Item qi) {
        List<String> cells = new ArrayList<>();
        cells.add(String.valueOf(qi.id()));
        cells.add(qi.id() >= 0 ? className(crush, qi.id()) : "");
        cells.add(weightf(qi.weight()));
        StringBuilder name = new StringBuilder("    ".repeat(qi.depth()));
        if (qi.id() < 0) {
            CrushBucket b = crush.bucket(qi.id());
            name.append(crush.typeNames().getOrDefault(b.type(), "")).append(' ')
                    .append(crush.itemNames().getOrDefault(qi.id(), ""));
        } else {
            name.append("osd.").append(qi.id());
        }
        cells.add(name.toString());
        if (qi.id() >= 0) {
            if (!m.exists(qi.id())) {
                cells.add("DNE");
                cells.add("0");
            } else {
                boolean destroyed = (m.osdState().get(qi.id()) & OsdMap.STATE_DESTROYED) != 0;
                cells.add(m.isUp(qi.id()) ? "up" : destroyed ? "destroyed" : "down");
                cells.add(weightf(m.osdWeight().get(qi.id()) / 65536.0f));
                cells.add(weightf(m.primaryAffinity(qi.id()) / 65536.0f));
            }
        }
        return cells.toArray(new String[0]);
    }

    private static String table(List<String[]> rows) {
        int[] width = new int[HEADERS.length];
        for (int c = 0; c < HEADERS.length; c++) {
            width[c] = HEADERS[c].length();
        }
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < HEADERS.length; c++) {
            if (c > 0) {
                b.append("  ");
            }
            b.append(pad(HEADERS[c], width[c], false));
        }
        b.append('\n');
        for (String[] r : rows) {
            for (int c = 0; c < HEADERS.length; c++) {
                if (c > 0) {
                    b.append("  ");
                }
                b.append(pad(c < r.length ? r[c] : "", width[c], RIGHT[c]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
