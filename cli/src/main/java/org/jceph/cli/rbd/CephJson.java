package org.jceph.cli.rbd;

import java.util.List;
import java.util.Map;

/**
 * Ceph's JSONFormatter output for maps, lists, strings, numbers and booleans as the rbd tool
 * prints it: compact ("json": no spaces) or pretty (--pretty-format: four-space indents,
 * {@code "key": value}, empty sections as {@code []} or {@code {}}), each ending in a newline.
 */
final class CephJson {
    private CephJson() {
    }

    static String render(Object value, boolean pretty) {
        StringBuilder b = new StringBuilder();
        write(b, value, pretty, 0);
        return b.append('\n').toString(); // the rbd tool ends both forms with a newline
    }

    private static void write(StringBuilder b, Object v, boolean pretty, int depth) {
        if (v instanceof Map<?, ?> m) {
            section(b, m.entrySet().stream().map(e -> new Object[] {e.getKey(), e.getValue()}).toList(), '{', '}',
                    pretty, depth);
        } else if (v instanceof List<?> l) {
            section(b, l.stream().map(x -> new Object[] {null, x}).toList(), '[', ']', pretty, depth);
        } else if (v instanceof String s) {
            quote(b, s);
        } else {
            b.append(v);
        }
    }

    private static void section(StringBuilder b, List<Object[]> items, char open, char close, boolean pretty, int depth) {
        b.append(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            if (pretty) {
                b.append('\n').append("    ".repeat(depth + 1));
            }
            Object[] kv = items.get(i);
            if (kv[0] != null) {
                quote(b, kv[0].toString());
                b.append(pretty ? ": " : ":");
            }
            write(b, kv[1], pretty, depth + 1);
        }
        if (pretty && !items.isEmpty()) {
            b.append('\n').append("    ".repeat(depth));
        }
        b.append(close);
    }

    private static void quote(StringBuilder b, String s) {
        org.jceph.cli.CephJsonText.appendQuoted(b, s);
    }
}
