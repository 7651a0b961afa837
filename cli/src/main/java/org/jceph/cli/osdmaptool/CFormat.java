package org.jceph.cli.osdmaptool;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;

/** How Ceph's C++ streams print values, for output that matches osdmaptool byte for byte. */
final class CFormat {
    private CFormat() {
    }

    /** A double through an ostream with default flags: printf's %g with 6 significant digits. */
    static String g(double v) {
        return org.jceph.cli.CStdio.g(v);
    }

    /** printf's %.{precision}g, as an ostream with setprecision(precision) prints a double. */
    static String g(double v, int precision) {
        return org.jceph.cli.CStdio.g(v, precision);
    }

    /** vector&lt;int&gt;: [1,2,3]. */
    static String vec(List<Integer> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx");

    /** utime_t: local time with offset; values under ten years print as seconds.micros. */
    static String utime(UTime t) {
        if (t.seconds() < 60L * 60 * 24 * 365 * 10) {
            return t.seconds() + "." + String.format("%06d", t.nanos() / 1000);
        }
        Instant i = Instant.ofEpochSecond(t.seconds(), (t.nanos() / 1000) * 1000);
        return STAMP.format(ZonedDateTime.ofInstant(i, ZoneId.systemDefault()));
    }

    /** entity_addr_t: v2:127.0.0.1:6810/15607 ("-" for none; no prefix for "any"). */
    static String addr(EntityAddr a) {
        if (a.type() == EntityAddr.TYPE_NONE) {
            return "-";
        }
        String prefix = switch (a.type()) {
            case EntityAddr.TYPE_LEGACY -> "v1:";
            case EntityAddr.TYPE_MSGR2 -> "v2:";
            case EntityAddr.TYPE_CIDR -> "cidr:";
            default -> "";
        };
        var s = a.socketAddress();
        String where;
        if (s == null) {
            where = "-";
        } else if (a.family() == EntityAddr.AF_INET6) {
            where = "[" + s.getAddress().getHostAddress() + "]:" + s.getPort();
        } else {
            where = s.getAddress().getHostAddress() + ":" + s.getPort();
        }
        return prefix + where + "/" + a.nonce();
    }

    /** entity_addrvec_t: the address alone when there is one, else [a,b]. */
    /** operator&lt;&lt;(entity_addrvec_t): nothing when empty, the address when one, else [a,b]. */
    static String addrs(EntityAddrVec v) {
        if (v.addrs().isEmpty()) {
            return ""; // an up OSD that never booted (a map built offline) has no addresses
        }
        if (v.addrs().size() == 1) {
            return addr(v.addrs().get(0));
        }
        return v.addrs().stream().map(CFormat::addr).collect(Collectors.joining(",", "[", "]"));
    }
}
