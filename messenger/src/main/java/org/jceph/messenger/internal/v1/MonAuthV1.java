package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.internal.cephx.CephxException;
import org.jceph.messenger.internal.cephx.CephxMonClient;

/**
 * Authentication with a monitor over msgr1, where it runs in messages (src/messages/MAuth.h,
 * MAuthReply.h; src/mon/MonClient.cc; linux net/ceph/mon_client.c):
 * <pre>
 *  MAuth (17)       paxos header {u64 version, s16 session_mon -1, u64 session_mon_tid} | u32 protocol
 *                   | blob auth_payload | u32 monmap_epoch
 *     1st: protocol 0, payload {u8 1 | vector&lt;u32&gt; methods | EntityName | u64 global_id}
 *     2nd (cephx): protocol 2, payload = the CephXAuthenticate request {@link CephxMonClient} builds
 *  MAuthReply (18)  u32 protocol | s32 result | u64 global_id | blob result_bl | string result_msg
 *     1st (cephx): result_bl = CephXServerChallenge;  2nd: the same bytes as msgr2's AUTH_DONE payload
 *     auth none: one round, result 0.
 * </pre>
 * The cephx payloads are {@link CephxMonClient}'s; only the carrier differs from msgr2.
 */
public final class MonAuthV1 {
    /**
     * MAuth header versions. Ceph's class keeps the defaults (version 1, compat 0); jceph sends
     * compat 1, as it always has.
     */
    public static final int AUTH_HEAD_VERSION = 1;
    public static final int AUTH_COMPAT_VERSION = 1;
    private static final int EAGAIN = 11;

    private final EntityName self;
    private final CephxMonClient cephx; // null: auth none
    private int round;

    /** What to do after a reply: send {@code next}, or (null) authentication is complete. */
    public record Step(long globalId, Message next) {
    }

    public MonAuthV1(EntityName self, CephxMonClient cephx) {
        this.self = self;
        this.cephx = cephx;
    }

    private int method() {
        return cephx == null ? 1 : 2;
    }

    public Message firstRequest(long globalId) {
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        e.writeU8(1);
        e.writeList(List.of((long) method()), CephEncoder::writeU32Le);
        e.writeU32Le(self.type()).writeString(self.id());
        e.writeU64Le(globalId);
        return auth(0, CephEncoder.readableBytes(b));
    }

    /**
     * The one MAuth encoder (src/messages/MAuth.h): paxos header, u32 protocol, blob auth_payload,
     * u32 monmap_epoch (0). Used by the msgr1 handshake and by the ticket renewal on any session.
     */
    public static Message auth(int protocol, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeU64Le(0).writeU16Le(0xFFFF).writeU64Le(0)
                .writeU32Le(protocol).writeBlob(payload).writeU32Le(0);
        return Message.of(MessageType.AUTH.number(), AUTH_HEAD_VERSION, AUTH_COMPAT_VERSION, CephEncoder.readableBytes(b));
    }

    /**
     * A decoded MAuthReply: the one decoder, for the msgr1 handshake and the ticket renewal on any
     * session. A front that ends before result_msg reads as an empty message.
     */
    public record Reply(int protocol, int result, long globalId, byte[] resultBl, String resultMsg) {
        public static Reply decode(Message m) {
            CephDecoder d = CephDecoder.of(m.front(), "MAuthReply");
            int protocol = (int) d.readU32Le();
            int result = d.readS32Le();
            long globalId = d.readU64Le();
            byte[] resultBl = d.readBlob();
            return new Reply(protocol, result, globalId, resultBl, d.hasRemaining() ? d.readString() : "");
        }
    }

    public Step onReply(Message m, EntityName who, String peer) throws AuthenticationException {
        Reply r;
        try {
            r = Reply.decode(m);
        } catch (DecodeException e) {
            throw new AuthenticationException(who, peer, "malformed MAuthReply: " + e.getMessage(), 0);
        }
        if (r.result() != 0 && r.result() != -EAGAIN) {
            String why = switch (-r.result()) {
                case 13 -> "permission denied (EACCES): wrong key, or no such entity";
                case 1 -> "operation not permitted (EPERM)";
                case 95 -> "auth method not supported (EOPNOTSUPP)";
                default -> "error " + r.result();
            };
            throw new AuthenticationException(who, peer, why + (r.resultMsg().isEmpty() ? "" : ": " + r.resultMsg()),
                    -r.result());
        }
        if (r.protocol() != method()) {
            throw new AuthenticationException(who, peer, "the monitor chose auth method " + r.protocol()
                    + ", we asked for " + (cephx == null ? "none (1)" : "cephx (2)"), 95);
        }
        try {
            if (cephx == null) {
                return new Step(r.globalId(), null);
            }
            if (round++ == 0) {
                return new Step(r.globalId(), auth(2, cephx.answerChallenge(r.resultBl())));
            }
            cephx.handleDone(r.resultBl());
            cephx.setGlobalId(r.globalId());
            return new Step(r.globalId(), null);
        } catch (CephxException | DecodeException e) {
            throw new AuthenticationException(who, peer, e.getMessage(), 0);
        }
    }

    /** The cephx state of this session (null for auth none): ticket renewal runs on it. */
    public CephxMonClient cephx() {
        return cephx;
    }

    public Map<Integer, ServiceTicket> serviceTickets() {
        if (cephx == null) {
            return Map.of();
        }
        Map<Integer, ServiceTicket> out = new TreeMap<>();
        cephx.tickets().forEach((service, t) -> out.put(service,
                new ServiceTicket(t.serviceId(), t.sessionKey(), t.validity(), t.secretId(), t.blob(), t.keyType())));
        return out;
    }

    @Override
    public String toString() {
        return "MonAuthV1[" + self + ", " + (cephx == null ? "none" : "cephx") + ", round " + round + "]";
    }
}
