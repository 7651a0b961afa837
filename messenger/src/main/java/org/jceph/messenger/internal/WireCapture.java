package org.jceph.messenger.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debugging aid behind {@code ms_jceph_capture_dir}: copies every byte a connection sends and
 * receives, as it crosses the socket, into {@code PREFIX-client.bin} (to the peer) and
 * {@code PREFIX-server.bin} (from the peer). These are the inputs of the replay tests and of the
 * decoders. The files hold what the wire holds: tickets encrypted under cluster keys, never our
 * secrets in the clear; use it on throwaway clusters only.
 */
public final class WireCapture extends ChannelDuplexHandler {
    private final OutputStream rx;
    private final OutputStream tx;

    public WireCapture(Path prefix) {
        try {
            Files.createDirectories(prefix.toAbsolutePath().getParent());
            this.rx = new BufferedOutputStream(Files.newOutputStream(Path.of(prefix + "-server.bin")));
            this.tx = new BufferedOutputStream(Files.newOutputStream(Path.of(prefix + "-client.bin")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create capture files " + prefix + "-*.bin", e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ByteBuf b = (ByteBuf) msg;
        b.getBytes(b.readerIndex(), rx, b.readableBytes());
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        ByteBuf b = (ByteBuf) msg;
        b.getBytes(b.readerIndex(), tx, b.readableBytes());
        ctx.write(msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws IOException {
        try {
            rx.close();
        } finally {
            tx.close();
        }
    }
}
