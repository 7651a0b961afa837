package org.jceph.cli.crushtool;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Formats numbers as a default C++ ostream does (precision 6, like printf %g without '#'). */
final class CephFloat {
    private CephFloat() {
    }

    static String g(double v) {
        return g(v, 6);
    }

    static String g(double v, int precision) {
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        if (exp < -4 || exp >= precision) {
            BigDecimal mant = rounded.movePointLeft(exp);
            String m = strip(mant.setScale(precision - 1, RoundingMode.HALF_EVEN).toPlainString());
            String e = String.format("%02d", Math.abs(exp));
            return m + "e" + (exp < 0 ? "-" : "+") + e;
        }
        String s = rounded.setScale(Math.max(0, precision - 1 - exp), RoundingMode.HALF_EVEN).toPlainString();
        return strip(s);
    }

    private static String strip(String s) {
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
}
