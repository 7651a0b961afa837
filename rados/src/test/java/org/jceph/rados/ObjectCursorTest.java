package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cursor order and librados' slicing arithmetic, without a cluster. */
class ObjectCursorTest {
    private final IoCtx io = new IoCtx(null, 7, "p");

    @Test
    void cursorsOrderByReversedHashThenNamespaceThenName() {
        ObjectCursor a = ObjectCursor.ofObject(7, 0x1, "", "", "x"); // reversed: 0x80000000
        ObjectCursor b = ObjectCursor.ofObject(7, 0x2, "", "", "x"); // reversed: 0x40000000
        assertTrue(b.compareTo(a) < 0, "bit-reversed hash order, not plain hash order");
        ObjectCursor c = ObjectCursor.ofObject(7, 0x2, "ns", "", "a");
        assertTrue(b.compareTo(c) < 0, "same hash: the default namespace first");
        ObjectCursor d = ObjectCursor.ofObject(7, 0x2, "ns", "", "b");
        assertTrue(c.compareTo(d) < 0);
        assertTrue(ObjectCursor.BEGIN.compareTo(b) < 0);
        assertTrue(ObjectCursor.END.compareTo(a) > 0);
        assertTrue(ObjectCursor.END.isEnd() && !a.isEnd());
        assertEquals(ObjectCursor.ofObject(7, 0x2, "ns", "", "b"), d);
    }

    @Test
    void slicesCoverTheRangeInOrderWithEqualHashShares() {
        List<ObjectCursor.Range> parts = io.objectListSlice(io.objectListBegin(), io.objectListEnd(), 4);
        assertEquals(4, parts.size());
        assertEquals(ObjectCursor.BEGIN, parts.get(0).start());
        assertTrue(parts.get(3).end().isEnd());
        for (int i = 1; i < 4; i++) {
            assertEquals(parts.get(i - 1).end(), parts.get(i).start(), "consecutive");
            // the boundaries sit at i/4 of the reversed hash space
            assertEquals((long) i << 30, parts.get(i).start().reversedHash());
        }
        // an object belongs to exactly one part
        ObjectCursor o = ObjectCursor.ofObject(7, Integer.toUnsignedLong(Integer.reverse(0x7fff_ffff)), "", "", "x");
        long owners = parts.stream().filter(r -> r.start().compareTo(o) <= 0 && o.compareTo(r.end()) < 0).count();
        assertEquals(1, owners);
        assertTrue(parts.get(1).start().compareTo(o) <= 0 && o.compareTo(parts.get(1).end()) < 0);
    }

    @Test
    void slicingASliceStaysInsideIt() {
        ObjectCursor.Range half = io.objectListSlice(ObjectCursor.BEGIN, ObjectCursor.END, 2).get(1);
        List<ObjectCursor.Range> quarters = io.objectListSlice(half.start(), half.end(), 2);
        assertEquals(half.start(), quarters.get(0).start());
        assertEquals(3L << 30, quarters.get(1).start().reversedHash());
        assertTrue(quarters.get(1).end().isEnd());
        // more parts than hashes in a tiny range: empty ranges, never backwards
        ObjectCursor s = ObjectCursor.atReversedHash(7, 10);
        ObjectCursor e = ObjectCursor.atReversedHash(7, 12);
        List<ObjectCursor.Range> many = io.objectListSlice(s, e, 5);
        assertEquals(5, many.size());
        many.forEach(r -> assertTrue(r.start().compareTo(r.end()) <= 0));
    }

    @Test
    void badArgumentsAreRefusedUpFront() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.objectListSlice(ObjectCursor.BEGIN, ObjectCursor.END, 0));
        assertEquals("parts must be positive: 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> io.objectListSlice(ObjectCursor.END, ObjectCursor.BEGIN, 2));
        NullPointerException n = assertThrows(NullPointerException.class, () -> io.objectListSlice(null, ObjectCursor.END, 2));
        assertEquals("start must not be null", n.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> io.listObjectsPageAsync("", ObjectCursor.BEGIN, ObjectCursor.END, 0));
    }
}
