package org.jceph.messenger.internal.cephx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.UTime;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.auth.ServiceTicket;

/**
 * The client half of cephx against a monitor over msgr2 (src/auth/cephx/CephxClientHandler.cc,
 * src/mon/MonClient.cc get_auth_request; linux net/ceph/auth_x.c). Three steps:
 * <pre>
 *  AUTH_REQUEST       payload: u8 10 (AUTH_MODE_MON) | EntityName | u64 global_id
 *  AUTH_REPLY_MORE    payload: CephXServerChallenge { u8 1 | u64 server_challenge }
 *  AUTH_REQUEST_MORE  payload: u16 0x0100 | CephXAuthenticate v3 { u64 client_challenge | u64 key
 *                              | CephXTicketBlob old_ticket | u32 other_keys }
 *  AUTH_DONE          payload: u16 0x0100 | s32 status | ticket reply (AUTH ticket, under our secret)
 *                              | blob{ envelope(session key){ string connection_secret } }
 *                              | blob{ ticket reply (service tickets, under the session key) }
 * </pre>
 * Not thread-safe; one instance per connection attempt. Holds keys: never logs or prints them.
 */
public final class CephxMonClient {
    public static final int AUTH_MODE_MON = 10;
    public static final int GET_AUTH_SESSION_KEY = 0x0100;
    /** Service tickets for an already authenticated session, asked for with the AUTH ticket. */
    public static final int GET_PRINCIPAL_SESSION_KEY = 0x0200;
    /** Service tickets asked for alongside the AUTH ticket: mon, osd, mgr. */
    public static final int WANTED_KEYS = EntityName.TYPE_MON | EntityName.TYPE_OSD | EntityName.TYPE_MGR;

    private final EntityName name;
    private final CryptoKey secret;
    private final long previousGlobalId;
    /** The AUTH ticket of the session we reconnect after, presented to reclaim its global id; or null. */
    private final Ticket previousAuth;
    private final SecureRandom random;

    private byte[] sessionKey;
    private int sessionKeyType = CryptoKey.TYPE_AES;
    private byte[] connectionSecret = new byte[0];
    /** Written on the I/O thread, read by whoever opens OSD/MGR sessions. */
    private final Map<Integer, Ticket> tickets = new ConcurrentHashMap<>();
    /** When each ticket should be renewed and when it expires, on our clock (ms since the epoch). */
    private final Map<Integer, long[]> lifetimes = new ConcurrentHashMap<>();
    /** The monitor's challenge from the handshake; re-authenticating in the same session reuses it. */
    private long serverChallenge;
    private final java.util.function.LongSupplier clock;

    /** A decoded service ticket: its session key, validity and the opaque ticket blob for the service. */
    public record Ticket(int serviceId, byte[] sessionKey, UTime validity, long secretId, byte[] blob, int keyType) {
        /** An AES (type 1) ticket. */
        public Ticket(int serviceId, byte[] sessionKey, UTime validity, long secretId, byte[] blob) {
            this(serviceId, sessionKey, validity, secretId, blob, CryptoKey.TYPE_AES);
        }

        @Override
        public String toString() {
            return "Ticket[service=" + serviceId + ", key=" + CryptoKey.typeName(keyType) + ", secretId=" + secretId
                    + ", validity=" + validity + "]";
        }
    }

    public CephxMonClient(EntityName name, CryptoKey secret, long previousGlobalId, SecureRandom random) {
        this(name, secret, previousGlobalId, null, random, System::currentTimeMillis);
    }

    /** As above, with the clock that dates ticket lifetimes (tests move it). */
    public CephxMonClient(EntityName name, CryptoKey secret, long previousGlobalId, SecureRandom random,
                          java.util.function.LongSupplier clockMillis) {
        this(name, secret, previousGlobalId, null, random, clockMillis);
    }

    /**
     * A client that reclaims {@code previousGlobalId} after a reconnect by presenting the old
     * session's AUTH ticket as {@code old_ticket} (the secure global id reclaim of CVE-2021-20288):
     * the monitor then keeps our global id, so the OSDs still recognise resent ops as ours.
     */
    public CephxMonClient(EntityName name, CryptoKey secret, long previousGlobalId, Ticket previousAuth,
                          SecureRandom random) {
        this(name, secret, previousGlobalId, previousAuth, random, System::currentTimeMillis);
    }

    public CephxMonClient(EntityName name, CryptoKey secret, long previousGlobalId, Ticket previousAuth,
                          SecureRandom random, java.util.function.LongSupplier clockMillis) {
        this.clock = clockMillis;
        if (secret.type() != CryptoKey.TYPE_AES && secret.type() != CryptoKey.TYPE_AES256KRB5) {
            throw new IllegalArgumentException("cephx needs an aes or aes256k key for " + name + ", not "
                    + CryptoKey.typeName(secret.type()));
        }
        this.name = name;
        this.secret = secret;
        this.previousGlobalId = previousGlobalId;
        this.previousAuth = previousGlobalId == 0 ? null : previousAuth;
        this.random = random;
    }

    /** The AUTH_REQUEST payload. */
    public byte[] initialRequest() {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeU8(AUTH_MODE_MON).writeU32Le(name.type()).writeString(name.id())
                .writeU64Le(previousGlobalId);
        return CephEncoder.readableBytes(b);
    }

    /** Answers the monitor's challenge (AUTH_REPLY_MORE payload) with the AUTH_REQUEST_MORE payload. */
    public byte[] answerChallenge(byte[] replyMore) {
        CephDecoder d = CephDecoder.of(replyMore, "CephXServerChallenge");
        int v = d.readU8();
        if (v != 1) {
            throw d.error("struct_v " + v);
        }
        serverChallenge = d.readU64Le();
        return authenticate(previousAuth); // null on a first session
    }

    /**
     * CephXAuthenticate v3 under the monitor's challenge: proves we hold the secret, presents the
     * AUTH ticket we have (empty on the first round: CVE-2021-20288 rules) and asks for the
     * service tickets too.
     */
    private byte[] authenticate(Ticket oldAuth) {
        long clientChallenge = random.nextLong();
        long key = challengeKey(secret.type(), secret.secret(), serverChallenge, clientChallenge);
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        e.writeU16Le(GET_AUTH_SESSION_KEY);
        e.writeU8(3); // CephXAuthenticate v3: presents old_ticket, CVE-2021-20288 rules
        e.writeU64Le(clientChallenge).writeU64Le(key);
        if (oldAuth == null) {
            e.writeU8(1).writeU64Le(0).writeU32Le(0); // CephXTicketBlob: no previous AUTH ticket
        } else {
            e.writeU8(1).writeU64Le(oldAuth.secretId()).writeBlob(oldAuth.blob());
        }
        e.writeU32Le(WANTED_KEYS);
        return CephEncoder.readableBytes(b);
    }

    /**
     * The tickets to renew now (CephXTicketHandler::need_key): a ticket is renewed once three
     * quarters of its lifetime have passed, or when it is missing. Returns a service mask.
     */
    public int servicesToRenew() {
        long now = clock.getAsLong();
        int need = 0;
        for (int service : new int[] {EntityName.TYPE_AUTH, EntityName.TYPE_MON, EntityName.TYPE_OSD,
            EntityName.TYPE_MGR}) {
            long[] life = lifetimes.get(service);
            if (life == null || now >= life[0]) {
                need |= service;
            }
        }
        return need;
    }

    /**
     * The cephx request that renews what {@link #servicesToRenew()} names, for an MAuth message
     * on the open session: a new AUTH ticket (answering the handshake's challenge again, with
     * the old ticket) when that one is due, otherwise the service tickets, asked for with an
     * authorizer built from the AUTH ticket. Null when nothing is due or not authenticated.
     */
    public byte[] renewalRequest() {
        int need = servicesToRenew();
        Ticket auth = tickets.get(EntityName.TYPE_AUTH);
        if (need == 0 || auth == null) {
            return null;
        }
        if ((need & EntityName.TYPE_AUTH) != 0) {
            return authenticate(auth);
        }
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        e.writeU16Le(GET_PRINCIPAL_SESSION_KEY);
        ServiceTicket authTicket = new ServiceTicket(auth.serviceId(), auth.sessionKey(), auth.validity(),
                auth.secretId(), auth.blob(), auth.keyType());
        e.writeBytes(new CephxAuthorizer(authTicket, globalId, random).initialRequest());
        e.writeU8(1).writeU32Le(need & WANTED_KEYS); // CephXServiceTicketRequest
        return CephEncoder.readableBytes(b);
    }

    /** Applies MAuthReply's result_bl for a {@link #renewalRequest()}. */
    public void handleRenewalReply(byte[] resultBl) {
        CephDecoder d = CephDecoder.of(resultBl, "MAuthReply/cephx");
        try {
            int type = d.readU16Le();
            int status = d.readS32Le();
            if (status != 0) {
                throw new CephxException("monitor refused to renew tickets: status " + status);
            }
            if (type == GET_AUTH_SESSION_KEY) {
                handleDone(resultBl);
            } else if (type == GET_PRINCIPAL_SESSION_KEY) {
                byte[] key = sessionKey;
                if (key == null) {
                    throw new CephxException("service tickets before authentication");
                }
                readTicketReply(d, sessionKeyType, key);
            } else {
                throw new CephxException("unexpected cephx response type 0x" + Integer.toHexString(type));
            }
        } catch (DecodeException e) {
            throw new CephxException("malformed ticket renewal reply: " + e.getMessage());
        }
    }

    private long globalId;

    /** The global id the monitor gave us; authorizers for the AUTH service carry it. */
    public void setGlobalId(long id) {
        this.globalId = id;
    }

    /**
     * cephx_calc_client_server_challenge: for an AES key, encrypt {server, client} challenges under
     * the client secret as a length-prefixed envelope (36 bytes), then XOR its whole u64 words,
     * prefix included. An aes256k ciphertext differs on every call (random confounder), so for that
     * type the proof is HMAC-SHA256(secret, the bare 16-byte blob), its four u64 words XORed
     * (CephxProtocol.cc: encode_hash in place of encode_encrypt).
     */
    static long challengeKey(int keyType, byte[] secret, long serverChallenge, long clientChallenge) {
        byte[] blob = new byte[16];
        java.nio.ByteBuffer.wrap(blob).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(serverChallenge)
                .putLong(clientChallenge);
        if (keyType == CryptoKey.TYPE_AES256KRB5) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(CephxCrypto.hmacSha256(secret, blob))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            return h.getLong() ^ h.getLong() ^ h.getLong() ^ h.getLong();
        }
        return challengeKey(secret, serverChallenge, clientChallenge);
    }

    /** The AES form of {@link #challengeKey(int, byte[], long, long)}. */
    static long challengeKey(byte[] secret, long serverChallenge, long clientChallenge) {
        byte[] blob = new byte[16];
        java.nio.ByteBuffer.wrap(blob).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(serverChallenge)
                .putLong(clientChallenge);
        byte[] c = CephxCrypto.encryptEnvelope(secret, blob);
        java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(4 + c.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        w.putInt(c.length).put(c).flip();
        long k = 0;
        while (w.remaining() >= 8) {
            k ^= w.getLong();
        }
        return k;
    }

    /**
     * Processes AUTH_DONE's payload: decrypts the AUTH ticket with our secret, the connection secret
     * and the service tickets with the new session key.
     *
     * @throws CephxException when the reply cannot be decrypted (wrong key) or reports an error
     */
    public void handleDone(byte[] payload) {
        CephDecoder d = CephDecoder.of(payload, "AUTH_DONE/cephx");
        try {
            int type = d.readU16Le();
            int status = d.readS32Le();
            if (type != GET_AUTH_SESSION_KEY) {
                throw new CephxException("unexpected cephx response type 0x" + Integer.toHexString(type));
            }
            if (status != 0) {
                throw new CephxException("monitor reported status " + status);
            }
            readTicketReply(d, secret.type(), secret.secret());
            Ticket auth = tickets.get(EntityName.TYPE_AUTH);
            if (auth == null) {
                throw new CephxException("reply carries no AUTH ticket");
            }
            sessionKey = auth.sessionKey();
            sessionKeyType = auth.keyType();
            if (d.hasRemaining()) {
                byte[] cbl = d.readBlob();
                if (cbl.length > 0) {
                    CephDecoder c = CephDecoder.of(cbl, "connection_secret");
                    byte[] plain = CephxCrypto.readEnvelope(c, sessionKeyType, sessionKey,
                            CephxCrypto.USAGE_AUTH_CONNECTION_SECRET, "connection secret");
                    CephDecoder s = CephDecoder.of(plain, "connection_secret");
                    connectionSecret = s.readBytes(s.readLengthLe("connection_secret"));
                }
                byte[] extra = d.readBlob();
                if (extra.length > 0) {
                    readTicketReply(CephDecoder.of(extra, "service_tickets"), sessionKeyType, sessionKey);
                }
            }
        } catch (DecodeException e) {
            throw new CephxException("malformed AUTH_DONE payload: " + e.getMessage());
        }
    }

    /** CephXTicketManager::verify_service_ticket_reply. */
    private void readTicketReply(CephDecoder d, int keyType, byte[] key) {
        int v = d.readU8();
        if (v != 1) {
            throw d.error("ticket reply struct_v " + v);
        }
        int n = d.readCountLe("tickets", 6);
        for (int i = 0; i < n; i++) {
            int service = (int) d.readU32Le();
            if (service != EntityName.TYPE_AUTH && service != EntityName.TYPE_MON && service != EntityName.TYPE_OSD
                    && service != EntityName.TYPE_MGR && service != EntityName.TYPE_MDS) {
                throw d.error("ticket for unknown service type " + service);
            }
            int tv = d.readU8();
            if (tv != 1) {
                throw d.error("service ticket struct_v " + tv);
            }
            byte[] msgA = CephxCrypto.readEnvelope(d, keyType, key, CephxCrypto.USAGE_TICKET_SESSION_KEY,
                    EntityName.typeName(service) + " ticket");
            CephDecoder a = CephDecoder.of(msgA, "CephXServiceTicket");
            a.readU8();
            CryptoKey sk = CryptoKey.decode(a);
            UTime validity = a.readUtime();
            boolean enc = d.readBool();
            byte[] ticketBl;
            if (enc) {
                Ticket old = tickets.get(service);
                if (old == null && service == EntityName.TYPE_AUTH) {
                    old = previousAuth; // the AUTH ticket comes encrypted under the reclaimed session's key
                }
                if (old == null) {
                    throw new CephxException("encrypted ticket for " + EntityName.typeName(service) + " without a previous one");
                }
                ticketBl = CephxCrypto.readEnvelope(d, old.keyType(), old.sessionKey(), CephxCrypto.USAGE_TICKET_BLOB,
                        "ticket blob");
                ticketBl = CephDecoder.of(ticketBl, "ticket_blob").readBlob();
            } else {
                ticketBl = d.readBlob();
            }
            CephDecoder t = CephDecoder.of(ticketBl, "CephXTicketBlob");
            t.readU8();
            long secretId = t.readU64Le();
            byte[] blob = t.readBlob();
            tickets.put(service, new Ticket(service, sk.secret(), validity, secretId, blob, sk.type()));
            // validity is the ticket's lifetime; like CephXTicketHandler, renew after 3/4 of it
            long now = clock.getAsLong();
            long ttl = Math.max(0, validity.seconds() * 1000L + validity.nanos() / 1_000_000L);
            lifetimes.put(service, new long[] {now + ttl - ttl / 4, now + ttl});
        }
    }

    /** The AUTH ticket's session key: the HMAC key of the msgr2 AUTH_SIGNATURE exchange. */
    public byte[] sessionKey() {
        return sessionKey == null ? null : sessionKey.clone();
    }

    /**
     * The services' rotating keys were replaced (a risen monmap auth_epoch): the mon, osd and mgr
     * tickets are due for renewal at once. They are kept until the renewal answers.
     */
    public void serviceTicketsVoid() {
        long now = clock.getAsLong();
        for (int service : new int[] {EntityName.TYPE_MON, EntityName.TYPE_OSD, EntityName.TYPE_MGR}) {
            lifetimes.computeIfPresent(service, (k, life) -> new long[] {now, life[1]});
        }
    }

    /** The AUTH session key's cephx type. */
    public int sessionKeyType() {
        return sessionKeyType;
    }

    /** The secure-mode connection secret (empty in crc mode). */
    public byte[] connectionSecret() {
        return connectionSecret.clone();
    }

    public Map<Integer, Ticket> tickets() {
        return Map.copyOf(tickets);
    }


    @Override
    public String toString() {
        return "CephxMonClient[" + name + ", tickets=" + tickets.keySet() + "]";
    }
}
