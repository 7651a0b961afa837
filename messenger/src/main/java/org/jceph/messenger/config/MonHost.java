package org.jceph.messenger.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;

/**
 * Parses {@code mon_host} / {@code -m} the way MonMap::init_with_ips and _add_ambiguous_addr do
 * (src/mon/MonMap.cc). Entries are separated by commas, semicolons or spaces, except inside
 * brackets. Each entry becomes one or more candidate monitors:
 * <pre>
 *   [v2:1.2.3.4:3300,v1:1.2.3.4:6789]  one monitor with exactly these addresses
 *   v2:1.2.3.4[:port]                  msgr2, default port 3300
 *   v1:1.2.3.4[:port]                  msgr1, default port 6789
 *   1.2.3.4                            two candidates: v2 :3300 and v1 :6789
 *   1.2.3.4:6789                       msgr1 (legacy port)
 *   1.2.3.4:3300                       msgr2 (IANA port)
 *   1.2.3.4:7000                       two candidates on that port: v2 first, then v1
 * </pre>
 * IPv6 literals are written in brackets: {@code [::1]:3300}, {@code v2:[::1]:3300}. Host names are
 * resolved (first address).
 */
public final class MonHost {
    public static final int PORT_IANA = 3300; // CEPH_MON_PORT_IANA
    public static final int PORT_LEGACY = 6789; // CEPH_MON_PORT_LEGACY

    private MonHost() {
    }

    /** The candidate monitors, each an address vector, in the order given. */
    public static List<EntityAddrVec> parse(String monHost) {
        List<EntityAddrVec> out = new ArrayList<>();
        for (String entry : splitTopLevel(monHost)) {
            if (entry.startsWith("[") && isVector(entry)) {
                String inner = entry.substring(1, entry.length() - 1);
                List<EntityAddr> v = new ArrayList<>();
                for (String a : inner.split(",")) {
                    if (!a.isBlank()) {
                        v.add(parseOne(a.strip(), monHost));
                    }
                }
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("empty address vector in mon_host '" + monHost + "'");
                }
                if (v.size() == 1) {
                    addAmbiguous(out, v.get(0));
                } else {
                    out.add(new EntityAddrVec(v, EntityAddrVec.FORM_VECTOR));
                }
            } else {
                addAmbiguous(out, parseOne(entry, monHost));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("mon_host is empty");
        }
        return out;
    }

    /** A bracketed entry is an address vector unless it is an IPv6 literal like [::1]:3300. */
    private static boolean isVector(String entry) {
        return entry.endsWith("]") && (entry.contains("v1:") || entry.contains("v2:") || entry.contains(",")
                || entry.contains("."));
    }

    private static void addAmbiguous(List<EntityAddrVec> out, EntityAddr a) {
        if (a.type() != EntityAddr.TYPE_ANY) {
            if (a.port() == 0) {
                a = withPort(a, a.type() == EntityAddr.TYPE_LEGACY ? PORT_LEGACY : PORT_IANA);
            }
            out.add(EntityAddrVec.of(a));
        } else if (a.port() == PORT_LEGACY) {
            out.add(EntityAddrVec.of(a.withType(EntityAddr.TYPE_LEGACY)));
        } else if (a.port() == PORT_IANA) {
            out.add(EntityAddrVec.of(a.withType(EntityAddr.TYPE_MSGR2)));
        } else if (a.port() == 0) {
            out.add(EntityAddrVec.of(withPort(a.withType(EntityAddr.TYPE_MSGR2), PORT_IANA)));
            out.add(EntityAddrVec.of(withPort(a.withType(EntityAddr.TYPE_LEGACY), PORT_LEGACY)));
        } else {
            out.add(EntityAddrVec.of(a.withType(EntityAddr.TYPE_MSGR2)));
            out.add(EntityAddrVec.of(a.withType(EntityAddr.TYPE_LEGACY)));
        }
    }

    private static EntityAddr withPort(EntityAddr a, int port) {
        return EntityAddr.of(a.type(), a.nonce(), new InetSocketAddress(a.socketAddress().getAddress(), port));
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
            if (depth == 0 && (c == ',' || c == ';' || Character.isWhitespace(c))) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced brackets in mon_host '" + s + "'");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** One address: optional v1:/v2: prefix, host or [ipv6], optional :port, optional /nonce. */
    static EntityAddr parseOne(String s, String whole) {
        int type = EntityAddr.TYPE_ANY;
        String rest = s;
        if (rest.startsWith("v1:")) {
            type = EntityAddr.TYPE_LEGACY;
            rest = rest.substring(3);
        } else if (rest.startsWith("v2:")) {
            type = EntityAddr.TYPE_MSGR2;
            rest = rest.substring(3);
        } else if (rest.startsWith("any:")) {
            rest = rest.substring(4);
        }
        long nonce = 0;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            nonce = parseNumber(rest.substring(slash + 1), s, whole);
            rest = rest.substring(0, slash);
        }
        String host;
        int port = 0;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad IPv6 address '" + s + "' in mon_host '" + whole + "'");
            }
            host = rest.substring(1, close);
            String tail = rest.substring(close + 1);
            if (tail.startsWith(":")) {
                port = (int) parseNumber(tail.substring(1), s, whole);
            } else if (!tail.isEmpty()) {
                throw new IllegalArgumentException("bad address '" + s + "' in mon_host '" + whole + "'");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf(':') == colon) {
                host = rest.substring(0, colon);
                port = (int) parseNumber(rest.substring(colon + 1), s, whole);
            } else {
                host = rest; // bare IPv6 without brackets has several colons and no port
            }
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("bad address '" + s + "' in mon_host '" + whole + "'");
        }
        try {
            InetAddress ip = InetAddress.getByName(host);
            return EntityAddr.of(type, nonce, new InetSocketAddress(ip, port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve '" + host + "' in mon_host '" + whole + "'", e);
        }
    }

    private static long parseNumber(String n, String s, String whole) {
        try {
            return Long.parseLong(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in '" + s + "' in mon_host '" + whole + "'");
        }
    }
}
