package org.jceph.osdmap;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.UTime;

/**
 * {@code pool_snap_info_t} (src/osd/osd_types.h): one pool snapshot. Version 1 (before the PGPOOL3
 * feature) is a bare u8 version then the fields; version 2 is a full ENCODE_START(2, 2) envelope.
 *
 * <pre>
 *   v1: u8 1 | u64 snapid | utime stamp | string name
 *   v2: u8 2 | u8 2 | u32 len | u64 snapid | utime stamp | string name
 * </pre>
 */
public record PoolSnapInfo(long snapId, UTime stamp, String name, int encodedVersion) {

    public static PoolSnapInfo decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStructLegacy("pool_snap_info_t", 2, 2, 2);
        long id = d.readU64Le();
        UTime stamp = d.readUtime();
        String name = d.readString();
        d.endStructLegacy(env);
        return new PoolSnapInfo(id, stamp, name, env.version());
    }

    public void encode(CephEncoder e) {
        if (encodedVersion < 2) {
            e.writeU8(1);
            writeFields(e);
            return;
        }
        int mark = e.beginStruct(2, 2);
        writeFields(e);
        e.finishStruct(mark);
    }

    private void writeFields(CephEncoder e) {
        e.writeU64Le(snapId).writeUtime(stamp).writeString(name);
    }
}
