package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code pg_t} (src/osd/osd_types.h): a placement group, pool and seed. Encoded as u8 version (1),
 * u64 pool, u32 seed, and s32 preferred (always -1 since the localized-PG feature was removed);
 * 17 bytes. Printed as Ceph does: {@code 1.7f} (pool in decimal, seed in hex).
 */
public record PgId(long pool, long seed, int preferred) {
    public static final int SIZE = 17;

    public PgId(long pool, long seed) {
        this(pool, seed, -1);
    }

    public static PgId decode(CephDecoder d) {
        d.push("pg_t");
        int v = d.readU8();
        if (v != 1) {
            throw d.error("pg_t version " + v + ", expected 1");
        }
        PgId p = new PgId(d.readS64Le(), d.readU32Le(), d.readS32Le());
        d.pop();
        return p;
    }

    public void encode(CephEncoder e) {
        e.writeU8(1).writeS64Le(pool).writeU32Le(seed).writeS32Le(preferred);
    }

    @Override
    public String toString() {
        return pool + "." + Long.toHexString(seed);
    }
}
