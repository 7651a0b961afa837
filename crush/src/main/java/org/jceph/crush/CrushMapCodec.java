package org.jceph.crush;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;

/**
 * CrushWrapper::encode / decode (Ceph src/crush/CrushWrapper.cc). The layout, in wire order:
 *
 * <pre>
 * u32 magic (0x00010000) | s32 max_buckets | u32 max_rules | s32 max_devices
 * max_buckets x bucket:  u32 alg (0 = empty slot)
 *                        s32 id | u16 type | u8 alg | u8 hash | u32 weight | u32 size | s32 items[size]
 *                        UNIFORM u32 item_weight
 *                        LIST    (u32 item_weight, u32 sum_weight) x size
 *                        TREE    u8 num_nodes, u32 node_weights[num_nodes]
 *                        STRAW   (u32 item_weight, u32 straw) x size
 *                        STRAW2  u32 item_weights[size]
 * max_rules x rule:      u32 present | u32 len | u8 ruleset, u8 type, u8 min_size, u8 max_size
 *                        | (u32 op, s32 arg1, s32 arg2) x len
 * map&lt;s32,string&gt; type_map, name_map, rule_name_map   (a zero string length means the key was
 *                                                     64-bit: read the length again)
 * each optional, present only while bytes remain (Section order):
 *   u32 choose_local_tries, choose_local_fallback_tries, choose_total_tries
 *   u32 chooseleaf_descend_once | u8 chooseleaf_vary_r | u8 straw_calc_version
 *   u32 allowed_bucket_algs | u8 chooseleaf_stable
 *   map&lt;s32,s32&gt; class_map, map&lt;s32,string&gt; class_name, map&lt;s32,map&lt;s32,s32&gt;&gt; class_bucket
 *   u32 n x { s64 key; u32 m x { u32 bucket_index; u32 positions x (u32 n, u32 w[n]); u32 k, s32 ids[k] } }
 *   u32 msr_descents, u32 msr_collision_tries                               (Squid)
 * </pre>
 */
final class CrushMapCodec {
    private CrushMapCodec() {
    }

    static CrushMap decode(CephDecoder d, boolean requireEnd) {
        d.push("crush_map");
        long magic = d.readU32Le();
        if (magic != CrushMap.MAGIC) {
            throw new DecodeException(d.path(), d.offset() - 4, "bad magic 0x" + Long.toHexString(magic));
        }
        int maxBuckets = d.readS32Le();
        long maxRulesU = d.readU32Le();
        int maxDevices = d.readS32Le();
        if (maxBuckets < 0 || maxBuckets > d.remaining() / 4) {
            throw d.error("max_buckets " + maxBuckets + " cannot fit in the bytes that remain");
        }
        if (maxRulesU > d.remaining() / 4) {
            throw d.error("max_rules " + maxRulesU + " cannot fit in the bytes that remain");
        }
        List<CrushBucket> buckets = new ArrayList<>(maxBuckets);
        for (int i = 0; i < maxBuckets; i++) {
            buckets.add(decodeBucket(d, i));
        }
        int maxRules = (int) maxRulesU;
        List<CrushRule> rules = new ArrayList<>(maxRules);
        for (int i = 0; i < maxRules; i++) {
            rules.add(decodeRule(d, i));
        }
        List<Set<Integer>> wide = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
        SortedMap<Integer, String> typeNames = decodeNameMap(d, "type_map", wide.get(0));
        SortedMap<Integer, String> itemNames = decodeNameMap(d, "name_map", wide.get(1));
        SortedMap<Integer, String> ruleNames = decodeNameMap(d, "rule_name_map", wide.get(2));

        Tunables legacy = Tunables.argonaut();
        int localTries = legacy.chooseLocalTries();
        int fallbackTries = legacy.chooseLocalFallbackTries();
        int totalTries = legacy.chooseTotalTries();
        int descendOnce = legacy.chooseleafDescendOnce();
        int varyR = legacy.chooseleafVaryR();
        int strawCalc = 0;
        int allowedAlgs = legacy.allowedBucketAlgs();
        int stable = legacy.chooseleafStable();
        SortedMap<Integer, Integer> classMap = new TreeMap<>();
        SortedMap<Integer, String> className = new TreeMap<>();
        SortedMap<Integer, SortedMap<Integer, Integer>> classBucket = new TreeMap<>();
        SortedMap<Long, SortedMap<Integer, ChooseArg>> chooseArgs = new TreeMap<>();
        long msrDescents = 100; // CrushWrapper's defaults when the Squid fields are absent
        long msrCollisionTries = 100;
        int sections = 0;
        if (d.hasRemaining()) {
            localTries = (int) d.readU32Le();
            fallbackTries = (int) d.readU32Le();
            totalTries = (int) d.readU32Le();
            sections++;
        }
        if (d.hasRemaining()) {
            descendOnce = (int) d.readU32Le();
            sections++;
        }
        if (d.hasRemaining()) {
            varyR = d.readU8();
            sections++;
        }
        if (d.hasRemaining()) {
            strawCalc = d.readU8();
            sections++;
        }
        if (d.hasRemaining()) {
            allowedAlgs = (int) d.readU32Le();
            sections++;
        }
        if (d.hasRemaining()) {
            stable = d.readU8();
            sections++;
        }
        if (d.hasRemaining()) {
            d.push("device_classes");
            int n = d.readCountLe("class_map", 8);
            for (int i = 0; i < n; i++) {
                classMap.put(d.readS32Le(), d.readS32Le());
            }
            n = d.readCountLe("class_name", 8);
            for (int i = 0; i < n; i++) {
                className.put(d.readS32Le(), d.readString());
            }
            n = d.readCountLe("class_bucket", 8);
            for (int i = 0; i < n; i++) {
                int bucket = d.readS32Le();
                int m = d.readCountLe("class_bucket entry", 8);
                SortedMap<Integer, Integer> inner = new TreeMap<>();
                for (int j = 0; j < m; j++) {
                    inner.put(d.readS32Le(), d.readS32Le());
                }
                classBucket.put(bucket, inner);
            }
            d.pop();
            sections++;
        }
        if (d.hasRemaining()) {
            d.push("choose_args");
            int n = d.readCountLe("choose_args", 12);
            for (int i = 0; i < n; i++) {
                long key = d.readS64Le();
                int m = d.readCountLe("choose_arg_map", 12);
                SortedMap<Integer, ChooseArg> args = new TreeMap<>();
                for (int j = 0; j < m; j++) {
                    long bucketIndex = d.readU32Le();
                    if (bucketIndex >= maxBuckets) {
                        throw new DecodeException(d.path(), d.offset() - 4,
                                "choose_args bucket index " + bucketIndex + " >= max_buckets " + maxBuckets);
                    }
                    int positions = d.readCountLe("weight_set positions", 4);
                    int[][] sets = new int[positions][];
                    for (int p = 0; p < positions; p++) {
                        int size = d.readCountLe("weight_set", 4);
                        sets[p] = new int[size];
                        for (int w = 0; w < size; w++) {
                            sets[p][w] = (int) d.readU32Le();
                        }
                    }
                    int idsSize = d.readCountLe("ids", 4);
                    CrushBucket b = buckets.get((int) bucketIndex);
                    if (idsSize != 0 && (b == null || b.size() != idsSize)) {
                        throw d.error("choose_args ids for bucket index " + bucketIndex + " has " + idsSize
                                + " entries, the bucket has " + (b == null ? "no" : b.size() + ""));
                    }
                    int[] ids = new int[idsSize];
                    for (int k = 0; k < idsSize; k++) {
                        ids[k] = d.readS32Le();
                    }
                    if (args.put((int) bucketIndex, new ChooseArg(sets, ids)) != null) {
                        throw d.error("choose_args lists bucket index " + bucketIndex + " twice");
                    }
                }
                chooseArgs.put(key, normalizeChooseArgs(args, buckets));
            }
            d.pop();
            sections++;
        }
        if (d.hasRemaining()) {
            msrDescents = d.readU32Le();
            msrCollisionTries = d.readU32Le();
            sections++;
        }
        if (requireEnd && d.hasRemaining()) {
            throw d.error(d.remaining() + " unexpected trailing bytes after the last known CRUSH section");
        }
        d.pop();
        Tunables t = new Tunables(localTries, fallbackTries, totalTries, descendOnce, varyR, strawCalc, allowedAlgs,
                stable);
        return new CrushMap(maxDevices, buckets, rules, typeNames, itemNames, ruleNames, t, classMap, className,
                classBucket, chooseArgs, msrDescents, msrCollisionTries, sections, wide);
    }

    private static CrushBucket decodeBucket(CephDecoder d, int index) {
        long algSlot = d.readU32Le();
        if (algSlot == 0) {
            return null;
        }
        d.push("bucket[" + index + "]");
        int id = d.readS32Le();
        int type = d.readU16Le();
        int alg = d.readU8();
        int hash = d.readU8();
        int weight = (int) d.readU32Le();
        int size = d.readCountLe("items", 4);
        if (id != -1 - index) {
            throw d.error("bucket id " + id + " in slot " + index + " (expected " + (-1 - index) + ")");
        }
        if (alg != algSlot) {
            throw d.error("bucket alg " + alg + " differs from its slot marker " + algSlot);
        }
        int[] items = new int[size];
        for (int i = 0; i < size; i++) {
            items[i] = d.readS32Le();
        }
        CrushBucket b;
        switch (alg) {
            case CrushBucket.ALG_UNIFORM:
                b = CrushBucket.uniform(id, type, hash, weight, items, (int) d.readU32Le());
                break;
            case CrushBucket.ALG_LIST: {
                int[] iw = new int[size];
                int[] sw = new int[size];
                for (int i = 0; i < size; i++) {
                    iw[i] = (int) d.readU32Le();
                    sw[i] = (int) d.readU32Le();
                }
                b = CrushBucket.list(id, type, hash, weight, items, iw, sw);
                break;
            }
            case CrushBucket.ALG_TREE: {
                int n = d.readU8();
                int[] nw = new int[n];
                for (int i = 0; i < n; i++) {
                    nw[i] = (int) d.readU32Le();
                }
                b = CrushBucket.tree(id, type, hash, weight, items, nw);
                break;
            }
            case CrushBucket.ALG_STRAW: {
                int[] iw = new int[size];
                int[] st = new int[size];
                for (int i = 0; i < size; i++) {
                    iw[i] = (int) d.readU32Le();
                    st[i] = (int) d.readU32Le();
                }
                b = CrushBucket.straw(id, type, hash, weight, items, iw, st);
                break;
            }
            case CrushBucket.ALG_STRAW2: {
                int[] iw = new int[size];
                for (int i = 0; i < size; i++) {
                    iw[i] = (int) d.readU32Le();
                }
                b = CrushBucket.straw2(id, type, hash, weight, items, iw);
                break;
            }
            default:
                throw d.error("unknown bucket algorithm " + alg);
        }
        d.pop();
        return b;
    }

    private static CrushRule decodeRule(CephDecoder d, int index) {
        long present = d.readU32Le();
        if (present == 0) {
            return null;
        }
        d.push("rule[" + index + "]");
        int len = d.readCountLe("steps", 12);
        int ruleset = d.readU8();
        int type = d.readU8();
        int minSize = d.readU8();
        int maxSize = d.readU8();
        List<RuleStep> steps = new ArrayList<>(len);
        for (int i = 0; i < len; i++) {
            steps.add(new RuleStep((int) d.readU32Le(), d.readS32Le(), d.readS32Le()));
        }
        d.pop();
        return new CrushRule(ruleset, type, minSize, maxSize, steps);
    }

    private static SortedMap<Integer, String> decodeNameMap(CephDecoder d, String what, Set<Integer> wideKeys) {
        d.push(what);
        int n = d.readCountLe(what, 8);
        SortedMap<Integer, String> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int key = d.readS32Le();
            int len = d.readLengthLe("name");
            if (len == 0) {
                // pre-0.50 encoders wrote the key as 64 bits; the 4 bytes read as a length were its top half
                len = d.readLengthLe("name");
                wideKeys.add(key);
            }
            m.put(key, new String(d.readBytes(len), java.nio.charset.StandardCharsets.UTF_8));
        }
        d.pop();
        return m;
    }

    // ---- encode ------------------------------------------------------------------------------

    static void encode(CrushMap m, CephEncoder e) {
        e.writeU32Le(CrushMap.MAGIC);
        e.writeS32Le(m.maxBuckets);
        e.writeU32Le(m.maxRules);
        e.writeS32Le(m.maxDevices);
        for (CrushBucket b : m.buckets) {
            if (b == null) {
                e.writeU32Le(0);
                continue;
            }
            e.writeU32Le(b.alg);
            e.writeS32Le(b.id);
            e.writeU16Le(b.type);
            e.writeU8(b.alg);
            e.writeU8(b.hash);
            e.writeU32Le(Integer.toUnsignedLong(b.weight));
            e.writeU32Le(b.items.length);
            for (int item : b.items) {
                e.writeS32Le(item);
            }
            switch (b.alg) {
                case CrushBucket.ALG_UNIFORM:
                    e.writeS32Le(b.uniformItemWeight);
                    break;
                case CrushBucket.ALG_LIST:
                    for (int i = 0; i < b.items.length; i++) {
                        e.writeS32Le(b.itemWeights[i]).writeS32Le(b.sumWeights[i]);
                    }
                    break;
                case CrushBucket.ALG_TREE:
                    e.writeU8(b.nodeWeights.length);
                    for (int w : b.nodeWeights) {
                        e.writeS32Le(w);
                    }
                    break;
                case CrushBucket.ALG_STRAW:
                    for (int i = 0; i < b.items.length; i++) {
                        e.writeS32Le(b.itemWeights[i]).writeS32Le(b.straws[i]);
                    }
                    break;
                case CrushBucket.ALG_STRAW2:
                    for (int w : b.itemWeights) {
                        e.writeS32Le(w);
                    }
                    break;
                default:
                    throw new IllegalStateException("bucket alg " + b.alg);
            }
        }
        for (CrushRule r : m.rules) {
            if (r == null) {
                e.writeU32Le(0);
                continue;
            }
            e.writeU32Le(1);
            e.writeU32Le(r.steps().size());
            e.writeU8(r.ruleset()).writeU8(r.type()).writeU8(r.minSize()).writeU8(r.maxSize());
            for (RuleStep s : r.steps()) {
                e.writeS32Le(s.op()).writeS32Le(s.arg1()).writeS32Le(s.arg2());
            }
        }
        encodeNameMap(e, m.typeNames, m.wideNameKeys.get(0));
        encodeNameMap(e, m.itemNames, m.wideNameKeys.get(1));
        encodeNameMap(e, m.ruleNames, m.wideNameKeys.get(2));
        Tunables t = m.tunables;
        int s = m.encodedSections;
        if (s > 0) {
            e.writeS32Le(t.chooseLocalTries()).writeS32Le(t.chooseLocalFallbackTries()).writeS32Le(t.chooseTotalTries());
        }
        if (s > 1) {
            e.writeS32Le(t.chooseleafDescendOnce());
        }
        if (s > 2) {
            e.writeU8(t.chooseleafVaryR());
        }
        if (s > 3) {
            e.writeU8(t.strawCalcVersion());
        }
        if (s > 4) {
            e.writeS32Le(t.allowedBucketAlgs());
        }
        if (s > 5) {
            e.writeU8(t.chooseleafStable());
        }
        if (s > 6) {
            e.writeU32Le(m.classMap.size());
            m.classMap.forEach((k, v) -> e.writeS32Le(k).writeS32Le(v));
            e.writeU32Le(m.className.size());
            m.className.forEach((k, v) -> e.writeS32Le(k).writeString(v));
            e.writeU32Le(m.classBucket.size());
            m.classBucket.forEach((k, v) -> {
                e.writeS32Le(k).writeU32Le(v.size());
                v.forEach((c, b) -> e.writeS32Le(c).writeS32Le(b));
            });
        }
        if (s > 7) {
            e.writeU32Le(m.chooseArgs.size());
            m.chooseArgs.forEach((key, args) -> {
                e.writeS64Le(key);
                e.writeU32Le(args.size());
                args.forEach((index, arg) -> {
                    e.writeU32Le(index);
                    int[][] sets = arg.rawWeightSets();
                    e.writeU32Le(sets.length);
                    for (int[] set : sets) {
                        e.writeU32Le(set.length);
                        for (int w : set) {
                            e.writeS32Le(w);
                        }
                    }
                    int[] ids = arg.rawIds();
                    e.writeU32Le(ids.length);
                    for (int id : ids) {
                        e.writeS32Le(id);
                    }
                });
            });
        }
        if (s > 8) {
            e.writeU32Le(m.msrDescents).writeU32Le(m.msrCollisionTries);
        }
    }

    private static void encodeNameMap(CephEncoder e, SortedMap<Integer, String> names, Set<Integer> wideKeys) {
        e.writeU32Le(names.size());
        names.forEach((k, v) -> {
            if (wideKeys.contains(k)) {
                e.writeS64Le(k);
            } else {
                e.writeS32Le(k);
            }
            e.writeString(v);
        });
    }

    /**
     * What CrushWrapper::decode does to each choose_args map before anyone sees it
     * (update_choose_args, "in case we decode a legacy corrupted map"): entries for missing or
     * non-straw2 buckets are dropped (crushtool -c keeps them, its -d never prints them); weight sets
     * of a straw2 bucket whose position count matches the map's (the first entry that has positions,
     * else 1) are resized to the bucket's size, truncated or padded with zero weights; entries with
     * another position count are left alone.
     */
    static SortedMap<Integer, ChooseArg> normalizeChooseArgs(SortedMap<Integer, ChooseArg> args,
            List<CrushBucket> buckets) {
        int positions = 1;
        for (ChooseArg a : args.values()) {
            if (a.positions() != 0) {
                positions = a.positions();
                break;
            }
        }
        SortedMap<Integer, ChooseArg> out = new TreeMap<>();
        for (var e : args.entrySet()) {
            int index = e.getKey();
            CrushBucket b = index < buckets.size() ? buckets.get(index) : null;
            ChooseArg a = e.getValue();
            if (b == null || b.algorithm() != CrushBucket.ALG_STRAW2) {
                continue;
            }
            int[][] sets = a.rawWeightSets();
            if (sets.length == positions) {
                boolean resized = false;
                int[][] fixed = new int[sets.length][];
                for (int p = 0; p < sets.length; p++) {
                    fixed[p] = sets[p].length == b.size() ? sets[p] : java.util.Arrays.copyOf(sets[p], b.size());
                    resized |= fixed[p] != sets[p];
                }
                if (resized) {
                    a = new ChooseArg(fixed, a.rawIds());
                }
            }
            out.put(index, a);
        }
        return out;
    }
}
