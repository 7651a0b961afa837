package org.jceph.messenger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of Ceph message type numbers that jceph sends, receives or names when it decodes
 * a capture. The number is the {@code type} field of {@code ceph_msg_header} / {@code
 * ceph_msg_header2} (a le16 on the wire).
 *
 * <p>Numbers below 0x100 used by clients are {@code CEPH_MSG_*} in src/include/ceph_fs.h (the
 * kernel client's include/linux/ceph/ceph_fs.h has the same values); the daemon-side ones are
 * {@code MSG_*} in src/msg/Message.h. Each constant keeps Ceph's macro name ({@link #cephName()})
 * and the class of src/messages/ that encodes it ({@link #className()}, which is what {@code jceph
 * decode} and the protocol reference print).
 *
 * <p>A {@link Message} keeps its type as a plain int, since a peer may send a type not listed
 * here: {@link #byNumber(int)} answers empty for those and never throws.
 */
public enum MessageType {
    // ---- misc (ceph_fs.h) ---------------------------------------------------------------------
    SHUTDOWN(1, "CEPH_MSG_SHUTDOWN", "MShutdown"),
    PING(2, "CEPH_MSG_PING", "MPing"),

    // ---- client <-> monitor (ceph_fs.h) -------------------------------------------------------
    MON_MAP(4, "CEPH_MSG_MON_MAP", "MMonMap"),
    MON_GET_MAP(5, "CEPH_MSG_MON_GET_MAP", "MMonGetMap"),
    MON_GET_OSDMAP(6, "CEPH_MSG_MON_GET_OSDMAP", "MMonGetOSDMap"),
    MON_METADATA(7, "CEPH_MSG_MON_METADATA", "MMonMetadata"),
    STATFS(13, "CEPH_MSG_STATFS", "MStatfs"),
    STATFS_REPLY(14, "CEPH_MSG_STATFS_REPLY", "MStatfsReply"),
    MON_SUBSCRIBE(15, "CEPH_MSG_MON_SUBSCRIBE", "MMonSubscribe"),
    MON_SUBSCRIBE_ACK(16, "CEPH_MSG_MON_SUBSCRIBE_ACK", "MMonSubscribeAck"),
    AUTH(17, "CEPH_MSG_AUTH", "MAuth"),
    AUTH_REPLY(18, "CEPH_MSG_AUTH_REPLY", "MAuthReply"),
    MON_GET_VERSION(19, "CEPH_MSG_MON_GET_VERSION", "MMonGetVersion"),
    MON_GET_VERSION_REPLY(20, "CEPH_MSG_MON_GET_VERSION_REPLY", "MMonGetVersionReply"),

    // ---- osd (ceph_fs.h) ----------------------------------------------------------------------
    OSD_MAP(41, "CEPH_MSG_OSD_MAP", "MOSDMap"),
    OSD_OP(42, "CEPH_MSG_OSD_OP", "MOSDOp"),
    OSD_OPREPLY(43, "CEPH_MSG_OSD_OPREPLY", "MOSDOpReply"),
    WATCH_NOTIFY(44, "CEPH_MSG_WATCH_NOTIFY", "MWatchNotify"),
    // the reply's number is one below the request's (ceph_fs.h lists them in this order)
    POOLOP_REPLY(48, "CEPH_MSG_POOLOP_REPLY", "MPoolOpReply"),
    POOLOP(49, "CEPH_MSG_POOLOP", "MPoolOp"),

    // ---- monitor <-> admin tools (Message.h; ceph_fs.h repeats the two command numbers) --------
    MON_COMMAND(50, "MSG_MON_COMMAND", "MMonCommand"),
    MON_COMMAND_ACK(51, "MSG_MON_COMMAND_ACK", "MMonCommandAck"),
    LOG(52, "MSG_LOG", "MLog"),
    LOGACK(53, "MSG_LOGACK", "MLogAck"),
    GETPOOLSTATS(58, "MSG_GETPOOLSTATS", "MGetPoolStats"),
    GETPOOLSTATSREPLY(59, "MSG_GETPOOLSTATSREPLY", "MGetPoolStatsReply"),
    OSD_BACKOFF(61, "CEPH_MSG_OSD_BACKOFF", "MOSDBackoff"),
    CONFIG(62, "MSG_CONFIG", "MConfig"),
    GET_CONFIG(63, "MSG_GET_CONFIG", "MGetConfig"),

    // ---- daemon commands (Message.h) ----------------------------------------------------------
    COMMAND(97, "MSG_COMMAND", "MCommand"),
    COMMAND_REPLY(98, "MSG_COMMAND_REPLY", "MCommandReply"),

    // ---- ceph-mgr (Message.h) -----------------------------------------------------------------
    MGR_OPEN(0x700, "MSG_MGR_OPEN", "MMgrOpen"),
    MGR_CONFIGURE(0x701, "MSG_MGR_CONFIGURE", "MMgrConfigure"),
    MGR_REPORT(0x702, "MSG_MGR_REPORT", "MMgrReport"),
    MGR_MAP(0x704, "MSG_MGR_MAP", "MMgrMap"),
    MGR_COMMAND(0x709, "MSG_MGR_COMMAND", "MMgrCommand"),
    MGR_COMMAND_REPLY(0x70a, "MSG_MGR_COMMAND_REPLY", "MMgrCommandReply");

    private static final Map<Integer, MessageType> BY_NUMBER = new HashMap<>();

    static {
        for (MessageType t : values()) {
            if (BY_NUMBER.put(t.number, t) != null) {
                throw new ExceptionInInitializerError("message type " + t.number + " listed twice");
            }
        }
    }

    private final int number;
    private final String cephName;
    private final String className;

    MessageType(int number, String cephName, String className) {
        this.number = number;
        this.cephName = cephName;
        this.className = className;
    }

    /** The type number in the message header. */
    public int number() {
        return number;
    }

    /** Ceph's macro for the number, e.g. {@code CEPH_MSG_OSD_OP} or {@code MSG_MON_COMMAND}. */
    public String cephName() {
        return cephName;
    }

    /** The Ceph message class, e.g. {@code MOSDOp}: the name decode and the protocol reference print. */
    public String className() {
        return className;
    }

    /** Whether {@code type} (a header's type field) is this message type. */
    public boolean is(int type) {
        return type == number;
    }

    /** The message type with this number, or empty for a number not in this table (any wire value is accepted). */
    public static Optional<MessageType> byNumber(int type) {
        return Optional.ofNullable(BY_NUMBER.get(type));
    }

    /** The class name of {@code type}, or {@code "type N"} for a number not in this table. */
    public static String nameOf(int type) {
        MessageType t = BY_NUMBER.get(type);
        return t == null ? "type " + type : t.className;
    }
}
