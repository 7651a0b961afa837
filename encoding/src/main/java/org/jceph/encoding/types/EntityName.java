package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code entity_name_t} (src/msg/msg_types.h): who sent a message, u8 type then s64 number; 9 bytes,
 * the same bytes as the packed {@code ceph_entity_name}. {@code client.4151} is (CLIENT, 4151).
 */
public record EntityName(int type, long num) {
    public static final int TYPE_MON = 0x01;
    public static final int TYPE_MDS = 0x02;
    public static final int TYPE_OSD = 0x04;
    public static final int TYPE_CLIENT = 0x08;
    public static final int TYPE_MGR = 0x10;
    public static final int TYPE_AUTH = 0x20;
    public static final int TYPE_ANY = 0xFF;

    /** Encoded size in bytes. */
    public static final int SIZE = 9;

    public static EntityName decode(CephDecoder d) {
        d.push("entity_name_t");
        EntityName n = new EntityName(d.readU8(), d.readS64Le());
        d.pop();
        return n;
    }

    public void encode(CephEncoder e) {
        e.writeU8(type).writeS64Le(num);
    }

    /** Ceph's spelling of a type: mon, mds, osd, client, mgr, auth. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_MON -> "mon";
            case TYPE_MDS -> "mds";
            case TYPE_OSD -> "osd";
            case TYPE_CLIENT -> "client";
            case TYPE_MGR -> "mgr";
            case TYPE_AUTH -> "auth";
            default -> "unknown";
        };
    }

    @Override
    public String toString() {
        return typeName(type) + "." + (num < 0 ? "?" : Long.toString(num));
    }
}
