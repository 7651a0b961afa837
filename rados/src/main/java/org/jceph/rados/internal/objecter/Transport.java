package org.jceph.rados.internal.objecter;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jceph.messenger.Message;
import org.jceph.osdmap.OsdMap;

/**
 * How the Objecter reaches OSDs: opens an authenticated session to an OSD (at its address in a
 * map) and sends messages on it; what the OSD sends back arrives through the inbound consumer,
 * and a fault ends the session's {@link Link#closed()} future exceptionally. The messenger is the
 * real one ({@link MessengerTransport}); unit tests use a fake OSD.
 */
public interface Transport {
    /**
     * Opens a session to {@code osd} at its client address in {@code map}.
     *
     * @param osd the OSD
     * @param map the map its address is taken from
     * @param inbound where the OSD's messages go (called on the transport's I/O thread)
     * @return the open session, or a failure (no address, refused, timed out)
     */
    CompletableFuture<Link> open(int osd, OsdMap map, Consumer<Message> inbound);

    /** An open session. */
    interface Link {
        /**
         * Queues {@code m} for sending.
         *
         * @param m the message
         * @return done when written, failed when the session failed first
         */
        CompletableFuture<Void> send(Message m);

        /**
         * Completes when the session ends: normally on {@link #close()}, exceptionally on a fault.
         *
         * @return the future
         */
        CompletableFuture<Void> closed();

        /** Closes the session. */
        void close();
    }
}
