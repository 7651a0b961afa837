package org.jceph.encoding.types;

import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code SnapContext} (src/common/snap_types.h): the newest snap id a writer knows (seq) and the
 * existing snaps, newest first. No envelope: u64 seq, then u32 count and u64 ids.
 */
public record SnapContext(long seq, List<Long> snaps) {
    public static final SnapContext EMPTY = new SnapContext(0, List.of());

    public SnapContext {
        snaps = List.copyOf(snaps);
    }

    public static SnapContext decode(CephDecoder d) {
        d.push("SnapContext");
        long seq = d.readU64Le();
        List<Long> snaps = d.readList(8, CephDecoder::readU64Le);
        d.pop();
        return new SnapContext(seq, snaps);
    }

    public void encode(CephEncoder e) {
        e.writeU64Le(seq);
        e.writeList(snaps, CephEncoder::writeU64Le);
    }

    /** Valid as Ceph checks it: snaps strictly descending and none above seq. */
    public boolean isValid() {
        long prev = seq;
        for (int i = 0; i < snaps.size(); i++) {
            long s = snaps.get(i);
            if (Long.compareUnsigned(s, prev) > 0 || (i > 0 && s == prev)) {
                return false;
            }
            prev = s;
        }
        return true;
    }
}
