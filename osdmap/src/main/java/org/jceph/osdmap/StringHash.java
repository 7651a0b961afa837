package org.jceph.osdmap;

import java.nio.charset.StandardCharsets;

/**
 * Ceph's object-name hashes (src/common/ceph_hash.cc), selected by pg_pool_t::object_hash:
 * {@link PgPool#HASH_RJENKINS} (Bob Jenkins' lookup2, the default) and {@link PgPool#HASH_LINUX}
 * (the Linux dcache string hash). Both return an unsigned 32-bit value in an int.
 */
public final class StringHash {
    private StringHash() {
    }

    public static int hash(int type, byte[] s) {
        return switch (type) {
            case PgPool.HASH_LINUX -> linux(s);
            case PgPool.HASH_RJENKINS -> rjenkins(s);
            default -> throw new IllegalArgumentException("unknown object hash type " + type);
        };
    }

    public static int hash(int type, String s) {
        return hash(type, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Linux dcache: h = (h + (c &lt;&lt; 4) + (c &gt;&gt; 4)) * 11 per byte; only the low 32 bits matter. */
    public static int linux(byte[] s) {
        int h = 0;
        for (byte b : s) {
            int c = b & 0xff;
            h = (h + (c << 4) + (c >>> 4)) * 11;
        }
        return h;
    }

    /**
     * lookup2 over the bytes: 12-byte blocks as three little-endian words added to a, b, c and
     * mixed; then the length goes into c, the 0..11 remaining bytes into a (0-3), b (4-7) and the
     * upper three bytes of c (8-10), and a final mix. a = b = 0x9e3779b9 (golden ratio), c = 0.
     */
    public static int rjenkins(byte[] k) {
        int a = 0x9e3779b9;
        int b = a;
        int c = 0;
        int i = 0;
        int len = k.length;
        while (len >= 12) {
            a += word(k, i);
            b += word(k, i + 4);
            c += word(k, i + 8);
            int[] m = mix(a, b, c);
            a = m[0];
            b = m[1];
            c = m[2];
            i += 12;
            len -= 12;
        }
        c += k.length;
        // the 0..11 trailing bytes; byte 8 upwards lands above c's low byte, which holds the length
        if (len >= 11) c += (k[i + 10] & 0xff) << 24;
        if (len >= 10) c += (k[i + 9] & 0xff) << 16;
        if (len >= 9) c += (k[i + 8] & 0xff) << 8;
        if (len >= 8) b += (k[i + 7] & 0xff) << 24;
        if (len >= 7) b += (k[i + 6] & 0xff) << 16;
        if (len >= 6) b += (k[i + 5] & 0xff) << 8;
        if (len >= 5) b += k[i + 4] & 0xff;
        if (len >= 4) a += (k[i + 3] & 0xff) << 24;
        if (len >= 3) a += (k[i + 2] & 0xff) << 16;
        if (len >= 2) a += (k[i + 1] & 0xff) << 8;
        if (len >= 1) a += k[i] & 0xff;
        return mix(a, b, c)[2];
    }

    private static int word(byte[] k, int i) {
        return (k[i] & 0xff) | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
    }

    private static int[] mix(int a, int b, int c) {
        a -= b; a -= c; a ^= c >>> 13;
        b -= c; b -= a; b ^= a << 8;
        c -= a; c -= b; c ^= b >>> 13;
        a -= b; a -= c; a ^= c >>> 12;
        b -= c; b -= a; b ^= a << 16;
        c -= a; c -= b; c ^= b >>> 5;
        a -= b; a -= c; a ^= c >>> 3;
        b -= c; b -= a; b ^= a << 10;
        c -= a; c -= b; c ^= b >>> 15;
        return new int[] {a, b, c};
    }
}
