package org.jceph.osdmap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.encoding.types.PgId;

/**
 * Builds a changed copy of an {@link OsdMap}: the cluster states the monitor reaches through
 * incrementals (pg_temp, primary_temp, primary affinity, pg_upmap, pg_upmap_items,
 * pg_upmap_primary, pools, OSD states and weights, a new CRUSH map) set directly, for test maps
 * that Ceph's offline tools cannot build. {@link OsdMapCodec#encode} then writes the result with
 * its CRC, in the encoding versions of the base map.
 *
 * <p>Nothing is validated beyond what the encoding can hold: maps built here are as good as the
 * caller's choices (an OSD id in a pg_temp past max_osd is encodable, and Ceph decodes it).
 */
public final class OsdMapEdit {
    private final OsdMap m;
    private final Map<Long, PgPool> pools;
    private final Map<Long, String> poolNames;
    private final List<Long> states;
    private final List<Long> weights;
    private final List<Long> affinity;
    private final Map<PgId, List<Integer>> pgTemp;
    private final Map<PgId, Integer> primaryTemp;
    private final Map<PgId, List<Integer>> pgUpmap;
    private final Map<PgId, List<int[]>> pgUpmapItems;
    private final Map<PgId, Integer> pgUpmapPrimaries;
    private final Map<String, Map<String, String>> profiles;

    private OsdMapEdit(OsdMap base) {
        m = base.shallowCopy();
        pools = new TreeMap<>(base.pools);
        poolNames = new TreeMap<>(base.poolNames);
        states = new ArrayList<>(base.osdState);
        weights = new ArrayList<>(base.osdWeight);
        affinity = new ArrayList<>(base.osdPrimaryAffinity);
        pgTemp = sorted(base.pgTemp);
        primaryTemp = sorted(base.primaryTemp);
        pgUpmap = sorted(base.pgUpmap);
        pgUpmapItems = sorted(base.pgUpmapItems);
        pgUpmapPrimaries = sorted(base.pgUpmapPrimaries);
        profiles = new TreeMap<>(base.erasureCodeProfiles);
    }

    public static OsdMapEdit of(OsdMap base) {
        return new OsdMapEdit(base);
    }

    /** Adds or replaces pool {@code id} (pool_max grows to cover it). */
    public OsdMapEdit pool(long id, String name, PgPool pool) {
        pools.put(id, pool);
        poolNames.put(id, name);
        if (id > m.poolMax) {
            m.poolMax = (int) id;
        }
        return this;
    }

    public OsdMapEdit removePool(long id) {
        pools.remove(id);
        poolNames.remove(id);
        return this;
    }

    /** The raw CEPH_OSD_* state bits and the 16.16 reweight of one OSD below max_osd. */
    public OsdMapEdit osd(int osd, long state, long weight) {
        checkOsd(osd);
        states.set(osd, state);
        weights.set(osd, weight);
        return this;
    }

    /** One OSD's primary affinity (16.16); the vector is filled with the default when first set. */
    public OsdMapEdit primaryAffinity(int osd, long value) {
        checkOsd(osd);
        while (affinity.size() < m.maxOsd) {
            affinity.add(OsdMap.DEFAULT_PRIMARY_AFFINITY);
        }
        affinity.set(osd, value);
        return this;
    }

    public OsdMapEdit pgTemp(PgId pg, List<Integer> osds) {
        pgTemp.put(pg, List.copyOf(osds));
        return this;
    }

    public OsdMapEdit primaryTemp(PgId pg, int osd) {
        primaryTemp.put(pg, osd);
        return this;
    }

    public OsdMapEdit pgUpmap(PgId pg, List<Integer> osds) {
        pgUpmap.put(pg, List.copyOf(osds));
        return this;
    }

    /** (from, to) pairs; each array has two elements. */
    public OsdMapEdit pgUpmapItems(PgId pg, List<int[]> pairs) {
        List<int[]> copy = new ArrayList<>();
        for (int[] p : pairs) {
            copy.add(new int[] {p[0], p[1]});
        }
        pgUpmapItems.put(pg, Collections.unmodifiableList(copy));
        return this;
    }

    /**
     * A pg_upmap_primary entry. Only the Reef and later client encoding (v10) carries them; the
     * map's client section is raised to v10 if it was older.
     */
    public OsdMapEdit pgUpmapPrimary(PgId pg, int osd) {
        pgUpmapPrimaries.put(pg, osd);
        if (m.clientVersion < 10) {
            m.clientVersion = 10;
        }
        return this;
    }

    public OsdMapEdit erasureCodeProfile(String name, Map<String, String> profile) {
        profiles.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(profile))));
        return this;
    }

    /** Replaces the encoded CRUSH map; crush_version is left alone (see {@link #crushVersion}). */
    public OsdMapEdit crush(byte[] crush) {
        m.crush = crush.clone();
        return this;
    }

    public OsdMapEdit crushVersion(int version) {
        m.crushVersion = version;
        return this;
    }

    /** The map's CEPH_OSDMAP_* flags (pauserd, pausewr, full, ...). */
    public OsdMapEdit flags(long flags) {
        m.flags = flags;
        return this;
    }

    public OsdMapEdit epoch(long epoch) {
        m.epoch = epoch;
        return this;
    }

    private void checkOsd(int osd) {
        if (osd < 0 || osd >= m.maxOsd) {
            throw new IllegalArgumentException("osd." + osd + " is not below max_osd " + m.maxOsd);
        }
    }

    /** pg_t's order (pool, preferred, seed), the order Ceph's std::map encodes and prints in. */
    private static final Comparator<PgId> PG_ORDER = Comparator.comparingLong(PgId::pool)
            .thenComparingInt(PgId::preferred).thenComparingLong(PgId::seed);

    private static <V> Map<PgId, V> sorted(Map<PgId, V> in) {
        Map<PgId, V> out = new TreeMap<>(PG_ORDER);
        out.putAll(in);
        return out;
    }

    public OsdMap build() {
        OsdMap out = m.shallowCopy();
        out.pools = Collections.unmodifiableMap(new TreeMap<>(pools));
        out.poolNames = Collections.unmodifiableMap(new TreeMap<>(poolNames));
        out.osdState = List.copyOf(states);
        out.osdWeight = List.copyOf(weights);
        out.osdPrimaryAffinity = List.copyOf(affinity);
        out.pgTemp = Collections.unmodifiableMap(sorted(pgTemp));
        out.primaryTemp = Collections.unmodifiableMap(sorted(primaryTemp));
        out.pgUpmap = Collections.unmodifiableMap(sorted(pgUpmap));
        out.pgUpmapItems = Collections.unmodifiableMap(sorted(pgUpmapItems));
        out.pgUpmapPrimaries = Collections.unmodifiableMap(sorted(pgUpmapPrimaries));
        out.erasureCodeProfiles = Collections.unmodifiableMap(new TreeMap<>(profiles));
        return out;
    }
}
