package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/** {@code osd_reqid_t}: who issued an op, its tid and the client incarnation; envelope v2, compat 2. */
public record OsdReqId(EntityName name, long tid, int inc) {
    public static OsdReqId decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("osd_reqid_t", 2);
        OsdReqId r = new OsdReqId(EntityName.decode(d), d.readU64Le(), d.readS32Le());
        d.endStruct(env);
        return r;
    }

    public void encode(CephEncoder e) {
        int mark = e.beginStruct(2, 2);
        name.encode(e);
        e.writeU64Le(tid).writeS32Le(inc);
        e.finishStruct(mark);
    }
}
