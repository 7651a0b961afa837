package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.AuthenticationException;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.v1.V1FrameException;
import org.jceph.messenger.v2.ConnectionMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our msgr1 client against scripted peers on loopback: the reply tags and broken input. */
class FakeV1PeerTest {
    static final EntityName ADMIN = EntityName.client("admin");
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    Messenger messenger;
    ServerSocket server;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @BeforeEach
    void open() throws Exception {
        messenger = new Messenger();
        server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        messenger.close();
    }

    private EntityAddr target() {
        return EntityAddr.of(EntityAddr.TYPE_LEGACY, 0, new InetSocketAddress("127.0.0.1", server.getLocalPort()));
    }

    /** Accepts one connection, writes {@code script}, and records what the client sends until it hangs up. */
    private EntityAddr serve(byte[] script) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getOutputStream().write(script);
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                int c;
                while ((c = in.read()) >= 0) {
                    synchronized (received) {
                        received.write(c);
                    }
                }
            } catch (java.io.IOException e) {
                // the test is over
            }
        }, "fake-v1-peer");
        t.setDaemon(true);
        t.start();
        return target();
    }

    private byte[] hello() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(V1Codec.BANNER);
        b.writeBytes(V1Codec.legacyAddr(target()));
        b.writeBytes(V1Codec.legacyAddr(EntityAddr.of(EntityAddr.TYPE_LEGACY, 0, new InetSocketAddress("127.0.0.1", 40000))));
        return io.netty.buffer.ByteBufUtil.getBytes(b);
    }

    static byte[] reply(int tag, long features, long globalSeq, long connectSeq, byte[] auth) {
        ByteBuf b = Unpooled.buffer(26);
        b.setZero(0, 26);
        V1Codec.REPLY.at("tag").setLong(b, 0, tag);
        V1Codec.REPLY.at("features").setLong(b, 0, features);
        V1Codec.REPLY.at("global_seq").setLong(b, 0, globalSeq);
        V1Codec.REPLY.at("connect_seq").setLong(b, 0, connectSeq);
        V1Codec.REPLY.at("protocol_version").setLong(b, 0, 15);
        V1Codec.REPLY.at("authorizer_len").setLong(b, 0, auth.length);
        V1Codec.REPLY.at("flags").setLong(b, 0, Tags.CONNECT_LOSSY);
        b.writerIndex(26).writeBytes(auth);
        return io.netty.buffer.ByteBufUtil.getBytes(b);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private Throwable monFailure(byte[] script) {
        CompletableFuture<Connection> f = messenger.connectToMonitor(serve(script), ADMIN, null,
                List.of(ConnectionMode.CRC), TIMEOUT, m -> { });
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS));
        return e.getCause();
    }

    @Test
    void waitIsAFaultForALossyClient() {
        Throwable t = monFailure(concat(hello(), reply(Tags.WAIT, CephFeature.CLIENT_SUPPORTED, 0, 0, new byte[0])));
        assertInstanceOf(ConnectionException.class, t);
        assertTrue(t.getMessage().contains("WAIT"), t.getMessage());
    }

    @Test
    void featuresAndBadProtoVerAreClearErrors() {
        Throwable t = monFailure(concat(hello(), reply(Tags.FEATURES, -1L, 0, 0, new byte[0])));
        assertTrue(t.getMessage().contains("requires features"), t.getMessage());
    }

    @Test
    void badAuthorizerIsAnAuthenticationError() throws Exception {
        ServiceTicket ticket = new ServiceTicket(4, new byte[16], org.jceph.encoding.UTime.ZERO, 2, new byte[8]);
        CompletableFuture<Connection> f = messenger.connectToService(serve(concat(hello(),
                reply(Tags.BADAUTHORIZER, CephFeature.CLIENT_SUPPORTED, 0, 0, new byte[0]))), EntityName.TYPE_OSD,
                ADMIN, ticket, 4100, List.of(ConnectionMode.CRC), TIMEOUT, m -> { });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        AuthenticationException a = assertInstanceOf(AuthenticationException.class, e.getCause());
        assertEquals(ADMIN, a.entity());
        assertTrue(a.getMessage().contains("BADAUTHORIZER"), a.getMessage());
    }

    @Test
    void retryGlobalAndResetSessionResendConnectThenReadyOpens() throws Exception {
        byte[] script = concat(hello(),
                reply(Tags.RETRY_GLOBAL, CephFeature.CLIENT_SUPPORTED, 500, 0, new byte[0]),
                reply(Tags.RESETSESSION, CephFeature.CLIENT_SUPPORTED, 0, 0, new byte[0]),
                reply(Tags.RETRY_SESSION, CephFeature.CLIENT_SUPPORTED, 0, 3, new byte[0]),
                reply(Tags.READY, CephFeature.CLIENT_SUPPORTED, 0, 4, new byte[0]),
                authReply(1, 0, 77));
        CompletableFuture<Connection> f = messenger.connectToMonitor(serve(script), ADMIN, null,
                List.of(ConnectionMode.CRC), TIMEOUT, m -> { });
        Connection c = f.get(5, TimeUnit.SECONDS);
        assertEquals(77, c.globalId());
        c.close();
        c.closeFuture().get(2, TimeUnit.SECONDS);
        Thread.sleep(100);
        byte[] sent;
        synchronized (received) {
            sent = received.toByteArray();
        }
        ByteBuf b = Unpooled.wrappedBuffer(sent);
        int at = 9 + 136;
        long[] gseq = new long[4];
        long[] cseq = new long[4];
        for (int i = 0; i < 4; i++) {
            gseq[i] = V1Codec.CONNECT.at("global_seq").getLong(b, at);
            cseq[i] = V1Codec.CONNECT.at("connect_seq").getLong(b, at);
            at += 33;
        }
        assertTrue(gseq[1] > 500 && gseq[1] == gseq[2], java.util.Arrays.toString(gseq));
        assertEquals(List.of(0L, 0L, 0L, 3L), List.of(cseq[0], cseq[1], cseq[2], cseq[3]));
    }

    /** An MAuthReply message (auth none: protocol 1) as a v1 MSG unit. */
    static byte[] authReply(int protocol, int result, long globalId) {
        ByteBuf f = Unpooled.buffer();
        new org.jceph.encoding.CephEncoder(f).writeU32Le(protocol).writeU32Le(result).writeU64Le(globalId)
                .writeBlob(new byte[0]).writeString("");
        Message m = Message.of(MessageType.AUTH_REPLY.number(), 1, 1, io.netty.buffer.ByteBufUtil.getBytes(f));
        return msg(m, 1);
    }

    static byte[] msg(Message m, long seq) {
        byte[] h = V1Codec.header(m, seq, EntityName.TYPE_MON, 0);
        byte[] footer = V1Codec.footer(V1Codec.Crcs.of(m), 0, Tags.FOOTER_COMPLETE, true);
        return concat(new byte[] {Tags.MSG}, h, m.front(), m.middle(), m.dataBytes(), footer);
    }

    @Test
    void aCorruptMessageAfterAuthenticationClosesTheSessionWithATypedError() throws Exception {
        byte[] bad = msg(Message.of(4, 1, 1, new byte[] {1, 2, 3, 4}), 2);
        bad[1 + 53 + 1] ^= 1; // front byte: front_crc mismatch
        byte[] script = concat(hello(), reply(Tags.READY, CephFeature.CLIENT_SUPPORTED, 0, 1, new byte[0]),
                authReply(1, 0, 5), bad);
        CompletableFuture<Connection> f = messenger.connectToMonitor(serve(script), ADMIN, null,
                List.of(ConnectionMode.CRC), TIMEOUT, m -> { });
        Connection c;
        try {
            c = f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // the corrupt message may be read in the same batch as the auth reply
            assertTrue(e.getCause().getCause() instanceof V1FrameException, String.valueOf(e.getCause()));
            return;
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.closeFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionException.class, e.getCause());
        assertInstanceOf(V1FrameException.class, e.getCause().getCause());
        assertTrue(e.getCause().getMessage().contains("MSG/footer.front_crc"), e.getCause().getMessage());
    }

    @Test
    void aSilentPeerIsDeclaredDeadByKeepalive() throws Exception {
        byte[] script = concat(hello(), reply(Tags.READY, CephFeature.CLIENT_SUPPORTED, 0, 1, new byte[0]),
                authReply(1, 0, 5));
        try (Messenger quick = new Messenger(Duration.ofMillis(200), Duration.ofMillis(800))) {
            Connection c = quick.connectToMonitor(serve(script), ADMIN, null, List.of(ConnectionMode.CRC), TIMEOUT,
                    m -> { }).get(5, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.closeFuture().get(5, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getCause().getMessage().contains("keepalive timeout"), e.getCause().getMessage());
            assertTrue(ms < 2000, ms + " ms");
        }
        byte[] sent;
        synchronized (received) {
            sent = received.toByteArray();
        }
        V1Reader r = new V1Reader();
        r.features(CephFeature.CLIENT_SUPPORTED);
        ByteBuf in = Unpooled.wrappedBuffer(sent, 9 + 136 + 33, sent.length - 9 - 136 - 33);
        List<Object> events = new java.util.ArrayList<>();
        V1Reader.Event ev;
        while ((ev = r.next(in)) != null) {
            events.add(ev);
        }
        assertTrue(events.stream().anyMatch(x -> x instanceof V1Reader.Keepalive2), events.toString());
    }

    @Test
    void authErrorFromTheMonitorNamesTheEntity() {
        byte[] script = concat(hello(), reply(Tags.READY, CephFeature.CLIENT_SUPPORTED, 0, 1, new byte[0]),
                authReply(1, -13, 0));
        AuthenticationException a = assertInstanceOf(AuthenticationException.class, monFailure(script));
        assertEquals(13, a.errno());
        assertTrue(a.getMessage().contains("client.admin") && a.getMessage().contains("EACCES"), a.getMessage());
    }

    @Test
    void silentPeerFailsWithinTheHandshakeTimeout() {
        long t0 = System.nanoTime();
        Throwable t = monFailure(V1Codec.BANNER); // a banner, then nothing
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(t.getMessage().contains("did not finish within"), t.getMessage());
        assertTrue(ms < TIMEOUT.toMillis() + 1500, ms + " ms");
    }

    @Test
    void aPeerClaimingAnotherAddressIsRejected() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(V1Codec.BANNER);
        b.writeBytes(V1Codec.legacyAddr(EntityAddr.of(EntityAddr.TYPE_LEGACY, 0, new InetSocketAddress("127.0.0.1", 1))));
        b.writeBytes(V1Codec.legacyAddr(target()));
        Throwable t = monFailure(io.netty.buffer.ByteBufUtil.getBytes(b));
        assertTrue(t.getMessage().contains("claims to be"), t.getMessage());
    }
}
