package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.CipherNotAllowedException;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonMap;
import org.jceph.messenger.mon.MonSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cephx with Ceph 20.2 (Tentacle) aes256k keys against a real cluster: a throwaway Tentacle
 * cluster of the project launcher (1 mon, 1 mgr, 1 memstore OSD, {@code --aes-key}), where
 * client.admin's key is aes256k (20.x's default) and client.aes's the legacy aes type, which the
 * launcher allows beside aes256k. Covers the monitor session and OSD I/O in msgr2 crc, msgr2 secure
 * and msgr1 (signed messages), aes256k tickets, the v10 monmap policy, a mixed keyring, ticket
 * renewal and the typed refusal once aes keys are disallowed.
 *
 * <p>Tentacle-specific, so it runs once per build: tagged {@value #TAG}, which only the failsafe
 * execution {@code it-tentacle} selects (the default and {@code it-reef} executions leave it out).
 * It changes monitor settings and restarts the monitor, hence a cluster of its own.
 */
@Tag(TentacleAes256kIT.TAG)
@RealCluster(release = "tentacle", osds = 1, aesKey = true)
class TentacleAes256kIT {
    /** The JUnit tag of tests that need a Tentacle cluster whatever the execution's release. */
    static final String TAG = "tentacle";

    private static CephCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cluster(CephCluster c) {
        cluster = c;
        assertEquals("tentacle", c.release());
        assertTrue(Files.exists(c.aesKeyringPath()), "the launcher made no aes key: " + c.dir());
    }

    /** A host-side config for the cluster: the launcher's host.conf plus {@code extra} options. */
    static CephConfig config(String keyring, String entity, String... extra) {
        CephConfig.Builder b = CephConfig.builder().environment(Map.of()).confFile(cluster.hostConfPath())
                .keyring(Path.of(keyring)).name(EntityName.parse(entity));
        for (int i = 0; i < extra.length; i += 2) {
            b.set(extra[i], extra[i + 1]);
        }
        return b.build();
    }

    static String admin() {
        return cluster.keyringPath().toString();
    }

    static final String[][] MODES = {
        {"ms_client_mode", "crc", "ms_mon_client_mode", "crc"},
        {"ms_client_mode", "secure", "ms_mon_client_mode", "secure"},
        {"ms_jceph_force_msgr1", "true"},
    };

    @Test
    void anAes256kClientAuthenticatesAndDoesIoInEveryMode() throws Exception {
        String admin = admin();
        for (String[] mode : MODES) {
            String what = String.join("=", mode);
            CephConfig cfg = config(admin, "client.admin", mode);
            assertEquals(CryptoKey.TYPE_AES256KRB5, cfg.secret().type(), what);
            try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
                Map<Integer, ServiceTicket> tickets = s.connection().serviceTickets();
                for (int service : List.of(EntityName.TYPE_AUTH, EntityName.TYPE_MON, EntityName.TYPE_OSD,
                        EntityName.TYPE_MGR)) {
                    ServiceTicket t = tickets.get(service);
                    assertNotNull(t, what + " " + EntityName.typeName(service));
                    assertEquals(CryptoKey.TYPE_AES256KRB5, t.sessionKeyType(), what + " " + t);
                    assertEquals(32, t.sessionKey().length, what);
                }
                MonMap map = s.fetchMonMap().get(10, TimeUnit.SECONDS);
                assertEquals(10, map.structVersion(), what);
                assertEquals(CryptoKey.TYPE_AES256KRB5, map.authServiceCipher(), what);
                assertEquals(CryptoKey.TYPE_AES256KRB5, map.authPreferredCipher(), what);
                assertEquals(List.of(CryptoKey.TYPE_AES, CryptoKey.TYPE_AES256KRB5), map.authAllowedCiphers(), what);
            }
            byte[] data = ("written by jceph with an aes256k key, " + what).getBytes(StandardCharsets.UTF_8);
            String oid = "aes256k-" + mode[1];
            try (RadosClient c = RadosClient.connect(cfg)) {
                IoCtx io = c.ioCtx(cluster.testPool());
                io.writeFull(oid, data);
                assertArrayEquals(data, io.read(oid, 0, 4096), what);
                assertTrue(io.listObjects().stream().anyMatch(o -> o.oid().equals(oid)), what);
            }
            // Tentacle's own rados reads back what we wrote (paths under the cluster dir are the
            // same inside its chroot)
            Path got = cluster.dir().resolve(oid + ".out");
            cluster.tool(Duration.ofSeconds(60), "rados", "-p", cluster.testPool(), "get", oid, got.toString())
                    .orThrow();
            assertArrayEquals(data, Files.readAllBytes(got), what);
        }
    }

    @Test
    void aMixedKeyringServesTheLegacyAesAndTheAes256kEntity() throws Exception {
        Path mixed = tmp.resolve("mixed.keyring");
        Files.writeString(mixed, Files.readString(cluster.keyringPath()) + "\n"
                + Files.readString(cluster.aesKeyringPath()));
        Files.setPosixFilePermissions(mixed, PosixFilePermissions.fromString("rw-------"));
        for (String entity : List.of("client.admin", "client.aes")) {
            for (String[] mode : MODES) {
                CephConfig cfg = config(mixed.toString(), entity, mode);
                try (RadosClient c = RadosClient.connect(cfg)) {
                    IoCtx io = c.ioCtx(cluster.testPool());
                    byte[] data = (entity + " " + String.join("=", mode)).getBytes(StandardCharsets.UTF_8);
                    io.writeFull("mixed-" + entity, data);
                    assertArrayEquals(data, io.read("mixed-" + entity, 0, 4096), entity);
                }
            }
        }
        assertEquals(CryptoKey.TYPE_AES, config(mixed.toString(), "client.aes").secret().type());
    }

    @Test
    void aes256kTicketsAreRenewedInPlaceAndTheRenewedOsdTicketWorks() throws Exception {
        ceph(Duration.ofSeconds(60), "config", "set", "mon", "auth_service_ticket_ttl", "12");
        ceph(Duration.ofSeconds(60), "config", "set", "mon", "auth_mon_ticket_ttl", "16");
        try {
            // both connection modes at once: each session waits out the same ticket lifetimes
            ExecutorService sides = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (String[] mode : List.of(MODES[0], MODES[2])) {
                    runs.add(sides.submit(() -> {
                        ticketsRenewedInPlace(mode);
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    try {
                        f.get(120, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof Error err) {
                            throw err;
                        }
                        throw (Exception) e.getCause();
                    }
                }
            } finally {
                sides.shutdownNow();
            }
        } finally {
            ceph(Duration.ofSeconds(60), "config", "rm", "mon", "auth_service_ticket_ttl");
            ceph(Duration.ofSeconds(60), "config", "rm", "mon", "auth_mon_ticket_ttl");
        }
    }

    /** One session in {@code mode}: both its tickets renewed in place, the OSD one still aes256k. */
    private void ticketsRenewedInPlace(String[] mode) throws Exception {
        CephConfig cfg = config(admin(), "client.admin", mode);
        try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
            var first = s.connection();
            ServiceTicket osdBefore = first.serviceTickets().get(EntityName.TYPE_OSD);
            ServiceTicket authBefore = first.serviceTickets().get(EntityName.TYPE_AUTH);
            assertEquals(12, osdBefore.validUntil().seconds());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Map<Integer, ServiceTicket> now = first.serviceTickets();
            while (System.nanoTime() < deadline && !(s.ticketRenewals() >= 2
                    && changed(authBefore, now.get(EntityName.TYPE_AUTH))
                    && changed(osdBefore, now.get(EntityName.TYPE_OSD)))) {
                try { // wakes early only if the session dies
                    s.closeFuture().handle((v, e) -> null).get(250, TimeUnit.MILLISECONDS);
                    throw new AssertionError("the monitor session ended while waiting for renewals");
                } catch (java.util.concurrent.TimeoutException stillOpen) {
                    now = s.connection().serviceTickets();
                }
            }
            assertTrue(s.ticketRenewals() >= 2, "renewals: " + s.ticketRenewals());
            assertTrue(changed(authBefore, now.get(EntityName.TYPE_AUTH)), "AUTH ticket renewed");
            assertTrue(changed(osdBefore, now.get(EntityName.TYPE_OSD)), "OSD ticket renewed");
            assertEquals(CryptoKey.TYPE_AES256KRB5, now.get(EntityName.TYPE_OSD).sessionKeyType());
            assertSame(first, s.connection(), "renewed in place");
        }
    }

    @Test
    void wipingTheRotatingKeysRenewsOurServiceTicketsAtOnce() throws Exception {
        CephConfig cfg = config(admin(), "client.admin", MODES[0]);
        try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
            MonMap map = s.fetchMonMap().get(10, TimeUnit.SECONDS);
            s.subscribe("monmap", map.epoch() + 1);
            ServiceTicket osdBefore = s.connection().serviceTickets().get(EntityName.TYPE_OSD);
            ServiceTicket authBefore = s.connection().serviceTickets().get(EntityName.TYPE_AUTH);
            ceph(Duration.ofSeconds(60), "auth", "wipe-rotating-service-keys");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            ServiceTicket osdNow = osdBefore;
            while (System.nanoTime() < deadline && !changed(osdBefore, osdNow)) {
                try { // wakes early only if the session dies
                    s.closeFuture().handle((v, e) -> null).get(250, TimeUnit.MILLISECONDS);
                    throw new AssertionError("the monitor session ended while waiting for the renewal");
                } catch (java.util.concurrent.TimeoutException stillOpen) {
                    osdNow = s.connection().serviceTickets().get(EntityName.TYPE_OSD);
                }
            }
            assertTrue(s.lastMonMap().authEpoch() > map.authEpoch(), "auth_epoch rose: " + s.lastMonMap());
            assertTrue(changed(osdBefore, osdNow), "the OSD ticket was renewed after the wipe");
            assertTrue(osdNow.secretId() != osdBefore.secretId() || !Arrays.equals(osdNow.blob(), osdBefore.blob()));
            assertArrayEquals(authBefore.blob(), s.connection().serviceTickets().get(EntityName.TYPE_AUTH).blob(),
                    "the AUTH ticket is kept");
        }
        // and RADOS I/O works with tickets issued under the new rotating keys
        try (RadosClient c = RadosClient.connect(config(admin(), "client.admin"))) {
            c.ioCtx(cluster.testPool()).writeFull("after-wipe", new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, c.ioCtx(cluster.testPool()).read("after-wipe", 0, 16));
        }
    }

    @Test
    void disallowingAesTurnsTheLegacyKeysReconnectIntoATypedRefusal() throws Exception {
        CephConfig cfg = config(cluster.aesKeyringPath().toString(), "client.aes", MODES[0]);
        try (Messenger m = new Messenger(); MonSession s = MonSession.connect(cfg, m)) {
            ceph(Duration.ofSeconds(60), "mon", "set", "auth_allowed_ciphers", "aes256k");
            try {
                MonMap map = s.fetchMonMap().get(10, TimeUnit.SECONDS);
                assertEquals(List.of(CryptoKey.TYPE_AES256KRB5), map.authAllowedCiphers());
                cluster.restartMon(false); // our session faults, hunts, and the monitor now refuses the aes key
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> s.closeFuture().get(60, TimeUnit.SECONDS));
                CipherNotAllowedException c = assertInstanceOf(CipherNotAllowedException.class, unwrap(e));
                assertEquals(CryptoKey.TYPE_AES, c.keyType());
                assertEquals(List.of(CryptoKey.TYPE_AES256KRB5), c.allowedCiphers());
                assertTrue(c.getMessage().contains("allow only [aes256k] keys"), c.getMessage());
            } finally {
                ceph(Duration.ofSeconds(60), "mon", "set", "auth_allowed_ciphers", "aes,aes256k");
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean changed(ServiceTicket a, ServiceTicket b) {
        return b != null && !Arrays.equals(a.blob(), b.blob());
    }

    /** Runs {@code ceph args...} of the cluster's release (Tentacle's own tool) and checks it succeeded. */
    static String ceph(Duration timeout, String... args) {
        return cluster.tool(timeout, "ceph", args).orThrow().stdout();
    }
}
