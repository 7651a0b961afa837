package org.jceph.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/** Every example runs against a throwaway cluster and prints what the guide says it prints. */
@RealCluster
class ExamplesIT {
    private interface Main {
        void run(String[] args) throws Exception;
    }

    private static synchronized String run(Main main, CephCluster c) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[] {c.confPath().toString(), c.testPool()});
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void connect(CephCluster c) throws Exception {
        String out = run(Connect::main, c);
        assertTrue(out.startsWith("connected to " + c.fsid() + " as client."), out);
    }

    @Test
    void objects(CephCluster c) throws Exception {
        String out = run(ObjectsExample::main, c);
        assertTrue(out.contains("hello, CEPH (11 bytes)"), out);
        assertTrue(out.contains("view of 11 bytes in "), out); // pieces as the socket delivered them
        assertTrue(out.contains("omap keys: [k1, k2]"), out);
        assertTrue(out.contains("as expected: object 'greeting' in pool '" + c.testPool()
                + "' namespace 'examples': No data available (ENODATA, errno -61)"), out);
        assertTrue(out.contains("gone: "), out);
    }

    @Test
    void async(CephCluster c) throws Exception {
        assertEquals("async-7 holds 8 characters\n", run(AsyncExample::main, c));
    }

    @Test
    void listing(CephCluster c) throws Exception {
        assertEquals("listed 20 objects in 4 slices\n", run(ListingExample::main, c));
    }

    @Test
    void compound(CephCluster c) throws Exception {
        String out = run(CompoundExample::main, c);
        assertTrue(out.contains("not bob's: "), out);
        assertTrue(out.contains("v2 owned by alice, version "), out);
        assertTrue(out.contains(", crc32c "), out);
    }

    @Test
    void watchNotify(CephCluster c) throws Exception {
        String out = run(WatchNotifyExample::main, c);
        assertTrue(out.contains("heard: ring"), out);
        assertTrue(out.matches("(?s).*client\\.\\d+ replied ding.*"), out);
    }

    @Test
    void rbd(CephCluster c) throws Exception {
        String out = run(RbdExample::main, c);
        assertTrue(out.contains("at the snapshot: first, now: later"), out);
        assertTrue(out.contains("[before]"), out);
        assertTrue(c.rbdOrThrow("ls", c.testPool()).lines().noneMatch("example-disk"::equals), "removed");
    }
}
