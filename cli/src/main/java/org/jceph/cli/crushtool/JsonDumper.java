package org.jceph.cli.crushtool;

import org.jceph.crush.ChooseArg;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushRule;
import org.jceph.crush.RuleStep;
import org.jceph.crush.Tunables;

/** {@code crushtool --dump}: CrushWrapper::dump through a json-pretty formatter. */
final class JsonDumper {
    private final CrushMap map;

    private int release = Decompiler.PACIFIC;

    JsonDumper(CrushMap map, int release) {
        this(map);
        this.release = release;
    }

    JsonDumper(CrushMap map) {
        this.map = map;
    }

    private String itemClass(int id) {
        Integer c = map.classMap().get(id);
        return c == null ? null : map.classNames().get(c);
    }

    String dump() {
        PrettyJson f = new PrettyJson();
        f.openObject("crush_map");
        f.openArray("devices");
        for (int i = 0; i < map.maxDevices(); i++) {
            f.openObject("device").num("id", i).str("name", map.itemNames().getOrDefault(i, "device" + i));
            String c = itemClass(i);
            if (c != null) {
                f.str("class", c);
            }
            f.close();
        }
        f.close();
        f.openArray("types");
        int n = map.typeNames().size();
        for (int i = 0; n > 0; i++) {
            String name = map.typeNames().get(i);
            if (name == null) {
                if (i == 0) {
                    f.openObject("type").num("type_id", 0).str("name", "device").close();
                }
                continue;
            }
            n--;
            f.openObject("type").num("type_id", i).str("name", name).close();
        }
        f.close();
        f.openArray("buckets");
        for (int id = -1; id > -1 - map.maxBuckets(); id--) {
            CrushBucket b = map.bucket(id);
            if (b == null) {
                continue;
            }
            f.openObject("bucket").num("id", id);
            if (map.itemNames().containsKey(id)) {
                f.str("name", map.itemNames().get(id));
            }
            f.num("type_id", b.type());
            if (map.typeNames().containsKey(b.type())) {
                f.str("type_name", map.typeNames().get(b.type()));
            }
            f.num("weight", b.weight()).str("alg", CrushBucket.algorithmName(b.algorithm()))
                    .str("hash", b.hash() == 0 ? "rjenkins1" : "unknown");
            f.openArray("items");
            for (int j = 0; j < b.size(); j++) {
                f.openObject("item").num("id", b.item(j)).num("weight", b.itemWeight(j)).num("pos", j).close();
            }
            f.close().close();
        }
        f.close();
        f.openArray("rules");
        for (int r = 0; r < map.maxRules(); r++) {
            CrushRule rule = map.rule(r);
            if (rule != null) {
                rule(f, r, rule);
            }
        }
        f.close();
        f.openObject("tunables");
        tunables(f);
        f.close();
        f.openObject("choose_args");
        map.chooseArgs().forEach((key, args) -> {
            f.openArray(Long.toString(key));
            args.forEach((index, arg) -> {
                if (arg.positions() == 0 && arg.ids().length == 0) {
                    return;
                }
                f.openObject("choose_args").num("bucket_id", -1 - index);
                if (arg.positions() > 0) {
                    f.openArray("weight_set");
                    for (int p = 0; p < arg.positions(); p++) {
                        f.openArray("weights");
                        for (int w : arg.weightSet(p)) {
                            f.dbl("weight", (float) Integer.toUnsignedLong(w) / (float) 0x10000);
                        }
                        f.close();
                    }
                    f.close();
                }
                if (arg.ids().length > 0) {
                    f.openArray("ids");
                    for (int id : arg.ids()) {
                        f.num("id", id);
                    }
                    f.close();
                }
                f.close();
            });
            f.close();
        });
        f.close();
        f.close();
        return f.text() + "\n\n";
    }

    private void rule(PrettyJson f, int r, CrushRule rule) {
        f.openObject("rule").num("rule_id", r);
        if (map.ruleNames().containsKey(r)) {
            f.str("rule_name", map.ruleNames().get(r));
        }
        if (release < Decompiler.QUINCY) {
            f.num("ruleset", rule.ruleset()).num("type", rule.type()).num("min_size", rule.minSize())
                    .num("max_size", rule.maxSize());
        } else {
            f.num("type", rule.type());
        }
        f.openArray("steps");
        for (RuleStep s : rule.steps()) {
            f.openObject("step");
            switch (s.op()) {
                case RuleStep.NOOP -> f.str("op", "noop");
                case RuleStep.TAKE -> f.str("op", "take").num("item", s.arg1())
                        .str("item_name", map.itemNames().getOrDefault(s.arg1(), ""));
                case RuleStep.EMIT -> f.str("op", "emit");
                case RuleStep.CHOOSE_FIRSTN -> choose(f, "choose_firstn", s);
                case RuleStep.CHOOSE_INDEP -> choose(f, "choose_indep", s);
                case RuleStep.CHOOSELEAF_FIRSTN -> choose(f, "chooseleaf_firstn", s);
                case RuleStep.CHOOSELEAF_INDEP -> choose(f, "chooseleaf_indep", s);
                case RuleStep.SET_CHOOSE_TRIES -> f.str("op", "set_choose_tries").num("num", s.arg1());
                case RuleStep.SET_CHOOSELEAF_TRIES -> f.str("op", "set_chooseleaf_tries").num("num", s.arg1());
                case RuleStep.CHOOSE_MSR -> {
                    if (release >= Decompiler.SQUID) {
                        choose(f, "choosemsr", s);
                    } else {
                        f.num("opcode", s.op()).num("arg1", s.arg1()).num("arg2", s.arg2());
                    }
                }
                case RuleStep.SET_MSR_DESCENTS, RuleStep.SET_MSR_COLLISION_TRIES -> {
                    if (release >= Decompiler.SQUID) {
                        f.str("op", s.op() == RuleStep.SET_MSR_DESCENTS ? "set_msr_descents" : "set_msr_collision_tries")
                                .num("num", s.arg1());
                    } else {
                        f.num("opcode", s.op()).num("arg1", s.arg1()).num("arg2", s.arg2());
                    }
                }
                // Pacific names only these two SET ops; the rest dump raw (CrushWrapper::dump_rule)
                default -> f.num("opcode", s.op()).num("arg1", s.arg1()).num("arg2", s.arg2());
            }
            f.close();
        }
        f.close().close();
    }

    private void choose(PrettyJson f, String op, RuleStep s) {
        f.str("op", op).num("num", s.arg1()).str("type", map.typeNames().getOrDefault(s.arg2(), ""));
    }

    private boolean anyStep(int... ops) {
        for (CrushRule r : map.ruleSlots()) {
            if (r == null) {
                continue;
            }
            for (RuleStep s : r.steps()) {
                for (int op : ops) {
                    if (s.op() == op) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void tunables(PrettyJson f) {
        Tunables t = map.tunables();
        f.num("choose_local_tries", t.chooseLocalTries()).num("choose_local_fallback_tries", t.chooseLocalFallbackTries())
                .num("choose_total_tries", t.chooseTotalTries()).num("chooseleaf_descend_once", t.chooseleafDescendOnce())
                .num("chooseleaf_vary_r", t.chooseleafVaryR()).num("chooseleaf_stable", t.chooseleafStable());
        if (release >= Decompiler.SQUID) {
            f.num("msr_descents", map.msrDescents()).num("msr_collision_tries", map.msrCollisionTries());
        }
        f.num("straw_calc_version", t.strawCalcVersion()).num("allowed_bucket_algs", t.allowedBucketAlgs());
        boolean base = t.chooseLocalTries() == 0 && t.chooseLocalFallbackTries() == 0 && t.chooseTotalTries() == 50
                && t.chooseleafDescendOnce() == 1;
        // Squid+ profiles also require the MSR tunables at their defaults (has_*_tunables)
        boolean msrTunables = release >= Decompiler.SQUID && Decompiler.msrTunablesNondefault(map);
        base &= !msrTunables;
        boolean legacyAlgs = t.allowedBucketAlgs() == Tunables.LEGACY_ALLOWED_BUCKET_ALGS;
        boolean hammerAlgs = t.allowedBucketAlgs() == Tunables.HAMMER_ALLOWED_BUCKET_ALGS;
        boolean argonaut = t.chooseLocalTries() == 2 && t.chooseLocalFallbackTries() == 5 && t.chooseTotalTries() == 19
                && t.chooseleafDescendOnce() == 0 && t.chooseleafVaryR() == 0 && t.chooseleafStable() == 0 && legacyAlgs
                && !msrTunables;
        boolean bobtail = base && t.chooseleafVaryR() == 0 && t.chooseleafStable() == 0 && legacyAlgs;
        boolean firefly = base && t.chooseleafVaryR() == 1 && t.chooseleafStable() == 0 && legacyAlgs;
        boolean hammer = base && t.chooseleafVaryR() == 1 && t.chooseleafStable() == 0 && hammerAlgs;
        boolean jewel = base && t.chooseleafVaryR() == 1 && t.chooseleafStable() == 1 && hammerAlgs;
        String profile = jewel ? "jewel" : hammer ? "hammer" : firefly ? "firefly" : bobtail ? "bobtail"
                : argonaut ? "argonaut" : "unknown";
        f.str("profile", profile).num("optimal_tunables", jewel ? 1 : 0).num("legacy_tunables", argonaut ? 1 : 0);
        boolean nondefault = t.chooseLocalTries() != 2 || t.chooseLocalFallbackTries() != 5 || t.chooseTotalTries() != 19;
        boolean nondefault2 = t.chooseleafDescendOnce() != 0;
        boolean nondefault3 = t.chooseleafVaryR() != 0;
        boolean nondefault5 = t.chooseleafStable() != 0;
        boolean v2 = anyStep(RuleStep.CHOOSE_INDEP, RuleStep.CHOOSELEAF_INDEP, RuleStep.SET_CHOOSE_TRIES,
                RuleStep.SET_CHOOSELEAF_TRIES);
        boolean v3 = anyStep(RuleStep.SET_CHOOSELEAF_VARY_R);
        boolean v5 = anyStep(RuleStep.SET_CHOOSELEAF_STABLE);
        boolean v4 = false;
        for (CrushBucket b : map.bucketSlots()) {
            v4 |= b != null && b.algorithm() == CrushBucket.ALG_STRAW2;
        }
 boolean msr = false;
        for (CrushRule r : map.ruleSlots()) {
            msr |= r != null && r.isMsr();
        }
        String min = msr || msrTunables ? "squid" : v5 || nondefault5 ? "jewel" : v4 ? "hammer" : nondefault3 ? "firefly"
                : nondefault2 || nondefault ? "bobtail" : "argonaut";
        f.str("minimum_required_version", min).num("require_feature_tunables", nondefault ? 1 : 0)
                .num("require_feature_tunables2", nondefault2 ? 1 : 0).num("has_v2_rules", v2 ? 1 : 0)
                .num("require_feature_tunables3", nondefault3 ? 1 : 0).num("has_v3_rules", v3 ? 1 : 0)
                .num("has_v4_buckets", v4 ? 1 : 0).num("require_feature_tunables5", nondefault5 ? 1 : 0)
                .num("has_v5_rules", v5 ? 1 : 0);
        if (release >= Decompiler.SQUID) {
            f.num("has_msr_rules", msr ? 1 : 0);
        }
    }
}
