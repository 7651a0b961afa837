package org.jceph.encoding;

/**
 * Bytes that do not form the struct the decoder expected: too short, a length larger than what
 * remains, a compat version we cannot read, an unknown marker. It names the struct being decoded
 * (innermost first, then its enclosing structs) and the byte offset in the input where decoding
 * failed, so a bad frame can be located in a capture.
 *
 * <p>Unchecked, like Netty's {@code CorruptedFrameException}: callers that read from the network
 * catch it at the connection boundary and close only that connection.
 */
public class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String struct;
    private final long offset;

    public DecodeException(String struct, long offset, String reason) {
        super(struct + " at offset " + offset + ": " + reason);
        this.struct = struct;
        this.offset = offset;
    }

    public DecodeException(String struct, long offset, String reason, Throwable cause) {
        super(struct + " at offset " + offset + ": " + reason, cause);
        this.struct = struct;
        this.offset = offset;
    }

    /** The struct (and its enclosing structs, as {@code outer/inner}) being decoded. */
    public String struct() {
        return struct;
    }

    /** Offset of the failing read, relative to the start of the decoded input. */
    public long offset() {
        return offset;
    }
}
