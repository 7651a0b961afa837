package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.Placement;
import org.jceph.rados.testlog.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees: the log events of a client that lives through an OSD kill and a monitor
 * restart (session faults, resends with their reasons, the monitor hunt), with no key in any
 * line; and the metrics of its MXBean, read through the platform MBean server, matching the ops
 * done. The SLF4J events come from the test binding {@link LogCapture}, at every level.
 */
// The fault-injection spec: ObservabilityIT, RadosFailoverIT, RadosWatchCheckIT, WatchFaultsIT and
// RadosModelIT ask for the very same cluster, so they share one (each leaves every OSD running).
@RealCluster(config = {"osd pool default min size = 2", "osd heartbeat grace = 6", "osd heartbeat interval = 2",
        "mon osd down out interval = 0", "osd pool default pg autoscale mode = off", "osd snap trim sleep = 0.005"})
class ObservabilityIT {
    private static RadosClient connect(CephCluster c) throws Exception {
        return RadosClient.connect(CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "120").build());
    }

    private static List<LogCapture.Event> events(Predicate<LogCapture.Event> p) {
        return LogCapture.events().stream().filter(p).toList();
    }

    private static Predicate<LogCapture.Event> at(org.slf4j.event.Level level, Class<?> logger, String... words) {
        return e -> e.level() == level && e.logger().equals(logger.getName())
                && Arrays.stream(words).allMatch(e.message()::contains);
    }

    /** The jceph events at INFO and above, and the last DEBUG ones, for failure messages. */
    private static String summary() {
        List<LogCapture.Event> all = LogCapture.events();
        List<String> lines = new ArrayList<>();
        for (LogCapture.Event e : all) {
            if (e.logger().startsWith("org.jceph") && e.level().toInt() >= org.slf4j.event.Level.INFO.toInt()) {
                lines.add(e.text());
            }
        }
        all.stream().filter(e -> e.logger().startsWith("org.jceph")).skip(Math.max(0, all.size() - 30))
                .forEach(e -> lines.add(e.text()));
        return "\n" + String.join("\n", lines);
    }

    @Test
    void faultsResendsAndReconnectsAreLoggedWithTheirReasonAndNoKey(CephCluster c) throws Exception {
        LogCapture.clear();
        try (RadosClient client = connect(c)) {
            IoCtx io = client.ioCtx(c.testPool());
            String victim = "obs-0";
            int primary = new Placement(client.osdMap()).pgToUpActing(
                    new Placement(client.osdMap()).objectToRawPg(io.poolId(), victim, "", "")).actingPrimary();
            for (int i = 0; i < 20; i++) {
                io.writeFull("obs-" + i, ("before " + i).getBytes(StandardCharsets.UTF_8));
            }
            long epochBefore = client.osdMap().epoch();
            // The primary hangs (SIGSTOP): its session stays open and the ops sent to it wait there
            // until the map that marks it down resends them, for that reason. (A SIGKILL here would
            // race: the client may see the session fault first and resend on its retry timer.)
            c.pauseOsd(primary);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    writes.add(io.writeFullAsync("obs-" + i, ("after " + i).getBytes(StandardCharsets.UTF_8)));
                }
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            } finally {
                // then it dies: the session that stayed open to it faults
                c.killOsd(primary);
            }
            assertTrue(client.osdMap().epoch() > epochBefore, "a map marked osd." + primary + " down");
            // the map that marked it down resent the ops waiting on it, one INFO line saying why
            assertFalse(events(at(org.slf4j.event.Level.INFO, RadosClient.class, "resending", "osd_down")).isEmpty(),
                    "resend for osd_down logged: " + summary());

            // the session to the killed OSD faulted, at INFO, naming the OSD and what is resent
            Predicate<LogCapture.Event> fault = at(org.slf4j.event.Level.INFO, RadosClient.class,
                    "osd." + primary + " session faulted", "resending");
            long faultDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (events(fault).isEmpty() && System.nanoTime() - faultDeadline < 0) {
                Thread.sleep(50);
            }
            assertFalse(events(fault).isEmpty(), "session fault logged: " + summary());
            // each resend at DEBUG, with its reason
            List<LogCapture.Event> resends = events(at(org.slf4j.event.Level.DEBUG, RadosClient.class, "resending tid"));
            assertFalse(resends.isEmpty(), summary());
            assertTrue(resends.stream().allMatch(e -> Arrays.stream(RadosMetrics.ResendReason.values())
                    .anyMatch(r -> e.message().endsWith(": " + r.tag()))), "every resend line names its reason");
            // map epochs at DEBUG, from the map keeper that applies them
            assertFalse(events(at(org.slf4j.event.Level.DEBUG, org.jceph.rados.internal.mon.MapKeeper.class, "osdmap e",
                    "incremental applied"))
                    .isEmpty(), summary());
            // the same story in the metrics
            RadosMetrics m = client.metrics();
            assertTrue(m.resends(RadosMetrics.ResendReason.OSD_DOWN) > 0, m.resendsByReason().toString());
            assertTrue(m.getOsdSessionFaults() > 0);
            assertEquals(resends.size(), m.getResends(), "one DEBUG line per resend counted");

            // the monitor goes away and comes back: the session hunts and reconnects, at INFO
            c.restartMon(false);
            client.waitForLatestOsdMap(Duration.ofSeconds(60)); // answered only by a re-opened session
            assertFalse(events(at(org.slf4j.event.Level.INFO, org.jceph.messenger.mon.MonSession.class,
                    "monitor session to", "faulted")).isEmpty(), summary());
            assertFalse(events(at(org.slf4j.event.Level.INFO, org.jceph.messenger.mon.MonSession.class,
                    "monitor session re-opened")).isEmpty(), summary());

            c.startOsd(primary);
            c.waitForCleanPgs(Duration.ofSeconds(120));
        }
        // nothing per op at INFO: 40 writes and their resends made a handful of INFO lines
        long info = LogCapture.events().stream()
                .filter(e -> e.logger().startsWith("org.jceph") && e.level() == org.slf4j.event.Level.INFO).count();
        assertTrue(info < 20, "INFO lines: " + info + "\n" + summary());

        // no line at any level carries the client's key
        CryptoKey admin = CryptoKey.fromBase64(c.adminKey());
        List<String> forms = List.of(c.adminKey(), java.util.Base64.getEncoder().encodeToString(admin.secret()),
                java.util.Base64.getEncoder().withoutPadding().encodeToString(admin.secret()),
                HexFormat.of().formatHex(admin.secret()));
        List<LogCapture.Event> all = LogCapture.events();
        assertTrue(all.size() > 20, "events captured: " + all.size());
        for (LogCapture.Event e : all) {
            String text = e.text();
            for (String f : forms) {
                assertFalse(text.contains(f), "key material in a log line: " + e.level() + " " + e.logger());
            }
        }
    }

    @Test
    void theMxBeanCountsTheOpsDone(CephCluster c) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try (RadosClient client = connect(c)) {
            name = client.mbeanName().orElseThrow();
            assertEquals("org.jceph", name.getDomain());
            assertEquals("RadosClient", name.getKeyProperty("type"));
            assertTrue(server.isRegistered(name));
            assertEquals(client.metrics().getClientId(), name.getKeyProperty("name"));
            IoCtx io = client.ioCtx(c.testPool());
            int writes = 12;
            int reads = 7;
            int stats = 3;
            byte[] payload = new byte[4096];
            for (int i = 0; i < writes; i++) {
                io.writeFull("mx-" + i, payload);
            }
            List<CompletableFuture<byte[]>> rs = new ArrayList<>();
            for (int i = 0; i < reads; i++) {
                rs.add(io.readAsync("mx-" + i, 0, 4096));
            }
            for (CompletableFuture<byte[]> r : rs) {
                assertEquals(4096, r.get(60, TimeUnit.SECONDS).length);
            }
            for (int i = 0; i < stats; i++) {
                assertEquals(4096, io.stat("mx-" + i).size());
            }
            assertEquals((long) writes, server.getAttribute(name, "WriteOps"));
            assertEquals((long) (reads + stats), server.getAttribute(name, "ReadOps"));
            assertEquals(0L, server.getAttribute(name, "OtherOps"));
            assertEquals((long) writes, server.getAttribute(name, "WriteLatencyCount"));
            assertEquals((long) (reads + stats), server.getAttribute(name, "ReadLatencyCount"));
            long[] hist = (long[]) server.getAttribute(name, "WriteLatencyHistogram");
            assertEquals(writes, Arrays.stream(hist).sum(), "every write in one bucket");
            long[] bounds = (long[]) server.getAttribute(name, "LatencyBucketBoundsMicros");
            assertEquals(hist.length, bounds.length);
            long total = (long) server.getAttribute(name, "WriteLatencyTotalMicros");
            assertTrue(total > 0, "write latency " + total + " us");
            // a write's latency falls under its bucket's bound
            int lastUsed = 0;
            for (int i = 0; i < hist.length; i++) {
                if (hist[i] > 0) {
                    lastUsed = i;
                }
            }
            assertTrue(total / writes <= bounds[lastUsed], "mean within the histogram");
            assertEquals(0L, server.getAttribute(name, "OpErrors"));
            assertEquals(0L, server.getAttribute(name, "OpsInFlight"));
            assertEquals(0L, server.getAttribute(name, "BytesInFlight"));
            assertEquals(client.osdMap().epoch(), server.getAttribute(name, "OsdMapEpoch"));
            assertEquals(0L, server.getAttribute(name, "Resends"));
            TabularData byReason = (TabularData) server.getAttribute(name, "ResendsByReason");
            assertEquals(RadosMetrics.ResendReason.values().length, byReason.size());
            int[] sessions = (int[]) server.getAttribute(name, "OsdSessionIds");
            assertTrue(sessions.length >= 1 && sessions.length <= c.osds(), Arrays.toString(sessions));
            assertEquals((long) sessions.length, server.getAttribute(name, "OsdSessions"));
            assertTrue((long) server.getAttribute(name, "OsdSessionOpens") >= sessions.length);

            // in flight while ops are outstanding, back to 0 when they are done
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                pending.add(io.writeFullAsync("mx-burst-" + i, payload));
            }
            long inFlight = (long) server.getAttribute(name, "OpsInFlight");
            long bytesInFlight = (long) server.getAttribute(name, "BytesInFlight");
            assertTrue(inFlight >= 0 && inFlight <= 32, "in flight " + inFlight);
            assertTrue(bytesInFlight <= 32L * payload.length && bytesInFlight % payload.length == 0,
                    "bytes in flight " + bytesInFlight);
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertEquals(0L, server.getAttribute(name, "OpsInFlight"));
            assertEquals(0L, server.getAttribute(name, "BytesInFlight"));
            assertEquals((long) writes + 32, server.getAttribute(name, "WriteOps"));
            assertEquals((long) writes + 32, client.metrics().opsCompleted(RadosMetrics.OpType.WRITE));

            // listing runs pg ops: "other"
            io.listObjects();
            assertTrue((long) server.getAttribute(name, "OtherOps") > 0);
            assertEquals(server.getAttribute(name, "OtherOps"), server.getAttribute(name, "OtherLatencyCount"));
            Map<String, Long> direct = client.metrics().getResendsByReason();
            assertEquals(direct.keySet(), Arrays.stream(RadosMetrics.ResendReason.values()).map(RadosMetrics.ResendReason::tag)
                    .collect(Collectors.toSet()));
        }
        assertFalse(server.isRegistered(name), "unregistered on close");
    }

    @Test
    void jmxCanBeTurnedOffAndTwoClientsHaveTwoBeans(CephCluster c) throws Exception {
        try (RadosClient a = connect(c); RadosClient b = connect(c);
                RadosClient off = RadosClient.connect(CephConfig.builder().confFile(c.confPath())
                        .set("jceph_metrics_jmx", "false").build())) {
            assertTrue(a.mbeanName().isPresent() && b.mbeanName().isPresent());
            assertFalse(a.mbeanName().equals(b.mbeanName()), "one bean per client");
            assertTrue(off.mbeanName().isEmpty());
            off.ioCtx(c.testPool()).writeFull("mx-off", new byte[] {1});
            assertEquals(1, off.metrics().getWriteOps(), "metrics are kept without JMX");
            assertArrayEquals(new byte[] {1}, off.ioCtx(c.testPool()).read("mx-off", 0, 1));
        }
    }
}
