package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;

/**
 * Squid's MSR rules (crush_msr_do_rule), against a map compiled and mapped by Tentacle 20.2.4's
 * crushtool (fixtures/src/main/resources/fixtures/crush-msr, provenance in fixtures/README.md).
 */
class CrushMsrTest {
    private static Path dir() {
        return ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/crush-msr");
    }

    private static CrushMap msrMap() throws IOException {
        return CrushMap.decode(Files.readAllBytes(dir().resolve("msr.bin")));
    }

    @Test
    void msrMapRoundTripsWithRuleTypesStepsAndTunables() throws IOException {
        byte[] b = Files.readAllBytes(dir().resolve("msr.bin"));
        CrushMap m = CrushMap.decode(b);
        assertArrayEquals(b, m.encode());
        assertEquals(CrushRule.TYPE_MSR_FIRSTN, m.rule(1).type());
        assertEquals(CrushRule.TYPE_MSR_INDEP, m.rule(2).type());
        assertTrue(m.rule(1).isMsr() && !m.rule(0).isMsr());
        assertEquals(new RuleStep(RuleStep.SET_MSR_DESCENTS, 10, 0), m.rule(2).steps().get(0));
        assertEquals(new RuleStep(RuleStep.SET_MSR_COLLISION_TRIES, 5, 0), m.rule(2).steps().get(1));
        assertEquals(RuleStep.CHOOSE_MSR, m.rule(2).steps().get(3).op());
        assertEquals(CrushMap.Section.values().length, m.encodedSections(), "Squid's MSR tunables are encoded");
        assertEquals(100, m.msrDescents());
        assertEquals(100, m.msrCollisionTries());
        // dropping the MSR tunables (as full OSDMaps carry the map) keeps everything else
        CrushMap without = CrushMap.decode(m.withEncodedSections(CrushMap.Section.MSR_TUNABLES.ordinal()).encode());
        assertEquals(b.length - 8, without.encode().length);
        assertEquals(100, without.msrDescents());
    }

    private static final Pattern HEADER = Pattern.compile("^rule (\\d+) \\(.*\\), x = 0\\.\\.1023, numrep = (\\d+)\\.\\.\\d+$");
    private static final Pattern LINE = Pattern.compile("^CRUSH rule (\\d+) x (\\d+) \\[(.*)\\]$");

    /**
     * Every 8th x of the Tentacle capture, recomputed through the mapper directly (the crushtool
     * test in the cli module replays all of them: unfillable positions cost up to msr_descents x
     * msr_collision_tries draws each, so the whole file takes Tentacle's crushtool 34 s of CPU).
     */
    @Test
    void mapperReproducesTentacleMappings() throws IOException {
        CrushMapper mapper = new CrushMapper(msrMap());
        int[] weights = new int[mapper.maxDevices()];
        Arrays.fill(weights, 0x10000);
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir().resolve("msr.test.txt.gz")))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int numRep = -1;
        int checked = 0;
        for (String l : text.split("\n")) {
            Matcher h = HEADER.matcher(l);
            if (h.matches()) {
                numRep = Integer.parseInt(h.group(2));
                continue;
            }
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            int rule = Integer.parseInt(m.group(1));
            int x = Integer.parseInt(m.group(2));
            if (x % 8 != 0) {
                continue;
            }
            int[] got = mapper.map(rule, x, numRep, weights, -1);
            String want = m.group(3);
            assertEquals(want, String.join(",", Arrays.stream(got).mapToObj(String::valueOf).toList()),
                    "rule " + rule + " x " + x + " numrep " + numRep);
            checked++;
        }
        assertEquals(7 * 9 * 1024 / 8, checked);
    }

    /** Ceph's crush_msr_do_rule never advances past "take osd.N" in an MSR rule; we refuse it. */
    @Test
    void msrRuleTakingADeviceIsRefused() throws IOException {
        CrushMap m = msrMap();
        List<CrushRule> rules = new java.util.ArrayList<>(m.ruleSlots());
        rules.set(1, new CrushRule(1, CrushRule.TYPE_MSR_FIRSTN, 1, 10,
                List.of(new RuleStep(RuleStep.TAKE, 0, 0), new RuleStep(RuleStep.EMIT, 0, 0))));
        CrushMap bad = new CrushMap(m.maxDevices(), m.bucketSlots(), rules, m.typeNames(), m.itemNames(),
                m.ruleNames(), m.tunables(), m.classMap(), m.classNames(), m.classBuckets(), m.chooseArgs(),
                m.msrDescents(), m.msrCollisionTries(), m.encodedSections(), m.wideNameKeys());
        int[] w = new int[m.maxDevices()];
        Arrays.fill(w, 0x10000);
        assertThrows(UnsupportedCrushFeatureException.class, () -> new CrushMapper(bad).map(1, 0, 3, w, -1));
    }

    /**
     * A TAKE directly followed by EMIT passes Ceph's scan, then crush_msr_choose asserts (Tentacle's
     * crushtool aborts; found by cli's TentacleCrushMapOracleIT): refused with a typed error.
     */
    @Test
    void msrBlockWithoutChooseMsrIsRefused() throws IOException {
        CrushMap m = msrMap();
        List<CrushRule> rules = new java.util.ArrayList<>(m.ruleSlots());
        int root = m.rule(3).steps().get(0).arg1();
        rules.set(1, new CrushRule(1, CrushRule.TYPE_MSR_INDEP, 1, 10,
                List.of(new RuleStep(RuleStep.TAKE, root, 0), new RuleStep(RuleStep.EMIT, 0, 0))));
        CrushMap bad = new CrushMap(m.maxDevices(), m.bucketSlots(), rules, m.typeNames(), m.itemNames(),
                m.ruleNames(), m.tunables(), m.classMap(), m.classNames(), m.classBuckets(), m.chooseArgs(),
                m.msrDescents(), m.msrCollisionTries(), m.encodedSections(), m.wideNameKeys());
        int[] w = new int[m.maxDevices()];
        Arrays.fill(w, 0x10000);
        assertThrows(UnsupportedCrushFeatureException.class, () -> new CrushMapper(bad).map(1, 0, 3, w, -1));
    }

    /** Malformed MSR rules (a conventional choose step inside, no emit) map to nothing, as in Ceph. */
    @Test
    void malformedMsrRulesMapToNothing() throws IOException {
        CrushMap m = msrMap();
        List<CrushRule> rules = new java.util.ArrayList<>(m.ruleSlots());
        int root = m.rule(3).steps().get(0).arg1();
        rules.set(3, new CrushRule(3, CrushRule.TYPE_MSR_FIRSTN, 1, 10, List.of(new RuleStep(RuleStep.TAKE, root, 0),
                new RuleStep(RuleStep.CHOOSELEAF_FIRSTN, 0, 1), new RuleStep(RuleStep.EMIT, 0, 0))));
        rules.set(4, new CrushRule(4, CrushRule.TYPE_MSR_INDEP, 1, 10, List.of(new RuleStep(RuleStep.TAKE, root, 0),
                new RuleStep(RuleStep.CHOOSE_MSR, 0, 0))));
        CrushMap bad = new CrushMap(m.maxDevices(), m.bucketSlots(), rules, m.typeNames(), m.itemNames(),
                m.ruleNames(), m.tunables(), m.classMap(), m.classNames(), m.classBuckets(), m.chooseArgs(),
                m.msrDescents(), m.msrCollisionTries(), m.encodedSections(), m.wideNameKeys());
        int[] w = new int[m.maxDevices()];
        Arrays.fill(w, 0x10000);
        CrushMapper mapper = new CrushMapper(bad);
        assertEquals(0, mapper.map(3, 7, 3, w, -1).length);
        assertEquals(0, mapper.map(4, 7, 3, w, -1).length);
    }
}
