package org.jceph.crush;

/** One rule step (crush.h {@code struct crush_rule_step}): op, arg1, arg2. */
public record RuleStep(int op, int arg1, int arg2) {
    public static final int NOOP = 0;
    public static final int TAKE = 1;
    public static final int CHOOSE_FIRSTN = 2;
    public static final int CHOOSE_INDEP = 3;
    public static final int EMIT = 4;
    public static final int CHOOSELEAF_FIRSTN = 6;
    public static final int CHOOSELEAF_INDEP = 7;
    public static final int SET_CHOOSE_TRIES = 8;
    public static final int SET_CHOOSELEAF_TRIES = 9;
    public static final int SET_CHOOSE_LOCAL_TRIES = 10;
    public static final int SET_CHOOSE_LOCAL_FALLBACK_TRIES = 11;
    public static final int SET_CHOOSELEAF_VARY_R = 12;
    public static final int SET_CHOOSELEAF_STABLE = 13;
    /** Squid and later (crush.h): the MSR tunables a rule may set first, then "step choosemsr N type T". */
    public static final int SET_MSR_DESCENTS = 14;
    public static final int SET_MSR_COLLISION_TRIES = 15;
    public static final int CHOOSE_MSR = 16;
}
