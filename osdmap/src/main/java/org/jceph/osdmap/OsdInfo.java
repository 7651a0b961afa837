package org.jceph.osdmap;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code osd_info_t} (src/osd/OSDMap.h): an OSD's up/down history. A bare u8 version (1) then six
 * u32 epochs; 25 bytes, no envelope length:
 * last_clean_begin | last_clean_end | up_from | up_thru | down_at | lost_at.
 */
public record OsdInfo(int version, long lastCleanBegin, long lastCleanEnd, long upFrom, long upThru, long downAt,
        long lostAt) {
    public static final int SIZE = 25;

    public static OsdInfo decode(CephDecoder d) {
        d.push("osd_info_t");
        OsdInfo i = new OsdInfo(d.readU8(), d.readU32Le(), d.readU32Le(), d.readU32Le(), d.readU32Le(),
                d.readU32Le(), d.readU32Le());
        d.pop();
        return i;
    }

    public void encode(CephEncoder e) {
        e.writeU8(version).writeU32Le(lastCleanBegin).writeU32Le(lastCleanEnd).writeU32Le(upFrom)
                .writeU32Le(upThru).writeU32Le(downAt).writeU32Le(lostAt);
    }

    public static OsdInfo empty() {
        return new OsdInfo(1, 0, 0, 0, 0, 0, 0);
    }
}
