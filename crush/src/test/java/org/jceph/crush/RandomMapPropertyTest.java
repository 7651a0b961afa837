package org.jceph.crush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Property over the pre-captured "random" maps (random-N.bin, shapes fixed in capture-crush.sh:
 * every algorithm at every level, 1 to 4 levels, 3 to 40 devices): for any map and any x in the
 * captured range, our mapping equals crushtool's line.
 */
class RandomMapPropertyTest {
    private static final int MAPS = 12;
    private static final CrushMapper[] MAPPERS = new CrushMapper[MAPS];
    private static final List<List<String>> EXPECTED = new java.util.ArrayList<>();

    static {
        for (int i = 0; i < MAPS; i++) {
            MAPPERS[i] = new CrushMapper(CrushMap.decode(CrushFixtures.bytes("random-" + i + ".bin")));
            EXPECTED.add(CrushFixtures.lines("random-" + i + ".test.txt"));
        }
    }

    @Property(tries = 2000)
    void mappingEqualsCrushtool(@ForAll @IntRange(min = 0, max = MAPS - 1) int mapIndex,
            @ForAll @IntRange(min = 0, max = 199) int x) {
        CrushMapper mapper = MAPPERS[mapIndex];
        int[] weights = new int[mapper.maxDevices()];
        for (int o = 0; o < weights.length; o++) {
            weights[o] = mapper.map().itemPresent(o) ? 0x10000 : 0;
        }
        int[] got = mapper.map(0, x, 4, weights, 0);
        String expected = EXPECTED.get(mapIndex).get(x);
        String line = "CRUSH rule 0 x " + x + " " + Arrays.toString(got).replace(" ", "");
        assertEquals(expected, line, "random-" + mapIndex);
    }
}
