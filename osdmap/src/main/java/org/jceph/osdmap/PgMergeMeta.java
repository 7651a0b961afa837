package org.jceph.osdmap;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.PgId;

/**
 * {@code pg_merge_meta_t} (src/osd/osd_types.h): the last PG merge of a pool. ENCODE_START(1, 1):
 * pg_t source_pgid | u32 ready_epoch | u32 last_epoch_started | u32 last_epoch_clean |
 * eversion source_version | eversion target_version.
 */
public record PgMergeMeta(int version, int compat, PgId sourcePgId, long readyEpoch, long lastEpochStarted,
        long lastEpochClean, EVersion sourceVersion, EVersion targetVersion, byte[] tail) {

    public static PgMergeMeta decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("pg_merge_meta_t", 1);
        PgId src = PgId.decode(d);
        long ready = d.readU32Le();
        long les = d.readU32Le();
        long lec = d.readU32Le();
        EVersion sv = EVersion.decode(d);
        EVersion tv = EVersion.decode(d);
        byte[] tail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
        return new PgMergeMeta(env.version(), env.compat(), src, ready, les, lec, sv, tv, tail);
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(version, compat);
        sourcePgId.encode(e);
        e.writeU32Le(readyEpoch).writeU32Le(lastEpochStarted).writeU32Le(lastEpochClean);
        sourceVersion.encode(e);
        targetVersion.encode(e);
        e.writeBytes(tail);
        e.finishStruct(mark);
    }
}
