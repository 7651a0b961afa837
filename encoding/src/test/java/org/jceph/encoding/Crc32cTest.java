package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    private static final byte[] DIGITS = "123456789".getBytes(StandardCharsets.US_ASCII);

    /** Bit-at-a-time reference: the definition, with nothing clever in it. */
    private static int reference(int register, byte[] data) {
        for (byte b : data) {
            register ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                register = (register & 1) != 0 ? (register >>> 1) ^ 0x82F63B78 : register >>> 1;
            }
        }
        return register;
    }

    @Test
    void knownVectorsInCephsConvention() {
        assertEquals(0x1CF96D7C, Crc32c.update(0xFFFFFFFF, DIGITS));
        assertEquals(0x58E3FA20, Crc32c.update(0, DIGITS));
        assertEquals(0xFFFFFFFF, Crc32c.update(0xFFFFFFFF, new byte[0]));
        assertEquals(0xE3069283, ~Crc32c.update(0xFFFFFFFF, DIGITS), "standard CRC32C is the inverted -1-seeded value");
    }

    @Test
    void longInputsTakeTheIntrinsicPathAndAgree() {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        for (int seed : new int[] {0, -1, 0x12345678}) {
            assertEquals(reference(seed, big), Crc32c.update(seed, big), "seed " + seed);
            assertEquals(reference(seed, big), Crc32c.update(seed, Unpooled.wrappedBuffer(big)), "heap ByteBuf");
            ByteBuf direct = Unpooled.directBuffer(big.length).writeBytes(big);
            assertEquals(reference(seed, big), Crc32c.update(seed, direct), "direct ByteBuf");
            assertEquals(reference(seed, big), Crc32c.update(seed, ByteBuffer.wrap(big)), "ByteBuffer");
            direct.release();
        }
        CRC32C jdk = new CRC32C();
        jdk.update(big);
        assertEquals((int) jdk.getValue(), ~Crc32c.update(-1, big));
    }

    @Property(tries = 300)
    void anySeedAnyDataMatchesTheBitwiseDefinition(@ForAll int seed, @ForAll @Size(max = 300) byte[] data) {
        assertEquals(reference(seed, data), Crc32c.update(seed, data));
        assertEquals(reference(seed, data), Crc32c.update(seed, Unpooled.wrappedBuffer(data), 0, data.length));
    }

    @Property(tries = 200)
    void crcOfAConcatenationChainsThroughTheSeed(@ForAll @Size(max = 200) byte[] a, @ForAll @Size(max = 200) byte[] b,
            @ForAll int seed) {
        byte[] ab = new byte[a.length + b.length];
        System.arraycopy(a, 0, ab, 0, a.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        assertEquals(Crc32c.update(seed, ab), Crc32c.update(Crc32c.update(seed, a), b));
    }

    @Test
    void compositeBuffersAreReadInPlace() {
        byte[] a = new byte[70];
        byte[] b = new byte[90];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) i;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (255 - i);
        }
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.directBuffer().writeBytes(a), Unpooled.wrappedBuffer(b));
        byte[] all = new byte[160];
        System.arraycopy(a, 0, all, 0, 70);
        System.arraycopy(b, 0, all, 70, 90);
        assertEquals(reference(0, all), Crc32c.update(0, composite));
        composite.release();
    }
}
