package org.jceph.messenger;

import org.jceph.encoding.types.EntityAddr;

import java.util.concurrent.CompletableFuture;
import org.jceph.messenger.v2.ConnectionMode;

/**
 * An open, authenticated, lossy session to one daemon. Messages arrive on the listener given when
 * connecting, in order, on the connection's I/O thread (listeners must not block). A fault closes
 * the connection and completes {@link #closeFuture()} exceptionally; the owner reconnects and
 * resends (lossy sessions never replay).
 *
 * <p>Buffer ownership (no payload byte is copied between the socket and the listener):
 * a delivered {@link Message}'s {@code data} is a view of the receive buffers, and the connection
 * releases it as soon as the listener returns. A listener that keeps the data (or the message)
 * beyond its call must copy it ({@link Message#dataBytes()}, {@link Message#copy()}) or
 * {@code retain()} it and release it later. {@link #send} does not take the caller's reference to
 * a message's data: it holds its own until the bytes are written.
 */
public interface Connection extends AutoCloseable {
    /**
     * Queues a message; the future completes when it has been written to the socket. The parts
     * are written from where they are (not copied, except by secure mode's encryption): do not
     * change them before the future completes.
     */
    CompletableFuture<Void> send(Message message);

    EntityAddr peerAddress();

    ConnectionMode mode();

    /** The messenger protocol of this session: 2 for msgr2, 1 for msgr1 (which has no modes). */
    default int protocolVersion() {
        return 2;
    }

    /** The global id the monitor assigned during authentication (0 for non-monitor peers). */
    long globalId();

    /** CEPH_FEATURE_* both sides support: selects feature-dependent encodings. */
    long features();

    /**
     * The cephx service tickets (osd, mgr, ...) the monitor granted while authenticating this
     * connection, keyed by service type; empty for non-monitor peers and auth none.
     */
    default java.util.Map<Integer, org.jceph.messenger.auth.ServiceTicket> serviceTickets() {
        return java.util.Map.of();
    }

    /** Completes normally on {@link #close()}, exceptionally on a fault. */
    CompletableFuture<Void> closeFuture();

    /**
     * The msgr2 on-wire compression algorithm COMPRESSION_DONE agreed on ("snappy", "zlib",
     * "zstd", "lz4"), or "none" (not negotiated, refused, or not msgr2.1).
     */
    default String compression() {
        return "none";
    }

    @Override
    void close();
}
