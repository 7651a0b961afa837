package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;

/**
 * Maps as a Reef 18.2.7 monitor sends them to jceph (which does not advertise SERVER_REEF): the
 * full map of epoch 11 with a v9 client section and the incrementals of epochs 12 and 13
 * re-encoded for our features, captured from jceph's own subscription during
 * RadosMapChangesIT on a launcher cluster ({@code bin/jceph-cluster start DIR --release reef});
 * beside them {@code ceph osd getmap} of epochs 12 and 13, the canonical v10 maps whose CRCs the
 * incrementals' full_crc carry. Before the applier took v10 for require_osd_release reef maps,
 * every incremental failed its CRC check on Reef.
 */
class ReefMapsAsSentTest {
    private static byte[] read(String name) throws IOException {
        return Files.readAllBytes(ProjectRoot.get()
                .resolve("fixtures/src/main/resources/fixtures/osdmap-reef-18.2.7-as-sent").resolve(name));
    }

    @Test
    void incrementalsAppliedToAV9MapGiveTheCanonicalV10MapsAndTheirCrc() throws IOException {
        OsdMap map = OsdMapCodec.decode(read("sent-full.11"));
        assertEquals(9, map.clientVersion(), "the monitor sent us a v9 client section");
        assertEquals(IncrementalApplier.RELEASE_REEF, map.requireOsdRelease());
        for (int e = 12; e <= 13; e++) {
            Incremental inc = Incremental.decode(read("sent-inc." + e));
            OsdMap next = inc.applyTo(map);
            byte[] want = read("getmap-full." + e);
            assertEquals(10, OsdMapCodec.decode(want).clientVersion(), "ceph osd getmap is v10");
            assertTrue(inc.verifies(next), "full_crc of epoch " + e);
            assertArrayEquals(want, OsdMapCodec.encode(next), "epoch " + e + " byte for byte");
            map = next;
        }
    }

    @Test
    void onlyV9MapsOfReefOrLaterClustersChangeVersion() {
        assertEquals(10, IncrementalApplier.canonicalClientVersion(9, IncrementalApplier.RELEASE_REEF));
        assertEquals(10, IncrementalApplier.canonicalClientVersion(9, 20));
        assertEquals(9, IncrementalApplier.canonicalClientVersion(9, 16), "Pacific maps stay v9");
        assertEquals(9, IncrementalApplier.canonicalClientVersion(9, 17), "Quincy maps stay v9");
        assertEquals(8, IncrementalApplier.canonicalClientVersion(8, IncrementalApplier.RELEASE_REEF));
        assertEquals(10, IncrementalApplier.canonicalClientVersion(10, 16));
    }
}
