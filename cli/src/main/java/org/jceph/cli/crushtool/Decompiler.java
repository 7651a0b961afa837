package org.jceph.cli.crushtool;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import org.jceph.crush.ChooseArg;
import org.jceph.crush.CrushBucket;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushRule;
import org.jceph.crush.RuleStep;
import org.jceph.crush.Tunables;

/** {@code crushtool -d}: the text form of a map, as CrushCompiler::decompile writes it (src/crush/CrushCompiler.cc). */
final class Decompiler {
    static final int PACIFIC = 16;
    static final int QUINCY = 17;
    static final int SQUID = 19;
    static final int TENTACLE = 20;
    private static final String[] RELEASES = {"pacific", "quincy", "reef", "squid", "tentacle"};

    private final CrushMap map;
    private final int maxDevices;
    private final int release;

    Decompiler(CrushMap map) {
        this(map, PACIFIC);
    }

    Decompiler(CrushMap map, int release) {
        this.map = map;
        this.maxDevices = map.maxDevices();
        this.release = release;
    }

    /** The ceph_release_t number of a release this tool can print as (pacific .. tentacle). */
    static int releaseNumber(String name) {
        for (int i = 0; i < RELEASES.length; i++) {
            if (RELEASES[i].equalsIgnoreCase(name)) {
                return PACIFIC + i;
            }
        }
        throw new IllegalArgumentException("--release: unknown release " + name + " (pacific .. tentacle)");
    }

    /** Tentacle for a map only Squid or later can have written (MSR rules or tunables), else Pacific. */
    static int defaultRelease(CrushMap map) {
        if (map.encodedSections() > CrushMap.Section.MSR_TUNABLES.ordinal()) {
            return TENTACLE;
        }
        for (CrushRule r : map.ruleSlots()) {
            if (r != null && r.isMsr()) {
                return TENTACLE;
            }
        }
        return PACIFIC;
    }

    /** CrushWrapper::has_nondefault_tunables_msr: msr_descents or msr_collision_tries is not 100. */
    static boolean msrTunablesNondefault(CrushMap map) {
        return map.msrDescents() != 100 || map.msrCollisionTries() != 100;
    }

    /** printf("%.3f", (float) w / 0x10000) with glibc's exact round-half-even. */
    static String fixedpoint(int w) {
        return fixedpoint(w, 3);
    }

    /** printf("%.Nf", (float) w / 0x10000): 3 decimals up to Pacific, 5 from Quincy on. */
    static String fixedpoint(int w, int decimals) {
        return org.jceph.cli.CStdio.fixed((float) w / (float) 0x10000, decimals);
    }

    private String weight(int w) {
        return fixedpoint(w, release >= QUINCY ? 5 : 3);
    }

    private String typeName(int t) {
        String n = map.typeNames().get(t);
        return n != null ? n : t == 0 ? "device" : "type" + t;
    }

    private String itemName(int t) {
        String n = map.itemNames().get(t);
        return n != null ? n : t >= 0 ? "device" + t : "bucket" + (-1 - t);
    }

    /** CrushWrapper::is_valid_crush_name. */
    static boolean validName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    String decompile() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# begin crush map\n");
        Tunables t = map.tunables();
        if (t.chooseLocalTries() != 2) {
            out.append("tunable choose_local_tries ").append(t.chooseLocalTries()).append('\n');
        }
        if (t.chooseLocalFallbackTries() != 5) {
            out.append("tunable choose_local_fallback_tries ").append(t.chooseLocalFallbackTries()).append('\n');
        }
        if (t.chooseTotalTries() != 19) {
            out.append("tunable choose_total_tries ").append(t.chooseTotalTries()).append('\n');
        }
        if (t.chooseleafDescendOnce() != 0) {
            out.append("tunable chooseleaf_descend_once ").append(t.chooseleafDescendOnce()).append('\n');
        }
        if (t.chooseleafVaryR() != 0) {
            out.append("tunable chooseleaf_vary_r ").append(t.chooseleafVaryR()).append('\n');
        }
        if (t.chooseleafStable() != 0) {
            out.append("tunable chooseleaf_stable ").append(t.chooseleafStable()).append('\n');
        }
        if (t.strawCalcVersion() != 0) {
            out.append("tunable straw_calc_version ").append(t.strawCalcVersion()).append('\n');
        }
        if (t.allowedBucketAlgs() != Tunables.LEGACY_ALLOWED_BUCKET_ALGS) {
            out.append("tunable allowed_bucket_algs ").append(Integer.toUnsignedString(t.allowedBucketAlgs())).append('\n');
        }
        if (release >= SQUID && msrTunablesNondefault(map)) {
            // Squid+ CrushCompiler::decompile: both MSR tunables once either differs from 100
            // (CrushWrapper::has_nondefault_tunables_msr), checked against Tentacle's crushtool
            out.append("tunable msr_descents ").append(map.msrDescents()).append('\n');
            out.append("tunable msr_collision_tries ").append(map.msrCollisionTries()).append('\n');
        }
        out.append("\n# devices\n");
        for (int i = 0; i < maxDevices; i++) {
            String name = map.itemNames().get(i);
            if (name != null) {
                out.append("device ").append(i).append(' ').append(name);
                String c = itemClass(i);
                if (c != null) {
                    out.append(" class ").append(c);
                }
                out.append('\n');
            }
        }
        out.append("\n# types\n");
        int n = map.typeNames().size();
        for (int i = 0; n > 0; i++) {
            String name = map.typeNames().get(i);
            if (name == null) {
                if (i == 0) {
                    out.append("type 0 osd\n");
                }
                continue;
            }
            n--;
            out.append("type ").append(i).append(' ').append(name).append('\n');
        }
        out.append("\n# buckets\n");
        Map<Integer, Boolean> done = new HashMap<>();
        for (int b = -1; b > -1 - map.maxBuckets(); b--) {
            bucket(b, done, out);
        }
        out.append("\n# rules\n");
        for (int i = 0; i < map.maxRules(); i++) {
            CrushRule r = map.rule(i);
            if (r == null) {
                continue;
            }
            out.append("rule ");
            if (map.ruleNames().containsKey(i)) {
                out.append(map.ruleNames().get(i));
            }
            out.append(" {\n\tid ").append(i).append('\n');
            if (release < QUINCY && i != r.ruleset()) {
                out.append("\t# WARNING: ruleset ").append(r.ruleset()).append(" != id ").append(i)
                        .append("; this will not recompile to the same map\n");
            }
            switch (r.type()) {
                case CrushRule.TYPE_REPLICATED -> out.append("\ttype replicated\n");
                case CrushRule.TYPE_ERASURE -> out.append("\ttype erasure\n");
                case CrushRule.TYPE_MSR_FIRSTN -> out.append(release >= SQUID ? "\ttype msr_firstn\n" : "\ttype 4\n");
                case CrushRule.TYPE_MSR_INDEP -> out.append(release >= SQUID ? "\ttype msr_indep\n" : "\ttype 5\n");
                default -> out.append("\ttype ").append(r.type()).append('\n');
            }
            if (release < QUINCY) {
                out.append("\tmin_size ").append(r.minSize()).append('\n');
                out.append("\tmax_size ").append(r.maxSize()).append('\n');
            }
            for (RuleStep s : r.steps()) {
                step(s, out);
            }
            out.append("}\n");
        }
        SortedMap<Long, SortedMap<Integer, ChooseArg>> args = map.chooseArgs();
        if (!args.isEmpty()) {
            out.append("\n# choose_args\n");
            args.forEach((key, perBucket) -> {
                out.append("choose_args ").append(Long.toUnsignedString(key)).append(" {\n");
                perBucket.forEach((index, arg) -> {
                    if (arg.positions() == 0 && arg.ids().length == 0) {
                        return;
                    }
                    out.append("  {\n    bucket_id ").append(-1 - index).append('\n');
                    if (arg.positions() > 0) {
                        out.append("    weight_set [\n");
                        for (int p = 0; p < arg.positions(); p++) {
                            out.append("      [ ");
                            for (int w : arg.weightSet(p)) {
                                out.append(weight(w)).append(' ');
                            }
                            out.append("]\n");
                        }
                        out.append("    ]\n");
                    }
                    if (arg.ids().length > 0) {
                        out.append("    ids [ ");
                        for (int id : arg.ids()) {
                            out.append(id).append(' ');
                        }
                        out.append("]\n");
                    }
                    out.append("  }\n");
                });
                out.append("}\n");
            });
        }
        out.append("\n# end crush map\n");
        return out.toString();
    }

    private String itemClass(int device) {
        Integer c = map.classMap().get(device);
        return c == null ? null : map.classNames().get(c);
    }

    private void step(RuleStep s, StringBuilder out) {
        switch (s.op()) {
            case RuleStep.NOOP -> out.append("\tstep noop\n");
            case RuleStep.TAKE -> {
                int item = s.arg1();
                String name = map.itemNames().get(item);
                if (name == null) {
                    throw new IllegalStateException("rule takes item " + item + " which has no name");
                }
                int tilde = name.indexOf('~');
                out.append("\tstep take ");
                if (tilde < 0) {
                    out.append(itemName(item));
                } else {
                    String base = name.substring(0, tilde);
                    String cls = name.substring(tilde + 1);
                    Integer classId = null;
                    for (var e : map.classNames().entrySet()) {
                        if (e.getValue().equals(cls)) {
                            classId = e.getKey();
                        }
                    }
                    if (!map.itemNames().containsValue(base) || classId == null) {
                        throw new IllegalStateException("rule takes shadow item " + name + " with no base or class");
                    }
                    out.append(base).append(" class ").append(cls);
                }
                out.append('\n');
            }
            case RuleStep.EMIT -> out.append("\tstep emit\n");
            case RuleStep.SET_CHOOSE_TRIES -> out.append("\tstep set_choose_tries ").append(s.arg1()).append('\n');
            case RuleStep.SET_CHOOSE_LOCAL_TRIES -> out.append("\tstep set_choose_local_tries ").append(s.arg1()).append('\n');
            case RuleStep.SET_CHOOSE_LOCAL_FALLBACK_TRIES ->
                out.append("\tstep set_choose_local_fallback_tries ").append(s.arg1()).append('\n');
            case RuleStep.SET_CHOOSELEAF_TRIES -> out.append("\tstep set_chooseleaf_tries ").append(s.arg1()).append('\n');
            case RuleStep.SET_CHOOSELEAF_VARY_R -> out.append("\tstep set_chooseleaf_vary_r ").append(s.arg1()).append('\n');
            case RuleStep.SET_CHOOSELEAF_STABLE -> out.append("\tstep set_chooseleaf_stable ").append(s.arg1()).append('\n');
            case RuleStep.CHOOSE_FIRSTN -> choose("choose firstn ", s, out);
            case RuleStep.CHOOSE_INDEP -> choose("choose indep ", s, out);
            case RuleStep.CHOOSELEAF_FIRSTN -> choose("chooseleaf firstn ", s, out);
            case RuleStep.CHOOSELEAF_INDEP -> choose("chooseleaf indep ", s, out);
            case RuleStep.CHOOSE_MSR -> {
                if (release >= SQUID) {
                    choose("choosemsr ", s, out);
                }
            }
            case RuleStep.SET_MSR_DESCENTS -> {
                if (release >= SQUID) {
                    out.append("\tstep set_msr_descents ").append(s.arg1()).append('\n');
                }
            }
            case RuleStep.SET_MSR_COLLISION_TRIES -> {
                if (release >= SQUID) {
                    out.append("\tstep set_msr_collision_tries ").append(s.arg1()).append('\n');
                }
            }
            default -> { }
        }
    }

    private void choose(String what, RuleStep s, StringBuilder out) {
        out.append("\tstep ").append(what).append(s.arg1()).append(" type ").append(typeName(s.arg2())).append('\n');
    }

    /** Children first, each bucket once (CrushCompiler::decompile_bucket's depth-first walk). */
    private void bucket(int id, Map<Integer, Boolean> done, StringBuilder out) {
        CrushBucket b = map.bucket(id);
        if (id == 0 || b == null) {
            return;
        }
        Boolean state = done.get(id);
        if (state != null) {
            if (state) {
                return;
            }
            throw new IllegalStateException("bucket " + id + " contains itself: buckets must form a DAG");
        }
        done.put(id, false);
        for (int i = 0; i < b.size(); i++) {
            int item = b.item(i);
            Boolean s = done.get(item);
            if (s == null) {
                bucket(item, done, out);
            } else if (!s) {
                throw new IllegalStateException("bucket " + id + " contains one of the buckets that contain it");
            }
        }
        bucketText(b, out);
        done.put(id, true);
    }

    private void bucketText(CrushBucket b, StringBuilder out) {
        int id = b.id();
        String name = map.itemNames().get(id);
        if (name != null && !validName(name)) {
            return; // shadow (class) buckets are implied by the "id N class C" lines
        }
        out.append(typeName(b.type())).append(' ').append(itemName(id)).append(" {\n");
        out.append("\tid ").append(id).append("\t\t# do not change unnecessarily\n");
        SortedMap<Integer, Integer> classIds = map.classBuckets().get(id);
        if (classIds != null) {
            classIds.forEach((c, cid) -> out.append("\tid ").append(cid).append(" class ")
                    .append(map.classNames().get(c)).append("\t\t# do not change unnecessarily\n"));
        }
        out.append("\t# weight ").append(weight(b.weight())).append('\n');
        int n = b.size();
        out.append("\talg ").append(CrushBucket.algorithmName(b.algorithm()));
        boolean dopos = false;
        switch (b.algorithm()) {
            case CrushBucket.ALG_UNIFORM -> {
                out.append("\t# do not change bucket size (").append(n).append(") unnecessarily");
                dopos = true;
            }
            case CrushBucket.ALG_LIST -> out.append("\t# add new items at the end; do not change order unnecessarily");
            case CrushBucket.ALG_TREE -> {
                out.append("\t# do not change pos for existing items unnecessarily");
                dopos = true;
            }
            default -> { }
        }
        out.append('\n');
        out.append("\thash ").append(b.hash()).append("\t# ").append(b.hash() == 0 ? "rjenkins1" : "unknown").append('\n');
        for (int j = 0; j < n; j++) {
            out.append("\titem ").append(itemName(b.item(j))).append(" weight ").append(weight(b.itemWeight(j)));
            if (dopos) {
                out.append(" pos ").append(j);
            }
            out.append('\n');
        }
        out.append("}\n");
    }
}
