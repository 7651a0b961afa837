package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.jceph.encoding.DecodeException;
import org.junit.jupiter.api.Test;

/** Truncated or corrupted maps fail with DecodeException (struct and offset), never anything else. */
class HostileInputTest {

    @Test
    void everyTruncationOfAFullMapIsADecodeException() {
        byte[] map = TestBytes.capturedMapBytes("osd-down");
        for (int n = 0; n < map.length; n++) {
            byte[] cut = Arrays.copyOf(map, n);
            assertThrows(DecodeException.class, () -> OsdMapCodec.decode(cut), "truncated at " + n);
        }
    }

    @Test
    void everyTruncationOfAnIncrementalIsADecodeException() throws IOException {
        byte[] inc = Files.readAllBytes(TestBytes.fixtureDir().resolve("epochs/inc.30"));
        for (int n = 0; n < inc.length; n++) {
            byte[] cut = Arrays.copyOf(inc, n);
            assertThrows(DecodeException.class, () -> Incremental.decode(cut), "truncated at " + n);
        }
    }

    @Test
    void aFlippedByteIsCaughtByTheCrc() {
        byte[] map = TestBytes.capturedMapBytes("upmap");
        for (int at = 0; at < map.length - 4; at++) {
            byte[] bad = map.clone();
            bad[at] ^= 0x40;
            // either the structure no longer parses or the CRC over the bytes no longer matches
            assertThrows(DecodeException.class, () -> OsdMapCodec.decode(bad), "flipped byte " + at);
        }
    }
}
