package org.jceph.cli.crushtool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jceph.crush.ChooseArg;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;

/**
 * {@code crushtool --tree}: CrushWrapper::dump_tree with shadow trees shown, i.e. Ceph's
 * CrushTreeDumper walk (roots ascending by id, children sorted by class then name) rendered through
 * a TextTable (cells padded to the column width, two spaces between columns).
 */
final class TreeDumper {
    private final CrushMap map;

    TreeDumper(CrushMap map) {
        this.map = map;
    }

    /** One visited node: id, parent bucket (0 for a root), depth and the weight shown. */
    record Item(int id, int parent, int depth, float weight) {
    }

    /** weightf_t on a stream ({@link org.jceph.cli.CStdio#weightf}). */
    static String weightf(float w) {
        return org.jceph.cli.CStdio.weightf(w);
    }

    /** Buckets that no bucket lists as an item (CrushWrapper::find_roots), ascending. */
    TreeSet<Integer> roots() {
        TreeSet<Integer> referenced = new TreeSet<>();
        for (CrushBucket b : map.bucketSlots()) {
            if (b != null) {
                for (int item : b.items()) {
                    referenced.add(item);
                }
            }
        }
        TreeSet<Integer> roots = new TreeSet<>();
        for (CrushBucket b : map.bucketSlots()) {
            if (b != null && !referenced.contains(b.id())) {
                roots.add(b.id());
            }
        }
        return roots;
    }

    String itemClass(int id) {
        Integer c = map.classMap().get(id);
        return c == null ? null : map.classNames().get(c);
    }

    /** The walk order of CrushTreeDumper::Dumper::next. */
    List<Item> walk() {
        List<Item> out = new ArrayList<>();
        Deque<Item> queue = new ArrayDeque<>();
        for (int root : roots()) {
            // get_bucket_weightf: the bucket's __u32 weight, unsigned (an item's weight below is the
            // int crush_get_bucket_item_weight returns, so 2^31 and more prints as "-")
            queue.push(new Item(root, 0, 0, (float) Integer.toUnsignedLong(map.bucket(root).weight()) / (float) 0x10000));
            while (!queue.isEmpty()) {
                Item qi = queue.pop();
                out.add(qi);
                if (qi.id() < 0) {
                    CrushBucket b = map.bucket(qi.id());
                    TreeMap<String, Item> sorted = new TreeMap<>();
                    for (int k = b.size() - 1; k >= 0; k--) {
                        int id = b.item(k);
                        String key;
                        if (id >= 0) {
                            String c = itemClass(id);
                            key = (c == null ? "" : c) + "_" + String.format("osd.%08d", id);
                        } else {
                            key = "_" + map.itemNames().getOrDefault(id, "");
                        }
                        sorted.put(key, new Item(id, qi.id(), qi.depth() + 1, (float) b.itemWeight(k) / (float) 0x10000));
                    }
                    for (Item child : sorted.descendingMap().values()) {
                        queue.push(child);
                    }
                }
            }
        }
        return out;
    }

    String plainText() {
        SortedMap<Long, SortedMap<Integer, ChooseArg>> args = map.chooseArgs();
        List<String> headers = new ArrayList<>(List.of("ID", "CLASS", "WEIGHT"));
        for (long key : args.keySet()) {
            headers.add(key == CrushMap.DEFAULT_CHOOSE_ARGS ? "(compat)" : Long.toString(key));
        }
        headers.add("TYPE NAME");
        List<String[]> rows = new ArrayList<>();
        for (Item qi : walk()) {
            String[] row = new String[headers.size()];
            int col = 0;
            row[col++] = Integer.toString(qi.id());
            String c = itemClass(qi.id());
            row[col++] = c == null ? "" : c;
            row[col++] = weightf(qi.weight());
            for (Map.Entry<Long, SortedMap<Integer, ChooseArg>> e : args.entrySet()) {
                String cell = "";
                if (qi.parent() < 0) {
                    int bidx = -1 - qi.parent();
                    CrushBucket b = map.bucket(qi.parent());
                    ChooseArg arg = e.getValue().get(bidx);
                    if (b != null && arg != null && arg.positions() >= 1) {
                        int[] ws = arg.weightSet(0);
                        int pos = 0;
                        while (pos < ws.length && b.item(pos) != qi.id()) {
                            pos++;
                        }
                        if (pos < ws.length) {
                            cell = weightf((float) Integer.toUnsignedLong(ws[pos]) / (float) 0x10000); // __u32 weights
                        }
                    }
                }
                row[col++] = cell;
            }
            StringBuilder name = new StringBuilder();
            name.append("    ".repeat(qi.depth()));
            if (qi.id() < 0) {
                name.append(map.typeNames().getOrDefault(map.bucket(qi.id()).type(), "")).append(' ')
                        .append(map.itemNames().getOrDefault(qi.id(), ""));
            } else {
                name.append("osd.").append(qi.id());
            }
            row[col] = name.toString();
            rows.add(row);
        }
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            out.append(i > 0 ? "  " : "").append(pad(headers.get(i), width[i], false));
        }
        out.append('\n');
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                out.append(i > 0 ? "  " : "").append(pad(r[i], width[i], i < width.length - 1));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
