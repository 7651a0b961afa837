package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.junit.jupiter.api.Test;

/**
 * The client's map pipeline on every release: each incremental applied on our map must reproduce
 * the monitor's full_crc, and a mismatch (our map has diverged) is answered by asking for a full
 * map, which replaces ours. Reef and Tentacle monitors send pools and client data at encodings
 * Pacific's never did, so this runs on each.
 */
@RealCluster
@CrossRelease
class RadosMapPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RadosClient connect(CephCluster c) throws Exception {
        return RadosClient.connect(CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "120").build());
    }

    @Test
    void incrementalsAreCrcCheckedAndAMismatchBringsAFullMap(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            RadosClient.MapStats before = client.mapStats();
            client.createPool("maps1", 8);
            RadosClient.MapStats mid = client.mapStats();
            assertTrue(mid.incrementals() > before.incrementals(), "the pool came as incrementals: " + mid);
            assertEquals(0, mid.crcMismatches(), "every incremental matched its full_crc: " + mid);

            client.injectDivergence();
            client.createPool("maps2", 8);
            // the full map asked for after the mismatch may still be on its way when the pool
            // command returns (Reef's monitor answers later than Pacific's): wait for the
            // monitor's epoch first, then check how it got here
            long epoch = JSON.readTree(c.cephOrThrow("osd", "dump", "-f", "json")).get("epoch").asLong();
            client.waitForMap(x -> x.epoch() >= epoch, Duration.ofSeconds(30));
            RadosClient.MapStats after = client.mapStats();
            // one mismatch, or two when the monitor resent the same incremental (Reef and Tentacle
            // do when the subscription is renewed) before the full map came
            assertTrue(after.crcMismatches() >= 1, after.toString());
            assertEquals(after.crcMismatches(), after.fullMapRequests(), after.toString());
            assertTrue(after.fullMaps() > mid.fullMaps(), "a full map replaced the diverged one: " + after);
            OsdMap m = client.osdMap();
            assertEquals(m.crc(), OsdMapCodec.computeCrc(m));
            assertTrue(client.osdMap().poolNames().containsValue("maps2"));
        }
    }
}
