package org.jceph.rbd.crypto;

import java.util.Arrays;

/**
 * The magic librbd (Reef on) gives the LUKS header of a clone formatted with its own key: the
 * primary header starts with {@code RBDL 0xba 0xbe} instead of {@code LUKS 0xba 0xbe}, so that no
 * other LUKS implementation takes the clone for a complete LUKS volume (its data still lives partly
 * in the parent, under the parent's key). A LUKS2 header's secondary copy carries the same change
 * in its own byte order: {@code SKUL} becomes {@code LDBR}. Only the magic changes; the header's
 * checksum is the one of the LUKS form, so the magic is put back before the header is parsed.
 */
final class CloneMagic {
    /** The primary magic of a clone's header. */
    static final byte[] CLONE = {'R', 'B', 'D', 'L', (byte) 0xba, (byte) 0xbe};
    /** The secondary (LUKS2) magic of a clone's header: the first four bytes reversed. */
    static final byte[] CLONE2 = {'L', 'D', 'B', 'R', (byte) 0xba, (byte) 0xbe};

    private CloneMagic() {
    }

    /**
     * Whether the buffer starts with the clone magic.
     *
     * @param head the start of the image
     * @return true for a clone's header
     */
    static boolean isClone(byte[] head) {
        return head.length >= 6 && Arrays.equals(head, 0, 6, CLONE, 0, 6);
    }

    /**
     * Turns a LUKS header into a clone's header, in place.
     *
     * @param header the header as built (LUKS magic)
     * @throws LuksException EILSEQ when it does not start with the LUKS magic
     */
    static void toClone(byte[] header) {
        swap(header, LuksHeader.MAGIC, CLONE, LuksHeader.MAGIC2, CLONE2);
    }

    /**
     * Turns a clone's header back into a LUKS header, in place.
     *
     * @param head the header as read (clone magic); for LUKS2 it must reach past the secondary magic
     * @throws LuksException EILSEQ when a magic is not the clone's, EINVAL when the buffer is too
     *         short for the LUKS2 secondary header
     */
    static void toLuks(byte[] head) {
        swap(head, CLONE, LuksHeader.MAGIC, CLONE2, LuksHeader.MAGIC2);
    }

    private static void swap(byte[] b, byte[] from, byte[] to, byte[] from2, byte[] to2) {
        if (b.length < 8 || !Arrays.equals(b, 0, 6, from, 0, 6)) {
            throw new LuksException(-84, "no " + printable(from) + " header magic");
        }
        int version = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
        if (version == 2) {
            long hdr = Luks2Header.headerSize(b);
            if (hdr <= 0 || hdr + 6 > b.length) {
                throw new LuksException(-22, "LUKS2 secondary header is out of reach");
            }
            int at = (int) hdr;
            if (!Arrays.equals(b, at, at + 6, from2, 0, 6)) {
                throw new LuksException(-84, "bad LUKS2 secondary header magic");
            }
            System.arraycopy(to2, 0, b, at, 6);
        } else if (version != 1) {
            throw new LuksException(-22, "bad LUKS header version " + version);
        }
        System.arraycopy(to, 0, b, 0, 6);
    }

    private static String printable(byte[] magic) {
        return new String(magic, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
