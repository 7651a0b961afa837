package org.jceph.rbd.mirror;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jceph.encoding.JsonStrings;
import org.jceph.rados.Errno;
import org.jceph.rbd.RbdException;

/**
 * The flat JSON objects of string values librbd keeps peer attributes in
 * ({@code {"key": "...", "mon_host": "..."}}, keys sorted, json_spirit's separators).
 */
final class FlatJson {
    private FlatJson() {
    }

    static String write(SortedMap<String, String> m) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            JsonStrings.appendQuoted(b, e.getKey());
            b.append(": ");
            JsonStrings.appendQuoted(b, e.getValue());
        }
        return b.append('}').toString();
    }

    /** Parses an object of string values; anything else is a typed EINVAL (librbd: corrupt peer config). */
    static SortedMap<String, String> parse(String text) {
        SortedMap<String, String> out = new TreeMap<>();
        int[] pos = {0};
        skipWs(text, pos);
        expect(text, pos, '{');
        skipWs(text, pos);
        if (peek(text, pos) == '}') {
            pos[0]++;
            return out;
        }
        while (true) {
            skipWs(text, pos);
            String k = string(text, pos);
            skipWs(text, pos);
            expect(text, pos, ':');
            skipWs(text, pos);
            out.put(k, string(text, pos));
            skipWs(text, pos);
            char c = peek(text, pos);
            pos[0]++;
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw corrupt();
            }
        }
    }

    private static RbdException corrupt() {
        return new RbdException(Errno.EINVAL.negative(), "corrupt mirroring peer config");
    }

    private static char peek(String t, int[] pos) {
        if (pos[0] >= t.length()) {
            throw corrupt();
        }
        return t.charAt(pos[0]);
    }

    private static void expect(String t, int[] pos, char c) {
        if (peek(t, pos) != c) {
            throw corrupt();
        }
        pos[0]++;
    }

    private static void skipWs(String t, int[] pos) {
        while (pos[0] < t.length() && Character.isWhitespace(t.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String string(String t, int[] pos) {
        expect(t, pos, '"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = peek(t, pos);
            pos[0]++;
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                char e = peek(t, pos);
                pos[0]++;
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos[0] + 4 > t.length()) {
                            throw corrupt();
                        }
                        try {
                            b.append((char) Integer.parseInt(t.substring(pos[0], pos[0] + 4), 16));
                        } catch (NumberFormatException x) {
                            throw corrupt();
                        }
                        pos[0] += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
    }
}
