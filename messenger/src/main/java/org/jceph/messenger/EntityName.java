package org.jceph.messenger;

import java.util.Locale;
import java.util.Objects;

/**
 * An authentication identity such as {@code client.admin} (Ceph's {@code EntityName},
 * src/common/entity_name.h): an entity type and an id. On the wire (cephx) it is {@code u32 type}
 * then {@code string id}. Not to be confused with {@code entity_name_t} (type + number, the
 * sender of a message), which is {@code org.jceph.encoding.types.EntityName}.
 */
public record EntityName(int type, String id) {
    /** CEPH_ENTITY_TYPE_* (src/include/msgr.h). */
    public static final int TYPE_MON = 0x01;
    public static final int TYPE_MDS = 0x02;
    public static final int TYPE_OSD = 0x04;
    public static final int TYPE_CLIENT = 0x08;
    public static final int TYPE_MGR = 0x10;
    public static final int TYPE_AUTH = 0x20;

    public EntityName {
        Objects.requireNonNull(id, "id");
        typeName(type); // validates
    }

    public static EntityName client(String id) {
        return new EntityName(TYPE_CLIENT, id);
    }

    /** Parses {@code TYPE.ID}, e.g. {@code client.admin}; the id may itself contain dots. */
    public static EntityName parse(String s) {
        int dot = s.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("entity name must be TYPE.ID: '" + s + "'");
        }
        String t = s.substring(0, dot).toLowerCase(Locale.ROOT);
        int type = switch (t) {
            case "mon" -> TYPE_MON;
            case "mds" -> TYPE_MDS;
            case "osd" -> TYPE_OSD;
            case "client" -> TYPE_CLIENT;
            case "mgr" -> TYPE_MGR;
            case "auth" -> TYPE_AUTH;
            default -> throw new IllegalArgumentException("unknown entity type '" + t + "' in '" + s + "'");
        };
        return new EntityName(type, s.substring(dot + 1));
    }

    public static String typeName(int type) {
        String name = org.jceph.encoding.types.EntityName.typeName(type); // one table for both name kinds
        if (name.equals("unknown")) {
            throw new IllegalArgumentException("unknown entity type " + type);
        }
        return name;
    }

    @Override
    public String toString() {
        return typeName(type) + "." + id;
    }
}
