package org.jceph.messenger.mon;

import java.util.SortedMap;
import java.util.UUID;

/**
 * The content of one MOSDMap message (src/messages/MOSDMap.h, HEAD_VERSION 4), with the maps
 * kept as opaque encoded blobs keyed by epoch; decoding them is the osdmap module's job.
 * <pre>
 * uuid fsid | map&lt;u32, bufferlist&gt; incremental_maps | map&lt;u32, bufferlist&gt; maps
 * | v2+: u32 oldest_map, u32 newest_map | v4+: gap_removed_snaps (empty since Octopus; skipped)
 * </pre>
 */
public record OsdMapUpdate(UUID fsid, SortedMap<Long, byte[]> incrementalMaps, SortedMap<Long, byte[]> fullMaps,
                           long oldestMap, long newestMap) {
    @Override
    public String toString() {
        return "OsdMapUpdate[fsid=" + fsid + ", incrementals=" + incrementalMaps.keySet() + ", full="
                + fullMaps.keySet() + ", oldest=" + oldestMap + ", newest=" + newestMap + "]";
    }
}
