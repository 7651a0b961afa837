package org.jceph.osdmap;

import java.util.ArrayList;
import java.util.List;

/** interval_set&lt;snapid_t&gt; union and subtraction on sorted, disjoint, non-adjacent intervals. */
final class Intervals {
    private Intervals() {
    }

    static List<PgPool.Interval> union(List<PgPool.Interval> a, List<PgPool.Interval> b) {
        List<long[]> all = new ArrayList<>();
        for (PgPool.Interval i : a) {
            all.add(new long[] {i.start(), i.start() + i.length()});
        }
        for (PgPool.Interval i : b) {
            all.add(new long[] {i.start(), i.start() + i.length()});
        }
        all.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
        List<PgPool.Interval> out = new ArrayList<>();
        long s = 0;
        long e = 0;
        boolean open = false;
        for (long[] r : all) {
            if (open && Long.compareUnsigned(r[0], e) <= 0) {
                if (Long.compareUnsigned(r[1], e) > 0) {
                    e = r[1];
                }
            } else {
                if (open) {
                    out.add(new PgPool.Interval(s, e - s));
                }
                s = r[0];
                e = r[1];
                open = true;
            }
        }
        if (open) {
            out.add(new PgPool.Interval(s, e - s));
        }
        return List.copyOf(out);
    }

    static List<PgPool.Interval> subtract(List<PgPool.Interval> a, List<PgPool.Interval> b) {
        List<PgPool.Interval> cur = new ArrayList<>(a);
        for (PgPool.Interval cut : b) {
            long cs = cut.start();
            long ce = cut.start() + cut.length();
            List<PgPool.Interval> next = new ArrayList<>();
            for (PgPool.Interval i : cur) {
                long s = i.start();
                long e = i.start() + i.length();
                if (Long.compareUnsigned(ce, s) <= 0 || Long.compareUnsigned(cs, e) >= 0) {
                    next.add(i);
                    continue;
                }
                if (Long.compareUnsigned(s, cs) < 0) {
                    next.add(new PgPool.Interval(s, cs - s));
                }
                if (Long.compareUnsigned(ce, e) < 0) {
                    next.add(new PgPool.Interval(ce, e - ce));
                }
            }
            cur = next;
        }
        return List.copyOf(cur);
    }
}
