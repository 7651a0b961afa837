package org.jceph.rados;

import java.util.Map;
import org.jceph.encoding.JsonStrings;

/**
 * Monitor commands as JSON. Encoding needs no library; parsing the output uses Jackson, which
 * is optional: only {@link RadosClient#monCommandJson} reaches {@link #parse}, so a client
 * without jackson-databind on its path works until that method is called.
 */
final class MonCommandJson {
    private MonCommandJson() {
    }

    /** A JSON object of strings, numbers, booleans, nulls and collections of them. */
    static String encode(Map<String, ?> args) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : args.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            JsonStrings.appendQuoted(b, Args.notNull(e.getKey(), "argument name"));
            b.append(':');
            value(b, e.getKey(), e.getValue());
        }
        return b.append('}').toString();
    }

    private static void value(StringBuilder b, String key, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof CharSequence s) {
            JsonStrings.appendQuoted(b, s.toString());
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            b.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("argument " + key + " is not a finite number: " + v);
            }
            b.append(v);
        } else if (v instanceof Iterable<?> items) {
            b.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                value(b, key, item);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("argument " + key + " must be a string, number, boolean or list, not "
                    + v.getClass().getName());
        }
    }

    /** Jackson's tree of a command's output. */
    static com.fasterxml.jackson.databind.JsonNode parse(String out) {
        return JacksonHolder.parse(out);
    }

    /** Loaded only when output is parsed: the one place that touches Jackson's classes. */
    private static final class JacksonHolder {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        static com.fasterxml.jackson.databind.JsonNode parse(String out) {
            try {
                return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw RadosException.of(Errno.EIO.negative(), "unreadable monitor output: " + e.getOriginalMessage());
            }
        }
    }
}
