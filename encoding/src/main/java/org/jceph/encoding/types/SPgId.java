package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/** {@code spg_t}: a pg and its erasure-code shard (-1 = no shard); envelope v1. */
public record SPgId(PgId pgid, int shard) {
    public static final int NO_SHARD = -1;

    public static SPgId decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("spg_t", 1);
        SPgId s = new SPgId(PgId.decode(d), d.readS8());
        d.endStruct(env);
        return s;
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(1, 1);
        pgid.encode(e);
        e.writeU8(shard);
        e.finishStruct(mark);
    }

    @Override
    public String toString() {
        return shard == NO_SHARD ? pgid.toString() : pgid + "s" + shard;
    }
}
