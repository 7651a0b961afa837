package org.jceph.rados;

/** Per-step flags (librados' LIBRADOS_OP_FLAG_*, the OSD's CEPH_OSD_OP_FLAG_*). */
public enum OpFlag {
    /** Fail a create when the object exists. */
    EXCL(0x1),
    /** A failure of this step does not fail the operation: its {@link StepResult} holds the error. */
    FAILOK(0x2),
    /** The data will be accessed randomly. */
    FADVISE_RANDOM(0x4),
    /** The data will be accessed sequentially. */
    FADVISE_SEQUENTIAL(0x8),
    /** The data will be accessed soon. */
    FADVISE_WILLNEED(0x10),
    /** The data will not be accessed soon. */
    FADVISE_DONTNEED(0x20),
    /** The data need not be cached. */
    FADVISE_NOCACHE(0x40);

    private final int bit;

    OpFlag(int bit) {
        this.bit = bit;
    }

    /**
     * The flag's bit on the wire.
     *
     * @return the bit
     */
    public int bit() {
        return bit;
    }
}
