package org.jceph.cli.rbd;

import static org.jceph.cli.rbd.JcephRbd.run;
import static org.jceph.cli.rbd.JcephRbd.runRc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.rbd.mirror.PeerBootstrap.Token;
import org.junit.jupiter.api.Test;

/**
 * {@code rbd mirror pool peer bootstrap create|import} against the stock tool of the cluster's release: the same token
 * (same user, key, monitors), the same refusals, and an import from a second cluster that leaves
 * the peers the stock import leaves. Keys are compared, never printed.
 */
@RealCluster
class RbdMirrorBootstrapIT {
    private static final String[] QUIET = {"--log_to_stderr=false", "--err_to_stderr=false"};

    private static String[] args(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    /** Both tools exit alike and print the same on both streams. */
    private static void same(CephCluster c, String... cmd) {
        CommandResult stock = c.rbd(args(QUIET, cmd));
        Result ours = runRc(c, cmd);
        String what = String.join(" ", cmd);
        assertEquals(stock.exitCode(), ours.rc(), what + ": " + ours.err());
        assertEquals(stock.stdout(), ours.out(), what);
        assertEquals(stock.toolStderr(), ours.err(), what);
    }

    /**
     * Both tools exit alike; stderr's last line (the tool's own message) is the same: Pacific's
     * and Reef's words alone, Tentacle's with the error text.
     */
    private static void sameStatusAndLastLine(CephCluster c, int rc, String... cmd) {
        CommandResult stock = c.rbd(args(QUIET, cmd));
        Result ours = runRc(c, cmd);
        String what = String.join(" ", cmd);
        assertEquals(rc, stock.exitCode(), what + ": " + stock.toolStderr());
        assertEquals(stock.exitCode(), ours.rc(), what + ": " + ours.err());
        assertEquals("", ours.out(), what);
        assertEquals("rbd: failed to import peer bootstrap token"
                + (tentacle(c) ? ": (" + rc + ") " + org.jceph.rados.Errno.strerror(rc) : "") + "\n", ours.err(), what);
        // (Reef's stderr holds nothing else once Ceph's log lines are left out)
        assertTrue(("\n" + stock.toolStderr()).endsWith("\n" + ours.err()), what + ": " + stock.toolStderr());
    }

    private static boolean tentacle(CephCluster c) {
        return "tentacle".equals(c.release());
    }

    private static void mirrorPool(CephCluster c, String pool) {
        c.cephOrThrow("osd", "pool", "create", pool, "8");
        c.rbdOrThrow("pool", "init", pool);
        c.rbdOrThrow("mirror", "pool", "enable", pool, "image");
    }

    private static Path file(String text) throws IOException {
        Path f = Files.createTempFile("token", ".txt");
        f.toFile().deleteOnExit();
        Files.writeString(f, text);
        return f;
    }

    /** {@code mirror pool info --all} with the uuids and the key's text masked (for messages). */
    private static String masked(String info) {
        return withoutUuid(info).replaceAll("(?m)^(\\s*Key: ).*$", "$1<key>");
    }

    /**
     * The peer's uuid masked, and (Squid+) the pool's own mirror uuid, which every pool draws
     * when its mirroring is enabled (a peer's "Mirror UUID:" stays empty until rbd-mirror runs).
     */
    private static String withoutUuid(String info) {
        return info.replaceAll("(?m)^(\\s*UUID: ).*$", "$1<uuid>")
                .replaceAll("(?m)^(Mirror UUID: )[0-9a-f-]{36}$", "$1<pool uuid>");
    }

    @Test
    void helpDescribesBootstrapAsPacific(CephCluster c) {
        for (String cmd : List.of("create", "import")) {
            String[] h = {"help", "mirror", "pool", "peer", "bootstrap", cmd};
            Result ours = runRc(c, h);
            assertEquals(0, ours.rc(), cmd);
            String desc = ours.out().lines().reduce((x, y) -> y).orElseThrow();
            assertTrue(c.rbdOrThrow(h).contains("\n" + desc + "\n"), cmd + ": " + desc);
        }
    }

    @Test
    void createGivesStockTokenAndImportRefusesOwnCluster(CephCluster c) throws IOException {
        String pool = "mboot";
        mirrorPool(c, pool);
        // a pool that does not mirror: both refuse alike
        same(c, "mirror", "pool", "peer", "bootstrap", "create", c.testPool());

        String ours = run(c, "mirror", "pool", "peer", "bootstrap", "create", "--site-name", "site-a", pool).strip();
        Token t = Token.decode(ours);
        assertEquals(c.fsid(), t.fsid());
        assertEquals("rbd-mirror-peer", t.clientId());
        String key = c.cephOrThrow("auth", "get-key", "client.rbd-mirror-peer").strip();
        assertTrue(key.equals(t.key()), "token key differs from auth get-key's (not shown)");
        assertEquals("site-a", c.cephOrThrow("config-key", "get", "rbd/mirror/site_name").strip());
        String caps = c.cephOrThrow("auth", "get", "client.rbd-mirror-peer", "--format", "json");
        assertTrue(caps.contains("\"mon\":\"profile rbd-mirror-peer\"") && caps.contains("\"osd\":\"profile rbd\""),
                "caps of client.rbd-mirror-peer");

        // the stock tool's token for the same pool: the same user, key and monitors, byte for byte
        String stock = c.rbdOrThrow("mirror", "pool", "peer", "bootstrap", "create", pool).strip();
        Token s = Token.decode(stock);
        assertEquals(s.toString(), t.toString());
        assertTrue(s.key().equals(t.key()), "keys differ (not shown)");
        assertTrue(stock.equals(ours), "token texts differ (not shown: they hold the key)");

        // import into this very cluster: both refuse it alike
        Path token = file(ours + "\n");
        String other = "mboot2";
        mirrorPool(c, other);
        same(c, "mirror", "pool", "peer", "bootstrap", "import", other, token.toString());
        same(c, "mirror", "pool", "peer", "bootstrap", "import", "--direction", "tx-only", other, token.toString());
        same(c, "mirror", "pool", "peer", "bootstrap", "import", other, file("not base64 at all!").toString());
        same(c, "mirror", "pool", "peer", "bootstrap", "import", other,
                file(java.util.Base64.getEncoder().encodeToString("{\"fsid\":\"x\"}".getBytes())).toString());
        same(c, "mirror", "pool", "peer", "bootstrap", "import", other, "/nonexistent/token");
        // well-formed tokens naming no monitors, or with a key that is no cephx key: librados also
        // prints its own lines (a DNS SRV complaint, blank lines), which jceph does not imitate
        sameStatusAndLastLine(c, 2, "mirror", "pool", "peer", "bootstrap", "import", other,
                file(new Token(t.fsid(), t.clientId(), t.key(), "").encode()).toString());
        // Tentacle's librados drops the key, goes without authentication and is refused (EACCES)
        sameStatusAndLastLine(c, tentacle(c) ? 13 : 22, "mirror", "pool", "peer", "bootstrap", "import", other,
                file(new Token(t.fsid(), t.clientId(), "AQBmYWtlLWtleS1mb3ItdGVzdHMtb25seS0wMDAwMA==", t.monHost())
                        .encode()).toString());
        same(c, "mirror", "pool", "peer", "bootstrap", "import", other);
        String info = c.rbdOrThrow("mirror", "pool", "info", other, "--format", "json");
        assertTrue(info.contains("\"peers\":[]"), info);
    }

    @Test
    void importFromAnotherClusterLeavesTheStockPeers(CephCluster a) throws IOException {
        try (CephCluster b = CephCluster.startInTarget(1, List.of())) {
            // B's pools mirror; its token comes from the stock tool
            for (String p : List.of("mimp", "mimq", "mimr")) {
                mirrorPool(b, p);
                a.cephOrThrow("osd", "pool", "create", p, "8");
                a.rbdOrThrow("pool", "init", p);
            }
            String tokenText = b.rbdOrThrow("mirror", "pool", "peer", "bootstrap", "create", "--site-name", "site-b",
                    "mimp");
            Path token = file(tokenText);

            // jceph imports into A/mimp, the stock tool into A/mimq: A's peers and B's agree
            Result ours = runRc(a, "mirror", "pool", "peer", "bootstrap", "import", "--site-name", "site-a", "mimp",
                    token.toString());
            assertEquals(0, ours.rc(), ours.err());
            assertEquals("", ours.out());
            a.rbdOrThrow("mirror", "pool", "peer", "bootstrap", "import", "--site-name", "site-a", "mimq",
                    token.toString());
            for (CephCluster c : List.of(a, b)) {
                String p = c.rbdOrThrow("mirror", "pool", "info", "--all", "mimp");
                String q = c.rbdOrThrow("mirror", "pool", "info", "--all", "mimq");
                assertTrue(p.contains("Peer Sites: \n"), masked(p));
                assertEquals(masked(q), masked(p));
                assertTrue(withoutUuid(q).equals(withoutUuid(p)), "peer keys differ (not shown)");
            }
            String info = a.rbdOrThrow("mirror", "pool", "info", "--all", "mimp");
            assertTrue(info.contains("Name: site-b\n") && info.contains("Client: client.rbd-mirror-peer\n")
                    && info.contains("Mon Host: " + Token.decode(tokenText.strip()).monHost() + "\n"), masked(info));
            String keyB = b.cephOrThrow("auth", "get-key", "client.rbd-mirror-peer").strip();
            assertTrue(info.contains("Key: " + keyB + "\n"), "A's peer key is not B's bootstrap key (not shown)");
            assertFalse(info.contains("Direction: rx-only"), masked(info));

            // rx-only (given as the QA suite gives it: --pool, then the token): a local peer only
            // (as the stock rx-tx import's, but rx-only), and the remote pool gets none
            String tokenR = b.rbdOrThrow("mirror", "pool", "peer", "bootstrap", "create", "mimr");
            Result r = runRc(a, "--pool", "mimr", "mirror", "pool", "peer", "bootstrap", "import",
                    file(tokenR).toString(), "--direction", "rx-only");
            assertEquals(0, r.rc(), r.err());
            String ar = a.rbdOrThrow("mirror", "pool", "info", "--all", "mimr");
            assertTrue(ar.contains("Direction: rx-only\n") && ar.contains("Name: site-b\n")
                    && ar.contains("Client: client.rbd-mirror-peer\n") && ar.contains("Key: " + keyB + "\n"),
                    masked(ar));
            assertTrue(b.rbdOrThrow("mirror", "pool", "info", "mimr").contains("Peer Sites: none"),
                    "rx-only import added a peer to the remote pool");

            // importing again is idempotent for both tools (the one peer is reused)
            assertEquals(0, runRc(a, "mirror", "pool", "peer", "bootstrap", "import", "--token-path", token.toString(),
                    "mimp").rc());
            assertEquals(masked(a.rbdOrThrow("mirror", "pool", "info", "--all", "mimq")),
                    masked(a.rbdOrThrow("mirror", "pool", "info", "--all", "mimp")));
        }
    }
}
