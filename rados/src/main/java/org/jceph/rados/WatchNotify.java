package org.jceph.rados;

import org.jceph.encoding.CephDecoder;
import org.jceph.messenger.Message;

/**
 * MWatchNotify (type 44, src/messages/MWatchNotify.h): an OSD telling a watcher about a notify,
 * or a notifier that its notify completed.
 * <pre>
 *   u8 1 | u8 opcode (1 NOTIFY, 2 NOTIFY_COMPLETE, 3 DISCONNECT) | u64 cookie | u64 ver | u64 notify_id
 *   | bufferlist payload | v1+: s32 return_code | v3+: u64 notifier_gid
 * </pre>
 * A NOTIFY_COMPLETE carries the watchers' replies in the message's data segment:
 * map&lt;(u64 gid, u64 cookie), bufferlist&gt; replies, then list&lt;(u64 gid, u64 cookie)&gt; missed.
 */
public final class WatchNotify {
    /** A notification for a watcher. */
    public static final int EVENT_NOTIFY = 1;
    /** A notify completed: the notifier gets the watchers' replies. */
    public static final int EVENT_NOTIFY_COMPLETE = 2;
    /** The OSD dropped a watch. */
    public static final int EVENT_DISCONNECT = 3;

    private WatchNotify() {
    }

    /**
     * One event, as delivered to the watch or notify registered under {@code cookie}.
     *
     * @param opcode {@link #EVENT_NOTIFY}, {@link #EVENT_NOTIFY_COMPLETE} or {@link #EVENT_DISCONNECT}
     * @param cookie the watch's or notify's cookie
     * @param notifyId the notify's id
     * @param payload the notifier's payload
     * @param returnCode the notify's result
     * @param notifierGid the notifying client's instance id
     * @param data for a completion, the encoded replies and timed-out watchers
     */
    public record Event(int opcode, long cookie, long notifyId, byte[] payload, int returnCode, long notifierGid,
            byte[] data) {
    }

    /**
     * Decodes an MWatchNotify (type 44) front; public for the generated protocol reference.
     *
     * @param m the message
     * @return the event it carries
     */
    public static Event decode(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MWatchNotify");
        d.readU8();
        int opcode = d.readU8();
        long cookie = d.readU64Le();
        d.readU64Le();
        long notifyId = d.readU64Le();
        byte[] payload = d.readBlob();
        int rc = d.hasRemaining() ? d.readS32Le() : 0;
        long gid = d.hasRemaining() ? d.readU64Le() : 0;
        return new Event(opcode, cookie, notifyId, payload, rc, gid, m.dataBytes());
    }
}
