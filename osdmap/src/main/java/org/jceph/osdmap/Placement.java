package org.jceph.osdmap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jceph.crush.CrushMap;
import org.jceph.crush.CrushMapper;
import org.jceph.crush.CrushRule;
import org.jceph.encoding.types.PgId;

/**
 * The placement pipeline of one OSDMap snapshot (src/osd/OSDMap.cc, Pacific):
 *
 * <pre>
 *  object name/key + namespace --hash_key--&gt; ps --ceph_stable_mod(pg_num)--&gt; pg
 *  pg --raw_pg_to_pps (hashpspool: hash32_2(stable_mod(ps, pgp_num), pool); else + pool)--&gt; pps
 *  pps --CRUSH rule, size, osd weights, choose_args of the pool--&gt; raw
 *  raw --pg_upmap, pg_upmap_items, pg_upmap_primaries--&gt; raw'
 *  raw' --drop down/nonexistent (EC: NONE in place)--&gt; up, up_primary
 *  up --primary affinity (hash32_2(pps, osd) &gt;&gt; 16 vs affinity)--&gt; up, up_primary
 *  pg_temp/primary_temp --&gt; acting, acting_primary (else acting = up)
 * </pre>
 *
 * Thread-safe; built once per snapshot.
 */
public final class Placement {
    public static final int NONE = OsdMap.ITEM_NONE;
    private static final int RELEASE_QUINCY = 17;

    /** up and acting sets with their primaries (-1 when empty); NONE marks an empty EC position. */
    public record Result(PgId pg, List<Integer> up, int upPrimary, List<Integer> acting, int actingPrimary) {
    }

    private final OsdMap map;
    private final CrushMapper mapper;
    private final CrushMap crush;
    private final int[] weights;
    /** Every rule's ruleset equals its id (CrushWrapper::have_uniform_rules): rule = crush_rule. */
    private final boolean uniformRules;

    public Placement(OsdMap map) {
        this.map = map;
        this.crush = CrushMap.decode(map.crushBytes());
        this.mapper = new CrushMapper(crush);
        this.weights = new int[map.maxOsd()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (int) (long) map.osdWeight().get(i);
        }
        boolean uniform = true;
        for (int i = 0; i < crush.ruleSlots().size(); i++) {
            CrushRule r = crush.ruleSlots().get(i);
            if (r != null && r.ruleset() != i) {
                uniform = false;
            }
        }
        this.uniformRules = uniform;
    }

    public OsdMap map() {
        return map;
    }

    public CrushMap crush() {
        return crush;
    }

    // ---- object -> pg --------------------------------------------------------------------------

    /** ceph_stable_mod: x mod b that moves few values when b grows, with bmask = 2^n - 1 &gt;= b - 1. */
    public static long stableMod(long x, long b, long bmask) {
        return (x & bmask) < b ? x & bmask : x & (bmask >> 1);
    }

    /** pg_pool_t::hash_key: namespace, 0x1f, then the key (or name). */
    public static int hashKey(PgPool pool, String key, String namespace) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (namespace == null || namespace.isEmpty()) {
            return StringHash.hash(pool.objectHash(), k);
        }
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[ns.length + 1 + k.length];
        System.arraycopy(ns, 0, buf, 0, ns.length);
        buf[ns.length] = 0x1f;
        System.arraycopy(k, 0, buf, ns.length + 1, k.length);
        return StringHash.hash(pool.objectHash(), buf);
    }

    /** OSDMap::object_locator_to_pg: the raw pg, whose seed is the full 32-bit hash. */
    public PgId objectToRawPg(long poolId, String name, String key, String namespace) {
        PgPool pool = requirePool(poolId);
        String k = key != null && !key.isEmpty() ? key : name;
        return new PgId(poolId, Integer.toUnsignedLong(hashKey(pool, k, namespace)));
    }

    /** pg_pool_t::raw_pg_to_pg: fold the seed into [0, pg_num). */
    public PgId rawPgToPg(PgId raw) {
        PgPool pool = requirePool(raw.pool());
        return new PgId(raw.pool(), stableMod(raw.seed(), pool.pgNum(), pool.pgNumMask()));
    }

    /** pg_pool_t::raw_pg_to_pps: the CRUSH input. */
    public static int rawPgToPps(PgPool pool, PgId pg) {
        int folded = (int) stableMod(pg.seed(), pool.pgpNum(), pool.pgpNumMask());
        if (pool.hasFlag(PgPool.FLAG_HASHPSPOOL)) {
            return CrushMapper.hash2(folded, (int) pg.pool());
        }
        return folded + (int) pg.pool();
    }

    // ---- pg -> osds ----------------------------------------------------------------------------

    /**
     * The CRUSH rule the pool maps through (-1: none fits). Pacific's CrushWrapper::find_rule: the
     * rule with that id, else one whose ruleset, type and size fit. Quincy removed rulesets: from
     * then on crush_rule is the rule id (CrushWrapper::find_rule is gone; Squid's MSR rules have
     * types 4 and 5 that no pool type matches), so maps whose require_osd_release is quincy or
     * later use the id directly.
     */
    public int findRule(PgPool pool) {
        int id = pool.crushRule();
        if (uniformRules || map.requireOsdRelease() >= RELEASE_QUINCY) {
            return mapper.ruleExists(id) ? id : -1;
        }
        for (int i = 0; i < crush.ruleSlots().size(); i++) {
            CrushRule r = crush.ruleSlots().get(i);
            if (r != null && r.ruleset() == id && r.type() == pool.type() && r.minSize() <= pool.size()
                    && pool.size() <= r.maxSize()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * CRUSH's own answer for the pg (before nonexistent OSDs are removed), narrating each decision
     * to {@code tracer}: the step {@link #rawOsds} starts from, for explaining a placement.
     */
    public List<Integer> traceCrush(PgPool pool, PgId pg, org.jceph.crush.MappingTracer tracer) {
        int rule = findRule(pool);
        List<Integer> out = new ArrayList<>();
        if (rule >= 0) {
            int[] r = new int[Math.max(pool.size(), 1)];
            int n = mapper.doRule(rule, rawPgToPps(pool, pg), r, pool.size(), weights, pg.pool(),
                    new CrushMapper.Workspace(), tracer);
            for (int i = 0; i < n; i++) {
                out.add(r[i]);
            }
        }
        return out;
    }

    /** OSDMap::_pg_to_raw_osds: CRUSH's choice with nonexistent OSDs removed (EC: NONE). */
    public List<Integer> rawOsds(PgPool pool, PgId pg) {
        int pps = rawPgToPps(pool, pg);
        int rule = findRule(pool);
        List<Integer> out = new ArrayList<>();
        if (rule >= 0) {
            int[] r = mapper.map(rule, pps, pool.size(), weights, pg.pool());
            for (int osd : r) {
                out.add(osd);
            }
        }
        removeNonexistent(pool, out);
        return out;
    }

    private void removeNonexistent(PgPool pool, List<Integer> osds) {
        if (pool.canShiftOsds()) {
            osds.removeIf(o -> !map.exists(o));
        } else {
            osds.replaceAll(o -> map.exists(o) ? o : NONE);
        }
    }

    /** Weight 0: CRUSH never picks it, upmaps do not target it. */
    public boolean markedOut(int osd) {
        return osd != NONE && osd >= 0 && osd < map.maxOsd() && map.osdWeight().get(osd) == 0;
    }

    /** OSDMap::_apply_upmap. */
    /** OSDMap::_apply_upmap: pg_upmap replaces the raw set, pg_upmap_items swap single OSDs (in place). */
    public void applyUpmap(PgPool pool, PgId rawPg, List<Integer> raw) {
        PgId pg = rawPgToPg(rawPg);
        List<Integer> explicit = map.pgUpmap().get(pg);
        if (explicit != null) {
            boolean rejected = false;
            for (int osd : explicit) {
                if (markedOut(osd)) {
                    rejected = true;
                    break;
                }
            }
            if (rejected) {
                return; // an explicit mapping to an out OSD is ignored entirely
            }
            raw.clear();
            raw.addAll(explicit);
        }
        List<int[]> items = map.pgUpmapItems().get(pg);
        if (items != null) {
            for (int[] item : items) {
                int from = item[0];
                int to = item[1];
                boolean exists = false;
                int pos = -1;
                for (int i = 0; i < raw.size(); i++) {
                    int osd = raw.get(i);
                    if (osd == to) {
                        exists = true;
                        break;
                    }
                    if (osd == from && pos < 0 && !markedOut(to)) {
                        pos = i;
                    }
                }
                if (!exists && pos >= 0) {
                    raw.set(pos, to);
                }
            }
        }
        Integer primary = map.pgUpmapPrimaries().get(pg);
        if (primary != null && primary != NONE && primary >= 0 && primary < map.maxOsd()
                && map.osdWeight().get(primary) != 0) {
            for (int i = 1; i < raw.size(); i++) {
                if (raw.get(i).equals(primary)) {
                    raw.set(i, raw.get(0));
                    raw.set(0, primary);
                    break;
                }
            }
        }
    }

    /** OSDMap::_raw_to_up_osds. */
    public List<Integer> rawToUp(PgPool pool, List<Integer> raw) {
        List<Integer> up = new ArrayList<>(raw.size());
        for (int osd : raw) {
            boolean gone = !map.exists(osd) || map.isDown(osd);
            if (pool.canShiftOsds()) {
                if (!gone) {
                    up.add(osd);
                }
            } else {
                up.add(gone ? NONE : osd);
            }
        }
        return up;
    }

    public static int pickPrimary(List<Integer> osds) {
        for (int osd : osds) {
            if (osd != NONE) {
                return osd;
            }
        }
        return -1;
    }

    /** OSDMap::_apply_primary_affinity: returns the new primary and reorders {@code up} (replicated). */
    public int applyPrimaryAffinity(int pps, PgPool pool, List<Integer> up, int primary) {
        if (map.osdPrimaryAffinity().isEmpty()) {
            return primary;
        }
        boolean any = false;
        for (int osd : up) {
            if (osd != NONE && map.primaryAffinity(osd) != OsdMap.DEFAULT_PRIMARY_AFFINITY) {
                any = true;
                break;
            }
        }
        if (!any) {
            return primary;
        }
        int pos = -1;
        for (int i = 0; i < up.size(); i++) {
            int osd = up.get(i);
            if (osd == NONE) {
                continue;
            }
            long a = map.primaryAffinity(osd);
            long draw = Integer.toUnsignedLong(CrushMapper.hash2(pps, osd)) >>> 16;
            if (a < OsdMap.DEFAULT_PRIMARY_AFFINITY && draw >= a) {
                if (pos < 0) {
                    pos = i; // rejected, but remembered in case nobody else qualifies
                }
            } else {
                pos = i;
                break;
            }
        }
        if (pos < 0) {
            return primary;
        }
        int chosen = up.get(pos);
        if (pool.canShiftOsds() && pos > 0) {
            for (int i = pos; i > 0; i--) {
                up.set(i, up.get(i - 1));
            }
            up.set(0, chosen);
        }
        return chosen;
    }

    /**
     * OSDMap::pg_to_up_acting_osds for a pg (raw or folded). Unknown pool: empty sets. Answers
     * come from this map's cache of mapped PGs when the PG was mapped before (see {@link #memo}).
     */
    public Result pgToUpActing(PgId pgOrRaw) {
        PgPool pool = map.pool(pgOrRaw.pool());
        if (pool == null) {
            return new Result(pgOrRaw, List.of(), -1, List.of(), -1);
        }
        long seed = stableMod(pgOrRaw.seed(), pool.pgNum(), pool.pgNumMask());
        AtomicReferenceArray<Result> slots = slots(pgOrRaw.pool(), pool);
        if (slots == null) {
            return compute(pool, pgOrRaw, new PgId(pgOrRaw.pool(), seed));
        }
        Result known = slots.get((int) seed);
        if (known != null) {
            return known;
        }
        PgId pg = pgOrRaw.seed() == seed && pgOrRaw.preferred() == -1 ? pgOrRaw : new PgId(pgOrRaw.pool(), seed);
        Result r = compute(pool, pgOrRaw, pg);
        // threads racing on one PG compute equal results; whichever lands is as good as the other
        slots.set((int) seed, r);
        return r;
    }

    /** The pool's cache slots, one per pg, made on first use; null when the pool is too large to cache. */
    private AtomicReferenceArray<Result> slots(long poolId, PgPool pool) {
        AtomicReferenceArray<Result> slots = memo.get(poolId);
        if (slots != null) {
            return slots;
        }
        long pgNum = pool.pgNum();
        if (pgNum <= 0 || pgNum > MEMO_MAX_PGS_PER_POOL) {
            return null;
        }
        return memo.computeIfAbsent(poolId, k -> new AtomicReferenceArray<>((int) pgNum));
    }

    /** PGs this map's cache holds (at most the sum of its cached pools' pg_num): for tests. */
    int cachedPgs() {
        int n = 0;
        for (AtomicReferenceArray<Result> slots : memo.values()) {
            for (int i = 0; i < slots.length(); i++) {
                if (slots.get(i) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * As {@link #pgToUpActing(PgId)}, without the cache of mapped PGs: for a caller that maps
     * each PG once (osdmaptool --test-map-pgs), where filling the cache only costs time and memory.
     *
     * @param pgOrRaw the PG, raw or folded
     * @return its up and acting sets and primaries
     */
    public Result pgToUpActingOnce(PgId pgOrRaw) {
        PgPool pool = map.pool(pgOrRaw.pool());
        if (pool == null) {
            return new Result(pgOrRaw, List.of(), -1, List.of(), -1);
        }
        return compute(pool, pgOrRaw, rawPgToPg(pgOrRaw));
    }

    /**
     * PGs already mapped with this map: per pool, a slot per folded pg seed (0 .. pg_num - 1),
     * filled lazily. Every raw pg (an object's full hash) that folds to the same pg maps alike
     * (placement seeds are folded by pgp_num, temps and upmaps are keyed by the folded pg), so
     * an Objecter sending many ops to one PG runs CRUSH once per map. The cache is part of this
     * Placement, which is built for one immutable OsdMap and replaced with it: a newer map gets a
     * new, empty cache, and an op still calculating with the old map uses the old map's answers
     * consistently. Bounded by the pools' pg_num; a pool with more than
     * {@link #MEMO_MAX_PGS_PER_POOL} PGs is not cached (computed each time).
     */
    private final ConcurrentHashMap<Long, AtomicReferenceArray<Result>> memo = new ConcurrentHashMap<>();
    static final int MEMO_MAX_PGS_PER_POOL = 1 << 16;

    private Result compute(PgPool pool, PgId pgOrRaw, PgId pg) {
        // temps
        List<Integer> temp = new ArrayList<>();
        List<Integer> pgTemp = map.pgTemp().get(pg);
        if (pgTemp != null) {
            for (int osd : pgTemp) {
                if (!map.exists(osd) || map.isDown(osd)) {
                    if (!pool.canShiftOsds()) {
                        temp.add(NONE);
                    }
                } else {
                    temp.add(osd);
                }
            }
        }
        Integer pt = map.primaryTemp().get(pg);
        int tempPrimary = pt != null ? pt : pickPrimary(temp);

        List<Integer> raw = rawOsds(pool, pgOrRaw);
        applyUpmap(pool, pgOrRaw, raw);
        List<Integer> up = rawToUp(pool, raw);
        int upPrimary = pickPrimary(up);
        upPrimary = applyPrimaryAffinity(rawPgToPps(pool, pgOrRaw), pool, up, upPrimary);
        List<Integer> acting = temp;
        int actingPrimary = tempPrimary;
        if (acting.isEmpty()) {
            acting = up;
            if (actingPrimary == -1) {
                actingPrimary = upPrimary;
            }
        }
        return new Result(pg, List.copyOf(up), upPrimary, List.copyOf(acting), actingPrimary);
    }

    /** The object's raw pg and its up/acting sets, as the Objecter computes its target. */
    public Result objectToUpActing(long poolId, String name, String key, String namespace) {
        return pgToUpActing(objectToRawPg(poolId, name, key, namespace));
    }

    private PgPool requirePool(long id) {
        PgPool p = map.pool(id);
        if (p == null) {
            throw new IllegalArgumentException("no pool " + id + " in epoch " + map.epoch());
        }
        return p;
    }
}
