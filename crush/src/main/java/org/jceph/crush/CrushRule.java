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

    public CrushRule {
        steps = List.copyOf(steps);
    }
}
