package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CrushWrapper decode then encode gives back the same bytes, for captured maps and the corpus. */
class CrushMapCodecTest {
    static List<String> maps() {
        return CrushFixtures.binaryMaps();
    }

    @ParameterizedTest
    @MethodSource("maps")
    void reencodesCapturedMapByteForByte(String name) {
        byte[] bytes = CrushFixtures.bytes(name);
        CrushMap map = CrushMap.decode(bytes);
        // crushtool -c can write what CrushWrapper::decode then normalises (choose_args of a non-straw2
        // bucket): for those maps the reference is Ceph's own decode+encode, captured next to them.
        String reencoded = name.replace(".bin", ".reencoded.bin");
        byte[] expected = CrushFixtures.binaryMaps().contains(reencoded) ? CrushFixtures.bytes(reencoded) : bytes;
        assertArrayEquals(expected, map.encode(), name);
        assertEquals(CrushMap.Section.values().length - 1, map.encodedSections(), "Pacific writes every section but MSR");
    }

    static Stream<Corpus.Sample> corpus() {
        return Corpus.samples("CrushWrapper").stream();
    }

    /**
     * Every CrushWrapper sample in ../shared/corpus round-trips (119 of 119 at the time of writing;
     * none is known not to). Old samples carry fewer tunables sections or 64-bit name keys, which
     * the map remembers.
     */
    @ParameterizedTest
    @MethodSource("corpus")
    void reencodesCorpusSampleByteForByte(Corpus.Sample sample) {
        byte[] bytes = sample.bytes();
        assertArrayEquals(bytes, CrushMap.decode(bytes).encode(), sample.toString());
    }

    @Test
    void corpusIsPresent() {
        assertFalse(Corpus.samples("CrushWrapper").isEmpty(), "no CrushWrapper samples under " + Corpus.expectedLocation());
    }

    @Test
    void decodesHeaderAndBucketsOfBuiltMap() {
        byte[] bytes = CrushFixtures.bytes("straw2-3level.bin");
        // magic 00 00 01 00 | max_buckets 8 (6 used; the builder grows the array) | max_rules 1 | max_devices 12
        assertEquals("00000100" + "08000000" + "01000000" + "0c000000",
                HexFormat.of().formatHex(Arrays.copyOf(bytes, 16)));
        CrushMap map = CrushMap.decode(bytes);
        assertEquals(8, map.maxBuckets());
        assertEquals(null, map.bucket(-7));
        assertEquals(12, map.maxDevices());
        CrushBucket host0 = map.bucket(-1);
        assertEquals(CrushBucket.ALG_STRAW2, host0.algorithm());
        assertArrayEquals(new int[] {0, 1, 2, 3}, host0.items());
        assertEquals(0x40000, host0.weight());
        assertEquals("host0", map.itemNames().get(-1));
        assertEquals(Tunables.jewel(), map.tunables());
        CrushRule rule = map.rule(0);
        assertEquals(List.of(new RuleStep(RuleStep.TAKE, -6, 0), new RuleStep(RuleStep.CHOOSELEAF_FIRSTN, 0, 1),
                new RuleStep(RuleStep.EMIT, 0, 0)), rule.steps());
    }

    @Test
    void decodesEveryBucketAlgorithm() {
        CrushMap map = CrushMap.decode(CrushFixtures.bytes("mixed.bin"));
        assertEquals(CrushBucket.ALG_STRAW2, map.bucket(-1).algorithm());
        assertEquals(CrushBucket.ALG_STRAW, map.bucket(-2).algorithm());
        assertEquals(CrushBucket.ALG_LIST, map.bucket(-3).algorithm());
        assertEquals(CrushBucket.ALG_TREE, map.bucket(-4).algorithm());
        assertEquals(CrushBucket.ALG_UNIFORM, map.bucket(-5).algorithm());
        assertEquals(0, map.bucket(-6).size());
        assertEquals(0x10000, map.bucket(-5).uniformItemWeight());
        assertEquals(8, map.bucket(-4).nodeWeights().length);
    }

    @Test
    void decodesChooseArgsWithPositionsAndIds() {
        CrushMap map = CrushMap.decode(CrushFixtures.bytes("choose-args.bin"));
        assertEquals(List.of(CrushMap.DEFAULT_CHOOSE_ARGS, 0L, 7L), List.copyOf(map.chooseArgs().keySet()));
        ChooseArg root = map.chooseArgs().get(0L).get(3);
        assertEquals(3, root.positions());
        assertArrayEquals(new int[] {0x10000, 0x20000, 0}, root.weightSet(0));
        assertArrayEquals(new int[] {-10, -20, -30}, root.ids());
        assertArrayEquals(new int[] {100, 101}, map.chooseArgs().get(CrushMap.DEFAULT_CHOOSE_ARGS).get(0).ids());
    }

    @Test
    void rejectsBadMagic() {
        byte[] bytes = CrushFixtures.bytes("straw2-3level.bin").clone();
        bytes[2] = 2;
        DecodeException e = assertThrows(DecodeException.class, () -> CrushMap.decode(bytes));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void rejectsEveryTruncationWithTypedError() {
        byte[] bytes = CrushFixtures.bytes("mixed.bin");
        // cutting inside the mandatory part must fail; cutting exactly at an optional section
        // boundary decodes as an older map, which is what Ceph does too
        int ok = 0;
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            try {
                CrushMap m = CrushMap.decode(cut);
                assertArrayEquals(cut, m.encode(), "a prefix that decodes must re-encode to itself, n=" + n);
                ok++;
            } catch (DecodeException expected) {
                // typed, names struct and offset
            }
        }
        assertTrue(ok <= CrushMap.Section.values().length, "only section boundaries decode: " + ok);
    }

    @Test
    void rejectsTrailingGarbage() {
        byte[] bytes = CrushFixtures.bytes("straw2-3level.bin");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 9);
        assertThrows(DecodeException.class, () -> CrushMap.decode(longer));
    }

    @Test
    void mapperRefusesUnknownHash() {
        CrushMap map = CrushMap.decode(CrushFixtures.bytes("straw2-3level.bin"));
        List<CrushBucket> slots = new java.util.ArrayList<>(map.bucketSlots());
        CrushBucket b = slots.get(0);
        slots.set(0, CrushBucket.straw2(b.id(), b.type(), 7, b.weight(), b.items(), b.itemWeights()));
        CrushMap bad = new CrushMap(map.maxDevicesEncoded(), slots, map.ruleSlots(), map.typeNames(), map.itemNames(),
                map.ruleNames(), map.tunables(), map.classMap(), map.classNames(), map.classBuckets(), map.chooseArgs(),
                map.msrDescents(), map.msrCollisionTries(), map.encodedSections(), map.wideNameKeys());
        UnsupportedCrushFeatureException e = assertThrows(UnsupportedCrushFeatureException.class,
                () -> new CrushMapper(bad));
        assertTrue(e.getMessage().contains("hash 7"), e.getMessage());
    }
}
