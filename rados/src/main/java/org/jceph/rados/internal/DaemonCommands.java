package org.jceph.rados.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.Connection;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.messenger.mon.MonSession;
import org.jceph.messenger.v2.ConnectionMode;
import org.jceph.rados.Errno;
import org.jceph.rados.RadosException;
import org.jceph.rados.internal.objecter.Scheduler;

/**
 * Commands to daemons other than the monitors: MCommand to an OSD (librados' osd_command, sent on
 * the Objecter's session to it) and MMgrCommand to the active mgr (on a session of its own, found
 * through {@code mgr dump}); each answered by a reply with the same tid, and bounded by
 * rados_mon_op_timeout.
 *
 * <p>MCommand / MCommandReply (src/messages/MCommand.h) and MMgrCommand / MMgrCommandReply carry
 * the same body. Both Ceph classes keep Message's default header versions (version 1, compat 0);
 * jceph sends compat 1, as it always has.
 */
public final class DaemonCommands implements AutoCloseable {
    private static final int COMMAND_HEAD_VERSION = 1;
    private static final int COMMAND_COMPAT_VERSION = 1;

    private final Messenger messenger;
    private final MonSession mon;
    private final CephConfig config;
    private final Supplier<EntityAddr> activeMgr;
    private final Supplier<UUID> fsid;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Map<Long, CompletableFuture<MonMessages.CommandReply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong tids = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    /** The session to the active mgr (null until the first mgr command). */
    private volatile CompletableFuture<Connection> mgrSession;

    /**
     * @param messenger the messenger (for the mgr's session)
     * @param mon the monitor session (its service ticket and our global id)
     * @param config our name and connection modes
     * @param activeMgr the active mgr's address (asks the monitors: blocks)
     * @param fsid the cluster's fsid
     * @param scheduler for the commands' timeouts
     * @param timeout each command's timeout (0: none)
     */
    public DaemonCommands(Messenger messenger, MonSession mon, CephConfig config, Supplier<EntityAddr> activeMgr,
            Supplier<UUID> fsid, Scheduler scheduler, Duration timeout) {
        this.messenger = messenger;
        this.mon = mon;
        this.config = config;
        this.activeMgr = activeMgr;
        this.fsid = fsid;
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    /**
     * The session to the active mgr, opened (after looking its address up) unless one is open.
     * Blocks for the monitor command: call it off the I/O thread.
     *
     * @return the session
     */
    public CompletableFuture<Connection> mgrConnection() {
        CompletableFuture<Connection> s = mgrSession;
        if (usable(s)) {
            return s;
        }
        synchronized (this) {
            s = mgrSession;
            if (usable(s)) {
                return s;
            }
            EntityAddr target = activeMgr.get();
            ServiceTicket ticket = mon.connection().serviceTickets().get(EntityName.TYPE_MGR);
            List<ConnectionMode> modes = config.clientModes().stream().map(ConnectionMode::parse).toList();
            s = messenger.connectToService(target, EntityName.TYPE_MGR, config.name(), ticket, mon.connection().globalId(),
                    modes, config.connectTimeout(), this::onReply);
            mgrSession = s;
            return s;
        }
    }

    private static boolean usable(CompletableFuture<Connection> s) {
        return s != null && !(s.isDone() && (s.isCompletedExceptionally() || s.join().closeFuture().isDone()));
    }

    /**
     * Sends a command through {@code sender}; the reply (same tid) completes the future.
     *
     * @param sender sends on the daemon's session
     * @param type MCommand or MMgrCommand
     * @param who the daemon, for messages
     * @param json the command
     * @param input its input
     * @return its output as text, or the typed error the daemon answered, or ETIMEDOUT
     */
    public CompletableFuture<String> send(Consumer<Message> sender, MessageType type, String who, String json,
            byte[] input) {
        long tid = tids.incrementAndGet();
        byte[] front = CephEncoder.toBytes(e -> {
            e.writeUuid(fsid.get());
            e.writeList(List.of(json), CephEncoder::writeString);
        });
        CompletableFuture<MonMessages.CommandReply> reply = new CompletableFuture<>();
        pending.put(tid, reply);
        sender.accept(new Message(type.number(), COMMAND_HEAD_VERSION, COMMAND_COMPAT_VERSION, Message.PRIO_DEFAULT, tid, 0,
                front, new byte[0], input));
        if (!timeout.isZero()) {
            // bounded as monitor commands are (rados_mon_op_timeout): a daemon that never answers,
            // or a session that closes first, ends the command with ETIMEDOUT
            Scheduler.Cancellable expiry = scheduler.schedule(() -> reply.completeExceptionally(
                    new RadosException.TimeoutException(who + " command " + json + ": no reply within "
                            + timeout.toMillis() + " ms")), timeout);
            reply.whenComplete((r, e) -> expiry.cancel());
        }
        return reply.whenComplete((r, e) -> pending.remove(tid)).thenApply(r -> {
            if (r.result() < 0) {
                throw RadosException.of(r.result(), who + " command " + json + ": " + r.status());
            }
            return r.outputText();
        });
    }

    /**
     * An MCommandReply from an OSD or the mgr: completes the command with its tid.
     *
     * @param m the message (others are ignored)
     */
    public void onReply(Message m) {
        if (!MessageType.COMMAND_REPLY.is(m.type()) && !MessageType.MGR_COMMAND_REPLY.is(m.type())) {
            return;
        }
        CompletableFuture<MonMessages.CommandReply> f = pending.remove(m.tid());
        if (f == null) {
            return;
        }
        try {
            CephDecoder d = CephDecoder.of(m.front(), "MCommandReply");
            int r = d.readS32Le();
            String status = d.readString();
            f.complete(new MonMessages.CommandReply(m.tid(), r, status, m.dataBytes()));
        } catch (DecodeException e) {
            malformed.incrementAndGet();
            f.completeExceptionally(RadosException.of(Errno.EIO.negative(), "a malformed MCommandReply"));
        }
    }

    /** Closes the mgr's session. */
    @Override
    public void close() {
        CompletableFuture<Connection> ms = mgrSession;
        if (ms != null) {
            ms.thenAccept(Connection::close);
        }
    }
}
