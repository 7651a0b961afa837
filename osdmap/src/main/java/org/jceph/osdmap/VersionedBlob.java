package org.jceph.osdmap;

import java.util.Arrays;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * A versioned struct kept as its envelope header and raw body, for structs a client never
 * interprets (HitSet::Params in pg_pool_t) so that they re-encode byte for byte.
 */
public record VersionedBlob(int version, int compat, byte[] body) {

    public static VersionedBlob decode(CephDecoder d, String struct) {
        CephDecoder.Envelope env = d.beginStruct(struct, 255);
        byte[] body = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
        return new VersionedBlob(env.version(), env.compat(), body);
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(version, compat);
        e.writeBytes(body);
        e.finishStruct(mark);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedBlob b && b.version == version && b.compat == compat && Arrays.equals(b.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * version + compat) + Arrays.hashCode(body);
    }
}
