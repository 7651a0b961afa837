package org.jceph.messenger.mon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddrVec;

/**
 * The monitor map, decoded as far as a client needs it (src/mon/MonMap.cc, encoding v6+ as sent to
 * clients with SERVER_NAUTILUS; later fields are skipped by the envelope length):
 * <pre>
 * ENC(v, compat 6) { uuid fsid (16 raw) | u32 epoch | utime last_changed | utime created
 *   | mon_feature_t persistent | mon_feature_t optional        (each ENC(1,1){u64})
 *   | map&lt;string, mon_info_t&gt; mon_info | vector&lt;string&gt; ranks | u8 min_mon_release (v7+)
 *   | v8+: set&lt;s32&gt; removed_ranks | u8 election strategy | set&lt;string&gt; disallowed_leaders
 *   | v9+: bool stretch_mode_enabled | string tiebreaker_mon | set&lt;string&gt; stretch_marked_down_mons
 *   | v10+ (Ceph 19.2.6/20.2): u32 auth_epoch | s32 auth_service_cipher
 *          | vector&lt;s32&gt; auth_allowed_ciphers (sorted) | s32 auth_preferred_cipher }
 * mon_info_t: ENC(v, 1) { string name | entity_addrvec_t public_addrs | u16 priority | ... }
 * </pre>
 * The cipher fields are cephx key types (1 aes, 2 aes256k): the type of the rotating service keys,
 * the client key types the monitors accept, and the type of newly created keys. A pre-v10 map
 * means no policy: {@link #authAllowedCiphers()} is then empty (Ceph reads such a map as service
 * aes, allowed {aes, aes256k}, preferred aes).
 */
public record MonMap(UUID fsid, long epoch, UTime lastChanged, UTime created, List<Monitor> monitors,
                     int minMonRelease, int structVersion, long authEpoch, int authServiceCipher,
                     List<Integer> authAllowedCiphers, int authPreferredCipher) {

    /** A map without the v10 cipher policy. */
    public MonMap(UUID fsid, long epoch, UTime lastChanged, UTime created, List<Monitor> monitors,
                  int minMonRelease, int structVersion) {
        this(fsid, epoch, lastChanged, created, monitors, minMonRelease, structVersion, 0, 0, List.of(), 0);
    }

    /** Whether the map carries the monitors' cipher policy (MonMap v10+). */
    public boolean hasCipherPolicy() {
        return !authAllowedCiphers.isEmpty();
    }

    /** One monitor, in rank order. */
    public record Monitor(int rank, String name, EntityAddrVec addrs, int priority) {
    }

    /** Decodes the bytes of a MonMap (the blob inside MMonMap). */
    public static MonMap decode(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "MonMap");
        CephDecoder.Envelope env = d.beginStruct("MonMap", 10);
        if (env.version() < 6) {
            throw d.error("MonMap v" + env.version() + " predates Nautilus; the monitor ignored our features");
        }
        UUID fsid = d.readUuid();
        long epoch = d.readU32Le();
        UTime lastChanged = d.readUtime();
        UTime created = d.readUtime();
        skipMonFeature(d);
        skipMonFeature(d);
        Map<String, Monitor> info = new LinkedHashMap<>();
        int n = d.readCountLe("mon_info", 10);
        for (int i = 0; i < n; i++) {
            String key = d.readString();
            CephDecoder.Envelope mi = d.beginStruct("mon_info_t", 5);
            String name = d.readString();
            EntityAddrVec addrs = EntityAddrVec.decode(d);
            int priority = mi.version() >= 2 && mi.remainingIn(d) >= 2 ? d.readU16Le() : 0;
            d.endStruct(mi);
            info.put(key, new Monitor(-1, name, addrs, priority));
        }
        List<String> ranks = d.readList(4, CephDecoder::readString);
        int minRelease = env.version() >= 7 ? d.readU8() : 0;
        long authEpoch = 0;
        int serviceCipher = 0;
        List<Integer> allowed = List.of();
        int preferred = 0;
        if (env.version() >= 10) {
            d.readSet(4, CephDecoder::readS32Le); // removed_ranks
            d.readU8(); // election strategy
            d.readSet(4, CephDecoder::readString); // disallowed_leaders
            d.readBool(); // stretch_mode_enabled
            d.readString(); // tiebreaker_mon
            d.readSet(4, CephDecoder::readString); // stretch_marked_down_mons
            authEpoch = d.readU32Le();
            serviceCipher = d.readS32Le();
            allowed = List.copyOf(d.readList(4, CephDecoder::readS32Le));
            preferred = d.readS32Le();
        }
        d.endStruct(env);
        List<Monitor> mons = new ArrayList<>();
        for (int r = 0; r < ranks.size(); r++) {
            Monitor m = info.get(ranks.get(r));
            if (m == null) {
                throw new org.jceph.encoding.DecodeException("MonMap", d.offset(), "rank " + r + " names unknown mon "
                        + ranks.get(r));
            }
            mons.add(new Monitor(r, m.name(), m.addrs(), m.priority()));
        }
        return new MonMap(fsid, epoch, lastChanged, created, List.copyOf(mons), minRelease, env.version(), authEpoch,
                serviceCipher, allowed, preferred);
    }

    private static void skipMonFeature(CephDecoder d) {
        CephDecoder.Envelope e = d.beginStruct("mon_feature_t", 1);
        d.endStruct(e);
    }
}
