package org.jceph.encoding.types;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/** {@code eversion_t} (src/osd/osd_types.h): u64 version then u32 epoch, 12 bytes, no envelope. */
public record EVersion(long version, long epoch) implements Comparable<EVersion> {
    public static final EVersion ZERO = new EVersion(0, 0);

    public static EVersion decode(CephDecoder d) {
        d.push("eversion_t");
        EVersion v = new EVersion(d.readU64Le(), d.readU32Le());
        d.pop();
        return v;
    }

    public void encode(CephEncoder e) {
        e.writeU64Le(version).writeU32Le(epoch);
    }

    @Override
    public int compareTo(EVersion o) {
        int c = Long.compare(epoch, o.epoch);
        return c != 0 ? c : Long.compareUnsigned(version, o.version);
    }

    /** Ceph prints epoch'version. */
    @Override
    public String toString() {
        return epoch + "'" + version;
    }
}
