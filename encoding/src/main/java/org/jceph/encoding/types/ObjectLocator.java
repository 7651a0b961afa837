package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code object_locator_t} (src/osd/osd_types.h): where an object lives beyond its name: pool,
 * locator key, namespace, and an explicit hash (-1 = none).
 *
 * <p>Envelope v6. Compat is 3 unless a hash is set, then 6 (older decoders cannot honour the hash).
 * Version 1 stored the pool as s32 and the preferred OSD as s16; versions 2+ use s64 and s32;
 * namespace came in v5, hash in v6. Versions before 3 have no length (legacy compat len).
 */
public record ObjectLocator(long pool, int preferred, String key, String nspace, long hash, int decodedVersion) {
    public static final int VERSION = 6;

    public ObjectLocator(long pool, String key, String nspace) {
        this(pool, -1, key, nspace, -1, VERSION);
    }

    public static ObjectLocator decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStructLegacy("object_locator_t", VERSION, 3, 3);
        long pool;
        int preferred;
        if (env.version() < 2) {
            pool = d.readS32Le();
            preferred = d.readS16Le();
        } else {
            pool = d.readS64Le();
            preferred = d.readS32Le();
        }
        String key = d.readString();
        String nspace = env.version() >= 5 ? d.readString() : "";
        long hash = env.version() >= 6 ? d.readS64Le() : -1;
        d.endStructLegacy(env);
        return new ObjectLocator(pool, preferred, key, nspace, hash, env.version());
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(VERSION, hash != -1 ? 6 : 3);
        e.writeS64Le(pool).writeS32Le(preferred).writeString(key).writeString(nspace).writeS64Le(hash);
        e.finishStruct(mark);
    }
}
