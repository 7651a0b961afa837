package org.jceph.messenger.tools;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jceph.messenger.Connection;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.internal.cephx.CephxMonAuth;
import org.jceph.messenger.internal.cephx.CephxMonClient;
import org.jceph.messenger.internal.v2.ProtocolV2Client;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.messenger.v2.ConnectionMode;

/**
 * Records both directions of one of our msgr2 sessions with a live monitor, as the bytes crossed
 * the socket: banner, handshake, MMonGetMap → MMonMap, MMonSubscribe(osdmap) → MOSDMap.
 *
 * <pre>
 *   java -cp ... org.jceph.messenger.tools.CaptureMonSession CEPH_CONF MODE OUT_PREFIX
 * </pre>
 * writes OUT_PREFIX-server.bin (mon → client) and OUT_PREFIX-client.bin (client → mon); in secure
 * mode also OUT_PREFIX-secret.hex, the connection secret needed to decrypt the frames after AUTH_DONE.
 * Only for throwaway clusters: the captures hold tickets encrypted under that cluster's keys.
 */
public final class CaptureMonSession {
    public static void main(String[] args) throws Exception {
        CephConfig cfg = CephConfig.builder().environment(Map.of()).confFile(Path.of(args[0])).build();
        ConnectionMode mode = ConnectionMode.parse(args[1]);
        EntityAddr target = cfg.monHosts().get(0).first(EntityAddr.TYPE_MSGR2);
        ByteArrayOutputStream rx = new ByteArrayOutputStream();
        ByteArrayOutputStream tx = new ByteArrayOutputStream();
        CompletableFuture<Void> gotOsdMap = new CompletableFuture<>();
        CompletableFuture<Void> gotMonMap = new CompletableFuture<>();
        SecureRandom random = new SecureRandom();
        CephxMonAuth auth = new CephxMonAuth(new CephxMonClient(cfg.name(), cfg.secret(), 0, random));
        ProtocolV2Client client = new ProtocolV2Client(new ProtocolV2Client.Params(target, EntityName.TYPE_MON,
                cfg.name(), auth, List.of(mode), 1, 12345, 1, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(120), (Message m) -> {
                    if (m.type() == MessageType.MON_MAP.number()) {
                        gotMonMap.complete(null);
                    } else if (m.type() == MessageType.OSD_MAP.number()) {
                        gotOsdMap.complete(null);
                    }
                }));
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Tap(rx, tx), client);
                }
            }).connect(target.socketAddress()).sync();
            Connection c = client.readyFuture().get(10, TimeUnit.SECONDS);
            c.send(MonMessages.getMonMap());
            gotMonMap.get(10, TimeUnit.SECONDS);
            c.send(MonMessages.subscribe(Map.of("osdmap", new long[] {0, 0}), "jceph-capture"));
            gotOsdMap.get(10, TimeUnit.SECONDS);
            Thread.sleep(200); // let our ACK go out
            c.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        Files.write(Path.of(args[2] + "-server.bin"), rx.toByteArray());
        Files.write(Path.of(args[2] + "-client.bin"), tx.toByteArray());
        if (mode == ConnectionMode.SECURE) {
            Files.writeString(Path.of(args[2] + "-secret.hex"), HexFormat.of().formatHex(auth.connectionSecret()) + "\n");
        }
        System.out.println("captured " + rx.size() + " bytes from " + target + ", " + tx.size() + " bytes to it");
    }

    private static final class Tap extends ChannelDuplexHandler {
        private final ByteArrayOutputStream rx;
        private final ByteArrayOutputStream tx;

        Tap(ByteArrayOutputStream rx, ByteArrayOutputStream tx) {
            this.rx = rx;
            this.tx = tx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            ByteBuf b = (ByteBuf) msg;
            synchronized (rx) {
                b.getBytes(b.readerIndex(), rx, b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            ByteBuf b = (ByteBuf) msg;
            synchronized (tx) {
                b.getBytes(b.readerIndex(), tx, b.readableBytes());
            }
            ctx.write(msg, promise);
        }
    }
}
