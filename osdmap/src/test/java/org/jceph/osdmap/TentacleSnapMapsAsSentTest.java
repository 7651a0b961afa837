package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;

/**
 * Maps as a Tentacle 20.2.4 monitor sends them to jceph (which does not advertise
 * SERVER_TENTACLE), on a launcher cluster with pool snapshots ({@code rados mksnap} s1, s2, s3 on
 * pool p1): the full map of epoch 11 and the incrementals of epochs 12 and 13 (mksnap s2, s3)
 * with every pg_pool_t at v29; beside them {@code ceph osd getmap} of epochs 11 to 13, the
 * canonical maps with v32 pools whose CRCs the incrementals' full_crc carry. Before the applier
 * took v32 for v29 pools of require_osd_release tentacle maps, both incrementals failed their
 * CRC check.
 */
class TentacleSnapMapsAsSentTest {
    private static byte[] read(String name) throws IOException {
        return Files.readAllBytes(ProjectRoot.get()
                .resolve("fixtures/src/main/resources/fixtures/osdmap-tentacle-20.2.4-snaps").resolve(name));
    }

    @Test
    void incrementalsAppliedToAMapWithV29PoolsGiveTheCanonicalV32MapsAndTheirCrc() throws IOException {
        OsdMap map = OsdMapCodec.decode(read("sent-full.11"));
        assertTrue(map.requireOsdRelease() >= IncrementalApplier.RELEASE_TENTACLE);
        for (PgPool p : map.pools().values()) {
            assertEquals(29, p.version(), "the monitor sent us v29 pools");
        }
        assertNotEquals(read("getmap-full.11").length, read("sent-full.11").length);
        for (int e = 12; e <= 13; e++) {
            Incremental inc = Incremental.decode(read("sent-inc." + e));
            OsdMap next = inc.applyTo(map);
            byte[] want = read("getmap-full." + e);
            for (PgPool p : OsdMapCodec.decode(want).pools().values()) {
                assertEquals(32, p.version(), "ceph osd getmap has v32 pools");
            }
            assertTrue(inc.verifies(next), "full_crc of epoch " + e);
            assertArrayEquals(want, OsdMapCodec.encode(next), "epoch " + e + " byte for byte");
            map = next;
        }
        assertEquals(3, map.pools().get(2L).snaps().size(), "s1, s2 and s3");
    }

    @Test
    void onlyTentacleMapsTakeV32Pools() throws IOException {
        OsdMap sent = OsdMapCodec.decode(read("sent-full.11"));
        Map<Long, PgPool> before = sent.pools();
        assertSame(before, IncrementalApplier.canonicalPools(before, 19), "Squid maps keep what was decoded");
        Map<Long, PgPool> after = IncrementalApplier.canonicalPools(before, IncrementalApplier.RELEASE_TENTACLE);
        for (PgPool p : after.values()) {
            assertEquals(32, p.version());
        }
        OsdMap canonical = OsdMapCodec.decode(read("getmap-full.11"));
        PgPool v32 = canonical.pools().get(2L);
        assertSame(v32, v32.asTentacleEncoding(), "v32 pools are left alone");
    }
}
