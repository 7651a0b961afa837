package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CephDecoderTest {

    private static CephDecoder hex(String h) {
        return CephDecoder.of(ByteBufUtil.decodeHexDump(h.replace(" ", "").replace("|", "")), "test");
    }

    @Test
    void readsLittleEndianFixedWidths() {
        //            u8 | u16  | u32      | u64              | s32
        CephDecoder d = hex("7f | 3412 | 78563412 | efcdab8967452301 | feffffff");
        assertEquals(0x7f, d.readU8());
        assertEquals(0x1234, d.readU16Le());
        assertEquals(0x12345678L, d.readU32Le());
        assertEquals(0x0123456789abcdefL, d.readU64Le());
        assertEquals(-2, d.readS32Le());
        d.expectEnd();
    }

    @Test
    void u32AboveTwoToThe31IsPositive() {
        assertEquals(0xFFFFFFFEL, hex("feffffff").readU32Le());
    }

    @Test
    void stringIsLengthPrefixedWithoutTerminator() {
        CephDecoder d = hex("05000000 68656c6c6f");
        assertEquals("hello", d.readString());
        d.expectEnd();
    }

    @Test
    void hostileStringLengthIsRejectedBeforeAllocating() {
        DecodeException e = assertThrows(DecodeException.class, () -> hex("ffffff7f 6162").readString());
        assertEquals("test", e.struct());
        assertEquals(0, e.offset(), "the offset of the lying length field");
        assertTrue(e.getMessage().contains("2 bytes that remain"), e.getMessage());
    }

    @Test
    void hostileListCountIsRejectedBeforeAllocating() {
        // 2^32-1 elements of at least 8 bytes cannot fit in 8 bytes.
        DecodeException e = assertThrows(DecodeException.class,
                () -> hex("ffffffff 0000000000000000").readList(8, CephDecoder::readU64Le));
        assertEquals(0, e.offset());
    }

    @Test
    void truncatedIntegerNamesStructAndOffset() {
        CephDecoder d = hex("0102");
        d.push("pg_t");
        DecodeException e = assertThrows(DecodeException.class, d::readU32Le);
        assertEquals("test/pg_t", e.struct());
        assertEquals(0, e.offset());
    }

    @Test
    void envelopeSkipsFieldsAddedByNewerVersions() {
        // v3 compat 1, length 6: a u16 we know, then 4 bytes a newer encoder added; then a trailing u8.
        CephDecoder d = hex("03 01 06000000 3412 deadbeef | 99");
        CephDecoder.Envelope env = d.beginStruct("thing", 2);
        assertEquals(3, env.version());
        assertEquals(1, env.compat());
        assertEquals(0x1234, d.readU16Le());
        d.endStruct(env);
        assertEquals(0x99, d.readU8());
        d.expectEnd();
    }

    @Test
    void envelopeRejectsCompatNewerThanTheDecoder() {
        UnsupportedVersionException e = assertThrows(UnsupportedVersionException.class,
                () -> hex("09 05 00000000").beginStruct("pg_pool_t", 4));
        assertEquals(9, e.structVersion());
        assertEquals(5, e.compatVersion());
        assertEquals(4, e.maxSupported());
        assertEquals("test/pg_pool_t", e.struct());
    }

    @Test
    void readsInsideAnEnvelopeCannotPassItsDeclaredLength() {
        // The struct claims 2 bytes but its field is a u32: the extra bytes belong to the outer struct.
        CephDecoder d = hex("01 01 02000000 0102 0304");
        d.beginStruct("short", 1);
        DecodeException e = assertThrows(DecodeException.class, d::readU32Le);
        assertTrue(e.getMessage().contains("2 remain"), e.getMessage());
    }

    @Test
    void envelopeLengthBeyondTheInputIsRejected() {
        assertThrows(DecodeException.class, () -> hex("01 01 ff000000 00").beginStruct("x", 1));
    }

    @Test
    void legacyEnvelopeWithoutLengthIsBoundedByItsParent() {
        // struct_v 2 < 3: no compat byte, no length.
        CephDecoder d = hex("02 0700000000000000");
        CephDecoder.Envelope env = d.beginStructLegacy("object_locator_t", 6, 3, 3);
        assertEquals(2, env.version());
        assertEquals(7, d.readU64Le());
        d.endStructLegacy(env);
        d.expectEnd();
    }

    @Test
    void nestingDepthIsBounded() {
        CephDecoder d = hex("00");
        assertThrows(DecodeException.class, () -> {
            for (int i = 0; i < 100; i++) {
                d.push("s" + i);
            }
        });
    }

    @Test
    void containersRoundTrip() {
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        Map<String, Long> m = new TreeMap<>(Map.of("b", 2L, "a", 1L));
        UUID u = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
        e.writeMap(m, CephEncoder::writeString, CephEncoder::writeU64Le);
        e.writeList(List.of(3L, 4L), CephEncoder::writeU32Le);
        e.writeOptional(Optional.of("x"), CephEncoder::writeString);
        e.writeOptional(Optional.<String>empty(), CephEncoder::writeString);
        e.writeUuid(u);
        e.writeUtime(new UTime(1700000000L, 5));
        CephDecoder d = new CephDecoder(b, "t");
        assertEquals(m, d.readMap(9, CephDecoder::readString, CephDecoder::readU64Le));
        assertEquals(List.of(3L, 4L), d.readList(4, CephDecoder::readU32Le));
        assertEquals(Optional.of("x"), d.readOptional(CephDecoder::readString));
        assertEquals(Optional.empty(), d.readOptional(CephDecoder::readString));
        assertEquals(u, d.readUuid());
        assertEquals(new UTime(1700000000L, 5), d.readUtime());
        d.expectEnd();
    }

    @Test
    void uuidBytesAreInPrintedOrder() {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeUuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
        assertEquals("00112233445566778899aabbccddeeff", ByteBufUtil.hexDump(b));
    }

    @Test
    void encoderFillsEnvelopeLength() {
        ByteBuf b = Unpooled.buffer();
        CephEncoder e = new CephEncoder(b);
        int mark = e.beginStruct(4, 3);
        e.writeU16Le(0xBEEF);
        e.finishStruct(mark);
        assertEquals("0403" + "02000000" + "efbe", ByteBufUtil.hexDump(b));
    }

    /** Arbitrary bytes fed to every primitive: only DecodeException, never anything else. */
    @Property(tries = 500)
    void arbitraryBytesGiveOnlyDecodeExceptions(@ForAll @Size(max = 64) byte[] bytes) {
        CephDecoder d = CephDecoder.of(bytes, "fuzz");
        try {
            CephDecoder.Envelope env = d.beginStruct("a", 9);
            d.readList(1, x -> x.readString());
            d.readMap(2, CephDecoder::readU8, CephDecoder::readBlob);
            d.endStruct(env);
        } catch (DecodeException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= bytes.length);
        }
    }

    @Property(tries = 200)
    void blobsRoundTrip(@ForAll @Size(max = 1000) byte[] blob) {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeBlob(blob);
        assertArrayEquals(blob, new CephDecoder(b, "t").readBlob());
    }
}
