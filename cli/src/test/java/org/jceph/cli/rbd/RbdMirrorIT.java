package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * {@code rbd mirror pool|image ...}, snapshot-based mirroring without an rbd-mirror daemon:
 * what jceph enables, snapshots, demotes or promotes, Pacific's rbd sees the same way (status,
 * info, snap ls --all), and the other way round; outputs, messages and exit statuses are the
 * stock tool's.
 */
@RealCluster
class RbdMirrorIT {
    private static final List<List<String>> FORMATS = List.of(List.of(), List.of("--format", "json"),
            List.of("--format", "json", "--pretty-format"));

    private static String[] args(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    /** Both tools print the same, in plain text and JSON (and XML when {@code xml}). */
    private static void sameListing(CephCluster c, boolean xml, String... cmd) {
        List<List<String>> formats = new ArrayList<>(FORMATS);
        if (xml) {
            formats.add(List.of("--format", "xml"));
        }
        for (List<String> f : formats) {
            String[] a = args(List.of(cmd), f.toArray(String[]::new));
            assertEquals(c.rbdOrThrow(a), run(c, a), String.join(" ", a));
        }
    }

    /** Both tools exit alike and print the same on both streams (the stock tool's librbd log off stderr). */
    private static void same(CephCluster c, String... cmd) {
        CommandResult stock = c.rbd(args(List.of("--log_to_stderr=false", "--err_to_stderr=false"), cmd));
        Result ours = runRc(c, cmd);
        String what = String.join(" ", cmd);
        assertEquals(stock.exitCode(), ours.rc(), what + ": " + ours.err());
        assertEquals(stock.stdout(), ours.out(), what);
        assertEquals(stock.toolStderr(), ours.err(), what + " (ours: rc " + ours.rc() + ", out [" + ours.out() + "])");
    }

    /** A made-up cephx key in a file, as --remote-key-file and peer set key-file read it. */
    private static java.nio.file.Path keyFile() {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("peerkey", ".txt");
            f.toFile().deleteOnExit();
            java.nio.file.Files.writeString(f, "AQBmYWtlLWtleS1mb3ItdGVzdHMtb25seS0wMDAwMA==\n");
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String lastSnapId(CephCluster c, String image) {
        List<String> lines = c.rbdOrThrow("snap", "ls", "--all", image).lines().toList();
        return lines.get(lines.size() - 1).trim().split(" +")[0];
    }

    /** Piece 0 of a mirror snapshot's image state, hex. */
    private static String stateObject(CephCluster c, String pool, String imageId, String snapId) {
        java.nio.file.Path f;
        try {
            f = java.nio.file.Files.createTempFile("imgstate", ".bin");
            c.radosOrThrow("-p", pool, "get", "rbd_mirror_snapshot." + imageId + "." + snapId + ".0", f.toString());
            String hex = java.util.HexFormat.of().formatHex(java.nio.file.Files.readAllBytes(f));
            java.nio.file.Files.delete(f);
            return hex;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void helpDescribesTheCommandsAsPacific(CephCluster c) {
        for (String cmd : List.of("mirror pool enable", "mirror pool disable", "mirror pool info", "mirror pool status",
                "mirror pool peer add", "mirror pool peer remove", "mirror pool peer set", "mirror image enable",
                "mirror image disable", "mirror image promote", "mirror image demote", "mirror image resync",
                "mirror image snapshot", "mirror image status")) {
            String[] a = args(List.of("help"), cmd.split(" "));
            Result ours = runRc(c, a);
            assertEquals(0, ours.rc(), cmd);
            String stock = c.rbdOrThrow(a);
            String desc = ours.out().lines().reduce((x, y) -> y).orElseThrow();
            // jceph's help is Pacific's (it is printed without asking the cluster); Reef's tool
            // describes some commands otherwise (e.g. "Enable RBD mirroring in a pool or namespace.")
            if (CephCluster.PACIFIC.equals(c.release())) {
                assertTrue(stock.contains("\n" + desc + "\n"), cmd + ": " + desc);
            }
            assertTrue(ours.out().startsWith("usage: rbd " + cmd + " ") && stock.startsWith("usage: rbd " + cmd + " "), cmd);
        }
    }

    @Test
    void snapshotMirroringInteroperatesBothWays(CephCluster c) {
        String pool = "mirx";
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        for (String n : List.of("a", "b", "plain")) {
            c.rbdOrThrow("create", "--size", "8M", pool + "/" + n);
        }
        // disabled pool: both refuse alike
        sameListing(c, true, "mirror", "pool", "info", pool);
        same(c, "mirror", "pool", "status", pool);
        same(c, "mirror", "pool", "disable", pool);
        same(c, "mirror", "image", "enable", pool + "/a", "snapshot");

        // jceph enables the pool, names the site and adds a peer: the stock tool sees them
        assertEquals("", run(c, "mirror", "pool", "enable", pool, "image", "--site-name", "site-a"));
        same(c, "mirror", "pool", "enable", pool, "image");
        String peer = run(c, "mirror", "pool", "peer", "add", pool, "client.admin@site-b").trim();
        assertTrue(peer.matches("[0-9a-f-]{36}"), peer);
        sameListing(c, true, "mirror", "pool", "info", pool);
        same(c, "mirror", "pool", "peer", "add", pool, "client.admin@site-c");
        same(c, "mirror", "pool", "disable", pool); // peers registered: EBUSY, silently

        // jceph enables an image and takes a mirror snapshot: status, info, snap ls --all agree
        assertEquals("Mirroring enabled\n", run(c, "mirror", "image", "enable", pool + "/a", "snapshot"));
        String snapOut = run(c, "mirror", "image", "snapshot", pool + "/a");
        assertTrue(snapOut.matches("Snapshot ID: \\d+\n"), snapOut);
        sameListing(c, false, "mirror", "image", "status", pool + "/a");
        sameListing(c, true, "snap", "ls", "--all", pool + "/a");
        sameListing(c, false, "info", pool + "/a");
        same(c, "mirror", "image", "promote", pool + "/a"); // already primary
        same(c, "mirror", "image", "resync", pool + "/a"); // primary: refused
        same(c, "mirror", "image", "status", pool + "/plain");
        same(c, "mirror", "image", "demote", pool + "/plain");

        // jceph demotes; the stock tool sees a non-primary image and promotes it; jceph demotes again
        assertEquals("Image demoted to non-primary\n", run(c, "mirror", "image", "demote", pool + "/a"));
        assertTrue(c.rbdOrThrow("info", pool + "/a").contains("mirroring primary: false"));
        assertTrue(c.rbdOrThrow("info", pool + "/a").contains("non-primary"));
        sameListing(c, false, "info", pool + "/a");
        sameListing(c, false, "mirror", "image", "status", pool + "/a");
        same(c, "mirror", "image", "demote", pool + "/a"); // not primary any more
        same(c, "mirror", "image", "snapshot", pool + "/a");
        assertEquals("Image promoted to primary\n", c.rbdOrThrow("mirror", "image", "promote", pool + "/a"));
        sameListing(c, false, "info", pool + "/a");
        c.rbdOrThrow("mirror", "image", "demote", pool + "/a");
        assertEquals("Image promoted to primary\n", run(c, "mirror", "image", "promote", pool + "/a"));
        sameListing(c, true, "snap", "ls", "--all", pool + "/a");
        sameListing(c, false, "mirror", "image", "status", pool + "/a");

        // the stock tool enables and snapshots an image: jceph sees it as the stock tool does
        c.rbdOrThrow("mirror", "image", "enable", pool + "/b", "snapshot");
        c.rbdOrThrow("mirror", "image", "snapshot", pool + "/b");
        c.rbdOrThrow("mirror", "image", "demote", pool + "/b");
        sameListing(c, true, "snap", "ls", "--all", pool + "/b");
        sameListing(c, false, "mirror", "image", "status", pool + "/b");
        sameListing(c, false, "info", pool + "/b");
        // resync of a demoted image: the flag the stock tool writes
        assertEquals("Flagged image for resync from primary\n", run(c, "mirror", "image", "resync", pool + "/b"));
        sameListing(c, false, "image-meta", "list", pool + "/b");
        assertEquals("Image promoted to primary\n", run(c, "mirror", "image", "promote", pool + "/b"));
        assertTrue(c.rbdOrThrow("info", pool + "/b").contains("mirroring primary: true"));
        sameListing(c, false, "mirror", "pool", "status", pool);
        sameListing(c, false, "mirror", "pool", "status", "--verbose", pool);

        // the image state rbd-mirror reads beside each primary snapshot: jceph writes librbd's bytes
        c.rbdOrThrow("create", "--size", "4M", pool + "/st");
        c.rbdOrThrow("image-meta", "set", pool + "/st", "k1", "v1");
        c.rbdOrThrow("snap", "create", pool + "/st@u1");
        c.rbdOrThrow("snap", "protect", pool + "/st@u1");
        c.rbdOrThrow("mirror", "image", "enable", pool + "/st", "snapshot");
        String stockSnap = lastSnapId(c, pool + "/st");
        run(c, "mirror", "image", "snapshot", pool + "/st");
        String ourSnap = lastSnapId(c, pool + "/st");
        String id = c.rbdOrThrow("info", pool + "/st").lines().filter(l -> l.startsWith("\tid: ")).findFirst()
                .orElseThrow().substring(5);
        assertEquals(stateObject(c, pool, id, stockSnap), stateObject(c, pool, id, ourSnap));
        assertEquals("Mirroring disabled\n", run(c, "mirror", "image", "disable", pool + "/st"));
        assertTrue(c.radosOrThrow("-p", pool, "ls").lines().noneMatch(l -> l.startsWith("rbd_mirror_snapshot." + id)),
                "image state objects left behind");

        // peers: jceph changes one, the stock tool sees it
        assertEquals("", run(c, "mirror", "pool", "peer", "set", pool, peer, "client", "client.mirror"));
        assertEquals("", run(c, "mirror", "pool", "peer", "set", pool, peer, "site-name", "site-z"));
        sameListing(c, true, "mirror", "pool", "info", pool);
        // peer attributes (config-key rbd/mirror/peer/POOL/UUID): set by either tool, shown alike by info --all
        java.nio.file.Path keyFile = keyFile();
        assertEquals("", run(c, "mirror", "pool", "peer", "set", pool, peer, "key-file", keyFile.toString()));
        assertEquals("", run(c, "mirror", "pool", "peer", "set", pool, peer, "mon-host", "[v2:127.0.0.1:3300/0]"));
        sameListing(c, true, "mirror", "pool", "info", "--all", pool);
        c.rbdOrThrow("mirror", "pool", "peer", "set", pool, peer, "mon-host", "[v2:127.0.0.2:3300/0]");
        sameListing(c, true, "mirror", "pool", "info", "--all", pool);
        same(c, "mirror", "pool", "peer", "set", pool, peer, "nonsense", "x");
        same(c, "mirror", "pool", "peer", "set", pool, "11111111-2222-3333-4444-555555555555", "client", "x");
        same(c, "mirror", "pool", "peer", "remove", pool, "1234");

        // disabling: images first (the pool refuses while they are mirrored), then peers, then the pool
        same(c, "mirror", "pool", "peer", "remove", pool, peer); // both: fine, gone for the stock run
        String peer2 = run(c, "mirror", "pool", "peer", "add", pool, "client.admin@site-b", "--remote-mon-host",
                "[v2:127.0.0.3:3300/0]", "--remote-key-file", keyFile.toString()).trim();
        sameListing(c, true, "mirror", "pool", "info", "--all", pool);
        assertEquals("", run(c, "mirror", "pool", "peer", "remove", pool, peer2));
        assertTrue(c.rbdOrThrow("mirror", "pool", "info", pool).contains("Peer Sites: none"));
        assertEquals(22, runRc(c, "mirror", "pool", "disable", pool).rc());
        assertEquals("Mirroring disabled\n", run(c, "mirror", "image", "disable", pool + "/a"));
        assertEquals("Mirroring disabled\n", c.rbdOrThrow("mirror", "image", "disable", pool + "/b"));
        same(c, "mirror", "image", "status", pool + "/a");
        sameListing(c, false, "snap", "ls", "--all", pool + "/a");
        assertEquals("", run(c, "mirror", "pool", "disable", pool));
        sameListing(c, true, "mirror", "pool", "info", pool);
    }
}
