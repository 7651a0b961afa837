package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Objecter under real map changes with ops in flight: a pg split, an OSD marked out and
 * down, a pool deleted under held ops. The map pipeline itself (incrementals CRC-checked, a
 * mismatch answered by a full map) is in {@link RadosMapPipelineIT}, which runs on every release.
 */
// RadosBackoffIT, RadosRedirectIT and RadosMapChangesIT ask for the very same cluster, so they share one.
@RealCluster(config = {"mon pg warn min per osd = 0", "osd pool default min size = 1",
        "osd heartbeat grace = 6", "osd heartbeat interval = 2", "mon allow pool delete = true", "debug osd = 10"})
class RadosMapChangesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static RadosClient connect(CephCluster c) throws Exception {
        return RadosClient.connect(CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "120").build());
    }

    /**
     * Writes rounds of 32 objects (each round's bytes name the round) while {@code ceph args} runs,
     * until our map has reached the epoch the cluster had after the command, and two more rounds
     * have passed; every op must succeed. Returns the last round.
     */
    private static int writeWhile(CephCluster c, RadosClient client, IoCtx io, String... args) throws Exception {
        return writeWhile(c, client, io, m -> true, args);
    }

    /** As above, also until {@code until} holds of our map (the mgr raises pg_num in steps). */
    private static int writeWhile(CephCluster c, RadosClient client, IoCtx io,
            java.util.function.Predicate<OsdMap> until, String... args) throws Exception {
        java.util.concurrent.atomic.AtomicLong changedAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        Thread changer = new Thread(() -> {
            try {
                Thread.sleep(300);
                c.cephOrThrow(args);
                changedAt.set(JSON.readTree(c.cephOrThrow("osd", "dump", "-f", "json")).get("epoch").asLong());
            } catch (Exception e) {
                changedAt.set(-1);
            }
        });
        changer.start();
        int round = 0;
        int after = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (after < 2) {
            assertTrue(System.nanoTime() < deadline, "the map change never arrived");
            assertTrue(changedAt.get() != -1, "ceph " + String.join(" ", args) + " failed");
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                fs.add(io.writeFullAsync("obj-" + i, ("round " + round + " obj " + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            if (client.osdMap().epoch() >= changedAt.get() && until.test(client.osdMap())) {
                after++;
            }
            round++;
        }
        changer.join(60_000);
        return round - 1;
    }

    private static void checkAll(CephCluster c, IoCtx io, String pool, int round, Path tmp) throws Exception {
        for (int i = 0; i < 32; i++) {
            assertEquals("round " + round + " obj " + i, new String(io.read("obj-" + i, 0, 100), StandardCharsets.UTF_8));
        }
        Path got = tmp.resolve("got");
        c.radosOrThrow("-p", pool, "get", "obj-5", got.toString());
        assertArrayEquals(("round " + round + " obj 5").getBytes(StandardCharsets.UTF_8), Files.readAllBytes(got));
    }

    /** Our placement of {@code oid} agrees with {@code ceph osd map}. */
    private static void placementAgrees(CephCluster c, RadosClient client, IoCtx io, String pool, String oid)
            throws Exception {
        JsonNode j = JSON.readTree(c.cephOrThrow("osd", "map", pool, oid, "-f", "json"));
        Placement p = new Placement(client.osdMap());
        Placement.Result r = p.pgToUpActing(p.objectToRawPg(io.poolId(), oid, "", ""));
        assertEquals(j.get("pgid").asText(), r.pg().toString(), "pg of " + oid);
        assertEquals(j.get("acting_primary").asInt(), r.actingPrimary(), "primary of " + oid);
    }

    @Test
    void opsInFlightDuringAPgSplitAllLand(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            long pool = client.createPool("split", 8);
            client.enableApplication("split", "rados");
            IoCtx io = client.ioCtx("split");
            int last = writeWhile(c, client, io, m -> m.pool(pool).pgNum() == 32,
                    "osd", "pool", "set", "split", "pg_num", "32");
            assertEquals(32, client.osdMap().pool(pool).pgNum(), "the pool split");
            checkAll(c, io, "split", last, tmp);
            // the mgr raises pgp_num after pg_num, in steps: compare placements once all is settled
            client.waitForMap(m -> m.pool(pool).pgpNum() == 32, Duration.ofSeconds(120));
            c.waitForCleanPgs(Duration.ofSeconds(120));
            client.waitForLatestOsdMap(Duration.ofSeconds(30));
            for (int i = 0; i < 32; i += 7) {
                placementAgrees(c, client, io, "split", "obj-" + i);
            }
        }
    }

    @Test
    void opsInFlightWhileAnOsdIsMarkedOutAndDownAllLand(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            long pool = client.createPool("outdown", 8);
            client.enableApplication("outdown", "rados");
            IoCtx io = client.ioCtx("outdown");
            int last = writeWhile(c, client, io, "osd", "out", "1");
            assertTrue(client.osdMap().isOut(1));
            checkAll(c, io, "outdown", last, tmp);
            placementAgrees(c, client, io, "outdown", "obj-3");
            last = writeWhile(c, client, io, "osd", "down", "2");
            checkAll(c, io, "outdown", last, tmp);
            c.cephOrThrow("osd", "in", "1");
            client.waitForMap(m -> !m.isOut(1) && m.isUp(2), Duration.ofSeconds(90)); // osd.2 marks itself up again
            io.writeFull("obj-0", "final".getBytes(StandardCharsets.UTF_8));
            assertEquals("final", new String(io.read("obj-0", 0, 10), StandardCharsets.UTF_8));
            assertTrue(pool > 0);
        }
    }

    @Test
    void opsHeldWhenTheirPoolIsDeletedFailWithEnoent(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            long pool = client.createPool("doomed2", 8);
            client.enableApplication("doomed2", "rados");
            IoCtx io = client.ioCtx("doomed2");
            io.writeFull("x", new byte[] {1});
            c.cephOrThrow("osd", "pause");
            List<CompletableFuture<Void>> held = new ArrayList<>();
            try {
                client.waitForMap(m -> (m.flags() & 0xC) == 0xC, Duration.ofSeconds(30));
                for (int i = 0; i < 16; i++) {
                    held.add(io.writeFullAsync("x" + i, new byte[] {2}));
                }
                assertEquals(16, client.opsInFlight());
                client.deletePool("doomed2");
            } finally {
                c.cephOrThrow("osd", "unpause");
            }
            for (CompletableFuture<Void> f : held) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> f.get(30, TimeUnit.SECONDS));
                assertInstanceOf(RadosException.PoolNotFoundException.class, e.getCause(), String.valueOf(e.getCause()));
            }
            assertEquals(0, client.opsInFlight());
            assertTrue(client.osdMap().pool(pool) == null);
        }
    }


    @Test
    void aWatchSurvivesAPgSplit(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            long pool = client.createPool("wsplit", 8);
            client.enableApplication("wsplit", "rados");
            IoCtx io = client.ioCtx("wsplit");
            java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 8; i++) {
                io.writeFull("w" + i, new byte[] {1});
                String oid = "w" + i;
                io.watch(oid, (id, gid, payload) -> {
                    heard.add(oid);
                    return new byte[0];
                });
            }
            c.cephOrThrow("osd", "pool", "set", "wsplit", "pg_num", "32");
            client.waitForMap(m -> m.pool(pool).pgNum() == 32 && m.pool(pool).pgpNum() == 32, Duration.ofSeconds(120));
            c.waitForCleanPgs(Duration.ofSeconds(120));
            for (int i = 0; i < 8; i++) {
                String out = c.radosOrThrow("-p", "wsplit", "notify", "w" + i, "after-split");
                assertTrue(out.startsWith("reply client." + client.instanceId()), "w" + i + ": " + out);
            }
            assertEquals(8, heard.size(), heard.toString());
        }
    }
}
