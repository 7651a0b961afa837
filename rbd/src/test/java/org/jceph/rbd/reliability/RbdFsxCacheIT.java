package org.jceph.rbd.reliability;

import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.rbd.cache.CacheSettings;
import org.junit.jupiter.api.Test;

/**
 * {@link RbdFsx} with the client writeback cache on from the first write (rbd_cache_policy
 * writeback, no writethrough phase, a small max_dirty so that back-pressure and writeback under
 * target_dirty happen), a flush after about one step in ten (each must succeed), and a final
 * flush before the stock export is compared. A shorter run: the fault script still runs once.
 *
 * <p>On the default release only, in CI: the cache sits above RADOS and sends nothing a release
 * could treat differently from the uncached path that {@link RbdFsxIT} checks on every release
 * (it passed on Reef and Tentacle when it was written: {@code -Djceph.release=reef|tentacle}).
 */
class RbdFsxCacheIT extends RbdFsx {
    @Test
    void theImageMatchesItsModelUnderFaultsWithTheWritebackCache(CephCluster c) throws Exception {
        run(c, POOL + "-cache", CacheSettings.DEFAULTS.withPolicy(CacheSettings.Policy.WRITEBACK)
                .withWritethroughUntilFlush(false).withSizes(8 << 20, 6 << 20, 4 << 20), profile.pick(300, 3_000));
    }
}
