package org.jceph.crush;

import java.util.List;

/**
 * A rule (crush.h {@code struct crush_rule} with its {@code crush_rule_mask}: ruleset, type, min_size,
 * max_size, each a u8 on the wire).
 */
public record CrushRule(int ruleset, int type, int minSize, int maxSize, List<RuleStep> steps) {
    /** pg_pool_t::TYPE_REPLICATED. */
    public static final int TYPE_REPLICATED = 1;
    /** pg_pool_t::TYPE_ERASURE. */
    public static final int TYPE_ERASURE = 3;
    /** Squid+ (crush.h CRUSH_RULE_TYPE_MSR_FIRSTN): a multi-step-retry rule for replicated pools. */
    public static final int TYPE_MSR_FIRSTN = 4;
    /** Squid+ (CRUSH_RULE_TYPE_MSR_INDEP): a multi-step-retry rule for erasure-coded pools. */
    public static final int TYPE_MSR_INDEP = 5;

    /** An MSR rule: mapped by crush_msr_do_rule instead of crush_do_rule. */
    public boolean isMsr() {
        return type == TYPE_MSR_FIRSTN || type == TYPE_MSR_INDEP;
    }

    public CrushRule {
        steps = List.copyOf(steps);
    }
}
