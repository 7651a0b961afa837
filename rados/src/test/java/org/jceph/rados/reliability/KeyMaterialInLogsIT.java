package org.jceph.rados.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.ClusterFaults;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonSession;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.testlog.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never reach logs or error texts. A run with faults (socket failures, an OSD kill and
 * restart, a monitor restart), a watch, a failed authentication with a wrong key and a
 * deliberately corrupted keyring is recorded: everything the client printed or logged
 * (System.out/err, SLF4J events at every level down to TRACE through the test binding
 * {@link LogCapture}, java.util.logging, every exception text and toString seen)
 * and every daemon log of the cluster (with {@code debug ms = 1}, {@code debug auth = 5}). None may
 * contain the client.admin secret (base64 of the keyring line, base64/hex of the raw 16 bytes, or
 * the raw bytes) or a session key the monitor granted us (AUTH, mon, osd and mgr tickets). Kept
 * cluster directories of other suites under {@code target/} are scanned for their own keys too.
 */
@RealCluster(config = {"debug ms = 1", "debug auth = 5", "debug monc = 5"})
class KeyMaterialInLogsIT {
    @TempDir
    Path tmp;

    /** Text forms of one secret, and its raw bytes. */
    record Secret(String what, List<String> texts, byte[] raw) {
        static Secret of(String what, byte[] raw) {
            List<String> texts = new ArrayList<>();
            texts.add(Base64.getEncoder().encodeToString(raw));
            texts.add(Base64.getEncoder().withoutPadding().encodeToString(raw));
            texts.add(HexFormat.of().formatHex(raw));
            texts.add(HexFormat.of().withUpperCase().formatHex(raw));
            return new Secret(what, texts, raw);
        }
    }

    @Test
    void noKeyMaterialInClientOrDaemonLogs(CephCluster c) throws Exception {
        List<Secret> secrets = new ArrayList<>();
        String adminB64 = c.adminKey();
        CryptoKey admin = CryptoKey.fromBase64(adminB64);
        Secret adminSecret = Secret.of("client.admin secret", admin.secret());
        adminSecret.texts().add(adminB64);
        secrets.add(adminSecret);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> texts = new ArrayList<>();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (texts) {
                    texts.add(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage()
                            + (r.getParameters() == null ? "" : " " + java.util.Arrays.toString(r.getParameters())));
                    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                        texts.add(String.valueOf(t));
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        LogCapture.clear();
        Logger root = Logger.getLogger("");
        Level oldLevel = root.getLevel();
        root.addHandler(jul);
        root.setLevel(Level.ALL);
        System.setOut(new PrintStream(tee(oldOut, captured), true));
        System.setErr(new PrintStream(tee(oldErr, captured), true));
        try {
            CephConfig config = CephConfig.builder().confFile(c.confPath()).set("rados_osd_op_timeout", "60").build();
            try (Messenger m = Messenger.forConfig(config)) {
                MonSession mon = MonSession.connect(config, m);
                try {
                    for (Map.Entry<Integer, ServiceTicket> t : mon.connection().serviceTickets().entrySet()) {
                        secrets.add(Secret.of("session key of the service " + t.getKey() + " ticket", t.getValue().sessionKey()));
                        texts.add(String.valueOf(t.getValue()));
                    }
                    texts.add(String.valueOf(mon.connection()));
                } finally {
                    mon.close();
                }
            }
            assertTrue(secrets.size() >= 3, "AUTH and service session keys were obtained: " + secrets.size());
            ClusterFaults faults = new ClusterFaults(c, new java.util.Random(9));
            try (RadosClient client = RadosClient.connect(config)) {
                texts.add(String.valueOf(client));
                IoCtx io = client.ioCtx(c.testPool());
                io.writeFull("keys-watched", new byte[0]);
                io.watch("keys-watched", (id, gid, p) -> new byte[0]);
                faults.injectSocketFailures(100);
                // the 200 writes as 20 chains, one per object, side by side (each object's writes in order)
                List<CompletableFuture<Void>> chains = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (int i = k; i < 200; i += 20) {
                        String oid = "keys-" + k;
                        byte[] payload = ("payload " + i).getBytes(StandardCharsets.UTF_8);
                        chain = chain.thenCompose(v -> io.writeFullAsync(oid, payload));
                    }
                    chains.add(chain);
                }
                CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
                faults.killAndRestartOsd(Duration.ofSeconds(5));
                faults.restartMon(false);
                for (int i = 0; i < 50; i++) {
                    assertEquals("payload " + (180 + i % 20), new String(io.read("keys-" + (i % 20), 0, 64),
                            StandardCharsets.UTF_8));
                }
                faults.injectSocketFailures(0);
            }
            // A wrong key: authentication fails, and says so without either key in its text.
            byte[] wrong = admin.secret().clone();
            wrong[0] ^= 1;
            Path badKeyring = tmp.resolve("bad.keyring");
            Files.writeString(badKeyring, "[client.admin]\n\tkey = " + Base64.getEncoder().encodeToString(
                    encodeKey(new CryptoKey(CryptoKey.TYPE_AES, admin.created(), wrong))) + "\n");
            secrets.add(Secret.of("the wrong key tried", wrong));
            CephConfig bad = CephConfig.builder().confFile(c.confPath()).keyring(badKeyring).build();
            Exception e = assertThrows(Exception.class, () -> RadosClient.connect(bad).close());
            for (Throwable t = e; t != null; t = t.getCause()) {
                texts.add(String.valueOf(t));
                for (StackTraceElement s : t.getStackTrace()) {
                    texts.add(s.toString());
                }
            }
            // A keyring whose key is corrupt: the error names the file, not the bytes.
            Path corrupt = tmp.resolve("corrupt.keyring");
            Files.writeString(corrupt, "[client.admin]\n\tkey = " + adminB64.substring(0, adminB64.length() - 6) + "!!\n");
            Exception e2 = assertThrows(Exception.class,
                    () -> RadosClient.connect(CephConfig.builder().confFile(c.confPath()).keyring(corrupt).build()).close());
            for (Throwable t = e2; t != null; t = t.getCause()) {
                texts.add(String.valueOf(t));
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            root.removeHandler(jul);
            root.setLevel(oldLevel);
        }
        texts.add(captured.toString(StandardCharsets.ISO_8859_1));
        List<LogCapture.Event> slf4j = LogCapture.events();
        assertTrue(slf4j.stream().anyMatch(e -> e.message().contains("session faulted")),
                "the faults were logged, so the scan below saw the fault paths' lines");
        for (LogCapture.Event e : slf4j) {
            texts.add(e.text());
        }

        Map<String, String> found = new LinkedHashMap<>();
        String clientText = String.join("\n", texts);
        for (Secret s : secrets) {
            for (String t : s.texts()) {
                if (clientText.contains(t)) {
                    found.put("client output/exceptions", s.what() + " as " + (t.length() > 24 ? "base64" : "text"));
                }
            }
        }
        long scanned = scanLogDir(c.logDir(), secrets, found);
        // Other suites' kept cluster directories (failed runs keep their logs and keyring).
        try (Stream<Path> dirs = Files.list(c.dir().getParent())) {
            for (Path d : (Iterable<Path>) dirs.filter(p -> p.getFileName().toString().startsWith("ceph-cluster-")
                    && !p.equals(c.dir()) && Files.isRegularFile(p.resolve("keyring")) && !cephLogsSecrets(p))::iterator) {
                String key = keyOf(d.resolve("keyring"));
                if (key != null) {
                    Secret other = Secret.of("client.admin secret of " + d.getFileName(), CryptoKey.fromBase64(key).secret());
                    other.texts().add(key);
                    scanned += scanLogDir(d.resolve("log"), List.of(other), found);
                }
            }
        }
        System.out.printf("[keys] RESULT %d secrets (admin key, %d session keys, a wrong key) looked for in %d bytes of"
                + " client output and %d bytes of daemon logs: %s%n", secrets.size(), secrets.size() - 2,
                clientText.length(), scanned, found.isEmpty() ? "none found" : found);
        assertEquals(Map.of(), found, "key material found");
    }

    /**
     * True for a kept cluster whose suite raised {@code debug auth} to 10 or more: there the
     * monitor itself writes service secrets into its log ("build_service_ticket_reply encoding 1
     * tickets with secret ..."), whoever the client, so its logs say nothing about jceph.
     */
    private static boolean cephLogsSecrets(Path clusterDir) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*debug[_ ]auth\\s*=\\s*(\\d+)")
                    .matcher(Files.readString(clusterDir.resolve("ceph.conf")));
            while (m.find()) {
                if (Integer.parseInt(m.group(1)) >= 10) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long scanLogDir(Path logDir, List<Secret> secrets, Map<String, String> found) throws IOException {
        long bytes = 0;
        if (!Files.isDirectory(logDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] content = Files.readAllBytes(f);
                bytes += content.length;
                String text = new String(content, StandardCharsets.ISO_8859_1);
                for (Secret s : secrets) {
                    for (String t : s.texts()) {
                        if (text.contains(t)) {
                            found.put(f.toString(), s.what() + " as text");
                        }
                    }
                    if (indexOf(content, s.raw()) >= 0) {
                        found.put(f.toString(), s.what() + " as raw bytes");
                    }
                }
            }
        }
        return bytes;
    }

    private static String keyOf(Path keyring) throws IOException {
        for (String line : Files.readAllLines(keyring)) {
            String l = line.strip();
            if (l.startsWith("key")) {
                return l.substring(l.indexOf('=') + 1).strip();
            }
        }
        return null;
    }

    private static byte[] encodeKey(CryptoKey k) {
        return org.jceph.encoding.CephEncoder.toBytes(k::encode);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                a.write(x);
                synchronized (b) {
                    b.write(x);
                }
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                a.write(buf, off, len);
                synchronized (b) {
                    b.write(buf, off, len);
                }
            }
        };
    }
}
