package org.jceph.benchmarks.osdmap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.encoding.types.PgId;

/**
 * Full-map decode time (first call, then the median of warm calls), retained heap of one decoded
 * map, and the time to map every PG of every pool to its up/acting set.
 * {@code java -cp ... org.jceph.benchmarks.osdmap.OsdMapScale MAP}
 */
public final class OsdMapScale {
    private OsdMapScale() {
    }

    public static void main(String[] args) throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        long t0 = System.nanoTime();
        OsdMap first = OsdMapCodec.decode(bytes);
        long cold = System.nanoTime() - t0;
        long[] warm = new long[20];
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            OsdMapCodec.decode(bytes);
            warm[i] = System.nanoTime() - t;
        }
        Arrays.sort(warm);
        Runtime rt = Runtime.getRuntime();
        first = null;
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        OsdMap map = OsdMapCodec.decode(bytes);
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("map: %d bytes, epoch %d, %d OSDs, %d pools%n", bytes.length, map.epoch(), map.maxOsd(),
                map.pools().size());
        System.out.printf("decode: first %.1f ms, warm median %.2f ms; retained heap ~%.1f MB%n", cold / 1e6,
                warm[warm.length / 2] / 1e6, (after - before) / 1e6);
        OsdMap up = map;
        for (int osd = 0; osd < map.maxOsd(); osd++) {
            up = up.withOsd(osd, OsdMap.STATE_EXISTS | OsdMap.STATE_UP, OsdMap.WEIGHT_IN);
        }
        Placement p = new Placement(up);
        long pgs = 0;
        long checksum = 0;
        long t1 = System.nanoTime();
        for (var e : up.pools().entrySet()) {
            PgPool pool = e.getValue();
            for (long ps = 0; ps < pool.pgNum(); ps++) {
                Placement.Result r = p.pgToUpActing(new PgId(e.getKey(), ps));
                checksum += r.actingPrimary();
                pgs++;
            }
        }
        long mapping = System.nanoTime() - t1;
        System.out.printf("mapped %d PGs (all OSDs up and in) in %.2f s: %.0f PGs/s (checksum %d)%n", pgs,
                mapping / 1e9, pgs / (mapping / 1e9), checksum);
        if (up == null || map == null) {
            System.out.println(first);
        }
    }
}
