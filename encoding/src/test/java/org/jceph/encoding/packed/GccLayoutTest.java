package org.jceph.encoding.packed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jceph.fixtures.GccProbe;
import org.jceph.fixtures.GccProbe.FieldInfo;
import org.jceph.fixtures.GccProbe.StructInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every declaration in {@link CephStructs#ALL} against gcc's {@code __attribute__((packed))} layout
 * of the same struct, declared independently in fixtures/src/main/c/struct_probe.c: same sizeof,
 * and every leaf (every union case) at gcc's offsetof with gcc's width.
 */
class GccLayoutTest {
    private static GccProbe probe;
    private static Map<String, StructInfo> gcc;

    @BeforeAll
    static void startProbe() {
        probe = GccProbe.compile();
        gcc = probe.layout();
    }

    @AfterAll
    static void stopProbe() {
        if (probe != null) {
            probe.close();
        }
    }

    static Stream<PackedLayout> layouts() {
        return CephStructs.ALL.stream();
    }

    private static StructInfo gccOf(PackedLayout layout) {
        StructInfo s = gcc.get(layout.cName());
        assertTrue(s != null, "struct_probe.c does not declare struct " + layout.cName());
        return s;
    }

    @Test
    void javaAndTheProbeDeclareTheSameStructs() {
        Set<String> java = CephStructs.ALL.stream().map(PackedLayout::cName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(java.size(), CephStructs.ALL.size(), "two Java declarations share a C name");
        assertEquals(java, gcc.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void sizeIsGccSizeof(PackedLayout layout) {
        assertEquals(gccOf(layout).size(), layout.size(), "sizeof(struct " + layout.cName() + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void everyNonPadLeafSitsAtGccOffsetWithGccWidth(PackedLayout layout) {
        Map<String, FieldInfo> c = gccOf(layout).fields();
        List<String> problems = new ArrayList<>();
        for (PackedField leaf : layout.leaves(true)) {
            if (leaf.kind() == PackedField.Kind.PAD) {
                continue;
            }
            FieldInfo f = c.get(leaf.name());
            if (f == null) {
                problems.add(leaf.name() + ": not in the C declaration");
            } else if (f.offset() != leaf.offset() || f.width() != leaf.width()) {
                problems.add(leaf.name() + ": Java offset " + leaf.offset() + " width " + leaf.width()
                        + ", gcc offset " + f.offset() + " width " + f.width());
            }
        }
        assertTrue(problems.isEmpty(), layout.name() + ":\n  " + String.join("\n  ", problems));
    }

    /**
     * The other direction: every member the C declaration has (its padding-like members such as
     * {@code reserved} or {@code sin_zero} included) is a Java leaf at the same place; union-case
     * tail padding exists only in Java.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void everyGccMemberIsAJavaLeafAtTheSamePlace(PackedLayout layout) {
        Map<String, PackedField> java = new LinkedHashMap<>();
        for (PackedField leaf : layout.leaves(true)) {
            java.put(leaf.name(), leaf);
        }
        List<String> problems = new ArrayList<>();
        for (FieldInfo f : gccOf(layout).fields().values()) {
            PackedField leaf = java.get(f.path());
            if (leaf == null) {
                problems.add(f.path() + ": not declared in Java");
            } else if (f.offset() != leaf.offset() || f.width() != leaf.width()) {
                problems.add(f.path() + ": gcc offset " + f.offset() + " width " + f.width()
                        + ", Java offset " + leaf.offset() + " width " + leaf.width());
            }
        }
        assertTrue(problems.isEmpty(), layout.name() + ":\n  " + String.join("\n  ", problems));
    }

    /**
     * Under each union choice the Java leaves tile the struct: consecutive, no gap, no overlap,
     * ending at the size (so every byte, padding included, is named exactly once).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void javaLeavesCoverEveryByteOnce(PackedLayout layout) {
        for (Map<String, String> choice : GccSupport.unionCombinations(layout)) {
            int next = 0;
            for (PackedField leaf : layout.leaves(choice)) {
                assertEquals(next, leaf.offset(), layout.name() + " " + choice + ": " + leaf.name());
                next += leaf.width();
            }
            assertEquals(layout.size(), next, layout.name() + " " + choice);
        }
    }
}
