package org.jceph.cli.decode;

import java.util.Locale;
import org.jceph.cli.viz.Svg;

/**
 * {@code jceph decode --pcap FILE --format html}: every decoded unit as a coloured byte diagram,
 * 16 bytes a row, one colour per section (banner, preamble, segments, epilogue, message header,
 * front), one shade per field, the field's name, type, offset and value on hover. Fields longer
 * than {@value Lines#KEEP} bytes draw their head and a count. One self-contained file.
 */
final class DecodeHtml {
    /** Units drawn per connection; the rest are counted. */
    static final int MAX_EVENTS = 300;

    private final StringBuilder body = new StringBuilder();
    private int drawnFields;

    static final String STYLE = "body{font-family:DejaVu Sans,Arial,sans-serif;font-size:13px;margin:10px}"
            + "h2{font-size:16px;margin:18px 0 4px}h3{font-size:13px;margin:12px 0 3px;font-weight:normal}"
            + ".ev{margin-left:8px}.c2s h3{color:#1f4e8c}.s2c h3{color:#8c3a1f}"
            + ".bytes{display:grid;grid-template-columns:repeat(16,28px) 1fr;gap:1px;font-family:DejaVu Sans Mono,monospace;font-size:11px}"
            + ".b{text-align:center;padding:2px 0;border-radius:2px;cursor:default}.b:hover{outline:2px solid #000}"
            + ".more{grid-column:span 4;font-size:10px;color:#555;padding:2px}"
            + ".legend span{display:inline-block;padding:1px 6px;margin:2px;border-radius:3px;font-size:11px}"
            + "#tip{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:4px 8px;font-family:monospace;min-height:16px}";

    /** Hue per section kind; shades alternate by field. */
    static int hue(String section) {
        String s = section.toLowerCase(Locale.ROOT);
        if (s.startsWith("banner")) {
            return 280;
        }
        if (s.startsWith("preamble")) {
            return 210;
        }
        if (s.startsWith("segment 0") || s.contains("header")) {
            return 120;
        }
        if (s.startsWith("segment")) {
            return 40;
        }
        if (s.startsWith("front")) {
            return 40;
        }
        if (s.startsWith("crc") || s.startsWith("epilogue")) {
            return 0;
        }
        return 180;
    }

    void connection(String title) {
        body.append("<h2>").append(Svg.esc(title)).append("</h2>\n");
    }

    void note(String text) {
        body.append("<div class=\"ev\">").append(Svg.esc(text)).append("</div>\n");
    }

    void event(Event e, String when) {
        body.append("<div class=\"ev ").append(e.fromClient() ? "c2s" : "s2c").append("\"><h3>").append(Svg.esc(when))
                .append("</h3>\n");
        if (!(e.lines() instanceof Lines l) || l.fields.isEmpty()) {
            body.append("<pre>").append(Svg.esc(String.join("\n", e.lines()))).append("</pre></div>\n");
            return;
        }
        body.append("<div class=\"bytes\">");
        int col = 0;
        int i = 0;
        for (Lines.Field f : l.fields) {
            int h = hue(f.section());
            String bg = "hsl(" + h + "," + (f.type().equals("pad") || f.type().startsWith("pad") ? "5%," : "60%,")
                    + (i % 2 == 0 ? "80%" : "68%") + ")";
            String tip = f.section() + ": " + f.name() + " (" + f.type() + ", " + f.length() + " bytes @" + String.format(
                    "%06x", f.streamOffset()) + ") = " + f.value();
            String attrs = " class=\"b\" style=\"background:" + bg + "\" title=\"" + Svg.esc(tip) + "\" data-field=\""
                    + Svg.esc(f.name()) + "\" data-off=\"" + f.streamOffset() + "\"";
            for (byte x : f.head()) {
                body.append("<span").append(attrs).append('>').append(String.format("%02x", x & 0xff)).append("</span>");
                col++;
                if (col == 16) {
                    body.append("<span></span>");
                    col = 0;
                }
            }
            if (f.length() > f.head().length) {
                body.append("<span class=\"more\" title=\"").append(Svg.esc(tip)).append("\">+")
                        .append(f.length() - f.head().length).append(" bytes</span>");
                col = (col + 4) % 16;
                if (col < 4) {
                    body.append("<span></span>");
                    col = 0;
                }
            }
            drawnFields++;
            i++;
        }
        body.append("</div></div>\n");
    }

    int drawnFields() {
        return drawnFields;
    }

    String page(String title) {
        StringBuilder legend = new StringBuilder("<div class=\"legend\">");
        for (String[] s : new String[][] {{"banner", "banner"}, {"preamble", "frame preamble"},
            {"segment 0 header", "message header / segment 0"}, {"segment 1 front", "front and other segments"},
            {"epilogue", "crc / epilogue"}, {"tag", "msgr1 tags and others"}}) {
            legend.append("<span style=\"background:hsl(").append(hue(s[0])).append(",60%,74%)\">").append(s[1])
                    .append("</span>");
        }
        legend.append(" hover a byte for its field</div>\n");
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Svg.esc(title) + "</title>\n<style>" + STYLE
                + "</style>\n<script>window.onerror=function(m){document.title='JS ERROR: '+m;};</script></head>\n<body>\n"
                + "<h2>" + Svg.esc(title) + "</h2>\n" + legend + body + "<div id=\"tip\"></div>\n<script>\n"
                + "document.addEventListener('mouseover',function(e){var t=e.target.getAttribute&&e.target.getAttribute('title');"
                + "if(t){document.getElementById('tip').textContent=t;}});\n"
                + "document.body.setAttribute('data-ready',String(document.querySelectorAll('.b').length));\n"
                + "</script>\n</body></html>\n";
    }

    static String when(Event e, long t0) {
        return String.format(Locale.ROOT, "+%.6f %s @%06x %s", (e.timestampMicros() - t0) / 1e6,
                e.fromClient() ? "C>S" : "S>C", e.streamOffset(), e.title());
    }
}
