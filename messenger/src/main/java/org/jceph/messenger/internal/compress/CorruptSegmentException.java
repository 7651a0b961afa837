package org.jceph.messenger.internal.compress;

/**
 * A compressed segment that does not decode with the negotiated algorithm, or that would inflate
 * beyond the allowed size. The frame reader turns it into a FrameException naming the frame and
 * stream offset.
 */
public final class CorruptSegmentException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptSegmentException(String message) {
        super(message);
    }

    public CorruptSegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
