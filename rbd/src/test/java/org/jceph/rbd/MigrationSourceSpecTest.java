package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Import-only source specs: what jceph accepts, how it stores them, and what it refuses. */
class MigrationSourceSpecTest {
    @Test
    void nativeSpecIsStoredCompactWithSortedKeysAsLibrbdWritesIt() {
        Migration.NativeSource n = Migration.NativeSource.parse(
                "{ \"type\": \"native\", \"pool_id\": 3, \"pool_namespace\": \"\", \"image_name\": \"s1\", "
                        + "\"snap_name\": \"a\" }");
        // the bytes Pacific's prepare stored for `rbd migration prepare --import-only rbd/s1@a`
        assertEquals("{\"image_name\":\"s1\",\"pool_id\":3,\"pool_namespace\":\"\",\"snap_name\":\"a\","
                + "\"type\":\"native\"}", n.normalized());
        assertEquals(3L, n.poolId());
        assertNull(n.poolName());
        assertEquals("a", n.snapName());
    }

    @Test
    void refusals() {
        assertEquals(-95, assertThrows(RbdException.class, () -> Migration.NativeSource.parse(
                "{\"type\":\"qcow\",\"stream\":{\"type\":\"file\",\"file_path\":\"/x\"}}")).errno());
        for (String bad : new String[] {"{\"type\":\"native\"", "[1]", "{\"type\":\"native\",\"image_name\":\"x\"}",
            "{\"type\":\"native\",\"pool_name\":\"p\",\"pool_id\":1,\"image_name\":\"x\"}",
            "{\"type\":\"native\",\"pool_name\":\"p\"}",
            "{\"type\":\"native\",\"pool_name\":7,\"image_name\":\"x\"}",
            "{\"type\":\"native\",\"pool_name\":\"p\",\"image_name\":\"x\",\"snap_name\":\"s\",\"snap_id\":4}"}) {
            assertEquals(-22, assertThrows(RbdException.class, () -> Migration.NativeSource.parse(bad)).errno(), bad);
        }
    }
}
