package org.jceph.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.Mode;
import org.junit.jupiter.api.Test;

/** The peer-attribute JSON, the MirroringWatcher notifications and the image state object names. */
class MirrorSmallCodecsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void peerAttributesAreLibrbdsJson() {
        // what Pacific's `rbd mirror pool peer bootstrap import` stored (the key made up here)
        String stored = "{\"key\": \"AQBfake==\", \"mon_host\": \"[v2:127.0.0.1:34989/0,v1:127.0.0.1:34091/0]\"}";
        TreeMap<String, String> m = new TreeMap<>(Map.of("mon_host", "[v2:127.0.0.1:34989/0,v1:127.0.0.1:34091/0]",
                "key", "AQBfake=="));
        assertEquals(m, FlatJson.parse(stored));
        assertEquals(stored, FlatJson.write(m));
        assertEquals("{}", FlatJson.write(new TreeMap<>()));
        TreeMap<String, String> odd = new TreeMap<>(Map.of("k\"\\\n", "\u0001x"));
        assertEquals(odd, FlatJson.parse(FlatJson.write(odd)));
    }

    @Test
    void corruptAttributesAreTypedEinval() {
        for (String bad : new String[] {"", "[]", "{\"a\": 1}", "{\"a\" \"b\"}", "{\"a\": \"b\"", "{\"a\": \"\\u12\"}"}) {
            RbdException e = assertThrows(RbdException.class, () -> FlatJson.parse(bad), bad);
            assertEquals(-22, e.errno(), bad);
        }
    }

    @Test
    void mirroringWatcherMessagesAreNotifyMessageV1() {
        // ENCODE_START(1, 1) + u32 op 0 + u32 mode 1 (image)
        assertEquals("0101080000000000000001000000", HEX.formatHex(MirroringNotify.modeUpdated(Mode.IMAGE)));
        // op 1, state 1 (enabled), image id "ab", global id "g"
        assertEquals("0101130000000100000001000000020000006162010000" + "0067",
                HEX.formatHex(MirroringNotify.imageUpdated(ImageState.ENABLED, "ab", "g")));
    }

    @Test
    void imageStateObjectsAreNamedAsLibrbd() {
        assertEquals("rbd_mirror_snapshot.115c9160d4c8.12.0", ImageStateWriter.objectName("115c9160d4c8", 12, 0));
    }
}
