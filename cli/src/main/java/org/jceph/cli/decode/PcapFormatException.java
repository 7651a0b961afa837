package org.jceph.cli.decode;

/** The capture file is not a readable pcap/pcapng file; the message names the offset. */
public final class PcapFormatException extends RuntimeException {
    public PcapFormatException(String message) {
        super(message);
    }

    public PcapFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
