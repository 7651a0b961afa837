package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jceph.encoding.DecodeException;
import org.jceph.rbd.format1.Format1Header;
import org.junit.jupiter.api.Test;

/** The format 1 header codec: round trips, pinned offsets, and hostile bytes. */
class Format1HeaderTest {
    private static final Format1Header SAMPLE = new Format1Header("rb.0.1234.5678abcd", 22, 12L << 20, 3,
            List.of(new Format1Header.Snap(3, 8L << 20, "second"), new Format1Header.Snap(1, 4L << 20, "first")));

    @Test
    void roundTripsWithSnapshots() {
        assertEquals(SAMPLE, Format1Header.decode(SAMPLE.encode()));
    }

    @Test
    void fieldsSitWhereTheOnDiskStructPutsThem() {
        byte[] b = SAMPLE.encode();
        assertEquals(112 + 2 * 16 + "second".length() + 1 + "first".length() + 1, b.length);
        assertEquals('R', b[64]);
        assertEquals('0', b[68]);
        assertEquals(22, b[76], "order at offset 76");
        assertEquals(0, b[79], "options.unused");
        assertEquals(2, b[96], "snap_count at offset 96");
    }

    @Test
    void foreignObjectsAreTypedErrors() {
        assertThrows(DecodeException.class, () -> Format1Header.decode(new byte[10]));
        byte[] b = SAMPLE.encode();
        b[64] = 'X';
        assertThrows(DecodeException.class, () -> Format1Header.decode(b));
    }

    @Property(tries = 2000)
    void mutatedHeadersFailOnlyWithDecodeException(@ForAll @IntRange(min = 0, max = 200) int at, @ForAll byte value,
            @ForAll boolean truncate) {
        byte[] b = SAMPLE.encode();
        if (truncate) {
            b = java.util.Arrays.copyOf(b, at % b.length);
        } else {
            b[at % b.length] = value;
        }
        try {
            Format1Header.decode(b);
        } catch (DecodeException expected) {
            // typed
        }
    }
}
