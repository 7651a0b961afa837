package org.jceph.cli.viz;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;

/**
 * The protocol reference under docs/protocol: every packed struct declared in {@link CephStructs}
 * (found by reflection, so a new declaration appears without touching this class) as a table of
 * its fields and an SVG byte diagram, 16 bytes a row. {@code ProtocolReferenceTest} fails when the
 * committed files differ from what the code declares; {@link #main} rewrites them.
 */
public final class ProtocolReference {
    static final int PER_ROW = 16;
    static final double CELL = 46;
    static final double ROW = 44;

    private ProtocolReference() {
    }

    /** The declared layouts, in declaration order; union cases listed under their own names. */
    static Map<String, PackedLayout> layouts() {
        Map<String, PackedLayout> out = new LinkedHashMap<>();
        for (Field f : CephStructs.class.getDeclaredFields()) {
            if (!Modifier.isPublic(f.getModifiers()) || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Object v = f.get(null);
                if (v instanceof PackedLayout l) {
                    out.put(f.getName(), l);
                } else if (v instanceof List<?> list) {
                    for (Object o : list) {
                        // lists of union cases are drawn; a list repeating declared structs (ALL) is not
                        if (o instanceof PackedLayout l && out.values().stream().noneMatch(x -> x == l)) {
                            out.put(f.getName() + "." + l.name(), l);
                        }
                    }
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("CephStructs." + f.getName() + " is not readable", e);
            }
        }
        return out;
    }

    static String kind(PackedField f) {
        return switch (f.kind()) {
            case U8 -> "u8";
            case U16LE -> "le16";
            case U16BE -> "be16";
            case U32LE -> "le32";
            case U64LE -> "le64";
            case CHARS -> "char[" + f.width() + "]";
            case BYTES -> "u8[" + f.width() + "]";
            case PAD -> "pad[" + f.width() + "]";
            default -> f.kind().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String fill(PackedField f, int i) {
        String[] ints = {"#cfe2ff", "#b6d4fe"};
        return switch (f.kind()) {
            case PAD -> "#e5e5e5";
            case CHARS, BYTES -> i % 2 == 0 ? "#d1f0d1" : "#bfe6bf";
            case U64LE -> i % 2 == 0 ? "#ffe1b3" : "#ffd08a";
            default -> ints[i % 2];
        };
    }

    /** The byte diagram of one layout. */
    static Svg diagram(String constant, PackedLayout layout) {
        int rows = Math.max(1, (layout.size() + PER_ROW - 1) / PER_ROW);
        double x0 = 44;
        double y0 = 40;
        Svg svg = new Svg(x0 + PER_ROW * CELL + 10, y0 + rows * ROW + 16,
                "text{font-family:DejaVu Sans,Arial,sans-serif;font-size:10px;fill:#222}text.h{font-size:13px;"
                        + "font-weight:bold}text.o{fill:#777}rect{stroke:#555;stroke-width:1}");
        svg.text(4, 16, layout.cName() + " (" + constant + "): " + layout.size() + " bytes", "h");
        for (int c = 0; c < PER_ROW; c++) {
            svg.text(x0 + c * CELL + CELL / 2 - 4, y0 - 6, Integer.toString(c), "o");
        }
        for (int r = 0; r < rows; r++) {
            svg.text(4, y0 + r * ROW + ROW / 2 + 3, String.format("+%d", r * PER_ROW), "o");
        }
        int i = 0;
        for (PackedField f : layout.leaves(Map.of())) {
            int start = f.offset();
            int end = f.offset() + f.width();
            String tip = f.name() + ": " + kind(f) + " at offset " + f.offset() + ", " + f.width() + " bytes";
            boolean first = true;
            for (int p = start; p < end; ) {
                int row = p / PER_ROW;
                int stop = Math.min(end, (row + 1) * PER_ROW);
                double x = x0 + (p % PER_ROW) * CELL;
                double w = (stop - p) * CELL;
                double y = y0 + row * ROW;
                svg.group("field", "data-name", f.name(), "data-offset", Integer.toString(p), "data-width",
                        Integer.toString(stop - p));
                svg.rectTitled(x, y, w, ROW - 4, null, tip, "fill", fill(f, i));
                int chars = (int) (w / 6.2);
                String label = first ? f.name() : "\u2026" + f.name();
                if (chars >= 3) {
                    svg.text(x + 3, y + 15, label.length() > chars ? label.substring(0, chars - 1) + "\u2026" : label, null);
                    svg.text(x + 3, y + 30, chars >= 6 ? kind(f) : "", "o");
                }
                svg.end();
                first = false;
                p = stop;
            }
            i++;
        }
        return svg;
    }

    static String fileName(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('.', '-') + ".svg";
    }

    /** docs/protocol file name to content. */
    public static Map<String, String> generate() {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();
        md.append("# Packed wire structs, byte by byte\n\n")
                .append("Generated from `CephStructs` (encoding module) by `org.jceph.cli.viz.ProtocolReference`; ")
                .append("do not edit. `ProtocolReferenceTest` fails when these files and the code disagree; ")
                .append("regenerate with\n\n```\nmvn -B -o -pl cli -am -DskipITs -Dtest=ProtocolReferenceTest ")
                .append("-Dsurefire.failIfNoSpecifiedTests=false -Djceph.protocol.update=true test\n```\n\n")
                .append("Integers are little-endian unless marked `be16`. Grey cells are named padding or unused ")
                .append("bytes. The C probe under fixtures/src/main/c checks every offset against Ceph's C headers.\n\n");
        List<String> names = new ArrayList<>(layouts().keySet());
        md.append("| struct | bytes | Java |\n|---|---|---|\n");
        for (String n : names) {
            PackedLayout l = layouts().get(n);
            md.append("| [").append(l.cName()).append("](#").append(anchor(n)).append(") | ").append(l.size())
                    .append(" | `CephStructs.").append(n).append("` |\n");
        }
        for (String n : names) {
            PackedLayout l = layouts().get(n);
            md.append("\n## ").append(n).append("\n\n`").append(l.cName()).append("`, ").append(l.size())
                    .append(" bytes.\n\n![").append(l.cName()).append("](").append(fileName(n)).append(")\n\n")
                    .append("| offset | width | type | field |\n|---:|---:|---|---|\n");
            for (PackedField f : l.leaves(Map.of())) {
                md.append("| ").append(f.offset()).append(" | ").append(f.width()).append(" | ").append(kind(f))
                        .append(" | ").append(f.name()).append(" |\n");
            }
            List<PackedField> all = l.leaves(true);
            if (all.size() != l.leaves(Map.of()).size()) {
                md.append("\nUnion cases (all of them; the diagram shows the first):\n\n");
                for (PackedField f : all) {
                    md.append("- ").append(f.offset()).append(" +").append(f.width()).append(" ").append(kind(f))
                            .append(" `").append(f.name()).append("`\n");
                }
            }
            files.put(fileName(n), diagram(n, l).toString());
        }
        files.put("README.md", md.toString());
        return files;
    }

    private static String anchor(String n) {
        return n.toLowerCase(Locale.ROOT).replace(".", "");
    }

    /** Rewrites docs/protocol under {@code dir}. */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : generate().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : "docs/protocol"));
    }
}
