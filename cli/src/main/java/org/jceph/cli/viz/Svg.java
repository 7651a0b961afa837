package org.jceph.cli.viz;

import java.util.Locale;

/**
 * A small SVG writer: absolute-positioned shapes and text, every attribute and text escaped,
 * numbers written with at most two decimals so files stay small. {@link #toString()} gives a
 * standalone document (with the XML namespace), {@link #inline()} the same element for HTML.
 */
public final class Svg {
    private final StringBuilder body = new StringBuilder();
    private double width;
    private double height;
    private final String style;

    public Svg(double width, double height, String style) {
        this.width = width;
        this.height = height;
        this.style = style == null ? "" : style;
    }

    /** XML escape for text and attribute values. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append('?'); // not allowed in XML 1.0
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        while (s.endsWith("0")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Extra attributes as name/value pairs; null values are left out. */
    private static String attrs(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                b.append(' ').append(kv[i]).append("=\"").append(esc(kv[i + 1])).append('"');
            }
        }
        return b.toString();
    }

    public Svg rect(double x, double y, double w, double h, String cls, String... kv) {
        body.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(h)).append('"').append(attrs("class", cls)).append(attrs(kv)).append("/>\n");
        return this;
    }

    /** A rectangle with a hover tooltip. */
    public Svg rectTitled(double x, double y, double w, double h, String cls, String title, String... kv) {
        body.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(h)).append('"').append(attrs("class", cls)).append(attrs(kv))
                .append("><title>").append(esc(title)).append("</title></rect>\n");
        return this;
    }

    public Svg line(double x1, double y1, double x2, double y2, String cls, String... kv) {
        body.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
                .append("\" y2=\"").append(num(y2)).append('"').append(attrs("class", cls)).append(attrs(kv)).append("/>\n");
        return this;
    }

    public Svg text(double x, double y, String text, String cls, String... kv) {
        body.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"').append(attrs("class", cls))
                .append(attrs(kv)).append('>').append(esc(text)).append("</text>\n");
        return this;
    }

    /** Opens a group; close it with {@link #end()}. */
    public Svg group(String cls, String... kv) {
        body.append("<g").append(attrs("class", cls)).append(attrs(kv)).append(">\n");
        return this;
    }

    public Svg title(String text) {
        body.append("<title>").append(esc(text)).append("</title>\n");
        return this;
    }

    public Svg end() {
        body.append("</g>\n");
        return this;
    }

    /** Sets the canvas size once the layout is known. */
    public Svg size(double w, double h) {
        this.width = w;
        this.height = h;
        return this;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    private String open(boolean ns) {
        return "<svg" + (ns ? " xmlns=\"http://www.w3.org/2000/svg\"" : "") + " width=\"" + num(width) + "\" height=\""
                + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\">\n"
                + (style.isEmpty() ? "" : "<style>" + style + "</style>\n")
                + "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" fill=\"#fff\"/>\n";
    }

    /** The element for embedding in HTML. */
    public String inline() {
        return open(false) + body + "</svg>\n";
    }

    @Override
    public String toString() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + open(true) + body + "</svg>\n";
    }
}
