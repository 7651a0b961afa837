package org.jceph.cli.decode;

import java.util.Map;

/** Ceph message type numbers (include/ceph_fs.h CEPH_MSG_*, msg/Message.h MSG_*) and their class names. */
final class MessageTypes {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "MShutdown"), Map.entry(2, "MPing"),
            Map.entry(4, "MMonMap"), Map.entry(5, "MMonGetMap"), Map.entry(6, "MMonGetOSDMap"),
            Map.entry(7, "MMonMetadata"), Map.entry(13, "MStatfs"), Map.entry(14, "MStatfsReply"),
            Map.entry(15, "MMonSubscribe"), Map.entry(16, "MMonSubscribeAck"),
            Map.entry(17, "MAuth"), Map.entry(18, "MAuthReply"),
            Map.entry(19, "MMonGetVersion"), Map.entry(20, "MMonGetVersionReply"),
            Map.entry(41, "MOSDMap"), Map.entry(42, "MOSDOp"), Map.entry(43, "MOSDOpReply"),
            Map.entry(44, "MWatchNotify"), Map.entry(48, "MPoolOpReply"), Map.entry(49, "MPoolOp"),
            Map.entry(50, "MMonCommand"), Map.entry(51, "MMonCommandAck"),
            Map.entry(52, "MLog"), Map.entry(53, "MLogAck"),
            Map.entry(58, "MGetPoolStats"), Map.entry(59, "MGetPoolStatsReply"),
            Map.entry(61, "MOSDBackoff"), Map.entry(62, "MConfig"), Map.entry(63, "MGetConfig"),
            Map.entry(0x700, "MMgrOpen"), Map.entry(0x701, "MMgrConfigure"), Map.entry(0x702, "MMgrReport"),
            Map.entry(0x704, "MMgrMap"));

    private MessageTypes() {
    }

    static String name(int type) {
        String n = NAMES.get(type);
        return n == null ? "type " + type : n;
    }
}
