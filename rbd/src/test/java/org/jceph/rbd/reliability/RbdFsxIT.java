package org.jceph.rbd.reliability;

import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CrossRelease;
import org.junit.jupiter.api.Test;

/** {@link RbdFsx} on the uncached path, against every release. */
@CrossRelease
class RbdFsxIT extends RbdFsx {
    @Test
    void theImageMatchesItsModelUnderFaults(CephCluster c) throws Exception {
        run(c, POOL, null, profile.pick(800, 3_000));
    }
}
