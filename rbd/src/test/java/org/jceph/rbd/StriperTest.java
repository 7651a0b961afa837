package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.layout.StripingLayout;
import org.junit.jupiter.api.Test;

class StriperTest {
    @Test
    void withoutStripingAnImageByteLivesInObjectOffsetDividedByObjectSize() {
        StripingLayout l = StripingLayout.ofOrder(22);
        List<ObjectExtent> x = Striper.fileToExtents(l, (4L << 20) - 10, 20);
        assertEquals(2, x.size());
        assertEquals(0, x.get(0).objectNumber());
        assertEquals((4L << 20) - 10, x.get(0).offset());
        assertEquals(10, x.get(0).length());
        assertEquals(1, x.get(1).objectNumber());
        assertEquals(0, x.get(1).offset());
        assertEquals(10, x.get(1).length());
    }

    @Test
    void stripingFillsOneStripeUnitPerObjectAcrossTheSet() {
        StripingLayout l = new StripingLayout(1 << 20, 64 << 10, 4);
        // [0, 320K): units 0..4 → objects 0,1,2,3 then object 0 again at 64K (merged into one extent)
        List<ObjectExtent> x = Striper.fileToExtents(l, 0, 320 << 10);
        assertEquals(4, x.size());
        ObjectExtent first = x.get(0);
        assertEquals(0, first.objectNumber());
        assertEquals(0, first.offset());
        assertEquals(128 << 10, first.length());
        assertEquals(2, first.bufferExtents().size(), "two image pieces, 256K apart");
        assertEquals(256 << 10, first.bufferExtents().get(1)[0]);
        // image byte 4 MiB starts the second object set
        assertEquals(4, Striper.fileToExtents(l, 4L << 20, 1).get(0).objectNumber());
    }

    @Test
    void objectNamesFollowEachFormat() {
        assertEquals("rbd_data.10226b8b4567.00000000000000ff", Striper.format2DataObject("10226b8b4567", 255));
        assertEquals("rb.0.1234.5678abcd.00000000000a", Striper.format1DataObject("rb.0.1234.5678abcd", 10));
    }

    @Test
    void aStripeUnitThatDoesNotDivideTheObjectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StripingLayout(1 << 20, 3000, 2));
    }

    @Property(tries = 200)
    void extentsCoverTheRequestExactlyOnce(@ForAll @IntRange(min = 0, max = 3) int unitShift,
            @ForAll @IntRange(min = 1, max = 6) int count, @ForAll @LongRange(min = 0, max = 1L << 26) long offset,
            @ForAll @LongRange(min = 0, max = 3 << 19) long length) {
        StripingLayout l = new StripingLayout(1 << 20, (64L << 10) << unitShift, count);
        boolean[] seen = new boolean[(int) length];
        long total = 0;
        for (ObjectExtent e : Striper.fileToExtents(l, offset, length)) {
            long inObject = 0;
            for (long[] b : e.bufferExtents()) {
                for (long i = b[0]; i < b[0] + b[1]; i++) {
                    assertEquals(false, seen[(int) i], "byte " + i + " covered twice");
                    seen[(int) i] = true;
                }
                inObject += b[1];
                total += b[1];
            }
            assertEquals(e.length(), inObject);
            assertEquals(true, e.offset() + e.length() <= l.objectSize());
        }
        assertEquals(length, total);
    }

    /** The non-striped fast path agrees with the general walk (a stripe unit of half an object, count 1, places bytes alike). */
    @Property(tries = 300)
    void theNonStripedFastPathMatchesTheGeneralWalk(@ForAll @IntRange(min = 12, max = 23) int order,
                                                    @ForAll @LongRange(min = 0, max = 1L << 34) long offset,
                                                    @ForAll @IntRange(min = 0, max = 40 << 20) int length) {
        List<ObjectExtent> fast = Striper.fileToExtents(StripingLayout.ofOrder(order), offset, length);
        List<ObjectExtent> general = Striper.fileToExtents(new StripingLayout(1L << order, 1L << (order - 1), 1), offset, length);
        assertEquals(render(general), render(fast));
    }

    private static String render(List<ObjectExtent> l) {
        StringBuilder b = new StringBuilder();
        for (ObjectExtent x : l) {
            b.append(x.objectNumber()).append(':').append(x.offset()).append('+').append(x.length()).append('[');
            for (long[] e : x.bufferExtents()) {
                b.append(e[0]).append('+').append(e[1]).append(' ');
            }
            b.append("] ");
        }
        return b.toString();
    }
}
