package org.jceph.encoding.packed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.jceph.fixtures.GccProbe;

/**
 * Byte-for-byte agreement with gcc: for arbitrary values of every leaf (full width range, byte
 * arrays of any length up to the field), under a random union case, Java's {@code encode} writes
 * exactly the bytes gcc's C assignments produce, and Java's {@code decode} of gcc's bytes gives
 * the values back.
 *
 * <p>Samples are drawn uniformly over (struct, union case) variants: the 16 structs without a
 * union, the 16 ceph_osd_op cases, and the two address views of ceph_entity_addr and
 * ceph_entity_inst. One probe process serves the whole class.
 */
class GccBytesPropertiesTest {
    /**
     * Tries per property. With 36 variants that is about 190 per variant (the first and last
     * variant also draw jqwik's edge cases); both properties take about a second together.
     */
    private static final int TRIES = 8000;
    /** Each variant must have been drawn at least this often (coverage check, ~7 sigma margin). */
    private static final int MIN_PER_VARIANT = 100;

    private static GccProbe probe;

    /** One struct with one choice of union cases. */
    record Variant(PackedLayout layout, Map<String, String> choice) {
        String label() {
            return choice.isEmpty() ? layout.name() : layout.name() + choice;
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** A struct, a union choice, a value for every non-pad leaf, and where to decode from. */
    record Sample(Variant variant, Map<String, Object> values, int index) {
        @Override
        public String toString() {
            Map<String, String> shown = new LinkedHashMap<>();
            values.forEach((k, v) -> shown.put(k, v instanceof byte[] b ? "hex:" + GccSupport.HEX.formatHex(b)
                    : Long.toUnsignedString((Long) v)));
            return variant + " @" + index + " " + shown;
        }
    }

    static final List<Variant> VARIANTS = variants();

    private static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (PackedLayout l : CephStructs.ALL) {
            for (Map<String, String> c : GccSupport.unionCombinations(l)) {
                out.add(new Variant(l, c));
            }
        }
        return List.copyOf(out);
    }

    @BeforeContainer
    static void startProbe() {
        probe = GccProbe.compile();
    }

    @AfterContainer
    static void stopProbe() {
        if (probe != null) {
            probe.close();
        }
    }

    @Provide
    Arbitrary<Sample> samples() {
        return Arbitraries.of(VARIANTS).flatMap(v -> {
            List<Arbitrary<Object>> perLeaf = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (PackedField leaf : GccSupport.valueLeaves(v.layout(), v.choice())) {
                paths.add(leaf.name());
                perLeaf.add(valueOf(leaf));
            }
            Arbitrary<Map<String, Object>> values = Combinators.combine(perLeaf).as(list -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < paths.size(); i++) {
                    m.put(paths.get(i), list.get(i));
                }
                return m;
            });
            return Combinators.combine(values, Arbitraries.integers().between(0, 7))
                    .as((m, index) -> new Sample(v, m, index));
        });
    }

    /** Any value the leaf can hold: integers over their whole unsigned range, arrays up to the width. */
    private static Arbitrary<Object> valueOf(PackedField leaf) {
        return switch (leaf.kind()) {
            case U8 -> Arbitraries.longs().between(0, 0xFFL).map(x -> (Object) x);
            case U16LE, U16BE -> Arbitraries.longs().between(0, 0xFFFFL).map(x -> (Object) x);
            case U32LE -> Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(x -> (Object) x);
            case U64LE -> Arbitraries.longs().map(x -> (Object) x); // negative = u64 above 2^63
            case CHARS, BYTES -> Arbitraries.bytes().array(byte[].class).ofMaxSize(leaf.width()).map(x -> (Object) x);
            default -> throw new IllegalArgumentException("no values for " + leaf);
        };
    }

    private static void checkCoverage() {
        Statistics.coverage(coverage -> {
            for (Variant v : VARIANTS) {
                coverage.check(v.label()).count(n -> n >= MIN_PER_VARIANT);
            }
        });
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReportMode.OFF)
    void javaEncodeWritesGccBytes(@ForAll("samples") Sample s) {
        Statistics.collect(s.variant().label());
        PackedLayout layout = s.variant().layout();
        String gcc = probe.encodeHex(layout.cName(), GccSupport.probeFields(s.values()));
        String java = GccSupport.javaHex(layout, s.values(), s.variant().choice());
        assertEquals(gcc, java, () -> "Java encode differs from gcc for " + s);
        checkCoverage();
    }

    @Property(tries = TRIES)
    @StatisticsReport(StatisticsReportMode.OFF)
    void javaDecodeOfGccBytesGivesTheValuesBack(@ForAll("samples") Sample s) {
        Statistics.collect(s.variant().label());
        PackedLayout layout = s.variant().layout();
        byte[] gcc = GccSupport.HEX.parseHex(probe.encodeHex(layout.cName(), GccSupport.probeFields(s.values())));
        assertEquals(layout.size(), gcc.length, "gcc's sizeof");

        // gcc's bytes at an offset inside a larger buffer, fenced by 0xff on both sides
        ByteBuf buf = Unpooled.buffer(s.index() + gcc.length + 4);
        for (int i = 0; i < s.index(); i++) {
            buf.writeByte(0xFF);
        }
        buf.writeBytes(gcc).writeInt(-1);
        Map<String, Object> decoded = layout.decode(buf, s.index(), s.variant().choice());

        List<PackedField> leaves = layout.leaves(s.variant().choice());
        assertEquals(leaves.size(), decoded.size(), "one value per leaf");
        for (PackedField leaf : leaves) {
            Object expected = GccSupport.expectedDecoded(leaf, s.values().get(leaf.name()));
            Object actual = decoded.get(leaf.name());
            if (expected instanceof byte[] e) {
                assertArrayEquals(e, (byte[]) actual, () -> leaf.name() + " in " + s);
            } else {
                assertEquals(expected, actual, () -> leaf.name() + " in " + s);
            }
        }
        checkCoverage();
    }
}
