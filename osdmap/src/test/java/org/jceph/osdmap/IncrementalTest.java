package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Test;

/**
 * Incrementals read from the monitor's store of the capture cluster (epochs/inc.N, with the full
 * maps epochs/full.N beside them): each decodes, re-encodes identically, and applied to map N-1
 * gives map N byte for byte, whose CRC is the incremental's full_crc.
 */
class IncrementalTest {

    private static Path epochs() {
        return TestBytes.fixtureDir().resolve("epochs");
    }

    private static List<Long> incrementalEpochs() throws IOException {
        List<Long> out = new ArrayList<>();
        try (var s = Files.list(epochs())) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("inc."))
                    .map(n -> Long.parseLong(n.substring(4))).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyCapturedIncrementalAppliesToTheNextFullMapWithItsCrc() throws IOException {
        List<Long> epochs = incrementalEpochs();
        assertTrue(epochs.size() >= 20, "captured incrementals: " + epochs);
        OsdMap map = OsdMapCodec.decode(Files.readAllBytes(epochs().resolve("full." + (epochs.get(0) - 1))));
        for (long e : epochs) {
            byte[] incBytes = Files.readAllBytes(epochs().resolve("inc." + e));
            Incremental inc = Incremental.decode(incBytes);
            assertEquals(e, inc.epoch());
            assertTrue(Arrays.equals(incBytes, inc.encode()), "inc." + e + " re-encodes identically");
            OsdMap next = inc.applyTo(map);
            byte[] want = Files.readAllBytes(epochs().resolve("full." + e));
            byte[] got = OsdMapCodec.encode(next);
            if (!Arrays.equals(want, got)) {
                fail("epoch " + e + ": applied map differs from the monitor's, " + TestBytes.firstDifference(want, got));
            }
            assertTrue(inc.verifies(next), "full_crc of epoch " + e);
            assertEquals(inc.fullCrc(), next.crc(), "the applied map carries its own crc, not its predecessor's");
            assertEquals(OsdMapCodec.computeCrc(next), next.crc());
            map = next; // chain: every later epoch builds on our own result
        }
    }

    @Test
    void applyingLeavesThePreviousSnapshotUntouched() throws IOException {
        long e = incrementalEpochs().get(0);
        byte[] prevBytes = Files.readAllBytes(epochs().resolve("full." + (e - 1)));
        OsdMap prev = OsdMapCodec.decode(prevBytes);
        Incremental.decode(Files.readAllBytes(epochs().resolve("inc." + e))).applyTo(prev);
        assertTrue(Arrays.equals(prevBytes, OsdMapCodec.encode(prev)));
        assertEquals(e - 1, prev.epoch());
    }

    @Test
    void aWrongFullCrcIsDetected() throws IOException {
        long e = incrementalEpochs().get(3);
        OsdMap prev = OsdMapCodec.decode(Files.readAllBytes(epochs().resolve("full." + (e - 1))));
        Incremental inc = Incremental.decode(Files.readAllBytes(epochs().resolve("inc." + e)));
        OsdMap next = inc.applyTo(prev);
        inc.fullCrc ^= 1;
        assertTrue(!inc.verifies(next), "a mismatching full_crc means: fetch the full map");
    }

    @Test
    void everyCorpusIncrementalDecodesAndReencodes() {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> perVersion = new TreeMap<>();
        for (Corpus.Sample s : TestBytes.corpus("OSDMap::Incremental")) {
            byte[] bytes = s.bytes();
            try {
                Incremental inc = Incremental.decode(bytes);
                if (!Arrays.equals(bytes, inc.encode())) {
                    failures.add(s + ": re-encode differs, " + TestBytes.firstDifference(bytes, inc.encode()));
                }
                String key = inc.classicVersion() != 0 ? "classic" + inc.classicVersion()
                        : "client" + inc.clientVersion() + "/osd" + inc.osdVersion();
                perVersion.merge(key, 1, Integer::sum);
            } catch (RuntimeException ex) {
                failures.add(s + ": " + ex);
            }
        }
        System.out.println("OSDMap::Incremental corpus samples per encoding: " + perVersion);
        if (!failures.isEmpty()) {
            fail(failures.size() + " incremental samples failed:\n  " + String.join("\n  ", failures));
        }
    }
}
