package org.jceph.cli.osd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/** {@code jceph osd map} prints exactly what {@code ceph osd map} prints, for many names and namespaces. */
@RealCluster
class OsdMapCommandIT {
    private static String ours(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OsdMapCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return rc + ":" + out.toString(StandardCharsets.UTF_8).trim() + err.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void everyObjectLandsWhereTheMonitorSays(CephCluster c) {
        String conf = c.confPath().toString();
        for (int i = 0; i < 25; i++) {
            String name = "object-" + i + (i % 3 == 0 ? "-with a space" : "");
            String theirs = c.cephOrThrow("osd", "map", c.testPool(), name).trim();
            assertEquals("0:" + theirs, ours(c.testPool(), name, "-c", conf), name);
        }
        for (String ns : new String[] {"ns1", "tenant-b"}) {
            String theirs = c.cephOrThrow("osd", "map", c.testPool(), "obj", ns).trim();
            assertEquals("0:" + theirs, ours(c.testPool(), "obj", ns, "-c", conf), ns);
            assertEquals("0:" + theirs, ours(c.testPool(), "obj", "--namespace", ns, "-c", conf), ns);
        }
        String json = c.cephOrThrow("osd", "map", c.testPool(), "hello", "-f", "json").trim();
        assertEquals("0:" + json, ours(c.testPool(), "hello", "-f", "json", "-c", conf));
    }

    @Test
    void anUnknownPoolIsEnoentAsTheCliSaysIt(CephCluster c) {
        assertEquals("2:Error ENOENT: pool nopool does not exist", ours("nopool", "x", "-c", c.confPath().toString()));
    }
}
