package org.jceph.cli.osd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/** {@code jceph osd map} prints exactly what {@code ceph osd map} prints, for many names and namespaces. */
@RealCluster
@CrossRelease
class OsdMapCommandIT {
    private static String ours(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OsdMapCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return rc + ":" + out.toString(StandardCharsets.UTF_8).trim() + err.toString(StandardCharsets.UTF_8).trim();
    }

    /**
     * Asserts that our output equals the monitor's for the same arguments. The output names the
     * osdmap epoch, and the cluster is shared with other suites whose pool changes (snapshots,
     * purged snaps) can move the epoch between the two calls; so when ours differs from the
     * monitor's answer before it, the monitor is asked again, and the comparison fails only if
     * its two answers agree (the epoch did not move). Bounded: five tries. (Asking again only
     * on a difference halves the stock {@code ceph} calls, which take a second or two each in the
     * reef/tentacle chroots.)
     */
    private static void agrees(CephCluster c, String[] theirsArgs, String... oursArgs) {
        String[] cmd = new String[theirsArgs.length + 2];
        cmd[0] = "osd";
        cmd[1] = "map";
        System.arraycopy(theirsArgs, 0, cmd, 2, theirsArgs.length);
        for (int attempt = 0; attempt < 5; attempt++) {
            String before = c.cephOrThrow(cmd).trim();
            String got = ours(oursArgs);
            if (got.equals("0:" + before)) {
                return;
            }
            String after = c.cephOrThrow(cmd).trim();
            if (before.equals(after)) {
                assertEquals("0:" + before, got, String.join(" ", oursArgs));
                return;
            }
        }
        throw new AssertionError("the osdmap epoch kept moving during five tries of " + String.join(" ", oursArgs));
    }

    @Test
    void everyObjectLandsWhereTheMonitorSays(CephCluster c) {
        String conf = c.confPath().toString();
        String pool = c.testPool();
        for (int i = 0; i < 25; i++) {
            String name = "object-" + i + (i % 3 == 0 ? "-with a space" : "");
            agrees(c, new String[] {pool, name}, pool, name, "-c", conf);
        }
        for (String ns : new String[] {"ns1", "tenant-b"}) {
            agrees(c, new String[] {pool, "obj", ns}, pool, "obj", ns, "-c", conf);
            agrees(c, new String[] {pool, "obj", ns}, pool, "obj", "--namespace", ns, "-c", conf);
        }
        agrees(c, new String[] {pool, "hello", "-f", "json"}, pool, "hello", "-f", "json", "-c", conf);
    }

    @Test
    void anUnknownPoolIsEnoentAsTheCliSaysIt(CephCluster c) {
        assertEquals("2:Error ENOENT: pool nopool does not exist", ours("nopool", "x", "-c", c.confPath().toString()));
    }
}
