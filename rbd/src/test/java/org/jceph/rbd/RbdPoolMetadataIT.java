package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jceph.rados.IoCtx;
import org.junit.jupiter.api.Test;

/**
 * Pool metadata ({@link RbdPool#metadataGet} and the rest: rbd_pool_metadata_*) on the pool's
 * rbd_info, read and written by the stock tool's {@code rbd config pool} (its conf_ keys) and
 * seen in the omap as cls_rbd keeps it; and {@link RbdPool#stats} against {@code rbd pool stats}.
 */
class RbdPoolMetadataIT extends LiveRbdTest {

    @Test
    void poolMetadataIsSharedWithTheStockTool() {
        c.cephOrThrow("osd", "pool", "create", "rbdx-meta", "8");
        c.rbdOrThrow("pool", "init", "rbdx-meta");
        IoCtx io = client.ioCtx("rbdx-meta");
        assertTrue(RbdPool.metadataList(io).isEmpty());
        RbdPool.metadataSet(io, "user.owner", "team-a");
        RbdPool.metadataSet(io, "conf_rbd_cache_max_dirty", "1048576");
        assertEquals("1048576", c.rbdOrThrow("config", "pool", "get", "rbdx-meta", "rbd_cache_max_dirty").strip(),
                "a conf_ key we set is a pool config override for librbd");
        assertTrue(c.radosOrThrow("-p", "rbdx-meta", "listomapkeys", "rbd_info").contains("metadata_user.owner"));
        c.rbdOrThrow("config", "pool", "set", "rbdx-meta", "rbd_cache_size", "2097152");
        assertEquals("2097152", RbdPool.metadataGet(io, "conf_rbd_cache_size"), "librbd's, read by us");
        var all = RbdPool.metadataList(io);
        assertEquals("team-a", all.get("user.owner"));
        assertEquals(3, all.size(), all.toString());

        assertThrows(RbdException.class, () -> RbdPool.metadataSet(io, "conf_no_such_option", "1"));
        assertThrows(RbdException.class, () -> RbdPool.metadataSet(io, "conf_rbd_cache_size", "lots"));
        RbdPool.metadataRemove(io, "user.owner");
        assertThrows(RbdException.NoSuchKeyException.class, () -> RbdPool.metadataGet(io, "user.owner"));
        assertThrows(RbdException.NoSuchKeyException.class, () -> RbdPool.metadataRemove(io, "user.owner"));
        RbdPool.metadataRemove(io, "conf_rbd_cache_size");
        assertFalse(c.rbdOrThrow("config", "pool", "list", "rbdx-meta").lines()
                .anyMatch(l -> l.startsWith("rbd_cache_size ") && l.endsWith("pool")));
    }

    @Test
    void statsAreTheStockToolsCounts() {
        c.cephOrThrow("osd", "pool", "create", "rbdx-pstat", "8");
        RbdPool.init(client.ioCtx("rbdx-pstat"), false);
        c.rbdOrThrow("create", "--size", "8M", "rbdx-pstat/a");
        c.rbdOrThrow("snap", "create", "--no-progress", "rbdx-pstat/a@s");
        c.rbdOrThrow("resize", "--no-progress", "--size", "12M", "rbdx-pstat/a");
        c.rbdOrThrow("create", "--size", "2M", "rbdx-pstat/t");
        c.rbdOrThrow("trash", "mv", "rbdx-pstat/t");
        RbdPool.Stats s = RbdPool.stats(client.ioCtx("rbdx-pstat"));
        assertEquals(new RbdPool.Stats(1, 12 << 20, 12 << 20, 1, 1, 2 << 20, 2 << 20, 0), s);
        String json = c.rbdOrThrow("pool", "stats", "--format", "json", "rbdx-pstat");
        assertEquals("{\"images\":{\"count\":1,\"provisioned_bytes\":12582912,\"snap_count\":1},"
                + "\"trash\":{\"count\":1,\"provisioned_bytes\":2097152,\"snap_count\":0}}", json.strip());
    }
}
