package org.jceph.messenger;

import org.jceph.encoding.types.EntityAddr;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.internal.cephx.CephxMonAuth;
import org.jceph.messenger.internal.cephx.CephxMonClient;
import org.jceph.messenger.internal.v1.MonAuthV1;
import org.jceph.messenger.internal.v1.NoneAuthorizer;
import org.jceph.messenger.internal.v1.ProtocolV1Client;
import org.jceph.messenger.internal.v2.AuthNone;
import org.jceph.messenger.internal.v2.ClientAuth;
import org.jceph.messenger.internal.v2.ProtocolV2Client;
import org.jceph.messenger.v2.ConnectionMode;

/**
 * Owns the I/O threads (Netty NIO, daemon threads) and the per-process connection counters
 * (global_seq, our address nonce). One per client instance; close it to stop the threads.
 */
public final class Messenger implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Messenger.class);
    private final EventLoopGroup group;
    private final AtomicLong globalSeq = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final long nonce;
    private final Duration keepaliveInterval;
    private final Duration keepaliveTimeout;
    private final boolean msgr2Rev0;
    private final boolean signMessages;
    private volatile java.nio.file.Path captureDir;
    private volatile org.jceph.messenger.internal.compress.CompressionSettings compression =
            org.jceph.messenger.internal.compress.CompressionSettings.NONE;
    private volatile long v1Features = org.jceph.encoding.CephFeature.CLIENT_SUPPORTED;
    private final AtomicLong captureSeq = new AtomicLong();

    public Messenger() {
        this(Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** Keepalive settings from {@code mon_client_ping_interval} / {@code mon_client_ping_timeout}. */
    public static Messenger forConfig(org.jceph.messenger.config.CephConfig config) {
        Messenger m = new Messenger(config.keepaliveInterval(), config.keepaliveTimeout(), config.msgr2Rev0(),
                config.cephxSignMessages());
        config.get("ms_jceph_capture_dir").filter(s -> !s.isBlank()).ifPresent(d -> m.captureTo(java.nio.file.Path.of(d)));
        m.v1Features = org.jceph.encoding.CephFeature.CLIENT_SUPPORTED & ~config.droppedFeatures();
        m.compression = config.onWireCompression();
        return m;
    }

    /**
     * Records the bytes of every later connection under {@code dir} ({@code ms_jceph_capture_dir}):
     * {@code N-TYPE-v1|v2-PORT-client.bin} and {@code -server.bin}. For debugging and fixtures, on
     * throwaway clusters only; null stops recording.
     */
    public void captureTo(java.nio.file.Path dir) {
        this.captureDir = dir;
    }

    /**
     * Socket reads grow (and shrink) with what arrives, up to 1 MiB a read: Netty's default stops
     * at 64 KiB, which made a 4 MiB reply 64 read calls and a 64-piece cumulation. With 1 MiB a
     * 4 MiB random-read bench took 0.7-0.8 ms less CPU per op (sys 9.2 s to 7.2 s in 20 s) and
     * ran 17-28 % faster (docs/BENCHMARKS.md, "Session 13"). Small replies keep small buffers:
     * the allocator only grows after reads that fill what it gave.
     */
    static final int MAX_READ = 1 << 20;

    /**
     * The connections' buffers come from a pool of their own with 16 MiB chunks (Netty's default
     * since 4.1.76 is 4 MiB; it was 16 MiB before). With 4 MiB chunks, 4 MiB replies held until
     * their reader is done (read views) kept emptying and refilling the pool: each new chunk is
     * zeroed and faulted in afresh, 350k-900k page faults in a 32 GiB `rbd bench` read against
     * 60-66k with 16 MiB chunks, and 3-5 s more CPU (docs/BENCHMARKS.md, "Session 13"). An
     * explicit {@code -Dio.netty.allocator.maxOrder} is honoured.
     */
    static final ByteBufAllocator ALLOC = pool(Integer.getInteger("io.netty.allocator.directMemoryCacheAlignment", 64));

    /**
     * Large socket reads (a big reply's data) come from a pool whose buffers start on a page
     * ({@link org.jceph.messenger.internal.AlignedReads}); the rest, {@link #ALLOC}, start on a
     * cache line (an explicit {@code -Dio.netty.allocator.directMemoryCacheAlignment} is honoured
     * there). Netty's pools otherwise hand out memory 16 bytes past a page, and the kernel's copy
     * of received bytes into such buffers ran at about half the speed (docs/BENCHMARKS.md,
     * "Session 14").
     */
    private static final ByteBufAllocator LARGE_READS = pool(4096);

    private static PooledByteBufAllocator pool(int alignment) {
        return new PooledByteBufAllocator(
                io.netty.util.internal.PlatformDependent.directBufferPreferred(),
                PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
                PooledByteBufAllocator.defaultPageSize(),
                System.getProperty("io.netty.allocator.maxOrder") != null ? PooledByteBufAllocator.defaultMaxOrder() : 11,
                PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
                PooledByteBufAllocator.defaultUseCacheForAllThreads(),
                PooledByteBufAllocator.isDirectMemoryCacheAlignmentSupported() ? alignment : 0);
    }

    static final io.netty.channel.RecvByteBufAllocator RECV = new org.jceph.messenger.internal.AlignedReads(
            new io.netty.channel.AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ), LARGE_READS);

    private io.netty.channel.ChannelHandler pipeline(EntityAddr target, int peerType, io.netty.channel.ChannelHandler h) {
        java.nio.file.Path dir = captureDir;
        if (dir == null) {
            return h;
        }
        String prefix = captureSeq.incrementAndGet() + "-" + EntityName.typeName(peerType) + "-"
                + EntityAddr.typeName(target.type()) + "-" + target.port();
        return new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
                ch.pipeline().addLast(new org.jceph.messenger.internal.WireCapture(dir.resolve(prefix)), h);
            }
        };
    }

    /**
     * @param keepaliveInterval how often to send KEEPALIVE2 (mon_client_ping_interval, 10 s)
     * @param keepaliveTimeout  silence after which the peer is declared dead (mon_client_ping_timeout, 30 s)
     */
    public Messenger(Duration keepaliveInterval, Duration keepaliveTimeout) {
        this(keepaliveInterval, keepaliveTimeout, false, true);
    }

    /**
     * @param msgr2Rev0    speak msgr2.0 frames (do not advertise REVISION_1; ms_jceph_msgr2_rev0)
     * @param signMessages sign and check msgr1 message footers with cephx (cephx_sign_messages)
     */
    public Messenger(Duration keepaliveInterval, Duration keepaliveTimeout, boolean msgr2Rev0, boolean signMessages) {
        this.msgr2Rev0 = msgr2Rev0;
        this.signMessages = signMessages;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("jceph-msgr", true));
        this.nonce = random.nextInt() & 0x7FFFFFFFL | 1;
        this.keepaliveInterval = keepaliveInterval;
        this.keepaliveTimeout = keepaliveTimeout;
    }

    /**
     * Opens a session to the monitor at {@code target}, authenticating {@code self} with cephx: msgr2
     * (2.1, or 2.0 with {@code ms_jceph_msgr2_rev0}) for a v2 address, msgr1 (authentication in
     * MAuth messages) for a v1 address. The future fails with {@link org.jceph.messenger.auth.AuthenticationException}
     * when the monitor refuses us, and with {@link ConnectionException} when the peer cannot be
     * reached or the handshake does not finish within {@code timeout}.
     *
     * @param key      the cephx secret of {@code self}, or null for {@code auth none}
     * @param modes    connection modes to offer, preferred first (ms_mon_client_mode)
     * @param listener receives every message, on the I/O thread; must not block, and must copy or
     *                 retain a message's data to keep it past the call (see {@link Connection})
     */
    public CompletableFuture<Connection> connectToMonitor(EntityAddr target, EntityName self, CryptoKey key,
                                                         List<ConnectionMode> modes, Duration timeout,
                                                         Consumer<Message> listener) {
        return connectToMonitor(target, self, key, modes, timeout, listener, null);
    }

    /**
     * As above, reconnecting after {@code previous} (may be null): its global id is reclaimed by
     * presenting its AUTH ticket, so the client keeps its identity (and the OSDs' duplicate-op
     * detection, keyed by client and tid, keeps working for resent ops).
     */
    public CompletableFuture<Connection> connectToMonitor(EntityAddr target, EntityName self, CryptoKey key,
                                                         List<ConnectionMode> modes, Duration timeout,
                                                         Consumer<Message> listener, Connection previous) {
        long previousId = previous == null ? 0 : previous.globalId();
        org.jceph.messenger.auth.ServiceTicket old = previous == null ? null
                : previous.serviceTickets().get(EntityName.TYPE_AUTH);
        CephxMonClient.Ticket oldAuth = old == null ? null
                : new CephxMonClient.Ticket(old.serviceId(), old.sessionKey(), old.validUntil(), old.secretId(), old.blob(),
                        old.sessionKeyType());
        if (target.type() == EntityAddr.TYPE_LEGACY) {
            CephxMonClient cephx = key == null ? null : new CephxMonClient(self, key, previousId, oldAuth, random);
            return connectV1(target, EntityName.TYPE_MON, self, null, new MonAuthV1(self, cephx), 0, timeout, listener);
        }
        if (target.type() != EntityAddr.TYPE_MSGR2) {
            return CompletableFuture.failedFuture(new ConnectionException(target
                    + " is neither a v2 nor a v1 address"));
        }
        ClientAuth auth = key == null ? new AuthNone(self)
                : new CephxMonAuth(new CephxMonClient(self, key, previousId, oldAuth, random));
        return connect(target, EntityName.TYPE_MON, self, auth, modes, timeout, listener);
    }

    /**
     * Opens a session to an OSD or MGR at {@code target} (msgr2 or msgr1 by its type), presenting {@code ticket} (from
     * {@link Connection#serviceTickets()} of the monitor session) as a cephx authorizer, or auth
     * none when {@code ticket} is null. Fails as {@link #connectToMonitor} does.
     */
    public CompletableFuture<Connection> connectToService(EntityAddr target, int peerType, EntityName self,
                                                         org.jceph.messenger.auth.ServiceTicket ticket, long globalId,
                                                         List<ConnectionMode> modes, Duration timeout,
                                                         Consumer<Message> listener) {
        if (target.type() == EntityAddr.TYPE_LEGACY) {
            ClientAuth v1auth = ticket == null ? new NoneAuthorizer(self, globalId)
                    : new org.jceph.messenger.internal.cephx.CephxAuthorizer(ticket, globalId, random);
            return connectV1(target, peerType, self, v1auth, null, globalId, timeout, listener);
        }
        if (target.type() != EntityAddr.TYPE_MSGR2) {
            return CompletableFuture.failedFuture(new ConnectionException(target
                    + " is neither a v2 nor a v1 address"));
        }
        ClientAuth auth = ticket == null ? new AuthNone(self)
                : new org.jceph.messenger.internal.cephx.CephxAuthorizer(ticket, globalId, random);
        return connect(target, peerType, self, auth, modes, timeout, listener);
    }

    private CompletableFuture<Connection> connect(EntityAddr target, int peerType, EntityName self, ClientAuth auth,
                                                  List<ConnectionMode> modes, Duration timeout,
                                                  Consumer<Message> listener) {
        long cookie = random.nextLong() | 1;
        ProtocolV2Client handler = new ProtocolV2Client(new ProtocolV2Client.Params(target, peerType,
                self, auth, List.copyOf(modes), globalSeq.incrementAndGet(), nonce, cookie, timeout,
                keepaliveInterval, keepaliveTimeout, listener, msgr2Rev0, compression));
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, RECV)
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .handler(pipeline(target, peerType, handler));
        b.connect(target.socketAddress()).addListener(f -> {
            if (!f.isSuccess()) {
                handler.readyFuture().completeExceptionally(new ConnectionException(
                        "cannot connect to " + target + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return logged(handler.readyFuture(), target, peerType);
    }

    /** Ceph's get_global_seq(old): at least one above both our counter and what the peer has seen. */
    private long nextGlobalSeq(long atLeast) {
        return globalSeq.updateAndGet(g -> Math.max(g, atLeast) + 1);
    }

    private CompletableFuture<Connection> connectV1(EntityAddr target, int peerType, EntityName self, ClientAuth auth,
                                                    MonAuthV1 monAuth, long globalId, Duration timeout,
                                                    Consumer<Message> listener) {
        ProtocolV1Client handler = new ProtocolV1Client(new ProtocolV1Client.Params(target, peerType, self, auth,
                monAuth, globalId, this::nextGlobalSeq, nonce, signMessages, v1Features, timeout, keepaliveInterval,
                keepaliveTimeout, listener));
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, RECV)
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .handler(pipeline(target, peerType, handler));
        b.connect(target.socketAddress()).addListener(f -> {
            if (!f.isSuccess()) {
                handler.readyFuture().completeExceptionally(new ConnectionException(
                        "cannot connect to " + target + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return logged(handler.readyFuture(), target, peerType);
    }

    /**
     * DEBUG lines for a connection's life: opened, failed to open, faulted. Their owners (the
     * monitor session, the Objecter) log what they do about a fault at INFO.
     */
    private static CompletableFuture<Connection> logged(CompletableFuture<Connection> ready, EntityAddr target,
                                                        int peerType) {
        if (!LOG.isDebugEnabled()) {
            return ready;
        }
        String peer = EntityName.typeName(peerType) + " at " + target;
        ready.whenComplete((c, err) -> {
            if (err != null) {
                LOG.debug("connecting to {} failed: {}", peer, err.toString());
                return;
            }
            LOG.debug("connected to {}", peer);
            c.closeFuture().whenComplete((ok, fault) -> {
                if (fault != null) {
                    LOG.debug("connection to {} faulted: {}", peer, fault.toString());
                } else {
                    LOG.debug("connection to {} closed", peer);
                }
            });
        });
        return ready;
    }

    /** Timers for owners of connections (reconnect backoff); tasks must not block. */
    public java.util.concurrent.ScheduledExecutorService scheduler() {
        return group;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
