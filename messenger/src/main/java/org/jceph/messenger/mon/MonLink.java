package org.jceph.messenger.mon;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;

/**
 * What a RADOS client's monitor side needs of a monitor session: {@link MonSession} in
 * production; a fake monitor implements it in tests. An implementation must hand each MOSDMap
 * to the {@link #onOsdMap} listeners before completing the futures of {@link #subscribeOsdMap}
 * that wait for it, as MonSession does.
 */
public interface MonLink extends AutoCloseable {
    /**
     * Subscribes to the osdmap from {@code start} (0: the newest full map).
     *
     * @param start the first epoch wanted
     * @param onetime false for a standing subscription, renewed after reconnects
     * @return completes with the next MOSDMap received (after the listeners have heard it)
     */
    CompletableFuture<OsdMapUpdate> subscribeOsdMap(long start, boolean onetime);

    /**
     * Every MOSDMap from now on; run on the I/O thread, must not block.
     *
     * @param listener who hears them
     */
    void onOsdMap(Consumer<OsdMapUpdate> listener);

    /**
     * A standing subscription to {@code what} ("monmap", "config") from {@code start}.
     *
     * @param what the map or stream
     * @param start the first epoch wanted
     */
    void subscribe(String what, long start);

    /**
     * Every monmap and every message the session does not answer itself.
     *
     * @param listener who hears them; must not block
     */
    void onMessage(Consumer<Message> listener);

    /**
     * Runs a monitor command.
     *
     * @param json the command
     * @param input its input
     * @return the monitor's answer, whatever its result code
     */
    CompletableFuture<MonMessages.CommandReply> command(String json, byte[] input);

    /**
     * Sends a request answered by a reply of {@code replyType} with the same tid.
     *
     * @param request the request
     * @param replyType the type of its reply
     * @return the reply
     */
    CompletableFuture<Message> call(Message request, MessageType replyType);

    /**
     * Sends a message as is.
     *
     * @param m the message
     * @return completes once sent
     */
    CompletableFuture<Void> sendRaw(Message m);

    /**
     * Sends a message as is, and again on every new monitor connection until {@code until}
     * completes (a request whose reply is matched by a handle of its own, such as MMonGetVersion).
     *
     * @param m the message
     * @param until completed by the caller once answered (or timed out); failed if the session ends for good
     */
    void sendUntil(Message m, CompletableFuture<?> until);

    /**
     * The newest monmap received.
     *
     * @return it, or null before the first
     */
    MonMap lastMonMap();

    /**
     * The cluster's fsid, once learnt.
     *
     * @return it, or null before the first map
     */
    UUID fsid();

    /**
     * Completes normally on close, exceptionally when the session gives up.
     *
     * @return the future
     */
    CompletableFuture<Void> closeFuture();

    @Override
    void close();
}
