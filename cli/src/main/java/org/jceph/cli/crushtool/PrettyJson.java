package org.jceph.cli.crushtool;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A streaming writer with the layout of Ceph's JSONFormatter in "json-pretty" mode: four-space
 * indentation, {@code "key": value}, empty sections as {@code []} / {@code {}}, floats as %.17g.
 */
final class PrettyJson {
    private final StringBuilder out = new StringBuilder(8192);
    /** Per open section: whether it is an array, and how many entries it has so far. */
    private final Deque<int[]> stack = new ArrayDeque<>();

    private void name(String key) {
        int[] top = stack.peek();
        if (top != null) {
            out.append(top[1] == 0 ? "\n" : ",\n");
            top[1]++;
            out.append("    ".repeat(stack.size()));
            if (top[0] == 0) {
                out.append('"').append(escape(key)).append("\": ");
            }
        }
    }

    PrettyJson openObject(String key) {
        name(key);
        out.append('{');
        stack.push(new int[] {0, 0});
        return this;
    }

    PrettyJson openArray(String key) {
        name(key);
        out.append('[');
        stack.push(new int[] {1, 0});
        return this;
    }

    PrettyJson close() {
        int[] top = stack.pop();
        if (top[1] > 0) {
            out.append('\n').append("    ".repeat(stack.size()));
        }
        out.append(top[0] == 1 ? ']' : '}');
        return this;
    }

    PrettyJson num(String key, long v) {
        name(key);
        out.append(v);
        return this;
    }

    PrettyJson dbl(String key, double v) {
        name(key);
        out.append(org.jceph.cli.CStdio.g(v, 17));
        return this;
    }

    PrettyJson str(String key, String v) {
        name(key);
        out.append('"').append(escape(v)).append('"');
        return this;
    }

    static String escape(String s) {
        String q = org.jceph.encoding.JsonStrings.quoted(s);
        return q.substring(1, q.length() - 1);
    }

    String text() {
        return out.toString();
    }
}
