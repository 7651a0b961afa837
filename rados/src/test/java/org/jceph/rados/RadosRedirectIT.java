package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirect replies on the live cluster. Pacific offers cache modes writeback, proxy, readproxy,
 * readonly and none ("forward" and "readforward" are gone from the monitor). Of these only
 * readonly still makes an OSD redirect: a write, to a cache-tier pg that does not hold the object,
 * is answered with ENOENT and a request_redirect_t naming the base pool
 * (PrimaryLogPG::maybe_handle_cache_detail, do_cache_redirect). We follow it and the write lands
 * in the base pool, where the stock rados CLI reads it.
 */
// RadosBackoffIT, RadosRedirectIT and RadosMapChangesIT ask for the very same cluster, so they share one.
@RealCluster(config = {"mon pg warn min per osd = 0", "osd pool default min size = 1",
        "osd heartbeat grace = 6", "osd heartbeat interval = 2", "mon allow pool delete = true", "debug osd = 10"})
class RadosRedirectIT {
    @TempDir
    Path tmp;

    @Test
    void aWriteToAReadonlyCacheTierIsRedirectedToTheBasePool(CephCluster c) throws Exception {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            client.createPool("rbase", 8);
            client.createPool("rcache", 8);
            client.enableApplication("rbase", "rados");
            client.enableApplication("rcache", "rados");
            c.cephOrThrow("osd", "tier", "add", "rbase", "rcache");
            c.cephOrThrow("osd", "tier", "cache-mode", "rcache", "readonly", "--yes-i-really-mean-it");
            long base = client.poolId("rbase");
            client.waitForMap(m -> m.pool(client.poolId("rcache")).cacheMode() == 3 /* CACHEMODE_READONLY */, Duration.ofSeconds(30));

            IoCtx cache = client.ioCtx("rcache");
            byte[] data = "written through a redirect".getBytes(StandardCharsets.UTF_8);
            cache.writeFull("redirected", data);
            RadosClient.Stats s = client.stats();
            assertTrue(s.redirectsFollowed() >= 1, "the OSD redirected the write: " + s);

            Path got = tmp.resolve("got");
            c.radosOrThrow("-p", "rbase", "get", "redirected", got.toString());
            assertArrayEquals(data, Files.readAllBytes(got), "the write landed in the base pool " + base);
            String inCache = c.radosOrThrow("-p", "rcache", "ls");
            assertFalse(inCache.contains("redirected"), "the cache tier did not take it: " + inCache);
            assertArrayEquals(data, client.ioCtx("rbase").read("redirected", 0, 100));
            assertEquals(0, client.opsInFlight());
        }
    }
}
