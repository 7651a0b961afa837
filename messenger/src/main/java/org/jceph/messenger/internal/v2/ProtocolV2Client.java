package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.encoding.CephFeature;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.internal.Buffers;
import org.jceph.messenger.internal.cephx.CephxCrypto;
import org.jceph.messenger.internal.cephx.CephxException;
import org.jceph.messenger.internal.compress.CompressionAlgorithm;
import org.jceph.messenger.internal.compress.CompressionSettings;
import org.jceph.messenger.internal.compress.SegmentCodec;
import org.jceph.messenger.v2.ConnectionMode;

/**
 * The client side of one msgr2 connection, revision 1 (or 0 with ms_jceph_msgr2_rev0: crc frames
 * without the inline segment-0 crc, 17-byte epilogue) (src/msg/async/ProtocolV2.cc; linux
 * net/ceph/messenger_v2.c), as a Netty handler. All state is touched on the channel's event loop.
 *
 * <pre>
 *   BANNER --peer banner--> HELLO --HELLO--> AUTH --AUTH_REPLY_MORE--> AUTH (again)
 *                                             |--AUTH_DONE--> SIGNATURE --AUTH_SIGNATURE ok--> IDENT
 *                                             '--AUTH_BAD_METHOD--> failed
 *   SIGNATURE --AUTH_SIGNATURE ok, both banners have COMPRESSION--> COMPRESSION --COMPRESSION_DONE--> IDENT
 *   IDENT --SERVER_IDENT--> READY (MESSAGE, ACK, KEEPALIVE2, KEEPALIVE2_ACK)
 *         --IDENT_MISSING_FEATURES / WAIT--> failed (lossy: the owner reconnects)
 * </pre>
 * From the first banner byte until AUTH_DONE every byte sent and received is logged; AUTH_SIGNATURE
 * is HMAC-SHA256(session key, log), sent over what we received and checked over what we sent.
 *
 * <p>Why ~630 lines (over the project's ~600): the state machine above, one handler per state, over
 * one channel's state; frames, crypto and the structs are already in their own classes.
 */
public final class ProtocolV2Client extends ChannelInboundHandlerAdapter implements Connection,
        org.jceph.messenger.internal.cephx.CephxHolder {
    enum State { BANNER, HELLO, AUTH, SIGNATURE, COMPRESSION, IDENT, READY, CLOSED }

    private static final PackedLayout H2 = CephStructs.CEPH_MSG_HEADER2;
    private static final PackedField H2_SEQ = H2.at("seq");
    private static final PackedField H2_TID = H2.at("tid");
    private static final PackedField H2_TYPE = H2.at("type");
    private static final PackedField H2_PRIORITY = H2.at("priority");
    private static final PackedField H2_VERSION = H2.at("version");
    private static final PackedField H2_DATA_PRE_PADDING = H2.at("data_pre_padding_len");
    private static final PackedField H2_DATA_OFF = H2.at("data_off");
    private static final PackedField H2_ACK_SEQ = H2.at("ack_seq");
    private static final PackedField H2_FLAGS = H2.at("flags");
    private static final PackedField H2_COMPAT = H2.at("compat_version");
    /** Footer flags copied into header2 as librados does: COMPLETE (1) | NOCRC (2), the frame carries the CRCs. */
    private static final int MSG_FLAGS = 0x03;
    private static final int MSG_CONNECT_LOSSY = 1;

    /** Everything needed to open one connection. */
    public record Params(EntityAddr target, int peerType, EntityName self, ClientAuth auth,
                         List<ConnectionMode> modes, long globalSeq, long nonce, long cookie,
                         Duration handshakeTimeout, Duration keepaliveInterval, Duration keepaliveTimeout,
                         Consumer<Message> listener, boolean rev0, CompressionSettings compression) {
        /** Without on-wire compression (never asked for; granted only if the peer insists). */
        public Params(EntityAddr target, int peerType, EntityName self, ClientAuth auth,
                      List<ConnectionMode> modes, long globalSeq, long nonce, long cookie,
                      Duration handshakeTimeout, Duration keepaliveInterval, Duration keepaliveTimeout,
                      Consumer<Message> listener, boolean rev0) {
            this(target, peerType, self, auth, modes, globalSeq, nonce, cookie, handshakeTimeout, keepaliveInterval,
                    keepaliveTimeout, listener, rev0, CompressionSettings.NONE);
        }

        /** An msgr2.1 connection (REVISION_1 advertised). */
        public Params(EntityAddr target, int peerType, EntityName self, ClientAuth auth,
                      List<ConnectionMode> modes, long globalSeq, long nonce, long cookie,
                      Duration handshakeTimeout, Duration keepaliveInterval, Duration keepaliveTimeout,
                      Consumer<Message> listener) {
            this(target, peerType, self, auth, modes, globalSeq, nonce, cookie, handshakeTimeout, keepaliveInterval,
                    keepaliveTimeout, listener, false);
        }
    }

    private final Params p;
    private final CompletableFuture<Connection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final FrameReader reader = new FrameReader();
    private final FrameWriter writer = new FrameWriter();
    private ByteArrayOutputStream txLog = new ByteArrayOutputStream();
    private ByteArrayOutputStream rxLog = new ByteArrayOutputStream();
    private byte[] txLogFinal; // what we sent before AUTH_DONE: the server's signature covers it
    private ChannelHandlerContext ctx;
    private CompositeByteBuf cumulation;
    private State state = State.BANNER;
    private EntityAddr myAddr;
    private long globalId;
    private ConnectionMode mode;
    private long features;
    private boolean rev1 = true;
    private long peerBannerFeatures;
    private CompressionAlgorithm compression = CompressionAlgorithm.NONE;
    private long outSeq;
    private long inSeq;
    /** Sends handed to the event loop and not yet written there (see {@link #sendNow}). */
    private final java.util.concurrent.atomic.AtomicInteger queuedSends = new java.util.concurrent.atomic.AtomicInteger();
    private long lastRxNanos;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> keepaliveTimer;

    public ProtocolV2Client(Params params) {
        this.p = params;
        reader.captureWire(true);
    }

    /** Completes when the session is open (after SERVER_IDENT), or fails with the reason. */
    public CompletableFuture<Connection> readyFuture() {
        return ready;
    }

    // ---- Netty plumbing ------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
        this.cumulation = Buffers.cumulation(c.alloc());
        // Added before the TCP connect starts: one deadline covers connect, banner, auth and ident.
        handshakeTimer = c.executor().schedule(() -> fail(new ConnectionException("connecting to " + p.target()
                + " did not finish within " + p.handshakeTimeout().toMillis() + " ms (stuck in " + state + ")")),
                p.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext c) {
        lastRxNanos = System.nanoTime();
        // rev0 (ms_jceph_msgr2_rev0): advertise no REVISION_1, so the peer falls back to msgr2.0 frames.
        // COMPRESSION is supported (as librados does, whatever the policy) but never required.
        write(new Banner(ourFeatures(), p.rev0() ? 0 : Banner.FEATURE_REVISION_1).encode());
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
            // No standalone ACK: our sessions are lossy, and on a lossy session ProtocolV2 keeps no
            // sent messages to trim and never sends or needs one (handle_message counts ack_left
            // only for lossless policies). The seq we have seen rides in each MESSAGE header.
        } catch (AuthenticationException | ConnectionException e) {
            fail(e);
        } catch (DecodeException | CephxException | IllegalStateException | IllegalArgumentException e) {
            fail(new ConnectionException("protocol error from " + p.target() + " in state " + state + ": "
                    + e.getMessage(), e));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        fail(new ConnectionException("connection to " + p.target() + " closed by peer in state " + state));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        fail(new ConnectionException("I/O error on " + p.target() + " in state " + state + ": " + cause, cause));
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
        if (txLog != null) {
            txLog.writeBytes(bytes);
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    private void sendFrame(Tag tag, byte[]... segments) {
        write(writer.frame(tag, segments));
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

    // ---- the state machine ---------------------------------------------------------------------

    private void process() throws AuthenticationException, ConnectionException {
        if (state == State.BANNER) {
            int len = Banner.wireLength(cumulation);
            if (len < 0) {
                return;
            }
            byte[] raw = new byte[len];
            cumulation.getBytes(cumulation.readerIndex(), raw);
            rxLog.writeBytes(raw);
            Banner peer = Banner.read(cumulation);
            reader.advanceStreamOffset(len);
            long ours = ourFeatures();
            peerBannerFeatures = peer.supported();
            if ((peer.required() & ~ours) != 0) {
                throw new ConnectionException(p.target() + " requires msgr2 features 0x"
                        + Long.toHexString(peer.required() & ~ours) + " we " + (p.rev0()
                        ? "do not advertise (ms_jceph_msgr2_rev0 is set)" : "lack"));
            }
            // Both sides use the revision both advertise: msgr2.0 unless both have REVISION_1.
            rev1 = (peer.supported() & ours & Banner.FEATURE_REVISION_1) != 0;
            if (!rev1) {
                if (p.modes().contains(ConnectionMode.SECURE) && !p.modes().contains(ConnectionMode.CRC)) {
                    throw new ConnectionException(p.target() + " speaks msgr2.0 only, where jceph implements crc mode"
                            + " only, and secure mode alone was requested");
                }
                reader.rev0(true);
                writer.rev0(true);
            }
            sendFrame(Tag.HELLO, new ControlFrames.Hello(EntityName.TYPE_CLIENT, p.target()).encode());
            state = State.HELLO;
        }
        Frame f;
        while (state != State.CLOSED && (f = reader.next(cumulation)) != null) {
            if (rxLog != null && reader.lastWire() != null) {
                rxLog.writeBytes(reader.lastWire());
            }
            try {
                handle(f);
            } finally {
                f.release(); // a delivered message's data is a view of this frame: valid during the listener only
            }
        }
    }

    private long ourFeatures() {
        return p.rev0() ? 0 : Banner.FEATURE_REVISION_1 | Banner.FEATURE_COMPRESSION;
    }

    private void handle(Frame f) throws AuthenticationException, ConnectionException {
        switch (state) {
            case HELLO -> onHello(f);
            case AUTH -> onAuth(f);
            case SIGNATURE -> onSignature(f);
            case COMPRESSION -> onCompressionDone(f);
            case IDENT -> onIdent(f);
            case READY -> onReady(f);
            default -> throw new ConnectionException("unexpected " + f.tag() + " in state " + state);
        }
    }

    private void expect(Frame f, Tag tag) throws ConnectionException {
        if (f.tag() != tag) {
            throw new ConnectionException("expected " + tag + " from " + p.target() + ", got " + f.tag());
        }
    }

    private void onHello(Frame f) throws ConnectionException {
        expect(f, Tag.HELLO);
        ControlFrames.Hello h = ControlFrames.Hello.decode(f.payload());
        if (h.entityType() != p.peerType()) {
            throw new ConnectionException(p.target() + " is a " + EntityName.typeName(h.entityType())
                    + ", expected a " + EntityName.typeName(p.peerType()));
        }
        // Our address as the peer sees it; port 0 and our nonce, type ANY (as the kernel client sends).
        InetSocketAddress seen = h.peerAddr().socketAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        myAddr = EntityAddr.of(EntityAddr.TYPE_ANY, p.nonce(),
                new InetSocketAddress(seen != null ? seen.getAddress() : local.getAddress(), 0));
        List<Integer> modes = p.modes().stream().filter(m -> rev1 || m == ConnectionMode.CRC).map(m -> m.code).toList();
        sendFrame(Tag.AUTH_REQUEST, ControlFrames.authRequest(p.auth().method(), modes, p.auth().initialRequest()));
        state = State.AUTH;
    }

    private void onAuth(Frame f) throws AuthenticationException, ConnectionException {
        switch (f.tag()) {
            case AUTH_REPLY_MORE -> {
                byte[] more = ControlFrames.readBlob(f.payload(), "AUTH_REPLY_MORE");
                sendFrame(Tag.AUTH_REQUEST_MORE, ControlFrames.blob(p.auth().handleMore(more)));
            }
            case AUTH_BAD_METHOD -> {
                ControlFrames.AuthBadMethod b = ControlFrames.AuthBadMethod.decode(f.payload());
                throw new AuthenticationException(p.self(), p.target().toString(), describeAuthError(b),
                        -b.result());
            }
            case AUTH_DONE -> {
                ControlFrames.AuthDone d = ControlFrames.AuthDone.decode(f.payload());
                try {
                    p.auth().handleDone(d.globalId(), d.payload());
                } catch (CephxException e) {
                    throw new AuthenticationException(p.self(), p.target().toString(), e.getMessage(), 0);
                }
                globalId = d.globalId();
                mode = ConnectionMode.of(d.conMode());
                if (!p.modes().contains(mode) || (!rev1 && mode != ConnectionMode.CRC)) {
                    throw new ConnectionException(p.target() + " chose mode " + mode + ", we offered " + p.modes());
                }
                byte[] rx = rxLog.toByteArray();
                byte[] key = p.auth().sessionKey();
                txLogFinal = txLog.toByteArray();
                rxLog = null;
                txLog = null;
                reader.captureWire(false);
                if (mode == ConnectionMode.SECURE) {
                    GcmCipher[] pair = GcmCipher.clientPair(p.auth().connectionSecret());
                    reader.secure(pair[0]);
                    writer.secure(pair[1]);
                }
                sendFrame(Tag.AUTH_SIGNATURE, signature(key, rx));
                state = State.SIGNATURE;
            }
            default -> throw new ConnectionException("unexpected " + f.tag() + " during authentication");
        }
    }

    private static byte[] signature(byte[] key, byte[] log) {
        return key == null || key.length == 0 ? new byte[32] : CephxCrypto.hmacSha256(key, log);
    }

    private String describeAuthError(ControlFrames.AuthBadMethod b) {
        List<Long> ours = p.modes().stream().map(m -> (long) m.code).toList();
        if (b.allowedModes().stream().noneMatch(ours::contains)) {
            return "no common connection mode: we offered " + p.modes() + ", the server allows "
                    + b.allowedModes().stream().map(m -> m == 1 ? "CRC" : m == 2 ? "SECURE" : "mode " + m).toList()
                    + " (ms_mon_client_mode)";
        }
        String err = switch (-b.result()) {
            case 13 -> "permission denied (EACCES): wrong key, or no such entity";
            case 1 -> "operation not permitted (EPERM)";
            case 95 -> "auth method not supported (EOPNOTSUPP)";
            case 22 -> "invalid request (EINVAL)";
            default -> "error " + b.result();
        };
        return err + "; server allows methods " + b.allowedMethods() + " and modes " + b.allowedModes()
                + ", we tried method " + b.method();
    }

    private void onSignature(Frame f) throws AuthenticationException, ConnectionException {
        expect(f, Tag.AUTH_SIGNATURE);
        byte[] expected = signature(p.auth().sessionKey(), txLogFinal);
        txLogFinal = null;
        if (!CephxCrypto.constantTimeEquals(expected, f.payload())) {
            throw new AuthenticationException(p.self(), p.target().toString(),
                    "the server's AUTH_SIGNATURE does not match what we sent (tampered stream or rogue server)", 0);
        }
        if (rev1 && (peerBannerFeatures & ourFeatures() & Banner.FEATURE_COMPRESSION) != 0) {
            // ProtocolV2::send_compression_request: whenever both banners have COMPRESSION, asking
            // or not (is_compress false towards monitors and whenever the mode is none).
            boolean want = p.compression().wants(p.peerType(), mode == ConnectionMode.SECURE);
            List<Integer> methods = p.compression().methodsFor(p.peerType()).stream().map(a -> a.id).toList();
            sendFrame(Tag.COMPRESSION_REQUEST, ControlFrames.compressionRequest(want, methods));
            state = State.COMPRESSION;
            return;
        }
        sendClientIdent();
    }

    private void onCompressionDone(Frame f) throws ConnectionException {
        expect(f, Tag.COMPRESSION_DONE);
        ControlFrames.CompressionDone d = ControlFrames.CompressionDone.decode(f.payload());
        // is_compress with method none: what a Ceph OSD in force mode answers when no method is
        // common (pick_method found none); Ceph then creates no handlers, so neither side compresses.
        if (d.compress() && d.method() != CompressionAlgorithm.NONE.id) {
            CompressionAlgorithm a = CompressionAlgorithm.of(d.method());
            if (a == null || !a.supported()) {
                throw new ConnectionException(p.target() + " chose compression method " + d.method()
                        + (a == null ? "" : " (" + a.cephName + ")") + ", which jceph does not implement");
            }
            SegmentCodec codec = SegmentCodec.of(a);
            reader.decompression(codec);
            writer.compression(codec, p.compression().minSize());
            compression = a;
        }
        sendClientIdent();
    }

    private void sendClientIdent() {
        ControlFrames.ClientIdent ident = new ControlFrames.ClientIdent(EntityAddrVec.of(myAddr), p.target(),
                globalId, p.globalSeq(), CephFeature.CLIENT_SUPPORTED, CephFeature.MSG_ADDR2.fullMask(), MSG_CONNECT_LOSSY,
                p.cookie());
        sendFrame(Tag.CLIENT_IDENT, ident.encode());
        state = State.IDENT;
    }

    private void onIdent(Frame f) throws ConnectionException {
        switch (f.tag()) {
            case SERVER_IDENT -> {
                ControlFrames.ServerIdent s = ControlFrames.ServerIdent.decode(f.payload());
                if (!s.addrs().addrs().contains(p.target())) {
                    throw new ConnectionException("peer identifies as " + s.addrs() + ", not " + p.target()
                            + " (stale address?)");
                }
                if ((s.required() & ~CephFeature.CLIENT_SUPPORTED) != 0) {
                    throw new ConnectionException(p.target() + " requires features "
                            + hex(s.required() & ~CephFeature.CLIENT_SUPPORTED) + " we lack");
                }
                features = s.supported() & CephFeature.CLIENT_SUPPORTED;
                state = State.READY;
                handshakeTimer.cancel(false);
                startKeepalive();
                ready.complete(this);
            }
            case IDENT_MISSING_FEATURES -> throw new ConnectionException(p.target()
                    + " refused the session: we lack features "
                    + hex(ControlFrames.readU64(f.payload(), "IDENT_MISSING_FEATURES")));
            case WAIT -> throw new ConnectionException(p.target() + " asked us to WAIT (connection race); retry");
            default -> throw new ConnectionException("unexpected " + f.tag() + " while identifying");
        }
    }

    private void onReady(Frame f) throws ConnectionException {
        switch (f.tag()) {
            case MESSAGE -> onMessage(f);
            case KEEPALIVE2 -> sendFrame(Tag.KEEPALIVE2_ACK, f.payload());
            case KEEPALIVE2_ACK, ACK -> {
                // liveness only: lossy sessions keep nothing to trim
            }
            default -> throw new ConnectionException("unexpected " + f.tag() + " on an open session");
        }
    }

    private void onMessage(Frame f) throws ConnectionException {
        ByteBuf hb = f.buf(0);
        if (hb.readableBytes() != H2.size()) {
            throw new ConnectionException("MESSAGE header of " + hb.readableBytes() + " bytes, expected " + H2.size());
        }
        int h = hb.readerIndex();
        long seq = H2_SEQ.getLong(hb, h);
        if (seq <= inSeq) {
            return; // duplicate of one we already delivered
        }
        // A gap (seq > inSeq + 1) is delivered anyway, as ProtocolV2 does unless
        // ms_die_on_skipped_message is set: on a lossy session the owner's timeouts cover the loss.
        inSeq = seq;
        Message m = new Message((int) H2_TYPE.getLong(hb, h), (int) H2_VERSION.getLong(hb, h),
                (int) H2_COMPAT.getLong(hb, h), (int) H2_PRIORITY.getLong(hb, h),
                H2_TID.getLong(hb, h), seq, f.segment(1), f.segment(2), f.buf(3));
        p.listener().accept(m); // the caller (process) releases the frame, hence m.data(), afterwards
    }

    private static String hex(long features) {
        return "0x" + Long.toHexString(features);
    }

    private void startKeepalive() {
        long every = p.keepaliveInterval().toMillis();
        keepaliveTimer = ctx.executor().scheduleAtFixedRate(() -> {
            if (state != State.READY) {
                return;
            }
            long idle = System.nanoTime() - lastRxNanos;
            if (idle > p.keepaliveTimeout().toNanos()) {
                fail(new ConnectionException(p.target() + " silent for " + idle / 1_000_000
                        + " ms (keepalive timeout)"));
                return;
            }
            long now = System.currentTimeMillis();
            sendFrame(Tag.KEEPALIVE2, ControlFrames.write(e -> e.writeU32Le(now / 1000)
                    .writeU32Le((now % 1000) * 1_000_000)));
        }, every, every, TimeUnit.MILLISECONDS);
    }

    // ---- Connection ----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> send(Message m) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = ctx.channel();
        queuedSends.incrementAndGet();
        try {
            ch.eventLoop().execute(() -> sendNow(m, done));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queuedSends.decrementAndGet();
            throw e;
        }
        return done;
    }

    /**
     * On the event loop: frames {@code m} and writes it; flushes (one write system call for all the
     * frames written since the last flush) only when no other send is queued behind this one, so a
     * burst of sends from the objecter leaves in one write instead of one each.
     */
    private void sendNow(Message m, CompletableFuture<Void> done) {
        boolean last = queuedSends.decrementAndGet() == 0;
        try {
            writeMessage(m, done);
        } catch (RuntimeException e) { // a message we cannot frame fails its own send, not the loop
            done.completeExceptionally(new ConnectionException("could not send to " + p.target() + ": " + e, e));
        } finally {
            if (last) {
                ctx.flush(); // this frame and those the sends queued before it wrote
            }
        }
    }

    private void writeMessage(Message m, CompletableFuture<Void> done) {
        if (state != State.READY) {
            done.completeExceptionally(new ConnectionException("connection to " + p.target() + " is " + state));
            return;
        }
        long seq = ++outSeq;
        ByteBuf header = org.jceph.encoding.CephEncoder.heapBuffer(H2.size()).writeZero(H2.size());
        H2_SEQ.setLong(header, 0, seq);
        H2_TID.setLong(header, 0, m.tid());
        H2_TYPE.setLong(header, 0, m.type());
        H2_PRIORITY.setLong(header, 0, m.priority());
        H2_VERSION.setLong(header, 0, m.version());
        H2_DATA_PRE_PADDING.setLong(header, 0, 0);
        H2_DATA_OFF.setLong(header, 0, 0);
        H2_ACK_SEQ.setLong(header, 0, inSeq);
        H2_FLAGS.setLong(header, 0, MSG_FLAGS);
        H2_COMPAT.setLong(header, 0, m.compatVersion());
        // A small frame is written once into one buffer of the channel's allocator (the socket
        // would have copied a composite into direct memory anyway); a large one's front, middle and
        // data go out as they are: components of the frame, not copies
        ByteBuf frame = writer.encodeSmall(ctx.alloc(), Tag.MESSAGE, header, Unpooled.wrappedBuffer(m.front()),
                Unpooled.wrappedBuffer(m.middle()), m.data());
        // a large frame's heap bytes are copied once into reused direct memory (not a fresh one per frame)
        org.jceph.messenger.internal.SendCopies.Copy copy = org.jceph.messenger.internal.SendCopies.prepare(frame);
        ctx.write(copy.wire()).addListener(w -> {
            copy.recycle();
            if (w.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new ConnectionException("write to " + p.target() + " failed", w.cause()));
            }
        });
    }

    @Override
    public EntityAddr peerAddress() {
        return p.target();
    }

    @Override
    public ConnectionMode mode() {
        return mode;
    }

    public org.jceph.messenger.internal.cephx.CephxMonClient cephxMonClient() {
        return p.auth() instanceof org.jceph.messenger.internal.cephx.CephxMonAuth monAuth ? monAuth.cephx() : null;
    }

    @Override
        public java.util.Map<Integer, org.jceph.messenger.auth.ServiceTicket> serviceTickets() {
        if (!(p.auth() instanceof org.jceph.messenger.internal.cephx.CephxMonAuth monAuth)) {
            return java.util.Map.of();
        }
        java.util.Map<Integer, org.jceph.messenger.auth.ServiceTicket> out = new java.util.TreeMap<>();
        monAuth.cephx().tickets().forEach((service, t) -> out.put(service, new org.jceph.messenger.auth.ServiceTicket(
                t.serviceId(), t.sessionKey(), t.validity(), t.secretId(), t.blob(), t.keyType())));
        return out;
    }

    @Override
    public long globalId() {
        return globalId;
    }

    @Override
    public long features() {
        return features;
    }

    @Override
    public String compression() {
        return compression.cephName;
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
        return (rev1 ? "msgr2.1" : "msgr2.0") + " connection to " + p.target() + " [" + state + (mode == null ? "" : ", " + mode)
                + (compression == CompressionAlgorithm.NONE ? "" : ", " + compression.cephName) + "]";
    }
}
