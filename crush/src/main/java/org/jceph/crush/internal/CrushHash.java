package org.jceph.crush.internal;

/**
 * CRUSH's rjenkins1 hashes (Ceph src/crush/hash.c, CRUSH_HASH_RJENKINS1 = 0): Bob Jenkins' 96-bit
 * mix applied to 32-bit inputs. All arithmetic is unsigned mod 2^32: Java's int wraps the same way
 * for + - ^ and {@code <<}; right shifts must be the logical {@code >>>}.
 *
 * <p>The mix steps are unrolled by hand (the C macro mutates its three arguments, including the
 * constants x and y, so each call site keeps its own copies).
 */
public final class CrushHash {
    /** crush_hash_seed. */
    static final int SEED = 1315423911;

    private CrushHash() {
    }

    /** crush_hash32_rjenkins1(a). */
    public static int hash1(int a) {
        int h = SEED ^ a;
        int b = a;
        int x = 231232;
        int y = 1232;
        // mix(b, x, h)
        b = b - x - h; b ^= h >>> 13;
        x = x - h - b; x ^= b << 8;
        h = h - b - x; h ^= x >>> 13;
        b = b - x - h; b ^= h >>> 12;
        x = x - h - b; x ^= b << 16;
        h = h - b - x; h ^= x >>> 5;
        b = b - x - h; b ^= h >>> 3;
        x = x - h - b; x ^= b << 10;
        h = h - b - x; h ^= x >>> 15;
        // mix(y, a, h)
        y = y - a - h; y ^= h >>> 13;
        a = a - h - y; a ^= y << 8;
        h = h - y - a; h ^= a >>> 13;
        y = y - a - h; y ^= h >>> 12;
        a = a - h - y; a ^= y << 16;
        h = h - y - a; h ^= a >>> 5;
        y = y - a - h; y ^= h >>> 3;
        a = a - h - y; a ^= y << 10;
        h = h - y - a; h ^= a >>> 15;
        return h;
    }
    /** crush_hash32_rjenkins1_2(a, b). */
    public static int hash2(int a, int b) {
        int h = SEED ^ a ^ b;
        int x = 231232;
        int y = 1232;
        // mix(a, b, h)
        a = a - b - h; a ^= h >>> 13;
        b = b - h - a; b ^= a << 8;
        h = h - a - b; h ^= b >>> 13;
        a = a - b - h; a ^= h >>> 12;
        b = b - h - a; b ^= a << 16;
        h = h - a - b; h ^= b >>> 5;
        a = a - b - h; a ^= h >>> 3;
        b = b - h - a; b ^= a << 10;
        h = h - a - b; h ^= b >>> 15;
        // mix(x, a, h)
        x = x - a - h; x ^= h >>> 13;
        a = a - h - x; a ^= x << 8;
        h = h - x - a; h ^= a >>> 13;
        x = x - a - h; x ^= h >>> 12;
        a = a - h - x; a ^= x << 16;
        h = h - x - a; h ^= a >>> 5;
        x = x - a - h; x ^= h >>> 3;
        a = a - h - x; a ^= x << 10;
        h = h - x - a; h ^= a >>> 15;
        // mix(b, y, h)
        b = b - y - h; b ^= h >>> 13;
        y = y - h - b; y ^= b << 8;
        h = h - b - y; h ^= y >>> 13;
        b = b - y - h; b ^= h >>> 12;
        y = y - h - b; y ^= b << 16;
        h = h - b - y; h ^= y >>> 5;
        b = b - y - h; b ^= h >>> 3;
        y = y - h - b; y ^= b << 10;
        h = h - b - y; h ^= y >>> 15;
        return h;
    }
    /** crush_hash32_rjenkins1_3(a, b, c). */
    public static int hash3(int a, int b, int c) {
        int h = SEED ^ a ^ b ^ c;
        int x = 231232;
        int y = 1232;
        // mix(a, b, h)
        a = a - b - h; a ^= h >>> 13;
        b = b - h - a; b ^= a << 8;
        h = h - a - b; h ^= b >>> 13;
        a = a - b - h; a ^= h >>> 12;
        b = b - h - a; b ^= a << 16;
        h = h - a - b; h ^= b >>> 5;
        a = a - b - h; a ^= h >>> 3;
        b = b - h - a; b ^= a << 10;
        h = h - a - b; h ^= b >>> 15;
        // mix(c, x, h)
        c = c - x - h; c ^= h >>> 13;
        x = x - h - c; x ^= c << 8;
        h = h - c - x; h ^= x >>> 13;
        c = c - x - h; c ^= h >>> 12;
        x = x - h - c; x ^= c << 16;
        h = h - c - x; h ^= x >>> 5;
        c = c - x - h; c ^= h >>> 3;
        x = x - h - c; x ^= c << 10;
        h = h - c - x; h ^= x >>> 15;
        // mix(y, a, h)
        y = y - a - h; y ^= h >>> 13;
        a = a - h - y; a ^= y << 8;
        h = h - y - a; h ^= a >>> 13;
        y = y - a - h; y ^= h >>> 12;
        a = a - h - y; a ^= y << 16;
        h = h - y - a; h ^= a >>> 5;
        y = y - a - h; y ^= h >>> 3;
        a = a - h - y; a ^= y << 10;
        h = h - y - a; h ^= a >>> 15;
        // mix(b, x, h)
        b = b - x - h; b ^= h >>> 13;
        x = x - h - b; x ^= b << 8;
        h = h - b - x; h ^= x >>> 13;
        b = b - x - h; b ^= h >>> 12;
        x = x - h - b; x ^= b << 16;
        h = h - b - x; h ^= x >>> 5;
        b = b - x - h; b ^= h >>> 3;
        x = x - h - b; x ^= b << 10;
        h = h - b - x; h ^= x >>> 15;
        // mix(y, c, h)
        y = y - c - h; y ^= h >>> 13;
        c = c - h - y; c ^= y << 8;
        h = h - y - c; h ^= c >>> 13;
        y = y - c - h; y ^= h >>> 12;
        c = c - h - y; c ^= y << 16;
        h = h - y - c; h ^= c >>> 5;
        y = y - c - h; y ^= h >>> 3;
        c = c - h - y; c ^= y << 10;
        h = h - y - c; h ^= c >>> 15;
        return h;
    }
    /** crush_hash32_rjenkins1_4(a, b, c, d). */
    public static int hash4(int a, int b, int c, int d) {
        int h = SEED ^ a ^ b ^ c ^ d;
        int x = 231232;
        int y = 1232;
        // mix(a, b, h)
        a = a - b - h; a ^= h >>> 13;
        b = b - h - a; b ^= a << 8;
        h = h - a - b; h ^= b >>> 13;
        a = a - b - h; a ^= h >>> 12;
        b = b - h - a; b ^= a << 16;
        h = h - a - b; h ^= b >>> 5;
        a = a - b - h; a ^= h >>> 3;
        b = b - h - a; b ^= a << 10;
        h = h - a - b; h ^= b >>> 15;
        // mix(c, d, h)
        c = c - d - h; c ^= h >>> 13;
        d = d - h - c; d ^= c << 8;
        h = h - c - d; h ^= d >>> 13;
        c = c - d - h; c ^= h >>> 12;
        d = d - h - c; d ^= c << 16;
        h = h - c - d; h ^= d >>> 5;
        c = c - d - h; c ^= h >>> 3;
        d = d - h - c; d ^= c << 10;
        h = h - c - d; h ^= d >>> 15;
        // mix(a, x, h)
        a = a - x - h; a ^= h >>> 13;
        x = x - h - a; x ^= a << 8;
        h = h - a - x; h ^= x >>> 13;
        a = a - x - h; a ^= h >>> 12;
        x = x - h - a; x ^= a << 16;
        h = h - a - x; h ^= x >>> 5;
        a = a - x - h; a ^= h >>> 3;
        x = x - h - a; x ^= a << 10;
        h = h - a - x; h ^= x >>> 15;
        // mix(y, b, h)
        y = y - b - h; y ^= h >>> 13;
        b = b - h - y; b ^= y << 8;
        h = h - y - b; h ^= b >>> 13;
        y = y - b - h; y ^= h >>> 12;
        b = b - h - y; b ^= y << 16;
        h = h - y - b; h ^= b >>> 5;
        y = y - b - h; y ^= h >>> 3;
        b = b - h - y; b ^= y << 10;
        h = h - y - b; h ^= b >>> 15;
        // mix(c, x, h)
        c = c - x - h; c ^= h >>> 13;
        x = x - h - c; x ^= c << 8;
        h = h - c - x; h ^= x >>> 13;
        c = c - x - h; c ^= h >>> 12;
        x = x - h - c; x ^= c << 16;
        h = h - c - x; h ^= x >>> 5;
        c = c - x - h; c ^= h >>> 3;
        x = x - h - c; x ^= c << 10;
        h = h - c - x; h ^= x >>> 15;
        // mix(y, d, h)
        y = y - d - h; y ^= h >>> 13;
        d = d - h - y; d ^= y << 8;
        h = h - y - d; h ^= d >>> 13;
        y = y - d - h; y ^= h >>> 12;
        d = d - h - y; d ^= y << 16;
        h = h - y - d; h ^= d >>> 5;
        y = y - d - h; y ^= h >>> 3;
        d = d - h - y; d ^= y << 10;
        h = h - y - d; h ^= d >>> 15;
        return h;
    }
}
