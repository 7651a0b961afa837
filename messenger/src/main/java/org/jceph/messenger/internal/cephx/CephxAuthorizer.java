package org.jceph.messenger.internal.cephx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.internal.v2.ClientAuth;

/**
 * cephx to an OSD or MGR: we present the service ticket the monitor gave us (src/auth/cephx/
 * CephxProtocol.cc build_authorizer / add_challenge / verify_reply; linux auth_x.c).
 * <pre>
 *  AUTH_REQUEST       u8 1 | u64 global_id | u32 service_id | CephXTicketBlob { u8 1 | u64 secret_id | blob }
 *                     | blob{ envelope(ticket session key){ CephXAuthorize v2 { u64 nonce | bool have_challenge
 *                     | u64 server_challenge+1 } } }
 *  AUTH_REPLY_MORE    blob{ envelope{ CephXAuthorizeChallenge { u8 1 | u64 server_challenge } } }
 *  AUTH_REQUEST_MORE  the same authorizer, now with have_challenge and server_challenge+1
 *  AUTH_DONE          blob{ envelope{ CephXAuthorizeReply { u8 v | u64 nonce+1 | v2: string connection_secret } } }
 * </pre>
 * The ticket's session key signs the AUTH_SIGNATURE exchange. Holds keys: never printed.
 */
public final class CephxAuthorizer implements ClientAuth {
    private final ServiceTicket ticket;
    private final long globalId;
    private final long nonce;
    private byte[] connectionSecret = new byte[0];

    public CephxAuthorizer(ServiceTicket ticket, long globalId, SecureRandom random) {
        this.ticket = ticket;
        this.globalId = globalId;
        this.nonce = random.nextLong();
    }

    @Override
    public int method() {
        return 2; // CEPH_AUTH_CEPHX
    }

    @Override
    public byte[] initialRequest() {
        return authorizer(false, 0);
    }

    private byte[] authorizer(boolean haveChallenge, long serverChallenge) {
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        e.writeU8(1).writeU64Le(globalId).writeU32Le(ticket.serviceId());
        e.writeU8(1).writeU64Le(ticket.secretId()).writeBlob(ticket.blob());
        ByteBuf msg = Unpooled.buffer();
        new CephEncoder(msg).writeU8(2).writeU64Le(nonce).writeBool(haveChallenge)
                .writeU64Le(haveChallenge ? serverChallenge + 1 : 0);
        e.writeBlob(CephxCrypto.encryptEnvelope(ticket.sessionKeyType(), ticket.sessionKey(),
                CephxCrypto.USAGE_AUTHORIZE, CephEncoder.readableBytes(msg)));
        return CephEncoder.readableBytes(b);
    }

    @Override
    public byte[] handleMore(byte[] replyMore) {
        try {
            byte[] plain = open(replyMore, CephxCrypto.USAGE_AUTHORIZE_CHALLENGE, "authorizer challenge");
            CephDecoder d = CephDecoder.of(plain, "CephXAuthorizeChallenge");
            d.readU8();
            return authorizer(true, d.readU64Le());
        } catch (DecodeException e) {
            throw new CephxException("malformed authorizer challenge: " + e.getMessage());
        }
    }

    @Override
    public void handleDone(long ignoredGlobalId, byte[] payload) {
        try {
            byte[] plain = open(payload, CephxCrypto.USAGE_AUTHORIZE_REPLY, "authorizer reply");
            CephDecoder d = CephDecoder.of(plain, "CephXAuthorizeReply");
            int v = d.readU8();
            long noncePlusOne = d.readU64Le();
            if (noncePlusOne != nonce + 1) {
                throw new CephxException("the service answered the wrong nonce: it does not hold our ticket's key");
            }
            if (v >= 2) {
                connectionSecret = d.readBytes(d.readLengthLe("connection_secret"));
            }
        } catch (DecodeException e) {
            throw new CephxException("malformed authorizer reply: " + e.getMessage());
        }
    }

    /**
     * Decrypts what the service sent: the challenge comes as the bare ciphertext
     * (encode_encrypt_enc_bl), the reply with a u32 length in front (encode_encrypt). An aes256k
     * ciphertext has any length, so the prefix is recognised by its value (the rest's length)
     * rather than by block alignment; a bare AES ciphertext starting so has odds of 2^-32.
     */
    private byte[] open(byte[] bytes, int usage, String what) {
        boolean prefixed = bytes.length >= 4 && (bytes[0] & 0xffL | (bytes[1] & 0xffL) << 8 | (bytes[2] & 0xffL) << 16
                | (bytes[3] & 0xffL) << 24) == bytes.length - 4L;
        if (!prefixed) {
            return CephxCrypto.decryptEnvelope(ticket.sessionKeyType(), ticket.sessionKey(), usage, bytes, what);
        }
        return CephxCrypto.readEnvelope(CephDecoder.of(bytes, what), ticket.sessionKeyType(), ticket.sessionKey(),
                usage, what);
    }

    @Override
    public byte[] sessionKey() {
        return ticket.sessionKey();
    }

    @Override
    public int sessionKeyType() {
        return ticket.sessionKeyType();
    }

    @Override
    public byte[] connectionSecret() {
        return connectionSecret.clone();
    }


    @Override
    public String toString() {
        return "CephxAuthorizer[" + ticket + "]";
    }
}
