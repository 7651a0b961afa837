package org.jceph.rbd.crypto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.encoding.JsonStrings;

/**
 * Just enough JSON for the LUKS2 metadata area: parses objects (insertion-ordered maps), arrays
 * (lists), strings, integers (longs), booleans and null; writes the same shapes compactly, as
 * libcryptsetup does. Malformed input is a {@link LuksException} (EINVAL).
 */
public final class Json {
    private final String s;
    private int p;

    private Json(String s) {
        this.s = s;
    }

    /**
     * Parses one JSON value.
     *
     * @param text the JSON text
     * @return a Map, List, String, Long, Boolean or null
     * @throws LuksException (EINVAL) when malformed
     */
    public static Object parse(String text) {
        Json j = new Json(text);
        j.ws();
        Object v = j.value(0);
        j.ws();
        if (j.p != j.s.length()) {
            throw j.bad("trailing characters");
        }
        return v;
    }

    private LuksException bad(String what) {
        return new LuksException(-22, "LUKS2 JSON metadata: " + what + " at character " + p);
    }

    private void ws() {
        while (p < s.length() && " \t\r\n".indexOf(s.charAt(p)) >= 0) {
            p++;
        }
    }

    private char peek() {
        if (p >= s.length()) {
            throw bad("unexpected end");
        }
        return s.charAt(p);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw bad("expected '" + c + "'");
        }
        p++;
    }

    private Object value(int depth) {
        if (depth > 32) {
            throw bad("nesting too deep");
        }
        char c = peek();
        switch (c) {
            case '{': {
                p++;
                Map<String, Object> m = new LinkedHashMap<>();
                items('}', () -> {
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value(depth + 1));
                });
                return m;
            }
            case '[': {
                p++;
                List<Object> l = new ArrayList<>();
                items(']', () -> l.add(value(depth + 1)));
                return l;
            }
            case '"':
                return string();
            case 't':
                word("true");
                return Boolean.TRUE;
            case 'f':
                word("false");
                return Boolean.FALSE;
            case 'n':
                word("null");
                return null;
            default:
                return number();
        }
    }

    /**
     * The comma-separated items of an object or array whose opening bracket is read, up to and
     * including {@code close}; {@code item} reads one (white space around it is skipped here).
     */
    private void items(char close, Runnable item) {
        ws();
        if (peek() == close) {
            p++;
            return;
        }
        while (true) {
            ws();
            item.run();
            ws();
            if (peek() == ',') {
                p++;
                continue;
            }
            expect(close);
            return;
        }
    }

    private void word(String w) {
        if (!s.startsWith(w, p)) {
            throw bad("unexpected token");
        }
        p += w.length();
    }

    private Long number() {
        int start = p;
        if (peek() == '-') {
            p++;
        }
        while (p < s.length() && Character.isDigit(s.charAt(p))) {
            p++;
        }
        if (p == start || (p < s.length() && ".eE".indexOf(s.charAt(p)) >= 0)) {
            throw bad("not an integer");
        }
        try {
            return Long.parseLong(s.substring(start, p));
        } catch (NumberFormatException e) {
            throw bad("integer out of range");
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = peek();
            p++;
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                char e = peek();
                p++;
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (p + 4 > s.length()) {
                            throw bad("short \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                        } catch (NumberFormatException x) {
                            throw bad("bad \\u escape");
                        }
                        p += 4;
                        break;
                    default:
                        throw bad("bad escape");
                }
            } else {
                b.append(c);
            }
        }
    }

    /**
     * Writes a value of the shapes {@link #parse} returns, compactly.
     *
     * @param v the value
     * @return its JSON text
     */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder b, Object v) {
        if (v instanceof Map) {
            writeItems(b, '{', '}', ((Map<String, Object>) v).entrySet(), e -> {
                JsonStrings.appendQuoted(b, e.getKey());
                b.append(':');
                write(b, e.getValue());
            });
        } else if (v instanceof List) {
            writeItems(b, '[', ']', (List<Object>) v, o -> write(b, o));
        } else if (v instanceof String) {
            JsonStrings.appendQuoted(b, (String) v);
        } else if (v == null) {
            b.append("null");
        } else {
            b.append(v);
        }
    }

    /** {@code open}, each of {@code items} written by {@code item} with commas between, {@code close}. */
    private static <T> void writeItems(StringBuilder b, char open, char close, Iterable<T> items,
            java.util.function.Consumer<T> item) {
        b.append(open);
        boolean first = true;
        for (T t : items) {
            if (!first) {
                b.append(',');
            }
            first = false;
            item.accept(t);
        }
        b.append(close);
    }

    // typed accessors for the metadata, each a LuksException when the shape is wrong

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object parent, String key) {
        Object v = parent instanceof Map ? ((Map<String, Object>) parent).get(key) : null;
        if (!(v instanceof Map)) {
            throw new LuksException(-22, "LUKS2 JSON metadata: '" + key + "' is not an object");
        }
        return (Map<String, Object>) v;
    }

    static String str(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (!(v instanceof String)) {
            throw new LuksException(-22, "LUKS2 JSON metadata: '" + key + "' is not a string");
        }
        return (String) v;
    }

    /** A number, given as a JSON integer or (for 64-bit values) a decimal string. */
    static long num(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new LuksException(-22, "LUKS2 JSON metadata: '" + key + "' is not a number");
    }
}
