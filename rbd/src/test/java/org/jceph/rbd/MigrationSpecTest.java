package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Map;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;
import org.junit.jupiter.api.Test;

/**
 * cls::rbd::MigrationSpec against the omap values Pacific 16.2.15's {@code rbd migration prepare}
 * wrote (captured with {@code rados getomapval rbd_header.ID migration}).
 */
class MigrationSpecTest {
    /** The destination's header: source jceph-test (pool 2)/a, id 1025c15a07c, 16 MiB overlap, prepared. */
    private static final String PACIFIC_DST = "0301390000000202000000000000000000000001000000610b000000313032"
            + "3563313561303763000000000000000100000000000002000000000000000000";
    /** The source's header: destination jceph-test/b, id 10298d21411, no overlap, prepared. */
    private static final String PACIFIC_SRC = "0301390000000102000000000000000000000001000000620b000000313032"
            + "3938643231343131000000000000000000000000000002000000000000000000";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void decodesPacificsDestinationHeaderAndEncodesItBackByteForByte() {
        MigrationSpec s = MigrationSpec.decode(hex(PACIFIC_DST));
        assertEquals(MigrationSpec.TYPE_DST, s.headerType());
        assertEquals(2, s.poolId());
        assertEquals("", s.poolNamespace());
        assertEquals("a", s.imageName());
        assertEquals("1025c15a07c", s.imageId());
        assertEquals(Map.of(), s.snapSeqs());
        assertEquals(16L << 20, s.overlap());
        assertEquals(MigrationSpec.STATE_PREPARED, s.state());
        assertEquals("prepared", MigrationSpec.stateName(s.state()));
        assertEquals("", s.sourceSpec());
        assertArrayEquals(hex(PACIFIC_DST), s.toBytes());
    }

    /**
     * An import-only destination: Pacific 16.2.15's {@code rbd migration prepare --import-only
     * --source-spec '{"type":"native","pool_name":"rbd","image_name":"s1","snap_name":"b"}' imp1},
     * source snapshots 4 and 5 copied as 6 and 7, 4 MiB overlap, flatten set.
     */
    private static final String PACIFIC_IMPORT = "03039200000002ffffffffffffffff000000000000000000000000020000000400"
            + "00000000000006000000000000000500000000000000070000000000000000004000000000000100020000000000450000007b"
            + "22696d6167655f6e616d65223a227331222c22706f6f6c5f6e616d65223a22726264222c22736e61705f6e616d65223a2262"
            + "222c2274797065223a226e6174697665227d";

    @Test
    void decodesPacificsImportOnlyDestinationWithSnapSeqsAndEncodesItBack() {
        MigrationSpec s = MigrationSpec.decode(hex(PACIFIC_IMPORT));
        assertEquals(MigrationSpec.TYPE_DST, s.headerType());
        assertEquals(-1, s.poolId());
        assertEquals("", s.imageName());
        assertEquals(Map.of(4L, 6L, 5L, 7L), s.snapSeqs());
        assertEquals(4L << 20, s.overlap());
        assertEquals(true, s.flatten());
        assertEquals("{\"image_name\":\"s1\",\"pool_name\":\"rbd\",\"snap_name\":\"b\",\"type\":\"native\"}",
                s.sourceSpec());
        assertArrayEquals(hex(PACIFIC_IMPORT), s.toBytes());
    }

    @Test
    void encodesTheSourceHeaderAsPacificDoes() {
        MigrationSpec s = new MigrationSpec(MigrationSpec.TYPE_SRC, 2, "", "b", "10298d21411", "", Map.of(), 0, false,
                false, 0, MigrationSpec.STATE_PREPARED, "");
        assertArrayEquals(hex(PACIFIC_SRC), s.toBytes());
        assertEquals(s, MigrationSpec.decode(hex(PACIFIC_SRC)));
    }

    @Test
    void snapSeqsAndSourceSpecRoundTripAndASourceSpecRaisesCompat() {
        MigrationSpec s = new MigrationSpec(MigrationSpec.TYPE_DST, -1, "ns", "", "", "{\"type\":\"raw\"}",
                Map.of(4L, 9L, 2L, 7L), 1 << 20, true, true, 1, MigrationSpec.STATE_EXECUTING, "copying");
        byte[] b = s.toBytes();
        assertEquals(3, b[0]);
        assertEquals(3, b[1], "compat 3 with a source spec, as librbd");
        assertEquals(s, MigrationSpec.decode(b));
        // snap_seqs are a std::map: encoded in key order
        CephDecoder d = CephDecoder.of(b, "t");
        d.skip(6 + 1 + 8 + (4 + 2) + 4 + 4);
        assertEquals(2L, d.readU32Le());
        assertEquals(2L, d.readU64Le());
    }

    @Test
    void aVersion1EncodingDecodesWithDefaults() {
        // Nautilus's v1: no mirror image mode, no source spec
        byte[] v2 = hex(PACIFIC_DST);
        byte[] v1 = new byte[v2.length - 5];
        System.arraycopy(v2, 0, v1, 0, v1.length);
        v1[0] = 1;
        v1[2] = (byte) (v2[2] - 5);
        MigrationSpec s = MigrationSpec.decode(v1);
        assertEquals("1025c15a07c", s.imageId());
        assertEquals(0, s.mirrorImageMode());
        assertEquals("", s.sourceSpec());
    }

    @Test
    void truncatedInputIsATypedError() {
        byte[] b = hex(PACIFIC_DST);
        byte[] cut = java.util.Arrays.copyOf(b, 20);
        assertThrows(DecodeException.class, () -> MigrationSpec.decode(cut));
    }
}
