package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of the mapper API itself (the placements are proven by the oracle tests). */
class CrushMapperTest {
    private final CrushMapper mapper = new CrushMapper(CrushMap.decode(CrushFixtures.bytes("choose-args.bin")));
    private final int[] weights = {0x10000, 0x10000, 0x10000, 0x10000, 0x10000, 0x10000};

    @Test
    void unknownPoolFallsBackToDefaultChooseArgs() {
        for (int x = 0; x < 200; x++) {
            assertArrayEquals(mapper.map(0, x, 3, weights, CrushMap.DEFAULT_CHOOSE_ARGS),
                    mapper.map(0, x, 3, weights, 12345), "x=" + x);
        }
    }

    @Test
    void poolWithItsOwnChooseArgsDiffersFromDefault() {
        int differ = 0;
        for (int x = 0; x < 200; x++) {
            if (!java.util.Arrays.equals(mapper.map(0, x, 3, weights, 7), mapper.map(0, x, 3, weights, -1))) {
                differ++;
            }
        }
        // pool 7 zeroes host0's weight in the root: no mapping starts there
        assertEquals(true, differ > 0);
        for (int x = 0; x < 200; x++) {
            int first = mapper.map(0, x, 1, weights, 7)[0];
            assertEquals(true, first >= 2, "x=" + x + " went to host0 under pool 7's weights");
        }
    }

    @Test
    void outDeviceIsNeverChosen() {
        int[] w = weights.clone();
        w[3] = 0;
        for (int x = 0; x < 500; x++) {
            for (int item : mapper.map(0, x, 3, w, -1)) {
                assertEquals(true, item != 3);
            }
        }
    }

    @Test
    void badRuleGivesEmptyResult() {
        assertEquals(0, mapper.map(99, 1, 3, weights, -1).length);
        assertEquals(0, mapper.map(-1, 1, 3, weights, -1).length);
    }

    @Test
    void concurrentCallersAgree() throws Exception {
        int[][] expected = new int[1000][];
        for (int x = 0; x < expected.length; x++) {
            expected[x] = mapper.map(1, x, 4, weights, 0);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    int[] out = new int[4];
                    for (int x = 0; x < expected.length; x++) {
                        int n = mapper.doRule(1, x, out, 4, weights, 0);
                        assertArrayEquals(expected[x], java.util.Arrays.copyOf(out, n));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
