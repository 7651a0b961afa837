package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;

/**
 * Ceph's formatters (src/common/Formatter.cc) as the rbd tool prints with them, from one document
 * of maps, lists, strings, numbers and booleans:
 * <ul>
 *   <li>{@code --format json}: compact JSON, no spaces; with {@code --pretty-format} four-space
 *       indents, {@code "key": value}, empty sections as {@code []} or {@code {}};</li>
 *   <li>{@code --format xml}: elements named after the keys, spaces in names as underscores, text
 *       escaped as escape_xml_attr does (the five entities, control characters but tab and newline
 *       as {@code &#xNN;}); with {@code --pretty-format} one space of indent per level and a line
 *       per element.</li>
 * </ul>
 * Each output ends with a newline as the tool prints it (the tool turns on the formatter's line
 * break; a pretty XML document, whose last element already ends its line, gets one more).
 *
 * <p>XML needs a name for every element, JSON only for object members: a list's items are named
 * by {@link Items} (one name for all) or {@link Named} (a name per item), as the tool's
 * {@code open_array_section}/{@code dump_string} calls name them.
 */
final class CephJson {
    private CephJson() {
    }

    /** A list item with its element name (XML); JSON prints the value alone. */
    record Named(String name, Object value) {
    }

    /** A list whose items are all elements named {@code itemName} (XML). */
    record Items(String itemName, List<?> items) {
    }

    /** JSON, compact or pretty. */
    static String render(Object value, boolean pretty) {
        StringBuilder b = new StringBuilder();
        json(b, value, pretty, 0);
        return b.append('\n').toString(); // the rbd tool ends both forms with a newline
    }

    /** XML whose root element is {@code root}, compact or pretty. */
    static String xml(String root, Object value, boolean pretty) {
        StringBuilder b = new StringBuilder();
        xmlElement(b, root, value, pretty, 0);
        return b.append('\n').toString();
    }

    /**
     * True when the command is to print a document ({@code --format json|xml}), false for the
     * plain text form.
     *
     * @throws UsageException for another format, as the tool refuses it
     */
    static boolean formatted(RbdCommand.Args a) {
        String f = a.opt("format", "plain");
        return switch (f) {
            case "plain" -> false;
            case "json", "xml" -> true;
            default -> throw new UsageException("the argument for option '--format' is invalid");
        };
    }

    /** Prints {@code value} as {@code --format} and {@code --pretty-format} ask; {@code root} names it in XML. */
    static void print(PrintStream out, RbdCommand.Args a, String root, Object value) {
        boolean pretty = a.flags().contains("pretty-format");
        out.print(a.opt("format", "plain").equals("xml") ? xml(root, value, pretty) : render(value, pretty));
    }

    // ---- JSON ----------------------------------------------------------------------------

    private static void json(StringBuilder b, Object v, boolean pretty, int depth) {
        if (v instanceof Named n) {
            json(b, n.value(), pretty, depth);
        } else if (v instanceof Items i) {
            json(b, i.items(), pretty, depth);
        } else if (v instanceof Map<?, ?> m) {
            section(b, m.entrySet().stream().map(e -> new Object[] {e.getKey(), e.getValue()}).toList(), '{', '}',
                    pretty, depth);
        } else if (v instanceof List<?> l) {
            section(b, l.stream().map(x -> new Object[] {null, x}).toList(), '[', ']', pretty, depth);
        } else if (v instanceof String s) {
            org.jceph.encoding.JsonStrings.appendQuoted(b, s);
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
                org.jceph.encoding.JsonStrings.appendQuoted(b, kv[0].toString());
                b.append(pretty ? ": " : ":");
            }
            json(b, kv[1], pretty, depth + 1);
        }
        if (pretty && !items.isEmpty()) {
            b.append('\n').append("    ".repeat(depth));
        }
        b.append(close);
    }

    // ---- XML -----------------------------------------------------------------------------

    private static void xmlElement(StringBuilder b, String name, Object v, boolean pretty, int depth) {
        String tag = name.replace(' ', '_');
        if (pretty) {
            b.append(" ".repeat(depth));
        }
        if (v instanceof Map<?, ?> m) {
            b.append('<').append(tag).append('>');
            newline(b, pretty);
            m.forEach((k, x) -> xmlElement(b, k.toString(), x, pretty, depth + 1));
            closeTag(b, tag, pretty, depth);
        } else if (v instanceof Items i) {
            b.append('<').append(tag).append('>');
            newline(b, pretty);
            for (Object x : i.items()) {
                if (x instanceof Named n) {
                    xmlElement(b, n.name(), n.value(), pretty, depth + 1);
                } else {
                    xmlElement(b, i.itemName(), x, pretty, depth + 1);
                }
            }
            closeTag(b, tag, pretty, depth);
        } else if (v instanceof List<?> l) {
            b.append('<').append(tag).append('>');
            newline(b, pretty);
            for (Object x : l) {
                if (!(x instanceof Named n)) {
                    throw new IllegalStateException("list item without an XML name in <" + tag + ">");
                }
                xmlElement(b, n.name(), n.value(), pretty, depth + 1);
            }
            closeTag(b, tag, pretty, depth);
        } else if (v instanceof Named n) {
            throw new IllegalStateException("a named item outside a list: " + n.name());
        } else {
            b.append('<').append(tag).append('>');
            escape(b, String.valueOf(v));
            b.append("</").append(tag).append('>');
            newline(b, pretty);
        }
    }

    private static void closeTag(StringBuilder b, String tag, boolean pretty, int depth) {
        if (pretty) {
            b.append(" ".repeat(depth));
        }
        b.append("</").append(tag).append('>');
        newline(b, pretty);
    }

    private static void newline(StringBuilder b, boolean pretty) {
        if (pretty) {
            b.append('\n');
        }
    }

    /** Ceph's escape_xml_attr: the five entities, and control characters but tab and newline as {@code &#xNN;}. */
    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '&' -> b.append("&amp;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> {
                    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                        b.append("&#x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16))
                                .append(';');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
