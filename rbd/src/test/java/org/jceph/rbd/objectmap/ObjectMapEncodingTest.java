package org.jceph.rbd.objectmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.jceph.encoding.DecodeException;
import org.jceph.rbd.RbdException;
import org.junit.jupiter.api.Test;

/** BitVector&lt;2&gt; as cls_rbd stores it: header blob, packed bytes (first element in the top bits), footer blob. */
class ObjectMapEncodingTest {
    @Test
    void statesArePackedFourToAByteMostSignificantFirst() {
        // header blob: len 14, ENCODE_START(1,1) len 8, size 6 | data: 0b01_00_11_10, 0b01_10_00_00 | footer blob (crcs)
        byte[] raw = HexFormat.of().parseHex("0e000000" + "0101" + "08000000" + "0600000000000000" + "4e" + "60"
                + "08000000" + "0000000000000000");
        assertArrayEquals(new int[] {ObjectMap.EXISTS, ObjectMap.NONEXISTENT, ObjectMap.EXISTS_CLEAN, ObjectMap.PENDING,
            ObjectMap.EXISTS, ObjectMap.PENDING}, ObjectMap.decodeStates(raw));
    }

    @Test
    void truncatedMapsAreTypedErrors() {
        byte[] raw = HexFormat.of().parseHex("0e000000" + "0101" + "08000000" + "0900000000000000" + "4e");
        assertThrows(DecodeException.class, () -> ObjectMap.decodeStates(raw));
        byte[] huge = HexFormat.of().parseHex("0e000000" + "0101" + "08000000" + "ffffffffffffff7f");
        assertThrows(RbdException.class, () -> ObjectMap.decodeStates(huge));
    }
}
