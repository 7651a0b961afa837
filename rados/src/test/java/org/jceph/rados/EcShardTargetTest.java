package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.fixtures.ProjectRoot;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.Placement;
import org.junit.jupiter.api.Test;

/**
 * Ops on an erasure-coded pool go to the acting primary's shard (Objecter::_calc_target): on a
 * Tentacle 20.2.4 map (fixtures osdmap-tentacle-20.2.4) whose EC PGs have their primary in a later
 * position, the shard is that position; replicated pools use NO_SHARD. Before this, jceph sent EC
 * ops to "5.4" instead of "5.4s0" and the OSD queued them forever (live Tentacle cluster).
 */
class EcShardTargetTest {
    @Test
    void ecOpsTargetThePrimarysShard() throws IOException {
        OsdMap m = OsdMapCodec.decode(Files.readAllBytes(ProjectRoot.get()
                .resolve("fixtures/src/main/resources/fixtures/osdmap-tentacle-20.2.4/06-msr-pool.e42.osdmap")));
        Placement p = new Placement(m);
        int checked = 0;
        int laterShards = 0;
        for (long pool : List.of(5L, 6L)) { // ec, ecmsr
            for (long ps = 0; ps < m.pool(pool).pgNum(); ps++) {
                Placement.Result r = p.pgToUpActing(new PgId(pool, ps));
                int shard = RadosClient.primaryShard(m.pool(pool), r);
                assertEquals(r.actingPrimary(), (int) r.acting().get(shard), r.toString());
                laterShards += shard > 0 ? 1 : 0;
                checked++;
            }
        }
        assertEquals(16, checked);
        assertEquals(true, laterShards > 0, "some EC PG has its primary past position 0 (primary affinity 0.5)");
        Placement.Result rep = p.pgToUpActing(new PgId(3, 1));
        assertEquals(SPgId.NO_SHARD, RadosClient.primaryShard(m.pool(3), rep));
    }
}
