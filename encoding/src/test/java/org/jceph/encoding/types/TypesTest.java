package org.jceph.encoding.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.junit.jupiter.api.Test;

class TypesTest {
    private static String hex(java.util.function.Consumer<CephEncoder> w) {
        ByteBuf b = Unpooled.buffer();
        w.accept(new CephEncoder(b));
        return ByteBufUtil.hexDump(b);
    }

    private static CephDecoder dec(String h) {
        return CephDecoder.of(ByteBufUtil.decodeHexDump(h.replace(" ", "").replace("|", "")), "t");
    }

    @Test
    void monitorV2AddressInTheNewEncoding() {
        EntityAddr a = EntityAddr.of(EntityAddr.TYPE_MSGR2, 0, new InetSocketAddress("127.0.0.1", 3300));
        // marker | v c len      | type     | nonce    | sa_len   | family(LE) | port(BE) | 127.0.0.1 | zero x8
        String want = "01" + "0101" + "1c000000" + "02000000" + "00000000" + "10000000" + "0200" + "0ce4"
                + "7f000001" + "0000000000000000";
        assertEquals(want, hex(a::encode));
        EntityAddr back = EntityAddr.decode(dec(want));
        assertEquals(a, back);
        assertEquals("v2:127.0.0.1:3300/0", back.toString());
    }

    @Test
    void legacyAddressHasBigEndianFamilyAndIs136Bytes() {
        EntityAddr a = EntityAddr.of(EntityAddr.TYPE_LEGACY, 7, new InetSocketAddress("127.0.0.1", 6789))
                .withLegacyEncoding(true);
        String h = hex(a::encode);
        assertEquals(272, h.length());
        // u32 0 | nonce 7 | family 0x0002 big-endian | port 6789 = 0x1a85 | 127.0.0.1
        assertTrue(h.startsWith("00000000" + "07000000" + "0002" + "1a85" + "7f000001"), h);
        EntityAddr back = EntityAddr.decode(dec(h));
        assertEquals(6789, back.port());
        assertEquals(EntityAddr.TYPE_LEGACY, back.type());
        assertTrue(back.legacyEncoding());
    }

    @Test
    void unknownAddrMarkerIsATypedError() {
        DecodeException e = assertThrows(DecodeException.class, () -> EntityAddr.decode(dec("07")));
        assertTrue(e.getMessage().contains("marker 7"), e.getMessage());
    }

    @Test
    void addrvecOfAMonitor() {
        EntityAddrVec v = EntityAddrVec.of(
                EntityAddr.of(EntityAddr.TYPE_MSGR2, 0, new InetSocketAddress("127.0.0.1", 3300)),
                EntityAddr.of(EntityAddr.TYPE_LEGACY, 0, new InetSocketAddress("127.0.0.1", 6789)));
        String h = hex(v::encode);
        assertTrue(h.startsWith("02" + "02000000"), h);
        EntityAddrVec back = EntityAddrVec.decode(dec(h));
        assertEquals(v, back);
        assertEquals(6789, back.first(EntityAddr.TYPE_LEGACY).port());
    }

    @Test
    void pgIdIs17BytesAndPrintsLikeCeph() {
        PgId p = new PgId(1, 0x7f);
        assertEquals("01" + "0100000000000000" + "7f000000" + "ffffffff", hex(p::encode));
        assertEquals("1.7f", p.toString());
    }

    @Test
    void objectLocatorCompatRisesWithAHash() {
        ObjectLocator plain = new ObjectLocator(3, "", "ns");
        assertTrue(hex(plain::encode).startsWith("0603"));
        ObjectLocator hashed = new ObjectLocator(3, -1, "", "", 42, ObjectLocator.VERSION);
        assertTrue(hex(hashed::encode).startsWith("0606"));
    }

    @Test
    void snapContextValidity() {
        assertTrue(new SnapContext(5, List.of(5L, 3L, 1L)).isValid());
        assertEquals(false, new SnapContext(5, List.of(3L, 4L)).isValid());
        assertEquals(false, new SnapContext(2, List.of(3L)).isValid());
    }

    @Test
    void entityNamePrints() {
        assertEquals("client.4151", new EntityName(EntityName.TYPE_CLIENT, 4151).toString());
        assertEquals("0877100000" + "00000000", hex(new EntityName(EntityName.TYPE_CLIENT, 4215)::encode).substring(0, 18));
    }
}
