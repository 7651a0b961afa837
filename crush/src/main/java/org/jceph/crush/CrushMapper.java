package org.jceph.crush;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import org.jceph.crush.internal.CrushHash;
import org.jceph.crush.internal.CrushLn;

/**
 * CRUSH placement, bit-exact with Ceph's C mapper ({@code crush_do_rule} in src/crush/mapper.c).
 *
 * <p>Immutable and thread-safe once built. A call allocates nothing: scratch space comes from a
 * caller-owned {@link Workspace} or, in the convenience overloads, from one cached per thread.
 * Weights are the per-device "in" weights of an OSDMap (16.16, 0x10000 = fully in, 0 = out).
 *
 * <p>Maps that would not map exactly as Ceph's mapper does are refused at construction with
 * {@link UnsupportedCrushFeatureException}: a hash other than rjenkins1. MSR rules (Squid and later,
 * rule types msr_firstn / msr_indep) map through {@link #msrDoRule} (crush_msr_do_rule); MSR steps
 * in a conventional rule are ignored, as crush_do_rule_no_retry ignores unknown ops.
 *
 * <p>Why one class of ~1,000 lines (over the project's ~600): it is mapper.c, whose bucket choosers,
 * firstn/indep descents, retry rules and MSR variant share one workspace and one set of tunables and
 * must stay bit-exact together; split across files, each half would need the other's private state.
 */
public final class CrushMapper {
    /** CRUSH_ITEM_NONE: a position that could not be filled. */
    public static final int ITEM_NONE = 0x7fffffff;
    /** CRUSH_ITEM_UNDEF. */
    static final int ITEM_UNDEF = 0x7ffffffe;

    private final CrushMap map;
    private final int maxDevices;
    private final int maxBuckets;
    private final CrushBucket[] buckets;
    private final CrushRule[] rules;
    private final int[][][] ruleSteps; // per rule: {op, arg1, arg2}
    private final int chooseLocalTries;
    private final int chooseLocalFallbackTries;
    private final int chooseTotalTries;
    private final int chooseleafDescendOnce;
    private final int chooseleafVaryR;
    private final int chooseleafStable;
    private final int maxBucketSize;
    private final Map<Long, ResolvedArgs> chooseArgs = new HashMap<>();
    private final ThreadLocal<Workspace> perThread;

    /** choose_args resolved to bucket-index arrays (crush_choose_arg_map); null entries = none. */
    static final class ResolvedArgs {
        final int[][][] weightSets;
        final int[][] ids;

        ResolvedArgs(int maxBuckets, SortedMap<Integer, ChooseArg> args) {
            weightSets = new int[maxBuckets][][];
            ids = new int[maxBuckets][];
            args.forEach((index, arg) -> {
                int[][] sets = arg.rawWeightSets();
                weightSets[index] = sets.length == 0 ? null : sets;
                ids[index] = arg.rawIds().length == 0 ? null : arg.rawIds();
            });
        }
    }

    /** Scratch arrays for one mapping at a time; not thread-safe, reuse freely on one thread. */
    public static final class Workspace {
        int[] a = new int[0];
        int[] b = new int[0];
        int[] c = new int[0];
        int[] perm = new int[0];
        final Call call = new Call();

        void ensure(int resultMax, int bucketSize) {
            if (a.length < resultMax) {
                a = new int[resultMax];
                b = new int[resultMax];
                c = new int[resultMax];
            }
            if (perm.length < bucketSize) {
                perm = new int[bucketSize];
            }
        }
    }

    public CrushMapper(CrushMap map) {
        this.map = map;
        this.maxDevices = map.maxDevices();
        this.maxBuckets = map.maxBuckets;
        this.buckets = map.buckets.clone();
        this.rules = map.rules.clone();
        int maxSize = 0;
        for (CrushBucket b : buckets) {
            if (b == null) {
                continue;
            }
            if (b.hash != CrushBucket.HASH_RJENKINS1) {
                throw new UnsupportedCrushFeatureException("bucket " + b.id + " uses hash " + b.hash
                        + "; only rjenkins1 (0) is defined");
            }
            if (b.alg < CrushBucket.ALG_UNIFORM || b.alg > CrushBucket.ALG_STRAW2) {
                throw new UnsupportedCrushFeatureException("bucket " + b.id + " uses unknown algorithm " + b.alg);
            }
            maxSize = Math.max(maxSize, b.items.length);
        }
        this.maxBucketSize = maxSize;
        this.ruleSteps = new int[rules.length][][];
        for (int r = 0; r < rules.length; r++) {
            if (rules[r] == null) {
                continue;
            }
            ruleSteps[r] = new int[rules[r].steps().size()][];
            for (int s = 0; s < ruleSteps[r].length; s++) {
                RuleStep st = rules[r].steps().get(s);
                ruleSteps[r][s] = new int[] {st.op(), st.arg1(), st.arg2()};
            }
        }
        Tunables t = map.tunables;
        this.chooseLocalTries = t.chooseLocalTries();
        this.chooseLocalFallbackTries = t.chooseLocalFallbackTries();
        this.chooseTotalTries = t.chooseTotalTries();
        this.chooseleafDescendOnce = t.chooseleafDescendOnce();
        this.chooseleafVaryR = t.chooseleafVaryR();
        this.chooseleafStable = t.chooseleafStable();
        map.chooseArgs.forEach((key, args) -> chooseArgs.put(key, new ResolvedArgs(maxBuckets, args)));
        this.perThread = ThreadLocal.withInitial(Workspace::new);
    }

    /** crush_hash32_2(RJENKINS1, a, b): what crushtool --pool-id uses to derive x from (x, pool). */
    public static int hash2(int a, int b) {
        return CrushHash.hash2(a, b);
    }

    public CrushMap map() {
        return map;
    }

    /** max_devices as the mapper uses it (after CrushWrapper::finalize). */
    public int maxDevices() {
        return maxDevices;
    }

    public boolean ruleExists(int ruleno) {
        return ruleno >= 0 && ruleno < rules.length && rules[ruleno] != null;
    }

    /** The choose_args for {@code key}, else the default set, else none (choose_args_get_with_fallback). */
    ResolvedArgs chooseArgsWithFallback(long key) {
        ResolvedArgs a = chooseArgs.get(key);
        if (a == null) {
            a = chooseArgs.get(CrushMap.DEFAULT_CHOOSE_ARGS);
        }
        return a;
    }

    /**
     * Maps {@code x} through rule {@code ruleno} into {@code result[0..n)} and returns n (at most
     * {@code resultMax}), using the per-thread workspace. {@code chooseArgsKey} selects the
     * choose_args set (a pool id, falling back to the default set).
     */
    public int doRule(int ruleno, int x, int[] result, int resultMax, int[] weights, long chooseArgsKey) {
        return doRule(ruleno, x, result, resultMax, weights, chooseArgsKey, perThread.get(), null);
    }

    /** Allocating convenience: the placement of {@code x} as a new array. */
    public int[] map(int ruleno, int x, int numRep, int[] weights, long chooseArgsKey) {
        int[] out = new int[numRep];
        int n = doRule(ruleno, x, out, numRep, weights, chooseArgsKey);
        return java.util.Arrays.copyOf(out, n);
    }

    /** As {@link #doRule(int, int, int[], int, int[], long)} with caller-owned scratch and an optional tracer. */
    public int doRule(int ruleno, int x, int[] result, int resultMax, int[] weights, long chooseArgsKey,
            Workspace ws, MappingTracer tracer) {
        if (ruleno < 0 || ruleno >= rules.length || rules[ruleno] == null || resultMax <= 0) {
            return 0;
        }
        ws.ensure(resultMax, maxBucketSize);
        Call call = ws.call; // reused: a mapping allocates nothing
        call.x = x;
        call.weights = weights;
        call.args = chooseArgsWithFallback(chooseArgsKey);
        call.perm = ws.perm;
        call.tracer = tracer;
        if (rules[ruleno].isMsr()) {
            return msrDoRule(call, rules[ruleno].type(), ruleSteps[ruleno], result, resultMax);
        }
        return doRule(call, ruleSteps[ruleno], result, resultMax, ws);
    }

    // ---- MSR rules (crush_msr_do_rule, src/crush/mapper.c of Squid / Tentacle) ------------------

    /** The state of one crush_msr_do_rule call (its input, per-EMIT-block workspace and output). */
    private static final class Msr {
        final Call call;
        final int[][] steps;
        final int ruleType;
        final int resultMax;
        final long descents;
        final long collisionTries;
        final int[] out;
        int returned;
        /** Per CHOOSE_MSR step of the current EMIT block: the items chosen at each index (collisions). */
        int[][] stepVecs;
        int firstStep;

        Msr(Call call, int[][] steps, int ruleType, int resultMax, long descents, long collisionTries, int[] out) {
            this.call = call;
            this.steps = steps;
            this.ruleType = ruleType;
            this.resultMax = resultMax;
            this.descents = descents;
            this.collisionTries = collisionTries;
            this.out = out;
        }
    }

    /**
     * crush_msr_do_rule: a prefix of SET_MSR_* steps, then EMIT blocks (TAKE, CHOOSE_MSR..., EMIT).
     * Each block is mapped depth first by {@link #msrChoose}, which retries colliding choices
     * locally (msr_collision_tries) and leaves out OSDs unmapped; the whole descent is then
     * repeated (msr_descents times at most) until every position of the block is mapped. FIRSTN
     * rules return the mapped items in order; INDEP rules return result_max positions with
     * CRUSH_ITEM_NONE holes. A malformed rule maps to nothing, as in Ceph.
     */
    private int msrDoRule(Call call, int ruleType, int[][] steps, int[] result, int resultMax) {
        long descents = map.msrDescents();
        long collisionTries = map.msrCollisionTries();
        int stepno = 0;
        for (; stepno < steps.length; stepno++) {
            int op = steps[stepno][0];
            if (op == RuleStep.SET_MSR_DESCENTS) {
                descents = Integer.toUnsignedLong(steps[stepno][1]);
            } else if (op == RuleStep.SET_MSR_COLLISION_TRIES) {
                collisionTries = Integer.toUnsignedLong(steps[stepno][1]);
            } else {
                break;
            }
        }
        Msr m = new Msr(call, steps, ruleType, resultMax, descents, collisionTries, result);
        java.util.Arrays.fill(result, 0, resultMax, ITEM_NONE);
        long startIndex = 0;
        while (stepno < steps.length) {
            // crush_msr_scan_next: TAKE, CHOOSE_MSR*, EMIT
            if (stepno + 1 >= steps.length || steps[stepno][0] != RuleStep.TAKE) {
                return 0;
            }
            long totalChildren = 1;
            int emit = stepno + 1;
            for (; emit < steps.length; emit++) {
                int op = steps[emit][0];
                if (op == RuleStep.EMIT) {
                    break;
                }
                if (op != RuleStep.CHOOSE_MSR) {
                    return 0;
                }
                long n = steps[emit][1] != 0 ? Integer.toUnsignedLong(steps[emit][1]) : resultMax;
                totalChildren = (totalChildren * n) & 0xffffffffL; // unsigned arithmetic, as in C
            }
            if (emit >= steps.length) {
                return 0;
            }
            int take = steps[stepno][1];
            if (take >= 0) {
                // Ceph does not advance past a TAKE of a device in an MSR rule: it emits until an
                // assertion fails. Refuse the rule instead of looping.
                throw new UnsupportedCrushFeatureException("MSR rule takes device " + take
                        + " directly; Ceph's crush_msr_do_rule cannot map such a rule");
            }
            CrushBucket root = bucketOrNull(take);
            if (root == null) {
                return 0;
            }
            stepno++;
            m.firstStep = stepno;
            m.stepVecs = new int[emit - stepno][resultMax];
            for (int[] v : m.stepVecs) {
                java.util.Arrays.fill(v, ITEM_UNDEF);
            }
            long endIndex = Math.min(startIndex + totalChildren, resultMax);
            long limit = m.returned + (endIndex - startIndex);
            for (long tries = 0; tries < m.descents && m.returned < limit; tries++) {
                if (stepno == emit) {
                    // TAKE directly followed by EMIT passes crush_msr_scan_next, but crush_msr_choose
                    // then asserts that the step it is given is a CHOOSE_MSR (mapper.c; Tentacle's
                    // crushtool aborts). Refuse the rule instead of guessing a result.
                    throw new UnsupportedCrushFeatureException("MSR rule has a TAKE followed by EMIT with no "
                            + "CHOOSE_MSR step; Ceph's crush_msr_choose asserts on such a rule");
                }
                msrChoose(m, root, totalChildren, (int) startIndex, (int) endIndex, stepno, emit, (int) tries);
            }
            startIndex = endIndex;
            stepno = emit + 1;
        }
        return ruleType == CrushRule.TYPE_MSR_FIRSTN ? m.returned : resultMax;
    }

    private CrushBucket bucketOrNull(int id) {
        int i = -1 - id;
        return i >= 0 && i < buckets.length ? buckets[i] : null;
    }

    /**
     * crush_msr_choose: fills indices [start, end) below {@code bucket} with the CHOOSE_MSR steps
     * [stepno, endStep). The range is split into arg1 strides (each of total/arg1 indices); the
     * items chosen for different strides are kept disjoint, and a stride may reuse its own item.
     * Returns how many indices were mapped.
     */
    private int msrChoose(Msr m, CrushBucket bucket, long totalDescendants, int start, int end, int stepno,
            int endStep, int tryno) {
        int[] step = m.steps[stepno];
        long numStrides = step[1] != 0 ? Integer.toUnsignedLong(step[1]) : m.resultMax;
        requireDivides(totalDescendants, numStrides, stepno, step[1]);
        long strideLength = totalDescendants / numStrides;
        if (strideLength == 0) {
            return 0; // not reachable with the scanned totals; Ceph would loop forever
        }
        int strides = (int) Math.min(numStrides, (end - start + strideLength - 1) / strideLength);
        int[] undo = new int[Math.max(strides, 0)];
        java.util.Arrays.fill(undo, ITEM_UNDEF);
        int mapped = 0;
        int strideIndex = 0;
        for (long ss = start; ss < end; ss += strideLength, strideIndex++) {
            int strideStart = (int) ss;
            int strideEnd = (int) Math.min(ss + strideLength, end);
            if (leafPopulated(m, strideStart, strideEnd)) {
                continue;
            }
            boolean found = false;
            int candidate = 0;
            for (long local = 0; local < m.collisionTries; local++) {
                candidate = msrDescend(m, bucket, step[2], tryno, (int) local, strideIndex);
                if (validCandidate(m, stepno, start, end, strideStart, strideEnd, candidate)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                continue;
            }
            if (step[2] == 0) { // leaf
                if (strideLength != 1 || stepno + 1 != endStep) {
                    continue; // malformed: a step after the device step
                }
                if (isOut(m.call.weights, candidate, m.call.x)) {
                    continue; // a later descent retries this index
                }
                pushUsed(m, stepno, strideStart, strideEnd, candidate);
                emit(m, strideStart, candidate);
                mapped++;
            } else {
                if (stepno + 1 >= endStep) {
                    continue; // malformed: no step below a bucket type
                }
                CrushBucket child = candidate < 0 ? bucketOrNull(candidate) : null;
                if (child == null) {
                    // The descent ended at a device above the wanted type. Ceph passes
                    // map->buckets[-1 - device] (read out of bounds) to crush_msr_choose, which
                    // checks the next step's strides (an assertion) before it touches the bucket,
                    // then uses it (crushtool segfaults): no mapping for this stride.
                    int[] next = m.steps[stepno + 1];
                    requireDivides(strideLength, next[1] != 0 ? Integer.toUnsignedLong(next[1]) : m.resultMax,
                            stepno + 1, next[1]);
                    continue;
                }
                int childMapped = msrChoose(m, child, strideLength, strideStart, strideEnd, stepno + 1, endStep,
                        tryno);
                boolean pushed = pushUsed(m, stepno, strideStart, strideEnd, candidate);
                if (pushed && childMapped == 0) {
                    undo[strideIndex] = candidate; // chose it, mapped nothing below: forget it on return
                } else {
                    mapped += childMapped;
                }
            }
        }
        strideIndex = 0;
        for (long ss = start; ss < end; ss += strideLength, strideIndex++) {
            if (undo[strideIndex] != ITEM_UNDEF) {
                popUsed(m, stepno, (int) ss, (int) Math.min(ss + strideLength, end), undo[strideIndex]);
            }
        }
        return mapped;
    }

    /**
     * crush_msr_choose's BUG_ON(total_descendants % num_strides != 0). It only fails when the
     * block's product of counts wrapped past 2^32 (e.g. a negative choosemsr count, which C reads
     * as a count near 2^32); Tentacle's crushtool then aborts. Refused instead of guessing.
     */
    private static void requireDivides(long total, long numStrides, int stepno, int count) {
        if (total % numStrides != 0) {
            throw new UnsupportedCrushFeatureException("MSR rule step " + stepno + " (choosemsr " + count
                    + ") does not divide its block's " + total + " positions; Ceph's crush_msr_choose asserts on it");
        }
    }

    /** crush_msr_descend: from {@code bucket} down to a device or a bucket of {@code type}. */
    private int msrDescend(Msr m, CrushBucket bucket, int type, int tryno, int localTryno, int index) {
        int r = ((tryno * m.resultMax + index) << 16) + localTryno; // crush_msr_get_retry_value, u32
        while (true) {
            if (bucket.items.length == 0) {
                // crush_msr_descend calls crush_bucket_choose without the size check the
                // conventional descent makes, and crush_bucket_choose asserts the bucket is not
                // empty (mapper.c; Tentacle's crushtool aborts). Refuse instead of guessing.
                throw new UnsupportedCrushFeatureException("MSR rule descends into empty bucket " + bucket.id
                        + "; Ceph's crush_bucket_choose asserts on it");
            }
            int candidate = bucketChoose(m.call, bucket, r, index);
            if (candidate >= 0) {
                return candidate;
            }
            CrushBucket next = bucketOrNull(candidate);
            if (next == null || next.type == type) {
                return candidate;
            }
            bucket = next;
        }
    }

    /** Whether every index of [start, end) has a device (the last step's vector). */
    private static boolean leafPopulated(Msr m, int start, int end) {
        int[] leaf = m.stepVecs[m.stepVecs.length - 1];
        for (int i = start; i < end; i++) {
            if (leaf[i] == ITEM_UNDEF) {
                return false;
            }
        }
        return true;
    }

    /** crush_msr_valid_candidate: unused in [exStart, exEnd), or already this stride's choice. */
    private static boolean validCandidate(Msr m, int stepno, int exStart, int exEnd, int inStart, int inEnd,
            int candidate) {
        int[] vec = m.stepVecs[stepno - m.firstStep];
        for (int i = exStart; i < exEnd; i++) {
            if (vec[i] == candidate) {
                return i >= inStart && i < inEnd;
            }
        }
        return true;
    }

    /** crush_msr_push_used: adds to the stride's collision set; false if already there. */
    private static boolean pushUsed(Msr m, int stepno, int start, int end, int candidate) {
        int[] vec = m.stepVecs[stepno - m.firstStep];
        for (int i = start; i < end; i++) {
            if (vec[i] == candidate) {
                return false;
            }
            if (vec[i] == ITEM_UNDEF) {
                vec[i] = candidate;
                return true;
            }
        }
        return false; // full stride: Ceph asserts this cannot happen
    }

    /** crush_msr_pop_used: removes the stride's last entry. */
    private static void popUsed(Msr m, int stepno, int start, int end, int candidate) {
        int[] vec = m.stepVecs[stepno - m.firstStep];
        for (int i = end - 1; i >= start; i--) {
            if (vec[i] != ITEM_UNDEF) {
                vec[i] = ITEM_UNDEF;
                return;
            }
        }
    }

    /** crush_msr_emit_result: FIRSTN appends, INDEP writes the position. */
    private static void emit(Msr m, int position, int item) {
        if (m.returned >= m.resultMax) {
            return; // Ceph asserts
        }
        if (m.ruleType == CrushRule.TYPE_MSR_FIRSTN) {
            m.out[m.returned++] = item;
        } else {
            m.out[position] = item;
            m.returned++;
        }
    }

    /** Per-call constants passed down the recursion. */
    private static final class Call {
        int x;
        int[] weights;
        ResolvedArgs args;
        int[] perm;
        MappingTracer tracer;
    }

    private int doRule(Call call, int[][] steps, int[] result, int resultMax, Workspace ws) {
        int[] w = ws.a;
        int[] o = ws.b;
        int[] c = ws.c;
        int wsize = 0;
        int resultLen = 0;
        int chooseTries = chooseTotalTries + 1; // the stored value counts retries, not tries
        int chooseLeafTries = 0;
        int localRetries = chooseLocalTries;
        int localFallbackRetries = chooseLocalFallbackTries;
        int varyR = chooseleafVaryR;
        int stable = chooseleafStable;
        MappingTracer tr = call.tracer;
        for (int[] step : steps) {
            int op = step[0];
            int arg1 = step[1];
            int arg2 = step[2];
            if (tr != null) {
                tr.step(op, arg1, arg2);
            }
            switch (op) {
                case RuleStep.TAKE:
                    if ((arg1 >= 0 && arg1 < maxDevices)
                            || (-1 - arg1 >= 0 && -1 - arg1 < maxBuckets && buckets[-1 - arg1] != null)) {
                        w[0] = arg1;
                        wsize = 1;
                    } else if (tr != null) {
                        tr.note("bad take value " + arg1);
                    }
                    break;
                case RuleStep.SET_CHOOSE_TRIES:
                    if (arg1 > 0) {
                        chooseTries = arg1;
                    }
                    break;
                case RuleStep.SET_CHOOSELEAF_TRIES:
                    if (arg1 > 0) {
                        chooseLeafTries = arg1;
                    }
                    break;
                case RuleStep.SET_CHOOSE_LOCAL_TRIES:
                    if (arg1 >= 0) {
                        localRetries = arg1;
                    }
                    break;
                case RuleStep.SET_CHOOSE_LOCAL_FALLBACK_TRIES:
                    if (arg1 >= 0) {
                        localFallbackRetries = arg1;
                    }
                    break;
                case RuleStep.SET_CHOOSELEAF_VARY_R:
                    if (arg1 >= 0) {
                        varyR = arg1;
                    }
                    break;
                case RuleStep.SET_CHOOSELEAF_STABLE:
                    if (arg1 >= 0) {
                        stable = arg1;
                    }
                    break;
                case RuleStep.CHOOSE_FIRSTN:
                case RuleStep.CHOOSELEAF_FIRSTN:
                case RuleStep.CHOOSE_INDEP:
                case RuleStep.CHOOSELEAF_INDEP: {
                    if (wsize == 0) {
                        break;
                    }
                    boolean firstn = op == RuleStep.CHOOSE_FIRSTN || op == RuleStep.CHOOSELEAF_FIRSTN;
                    boolean recurseToLeaf = op == RuleStep.CHOOSELEAF_FIRSTN || op == RuleStep.CHOOSELEAF_INDEP;
                    int osize = 0;
                    for (int i = 0; i < wsize; i++) {
                        int numrep = arg1;
                        if (numrep <= 0) {
                            numrep += resultMax;
                            if (numrep <= 0) {
                                continue;
                            }
                        }
                        int bno = -1 - w[i];
                        if (bno < 0 || bno >= maxBuckets) {
                            continue; // w[i] is a device or CRUSH_ITEM_NONE
                        }
                        CrushBucket start = buckets[bno];
                        if (firstn) {
                            int recurseTries;
                            if (chooseLeafTries != 0) {
                                recurseTries = chooseLeafTries;
                            } else if (chooseleafDescendOnce != 0) {
                                recurseTries = 1;
                            } else {
                                recurseTries = chooseTries;
                            }
                            osize += chooseFirstn(call, start, numrep, arg2, o, osize, 0, resultMax - osize,
                                    chooseTries, recurseTries, localRetries, localFallbackRetries, recurseToLeaf,
                                    varyR, stable, c, osize, 0);
                        } else {
                            int outSize = Math.min(numrep, resultMax - osize);
                            chooseIndep(call, start, outSize, numrep, arg2, o, osize, 0, chooseTries,
                                    chooseLeafTries != 0 ? chooseLeafTries : 1, recurseToLeaf, c, osize, 0);
                            osize += outSize;
                        }
                    }
                    if (recurseToLeaf) {
                        System.arraycopy(c, 0, o, 0, osize);
                    }
                    int[] tmp = o;
                    o = w;
                    w = tmp;
                    wsize = osize;
                    if (tr != null) {
                        tr.stepResult(w, wsize);
                    }
                    break;
                }
                case RuleStep.EMIT:
                    for (int i = 0; i < wsize && resultLen < resultMax; i++) {
                        result[resultLen++] = w[i];
                    }
                    wsize = 0;
                    break;
                default:
                    break; // NOOP and unknown ops are skipped, as in mapper.c
            }
        }
        if (tr != null) {
            tr.result(result, resultLen);
        }
        return resultLen;
    }

    /**
     * crush_choose_firstn. The C function writes out[outpos..] with base pointer {@code out}; here
     * {@code out}/{@code outBase} and {@code out2}/{@code out2Base} carry the same pointer arithmetic.
     */
    private int chooseFirstn(Call call, CrushBucket bucket, int numrep, int type, int[] out, int outBase,
            int outpos, int outSize, int tries, int recurseTries, int localRetries, int localFallbackRetries,
            boolean recurseToLeaf, int varyR, int stable, int[] out2, int out2Base, int parentR) {
        MappingTracer tr = call.tracer;
        int count = outSize;
        int item = 0;
        for (int rep = stable != 0 ? 0 : outpos; rep < numrep && count > 0; rep++) {
            int ftotal = 0;
            boolean skipRep = false;
            boolean retryDescent;
            do {
                retryDescent = false;
                CrushBucket in = bucket;
                int flocal = 0;
                boolean retryBucket;
                do {
                    boolean collide = false;
                    boolean reject;
                    retryBucket = false;
                    int r = rep + parentR + ftotal;
                    int itemtype = 0;
                    if (in.items.length == 0) {
                        reject = true;
                        if (tr != null) {
                            tr.reject(in.id, r, -1, "empty bucket");
                        }
                    } else {
                        if (localFallbackRetries > 0 && flocal >= (in.items.length >> 1)
                                && flocal > localFallbackRetries) {
                            item = permChoose(in, call.x, r, call.perm);
                            if (tr != null) {
                                tr.chose(in.id, r, item, "perm (local fallback)");
                            }
                        } else {
                            item = bucketChoose(call, in, r, outpos);
                        }
                        if (item >= maxDevices) {
                            skipRep = true;
                            if (tr != null) {
                                tr.reject(in.id, r, item, "bad item >= max_devices");
                            }
                            break;
                        }
                        itemtype = item < 0 ? buckets[-1 - item].type : 0;
                        if (itemtype != type) {
                            if (item >= 0 || -1 - item >= maxBuckets) {
                                skipRep = true;
                                if (tr != null) {
                                    tr.reject(in.id, r, item, "bad item type");
                                }
                                break;
                            }
                            in = buckets[-1 - item];
                            retryBucket = true;
                            if (tr != null) {
                                tr.descend(item, r);
                            }
                            continue;
                        }
                        for (int i = 0; i < outpos; i++) {
                            if (out[outBase + i] == item) {
                                collide = true;
                                break;
                            }
                        }
                        reject = false;
                        if (!collide && recurseToLeaf) {
                            if (item < 0) {
                                int subR = varyR != 0 ? r >> (varyR - 1) : 0;
                                if (tr != null) {
                                    tr.leafSearch(item, subR);
                                }
                                if (chooseFirstn(call, buckets[-1 - item], stable != 0 ? 1 : outpos + 1, 0, out2,
                                        out2Base, outpos, count, recurseTries, 0, localRetries, localFallbackRetries,
                                        false, varyR, stable, null, 0, subR) <= outpos) {
                                    reject = true; // no leaf under it
                                }
                            } else {
                                out2[out2Base + outpos] = item;
                            }
                        }
                        if (!reject && !collide && itemtype == 0) {
                            reject = isOut(call.weights, item, call.x);
                            if (reject && tr != null) {
                                tr.reject(in.id, r, item, "out (weight " + weightHex(call.weights, item) + ")");
                            }
                        } else if (tr != null && collide) {
                            tr.reject(in.id, r, item, "collision with an earlier choice");
                        } else if (tr != null && reject) {
                            tr.reject(in.id, r, item, "no leaf found beneath");
                        }
                    }
                    if (reject || collide) {
                        ftotal++;
                        flocal++;
                        if (collide && flocal <= localRetries) {
                            retryBucket = true;
                        } else if (localFallbackRetries > 0 && flocal <= in.items.length + localFallbackRetries) {
                            retryBucket = true;
                        } else if (ftotal < tries) {
                            retryDescent = true;
                        } else {
                            skipRep = true;
                        }
                        if (tr != null) {
                            tr.retry(ftotal, flocal, retryBucket, retryDescent, skipRep);
                        }
                    }
                } while (retryBucket);
            } while (retryDescent);
            if (skipRep) {
                continue;
            }
            out[outBase + outpos] = item;
            outpos++;
            count--;
            if (tr != null) {
                tr.accept(item, outpos - 1);
            }
        }
        return outpos;
    }

    /** crush_choose_indep: fills out[outpos..outpos+left) position by position (erasure-code style). */
    private void chooseIndep(Call call, CrushBucket bucket, int left, int numrep, int type, int[] out, int outBase,
            int outpos, int tries, int recurseTries, boolean recurseToLeaf, int[] out2, int out2Base, int parentR) {
        MappingTracer tr = call.tracer;
        int endpos = outpos + left;
        for (int rep = outpos; rep < endpos; rep++) {
            out[outBase + rep] = ITEM_UNDEF;
            if (out2 != null) {
                out2[out2Base + rep] = ITEM_UNDEF;
            }
        }
        for (int ftotal = 0; left > 0 && ftotal < tries; ftotal++) {
            for (int rep = outpos; rep < endpos; rep++) {
                if (out[outBase + rep] != ITEM_UNDEF) {
                    continue;
                }
                CrushBucket in = bucket;
                for (;;) {
                    int r = rep + parentR;
                    if (in.alg == CrushBucket.ALG_UNIFORM && in.items.length % numrep == 0) {
                        r += (numrep + 1) * ftotal;
                    } else {
                        r += numrep * ftotal;
                    }
                    if (in.items.length == 0) {
                        if (tr != null) {
                            tr.reject(in.id, r, -1, "empty bucket");
                        }
                        break;
                    }
                    int item = bucketChoose(call, in, r, outpos);
                    if (item >= maxDevices) {
                        out[outBase + rep] = ITEM_NONE;
                        if (out2 != null) {
                            out2[out2Base + rep] = ITEM_NONE;
                        }
                        left--;
                        if (tr != null) {
                            tr.reject(in.id, r, item, "bad item >= max_devices");
                        }
                        break;
                    }
                    int itemtype = item < 0 ? buckets[-1 - item].type : 0;
                    if (itemtype != type) {
                        if (item >= 0 || -1 - item >= maxBuckets) {
                            out[outBase + rep] = ITEM_NONE;
                            if (out2 != null) {
                                out2[out2Base + rep] = ITEM_NONE;
                            }
                            left--;
                            if (tr != null) {
                                tr.reject(in.id, r, item, "bad item type");
                            }
                            break;
                        }
                        in = buckets[-1 - item];
                        if (tr != null) {
                            tr.descend(item, r);
                        }
                        continue;
                    }
                    boolean collide = false;
                    for (int i = outpos; i < endpos; i++) {
                        if (out[outBase + i] == item) {
                            collide = true;
                            break;
                        }
                    }
                    if (collide) {
                        if (tr != null) {
                            tr.reject(in.id, r, item, "collision with an earlier choice");
                        }
                        break;
                    }
                    if (recurseToLeaf) {
                        if (item < 0) {
                            if (tr != null) {
                                tr.leafSearch(item, r);
                            }
                            chooseIndep(call, buckets[-1 - item], 1, numrep, 0, out2, out2Base, rep, recurseTries, 0,
                                    false, null, 0, r);
                            if (out2[out2Base + rep] == ITEM_NONE) {
                                if (tr != null) {
                                    tr.reject(in.id, r, item, "no leaf found beneath");
                                }
                                break;
                            }
                        } else {
                            out2[out2Base + rep] = item;
                        }
                    }
                    if (itemtype == 0 && isOut(call.weights, item, call.x)) {
                        if (tr != null) {
                            tr.reject(in.id, r, item, "out (weight " + weightHex(call.weights, item) + ")");
                        }
                        break;
                    }
                    out[outBase + rep] = item;
                    left--;
                    if (tr != null) {
                        tr.accept(item, rep);
                    }
                    break;
                }
            }
        }
        for (int rep = outpos; rep < endpos; rep++) {
            if (out[outBase + rep] == ITEM_UNDEF) {
                out[outBase + rep] = ITEM_NONE;
            }
            if (out2 != null && out2[out2Base + rep] == ITEM_UNDEF) {
                out2[out2Base + rep] = ITEM_NONE;
            }
        }
    }

    private static String weightHex(int[] weights, int item) {
        return item < weights.length ? "0x" + Integer.toHexString(weights[item]) : "none";
    }

    /** is_out: a device is kept with probability weight/0x10000, decided by a hash of (x, item). */
    private static boolean isOut(int[] weights, int item, int x) {
        if (item >= weights.length) {
            return true;
        }
        int w = weights[item];
        if (Integer.compareUnsigned(w, 0x10000) >= 0) {
            return false;
        }
        if (w == 0) {
            return true;
        }
        return (CrushHash.hash2(x, item) & 0xffff) >= w;
    }

    private int bucketChoose(Call call, CrushBucket in, int r, int position) {
        int item;
        switch (in.alg) {
            case CrushBucket.ALG_UNIFORM:
                item = permChoose(in, call.x, r, call.perm);
                break;
            case CrushBucket.ALG_LIST:
                item = listChoose(in, call.x, r);
                break;
            case CrushBucket.ALG_TREE:
                item = treeChoose(in, call.x, r);
                break;
            case CrushBucket.ALG_STRAW:
                item = strawChoose(in, call.x, r);
                break;
            default:
                item = straw2Choose(call, in, r, position);
                return item; // straw2 traces its own draws
        }
        if (call.tracer != null) {
            call.tracer.chose(in.id, r, item, CrushBucket.algorithmName(in.alg));
        }
        return item;
    }

    /**
     * bucket_perm_choose: item {@code r mod size} of a pseudo-random permutation of the bucket seeded
     * by (x, bucket id). Ceph caches the partial permutation per x; recomputing it gives the same result.
     */
    static int permChoose(CrushBucket in, int x, int r, int[] perm) {
        int size = in.items.length;
        int pr = Integer.remainderUnsigned(r, size);
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        for (int p = 0; p <= pr; p++) {
            if (p < size - 1) {
                int i = Integer.remainderUnsigned(CrushHash.hash3(x, in.id, p), size - p);
                if (i != 0) {
                    int t = perm[p + i];
                    perm[p + i] = perm[p];
                    perm[p] = t;
                }
            }
        }
        return in.items[perm[pr]];
    }

    /** bucket_list_choose: walk from the tail, keep item i with probability w_i / sum_i. */
    static int listChoose(CrushBucket in, int x, int r) {
        for (int i = in.items.length - 1; i >= 0; i--) {
            long w = CrushHash.hash4(x, in.items[i], r, in.id) & 0xffffL;
            w = (w * Integer.toUnsignedLong(in.sumWeights[i])) >>> 16;
            if (w < Integer.toUnsignedLong(in.itemWeights[i])) {
                return in.items[i];
            }
        }
        return in.items[0];
    }

    /** bucket_tree_choose: descend the implicit binary tree (node n's children are n -+ 2^(h-1)). */
    static int treeChoose(CrushBucket in, int x, int r) {
        int[] nw = in.nodeWeights;
        int n = nw.length >> 1;
        while ((n & 1) == 0) {
            long w = Integer.toUnsignedLong(nw[n]);
            long t = (Integer.toUnsignedLong(CrushHash.hash4(x, n, r, in.id)) * w) >>> 32;
            int h = Integer.numberOfTrailingZeros(n);
            int l = n - (1 << (h - 1));
            if (t < Integer.toUnsignedLong(nw[l])) {
                n = l;
            } else {
                n = n + (1 << (h - 1));
            }
        }
        int leaf = n >> 1;
        if (leaf >= in.items.length) {
            // A tree bucket whose size is not a power of two has leaf slots past its last item. The
            // descent only reaches one when the bucket weighs 0: t = 0 is never below a zero left
            // weight, so it goes right at every level and ends on the last slot, items[2^k - 1]
            // with 2^k >= size. mapper.c's bucket_tree_choose reads that slot anyway, past the end
            // of the items array (undefined behaviour). In crushtool and the daemons the array
            // comes from calloc(size * 4) in CrushWrapper::decode_crush_bucket, and the word read
            // is zero when it lies in the chunk's calloc-cleared padding or in the high half of
            // the next chunk's size field (e.g. sizes 3, 5-7, 11-15, 27-31; measured with
            // crushtool 16.2.15): it maps to device 0. For other sizes (9, 10, 17-26, ...) it
            // lands in a neighbouring allocation: crushtool then returned ids of other devices or
            // looped forever. We always return 0, the value of the cases that are well-defined
            // in practice, and never read out of bounds.
            return 0;
        }
        return in.items[leaf];
    }

    /** bucket_straw_choose: the longest straw, (hash & 0xffff) * straw_i; first wins ties. */
    static int strawChoose(CrushBucket in, int x, int r) {
        int high = 0;
        long highDraw = 0;
        for (int i = 0; i < in.items.length; i++) {
            long draw = (CrushHash.hash3(x, in.items[i], r) & 0xffffL) * Integer.toUnsignedLong(in.straws[i]);
            if (i == 0 || draw > highDraw) {
                high = i;
                highDraw = draw;
            }
        }
        return in.items[high];
    }

    /**
     * bucket_straw2_choose: each item draws ln(u)/w with u = hash(x, id, r) & 0xffff (an exponential
     * variate scaled by weight); the highest draw wins, the first on ties. choose_args may replace
     * the weights (per position) and the ids hashed.
     */
    private int straw2Choose(Call call, CrushBucket in, int r, int position) {
        int[] weights = in.itemWeights;
        int[] ids = in.items;
        ResolvedArgs args = call.args;
        int index = -1 - in.id;
        if (args != null) {
            int[][] sets = args.weightSets[index];
            if (sets != null) {
                weights = sets[Math.min(position, sets.length - 1)];
            }
            if (args.ids[index] != null) {
                ids = args.ids[index];
            }
        }
        MappingTracer tr = call.tracer;
        int high = 0;
        long highDraw = 0;
        for (int i = 0; i < in.items.length; i++) {
            long draw;
            int w = weights[i];
            if (w != 0) {
                int u = CrushHash.hash3(call.x, ids[i], r) & 0xffff;
                long ln = CrushLn.ln(u) - 0x1000000000000L;
                draw = ln / w; // w is a C int: a u32 weight >= 2^31 divides as a negative number
                if (tr != null) {
                    tr.straw2Draw(in.id, r, in.items[i], ids[i], u, ln, w, draw);
                }
            } else {
                draw = Long.MIN_VALUE;
                if (tr != null) {
                    tr.straw2Draw(in.id, r, in.items[i], ids[i], -1, 0, 0, draw);
                }
            }
            if (i == 0 || draw > highDraw) {
                high = i;
                highDraw = draw;
            }
        }
        if (tr != null) {
            tr.chose(in.id, r, in.items[high], "straw2");
        }
        return in.items[high];
    }
}
