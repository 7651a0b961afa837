package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jceph.crush.internal.CrushLn;
import org.junit.jupiter.api.Test;

/**
 * The computed ln tables, spot-checked against entries of Ceph's crush_ln_table.h worked out by
 * hand (the full tables are proven by the straw2 mapping oracle tests).
 */
class CrushLnTest {
    @Test
    void reciprocalEntriesAreCeilingsOf2To55OverIndex() {
        assertEquals(1L << 48, CrushLn.rhLhTable(0)); // 2^55 / 128
        assertEquals(0x0000fe03f80fe040L, CrushLn.rhLhTable(2)); // ceil(2^55 / 129)
        assertEquals(0x0000aaaaaaaaaaabL, CrushLn.rhLhTable(128)); // ceil(2^55 / 192)
        assertEquals(0x0000800000000000L, CrushLn.rhLhTable(256)); // 2^55 / 256
    }

    @Test
    void coarseLogEntriesAreFloorsExceptTheLast() {
        assertEquals(0, CrushLn.rhLhTable(1));
        assertEquals(0x000002dfca16dde1L, CrushLn.rhLhTable(3)); // floor(2^48 log2(129/128))
        assertEquals(0x000095c01a39fbd6L, CrushLn.rhLhTable(129)); // floor(2^48 log2(1.5))
        assertEquals(0x0000ffff00000000L, CrushLn.rhLhTable(257)); // Ceph stores 2^48 - 2^32, not 2^48
    }

    @Test
    void fineLogEntriesReproduceCephsIrregularTable() {
        assertEquals(0, CrushLn.llTable(0));
        assertEquals(0x00000002e2a60a00L, CrushLn.llTable(1)); // plain floor
        assertEquals(0x000000070cb64ec5L, CrushLn.llTable(2)); // floor + 0x147700000
        assertEquals(0x000000a2b07f3458L, CrushLn.llTable(56)); // irregular entry kept as data
        assertEquals(0x00000247ed646bfeL, CrushLn.llTable(203)); // plain floor again
        assertEquals(0x000002dced24f814L, CrushLn.llTable(255));
    }

    @Test
    void lnOfEndpoints() {
        // crush_ln(0) = log2(1) = 0; crush_ln(0xffff) = 2^44 * 16 minus Ceph's LH[128] shortfall
        assertEquals(0, CrushLn.ln(0));
        assertEquals((15L << 44) + ((0x0000ffff00000000L) >>> 4), CrushLn.ln(0xffff));
        assertEquals(1L << 44, CrushLn.ln(1)); // log2(2) = 1
    }

    /**
     * The integer series gives every log entry the floor that a 60-digit BigDecimal series (the
     * former computation, kept here as the reference) gives: all 128 coarse and 255 fine entries.
     */
    @Test
    void integerSeriesMatchesDecimalSeriesEverywhere() {
        java.math.MathContext mc = new java.math.MathContext(60, java.math.RoundingMode.HALF_EVEN);
        java.math.BigDecimal ln2 = decimalAtanh2(1, 3, mc);
        java.math.BigDecimal two48 = new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(48));
        java.math.BigInteger fixedLn2 = CrushLn.atanh2(1, 3);
        for (int k = 1; k <= 128; k++) {
            assertEquals(floor(decimalAtanh2(k, 256 + k, mc).divide(ln2, mc).multiply(two48, mc)),
                    CrushLn.log2Times2To48(CrushLn.atanh2(k, 256 + k), fixedLn2), "LH " + k);
        }
        for (int j = 1; j < 256; j++) {
            assertEquals(floor(decimalAtanh2(j, 65536 + j, mc).divide(ln2, mc).multiply(two48, mc)),
                    CrushLn.log2Times2To48(CrushLn.atanh2(j, 65536 + j), fixedLn2), "LL " + j);
        }
    }

    private static java.math.BigDecimal decimalAtanh2(int p, int q, java.math.MathContext mc) {
        java.math.BigDecimal t = java.math.BigDecimal.valueOf(p).divide(java.math.BigDecimal.valueOf(q), mc);
        java.math.BigDecimal t2 = t.multiply(t, mc);
        java.math.BigDecimal term = t;
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        java.math.BigDecimal eps = java.math.BigDecimal.ONE.movePointLeft(58);
        for (int n = 1; term.abs().compareTo(eps) > 0; n += 2) {
            sum = sum.add(term.divide(java.math.BigDecimal.valueOf(n), mc), mc);
            term = term.multiply(t2, mc);
        }
        return sum.multiply(java.math.BigDecimal.valueOf(2), mc);
    }

    private static long floor(java.math.BigDecimal v) {
        return v.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    }
}
