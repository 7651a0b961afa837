package org.jceph.messenger.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The INI dialect of ceph.conf and keyrings (src/common/ConfUtils.cc): {@code [section]} headers,
 * {@code name = value} lines, {@code #} and {@code ;} comments (also after a value), double-quoted
 * values, a trailing backslash continuing the line. Key names are normalised as Ceph does: spaces
 * and dashes become underscores, so {@code mon host}, {@code mon-host} and {@code mon_host} are one
 * key. A later line for the same key in the same section wins.
 */
public final class IniParser {
    private IniParser() {
    }

    /** Section name → (normalised key → value), in file order. Lines before any section go to "global". */
    public static Map<String, Map<String, String>> parse(String text, String source) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        String section = "global";
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (endsWithContinuation(logical) && i + 1 < lines.length) {
                logical.setLength(logical.length() - 1);
                logical.append(lines[++i]);
            }
            String line = logical.toString().strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": unterminated section header");
                }
                section = line.substring(1, close).strip();
                out.computeIfAbsent(section, k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // Not quoted: the line may hold a secret.
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 'name = value'");
            }
            String key = normalizeKey(line.substring(0, eq));
            String value = parseValue(line.substring(eq + 1), source, lineNo);
            out.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(key, value);
        }
        return out;
    }

    private static boolean endsWithContinuation(StringBuilder sb) {
        return sb.length() > 0 && sb.charAt(sb.length() - 1) == '\\';
    }

    /** {@code "mon host"} and {@code "mon-host"} → {@code "mon_host"}; runs of separators collapse. */
    public static String normalizeKey(String raw) {
        return raw.strip().replaceAll("[ \\t_-]+", "_");
    }

    private static String parseValue(String raw, String source, int lineNo) {
        String v = raw.strip();
        if (v.startsWith("\"")) {
            int close = v.indexOf('"', 1);
            if (close < 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": unterminated quoted value");
            }
            return v.substring(1, close);
        }
        int comment = indexOfComment(v);
        if (comment >= 0) {
            v = v.substring(0, comment);
        }
        return v.strip();
    }

    private static int indexOfComment(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c == '#' || c == ';') && (i == 0 || Character.isWhitespace(v.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }
}
