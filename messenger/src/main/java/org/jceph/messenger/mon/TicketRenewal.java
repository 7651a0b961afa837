package org.jceph.messenger.mon;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jceph.encoding.DecodeException;
import org.jceph.messenger.Connection;
import org.jceph.messenger.Message;
import org.jceph.messenger.internal.v1.MonAuthV1;
import org.jceph.messenger.internal.cephx.CephxException;
import org.jceph.messenger.internal.cephx.CephxHolder;
import org.jceph.messenger.internal.cephx.CephxMonClient;

/**
 * Keeps a monitor session's cephx tickets fresh, as MonClient's tick does with
 * _check_auth_tickets: every second it asks the session's cephx state whether a ticket has
 * passed three quarters of its lifetime and, if so, sends one MAuth on the open connection and
 * applies the MAuthReply. In-flight work never waits on it: existing OSD sessions keep their
 * authorizers, and new ones take the freshest tickets. One request at a time, each bounded by
 * {@link #REPLY_TIMEOUT_MS}; a refused or lost request is simply retried on a later tick (the
 * session reconnect, which re-authenticates from scratch, remains the backstop).
 */
final class TicketRenewal implements AutoCloseable {
    static final long REPLY_TIMEOUT_MS = 10_000;
    private static final int CEPH_AUTH_CEPHX = 2;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TicketRenewal.class);

    private final Supplier<Connection> connection;
    private final ScheduledFuture<?> task;
    private volatile long sentAtNanos;
    private volatile Connection sentOn;
    private final AtomicLong renewed = new AtomicLong();
    private volatile String lastError;

    TicketRenewal(Supplier<Connection> connection, java.util.concurrent.ScheduledExecutorService timer) {
        this.connection = connection;
        this.task = timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private static CephxMonClient cephx(Connection c) {
        return c instanceof CephxHolder h ? h.cephxMonClient() : null;
    }

    void tick() {
        try {
            Connection c = connection.get();
            CephxMonClient cx = cephx(c);
            if (cx == null) {
                return;
            }
            long now = System.nanoTime();
            if (sentOn == c && sentAtNanos != 0 && now - sentAtNanos < TimeUnit.MILLISECONDS.toNanos(REPLY_TIMEOUT_MS)) {
                return; // a request is out; wait for it (bounded)
            }
            byte[] req = cx.renewalRequest();
            if (req == null) {
                return;
            }
            sentAtNanos = now;
            sentOn = c;
            c.send(auth(req));
        } catch (RuntimeException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("cephx ticket renewal: {}", lastError);
        }
    }

    /** MAuthReply on the session's connection: a renewal answer. */
    void onReply(Connection from, Message m) {
        CephxMonClient cx = cephx(from);
        sentAtNanos = 0;
        if (cx == null) {
            return;
        }
        try {
            MonAuthV1.Reply reply = MonAuthV1.Reply.decode(m);
            int result = reply.result();
            String msg = reply.resultMsg();
            if (result != 0) {
                lastError = "monitor answered " + result + (msg.isEmpty() ? "" : " (" + msg + ")");
                LOG.warn("cephx ticket renewal refused: {}", lastError);
                return;
            }
            cx.handleRenewalReply(reply.resultBl());
            renewed.incrementAndGet();
        } catch (DecodeException | CephxException e) {
            lastError = e.getMessage();
            LOG.warn("cephx ticket renewal failed: {}", lastError);
        }
    }

    /** A cephx MAuth carrying {@code payload} (the codec is {@link MonAuthV1#auth}). */
    static Message auth(byte[] payload) {
        return MonAuthV1.auth(CEPH_AUTH_CEPHX, payload);
    }

    long renewed() {
        return renewed.get();
    }

    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
