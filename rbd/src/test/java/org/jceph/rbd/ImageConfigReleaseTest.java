package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rbd option table follows the cluster's release: Reef's and Tentacle's tools list one option
 * more than Pacific's (rbd_qos_exclude_ops, in its sorted place), nothing else differs.
 */
class ImageConfigReleaseTest {
    @Test
    void reefAndLaterAddOnlyQosExcludeOps() {
        List<String> pacific = ImageConfig.optionNames(16);
        assertFalse(pacific.contains("rbd_qos_exclude_ops"));
        List<String> expected = new ArrayList<>(pacific);
        expected.add(expected.indexOf("rbd_qos_iops_burst"), "rbd_qos_exclude_ops");
        assertEquals(expected, ImageConfig.optionNames(18));
        assertEquals(expected, ImageConfig.optionNames(20));
        assertEquals(pacific.size() + 1, ImageConfig.optionNames(17).size(), "Quincy takes Reef's table");
    }
}
