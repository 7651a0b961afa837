package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jceph.rbd.layout.StripingLayout;
import org.junit.jupiter.api.Test;

/** The object counts a copy reports: every one from 1 to the total, in order, however they arrive. */
class ObjectProgressTest {
    private static List<String> run(StripingLayout layout, long bytes, long... offsets) {
        List<String> seen = new ArrayList<>();
        ObjectProgress p = new ObjectProgress((d, t) -> seen.add(d + "/" + t), layout, bytes);
        for (long o : offsets) {
            p.doneBefore(o);
        }
        p.finish();
        return seen;
    }

    @Test
    void reportsEveryObjectOnceInOrder() {
        StripingLayout plain = StripingLayout.ofOrder(22);
        // 10 objects of 4 MiB; a long extent finishes objects 0..4 at once, then the rest at the end
        assertEquals(List.of("1/10", "2/10", "3/10", "4/10", "5/10", "6/10", "7/10", "8/10", "9/10", "10/10"),
                run(plain, 40L << 20, 20L << 20, 3L << 20));
        // a partial last object counts; a repeated or earlier offset reports nothing new
        assertEquals(List.of("1/3", "2/3", "3/3"), run(plain, 9L << 20, 4L << 20, 4L << 20, 1));
        assertEquals(List.of(), run(plain, 0));
    }

    @Test
    void stripedImagesCountWholeObjectSets() {
        // 1 MiB objects, 64 KiB stripe unit, 4 objects a set: 4 MiB sets; 8 MiB image = 8 objects
        StripingLayout striped = new StripingLayout(1 << 20, 64 << 10, 4);
        assertEquals(List.of("1/8", "2/8", "3/8", "4/8"), run(striped, 8L << 20, 5L << 20).subList(0, 4));
        assertEquals(8, run(striped, 8L << 20, 5L << 20).size());
    }
}
