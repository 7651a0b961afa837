package org.jceph.cli.crushtool;

import java.io.PrintStream;
import org.jceph.crush.CrushMapper;

/**
 * {@code crushtool --test --trace} (jceph only): replays one mapping per (rule, x, num-rep) and
 * narrates every decision: each rule step, each straw2 draw with its ln/weight arithmetic, each
 * descent, rejection (collision, out, no leaf) and retry, and the result.
 */
final class TraceCommand {
    private final CrushTester t;

    TraceCommand(CrushTester t) {
        this.t = t;
    }

    int run(PrintStream out) {
        int minRule = t.minRule < 0 || t.maxRule < 0 ? 0 : t.minRule;
        int maxRule = t.minRule < 0 || t.maxRule < 0 ? t.map.maxRules() - 1 : t.maxRule;
        int minX = t.minX < 0 || t.maxX < 0 ? 0 : t.minX;
        int maxX = t.minX < 0 || t.maxX < 0 ? 0 : t.maxX;
        int[] weight = t.weights();
        CrushMapper.Workspace ws = new CrushMapper.Workspace();
        for (int r = minRule; r <= maxRule && r < t.map.maxRules(); r++) {
            if (!t.mapper.ruleExists(r)) {
                continue;
            }
            int minr = t.minRep < 0 || t.maxRep < 0 ? t.map.rule(r).minSize() : t.minRep;
            int maxr = t.minRep < 0 || t.maxRep < 0 ? t.map.rule(r).maxSize() : t.maxRep;
            for (int nr = minr; nr <= maxr; nr++) {
                for (int x = minX; x <= maxX; x++) {
                    int realX = t.poolId != -1 ? CrushMapper.hash2(x, (int) t.poolId) : x;
                    out.println("=== rule " + r + " (" + t.map.ruleNames().getOrDefault(r, "") + ") x " + x
                            + (realX != x ? " (hashed with pool " + t.poolId + " to " + Integer.toUnsignedString(realX) + ")" : "")
                            + " num_rep " + nr);
                    int[] result = new int[Math.max(nr, 1)];
                    t.mapper.doRule(r, realX, result, Math.max(nr, 0), weight, 0, ws, new CrushTracePrinter(t.map, out));
                }
            }
        }
        return 0;
    }
}
