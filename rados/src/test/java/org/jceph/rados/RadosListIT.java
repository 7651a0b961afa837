package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespaces and PGNLS listing, compared with rados -N, rados ls and rados ls --all. */
@RealCluster
class RadosListIT {
    @TempDir
    Path tmp;

    @Test
    void listingMatchesTheRadosCliPerNamespaceAndAcrossAll(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment("-c", c.confPath().toString()))) {
            IoCtx io = client.ioCtx(c.testPool());
            for (int i = 0; i < 30; i++) {
                io.writeFull("listed-" + i, new byte[] {(byte) i});
            }
            io.setNamespace("tenant");
            for (int i = 0; i < 10; i++) {
                io.writeFull("in-ns-" + i, ("ns " + i).getBytes(StandardCharsets.UTF_8));
            }
            Path got = tmp.resolve("got");
            c.radosOrThrow("-p", c.testPool(), "-N", "tenant", "get", "in-ns-3", got.toString());
            assertArrayEquals("ns 3".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(got));

            Set<String> ours = io.listObjects("").stream().map(RadosListIT::asRadosLs)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> theirs = new TreeSet<>(c.radosOrThrow("-p", c.testPool(), "ls").lines().toList());
            assertEquals(theirs, ours);
            assertTrue(ours.contains("listed-17") && !ours.contains("in-ns-3"));

            Set<String> tenant = io.listObjects().stream().map(IoCtx.ListedObject::oid).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(c.radosOrThrow("-p", c.testPool(), "-N", "tenant", "ls").lines().toList()), tenant);
            assertEquals(10, tenant.size());

            Set<String> all = io.listObjects(IoCtx.ALL_NAMESPACES).stream()
                    .map(o -> o.namespace() + "\t" + asRadosLs(o)) // rados ls --all prints the tab even for ""
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(c.radosOrThrow("-p", c.testPool(), "ls", "--all").lines().toList()), all);
        }
    }

    /** rados ls prints an object's locator key after a tab when it has one. */
    private static String asRadosLs(IoCtx.ListedObject o) {
        return o.locator().isEmpty() ? o.oid() : o.oid() + "\t" + o.locator();
    }
}
