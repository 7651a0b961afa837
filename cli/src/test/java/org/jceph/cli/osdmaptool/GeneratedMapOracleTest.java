package org.jceph.cli.osdmaptool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A larger map built on the spot with the real tools (osdmaptool --createsimple, then a
 * crushtool-built root/rack/host/osd hierarchy of straw2 buckets imported into it), mapped by
 * both osdmaptool and us: every PG line and the statistics must be identical. Needs Ceph's
 * command-line tools; fails (never skips) when they are missing.
 */
class GeneratedMapOracleTest {
    private static final String INSTALL = "osdmaptool/crushtool not found: apt-get install -y ceph-common ceph-base";

    @TempDir
    static Path dir;
    static Path map;

    static String tool(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            fail(INSTALL + " (" + e.getMessage() + ")");
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " timed out");
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " exited " + p.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void build() throws Exception {
        map = dir.resolve("m.osdmap");
        tool("osdmaptool", "--createsimple", "600", "--with-default-pool", "--pg_bits", "5", map.toString());
        tool("crushtool", "--build", "--num_osds", "600", "host", "straw2", "12", "rack", "straw2", "5", "root",
                "straw2", "0", "-o", dir.resolve("crush.bin").toString());
        tool("osdmaptool", map.toString(), "--import-crush", dir.resolve("crush.bin").toString());
    }

    private static void same(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("osdmaptool", map.toString()));
        cmd.addAll(List.of(args));
        String theirs = tool(cmd.toArray(new String[0]));
        List<String> ours = new ArrayList<>(List.of(map.toString()));
        ours.addAll(List.of(args));
        assertEquals(theirs, OsdmapToolOracleTest.run(ours.toArray(new String[0])), String.join(" ", args));
    }

    @Test
    void allPgsOfA600OsdHierarchyMapLikeOsdmaptool() throws Exception {
        same("--mark-up-in", "--test-map-pgs-dump");
    }

    @Test
    void markingOneOsdOutRemapsLikeOsdmaptool() throws Exception {
        same("--mark-up-in", "--mark-out", "17", "--test-map-pgs-dump-all");
    }

    @Test
    void printTreeAndJsonMatchForAToolBuiltMap() throws Exception {
        same("--print");
        same("--tree");
        same("--dump", "json");
        assertEquals(true, Files.size(map) > 10_000);
    }
}
