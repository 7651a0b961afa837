package org.jceph.encoding.packed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.jceph.encoding.DecodeException;
import org.junit.jupiter.api.Test;

/** The declaration guards: a miscounted struct fails when built, a short buffer fails by name. */
class PackedLayoutContractTest {

    @Test
    void buildWithTheWrongSizeFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PackedLayout.builder("probe_struct").u32le("a").u8("b").build(6));
        assertTrue(e.getMessage().contains("probe_struct"), e.getMessage());
        assertTrue(e.getMessage().contains("5"), e.getMessage());
    }

    @Test
    void buildWithTheRightSizeWorks() {
        PackedLayout l = PackedLayout.builder("probe_struct").u32le("a").u8("b").build(5);
        assertEquals(5, l.size());
        assertEquals(4, l.field("b").offset());
    }

    @Test
    void aUnionCaseOfTheWrongWidthFails() {
        PackedLayout narrow = PackedLayout.builder("narrow").u32le("x").build(4);
        assertThrows(IllegalStateException.class,
                () -> PackedLayout.builder("outer").union("u", 8, narrow));
    }

    @Test
    void checkReadableOnAShortBufferNamesTheStruct() {
        PackedLayout header = CephStructs.CEPH_MSG_HEADER;
        ByteBuf shortBuf = Unpooled.wrappedBuffer(new byte[header.size() - 1]);
        DecodeException e = assertThrows(DecodeException.class, () -> header.checkReadable(shortBuf, 0));
        assertEquals("ceph_msg_header", e.struct());
        assertTrue(e.getMessage().contains("ceph_msg_header"), e.getMessage());
        assertTrue(e.getMessage().contains("53"), e.getMessage());
    }

    @Test
    void checkReadableCountsFromTheIndex() {
        PackedLayout footer = CephStructs.CEPH_MSG_FOOTER;
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[footer.size() + 2]);
        footer.checkReadable(buf, 0);
        footer.checkReadable(buf, 2);
        DecodeException e = assertThrows(DecodeException.class, () -> footer.checkReadable(buf, 3));
        assertEquals("ceph_msg_footer", e.struct());
        assertEquals(3, e.offset());
        assertThrows(DecodeException.class, () -> footer.checkReadable(buf, -1));
    }

    @Test
    void decodeOfAShortBufferThrowsDecodeException() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[20]);
        DecodeException e = assertThrows(DecodeException.class,
                () -> CephStructs.CEPH_OSD_OP.decode(buf, 0, Map.of()));
        assertEquals("ceph_osd_op", e.struct());
    }
}
