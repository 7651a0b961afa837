package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Import-only source specs: what jceph accepts, how it stores them, and what it refuses. */
class MigrationSourceSpecTest {
    @Test
    void nativeSpecIsStoredCompactWithSortedKeysAsLibrbdWritesIt() {
        NativeSource n = NativeSource.parse(
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
        assertEquals(-95, assertThrows(RbdException.class, () -> NativeSource.parse(
                "{\"type\":\"qcow\",\"stream\":{\"type\":\"file\",\"file_path\":\"/x\"}}")).errno());
        for (String bad : new String[] {"{\"type\":\"native\"", "[1]", "{\"type\":\"native\",\"image_name\":\"x\"}",
            "{\"type\":\"native\",\"pool_name\":\"p\",\"pool_id\":1,\"image_name\":\"x\"}",
            "{\"type\":\"native\",\"pool_name\":\"p\"}",
            "{\"type\":\"native\",\"pool_name\":7,\"image_name\":\"x\"}",
            "{\"type\":\"native\",\"pool_name\":\"p\",\"image_name\":\"x\",\"snap_name\":\"s\",\"snap_id\":4}"}) {
            assertEquals(-22, assertThrows(RbdException.class, () -> NativeSource.parse(bad)).errno(), bad);
        }
    }

    @Test
    void rawFileSpecIsStoredSortedAndCompactAtEveryLevel() {
        RawFileSource r = assertInstanceOf(RawFileSource.class, Migration.parseSource(
                "{ \"type\": \"raw\", \"stream\": { \"type\": \"file\", \"file_path\": \"/tmp/x.raw\" } }"));
        assertEquals("/tmp/x.raw", r.filePath());
        assertEquals("{\"stream\":{\"file_path\":\"/tmp/x.raw\",\"type\":\"file\"},\"type\":\"raw\"}",
                r.normalized());
        assertInstanceOf(NativeSource.class, Migration.parseSource(
                "{\"type\":\"native\",\"pool_id\":1,\"image_name\":\"a\"}"));
    }

    @Test
    void rawRefusalsAreTyped() {
        // jceph reads plain raw files only: snapshots, http/s3 streams and qcow are EOPNOTSUPP
        for (String unsupported : new String[] {
            "{\"type\":\"raw\",\"stream\":{\"type\":\"file\",\"file_path\":\"/x\"},\"snapshots\":[]}",
            "{\"type\":\"raw\",\"stream\":{\"type\":\"http\",\"url\":\"http://h/x\"}}",
            "{\"type\":\"raw\",\"stream\":{\"type\":\"s3\",\"url\":\"http://h/b/x\"}}",
            "{\"type\":\"qcow\",\"stream\":{\"type\":\"file\",\"file_path\":\"/x\"}}",
            "{\"type\":\"vmdk\"}"}) {
            assertEquals(-95, assertThrows(RbdException.class, () -> Migration.parseSource(unsupported)).errno(),
                    unsupported);
        }
        for (String bad : new String[] {"{\"type\":\"raw\"}", "{\"type\":\"raw\",\"stream\":\"file\"}",
            "{\"type\":\"raw\",\"stream\":{\"file_path\":\"/x\"}}",
            "{\"type\":\"raw\",\"stream\":{\"type\":\"file\"}}",
            "{\"type\":\"raw\",\"stream\":{\"type\":\"file\",\"file_path\":7}}"}) {
            assertEquals(-22, assertThrows(RbdException.class, () -> Migration.parseSource(bad)).errno(), bad);
        }
    }

    @Test
    void rawFileReadsItsBytesSizeAndRangeErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("img.raw");
        byte[] bytes = new byte[10000];
        new java.util.Random(3).nextBytes(bytes);
        java.nio.file.Files.write(f, bytes);
        try (RawFileSource r = (RawFileSource) Migration.parseSource("{\"type\":\"raw\",\"stream\":"
                + "{\"type\":\"file\",\"file_path\":\"" + f + "\"}}")) {
            assertEquals(10000, r.size());
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 100, 4196), r.readAsync(100, 4096).join());
            // past the end: librbd's FileStream fails a short read with ERANGE
            java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class,
                    () -> r.readAsync(8000, 4096).join());
            assertEquals(-34, ((RbdException) e.getCause()).errno());
        }
        RawFileSource missing = (RawFileSource) Migration.parseSource("{\"type\":\"raw\",\"stream\":"
                + "{\"type\":\"file\",\"file_path\":\"" + dir.resolve("none") + "\"}}");
        assertEquals(-2, assertThrows(RbdException.class, missing::open).errno());
    }
}
