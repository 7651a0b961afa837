package org.jceph.messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.junit.jupiter.api.Test;

/** The monitor's addrvec as the live Pacific monitor sends it (SERVER_IDENT, MonMap), byte for byte. */
class EntityAddrTest {
    static final String MON_ADDRVEC = "02" + "02000000"
            + "01" + "0101" + "1c000000" + "02000000" + "00000000" + "10000000" + "0200" + "a154" + "7f000001" + "0000000000000000"
            + "01" + "0101" + "1c000000" + "01000000" + "00000000" + "10000000" + "0200" + "a33d" + "7f000001" + "0000000000000000";

    @Test
    void monitorAddrvecMatchesTheBytesTheMonitorSends() {
        EntityAddrVec v = EntityAddrVec.of(
                EntityAddr.of(EntityAddr.TYPE_MSGR2, 0, new InetSocketAddress("127.0.0.1", 41300)),
                EntityAddr.of(EntityAddr.TYPE_LEGACY, 0, new InetSocketAddress("127.0.0.1", 41789)));
        ByteBuf b = Unpooled.buffer();
        v.encode(new CephEncoder(b));
        assertEquals(MON_ADDRVEC, io.netty.buffer.ByteBufUtil.hexDump(b));
        assertEquals(v, EntityAddrVec.decode(CephDecoder.of(HexFormat.of().parseHex(MON_ADDRVEC), "t")));
        // and it is the SERVER_IDENT / monmap form: [v2:..., v1:...], the v2 one being the CLIENT_IDENT target
        assertEquals("v2:127.0.0.1:41300/0", v.first(EntityAddr.TYPE_MSGR2).toString());
    }
}
