package org.jceph.cli.demo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.types.EntityAddr;

/**
 * The first bytes a monitor sends on each protocol, read and decoded with jceph's own layouts:
 * msgr1's banner and two legacy {@code ceph_entity_addr}s, and msgr2's banner with its feature
 * words. Nothing is sent but our own banner; the connection is then closed.
 */
final class BannerProbe {
    private BannerProbe() {
    }

    /** What a msgr1 monitor said: its own address and ours as it sees us. */
    record V1(String banner, EntityAddr server, EntityAddr client) {
    }

    /** What a msgr2 monitor said: the feature words of its banner. */
    record V2(String banner, long supported, long required) {
    }

    static V1 probeV1(InetSocketAddress mon, Duration timeout) throws IOException {
        try (Socket s = connect(mon, timeout)) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] banner = new byte[9];
            in.readFully(banner);
            String text = new String(banner, StandardCharsets.US_ASCII);
            if (!text.equals("ceph v027")) {
                throw new DecodeException("msgr1 banner", 0, "expected 'ceph v027', got '" + text + "'");
            }
            int n = CephStructs.CEPH_ENTITY_ADDR.size();
            byte[] addrs = new byte[2 * n];
            in.readFully(addrs);
            CephDecoder d = CephDecoder.of(addrs, "msgr1 banner addresses");
            EntityAddr server = EntityAddr.decodeLegacy(d);
            EntityAddr client = EntityAddr.decodeLegacy(d);
            return new V1(text, server, client);
        }
    }

    static V2 probeV2(InetSocketAddress mon, Duration timeout) throws IOException {
        try (Socket s = connect(mon, timeout)) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] banner = new byte[8];
            in.readFully(banner);
            String text = new String(banner, StandardCharsets.US_ASCII);
            if (!text.equals("ceph v2\n")) {
                throw new DecodeException("msgr2 banner", 0, "expected 'ceph v2\\n', got '" + text.trim() + "'");
            }
            byte[] len = new byte[2];
            in.readFully(len);
            int payload = (len[0] & 0xFF) | (len[1] & 0xFF) << 8;
            if (payload < 16 || payload > 4096) {
                throw new DecodeException("msgr2 banner", 8, "banner payload length " + payload);
            }
            byte[] body = new byte[payload];
            in.readFully(body);
            ByteBuf b = Unpooled.wrappedBuffer(body);
            CephDecoder d = new CephDecoder(b, "msgr2 banner");
            return new V2(text.trim(), d.readU64Le(), d.readU64Le());
        }
    }

    private static Socket connect(InetSocketAddress mon, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(mon, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            return s;
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot reach monitor " + mon + " within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
        }
    }
}
