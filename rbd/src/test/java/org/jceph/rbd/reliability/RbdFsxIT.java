package org.jceph.rbd.reliability;

import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.junit.jupiter.api.Test;

/**
 * {@link RbdFsx} on the uncached path, against every release: at least 800 image ops on Pacific,
 * 300 on Reef and Tentacle (the whole fault script runs on each; docs/RELIABILITY.md).
 */
@CrossRelease
class RbdFsxIT extends RbdFsx {
    @Test
    void theImageMatchesItsModelUnderFaults(CephCluster c) throws Exception {
        run(c, POOL, null, profile.pick(c, 800, 300, 3_000));
    }
}
