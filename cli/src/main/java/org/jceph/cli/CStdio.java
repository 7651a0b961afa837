package org.jceph.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as Ceph's C and C++ tools print them with glibc, so that our output matches theirs
 * byte for byte.
 *
 * <p>glibc rounds the exact binary value of a double, and a value exactly half way between two
 * outputs goes to the even one: {@code printf("%.1f", 2.25)} prints {@code 2.2}. Java's
 * {@link java.util.Formatter} rounds half up and prints {@code 2.3}, so nothing here uses it for a
 * fraction.
 */
public final class CStdio {
    private static final String[] BYTE_UNITS = {" B", " KiB", " MiB", " GiB", " TiB", " PiB", " EiB"};

    private CStdio() {
    }

    /** {@code printf("%.{decimals}f", v)} with glibc's rounding; "nan", "inf" and "-inf" as glibc. */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // -0.0 and negatives that round to zero keep their sign, as glibc prints them
        return (v < 0 || (v == 0 && 1 / v < 0)) && !s.startsWith("-") ? "-" + s : s;
    }

    /**
     * Ceph's {@code weightf_t} on a stream, as crushtool and osdmaptool print CRUSH weights: "-"
     * below -0.01, "0" below 1e-6, else the float with five decimals.
     */
    public static String weightf(float w) {
        if (w < -0.01F) {
            return "-";
        }
        if (w < 0.000001F) {
            return "0";
        }
        return fixed(w, 5);
    }

    /** A double through a default C++ ostream: {@code printf("%g")}, six significant digits. */
    public static String g(double v) {
        return g(v, 6);
    }

    /** {@code printf("%.{precision}g", v)}, as an ostream with setprecision(precision) prints it. */
    public static String g(double v, int precision) {
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        if (exp < -4 || exp >= precision) {
            BigDecimal mant = rounded.movePointLeft(exp);
            String m = stripZeros(mant.setScale(precision - 1, RoundingMode.HALF_EVEN).toPlainString());
            return m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return stripZeros(rounded.setScale(Math.max(0, precision - 1 - exp), RoundingMode.HALF_EVEN).toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * A byte count as Ceph's {@code byte_u_t} prints it: the largest binary unit it reaches, whole
     * units without a fraction, others with the most decimals (2, 1 or 0) that keep the text,
     * unit included, within 7 characters ("6.0 GiB", "2.2 MiB", "11 KiB", "5 B"). The count is
     * unsigned, as in C.
     */
    public static String bytes(long v) {
        int index = 0;
        long n = v;
        while (Long.compareUnsigned(n, 1024) >= 0 && index < BYTE_UNITS.length - 1) {
            n = Long.divideUnsigned(n, 1024);
            index++;
        }
        if (index == 0) {
            return Long.toUnsignedString(n) + BYTE_UNITS[0];
        }
        long mult = 1L << (10 * index);
        if (Long.remainderUnsigned(v, mult) == 0) {
            return Long.toUnsignedString(n) + BYTE_UNITS[index];
        }
        double value = unsignedToDouble(v) / mult;
        String s = null;
        for (int decimals = 2; decimals >= 0; decimals--) {
            s = fixed(value, decimals) + BYTE_UNITS[index];
            if (s.length() <= 7) {
                break;
            }
        }
        return s;
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return v >= 0 ? (double) v : d + (v & 1);
    }
}
