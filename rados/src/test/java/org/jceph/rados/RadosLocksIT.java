package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.jceph.encoding.types.EntityName;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/** Advisory locks (cls_lock) between jceph and the rados CLI, both ways. */
@RealCluster
@CrossRelease
class RadosLocksIT {
    @Test
    void locksAreSeenAndRespectedBothWays(CephCluster c) throws IOException {
        String pool = c.testPool();
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(pool);
            io.writeFull("locked", new byte[] {1});

            // ours, seen by rados
            io.lock("locked", "mylock", false, "cookie-1", "", "held by jceph", 0);
            String info = c.radosOrThrow("-p", pool, "lock", "info", "locked", "mylock");
            assertTrue(info.contains("client." + client.instanceId()) && info.contains("cookie-1"), info);
            assertTrue(c.radosOrThrow("-p", pool, "lock", "list", "locked").contains("mylock"));
            assertFalse(c.rados("-p", pool, "lock", "get", "locked", "mylock", "--lock-cookie", "other").ok(),
                    "rados cannot take a lock we hold");
            RadosException exists = assertThrows(RadosException.class,
                    () -> io.lock("locked", "mylock", false, "cookie-1", "", "", 0));
            assertEquals(-17, exists.errno());
            io.unlock("locked", "mylock", "cookie-1");
            assertTrue(io.getLockInfo("locked", "mylock").lockers().isEmpty(), "unlocked");
            assertEquals(io.listLocks("locked").contains("mylock"),
                    c.radosOrThrow("-p", pool, "lock", "list", "locked").contains("mylock"), "list agrees with rados");

            // theirs, seen and respected by us, then broken
            c.radosOrThrow("-p", pool, "lock", "get", "locked", "theirlock", "--lock-cookie", "rados-cookie",
                    "--lock-description", "held by rados");
            LockInfo li = io.getLockInfo("locked", "theirlock");
            assertEquals(LockInfo.EXCLUSIVE, li.type());
            assertEquals(1, li.lockers().size());
            LockInfo.Locker holder = li.lockers().get(0);
            assertEquals("rados-cookie", holder.cookie());
            assertEquals("held by rados", holder.description());
            assertEquals(EntityName.TYPE_CLIENT, holder.name().type());
            RadosException busy = assertThrows(RadosException.class,
                    () -> io.lock("locked", "theirlock", false, "mine", "", "", 0));
            assertEquals(-16, busy.errno(), "EBUSY while rados holds it");
            io.breakLock("locked", "theirlock", holder.name(), holder.cookie());
            assertTrue(io.getLockInfo("locked", "theirlock").lockers().isEmpty());
            io.lock("locked", "theirlock", true, "s1", "tag", "", 0);
            io.lock("locked", "theirlock", true, "s2", "tag", "", 0);
            assertEquals(2, io.getLockInfo("locked", "theirlock").lockers().size(), "two shared holders");
        }
    }
}
