package org.jceph.messenger.internal.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jceph.encoding.Crc32c;
import org.jceph.messenger.v2.FrameException;
import org.junit.jupiter.api.Test;

/**
 * {@link Preamble#parse} reads its fields at constant offsets from a copy: every field lands where
 * the layout says, on heap, direct and composite buffers at any index, and each malformed preamble
 * gets the error (text and stream offset) it always had.
 */
class PreambleParseTest {
    private static final long AT = 1000; // stream offset of the preamble

    private static byte[] preamble(Tag tag, int[] lengths, int[] aligns, int flags) {
        byte[] p = new byte[Preamble.SIZE];
        Preamble.write(p, tag.code, lengths, aligns, flags);
        return p;
    }

    /** Sets byte {@code i} and re-seals the crc (le32 after the covered bytes). */
    private static byte[] patch(byte[] p, int i, int v) {
        byte[] q = p.clone();
        q[i] = (byte) v;
        Unpooled.wrappedBuffer(q).setIntLE(Preamble.CRC_COVERS, Crc32c.update(0, q, 0, Preamble.CRC_COVERS));
        return q;
    }

    private static Preamble parse(byte[] p) {
        return Preamble.parse(Unpooled.wrappedBuffer(p), 0, AT, 1 << 20, 1L << 30);
    }

    private static String error(byte[] p) {
        FrameException e = assertThrows(FrameException.class, () -> parse(p));
        return e.getMessage();
    }

    @Test
    void fieldsOnEveryBufferKind() {
        int[] lengths = {53, 0x12345, 0, 4096};
        int[] aligns = {8, 8, 0, 4096};
        byte[] p = preamble(Tag.MESSAGE, lengths, aligns, Preamble.FLAG_COMPRESSED);
        ByteBuf direct = Unpooled.directBuffer(64).writeZero(7).writeBytes(p);
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[3]),
                Unpooled.wrappedBuffer(p, 0, 11), Unpooled.wrappedBuffer(p, 11, p.length - 11));
        for (Preamble r : new Preamble[] {parse(p), Preamble.parse(direct, 7, AT, 1 << 20, 1L << 30),
                Preamble.parse(composite, 3, AT, 1 << 20, 1L << 30)}) {
            assertEquals(Tag.MESSAGE.code, r.tagCode());
            assertEquals(4, r.numSegments());
            assertArrayEquals(lengths, r.lengths());
            assertArrayEquals(aligns, r.alignments());
            assertEquals(Preamble.FLAG_COMPRESSED, r.flags());
            assertEquals(true, r.hasTail());
        }
        direct.release();
        Preamble control = parse(preamble(Tag.of(1), new int[] {40}, new int[] {8}, 0));
        assertEquals(1, control.numSegments());
        assertEquals(false, control.hasTail());
    }

    @Test
    void malformedPreamblesKeepTheirErrors() {
        byte[] good = preamble(Tag.MESSAGE, new int[] {53, 100}, new int[] {8, 8}, 0);
        byte[] badCrc = good.clone();
        badCrc[5] ^= 1;
        String crc = error(badCrc);
        assertEquals(true, crc.contains("preamble crc"), crc);
        assertEquals(true, crc.contains(String.valueOf(AT + Preamble.CRC_COVERS)), crc);
        String tag = error(patch(good, 0, 0xEE));
        assertEquals(true, tag.contains("unknown frame tag 238"), tag);
        String num = error(patch(good, 1, 0));
        assertEquals(true, num.contains("num_segments 0") && num.contains(String.valueOf(AT + 1)), num);
        String flags = error(patch(good, 26, 0x80));
        assertEquals(true, flags.contains("unknown preamble flags 0x80"), flags);
        // segment 2's length (descriptor at 2 + 2 * 6) set while num_segments says 2
        String beyond = error(patch(good, 14, 9));
        assertEquals(true, beyond.contains("segment 2 has length 9 beyond num_segments 2")
                && beyond.contains(String.valueOf(AT + 14)), beyond);
        byte[] big = preamble(Tag.MESSAGE, new int[] {53, 0, 0, 1 << 30}, new int[] {8, 0, 0, 8}, 0);
        String limit = error(big);
        assertEquals(true, limit.contains("exceeds the limit of " + (1L << 30)), limit);
        String control = error(preamble(Tag.of(1), new int[] {40, 8}, new int[] {8, 8}, 0));
        assertEquals(true, control.contains("(control: 1 segment)"), control);
    }
}
