package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;

/**
 * Pages through a cls rbd listing method that takes a "start after" cursor and a maximum count
 * (dir_list, group_dir_list, group_image_list, group_snap_list, trash_list), as librbd's
 * listing requests do: {@value #MAX_ENTRIES} entries at a time until a short page. An absent
 * object lists nothing (no image, group or trash entry was ever made in that pool).
 */
final class ClsPager {
    /** Entries asked for per call. */
    static final int MAX_ENTRIES = 1024;

    private ClsPager() {
    }

    /**
     * Every entry of {@code method} on {@code oid}.
     *
     * @param start the cursor of the first call (before every entry)
     * @param cursor writes a cursor ahead of the maximum count
     * @param decodePage one reply's entries, in the order cls rbd lists them
     * @param cursorOf the cursor that continues after an entry
     */
    static <T, C> List<T> all(IoCtx io, String oid, String method, C start, BiConsumer<CephEncoder, C> cursor,
            Function<CephDecoder, List<T>> decodePage, Function<T, C> cursorOf) {
        List<T> out = new ArrayList<>();
        C after = start;
        while (true) {
            final C from = after;
            byte[] raw;
            try {
                raw = io.exec(oid, "rbd", method, CephEncoder.toBytes(e -> {
                    cursor.accept(e, from);
                    e.writeU64Le(MAX_ENTRIES);
                }));
            } catch (RadosException.ObjectNotFoundException e) {
                return out;
            }
            List<T> page = decodePage.apply(CephDecoder.of(raw, method));
            out.addAll(page);
            if (page.size() < MAX_ENTRIES) {
                return out;
            }
            after = cursorOf.apply(page.get(page.size() - 1));
        }
    }

    /**
     * A name-to-id directory (dir_list, group_dir_list), paged by name: a map of names to ids.
     */
    static java.util.SortedMap<String, String> directory(IoCtx io, String oid, String method) {
        java.util.SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> en : all(io, oid, method, "", (e, after) -> e.writeString(after),
                d -> List.copyOf(new TreeMap<>(d.readMap(8, CephDecoder::readString, CephDecoder::readString))
                        .entrySet()), Map.Entry::getKey)) {
            out.put(en.getKey(), en.getValue());
        }
        return out;
    }
}
