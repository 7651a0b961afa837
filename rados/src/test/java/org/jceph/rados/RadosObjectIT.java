package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first RADOS ops from pure Java, straight to the acting primary our placement computed, and
 * cross-checked with librados' own CLI in both directions.
 */
@RealCluster
@CrossRelease
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RadosObjectIT {
    private RadosClient client;
    private IoCtx io;
    private CephCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    void connect(CephCluster c) throws IOException {
        cluster = c;
        client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()));
        io = client.ioCtx(c.testPool());
    }

    @AfterAll
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void whatWeWriteFullTheRadosCliReadsBackByteForByte() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(11).nextBytes(data);
        io.writeFull("jceph-written", data);
        Path got = tmp.resolve("got");
        cluster.radosOrThrow("-p", cluster.testPool(), "get", "jceph-written", got.toString());
        assertArrayEquals(data, Files.readAllBytes(got));
        assertEquals(data.length, io.stat("jceph-written").size());
    }

    @Test
    void whatTheRadosCliPutsWeReadBack() throws IOException {
        byte[] data = "written by librados\n".getBytes(StandardCharsets.UTF_8);
        Path in = tmp.resolve("in");
        Files.write(in, data);
        cluster.radosOrThrow("-p", cluster.testPool(), "put", "librados-written", in.toString());
        assertArrayEquals(data, io.read("librados-written", 0, 4096));
        assertArrayEquals("librados".getBytes(StandardCharsets.UTF_8), io.read("librados-written", 11, 8));
    }

    @Test
    void partialWritesLandAtTheirOffset() throws IOException {
        io.writeFull("jceph-partial", "aaaaaaaaaa".getBytes(StandardCharsets.UTF_8));
        io.write("jceph-partial", 3, "XYZ".getBytes(StandardCharsets.UTF_8));
        Path got = tmp.resolve("partial");
        cluster.radosOrThrow("-p", cluster.testPool(), "get", "jceph-partial", got.toString());
        assertEquals("aaaXYZaaaa", Files.readString(got));
    }

    @Test
    void removedObjectsAreGoneForLibradosAndMissingOnesAreTyped() {
        io.writeFull("jceph-doomed", new byte[] {1});
        io.remove("jceph-doomed");
        assertFalse(cluster.rados("-p", cluster.testPool(), "stat", "jceph-doomed").ok());
        assertThrows(RadosException.ObjectNotFoundException.class, () -> io.read("jceph-doomed", 0, 1));
        assertThrows(RadosException.ObjectNotFoundException.class, () -> io.stat("never-written"));
    }

    @Test
    void manyObjectsSpreadOverEveryOsdAllRoundTrip() {
        for (int i = 0; i < 40; i++) {
            io.writeFull("spread-" + i, ("object " + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 40; i++) {
            assertEquals("object " + i, new String(io.read("spread-" + i, 0, 100), StandardCharsets.UTF_8));
        }
    }
}
