package org.jceph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CStdioTest {
    @Test
    void exactHalvesRoundToEvenAsGlibcDoes() {
        // printf("%.1f") on these values, as glibc prints them
        assertEquals("2.2", CStdio.fixed(2.25, 1));
        assertEquals("2.4", CStdio.fixed(2.35, 1)); // 2.35 is stored a little above the half
        assertEquals("0.12", CStdio.fixed(0.125, 2));
        assertEquals("0.38", CStdio.fixed(0.375, 2));
        assertEquals("2", CStdio.fixed(2.5, 0));
        assertEquals("4", CStdio.fixed(3.5, 0));
        assertEquals("-0.0", CStdio.fixed(-0.04, 1));
        assertEquals("-0.00", CStdio.fixed(-0.0, 2));
        assertEquals("0.33333", CStdio.fixed(1 / 3.0, 5));
        assertEquals("nan", CStdio.fixed(Double.NaN, 2));
        assertEquals("-inf", CStdio.fixed(Double.NEGATIVE_INFINITY, 2));
    }

    @Test
    void byteCountsPrintAsByteUT() {
        // rbd du printed "2.2 MiB" for 2,359,296 bytes (2.25 MiB) where we had printed "2.3 MiB"
        assertEquals("2.2 MiB", CStdio.bytes(2_359_296L));
        assertEquals("1.4 MiB", CStdio.bytes(1_441_792L));
        assertEquals("896 KiB", CStdio.bytes(917_504L));
        assertEquals("3 MiB", CStdio.bytes(3L << 20));
        assertEquals("5 B", CStdio.bytes(5));
        assertEquals("0 B", CStdio.bytes(0));
        assertEquals("1023 B", CStdio.bytes(1023));
        assertEquals("1.5 KiB", CStdio.bytes(1536)); // "1.50 KiB" is eight characters
        assertEquals("11 KiB", CStdio.bytes(11 << 10));
        assertEquals("10 KiB", CStdio.bytes(10752)); // 10.5: "10.5 KiB" is too long, and %.0f rounds the half to even
        assertEquals("100 KiB", CStdio.bytes(102_450)); // 100.05 KiB: "100.05 KiB" and "100.0 KiB" are too long
        assertEquals("6.0 GiB", CStdio.bytes((6L << 30) + 1));
        assertEquals("16 EiB", CStdio.bytes(-1L)); // unsigned, as in C: 2^64 - 1 bytes
        assertEquals("8 EiB", CStdio.bytes(Long.MIN_VALUE));
    }

    @Test
    void generalFormatAsAnOstream() {
        assertEquals("0.333333", CStdio.g(1 / 3.0));
        assertEquals("1e+06", CStdio.g(1e6));
        assertEquals("123458", CStdio.g(123457.5)); // exact half: to even
        assertEquals("123456", CStdio.g(123455.5)); // exact half: to even
        assertEquals("1.5e-05", CStdio.g(1.5e-5));
        assertEquals("-0", CStdio.g(-0.0));
        assertEquals("0.1", CStdio.g(0.1, 17).substring(0, 3));
        assertEquals("0.10000000000000001", CStdio.g(0.1, 17));
    }

    @Test
    void crushWeightsAsWeightfT() {
        assertEquals("-", CStdio.weightf(-1));
        assertEquals("0", CStdio.weightf(0));
        assertEquals("1.00000", CStdio.weightf(1));
        assertEquals("0.00999", CStdio.weightf(0x28f / 65536f));
    }
}
