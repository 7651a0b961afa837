package org.jceph.cli.crushtool;

import java.io.PrintStream;
import org.jceph.crush.CrushMapper;
import org.jceph.crush.MappingTracer;
import org.jceph.crush.RuleStep;

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
                    t.mapper.doRule(r, realX, result, Math.max(nr, 0), weight, 0, ws, new Printer(out));
                }
            }
        }
        return 0;
    }

    private final class Printer implements MappingTracer {
        private final PrintStream out;

        Printer(PrintStream out) {
            this.out = out;
        }

        private String name(int id) {
            String n = t.map.itemNames().get(id);
            return n == null ? Integer.toString(id) : n + "(" + id + ")";
        }

        @Override
        public void step(int op, int arg1, int arg2) {
            String type = t.map.typeNames().getOrDefault(arg2, "type" + arg2);
            String text;
            switch (op) {
                case RuleStep.TAKE: text = "take " + name(arg1); break;
                case RuleStep.CHOOSE_FIRSTN: text = "choose firstn " + arg1 + " type " + type; break;
                case RuleStep.CHOOSE_INDEP: text = "choose indep " + arg1 + " type " + type; break;
                case RuleStep.CHOOSELEAF_FIRSTN: text = "chooseleaf firstn " + arg1 + " type " + type; break;
                case RuleStep.CHOOSELEAF_INDEP: text = "chooseleaf indep " + arg1 + " type " + type; break;
                case RuleStep.EMIT: text = "emit"; break;
                default: text = "op " + op + " " + arg1 + " " + arg2;
            }
            out.println("step " + text);
        }

        @Override
        public void stepResult(int[] items, int n) {
            out.println("  working set now " + CrushTester.vec(items, n));
        }

        @Override
        public void straw2Draw(int bucket, int r, int item, int hashId, int u, long ln, int weight, long draw) {
            if (u < 0) {
                out.println("    " + name(item) + ": weight 0, never drawn");
                return;
            }
            out.println("    " + name(item) + ": u = hash(x, " + hashId + ", r=" + r + ") & 0xffff = " + u
                    + "; ln = crush_ln(u) - 2^48 = " + ln + "; draw = ln / weight(0x" + Integer.toHexString(weight)
                    + " = " + String.format("%.5f", (weight & 0xffffffffL) / 65536.0) + ") = " + draw);
        }

        @Override
        public void chose(int bucket, int r, int item, String how) {
            out.println("  bucket " + name(bucket) + " r=" + r + " [" + how + "] -> " + name(item));
        }

        @Override
        public void descend(int bucket, int r) {
            out.println("  descend into " + name(bucket));
        }

        @Override
        public void leafSearch(int bucket, int parentR) {
            out.println("  look for a leaf under " + name(bucket) + " (parent r " + parentR + ")");
        }

        @Override
        public void reject(int bucket, int r, int item, String why) {
            out.println("  REJECT " + (item == -1 ? "" : name(item) + " ") + "at " + name(bucket) + " r=" + r + ": " + why);
        }

        @Override
        public void retry(int ftotal, int flocal, boolean retryBucket, boolean retryDescent, boolean giveUp) {
            out.println("  failures total " + ftotal + " local " + flocal + " -> "
                    + (retryBucket ? "retry in the same bucket" : retryDescent ? "retry from the top" : "give up on this replica"));
        }

        @Override
        public void accept(int item, int position) {
            out.println("  ACCEPT " + name(item) + " at position " + position);
        }

        @Override
        public void note(String text) {
            out.println("  " + text);
        }

        @Override
        public void result(int[] result, int n) {
            out.println("result " + CrushTester.vec(result, n));
        }
    }
}
