package org.jceph.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jceph demo} against the shared cluster: in the test pool with the cluster's own release's
 * tools as oracles, in a temporary pool it creates and deletes, a missing pool named as such, and a
 * msgr1 session labelled msgr1.
 */
@RealCluster
@CrossRelease
class DemoIT {

    private record Run(int rc, String out, String err) {
        String all() {
            return out + "\n--- stderr ---\n" + err;
        }
    }

    private static Run demo(CephCluster c, Path conf, String... extra) {
        List<String> args = new ArrayList<>(List.of("--conf", conf.toString()));
        args.addAll(List.of(extra));
        if (c.chroot() != null) {
            args.addAll(List.of("--chroot", c.chroot().toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Demo.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyStepAgreesWithTheReleasesOwnTools(CephCluster c) {
        Run r = demo(c, c.confPath(), "--pool", c.testPool());
        assertEquals(0, r.rc(), r.all());
        assertTrue(r.out().contains("demo: all steps succeeded"), r.all());
        assertTrue(r.out().contains("  = ceph osd map"), "placements cross-checked: " + r.all());
        assertTrue(r.out().contains("`rados get` of the same object"), r.all());
        assertTrue(r.out().contains("our bytes, in place"), r.all());
        if (c.chroot() != null) {
            assertTrue(r.out().contains("(from " + c.chroot() + ")"), "the release's tools were used: " + r.all());
        }
        assertFalse(r.out().contains("created the temporary pool"), r.all());
    }

    @Test
    void withoutAPoolItWorksInATemporaryOneAndDeletesIt(CephCluster c) {
        Run r = demo(c, c.confPath());
        assertEquals(0, r.rc(), r.all());
        Matcher m = Pattern.compile("created the temporary pool (jceph-demo-[0-9a-f]+)").matcher(r.out());
        assertTrue(m.find(), r.all());
        String pool = m.group(1);
        assertTrue(r.out().contains("[place] pool " + pool + ":"), r.all());
        assertTrue(r.out().contains("deleted the temporary pool " + pool), r.all());
        assertFalse(List.of(c.cephOrThrow("osd", "pool", "ls").split("\n")).contains(pool));
    }

    @Test
    void aMissingPoolIsReportedAsMissing(CephCluster c) {
        Run r = demo(c, c.confPath(), "--pool", "no-such-pool");
        assertEquals(1, r.rc(), r.all());
        assertTrue(r.err().contains("pool 'no-such-pool' does not exist on this cluster"), r.all());
    }

    @Test
    void aMsgr1SessionIsLabelledMsgr1(CephCluster c, @TempDir Path tmp) throws Exception {
        Path conf = tmp.resolve("v1.conf");
        // host.conf is a [global] section only: monitor addresses and the admin keyring
        Files.writeString(conf, Files.readString(c.hostConfPath()) + "ms_jceph_force_msgr1 = true\n");
        Run r = demo(c, conf, "--pool", c.testPool());
        assertEquals(0, r.rc(), r.all());
        assertTrue(r.out().contains(" over msgr1 in "), r.all());
        assertFalse(r.out().contains("over msgr2"), r.all());
    }
}
