package org.jceph.encoding;

/**
 * JSON string literals, written once for every module that writes JSON: monitor commands,
 * librbd's mirroring peer attributes, LUKS2 metadata and the CLI's output. The rules are Ceph's
 * own formatters' (escape_json_attr in src/common/escape.cc), so output meant to match a stock
 * tool byte for byte can use them too: {@code "} and {@code \} escaped with a backslash, tab and
 * newline as {@code \t} and {@code \n}, every other control character (carriage return
 * included) and DEL as {@code \}{@code u00XX}, everything else (the slash, and every character
 * above DEL) as is. Any JSON reader reads them back to the same string.
 */
public final class JsonStrings {
    private JsonStrings() {
    }

    /**
     * Appends {@code s} as a quoted JSON string.
     *
     * @param out where to append
     * @param s the string
     * @return {@code out}
     */
    public static StringBuilder appendQuoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * {@code s} as a quoted JSON string.
     *
     * @param s the string
     * @return the literal, quotes included
     */
    public static String quoted(String s) {
        return appendQuoted(new StringBuilder(s.length() + 2), s).toString();
    }
}
