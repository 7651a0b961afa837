package org.jceph.cli.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * msgr2 on-wire compression on a cluster that forces it (ms_osd_compress_mode = force, frames from
 * 64 bytes, also in secure mode): jceph, asking for each algorithm in turn in crc and secure mode,
 * writes and reads objects that the stock {@code rados} tool reads and wrote.
 *
 * <p>What this proves depends on the release: Quincy+ OSDs compress their OSD-to-OSD traffic
 * with it and answer a client's COMPRESSION_REQUEST with is_compress=0 (they only compress peers
 * that are OSDs), so jceph's negotiation runs and the session stays uncompressed; Pacific has no
 * on-wire compression, and this checks that the options change nothing for jceph there.
 */
@RealCluster(config = {"ms osd compress mode = force", "ms osd compress min size = 64", "ms compress secure = true",
    "ms osd compression algorithm = snappy", "debug ms = 10"})
@CrossRelease
class OnWireCompressionIT {
    @TempDir
    Path tmp;

    private static void run(CephCluster c, String alg, String mode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("-c", c.confPath().toString(), "-p", c.testPool(),
                "--ms_osd_compression_algorithm", alg, "--ms_client_mode", mode, "--ms_mon_client_mode", mode));
        all.addAll(List.of(args));
        int rc = RadosCommand.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    }

    /** The daemons' major release (16 = Pacific), from {@code ceph version}. */
    private static int major(CephCluster c) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ceph version (\\d+)\\.").matcher(c.cephOrThrow("version"));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String osdLogs(CephCluster c) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(c.logDir())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("osd.")).toList()) {
                sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @CsvSource({"snappy,crc", "zlib,crc", "zstd,crc", "lz4,crc", "snappy,secure", "zstd,secure"})
    void objectsRoundTripWithTheStockTool(String alg, String mode, CephCluster c) throws IOException {
        // compressible, so that a compressing session would shrink it
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 200_000; i++) {
            sb.append("object line ").append(i).append(' ').append(alg).append(' ').append(mode).append('\n');
        }
        byte[] data = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Path in = tmp.resolve("in");
        Files.write(in, data);
        String ours = "oncomp-" + alg + "-" + mode;
        run(c, alg, mode, "put", ours, in.toString());
        Path theirs = tmp.resolve("theirs");
        c.radosOrThrow("-p", c.testPool(), "get", ours, theirs.toString());
        assertArrayEquals(data, Files.readAllBytes(theirs));

        String stock = ours + "-stock";
        c.radosOrThrow("-p", c.testPool(), "put", stock, in.toString());
        Path back = tmp.resolve("back");
        run(c, alg, mode, "get", stock, back.toString());
        assertArrayEquals(data, Files.readAllBytes(back));

        if (major(c) >= 17) {
            // Quincy+: our COMPRESSION_REQUEST reached the OSD (which answers is_compress=0 to clients)
            int id = List.of("none", "snappy", "zlib", "zstd", "lz4").indexOf(alg); // Compressor.h algorithm ids
            String want = "CompressionRequestFrame(is_compress=1, preferred_methods=[" + id + "])";
            org.junit.jupiter.api.Assertions.assertTrue(osdLogs(c).contains(want), "no OSD log line with " + want);
        }
    }
}
