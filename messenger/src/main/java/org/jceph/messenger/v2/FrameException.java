package org.jceph.messenger.v2;

import org.jceph.encoding.DecodeException;

/**
 * A malformed, oversized or unauthentic msgr2 frame: names the frame (tag or part, e.g.
 * {@code AUTH_DONE/preamble}) and the offset in the connection's byte stream where it went wrong.
 * The connection that produced it is closed; nothing else is affected.
 */
public class FrameException extends DecodeException {
    private static final long serialVersionUID = 1L;

    public FrameException(String frame, long streamOffset, String reason) {
        super(frame, streamOffset, reason);
    }

    public FrameException(String frame, long streamOffset, String reason, Throwable cause) {
        super(frame, streamOffset, reason, cause);
    }
}
