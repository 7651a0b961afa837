package org.jceph.crush.internal;

import java.math.BigInteger;

/**
 * straw2's fixed-point logarithm, {@code crush_ln} in Ceph src/crush/mapper.c, with the two lookup
 * tables of src/crush/crush_ln_table.h computed here at class load.
 *
 * <p>{@code crush_ln(x)} returns about {@code 2^44 * log2(x + 1)} for x in [0, 0xffff]. It normalises
 * x+1 into [2^15, 2^16] (exponent {@code iexpon}), splits the mantissa with a coarse table indexed by
 * its top 7 fraction bits (k = 0..128) and a fine table indexed by the remaining 8 bits:
 *
 * <pre>
 *   RH[k] = ceil(2^55 / (128 + k))           = ceil(2^48 / (1 + k/128))   reciprocal
 *   LH[k] = floor(2^48 * log2(1 + k/128))                                  coarse log
 *   LL[j] ~ floor(2^48 * log2(1 + j/2^15))                                 fine log
 * </pre>
 *
 * <p>RH and LH follow those formulas exactly for every entry except LH[128], which Ceph stores as
 * {@code 2^48 - 2^32} instead of 2^48 (it is reached only for x = 0xffff). Ceph's LL table is not a
 * clean function: entries 0, 1 and the {@link #LL_PLAIN} indices equal the floor above; most others
 * carry an extra constant {@code 0x147700000}; and the {@link #LL_IRREGULAR} entries match neither
 * (they look like values pasted from elsewhere in the table). Mapping is bit-exact only with Ceph's
 * numbers, so the irregular entries are kept as data; the other 233 of 256 are computed.
 *
 * <p>All tables are immutable after class initialisation; {@link #ln(int)} is allocation-free.
 */
public final class CrushLn {
    /** Offset Ceph's generator added to most LL entries. */
    private static final long LL_OFFSET = 0x147700000L;

    /** LL indices holding the plain floor value (no offset). */
    private static final int[] LL_PLAIN = {0, 1, 203, 216, 222, 233, 237, 238, 239, 243, 244, 245, 246,
        248, 249, 250, 251, 252, 253, 254, 255};

    /** LL entries of Ceph's table that no formula reproduces: {index, value}. */
    private static final long[][] LL_IRREGULAR = {
        {56, 0xa2b07f3458L}, {127, 0x16df6ca19bdL}, {134, 0x182b07f3458L}, {181, 0x209c06e6212L},
        {184, 0x212b07f3458L}, {188, 0x21d6a73a78fL}, {193, 0x22c23679b4eL}, {198, 0x23a2c3b0ea4L},
        {199, 0x23d13ee805bL}, {200, 0x24035e9221fL}, {207, 0x25492644d65L}, {210, 0x25d13ee805bL},
        {212, 0x26296453882L}, {225, 0x287bdbf5255L}, {227, 0x28d13ee805bL}, {228, 0x29035e9221fL},
        {229, 0x29296453882L}, {231, 0x29902a37aabL}, {235, 0x2a4c7605d61L}, {236, 0x2a7bdbf5255L},
        {240, 0x2b296453882L}, {241, 0x2b5d022d80fL}, {247, 0x2c61a5e8f4cL},
    };

    private static final long[] RH = new long[129];
    private static final long[] LH = new long[129];
    private static final long[] LL = new long[256];

    static {
        BigInteger ln2 = atanh2(1, 3); // ln 2 = 2 atanh(1/3)
        BigInteger two55 = BigInteger.ONE.shiftLeft(55);
        for (int k = 0; k <= 128; k++) {
            BigInteger[] qr = two55.divideAndRemainder(BigInteger.valueOf(128 + k));
            RH[k] = qr[0].longValueExact() + (qr[1].signum() != 0 ? 1 : 0);
            // log2(1 + k/128) = 2 atanh(k / (256 + k)) / ln 2
            LH[k] = k == 0 ? 0 : log2Times2To48(atanh2(k, 256 + k), ln2);
        }
        LH[128] = (1L << 48) - (1L << 32);
        for (int j = 0; j < 256; j++) {
            long f = j == 0 ? 0 : log2Times2To48(atanh2(j, 65536 + j), ln2);
            LL[j] = f + LL_OFFSET;
        }
        for (int j : LL_PLAIN) {
            LL[j] -= LL_OFFSET;
        }
        for (long[] e : LL_IRREGULAR) {
            LL[(int) e[0]] = e[1];
        }
    }

    private CrushLn() {
    }

    /** Bits after the binary point of the fixed-point values below. */
    static final int FRACTION_BITS = 256;

    /**
     * 2 atanh(p/q) = ln((q+p)/(q-p)) times 2^256, by its odd power series in exact integer steps
     * (each term from the last by a multiply and a divide by small numbers; each step truncates
     * less than 2^-256, far below the 2^-48 the tables keep). Converges fast for p/q <= 1/3. This
     * replaced a BigDecimal series at 60 digits whose thousands of long divisions made class
     * initialisation cost 60-200 ms of CPU and a C2 compile of BigInteger division in every
     * process that maps objects.
     */
    public static BigInteger atanh2(int p, int q) {
        BigInteger pp = BigInteger.valueOf((long) p * p);
        BigInteger qq = BigInteger.valueOf((long) q * q);
        BigInteger term = BigInteger.valueOf(p).shiftLeft(FRACTION_BITS).divide(BigInteger.valueOf(q));
        BigInteger sum = BigInteger.ZERO;
        for (long n = 1; term.signum() != 0; n += 2) {
            sum = sum.add(term.divide(BigInteger.valueOf(n)));
            term = term.multiply(pp).divide(qq);
        }
        return sum.shiftLeft(1);
    }

    /** floor(2^48 * value / ln2) for two fixed-point values with the same scale. */
    public static long log2Times2To48(BigInteger value, BigInteger ln2) {
        return value.shiftLeft(48).divide(ln2).longValueExact();
    }

    /** {@code __RH_LH_tbl[i]} for i in [0, 258). */
    public static long rhLhTable(int i) {
        return (i & 1) == 0 ? RH[i >> 1] : LH[i >> 1];
    }

    /** {@code __LL_tbl[i]} for i in [0, 256). */
    public static long llTable(int i) {
        return LL[i];
    }

    /** crush_ln(xin) for xin in [0, 0xffff]: about 2^44 * log2(xin + 1). */
    public static long ln(int xin) {
        int x = xin + 1;
        int iexpon = 15;
        if ((x & 0x18000) == 0) {
            int bits = Integer.numberOfLeadingZeros(x & 0x1ffff) - 16;
            x <<= bits;
            iexpon = 15 - bits;
        }
        int k = (x >>> 8) - 128; // index1 = (x >> 8) << 1, minus 256, halved
        long rh = RH[k];
        long lh = LH[k];
        long xl64 = ((long) x * rh) >>> 48;
        long result = (long) iexpon << 44;
        long ll = LL[(int) (xl64 & 0xff)];
        return result + ((lh + ll) >>> 4);
    }
}
