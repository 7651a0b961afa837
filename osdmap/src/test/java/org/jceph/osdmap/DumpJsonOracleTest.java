package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.encoding.types.PgId;
import org.junit.jupiter.api.Test;

/**
 * Decoded fields equal what {@code osdmaptool MAP --dump json} (Ceph's own decoder) printed for
 * every captured map: pools with their pg_pool_t fields, OSD states, weights, affinities, info and
 * xinfo, temps, upmaps, ratios and releases.
 */
class DumpJsonOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] RELEASES = {"unknown", "argonaut", "bobtail", "cuttlefish", "dumpling", "emperor",
        "firefly", "giant", "hammer", "infernalis", "jewel", "kraken", "luminous", "mimic", "nautilus", "octopus",
        "pacific", "quincy", "reef"};

    @Test
    void decodedFieldsMatchOsdmaptoolDumpForEveryCapturedMap() throws IOException {
        List<Path> maps = new ArrayList<>();
        try (var s = Files.list(TestBytes.fixtureDir())) {
            s.filter(p -> p.toString().endsWith(".osdmap")).sorted().forEach(maps::add);
        }
        assertTrue(maps.size() >= 12, "captured maps: " + maps);
        for (Path p : maps) {
            String base = p.getFileName().toString().replaceFirst("\\.osdmap$", "");
            JsonNode dump = JSON.readTree(TestBytes.fixtureDir().resolve(base + ".dump.json").toFile());
            compare(base, OsdMapCodec.decode(Files.readAllBytes(p)), dump);
        }
    }

    private static void compare(String what, OsdMap m, JsonNode d) {
        assertEquals(d.get("epoch").asLong(), m.epoch(), what);
        assertEquals(d.get("fsid").asText(), m.fsid().toString(), what);
        assertEquals(d.get("flags_num").asLong(), m.flags(), what);
        assertEquals(d.get("crush_version").asInt(), m.crushVersion(), what);
        assertEquals(d.get("pool_max").asInt(), m.poolMax(), what);
        assertEquals(d.get("max_osd").asInt(), m.maxOsd(), what);
        assertEquals((float) d.get("full_ratio").asDouble(), m.fullRatio(), what);
        assertEquals((float) d.get("nearfull_ratio").asDouble(), m.nearfullRatio(), what);
        assertEquals((float) d.get("backfillfull_ratio").asDouble(), m.backfillfullRatio(), what);
        assertEquals(d.get("require_osd_release").asText(), RELEASES[m.requireOsdRelease()], what);
        assertEquals(d.get("require_min_compat_client").asText(), RELEASES[m.requireMinCompatClient()], what);

        assertEquals(d.get("pools").size(), m.pools().size(), what);
        for (JsonNode jp : d.get("pools")) {
            long id = jp.get("pool").asLong();
            PgPool p = m.pool(id);
            String w = what + " pool " + id;
            assertEquals(jp.get("pool_name").asText(), m.poolNames().get(id), w);
            assertEquals(jp.get("flags").asLong(), p.flags(), w);
            assertEquals(jp.get("type").asInt(), p.type(), w);
            assertEquals(jp.get("size").asInt(), p.size(), w);
            assertEquals(jp.get("min_size").asInt(), p.minSize(), w);
            assertEquals(jp.get("crush_rule").asInt(), p.crushRule(), w);
            assertEquals(jp.get("object_hash").asInt(), p.objectHash(), w);
            assertEquals(jp.get("pg_num").asLong(), p.pgNum(), w);
            assertEquals(jp.get("pg_placement_num").asLong(), p.pgpNum(), w);
            assertEquals(jp.get("pg_placement_num_target").asLong(), p.pgpNumTarget(), w);
            assertEquals(jp.get("pg_num_target").asLong(), p.pgNumTarget(), w);
            assertEquals(jp.get("pg_num_pending").asLong(), p.pgNumPending(), w);
            assertEquals(jp.get("last_change").asLong(), p.lastChange(), w);
            assertEquals(jp.get("last_force_op_resend").asLong(), p.lastForceOpResend(), w);
            assertEquals(jp.get("snap_seq").asLong(), p.snapSeq(), w);
            assertEquals(jp.get("snap_epoch").asLong(), p.snapEpoch(), w);
            assertEquals(jp.get("quota_max_bytes").asLong(), p.quotaMaxBytes(), w);
            assertEquals(jp.get("tier_of").asLong(), p.tierOf(), w);
            assertEquals(jp.get("stripe_width").asLong(), p.stripeWidth(), w);
            assertEquals(jp.get("erasure_code_profile").asText(), p.erasureCodeProfile(), w);
            assertEquals(jp.get("cache_target_full_ratio_micro").asLong(), p.cacheTargetFullRatioMicro(), w);
            assertEquals(jp.get("use_gmt_hitset").asBoolean(), p.useGmtHitset(), w);
            assertEquals(jp.get("fast_read").asBoolean(), p.fastRead(), w);
            assertEquals(jp.get("peering_crush_bucket_mandatory_member").asInt(), p.peeringCrushMandatoryMember(), w);
            Map<String, Map<String, String>> apps = new TreeMap<>();
            jp.get("application_metadata").fields().forEachRemaining(e -> {
                Map<String, String> kv = new TreeMap<>();
                e.getValue().fields().forEachRemaining(f -> kv.put(f.getKey(), f.getValue().asText()));
                apps.put(e.getKey(), kv);
            });
            assertEquals(apps, new TreeMap<>(p.applicationMetadata()), w);
            List<String> snaps = new ArrayList<>();
            jp.get("pool_snaps").forEach(s -> snaps.add(s.get("snapid").asLong() + ":" + s.get("name").asText()));
            List<String> ours = new ArrayList<>();
            p.snaps().forEach((k, v) -> ours.add(k + ":" + v.name()));
            assertEquals(snaps, ours, w);
        }

        for (JsonNode jo : d.get("osds")) {
            int osd = jo.get("osd").asInt();
            String w = what + " osd." + osd;
            assertEquals(jo.get("uuid").asText(), m.osdUuid().get(osd).toString(), w);
            assertEquals(jo.get("up").asInt() == 1, m.isUp(osd), w);
            assertEquals(jo.get("in").asInt() == 1, m.osdWeight().get(osd) != 0, w);
            assertEquals(jo.get("weight").asDouble(), m.osdWeight().get(osd) / 65536.0, 1e-4, w);
            assertEquals(jo.get("primary_affinity").asDouble(), m.primaryAffinity(osd) / 65536.0, 1e-4, w);
            assertEquals(jo.get("up_from").asLong(), m.osdInfo().get(osd).upFrom(), w);
            assertEquals(jo.get("up_thru").asLong(), m.osdInfo().get(osd).upThru(), w);
            assertEquals(jo.get("down_at").asLong(), m.osdInfo().get(osd).downAt(), w);
            assertEquals(jo.get("public_addr").asText(), legacy(m.clientAddrs().get(osd)), w);
        }
        for (JsonNode jx : d.get("osd_xinfo")) {
            int osd = jx.get("osd").asInt();
            assertEquals(jx.get("features").asLong(), m.osdXinfo().get(osd).features(), what);
            assertEquals(jx.get("old_weight").asLong(), m.osdXinfo().get(osd).oldWeight(), what);
            assertEquals(jx.get("dead_epoch").asLong(), m.osdXinfo().get(osd).deadEpoch(), what);
        }

        Map<String, String> upmap = new TreeMap<>();
        d.get("pg_upmap").forEach(j -> upmap.put(j.get("pgid").asText(), j.get("osds").toString()));
        Map<String, String> ours = new TreeMap<>();
        m.pgUpmap().forEach((pg, osds) -> ours.put(pg.toString(), osds.toString().replace(" ", "")));
        assertEquals(upmap, ours, what + " pg_upmap");

        Map<String, String> items = new TreeMap<>();
        d.get("pg_upmap_items").forEach(j -> {
            StringBuilder sb = new StringBuilder();
            j.get("mappings").forEach(x -> sb.append(x.get("from").asInt()).append("->").append(x.get("to").asInt())
                    .append(' '));
            items.put(j.get("pgid").asText(), sb.toString());
        });
        Map<String, String> ourItems = new TreeMap<>();
        m.pgUpmapItems().forEach((pg, list) -> {
            StringBuilder sb = new StringBuilder();
            list.forEach(x -> sb.append(x[0]).append("->").append(x[1]).append(' '));
            ourItems.put(pg.toString(), sb.toString());
        });
        assertEquals(items, ourItems, what + " pg_upmap_items");

        Map<String, String> temp = new TreeMap<>();
        d.get("pg_temp").forEach(j -> temp.put(j.get("pgid").asText(), j.get("osds").toString()));
        Map<String, String> ourTemp = new TreeMap<>();
        m.pgTemp().forEach((pg, osds) -> ourTemp.put(pg.toString(), osds.toString().replace(" ", "")));
        assertEquals(temp, ourTemp, what + " pg_temp");

        Map<String, Integer> ptemp = new TreeMap<>();
        // osdmaptool dumps primary_temp as one flat array: [pgid, osd, pgid, osd, ...]
        JsonNode flat = d.get("primary_temp");
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            ptemp.put(flat.get(i).asText(), flat.get(i + 1).asInt());
        }
        Map<String, Integer> ourPtemp = new TreeMap<>();
        m.primaryTemp().forEach((PgId pg, Integer osd) -> ourPtemp.put(pg.toString(), osd));
        assertEquals(ptemp, ourPtemp, what + " primary_temp");

        Map<String, Map<String, String>> profiles = new TreeMap<>();
        d.get("erasure_code_profiles").fields().forEachRemaining(e -> {
            Map<String, String> kv = new TreeMap<>();
            e.getValue().fields().forEachRemaining(f -> kv.put(f.getKey(), f.getValue().asText()));
            profiles.put(e.getKey(), kv);
        });
        Map<String, Map<String, String>> ourProfiles = new TreeMap<>();
        m.erasureCodeProfiles().forEach((k, v) -> ourProfiles.put(k, new TreeMap<>(v)));
        assertEquals(profiles, ourProfiles, what + " erasure_code_profiles");
    }

    /** entity_addr_t's legacy print form for the v1 address: 127.0.0.1:6811/15607. */
    private static String legacy(org.jceph.encoding.types.EntityAddrVec v) {
        var a = v.first(org.jceph.encoding.types.EntityAddr.TYPE_LEGACY);
        if (a == null) {
            a = v.addrs().isEmpty() ? null : v.addrs().get(0);
        }
        if (a == null || a.socketAddress() == null) {
            return "-";
        }
        return a.socketAddress().getAddress().getHostAddress() + ":" + a.port() + "/" + a.nonce();
    }
}
