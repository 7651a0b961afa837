package org.jceph.osdmap;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.UTime;

/**
 * {@code osd_xinfo_t} (src/osd/OSDMap.h): extended OSD info. ENCODE_START(v, 1): utime down_stamp |
 * u32 laggy_probability (fraction of 0xffffffff) | u32 laggy_interval | v2: u64 features |
 * v3: u32 old_weight | v4: utime last_purged_snaps_scrub, then u32 dead_epoch when the writer had
 * it (Pacific 16.2.15 writes it inside v4, without a version bump) | later fields kept raw.
 */
public record OsdXInfo(int version, int compat, UTime downStamp, long laggyProbabilityRaw, long laggyInterval,
        long features, long oldWeight, UTime lastPurgedSnapsScrub, boolean hasDeadEpoch, long deadEpoch,
        byte[] tail) {

    public static OsdXInfo decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("osd_xinfo_t", 4);
        int v = env.version();
        UTime down = d.readUtime();
        long lp = d.readU32Le();
        long li = d.readU32Le();
        long features = v >= 2 ? d.readU64Le() : 0;
        long oldWeight = v >= 3 ? d.readU32Le() : 0;
        UTime scrub = v >= 4 ? d.readUtime() : UTime.ZERO;
        boolean hasDead = v >= 4 && env.remainingIn(d) >= 4;
        long dead = hasDead ? d.readU32Le() : 0;
        byte[] tail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
        return new OsdXInfo(v, env.compat(), down, lp, li, features, oldWeight, scrub, hasDead, dead, tail);
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(version, compat);
        e.writeUtime(downStamp).writeU32Le(laggyProbabilityRaw).writeU32Le(laggyInterval);
        if (version >= 2) {
            e.writeU64Le(features);
        }
        if (version >= 3) {
            e.writeU32Le(oldWeight);
        }
        if (version >= 4) {
            e.writeUtime(lastPurgedSnapsScrub);
        }
        if (hasDeadEpoch) {
            e.writeU32Le(deadEpoch);
        }
        e.writeBytes(tail);
        e.finishStruct(mark);
    }

    /** laggy_probability as Ceph holds it: the u32 as a fraction of 0xffffffff. */
    public float laggyProbability() {
        return (float) laggyProbabilityRaw / (float) 0xffffffffL;
    }

    /** The default a new OSD slot gets (osd_xinfo_t() as Pacific encodes it). */
    public static OsdXInfo empty() {
        return new OsdXInfo(4, 1, UTime.ZERO, 0, 0, 0, 0, UTime.ZERO, true, 0, new byte[0]);
    }
}
