package org.jceph.encoding.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.packed.CephStructs;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * The encoding layer against a live monitor: the first bytes of each protocol are decoded with
 * our layouts, and the legacy address the monitor sends re-encodes to the very same 136 bytes.
 */
@RealCluster
class MonitorBannerIT {
    private static final int TIMEOUT_MS = 10_000;

    private static Socket open(InetSocketAddress a) throws IOException {
        Socket s = new Socket();
        s.connect(a, TIMEOUT_MS);
        s.setSoTimeout(TIMEOUT_MS);
        return s;
    }

    @Test
    void msgr1MonitorSendsItsLegacyAddressWithBigEndianFamily(CephCluster cluster) throws IOException {
        InetSocketAddress mon = cluster.monV1();
        try (Socket s = open(mon)) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] banner = new byte[9];
            in.readFully(banner);
            assertEquals("ceph v027", new String(banner, StandardCharsets.US_ASCII));
            byte[] raw = new byte[2 * CephStructs.CEPH_ENTITY_ADDR.size()];
            in.readFully(raw);

            CephDecoder d = CephDecoder.of(raw, "msgr1 banner");
            EntityAddr server = EntityAddr.decodeLegacy(d);
            EntityAddr peer = EntityAddr.decodeLegacy(d);
            d.expectEnd();

            assertEquals(EntityAddr.AF_INET, server.family());
            assertEquals(mon.getPort(), server.port());
            assertEquals("127.0.0.1", server.socketAddress().getAddress().getHostAddress());
            assertEquals(s.getLocalPort(), peer.port(), "the monitor reports the port we connected from");
            // family 2 in network order at offset 8: the legacy quirk, read straight off the wire
            assertEquals(0x00, raw[8]);
            assertEquals(0x02, raw[9]);

            ByteBuf again = Unpooled.buffer();
            server.encode(new CephEncoder(again));
            byte[] reencoded = new byte[again.readableBytes()];
            again.readBytes(reencoded);
            byte[] first = new byte[CephStructs.CEPH_ENTITY_ADDR.size()];
            System.arraycopy(raw, 0, first, 0, first.length);
            assertArrayEquals(first, reencoded, "our legacy encoder reproduces the monitor's 136 bytes");
        }
    }

    @Test
    void msgr2MonitorAdvertisesRevision1AndRequiresNothingElse(CephCluster cluster) throws IOException {
        try (Socket s = open(cluster.monV2())) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] banner = new byte[8];
            in.readFully(banner);
            assertEquals("ceph v2\n", new String(banner, StandardCharsets.US_ASCII));
            byte[] lenBytes = new byte[2];
            in.readFully(lenBytes);
            int len = new CephDecoder(Unpooled.wrappedBuffer(lenBytes), "banner").readU16Le();
            assertEquals(16, len, "two u64 feature words");
            byte[] body = new byte[len];
            in.readFully(body);
            CephDecoder d = CephDecoder.of(body, "msgr2 banner");
            long supported = d.readU64Le();
            long required = d.readU64Le();
            assertTrue((supported & 1) != 0, "REVISION_1 supported");
            assertEquals(0, required);
        }
    }
}
