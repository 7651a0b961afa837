package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBD beyond I/O against the newer releases, compactly: namespaces, live migration and snapshot
 * mirroring, each used by jceph and by that release's stock tool on the other's work, with the
 * listings both print compared; and what differs by release in import-only migrations and peer
 * bootstrap. The full suites ({@link RbdNamespaceIT}, {@link RbdMigrationIT},
 * {@link RbdMirrorIT}) run on Pacific; this one runs in the it-reef and it-tentacle executions
 * only (tag {@value #TAG}), to keep their cost to seconds.
 */
@RealCluster
@Tag(RbdBeyondIoReleasesIT.TAG)
class RbdBeyondIoReleasesIT {
    /** The JUnit tag the it-reef and it-tentacle executions select besides cross-release. */
    static final String TAG = "newer-releases";

    private static final String POOL = "rbdx-rel";

    @TempDir
    Path tmp;

    /** Both tools print the same, in plain text and JSON. */
    private static void sameListing(CephCluster c, String... cmd) {
        for (List<String> f : List.of(List.<String>of(), List.of("--format", "json"))) {
            String[] a = java.util.stream.Stream.concat(List.of(cmd).stream(), f.stream()).toArray(String[]::new);
            assertEquals(c.rbdOrThrow(a), run(c, a), String.join(" ", a));
        }
    }

    private byte[] random(long seed) throws Exception {
        byte[] bytes = new byte[2 << 20];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private byte[] stockExport(CephCluster c, String spec) throws Exception {
        Path p = tmp.resolve("export-" + System.nanoTime());
        c.rbdOrThrow("export", "--no-progress", spec, p.toString());
        return Files.readAllBytes(p);
    }

    private static byte[] ourExport(CephCluster c, String spec) {
        Result r = runRc(c, "export", "--no-progress", spec, "-");
        assertEquals(0, r.rc(), r.err());
        return r.bytes();
    }

    @Test
    void namespacesMigrationAndMirroringInteroperate(CephCluster c) throws Exception {
        c.cephOrThrow("osd", "pool", "create", POOL, "8");
        c.rbdOrThrow("pool", "init", POOL);

        // namespaces: each tool creates one, both list both; images written by one, read by the other
        run(c, "namespace", "create", POOL + "/ours");
        c.rbdOrThrow("namespace", "create", POOL + "/theirs");
        sameListing(c, "namespace", "ls", POOL);
        byte[] a = random(1);
        byte[] b = random(2);
        run(c, "import", "--no-progress", file("a", a).toString(), POOL + "/theirs/a");
        c.rbdOrThrow("import", "--no-progress", file("b", b).toString(), POOL + "/ours/b");
        assertArrayEquals(a, stockExport(c, POOL + "/theirs/a"));
        assertArrayEquals(b, ourExport(c, POOL + "/ours/b"));
        assertEquals("a\n", c.rbdOrThrow("ls", POOL + "/theirs"));
        sameListing(c, "ls", "-l", POOL + "/ours");

        // migration across namespaces, each tool preparing and committing what the other executes
        run(c, "migration", "prepare", POOL + "/theirs/a", POOL + "/ours/a2");
        sameListing(c, "status", POOL + "/ours/a2");
        c.rbdOrThrow("migration", "execute", "--no-progress", POOL + "/ours/a2");
        sameListing(c, "status", POOL + "/ours/a2");
        run(c, "migration", "commit", "--no-progress", POOL + "/ours/a2");
        assertArrayEquals(a, stockExport(c, POOL + "/ours/a2"));
        c.rbdOrThrow("migration", "prepare", POOL + "/ours/b", POOL + "/theirs/b2");
        sameListing(c, "status", POOL + "/theirs/b2");
        run(c, "migration", "execute", "--no-progress", POOL + "/theirs/b2");
        c.rbdOrThrow("migration", "commit", "--no-progress", POOL + "/theirs/b2");
        assertArrayEquals(b, ourExport(c, POOL + "/theirs/b2"));
        assertEquals("b2\n", c.rbdOrThrow("ls", POOL + "/theirs"));

        // snapshot mirroring in the default namespace: jceph enables, the stock tool snapshots, and back
        c.rbdOrThrow("create", "--size", "4M", POOL + "/m1");
        c.rbdOrThrow("create", "--size", "4M", POOL + "/m2");
        assertEquals("", run(c, "mirror", "pool", "enable", POOL, "image", "--site-name", "site-a"));
        String peer = run(c, "mirror", "pool", "peer", "add", POOL, "client.admin@site-b").trim();
        sameListing(c, "mirror", "pool", "info", POOL);
        // a namespace's own mirroring (Squid's info shows its uuid and remote namespace, no peers)
        c.rbdOrThrow("mirror", "pool", "enable", POOL + "/ours", "image");
        sameListing(c, "mirror", "pool", "info", POOL + "/ours");
        assertEquals("", run(c, "mirror", "pool", "disable", POOL + "/ours"));
        sameListing(c, "mirror", "pool", "info", POOL + "/ours");
        assertEquals("Mirroring enabled\n", run(c, "mirror", "image", "enable", POOL + "/m1", "snapshot"));
        assertTrue(c.rbdOrThrow("mirror", "image", "snapshot", POOL + "/m1").startsWith("Snapshot ID: "));
        c.rbdOrThrow("mirror", "image", "enable", POOL + "/m2", "snapshot");
        assertTrue(run(c, "mirror", "image", "snapshot", POOL + "/m2").startsWith("Snapshot ID: "));
        for (String img : List.of("m1", "m2")) {
            sameListing(c, "mirror", "image", "status", POOL + "/" + img);
            sameListing(c, "snap", "ls", "--all", POOL + "/" + img);
        }
        sameListing(c, "mirror", "pool", "status", POOL);
        assertEquals("Mirroring disabled\n", c.rbdOrThrow("mirror", "image", "disable", POOL + "/m1"));
        assertEquals("Mirroring disabled\n", run(c, "mirror", "image", "disable", POOL + "/m2"));
        c.rbdOrThrow("mirror", "pool", "peer", "remove", POOL, peer);
        assertEquals("", run(c, "mirror", "pool", "disable", POOL));
        sameListing(c, "mirror", "pool", "info", POOL);
        c.cephOrThrow("osd", "pool", "rm", POOL, POOL, "--yes-i-really-really-mean-it");
    }

    private static final String[] QUIET = {"--log_to_stderr=false", "--err_to_stderr=false"};

    /** Both tools exit alike and print the same on both streams. */
    private static void same(CephCluster c, String... cmd) {
        String[] quiet = java.util.stream.Stream.concat(List.of(QUIET).stream(), List.of(cmd).stream())
                .toArray(String[]::new);
        CommandResult stock = c.rbd(quiet);
        Result ours = runRc(c, cmd);
        String what = String.join(" ", cmd);
        assertEquals(stock.exitCode(), ours.rc(), what + ": " + ours.err());
        assertEquals(stock.stdout(), ours.out(), what);
        assertEquals(stock.toolStderr(), ours.err(), what);
    }

    /**
     * What differs by release in import-only migrations and peer bootstrap (the full suites,
     * {@link RbdMigrationIT} and {@link RbdMirrorBootstrapIT}, run on Pacific): the stock export
     * of a stock import at a snapshot before execute (Pacific: EINVAL past the snapshot's end;
     * Reef and Tentacle: zeros there, as jceph), and the bootstrap import's refusals (Tentacle
     * adds the error text; its librados turns a key that is no cephx key into EACCES).
     */
    @Test
    void importOnlyAtASnapshotAndBootstrapRefusals(CephCluster c) throws Exception {
        // an own pool (removed at the end: nothing is left in the shared cluster's pools)
        String p = "rbdx-rel2";
        c.cephOrThrow("osd", "pool", "create", p, "8");
        c.rbdOrThrow("pool", "init", p);
        // a 2 MiB image, snapshot s1, grown to 3 MiB: the stock import at s1 is sized by HEAD
        byte[] s1 = random(3);
        c.rbdOrThrow("import", "--no-progress", file("s1", s1).toString(), p + "/rel-src");
        c.rbdOrThrow("snap", "create", "--no-progress", p + "/rel-src@s1");
        c.rbdOrThrow("resize", "--no-progress", "--size", "3M", p + "/rel-src");
        c.rbdOrThrow("migration", "prepare", "--import-only", p + "/rel-src@s1", p + "/rel-imp");
        sameListing(c, "info", p + "/rel-imp");
        byte[] head = java.util.Arrays.copyOf(s1, 3 << 20);
        assertArrayEquals(head, stockExport(c, p + "/rel-imp"), "stock export before execute");
        assertArrayEquals(head, ourExport(c, p + "/rel-imp"));
        assertArrayEquals(s1, ourExport(c, p + "/rel-imp@s1"));
        run(c, "migration", "execute", "--no-progress", p + "/rel-imp");
        run(c, "migration", "commit", "--no-progress", p + "/rel-imp");
        assertArrayEquals(head, stockExport(c, p + "/rel-imp"));
        assertArrayEquals(s1, stockExport(c, p + "/rel-imp@s1"));

        // peer bootstrap: the same token; the refusals of an import into this very cluster
        String pool = p;
        c.rbdOrThrow("mirror", "pool", "enable", pool, "image");
        String ours = run(c, "mirror", "pool", "peer", "bootstrap", "create", "--site-name", "site-a", pool);
        assertTrue(c.rbdOrThrow("mirror", "pool", "peer", "bootstrap", "create", pool).equals(ours),
                "token texts differ (not shown: they hold the key)");
        org.jceph.rbd.mirror.PeerBootstrap.Token t = org.jceph.rbd.mirror.PeerBootstrap.Token.decode(ours.strip());
        String[] imp = {"mirror", "pool", "peer", "bootstrap", "import", pool};
        same(c, args(imp, file("own", ours.getBytes()).toString()));
        same(c, args(imp, "/nonexistent/token"));
        same(c, args(imp, file("bad", "not base64 at all!".getBytes()).toString()));
        String badKey = new org.jceph.rbd.mirror.PeerBootstrap.Token(t.fsid(), t.clientId(),
                "AQBmYWtlLWtleS1mb3ItdGVzdHMtb25seS0wMDAwMA==", t.monHost()).encode();
        CommandResult stock = c.rbd(args(QUIET, args(imp, file("badkey", badKey.getBytes()).toString())));
        Result r = runRc(c, args(imp, tmp.resolve("badkey").toString()));
        assertEquals(stock.exitCode(), r.rc(), r.err());
        assertEquals(CephCluster.PACIFIC.equals(c.release()) || "reef".equals(c.release()) ? 22 : 13, r.rc());
        assertTrue(("\n" + stock.toolStderr()).endsWith("\n" + r.err()), stock.toolStderr() + " / " + r.err());
        assertTrue(c.rbdOrThrow("mirror", "pool", "info", pool).endsWith("Peer Sites: none\n"));
        layeredEncryptionFlatten(c, pool);
        c.cephOrThrow("osd", "pool", "rm", pool, pool, "--yes-i-really-really-mean-it");
    }

    /**
     * Flatten of a clone with its own LUKS header (Reef on), in the same pool: refused without
     * the encryption options; with one spec per layer, jceph's flatten and the stock tool's of a
     * twin clone leave the same plaintext and both headers plain LUKS again.
     */
    private void layeredEncryptionFlatten(CephCluster c, String pool) throws Exception {
        byte[] raw = new byte[24 << 20];
        new java.util.Random(11).nextBytes(raw);
        c.rbdOrThrow("import", "--no-progress", file("enc-parent", raw).toString(), pool + "/enc-p");
        Path pp = file("pp", "parent pass".getBytes());
        Path cp = file("cp", "clone pass".getBytes());
        // LUKS1 over random bytes: the parent's data area decrypts to noise, which is its plaintext
        c.rbdOrThrow("encryption", "format", pool + "/enc-p", "luks1", pp.toString());
        c.rbdOrThrow("snap", "create", "--no-progress", pool + "/enc-p@s");
        c.rbdOrThrow("snap", "protect", pool + "/enc-p@s");
        String[] layers = {"--encryption-format", "luks2", "--encryption-passphrase-file", cp.toString(),
            "--encryption-format", "luks1", "--encryption-passphrase-file", pp.toString()};
        String[] own = {"--encryption-format", "luks2", "--encryption-passphrase-file", cp.toString()};
        byte[] expected = null;
        for (String child : List.of("enc-ours", "enc-stock")) {
            c.rbdOrThrow("clone", pool + "/enc-p@s", pool + "/" + child);
            c.rbdOrThrow("encryption", "format", pool + "/" + child, "luks2", cp.toString());
            Result r = runRc(c, args(args(new String[] {"export", "--no-progress"}, layers), pool + "/" + child, "-"));
            assertEquals(0, r.rc(), r.err());
            if (expected == null) {
                expected = r.bytes();
            }
            assertArrayEquals(expected, r.bytes(), "both clones read the parent's plaintext");
        }
        assertEquals(8 << 20, expected.length);
        Result refused = runRc(c, "flatten", "--no-progress", pool + "/enc-ours");
        assertEquals(22, refused.rc(), refused.err());
        assertTrue(refused.err().contains("--encryption-format"), refused.err());
        assertTrue(!refused.err().contains("parent pass") && !refused.err().contains("clone pass"), refused.err());
        run(c, args(args(new String[] {"flatten", "--no-progress"}, layers), pool + "/enc-ours"));
        c.rbdOrThrow(args(args(new String[] {"flatten", "--no-progress"}, layers), pool + "/enc-stock"));
        for (String child : List.of("enc-ours", "enc-stock")) {
            assertTrue(!c.rbdOrThrow("info", pool + "/" + child).contains("parent:"), child + " is flat");
            byte[] head = java.util.Arrays.copyOf(ourExport(c, pool + "/" + child), 4);
            assertEquals("LUKS", new String(head, java.nio.charset.StandardCharsets.US_ASCII), child);
            Result r = runRc(c, args(args(new String[] {"export", "--no-progress"}, own), pool + "/" + child, "-"));
            assertEquals(0, r.rc(), r.err());
            assertArrayEquals(expected, r.bytes(), child + " read with its own key alone after flatten");
        }
    }

    private static String[] args(String[] head, String... tail) {
        return java.util.stream.Stream.concat(List.of(head).stream(), List.of(tail).stream()).toArray(String[]::new);
    }
}
