package org.jceph.encoding.types;

import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code entity_addrvec_t}: the addresses one daemon listens on, e.g. a monitor's
 * {@code [v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0]}. Encoded as marker 2, u32 count and the
 * addresses; decoders also accept a single address (marker 0, legacy, or 1, new), as Ceph's do.
 */
public record EntityAddrVec(List<EntityAddr> addrs, int form) {
    /** Encoded as marker 2 plus a vector. */
    public static final int FORM_VECTOR = 2;
    /** Encoded as one bare address (markers 0 and 1). */
    public static final int FORM_SINGLE = 1;

    public EntityAddrVec {
        addrs = List.copyOf(addrs);
    }

    public static EntityAddrVec of(EntityAddr... addrs) {
        return new EntityAddrVec(List.of(addrs), FORM_VECTOR);
    }

    public static EntityAddrVec decode(CephDecoder d) {
        d.push("entity_addrvec_t");
        int marker = d.remaining() > 0 ? d.buffer().getUnsignedByte(d.buffer().readerIndex()) : -1;
        EntityAddrVec v;
        if (marker == 0 || marker == 1) {
            v = new EntityAddrVec(List.of(EntityAddr.decode(d)), FORM_SINGLE);
        } else if (marker == 2) {
            d.readU8();
            int n = d.readCountLe("addrs", 7);
            List<EntityAddr> out = new ArrayList<>(Math.min(n, 16));
            for (int i = 0; i < n; i++) {
                out.add(EntityAddr.decode(d));
            }
            v = new EntityAddrVec(out, FORM_VECTOR);
        } else {
            throw d.error("unknown entity_addrvec_t marker " + marker);
        }
        d.pop();
        return v;
    }

    public void encode(CephEncoder e) {
        if (form == FORM_SINGLE && addrs.size() == 1) {
            addrs.get(0).encode(e);
            return;
        }
        e.writeU8(2);
        e.writeList(addrs, (enc, a) -> a.encode(enc));
    }

    /** The first address of the given type, or null. */
    public EntityAddr first(int type) {
        for (EntityAddr a : addrs) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return addrs.toString();
    }
}
