package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jceph.encoding.types.SnapContext;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pool and self-managed snapshots from jceph, cross-checked with rados mksnap/lssnap/-s/rollback. */
@RealCluster
@CrossRelease
class RadosSnapsIT {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void poolSnapshotsCrossBothWays(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            client.createPool("psnaps", 8);
            client.enableApplication("psnaps", "rados");
            IoCtx io = client.ioCtx("psnaps");
            io.writeFull("obj", b("version 1"));
            io.snapCreate("s1");
            assertTrue(c.radosOrThrow("-p", "psnaps", "lssnap").contains("s1"));
            io.writeFull("obj", b("version 2"));
            Path old = tmp.resolve("old");
            c.radosOrThrow("-p", "psnaps", "-s", "s1", "get", "obj", old.toString());
            assertEquals("version 1", Files.readString(old));
            long id = io.snapLookup("s1");
            io.setReadSnap(id);
            assertEquals("version 1", s(io.read("obj", 0, 100)));
            io.setReadSnap(-2);
            assertEquals("version 2", s(io.read("obj", 0, 100)));

            c.radosOrThrow("-p", "psnaps", "mksnap", "theirs");
            client.waitForMap(m -> m.pool(io.poolId()).snaps().size() == 2, java.time.Duration.ofSeconds(30));
            assertTrue(io.snapList().containsValue("theirs"));

            io.snapRollback("obj", "s1");
            assertEquals("version 1", s(io.read("obj", 0, 100)));
            io.snapRemove("s1");
            assertFalse(c.radosOrThrow("-p", "psnaps", "lssnap").contains("s1"));
            client.deletePool("psnaps");
        }
    }

    @Test
    void selfManagedSnapshotsKeepTheDataAWriteContextProtects(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            client.createPool("smsnaps", 8);
            client.enableApplication("smsnaps", "rados");
            IoCtx io = client.ioCtx("smsnaps");
            io.writeFull("obj", b("before"));
            long snap = io.selfManagedSnapCreate();
            assertTrue(snap > 0);
            io.setSelfManagedSnapWriteContext(new SnapContext(snap, List.of(snap)));
            io.writeFull("obj", b("after"));
            io.setReadSnap(snap);
            assertEquals("before", s(io.read("obj", 0, 100)), "the OSD cloned the object for the snapshot");
            io.setReadSnap(-2);
            assertEquals("after", s(io.read("obj", 0, 100)));
            io.selfManagedSnapRollback("obj", snap);
            assertEquals("before", s(io.read("obj", 0, 100)));
            io.selfManagedSnapRemove(snap);
            client.deletePool("smsnaps");
        }
    }
}
