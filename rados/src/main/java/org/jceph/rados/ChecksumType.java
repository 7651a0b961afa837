package org.jceph.rados;

/** The checksums the OSD computes (CEPH_OSD_CHECKSUM_OP_TYPE_*), with the width of their values. */
public enum ChecksumType {
    /** xxHash32: 32-bit values, a 32-bit seed. */
    XXHASH32(0, 4),
    /** xxHash64: 64-bit values, a 64-bit seed. */
    XXHASH64(1, 8),
    /** CRC-32C: 32-bit values, a 32-bit initial value (librados users pass -1 for the usual CRC). */
    CRC32C(2, 4);

    private final int code;
    private final int width;

    ChecksumType(int code, int width) {
        this.code = code;
        this.width = width;
    }

    /**
     * The type's number on the wire.
     *
     * @return the number
     */
    public int code() {
        return code;
    }

    /**
     * The width of a value and of the seed, in bytes.
     *
     * @return 4 or 8
     */
    public int width() {
        return width;
    }
}
