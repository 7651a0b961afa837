package org.jceph.rbd.crypto;

import java.util.Arrays;

/** What a parsed LUKS1 or LUKS2 header tells the data path, and how to open its key slots. */
abstract class LuksHeader {
    /** "LUKS\xba\xbe": the magic of LUKS1 and of LUKS2's primary header. */
    static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    /** LUKS2's secondary header magic. */
    static final byte[] MAGIC2 = {'S', 'K', 'U', 'L', (byte) 0xba, (byte) 0xbe};
    /** The AF stripe count every LUKS implementation uses. */
    static final int STRIPES = 4000;

    /** Reads a range of the raw (still encrypted) image. */
    interface RangeReader {
        byte[] read(long offset, int length);
    }

    abstract int version();

    /** The data cipher, {@code aes}. */
    abstract String cipher();

    /** The data cipher mode, {@code xts-plain64}. */
    abstract String cipherMode();

    /** The volume key length in bytes. */
    abstract int keyBytes();

    /** Where the encrypted data starts, in bytes. */
    abstract long dataOffset();

    /** The encryption sector size: 512 for LUKS1, the segment's for LUKS2. */
    abstract int sectorSize();

    /**
     * The volume key the passphrase opens.
     *
     * @throws LuksException.WrongPassphraseException when no key slot opens
     */
    abstract byte[] unlock(byte[] passphrase, RangeReader reader);

    /** The LUKS version at the start of {@code head}: 1, 2, or 0 when there is no LUKS magic. */
    static int probe(byte[] head) {
        if (head.length < 8 || !Arrays.equals(head, 0, 6, MAGIC, 0, 6)) {
            return 0;
        }
        return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
    }

    /** Decrypts a key slot's area (512-byte sectors numbered from the area's start). */
    static byte[] decryptArea(String encryption, byte[] key, byte[] area) {
        if (!"aes-xts-plain64".equals(encryption)) {
            throw new LuksException(-95, "unsupported key slot encryption " + encryption);
        }
        return crypt(key, area, false);
    }

    static byte[] encryptArea(byte[] key, byte[] area) {
        return crypt(key, area, true);
    }

    /** AES-XTS over a key slot's area in place, 512-byte sectors from 0; the key schedule is wiped after. */
    private static byte[] crypt(byte[] key, byte[] area, boolean encrypt) {
        AesXts xts = new AesXts(key);
        try {
            if (encrypt) {
                xts.encrypt(area, 0, area.length, 0, 512, 1);
            } else {
                xts.decrypt(area, 0, area.length, 0, 512, 1);
            }
        } finally {
            xts.destroy();
        }
        return area;
    }

    static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static void putCString(byte[] b, int off, int len, String s) {
        byte[] v = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, b, off, Math.min(v.length, len - 1));
    }

    static long be(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static void putBe(byte[] b, int off, int n, long v) {
        for (int i = n - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
