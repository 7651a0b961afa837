package org.jceph.cli.crushtool;

import java.io.PrintStream;
import org.jceph.crush.CrushMap;
import org.jceph.crush.MappingTracer;
import org.jceph.crush.RuleStep;

/**
 * Narrates a CRUSH mapping as it happens: each rule step, each straw2 draw with its ln/weight
 * arithmetic, each descent, rejection and retry, and the result. Used by {@code crushtool --trace}
 * and {@code jceph explain}.
 */
public final class CrushTracePrinter implements MappingTracer {
    private final CrushMap map;
    private final PrintStream out;

    public CrushTracePrinter(CrushMap map, PrintStream out) {
        this.map = map;
        this.out = out;
    }

    private String name(int id) {
        String n = map.itemNames().get(id);
        return n == null ? Integer.toString(id) : n + "(" + id + ")";
    }

    @Override
    public void step(int op, int arg1, int arg2) {
        String type = map.typeNames().getOrDefault(arg2, "type" + arg2);
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
                + " = " + org.jceph.cli.CStdio.fixed((weight & 0xffffffffL) / 65536.0, 5) + ") = " + draw);
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
