package org.jceph.messenger.mon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;

/** The monitor-client messages of this slice: their type numbers, versions and front encodings. */
public final class MonMessages {
    private MonMessages() {
    }

    /**
     * MMonGetMap header versions. Ceph's class keeps Message's defaults (version 1, compat 0);
     * jceph has always sent compat 1, kept so that the bytes on the wire do not change.
     */
    public static final int GET_MAP_HEAD_VERSION = 1;
    public static final int GET_MAP_COMPAT_VERSION = 1;
    /** MMonSubscribe HEAD_VERSION / COMPAT_VERSION (src/messages/MMonSubscribe.h). */
    public static final int SUBSCRIBE_HEAD_VERSION = 3;
    public static final int SUBSCRIBE_COMPAT_VERSION = 1;
    /**
     * MMonCommand header versions. Ceph's class keeps the defaults (version 1, compat 0); jceph
     * sends compat 1, as it always has.
     */
    public static final int COMMAND_HEAD_VERSION = 1;
    public static final int COMMAND_COMPAT_VERSION = 1;

    /** CEPH_SUBSCRIBE_ONETIME */
    public static final int SUBSCRIBE_ONETIME = 1;

    /** MMonGetMap (src/messages/MMonGetMap.h): v1, empty front. The reply is MMonMap. */
    public static Message getMonMap() {
        return Message.of(MessageType.MON_GET_MAP.number(), GET_MAP_HEAD_VERSION, GET_MAP_COMPAT_VERSION, new byte[0]);
    }

    /**
     * MMonSubscribe (src/messages/MMonSubscribe.h, HEAD_VERSION 3, COMPAT 1):
     * {@code map<string, ceph_mon_subscribe_item{u64 start; u8 flags}> what | string hostname}.
     * start 0 asks for the latest full map; start = epoch + 1 for what follows a map we hold.
     */
    public static Message subscribe(Map<String, long[]> what, String hostname) {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeMap(new TreeMap<>(what), CephEncoder::writeString,
                (e, v) -> e.writeU64Le(v[0]).writeU8((int) v[1])).writeString(hostname);
        byte[] front = new byte[b.readableBytes()];
        b.readBytes(front);
        return Message.of(MessageType.MON_SUBSCRIBE.number(), SUBSCRIBE_HEAD_VERSION, SUBSCRIBE_COMPAT_VERSION, front);
    }

    /** MMonMap: the front is a blob holding the MonMap encoding. */
    /**
     * MMonCommand (src/messages/MMonCommand.h, version 1): the PaxosServiceMessage header (u64
     * version 0, s16 session mon -1, u64 session mon tid 0), the fsid, and the command as a vector
     * of JSON strings; the input travels in the data segment.
     */
    public static Message command(long tid, UUID fsid, List<String> cmd, byte[] input) {
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        e.writeU64Le(0).writeU16Le(0xFFFF).writeU64Le(0);
        e.writeUuid(fsid);
        e.writeList(cmd, CephEncoder::writeString);
        byte[] front = new byte[b.readableBytes()];
        b.readBytes(front);
        return new Message(MessageType.MON_COMMAND.number(), COMMAND_HEAD_VERSION, COMMAND_COMPAT_VERSION,
                Message.PRIO_DEFAULT, tid, 0, front, new byte[0], input);
    }

    /** MMonCommandAck: the header, s32 result, string status, vector&lt;string&gt; cmd; output in data. */
    public static CommandReply decodeCommandAck(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MMonCommandAck");
        d.readU64Le();
        d.readS16Le();
        d.readU64Le();
        int r = d.readS32Le();
        String status = d.readString();
        return new CommandReply(m.tid(), r, status, m.dataBytes());
    }

    /** A monitor command's outcome: negative errno or 0, the status text, and the output. */
    public record CommandReply(long tid, int result, String status, byte[] output) {
        public String outputText() {
            return new String(output, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static MonMap decodeMonMap(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MMonMap");
        return MonMap.decode(d.readBlob());
    }

    /** MOSDMap, keeping the maps opaque. */
    public static OsdMapUpdate decodeOsdMap(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MOSDMap");
        UUID fsid = d.readUuid();
        TreeMap<Long, byte[]> inc = new TreeMap<>(d.readMap(8, CephDecoder::readU32Le, CephDecoder::readBlob));
        TreeMap<Long, byte[]> full = new TreeMap<>(d.readMap(8, CephDecoder::readU32Le, CephDecoder::readBlob));
        long oldest = 0;
        long newest = 0;
        if (m.version() >= 2) {
            oldest = d.readU32Le();
            newest = d.readU32Le();
        }
        return new OsdMapUpdate(fsid, java.util.Collections.unmodifiableSortedMap(inc),
                java.util.Collections.unmodifiableSortedMap(full), oldest, newest);
    }
}
