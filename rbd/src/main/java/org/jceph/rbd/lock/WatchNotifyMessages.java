package org.jceph.rbd.lock;

import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * librbd's header notifications (src/librbd/WatchNotifyTypes): a NotifyMessage is an envelope
 * (version 7 in Pacific, compat 1) holding a u32 op and the op's payload; replies are a
 * ResponseMessage envelope (1, 1) holding an s32 result. A ClientId is two bare u64s: the
 * client's instance id (gid) and its header watch handle.
 */
public final class WatchNotifyMessages {
    public static final int ACQUIRED_LOCK = 0;
    public static final int RELEASED_LOCK = 1;
    public static final int REQUEST_LOCK = 2;
    public static final int HEADER_UPDATE = 3;
    public static final int ASYNC_PROGRESS = 4;
    public static final int ASYNC_COMPLETE = 5;
    public static final int SNAP_CREATE = 8;
    /** A peer's request to freeze I/O around a snapshot (its replies may be empty). */
    public static final int QUIESCE = 18;
    public static final int UNQUIESCE = 19;

    /** FLATTEN .. SPARSIFY (6..17) and METADATA_UPDATE (20): operations librbd asks the lock owner to run. */
    public static boolean isOwnerRequest(int op) {
        return (op >= 6 && op <= 17) || op == 20;
    }

    /** The NotifyMessage version Pacific's librbd writes. */
    static final int NOTIFY_VERSION = 7;

    private WatchNotifyMessages() {
    }

    /** Who sent a lock notification. */
    public record ClientId(long gid, long handle) {
        public boolean isValid() {
            return gid != 0 || handle != 0;
        }
    }

    /** A decoded notification: its op and, for the lock ops, the client and the force flag. */
    public record Notification(int op, ClientId client, boolean force) {
    }

    public static byte[] acquiredLock(ClientId me) {
        return message(ACQUIRED_LOCK, e -> e.writeU64Le(me.gid()).writeU64Le(me.handle()));
    }

    public static byte[] releasedLock(ClientId me) {
        return message(RELEASED_LOCK, e -> e.writeU64Le(me.gid()).writeU64Le(me.handle()));
    }

    public static byte[] requestLock(ClientId me, boolean force) {
        return message(REQUEST_LOCK, e -> e.writeU64Le(me.gid()).writeU64Le(me.handle()).writeBool(force));
    }

    public static byte[] headerUpdate() {
        return message(HEADER_UPDATE, e -> {
        });
    }

    private static byte[] message(int op, java.util.function.Consumer<CephEncoder> payload) {
        return CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(NOTIFY_VERSION, 1);
            e.writeU32Le(op);
            payload.accept(e);
            e.finishStruct(mark);
        });
    }

    /**
     * Decodes a notification. Ops we do not act on are returned with a null client; the client
     * id is present from version 2 on, the force flag from version 3 on, as librbd reads them.
     */
    public static Notification decode(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "NotifyMessage");
        CephDecoder.Envelope env = d.beginStruct("NotifyMessage", NOTIFY_VERSION);
        int op = (int) d.readU32Le();
        ClientId client = null;
        boolean force = false;
        if (op == ACQUIRED_LOCK || op == RELEASED_LOCK || op == REQUEST_LOCK) {
            client = env.version() >= 2 ? new ClientId(d.readU64Le(), d.readU64Le()) : new ClientId(0, 0);
            if (op == REQUEST_LOCK && env.version() >= 3) {
                force = d.readBool();
            }
        }
        d.endStruct(env);
        return new Notification(op, client, force);
    }

    /** An asynchronous request's id: the requester's ClientId and its own request number. */
    public record AsyncRequestId(ClientId client, long requestId) {
    }

    /**
     * A peer's SNAP_CREATE request (NotifyMessage v7, as Pacific sends it): the snapshot's name,
     * its namespace as the whole encoded cls::rbd::SnapshotNamespace struct (so that group and
     * mirror snapshots are recreated as sent), the request id the completion must name, and
     * librbd's snapshot-create flags.
     */
    public record SnapCreateRequest(String snapName, byte[] namespace, AsyncRequestId id, long flags) {
    }

    /**
     * Decodes a SNAP_CREATE notification, or returns null for any other op and for a sender older
     * than v7 (those wait for the owner's reply itself; we leave them to take the lock).
     */
    public static SnapCreateRequest decodeSnapCreate(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "NotifyMessage");
        CephDecoder.Envelope env = d.beginStruct("NotifyMessage", NOTIFY_VERSION);
        if (d.readU32Le() != SNAP_CREATE || env.version() < 7) {
            return null;
        }
        String name = d.readString();
        int v = d.readU8();
        int compat = d.readU8();
        byte[] body = d.readBytes(d.readLengthLe("SnapshotNamespace"));
        byte[] namespace = CephEncoder.toBytes(e -> e.writeU8(v).writeU8(compat).writeU32Le(body.length).writeBytes(body));
        AsyncRequestId id = new AsyncRequestId(new ClientId(d.readU64Le(), d.readU64Le()), d.readU64Le());
        long flags = d.readU64Le();
        d.endStruct(env);
        return new SnapCreateRequest(name, namespace, id, flags);
    }

    /** ASYNC_PROGRESS: how far the owner is with a peer's request. */
    public static byte[] asyncProgress(AsyncRequestId id, long offset, long total) {
        return message(ASYNC_PROGRESS, e -> requestId(e, id).writeU64Le(offset).writeU64Le(total));
    }

    /** ASYNC_COMPLETE: the owner finished a peer's request with {@code result} (0 or a negative errno). */
    public static byte[] asyncComplete(AsyncRequestId id, int result) {
        return message(ASYNC_COMPLETE, e -> requestId(e, id).writeS32Le(result));
    }

    private static CephEncoder requestId(CephEncoder e, AsyncRequestId id) {
        return e.writeU64Le(id.client().gid()).writeU64Le(id.client().handle()).writeU64Le(id.requestId());
    }

    /** ResponseMessage{result}. */
    public static byte[] response(int result) {
        return CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeS32Le(result);
            e.finishStruct(mark);
        });
    }

    public static int decodeResponse(byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "ResponseMessage");
        CephDecoder.Envelope env = d.beginStruct("ResponseMessage", 1);
        int r = d.readS32Le();
        d.endStruct(env);
        return r;
    }
}
