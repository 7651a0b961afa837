package org.jceph.cli.rados;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The stock rados tool's output conventions, so that scripts can read ours the same way. */
final class RadosFormat {
    private RadosFormat() {
    }

    /** A byte count as Ceph's byte_u_t prints it ({@link org.jceph.cli.CStdio#bytes}). */
    static String bytes(long v) {
        return org.jceph.cli.CStdio.bytes(v);
    }

    /**
     * A buffer as Ceph's bufferlist::hexdump prints it: 16 bytes a line (offset, two groups of 8,
     * printable characters), a line equal to the one before collapsed into "*", then the length.
     * An empty buffer prints nothing.
     */
    static String hexdump(byte[] b) {
        StringBuilder out = new StringBuilder();
        if (b.length == 0) {
            return "";
        }
        boolean collapsed = false;
        for (int o = 0; o < b.length; o += 16) {
            if (o > 0 && o + 16 < b.length
                    && Arrays.equals(b, o, o + 16, b, o - 16, o)) {
                if (!collapsed) {
                    out.append("*\n");
                    collapsed = true;
                }
                continue;
            }
            collapsed = false;
            out.append(String.format(Locale.ROOT, "%08x  ", o));
            for (int i = 0; i < 16; i++) {
                if (i == 8) {
                    out.append(' ');
                }
                out.append(o + i < b.length ? String.format(Locale.ROOT, "%02x ", b[o + i] & 0xff) : "   ");
            }
            out.append(" |");
            for (int i = o; i < Math.min(o + 16, b.length); i++) {
                int c = b[i] & 0xff;
                out.append(c >= 32 && c < 127 ? (char) c : '.');
            }
            out.append("|\n");
        }
        out.append(String.format(Locale.ROOT, "%08x\n", b.length));
        return out.toString();
    }

    /** A time as rados stat prints it: 2026-11-25T15:47:20.000000+0000, in local time. */
    static String isoTime(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx", Locale.ROOT)
                .format(t.atZone(ZoneId.systemDefault()));
    }

    /** A time as rados lssnap prints it: 2026.11.25 15:47:05, in local time. */
    static String snapTime(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss", Locale.ROOT).format(t.atZone(ZoneId.systemDefault()));
    }

    /** strerror() of an errno, from the one errno table ({@link org.jceph.rados.Errno}). */
    static String strerror(int errno) {
        return org.jceph.rados.Errno.strerror(errno);
    }

    /** A table as Ceph's TextTable prints it: columns two spaces apart, the first left-aligned. */
    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < cols; i++) {
                cells.add(i == 0 ? String.format("%-" + w[i] + "s", r[i]) : String.format("%" + w[i] + "s", r[i]));
            }
            out.append(String.join("  ", cells)).append('\n');
        }
        return out.toString();
    }

    /** A JSON string literal as Ceph's JSON formatter writes it. */
    static String json(String s) {
        return org.jceph.encoding.JsonStrings.quoted(s);
    }
}
