package org.jceph.rados.internal;

import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;

/**
 * MPoolOp (type 49, version 4) and MPoolOpReply (type 48), src/messages/MPoolOp.h: pool snapshot
 * and self-managed snapshot operations handled by the monitor.
 * <pre>
 * MPoolOp:      PaxosServiceMessage header (u64 version = our osdmap epoch, s16 -1, u64 0) | uuid fsid
 *               | u32 pool | u32 op | u64 auid (0) | u64 snapid | string name | u8 pad | s16 crush_rule
 * MPoolOpReply: header | uuid fsid | u32 reply code (negative errno) | u32 epoch | bool has_data | [bufferlist data]
 * </pre>
 */
public final class PoolOps {
    /** MPoolOp HEAD_VERSION / COMPAT_VERSION (src/messages/MPoolOp.h; v4 made crush_rule an s16). */
    public static final int HEAD_VERSION = 4;
    public static final int COMPAT_VERSION = 2;

    public static final int CREATE_SNAP = 0x11;
    public static final int DELETE_SNAP = 0x12;
    public static final int CREATE_UNMANAGED_SNAP = 0x21;
    public static final int DELETE_UNMANAGED_SNAP = 0x22;

    private PoolOps() {
    }

    public static Message request(UUID fsid, long epoch, long pool, int op, long snapId, String name) {
        byte[] front = CephEncoder.toBytes(e -> {
            MonStatMessages.paxosHeader(e, epoch);
            e.writeUuid(fsid);
            e.writeU32Le(pool).writeU32Le(op).writeU64Le(0).writeU64Le(snapId).writeString(name).writeU8(0)
                    .writeU16Le(0);
        });
        return new Message(MessageType.POOLOP.number(), HEAD_VERSION, COMPAT_VERSION, Message.PRIO_DEFAULT, 0, 0, front,
                new byte[0], new byte[0]);
    }

    /** The monitor's answer: errno (0 or negative), the osdmap epoch that carries the change, data. */
    public record Reply(int code, long epoch, byte[] data) {
    }

    public static Reply decode(Message m) {
        CephDecoder d = CephDecoder.of(m.front(), "MPoolOpReply");
        MonStatMessages.skipPaxosHeader(d);
        d.readUuid();
        int code = d.readS32Le();
        long epoch = d.readU32Le();
        byte[] data = d.readBool() ? d.readBlob() : new byte[0];
        return new Reply(code, epoch, data);
    }
}
