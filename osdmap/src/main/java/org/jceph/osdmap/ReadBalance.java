package org.jceph.osdmap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.ArrayDeque;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushRule;
import org.jceph.crush.RuleStep;
import org.jceph.encoding.types.PgId;

/**
 * The read balance score of a replicated pool (Reef's read balancer; OSDMap::calc_read_balance_score
 * with set_rbi and CrushWrapper::get_rule_weight_osd_map, src/osd/OSDMap.cc and
 * src/crush/CrushWrapper.cc of v18.2.7 / v20.2.x): how unevenly the primaries of the pool's PGs
 * spread over the OSDs its rule can pick, relative to the best spread the primary affinities allow.
 *
 * <p>Ceph computes in single precision and rounds every published value to two decimals
 * ({@code floor(f * 100 + 0.5) / 100} in double); this class does the same operations in the same
 * order so that the printed values ({@code %.2f}) and the dumped floats are identical.
 */
public final class ReadBalance {
    private ReadBalance() {
    }

    /**
     * read_balance_info_t. {@code rc} is Ceph's return code: 0, or negative (-EINVAL, -ERANGE,
     * -ENOENT) when no reliable score exists; {@code errMsg} is empty or the message Ceph reports.
     */
    public record Info(int rc, float paAvg, float paWeighted, float paWeightedAvg, float rawScore,
            float optimalScore, float adjustedScore, float actingRawScore, float actingAdjScore, String errMsg) {
        static Info error(int rc, String msg) {
            return new Info(rc, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, msg);
        }
    }

    static final int EINVAL = -22;
    static final int ERANGE = -34;
    static final int ENOENT = -2;

    /** OSDMap::rbi_round: round half away from zero to two decimals, in double, back to float. */
    static float round(float f) {
        return f > 0.0f ? (float) (Math.floor((double) (f * 100) + 0.5) / 100)
                : (float) (Math.ceil((double) (f * 100) - 0.5) / 100);
    }

    /** OSDMap::calc_read_balance_score for {@code poolId} (callers use it for replicated pools only). */
    public static Info compute(Placement placement, long poolId) {
        OsdMap map = placement.map();
        PgPool pool = map.pool(poolId);
        if (pool == null) {
            return Info.error(ENOENT, "pool " + poolId + " not found");
        }
        long numPgs = pool.pgNum();
        Map<Integer, Set<Long>> pgsByOsd = new TreeMap<>();
        Map<Integer, Integer> primaries = new HashMap<>();
        Map<Integer, Integer> actingPrimaries = new HashMap<>();
        for (long ps = 0; ps < numPgs; ps++) {
            Placement.Result r = placement.pgToUpActing(new PgId(poolId, ps));
            if (r.up().isEmpty()) {
                continue;
            }
            for (int osd : r.up()) {
                if (osd != Placement.NONE) {
                    pgsByOsd.computeIfAbsent(osd, k -> new HashSet<>()).add(ps);
                }
            }
            if (r.upPrimary() != Placement.NONE) {
                primaries.merge(r.upPrimary(), 1, Integer::sum);
            }
            if (r.actingPrimary() != Placement.NONE) {
                actingPrimaries.merge(r.actingPrimary(), 1, Integer::sum);
            }
        }
        if (pgsByOsd.isEmpty()) {
            return Info.error(EINVAL, "");
        }
        int numOsds = pgsByOsd.size();
        float avgPrimsPerOsd = (float) numPgs / (float) numOsds;
        long maxPrims = 0;
        long maxActingPrims = 0;
        float maxOsdScore = 0f;
        boolean actingOnZeroPa = false;
        float paSum = 0f;
        float totalOsdWeight = 0f;
        float totalWeightedPa = 0f;
        int paCount = 0;
        for (Map.Entry<Integer, Float> e : ruleWeightOsdMap(placement.crush(), pool.crushRule()).entrySet()) {
            int osd = e.getKey();
            float weight = e.getValue();
            totalOsdWeight += weight;
            float pa = affinity(map, osd);
            totalWeightedPa += weight * pa;
            if (pa != 0f) {
                paCount++;
            }
            Integer n = primaries.get(osd);
            if (n != null) {
                maxPrims = Math.max(maxPrims, n);
            }
            Integer na = actingPrimaries.get(osd);
            if (na != null) {
                maxActingPrims = Math.max(maxActingPrims, na);
                if (pa != 0f) {
                    maxOsdScore = Math.max(maxOsdScore, (float) na / pa);
                } else {
                    actingOnZeroPa = true;
                }
            }
            paSum += pa;
        }
        if (paSum == 0.0f) {
            return Info.error(ERANGE, "pool " + poolId + " has primary_affinity set to zero on all OSDs");
        }
        maxOsdScore *= paSum / numOsds;

        // set_rbi
        if (totalWeightedPa / totalOsdWeight < 1.0 / (float) pool.size()) {
            return Info.error(EINVAL, "pool " + poolId + " average primary affinity is lower than "
                    + new java.math.BigDecimal(1.0 / (float) pool.size()).setScale(2, java.math.RoundingMode.HALF_EVEN)
                            .toPlainString()
                    + ", read balance score is not reliable");
        }
        float paWeighted = totalWeightedPa;
        float paWeightedAvg = round(paWeighted / totalOsdWeight);
        float rawScore = round((float) maxPrims / avgPrimsPerOsd);
        float actingRawScore;
        String err = "";
        if (actingOnZeroPa) {
            actingRawScore = round(maxOsdScore);
            err = "pool " + poolId + " has acting primaries on OSD(s) with primary affinity 0, read balance score "
                    + "is not accurate";
        } else {
            actingRawScore = round((float) maxActingPrims / avgPrimsPerOsd);
        }
        float paAvg = paCount != 0 ? round(paSum / paCount) : 0f;
        if (paAvg == 0f) {
            return new Info(EINVAL, 0f, paWeighted, paWeightedAvg, rawScore, 0f, 0f, actingRawScore, 0f,
                    "pool " + poolId + " all OSDs have zero primary affinity, can't calculate a reliable read "
                            + "balance score");
        }
        long zeroPaPg = zeroPaPg(placement, poolId, numPgs);
        if (zeroPaPg >= 0) {
            return new Info(EINVAL, paAvg, paWeighted, paWeightedAvg, rawScore, 0f, 0f, actingRawScore, 0f,
                    "pool " + poolId + " has some PGs where all OSDs are with primary_affinity 0 (at least pg "
                            + new PgId(poolId, zeroPaPg) + "), read balance score may not be reliable");
        }
        float optimal = round((float) numOsds / (float) paCount);
        return new Info(0, paAvg, paWeighted, paWeightedAvg, rawScore, optimal, round(rawScore / optimal),
                actingRawScore, round(actingRawScore / optimal), err);
    }

    private static float affinity(OsdMap map, int osd) {
        return (float) map.primaryAffinity(osd) / (float) OsdMap.DEFAULT_PRIMARY_AFFINITY;
    }

    /** OSDMap::has_zero_pa_pgs: the first PG whose acting OSDs all have primary affinity 0, else -1. */
    private static long zeroPaPg(Placement placement, long poolId, long numPgs) {
        for (long ps = 0; ps < numPgs; ps++) {
            boolean allZero = true;
            for (int osd : placement.pgToUpActing(new PgId(poolId, ps)).acting()) {
                if (affinity(placement.map(), osd) != 0f) {
                    allZero = false;
                    break;
                }
            }
            if (allZero) {
                return ps;
            }
        }
        return -1;
    }

    /**
     * CrushWrapper::get_rule_weight_osd_map: for each TAKE step of the rule, the share of each OSD
     * below the taken item in the total CRUSH weight there (breadth first), summed over the TAKEs.
     */
    public static Map<Integer, Float> ruleWeightOsdMap(CrushMap crush, int ruleno) {
        TreeMap<Integer, Float> out = new TreeMap<>();
        CrushRule rule = ruleno >= 0 && ruleno < crush.ruleSlots().size() ? crush.ruleSlots().get(ruleno) : null;
        if (rule == null) {
            return out;
        }
        for (RuleStep step : rule.steps()) {
            if (step.op() != RuleStep.TAKE) {
                continue;
            }
            TreeMap<Integer, Float> m = new TreeMap<>();
            float sum = 0f;
            int n = step.arg1();
            if (n >= 0) {
                m.put(n, 1.0f);
                sum = 1.0f;
            } else {
                ArrayDeque<Integer> q = new ArrayDeque<>();
                q.add(n);
                while (!q.isEmpty()) {
                    CrushBucket b = crush.bucket(q.poll());
                    if (b == null) {
                        continue;
                    }
                    for (int j = 0; j < b.size(); j++) {
                        int item = b.item(j);
                        if (item >= 0) {
                            float w = (float) Integer.toUnsignedLong(b.itemWeight(j));
                            m.put(item, w);
                            sum += w;
                        } else {
                            q.add(item);
                        }
                    }
                }
            }
            for (Map.Entry<Integer, Float> e : m.entrySet()) {
                float share = e.getValue() / sum;
                out.merge(e.getKey(), share, Float::sum);
            }
        }
        return out;
    }
}
