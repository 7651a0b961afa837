package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.internal.Buffers;
import org.jceph.messenger.internal.cephx.CephxException;
import org.jceph.messenger.internal.v2.ClientAuth;
import org.jceph.messenger.v2.ConnectionMode;

/**
 * The client side of one lossy msgr1 connection (src/msg/async/ProtocolV1.cc; linux
 * net/ceph/messenger_v1.c), as a Netty handler. All state is touched on the channel's event loop.
 *
 * <pre>
 *   (connect) send banner
 *   BANNER  --banner + server addr + our addr--> send our legacy addr + CONNECT
 *   CONNECT --CHALLENGE_AUTHORIZER--> CONNECT (authorizer rebuilt with the challenge)
 *           --RESETSESSION / RETRY_GLOBAL / RETRY_SESSION--> CONNECT (connect_seq / global_seq adjusted)
 *           --SEQ--> (send our in_seq) READY
 *           --READY--> READY (service peers) | MON_AUTH (monitors: MAuth rounds, then READY)
 *           --WAIT / BADPROTOVER / BADAUTHORIZER / FEATURES--> failed (lossy: the owner reconnects)
 *   READY: MSG, ACK, KEEPALIVE, KEEPALIVE2(_ACK), CLOSE
 * </pre>
 * Monitors take no authorizer from a client: cephx (or auth none) runs inside MAuth/MAuthReply
 * messages once the session is up ({@link MonAuthV1}). Towards OSDs and MGRs the cephx authorizer
 * rides in the connect message, and its ticket's session key then signs every message footer.
 */
public final class ProtocolV1Client extends ChannelInboundHandlerAdapter implements Connection,
        org.jceph.messenger.internal.cephx.CephxHolder {
    enum State { BANNER, CONNECT, MON_AUTH, READY, CLOSED }

    /** Everything needed to open one connection. {@code auth} is null towards monitors ({@code monAuth} then). */
    public record Params(EntityAddr target, int peerType, EntityName self, ClientAuth auth, MonAuthV1 monAuth,
                         long globalId, LongUnaryOperator globalSeqs, long nonce, boolean signMessages,
                         long features, Duration handshakeTimeout, Duration keepaliveInterval,
                         Duration keepaliveTimeout, Consumer<Message> listener) {
    }

    private final Params p;
    private final CompletableFuture<Connection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final V1Reader reader = new V1Reader();
    private ChannelHandlerContext ctx;
    private CompositeByteBuf cumulation;
    private State state = State.BANNER;
    private long globalSeq;
    private long connectSeq;
    private byte[] authorizerMore;
    private long features;
    private long globalId;
    private MessageSigner signer;
    private long outSeq;
    private long inSeq;
    private long ackedIn;
    private long lastRxNanos;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> keepaliveTimer;

    public ProtocolV1Client(Params params) {
        this.p = params;
        this.globalId = params.globalId();
        this.globalSeq = params.globalSeqs().applyAsLong(0);
    }

    /** Completes when the session is open (monitors: authenticated), or fails with the reason. */
    public CompletableFuture<Connection> readyFuture() {
        return ready;
    }

    // ---- Netty plumbing ------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
        this.cumulation = Buffers.cumulation(c.alloc());
        handshakeTimer = c.executor().schedule(() -> fail(new ConnectionException("connecting to " + p.target()
                + " (msgr1) did not finish within " + p.handshakeTimeout().toMillis() + " ms (stuck in " + state + ")")),
                p.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext c) {
        lastRxNanos = System.nanoTime();
        write(V1Codec.BANNER);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (cumulation == null) {
            in.release();
            return;
        }
        Buffers.append(cumulation, in); // no copy: the socket's buffer becomes a component
        lastRxNanos = System.nanoTime();
        try {
            process();
            cumulation.discardReadComponents();
            sendAckIfNeeded();
        } catch (AuthenticationException | ConnectionException e) {
            fail(e);
        } catch (DecodeException e) {
            fail(new ConnectionException("protocol error from " + p.target() + " (msgr1) in state " + state + ": "
                    + e.getMessage(), e));
        } catch (CephxException | IllegalStateException | IllegalArgumentException e) {
            fail(new ConnectionException("protocol error from " + p.target() + " (msgr1) in state " + state + ": "
                    + e.getMessage(), e));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        fail(new ConnectionException("connection to " + p.target() + " (msgr1) closed by peer in state " + state));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        fail(new ConnectionException("I/O error on " + p.target() + " (msgr1) in state " + state + ": " + cause, cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext c) {
        cancelTimers();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    private void write(byte[] bytes) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    private void fail(Exception e) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelTimers();
        ready.completeExceptionally(e);
        closed.completeExceptionally(e);
        if (ctx != null) {
            ctx.close();
        }
    }

    private void cancelTimers() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (keepaliveTimer != null) {
            keepaliveTimer.cancel(false);
        }
    }

    // ---- handshake -----------------------------------------------------------------------------

    private void process() throws AuthenticationException, ConnectionException {
        while (state != State.CLOSED) {
            switch (state) {
                case BANNER -> {
                    V1Codec.ServerHello h = reader.readServerHello(cumulation);
                    if (h == null) {
                        return;
                    }
                    onServerHello(h);
                }
                case CONNECT -> {
                    V1Codec.ConnectReply r = reader.readConnectReply(cumulation);
                    if (r == null) {
                        return;
                    }
                    onConnectReply(r);
                }
                default -> {
                    V1Reader.Event e = reader.next(cumulation);
                    if (e == null) {
                        return;
                    }
                    onEvent(e);
                }
            }
        }
    }

    private void onServerHello(V1Codec.ServerHello h) throws ConnectionException {
        InetSocketAddress claimed = h.server().socketAddress();
        InetSocketAddress wanted = p.target().socketAddress();
        boolean blank = claimed == null || claimed.getAddress().isAnyLocalAddress();
        boolean samePort = claimed != null && claimed.getPort() == wanted.getPort();
        boolean sameIp = blank || claimed.getAddress().equals(wanted.getAddress());
        if (!samePort || !sameIp || (p.target().nonce() != 0 && h.server().nonce() != p.target().nonce())) {
            throw new ConnectionException("peer at " + p.target() + " claims to be " + h.server()
                    + " (stale address?)");
        }
        // Our address: the IP the peer sees, port 0 (we do not listen), our nonce.
        InetSocketAddress seen = h.clientAsSeen().socketAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        EntityAddr me = EntityAddr.of(EntityAddr.TYPE_LEGACY, p.nonce(), new InetSocketAddress(
                seen != null && !seen.getAddress().isAnyLocalAddress() ? seen.getAddress() : local.getAddress(), 0));
        write(V1Codec.legacyAddr(me));
        state = State.CONNECT;
        sendConnect();
    }

    private void sendConnect() {
        byte[] authorizer = new byte[0];
        int protocol = 0;
        if (p.auth() != null) {
            authorizer = authorizerMore != null ? authorizerMore : p.auth().initialRequest();
            protocol = p.auth().method();
        }
        write(new V1Codec.Connect(p.features(), EntityName.TYPE_CLIENT, globalSeq, connectSeq,
                Tags.protocolFor(p.peerType()), protocol, authorizer, Tags.CONNECT_LOSSY).encode());
    }

    private void onConnectReply(V1Codec.ConnectReply r) throws AuthenticationException, ConnectionException {
        String who = p.target() + " (msgr1)";
        if (r.authorizerReply().length > 0 && p.auth() != null) {
            try {
                if (r.tag() == Tags.CHALLENGE_AUTHORIZER) {
                    authorizerMore = p.auth().handleMore(r.authorizerReply());
                    sendConnect();
                    return;
                }
                p.auth().handleDone(0, r.authorizerReply());
            } catch (CephxException e) {
                throw new AuthenticationException(p.self(), who, e.getMessage(), 0);
            }
        }
        switch (r.tag()) {
            case Tags.FEATURES -> throw new ConnectionException(who + " requires features 0x"
                    + Long.toHexString(r.features() & ~p.features()) + " we lack");
            case Tags.BADPROTOVER -> throw new ConnectionException(who + " speaks protocol version "
                    + r.protocolVersion() + ", we sent " + Tags.protocolFor(p.peerType()));
            case Tags.BADAUTHORIZER -> throw new AuthenticationException(p.self(), who,
                    "the peer rejected our authorizer (BADAUTHORIZER: expired or unknown ticket, or wrong key)", 13);
            case Tags.RESETSESSION -> {
                connectSeq = 0;
                sendConnect();
            }
            case Tags.RETRY_GLOBAL -> {
                globalSeq = p.globalSeqs().applyAsLong(r.globalSeq());
                sendConnect();
            }
            case Tags.RETRY_SESSION -> {
                if (r.connectSeq() <= connectSeq) {
                    throw new ConnectionException(who + " asked to RETRY_SESSION with connect_seq " + r.connectSeq()
                            + " not above ours " + connectSeq);
                }
                connectSeq = r.connectSeq();
                sendConnect();
            }
            case Tags.WAIT -> throw new ConnectionException(who + " asked us to WAIT (connection race); retry");
            case Tags.SEQ, Tags.READY -> {
                if (r.tag() == Tags.SEQ) {
                    write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(inSeq).array());
                }
                opened(r);
            }
            default -> throw new ConnectionException(who + " answered connect with " + Tags.name(r.tag()));
        }
    }

    private void opened(V1Codec.ConnectReply r) throws AuthenticationException, ConnectionException {
        if (p.auth() != null && p.auth().method() == 2 && r.authorizerReply().length == 0) {
            throw new AuthenticationException(p.self(), p.target() + " (msgr1)",
                    "the peer accepted us without proving it holds the ticket key (empty authorizer reply)", 0);
        }
        features = r.features() & p.features();
        connectSeq++;
        reader.features(features);
        byte[] key = p.auth() == null ? null : p.auth().sessionKey();
        if (p.signMessages() && key != null && key.length > 0 && CephFeature.MSG_AUTH.isIn(features)) {
            signer = new MessageSigner(p.auth().sessionKeyType(), key, features);
            reader.signer(signer);
        }
        startKeepalive();
        if (p.monAuth() != null) {
            state = State.MON_AUTH;
            send0(p.monAuth().firstRequest(globalId));
        } else {
            becomeReady();
        }
    }

    private void becomeReady() {
        state = State.READY;
        handshakeTimer.cancel(false);
        ready.complete(this);
    }

    // ---- open session --------------------------------------------------------------------------

    private void onEvent(V1Reader.Event e) throws AuthenticationException, ConnectionException {
        if (e instanceof V1Reader.Msg m) {
            try {
                onMessage(m.message());
            } finally {
                m.message().data().release(); // a view of the receive buffer: valid during the listener only
            }
        } else if (e instanceof V1Reader.Keepalive2 k) {
            write(V1Codec.keepalive2(Tags.KEEPALIVE2_ACK, k.sec(), k.nsec()));
        } else if (e instanceof V1Reader.Close) {
            throw new ConnectionException(p.target() + " (msgr1) closed the session (CLOSE)");
        }
        // ACK, KEEPALIVE, KEEPALIVE2_ACK: liveness only; a lossy session keeps nothing to trim
    }

    private void onMessage(Message m) throws AuthenticationException, ConnectionException {
        if (m.seq() <= inSeq) {
            return; // already delivered
        }
        inSeq = m.seq();
        if (state == State.MON_AUTH) {
            if (!MessageType.AUTH_REPLY.is(m.type())) {
                return; // nothing else is meant for an unauthenticated session
            }
            MonAuthV1.Step step = p.monAuth().onReply(m, p.self(), p.target() + " (msgr1)");
            globalId = step.globalId();
            if (step.next() != null) {
                send0(step.next());
            } else {
                becomeReady();
            }
            return;
        }
        p.listener().accept(m);
    }

    private void sendAckIfNeeded() {
        if ((state == State.READY || state == State.MON_AUTH) && inSeq > ackedIn) {
            ackedIn = inSeq;
            write(V1Codec.ack(inSeq));
        }
    }

    private void startKeepalive() {
        long every = p.keepaliveInterval().toMillis();
        keepaliveTimer = ctx.executor().scheduleAtFixedRate(() -> {
            if (state != State.READY && state != State.MON_AUTH) {
                return;
            }
            long idle = System.nanoTime() - lastRxNanos;
            if (idle > p.keepaliveTimeout().toNanos()) {
                fail(new ConnectionException(p.target() + " (msgr1) silent for " + idle / 1_000_000
                        + " ms (keepalive timeout)"));
                return;
            }
            long now = System.currentTimeMillis();
            write(V1Codec.keepalive2(Tags.KEEPALIVE2, now / 1000, (now % 1000) * 1_000_000));
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Writes one message on the event loop: tag, header, the payload parts as they are, footer. */
    private CompletableFuture<Void> send0(Message m) {
        long seq = ++outSeq;
        byte[] header = V1Codec.header(m, seq, EntityName.TYPE_CLIENT, globalId != 0 ? globalId : -1L);
        V1Codec.Crcs crcs = V1Codec.Crcs.of(m);
        boolean withSig = CephFeature.MSG_AUTH.isIn(features);
        long sig = 0;
        int flags = Tags.FOOTER_COMPLETE;
        if (signer != null) {
            int headerCrc = (int) V1Codec.H_CRC.getLong(Unpooled.wrappedBuffer(header), 0);
            sig = signer.sign(headerCrc, crcs, m.front().length, m.middle().length, m.dataLength(), seq);
            flags |= Tags.FOOTER_SIGNED;
        }
        byte[] footer = V1Codec.footer(crcs, sig, flags, withSig);
        ackedIn = inSeq;
        CompletableFuture<Void> done = new CompletableFuture<>();
        // The parts go out as they are (their crcs were computed in place): components, not copies.
        CompositeByteBuf wire = Unpooled.compositeBuffer(6);
        wire.addComponent(true, Unpooled.wrappedBuffer(new byte[] {Tags.MSG}));
        wire.addComponent(true, Unpooled.wrappedBuffer(header));
        wire.addComponent(true, Unpooled.wrappedBuffer(m.front()));
        wire.addComponent(true, Unpooled.wrappedBuffer(m.middle()));
        wire.addComponent(true, m.data().retainedDuplicate());
        wire.addComponent(true, Unpooled.wrappedBuffer(footer));
        org.jceph.messenger.internal.SendCopies.Copy copy = org.jceph.messenger.internal.SendCopies.prepare(wire);
        ctx.writeAndFlush(copy.wire()).addListener(w -> {
                    copy.recycle();
                    if (w.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(new ConnectionException("write to " + p.target() + " failed",
                                w.cause()));
                    }
                });
        return done;
    }

    // ---- Connection ----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> send(Message m) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.channel().eventLoop().execute(() -> {
            if (state != State.READY) {
                done.completeExceptionally(new ConnectionException("connection to " + p.target() + " (msgr1) is " + state));
                return;
            }
            send0(m).whenComplete((ok, err) -> {
                if (err != null) {
                    done.completeExceptionally(err);
                } else {
                    done.complete(null);
                }
            });
        });
        return done;
    }

    @Override
    public EntityAddr peerAddress() {
        return p.target();
    }

    /** msgr1 has no modes; its messages are crc-checked (and signed towards services), so CRC. */
    @Override
    public ConnectionMode mode() {
        return ConnectionMode.CRC;
    }

    @Override
    public int protocolVersion() {
        return 1;
    }

    @Override
    public long globalId() {
        return p.monAuth() != null ? globalId : 0;
    }

    @Override
    public long features() {
        return features;
    }

    @Override
    public org.jceph.messenger.internal.cephx.CephxMonClient cephxMonClient() {
        return p.monAuth() == null ? null : p.monAuth().cephx();
    }

    @Override
    public Map<Integer, ServiceTicket> serviceTickets() {
        return p.monAuth() == null ? Map.of() : p.monAuth().serviceTickets();
    }

    /** Whether footers are signed and checked on this session (cephx towards a service, MSG_AUTH shared). */
    public boolean signing() {
        return signer != null;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        if (ctx == null) {
            return;
        }
        ctx.channel().eventLoop().execute(() -> {
            if (state != State.CLOSED) {
                if (state == State.READY) {
                    write(new byte[] {Tags.CLOSE});
                }
                state = State.CLOSED;
                cancelTimers();
                ready.completeExceptionally(new ConnectionException("closed"));
                closed.complete(null);
                ctx.close();
            }
        });
    }

    @Override
    public String toString() {
        return "msgr1 connection to " + p.target() + " [" + state + (signer == null ? "" : ", signed") + "]";
    }
}
