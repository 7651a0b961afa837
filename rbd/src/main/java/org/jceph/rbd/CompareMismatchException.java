package org.jceph.rbd;

/**
 * A compare-and-write found other bytes than the ones it was to compare with, so nothing was
 * written: librbd's {@code -EILSEQ} with its {@code mismatch_off}.
 */
public final class CompareMismatchException extends RbdException {
    private static final long serialVersionUID = 1L;
    /** EILSEQ, what librbd returns for a mismatch. */
    public static final int EILSEQ = 84;
    private final long mismatchOffset;

    /**
     * A mismatch.
     *
     * @param image the image's name
     * @param mismatchOffset the image offset of the first byte that differs
     */
    public CompareMismatchException(String image, long mismatchOffset) {
        super(EILSEQ, "compare_and_write on image " + image + ": the data differ at image offset " + mismatchOffset);
        this.mismatchOffset = mismatchOffset;
    }

    /**
     * Where the image's bytes first differ from the compared ones.
     *
     * @return the image offset of the first differing byte
     */
    public long mismatchOffset() {
        return mismatchOffset;
    }
}
