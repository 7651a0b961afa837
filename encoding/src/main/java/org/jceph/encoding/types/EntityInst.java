package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/** {@code entity_inst_t}: an entity name and one address. */
public record EntityInst(EntityName name, EntityAddr addr) {
    public static EntityInst decode(CephDecoder d) {
        d.push("entity_inst_t");
        EntityInst i = new EntityInst(EntityName.decode(d), EntityAddr.decode(d));
        d.pop();
        return i;
    }

    public void encode(CephEncoder e) {
        name.encode(e);
        addr.encode(e);
    }
}
