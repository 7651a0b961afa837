package org.jceph.cli.osdmaptool;

/**
 * A compact JSON writer that prints as Ceph's JSONFormatter does: no spaces, keys in the order
 * written, names dropped inside arrays, floats with 17 significant digits.
 */
final class JsonOut {
    private final StringBuilder b = new StringBuilder();
    private final boolean[] first = new boolean[64];
    private final boolean[] array = new boolean[64];
    private int depth;

    JsonOut() {
        first[0] = true;
    }

    private void key(String name) {
        if (!first[depth]) {
            b.append(',');
        }
        first[depth] = false;
        if (depth > 0 && !array[depth]) {
            str(name);
            b.append(':');
        }
    }

    private void str(String s) {
        org.jceph.encoding.JsonStrings.appendQuoted(b, s);
    }

    JsonOut openObject(String name) {
        key(name);
        b.append('{');
        depth++;
        first[depth] = true;
        array[depth] = false;
        return this;
    }

    JsonOut openArray(String name) {
        key(name);
        b.append('[');
        depth++;
        first[depth] = true;
        array[depth] = true;
        return this;
    }

    JsonOut close() {
        b.append(array[depth] ? ']' : '}');
        depth--;
        return this;
    }

    JsonOut string(String name, String v) {
        key(name);
        str(v);
        return this;
    }

    JsonOut number(String name, long v) {
        key(name);
        b.append(v);
        return this;
    }

    JsonOut unsigned(String name, long v) {
        key(name);
        b.append(Long.toUnsignedString(v));
        return this;
    }

    JsonOut bool(String name, boolean v) {
        key(name);
        b.append(v);
        return this;
    }

    /** dump_float: setprecision(max_digits10 = 17), i.e. %.17g. */
    JsonOut floating(String name, double v) {
        key(name);
        b.append(CFormat.g(v, 17));
        return this;
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
