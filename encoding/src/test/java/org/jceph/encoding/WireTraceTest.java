package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@link WireTrace} records of encoders and decoders, and what it leaves out. */
class WireTraceTest {
    private static String show(List<WireTrace.Step> steps) {
        StringBuilder b = new StringBuilder();
        for (WireTrace.Step s : steps) {
            b.append(s.offset()).append('+').append(s.width()).append(' ').append("  ".repeat(s.depth()))
                    .append(s.type()).append('\n');
        }
        return b.toString();
    }

    private static byte[] sample() {
        return CephEncoder.toBytes(e -> {
            e.writeU8(7).writeString("abc");
            int mark = e.beginStruct(3, 1);
            e.writeU64Le(42).writeBlob(new byte[] {1, 2});
            e.writeList(List.of(5L, 6L), CephEncoder::writeU32Le);
            e.finishStruct(mark);
            e.writeUuid(new UUID(1, 2)).writeU16Le(9);
        });
    }

    @Test
    void encoderStepsAreTheFieldsWithCompositesWhole() {
        List<WireTrace.Step> steps = WireTrace.record(WireTraceTest::sample);
        assertEquals("""
                0+1 u8
                1+7 string
                8+6 struct WireTraceTest v3 compat 1
                14+8   le64
                22+6   blob
                28+4   le32 count
                32+4   le32
                36+4   le32
                40+16 uuid
                56+2 le16
                """, show(steps));
        assertTrue(steps.stream().allMatch(s -> s.site().startsWith("WireTraceTest.")), steps.toString());
    }

    @Test
    void decoderStepsMatchTheEncodersAndNameTheEnvelope() {
        byte[] bytes = sample();
        List<WireTrace.Step> steps = WireTrace.record(() -> {
            CephDecoder d = CephDecoder.of(bytes, "sample");
            d.readU8();
            d.readString();
            CephDecoder.Envelope env = d.beginStruct("thing", 3);
            d.readU64Le();
            d.readBlob();
            // the list is left unread: endStruct skips it
            d.endStruct(env);
            d.readUuid();
            d.readU16Le();
        });
        assertEquals("""
                0+1 u8
                1+7 string
                8+6 struct thing v3 compat 1
                14+8   le64
                22+6   blob
                28+12   skipped[12] (fields this decoder does not read)
                40+16 uuid
                56+2 le16
                """, show(steps));
    }

    @Test
    void onlyTheFirstBufferIsRecordedAndNothingOutsideRecord() {
        byte[] bytes = sample();
        List<WireTrace.Step> steps = WireTrace.record(() -> {
            CephDecoder d = CephDecoder.of(bytes, "outer");
            d.readU8();
            CephDecoder other = CephDecoder.of(new byte[] {1, 0, 0, 0}, "inner");
            other.readU32Le(); // another buffer: not part of this front
            d.readString();
        });
        assertEquals("0+1 u8\n1+7 string\n", show(steps));
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeU64Le(1); // no recorder: nothing happens, nothing fails
        assertEquals(8, b.readableBytes());
    }
}
