package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CephFeatureTest {
    @Test
    void bitsAreUniqueAndBelowTheReservedOnes() {
        Set<Integer> seen = new HashSet<>();
        for (CephFeature f : CephFeature.values()) {
            assertTrue(seen.add(f.bit()), "bit reused: " + f);
            assertTrue(f.bit() < 62, f + " uses a reserved bit");
        }
    }

    @Test
    void reusedBitsNeedTheirIncarnationMarkers() {
        // SERVER_NAUTILUS (bit 2, incarnation 3) only counts with SERVER_JEWEL (57) and SERVER_MIMIC (28).
        assertFalse(CephFeature.SERVER_NAUTILUS.isIn(1L << 2));
        assertTrue(CephFeature.SERVER_NAUTILUS.isIn((1L << 2) | (1L << 57) | (1L << 28)));
        assertEquals((1L << 59) | (1L << 57), CephFeature.MSG_ADDR2.fullMask());
    }

    @Test
    void clientMaskAdvertisesWhatATentacleClientDoes() {
        long m = CephFeature.CLIENT_SUPPORTED;
        assertTrue(CephFeature.SERVER_PACIFIC.isIn(m));
        assertTrue(CephFeature.CEPHX_V2.isIn(m));
        assertTrue(CephFeature.MSG_ADDR2.isIn(m));
        // what a Reef monitor requires once require_min_compat_client is reef, and a Squid+ one
        // once the CRUSH map has MSR rules (0x80000000 and 0x4000000000 in their refusals)
        assertTrue(CephFeature.SERVER_REEF.isIn(m) && CephFeature.SERVER_QUINCY.isIn(m));
        assertTrue(CephFeature.CRUSH_MSR.isIn(m) && CephFeature.RANGE_BLOCKLIST.isIn(m));
        assertEquals(0x80000000L, CephFeature.SERVER_REEF.bitMask());
        assertEquals(0x4000000000L, CephFeature.CRUSH_MSR.bitMask());
        assertTrue(CephFeature.SERVER_SQUID.isIn(m) && CephFeature.SERVER_TENTACLE.isIn(m));
        assertEquals(3L << 49, m & (3L << 49));
        assertEquals(0, m & ((1L << 62) | (1L << 63)));
    }
}
