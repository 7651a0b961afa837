package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code hobject_t} (src/common/hobject.h): an object as the OSD sorts it: locator key, name,
 * snap id, the 32-bit placement hash, the "max" sentinel flag, namespace and pool.
 *
 * <p>Envelope v4, compat 3; v1 added the key, v2 the max flag, v4 namespace and pool. Versions
 * before 3 have no length.
 */
public record HObject(String key, String oid, long snap, long hash, boolean max, String nspace, long pool,
        int decodedVersion) {
    public static final int VERSION = 4;
    public static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;

    public static HObject decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStructLegacy("hobject_t", VERSION, 3, 3);
        String key = env.version() >= 1 ? d.readString() : "";
        String oid = d.readString();
        long snap = d.readU64Le();
        long hash = d.readU32Le();
        boolean max = env.version() >= 2 && d.readBool();
        String nspace = "";
        long pool = -1;
        if (env.version() >= 4) {
            nspace = d.readString();
            pool = d.readS64Le();
        }
        d.endStructLegacy(env);
        return new HObject(key, oid, snap, hash, max, nspace, pool, env.version());
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(VERSION, 3);
        e.writeString(key).writeString(oid).writeU64Le(snap).writeU32Le(hash).writeBool(max)
                .writeString(nspace).writeS64Le(pool);
        e.finishStruct(mark);
    }
}
