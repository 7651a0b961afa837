package org.jceph.encoding.packed;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared plumbing of the gcc layout tests: union cases, value formats, Java-side encoding. */
final class GccSupport {
    static final HexFormat HEX = HexFormat.of();

    private GccSupport() {
    }

    /**
     * Every combination of union cases in {@code layout}: a list of choices (union path → case
     * name). A struct without unions has one combination, the empty map.
     */
    static List<Map<String, String>> unionCombinations(PackedLayout layout) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of());
        collectUnions(layout, "", out);
        return out;
    }

    private static void collectUnions(PackedLayout layout, String prefix, List<Map<String, String>> combos) {
        for (PackedField f : layout.fields()) {
            String path = prefix + f.name();
            switch (f.kind()) {
                case STRUCT -> collectUnions(f.nested(), path + ".", combos);
                case UNION -> {
                    List<Map<String, String>> next = new ArrayList<>();
                    for (Map<String, String> c : combos) {
                        for (PackedLayout unionCase : f.cases()) {
                            Map<String, String> m = new LinkedHashMap<>(c);
                            m.put(path, unionCase.name());
                            next.add(m);
                        }
                    }
                    combos.clear();
                    combos.addAll(next);
                    // unions nested inside cases (none today) would need their case chosen too
                    for (PackedLayout unionCase : f.cases()) {
                        if (hasUnion(unionCase)) {
                            throw new UnsupportedOperationException("nested union in " + path + "." + unionCase.name());
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    private static boolean hasUnion(PackedLayout layout) {
        for (PackedField f : layout.fields()) {
            if (f.kind() == PackedField.Kind.UNION || (f.kind() == PackedField.Kind.STRUCT && hasUnion(f.nested()))) {
                return true;
            }
        }
        return false;
    }

    /** The leaves a value can be given for (padding excluded) under the union choice. */
    static List<PackedField> valueLeaves(PackedLayout layout, Map<String, String> choice) {
        return layout.leaves(choice).stream().filter(l -> l.kind() != PackedField.Kind.PAD).toList();
    }

    /** Values as the probe wants them: unsigned decimal integers, hex byte arrays. */
    static Map<String, String> probeFields(Map<String, ?> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((path, v) -> out.put(path,
                v instanceof byte[] b ? HEX.formatHex(b) : Long.toUnsignedString(((Number) v).longValue())));
        return out;
    }

    /** Java's bytes for the struct, in hex. */
    static String javaHex(PackedLayout layout, Map<String, ?> values, Map<String, String> choice) {
        byte[] out = new byte[layout.size()];
        Arrays.fill(out, (byte) 0xA5); // encode must write every byte
        layout.encode(Unpooled.wrappedBuffer(out), 0, values, choice);
        return HEX.formatHex(out);
    }

    /** What decode must return for a leaf given {@code value} (null: not set, so zero). */
    static Object expectedDecoded(PackedField leaf, Object value) {
        if (leaf.isBytes()) {
            byte[] b = new byte[leaf.width()];
            if (value != null) {
                byte[] v = (byte[]) value;
                System.arraycopy(v, 0, b, 0, v.length);
            }
            return b;
        }
        return value == null ? 0L : ((Number) value).longValue();
    }

    /** Joins hex pieces written one field per line, ignoring spaces. */
    static String hex(String... fields) {
        return String.join("", fields).replace(" ", "");
    }
}
