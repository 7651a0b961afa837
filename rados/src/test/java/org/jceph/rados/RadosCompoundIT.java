package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compound ops with asserts, object versions, sparse reads and locator keys, against the rados CLI. */
@RealCluster
class RadosCompoundIT {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void compoundWritesAreAtomicAndGuardedByAsserts(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(c.testPool());
            IoCtx.OperationResult created = io.operate("compound", new IoCtx.Operation().create(true)
                    .writeFull(b("body")).setXattr("owner", b("jceph")));
            long v = created.version();
            assertTrue(v > 0);
            assertEquals("jceph", c.radosOrThrow("-p", c.testPool(), "getxattr", "compound", "owner").trim());
            io.operate("compound", new IoCtx.Operation().assertVersion(v).append(b("+more")));
            RadosException stale = assertThrows(RadosException.class,
                    () -> io.operate("compound", new IoCtx.Operation().assertVersion(v).append(b("+lost"))));
            assertEquals(-34, stale.errno(), "ERANGE: the object moved on");
            assertEquals("body+more", new String(io.read("compound", 0, 100), StandardCharsets.UTF_8));
            RadosException missing = assertThrows(RadosException.class,
                    () -> io.operate("nope-compound", new IoCtx.Operation().assertExists().writeFull(b("x"))));
            assertEquals(-2, missing.errno());
            assertFalse(c.rados("-p", c.testPool(), "stat", "nope-compound").ok(), "nothing of the failed op applied");
            RadosException cmp = assertThrows(RadosException.class, () -> io.operate("compound",
                    new IoCtx.Operation().cmpXattr("owner", 1, b("someone else")).writeFull(b("overwritten"))));
            assertEquals(-125, cmp.errno());
            assertEquals("body+more", new String(io.read("compound", 0, 100), StandardCharsets.UTF_8));
            IoCtx.OperationResult read = io.operate("compound", new IoCtx.Operation().read(0, 4).getXattr("owner"));
            assertArrayEquals(b("body"), read.outputs().get(0));
            assertArrayEquals(b("jceph"), read.outputs().get(1));
        }
    }

    @Test
    void sparseReadsReturnExtentsAndTheirData(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(c.testPool());
            io.write("sparse", 0, b("head"));
            io.write("sparse", 1 << 20, b("tail"));
            IoCtx.SparseRead r = io.sparseRead("sparse", 0, 2 << 20);
            long dataBytes = r.extents().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(dataBytes, r.data().length);
            // memstore reports the whole object as one extent (bluestore would skip the hole); either
            // way the data must sit at the offsets the extents give
            byte[] whole = new byte[(1 << 20) + 4];
            int at = 0;
            for (var e : r.extents().entrySet()) {
                System.arraycopy(r.data(), at, whole, (int) (long) e.getKey(), (int) (long) e.getValue());
                at += (int) (long) e.getValue();
            }
            assertArrayEquals(b("head"), java.util.Arrays.copyOfRange(whole, 0, 4));
            assertArrayEquals(b("tail"), java.util.Arrays.copyOfRange(whole, 1 << 20, (1 << 20) + 4));
        }
    }

    @Test
    void locatorKeysPlaceObjectsWhereLibradosDoes(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(c.testPool());
            io.setLocatorKey("shared-key");
            io.writeFull("keyed", b("placed by key"));
            Path got = tmp.resolve("keyed");
            c.radosOrThrow("-p", c.testPool(), "--object-locator", "shared-key", "get", "keyed", got.toString());
            assertEquals("placed by key", Files.readString(got));
            assertTrue(c.cephOrThrow("osd", "map", c.testPool(), "keyed").contains("object 'keyed'"));
        }
    }
}
