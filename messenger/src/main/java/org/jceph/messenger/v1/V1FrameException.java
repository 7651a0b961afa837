package org.jceph.messenger.v1;

import org.jceph.messenger.v2.FrameException;

/**
 * A malformed, oversized or unauthentic msgr1 unit (banner, connect reply, message header, footer,
 * signature): names the part and field (e.g. {@code MSG/footer.front_crc}) and the offset in the
 * connection's receive stream. A {@link FrameException}, so callers handle both protocols alike; the
 * connection that produced it is closed.
 */
public class V1FrameException extends FrameException {
    private static final long serialVersionUID = 1L;

    public V1FrameException(String part, long streamOffset, String reason) {
        super(part, streamOffset, reason);
    }
}
