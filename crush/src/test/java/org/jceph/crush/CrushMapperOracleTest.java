package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every "CRUSH rule R x X [...]" line crushtool printed for the captured maps (each bucket
 * algorithm, 2-4 levels, uneven and zero weights, every tunables profile, firstn/indep, multi-take,
 * choose_args, reweights, pool ids, num-rep past the failure domains) equals our mapping, in order.
 * The loops mirror CrushTester::test so the sequence of (rule, num-rep, x) is the same.
 */
class CrushMapperOracleTest {
    static List<CrushFixtures.Capture> captures() {
        return CrushFixtures.testCaptures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void mapsLikeCrushtool(CrushFixtures.Capture capture) {
        List<String> expected = new ArrayList<>();
        for (String l : CrushFixtures.lines(capture.output())) {
            if (l.startsWith("CRUSH rule ")) {
                expected.add(l);
            }
        }
        assertFalse(expected.isEmpty() && capture.args().contains("--show-mappings"), "no mappings in " + capture);
        List<String> actual = ourMappings(capture.args());
        assertEquals(expected.size(), actual.size(), "mapping line count for " + capture);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), capture + " line " + i);
        }
    }

    /** The mapping lines crushtool --test --show-mappings prints for these arguments. */
    static List<String> ourMappings(List<String> args) {
        CrushMap map = CrushMap.decode(CrushFixtures.bytes(args.get(args.indexOf("-i") + 1)));
        CrushMapper mapper = new CrushMapper(map);
        int minRule = -1, maxRule = -1, minX = -1, maxX = -1, rep = -1;
        long pool = -1;
        int[] weight = new int[mapper.maxDevices()];
        for (int o = 0; o < weight.length; o++) {
            weight[o] = map.itemPresent(o) ? 0x10000 : 0;
        }
        boolean show = false;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--rule" -> minRule = maxRule = Integer.parseInt(args.get(++i));
                case "--x" -> minX = maxX = Integer.parseInt(args.get(++i));
                case "--min-x" -> minX = Integer.parseInt(args.get(++i));
                case "--max-x" -> maxX = Integer.parseInt(args.get(++i));
                case "--num-rep" -> rep = Integer.parseInt(args.get(++i));
                case "--pool-id" -> pool = Long.parseLong(args.get(++i));
                case "--show-mappings" -> show = true;
                case "--weight" -> {
                    int dev = Integer.parseInt(args.get(++i));
                    int w = (int) (Float.parseFloat(args.get(++i)) * 0x10000);
                    weight[dev] = Math.max(0, Math.min(0x10000, w));
                }
                default -> { }
            }
        }
        List<String> out = new ArrayList<>();
        if (!show) {
            return out;
        }
        if (minRule < 0 || maxRule < 0) {
            minRule = 0;
            maxRule = map.maxRules() - 1;
        }
        if (minX < 0 || maxX < 0) {
            minX = 0;
            maxX = 1023;
        }
        long total = 0;
        for (int w : weight) {
            total += w;
        }
        for (int r = minRule; r <= maxRule && r < map.maxRules(); r++) {
            if (!mapper.ruleExists(r)) {
                continue;
            }
            int minr = rep < 0 ? map.rule(r).minSize() : rep;
            int maxr = rep < 0 ? map.rule(r).maxSize() : rep;
            for (int nr = minr; nr <= maxr && total > 0; nr++) {
                int[] result = new int[nr];
                for (int x = minX; x <= maxX; x++) {
                    int realX = pool != -1 ? CrushMapper.hash2(x, (int) pool) : x;
                    int n = mapper.doRule(r, realX, result, nr, weight, 0);
                    StringBuilder sb = new StringBuilder("CRUSH rule ").append(r).append(" x ").append(x).append(" [");
                    for (int k = 0; k < n; k++) {
                        sb.append(k > 0 ? "," : "").append(result[k]);
                    }
                    out.add(sb.append(']').toString());
                }
            }
        }
        return out;
    }
}
