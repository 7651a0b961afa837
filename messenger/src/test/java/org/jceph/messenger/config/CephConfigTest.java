package org.jceph.messenger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.auth.CryptoKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CephConfigTest {
    static final String ADMIN_KEY = "AQD+3AZrMlV4IxAAr0XnK6x981vCvGqI66Egog==";
    static final String FOO_KEY = "AQD+3AZraIZKIhAAhNF/eptDYbdxu13MiebzTg==";

    @TempDir
    Path dir;

    private Path conf(String text) throws IOException {
        Path p = dir.resolve("ceph.conf");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void clientNameSectionOverridesClientOverridesGlobal() throws IOException {
        Path c = conf("""
                [global]
                mon host = 10.0.0.1
                ms_mon_client_mode = crc
                client_mount_timeout = 5
                [client]
                ms-mon-client-mode = secure   # a comment
                [client.foo]
                client mount timeout = 7.5
                """);
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(c).args("--id", "foo").build();
        assertEquals(EntityName.client("foo"), cfg.name());
        assertEquals(List.of("secure"), cfg.monClientModes());
        assertEquals(Duration.ofMillis(7500), cfg.mountTimeout());
        assertEquals("10.0.0.1", cfg.get("mon_host").orElseThrow());
    }

    @Test
    void cephConfAndCephArgsComeFromTheEnvironmentAndTheCommandLineWins() throws IOException {
        Path c = conf("[global]\nmon_host = 10.0.0.1\n");
        CephConfig cfg = CephConfig.builder()
                .environment(Map.of("CEPH_CONF", c.toString(), "CEPH_ARGS", "--name client.bar -m 10.0.0.2"))
                .args("-m", "10.0.0.3:6789").build();
        assertEquals(c, cfg.confFile().orElseThrow());
        assertEquals(EntityName.client("bar"), cfg.name());
        assertEquals("10.0.0.3:6789", cfg.get("mon host").orElseThrow());
    }

    @Test
    void builderOverridesEverything() throws IOException {
        Path c = conf("[global]\nmon_host = 10.0.0.1\n");
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(c).args("-m", "10.0.0.2")
                .monHost("10.0.0.9").build();
        assertEquals("10.0.0.9", cfg.get("mon_host").orElseThrow());
    }

    @Test
    void missingExplicitConfFileIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> CephConfig.builder()
                .environment(Map.of("CEPH_CONF", dir.resolve("nope.conf").toString())).build());
    }

    @Test
    void keyringFoundThroughMetavariables() throws IOException {
        Files.writeString(dir.resolve("ceph.client.foo.keyring"), "[client.foo]\n\tkey = " + FOO_KEY + "\n");
        Path c = conf("[global]\nkeyring = " + dir + "/missing," + dir + "/$cluster.$name.keyring\n");
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(c).args("--name=client.foo").build();
        assertEquals(CryptoKey.fromBase64(FOO_KEY), cfg.secret());
    }

    @Test
    void inlineKeyWinsAndIsNeverPrinted() throws IOException {
        Path c = conf("[client.admin]\nkey = " + ADMIN_KEY + "\nkeyring = /nonexistent\n");
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(c).build();
        assertEquals(CryptoKey.fromBase64(ADMIN_KEY), cfg.secret());
        assertFalse(cfg.toString().contains(ADMIN_KEY), cfg.toString());
        assertTrue(cfg.toString().contains("key=<redacted>"));
    }

    @Test
    void missingKeyNamesEntityAndKeyringsTried() throws IOException {
        Path c = conf("[global]\nkeyring = " + dir + "/k1\n");
        Files.writeString(dir.resolve("k1"), "[client.other]\nkey = " + FOO_KEY + "\n");
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(c).build();
        IOException e = assertThrows(IOException.class, cfg::secret);
        assertTrue(e.getMessage().contains("client.admin") && e.getMessage().contains(dir + "/k1"), e.getMessage());
    }

    @Test
    void unknownModeIsRejected() throws IOException {
        Path c = conf("[global]\nms_mon_client_mode = secure fast\n");
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(c).build();
        assertThrows(IllegalArgumentException.class, cfg::monClientModes);
    }
}
