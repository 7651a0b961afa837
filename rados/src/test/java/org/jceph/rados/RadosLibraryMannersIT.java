package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * What a library user meets: librados' timeout options set to 0 (no timeout) in ceph.conf, each
 * typed errno as the cluster returns it, close() twice, and closing a client that still watches.
 * The cluster's osd_max_write_size is 4 MiB (its minimum), so that a 5 MiB write is the OSD's EMSGSIZE.
 */
@RealCluster(config = {"rados osd op timeout = 0", "rados mon op timeout = 0", "client mount timeout = 0",
        "osd max write size = 4", "mon pg warn min per osd = 0"})
class RadosLibraryMannersIT {
    private static RadosClient connect(CephCluster c) throws Exception {
        return RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void timeoutsOfZeroMeanNoTimeoutNotAnInstantFailure(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            assertEquals(Duration.ZERO, client.opTimeout(), "rados_osd_op_timeout = 0 from ceph.conf");
            assertEquals(Duration.ZERO, client.monOpTimeout(), "rados_mon_op_timeout = 0 from ceph.conf");
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("zero-timeout", b("works"));
            assertArrayEquals(b("works"), io.read("zero-timeout", 0, 0));
            assertEquals(5, io.stat("zero-timeout").size());
            assertTrue(client.monCommand("{\"prefix\":\"osd pool ls\"}").contains(c.testPool()));

            // paused, an op with no timeout waits (and is not failed) until the cluster resumes
            c.cephOrThrow("osd", "pause");
            try {
                client.waitForMap(m -> (m.flags() & 0xC) == 0xC, Duration.ofSeconds(30));
                CompletableFuture<Void> held = io.writeFullAsync("zero-timeout", b("later"));
                assertThrows(java.util.concurrent.TimeoutException.class, () -> held.get(3, TimeUnit.SECONDS),
                        "no timeout: still waiting after 3 s");
                assertFalse(held.isCompletedExceptionally());
                c.cephOrThrow("osd", "unpause");
                held.get(60, TimeUnit.SECONDS);
            } finally {
                c.cephOrThrow("osd", "unpause");
            }
            assertArrayEquals(b("later"), io.read("zero-timeout", 0, 0));

            // a context's own timeout still applies on top of a client without one
            io.setOpTimeout(Duration.ofSeconds(1));
            c.cephOrThrow("osd", "pause");
            try {
                client.waitForMap(m -> (m.flags() & 0xC) == 0xC, Duration.ofSeconds(30));
                RadosException.TimeoutException e = assertThrows(RadosException.TimeoutException.class,
                        () -> io.read("zero-timeout", 0, 1));
                assertTrue(e.getMessage().contains("Connection timed out (ETIMEDOUT, errno -110)"), e.getMessage());
            } finally {
                c.cephOrThrow("osd", "unpause");
                client.waitForMap(m -> (m.flags() & 0xC) == 0, Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void eachErrnoComesBackTypedNamingPoolNamespaceAndObject(CephCluster c) throws Exception {
        try (RadosClient client = connect(c); RadosClient other = connect(c)) {
            IoCtx io = client.ioCtx(c.testPool());
            io.setNamespace("errs");
            String at = "object 'e1' in pool '" + c.testPool() + "' namespace 'errs'";

            RadosException.ObjectNotFoundException enoent = assertThrows(RadosException.ObjectNotFoundException.class,
                    () -> io.read("e1", 0, 1));
            assertEquals(at + ": No such file or directory (ENOENT, errno -2)", enoent.getMessage());

            RadosException.PoolNotFoundException nopool = assertThrows(RadosException.PoolNotFoundException.class,
                    () -> client.ioCtx("no-such-pool"));
            assertEquals("pool 'no-such-pool' does not exist: No such file or directory (ENOENT, errno -2)",
                    nopool.getMessage());

            io.create("e1", true);
            RadosException.ObjectExistsException eexist = assertThrows(RadosException.ObjectExistsException.class,
                    () -> io.create("e1", true));
            assertEquals(at + ": File exists (EEXIST, errno -17)", eexist.getMessage());

            RadosException.NoDataException enodata = assertThrows(RadosException.NoDataException.class,
                    () -> io.getXattr("e1", "missing"));
            assertEquals(at + ": No data available (ENODATA, errno -61)", enodata.getMessage());

            io.setXattr("e1", "owner", b("me"));
            RadosException.CanceledException ecanceled = assertThrows(RadosException.CanceledException.class,
                    () -> io.operate("e1", new IoCtx.Operation().cmpXattr("owner", IoCtx.Comparison.EQ, b("you"))
                            .writeFull(b("x"))));
            assertTrue(ecanceled.getMessage().endsWith("Operation canceled (ECANCELED, errno -125)"), ecanceled.getMessage());

            long version = io.version("e1");
            RadosException.OutOfRangeException erange = assertThrows(RadosException.OutOfRangeException.class,
                    () -> io.operate("e1", new IoCtx.Operation().assertVersion(version - 1).writeFull(b("x"))));
            assertTrue(erange.getMessage().contains("Numerical result out of range"), erange.getMessage());

            RadosException.MessageTooLongException emsgsize = assertThrows(RadosException.MessageTooLongException.class,
                    () -> io.writeFull("e1", new byte[5 << 20]));
            assertEquals(at + ": Message too long (EMSGSIZE, errno -90)", emsgsize.getMessage());

            io.lock("e1", "l", false, "mine", "", "", 0);
            IoCtx theirs = other.ioCtx(c.testPool());
            theirs.setNamespace("errs");
            RadosException.BusyException ebusy = assertThrows(RadosException.BusyException.class,
                    () -> theirs.lock("e1", "l", false, "theirs", "", "", 0));
            assertTrue(ebusy.getMessage().endsWith("Device or resource busy (EBUSY, errno -16)"), ebusy.getMessage());

            RadosException.PermissionDeniedException eperm = assertThrows(RadosException.PermissionDeniedException.class,
                    () -> io.exec("e1", "no_such_class", "m", new byte[0]));
            assertTrue(eperm.getMessage().contains("Operation not permitted"), eperm.getMessage());

            for (RadosException e : List.of(enoent, eexist, enodata, ecanceled, erange, emsgsize, ebusy, eperm)) {
                assertFalse(e.getMessage().contains(c.adminKey()), "no key in " + e.getMessage());
            }
        }
    }

    @Test
    void aKeyWithoutTheCapsIsRefusedWithEpermByOsdsAndEaccesByMonitors(CephCluster c) throws Exception {
        String pool = c.testPool();
        c.cephOrThrow("auth", "get-or-create", "client.jceph-ro", "mon", "allow r", "osd", "allow r pool=" + pool);
        String key = c.cephOrThrow("auth", "print-key", "client.jceph-ro").strip();
        // connected fully in code: monitors, user and key, no keyring file
        CephConfig conf = CephConfig.builder().monHost(c.monHost())
                .name(org.jceph.messenger.EntityName.client("jceph-ro")).set("key", key).build();
        try (RadosClient ro = RadosClient.connect(conf)) {
            IoCtx io = ro.ioCtx(pool);
            RadosException.PermissionDeniedException eperm = assertThrows(RadosException.PermissionDeniedException.class,
                    () -> io.writeFull("ro-write", b("x")));
            assertEquals("object 'ro-write' in pool '" + pool + "': Operation not permitted (EPERM, errno -1)",
                    eperm.getMessage());
            RadosException.PermissionDeniedException eacces = assertThrows(RadosException.PermissionDeniedException.class,
                    () -> ro.monCommand(Map.of("prefix", "osd pool create", "pool", "ro-pool", "pg_num", 8)));
            assertEquals(-13, eacces.errno(), eacces.getMessage());
            assertTrue(eacces.getMessage().endsWith("Permission denied (EACCES, errno -13)"), eacces.getMessage());
            for (RadosException e : List.of(eperm, eacces)) {
                assertFalse(e.getMessage().contains(key), "no key in " + e.getMessage());
            }
        }
    }

    @Test
    void aBlocklistedClientGetsEblocklisted(CephCluster c) throws Exception {
        try (RadosClient client = connect(c)) {
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("bl", b("x"));
            long cookie = io.watch("bl", (id, gid, payload) -> null);
            IoCtx.Watcher me = io.listWatchers("bl").stream().filter(w -> w.cookie() == cookie).findFirst().orElseThrow();
            String addr = me.addr().toString().replaceFirst("^v[12]:|^any:", "");
            c.cephOrThrow("osd", "blocklist", "add", addr);
            try {
                client.waitForLatestOsdMap(Duration.ofSeconds(30));
                RadosException.BlocklistedException e = assertThrows(RadosException.BlocklistedException.class,
                        () -> io.read("bl", 0, 1));
                assertTrue(e.getMessage().endsWith("Cannot send after transport endpoint shutdown (EBLOCKLISTED, errno -108)"),
                        e.getMessage());
            } finally {
                c.cephOrThrow("osd", "blocklist", "rm", addr);
            }
        }
    }

    @Test
    void closeTwiceIsQuietAndClosingRemovesTheWatches(CephCluster c) throws Exception {
        try (RadosClient observer = connect(c)) {
            IoCtx seen = observer.ioCtx(c.testPool());
            RadosClient client = connect(c);
            IoCtx io = client.ioCtx(c.testPool());
            io.writeFull("watched", b("x"));
            io.watch("watched", (id, gid, payload) -> null);
            IoCtx second = client.ioCtx(c.testPool());
            second.watch("watched", (id, gid, payload) -> null);
            assertEquals(2, seen.listWatchers("watched").size());

            second.close();
            second.close();
            assertEquals(1, seen.listWatchers("watched").size(), "IoCtx.close removed its own watch");
            assertThrows(IllegalStateException.class, () -> second.read("watched", 0, 1));

            client.close();
            client.close();
            assertEquals(List.of(), seen.listWatchers("watched"), "the client's close removed the rest");
            io.close();
            assertTrue(client.isClosed());
            RadosException.ClientClosedException closed = assertThrows(RadosException.ClientClosedException.class,
                    () -> client.ioCtx(c.testPool()));
            assertEquals(-107, closed.errno());
            assertThrows(IllegalStateException.class, () -> io.read("watched", 0, 1));
            assertEquals(Map.of(), Map.copyOf(client.lingers));
        }
    }
}
