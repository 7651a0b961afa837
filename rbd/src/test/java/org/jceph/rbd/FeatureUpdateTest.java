package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.jceph.rados.IoCtx;
import org.jceph.rbd.objectmap.ObjectMap;
import org.junit.jupiter.api.Test;

/** librbd's feature dependency rules (FeatureUpdate.plan) and the rebuild's state rule (ObjectMapRebuild.stateAt). */
class FeatureUpdateTest {
    private static final long L = RbdFeatures.LAYERING;
    private static final long EL = RbdFeatures.EXCLUSIVE_LOCK;
    private static final long OM = RbdFeatures.OBJECT_MAP;
    private static final long FD = RbdFeatures.FAST_DIFF;
    private static final long DF = RbdFeatures.DEEP_FLATTEN;
    private static final long J = RbdFeatures.JOURNALING;
    private static final long DEFAULT = L | EL | OM | FD | DF;
    private static final long INVALID = ObjectMap.FLAG_OBJECT_MAP_INVALID | ObjectMap.FLAG_FAST_DIFF_INVALID;

    private static String refusal(long current, long requested, boolean enable) {
        return assertThrows(FeatureUpdate.RefusedException.class, () -> FeatureUpdate.plan(current, requested, enable)).getMessage();
    }

    @Test
    void immutableFeaturesAreRefused() {
        assertEquals("cannot update immutable features", refusal(DEFAULT, L, true));
        assertEquals("cannot update immutable features", refusal(DEFAULT, L, false));
        assertEquals("cannot update immutable features", refusal(L, DF, true)); // deep-flatten: disable only
        assertEquals("cannot update immutable features", refusal(DEFAULT, RbdFeatures.STRIPINGV2, false));
        assertEquals("cannot update immutable features", refusal(DEFAULT, RbdFeatures.NON_PRIMARY, true)); // internal
        assertEquals("cannot update immutable features", refusal(DEFAULT, RbdFeatures.DATA_POOL, false));
        assertEquals(-22, assertThrows(FeatureUpdate.RefusedException.class, () -> FeatureUpdate.plan(DEFAULT, L, true)).errno());
    }

    @Test
    void deepFlattenCanOnlyGo() {
        FeatureUpdate.Plan p = FeatureUpdate.plan(DEFAULT, DF, false);
        assertEquals(DF, p.changed());
        assertEquals(L | EL | OM | FD, p.newFeatures());
        assertEquals(0, p.flags());
    }

    @Test
    void objectMapAndFastDiffGoTogether() {
        FeatureUpdate.Plan on = FeatureUpdate.plan(L | EL, OM, true);
        assertEquals(OM | FD, on.changed());
        assertEquals(L | EL | OM | FD, on.newFeatures());
        assertEquals(INVALID, on.flags()); // the new map starts invalid
        assertTrue(on.objectMapChanges());
        assertEquals(OM | FD, FeatureUpdate.plan(L | EL, FD, true).changed());
        FeatureUpdate.Plan off = FeatureUpdate.plan(DEFAULT, FD, false);
        assertEquals(OM | FD, off.changed());
        assertEquals(L | EL | DF, off.newFeatures());
        assertEquals(INVALID, off.flags()); // cleared
        assertEquals(OM | FD, FeatureUpdate.plan(DEFAULT, OM, false).changed());
        // an old image with object-map but not fast-diff: librbd still ties the pair (both flags go
        // invalid) but keeps the existing map objects
        FeatureUpdate.Plan fd = FeatureUpdate.plan(L | EL | OM, FD, true);
        assertEquals(OM | FD, fd.changed());
        assertEquals(L | EL | OM | FD, fd.newFeatures());
        assertEquals(INVALID, fd.flags());
        assertFalse(fd.objectMapChanges());
    }

    @Test
    void objectMapNeedsExclusiveLock() {
        assertEquals("cannot enable object-map. exclusive-lock must be enabled before enabling object-map.", refusal(L, OM, true));
        FeatureUpdate.Plan both = FeatureUpdate.plan(L, EL | OM, true);
        assertEquals(EL | OM | FD, both.changed());
        assertEquals(L | EL | OM | FD, both.newFeatures());
        assertEquals("cannot disable exclusive-lock. object-map or journaling must be disabled before disabling exclusive-lock.",
                refusal(DEFAULT, EL, false));
        FeatureUpdate.Plan off = FeatureUpdate.plan(DEFAULT, EL | OM, false);
        assertEquals(L | DF, off.newFeatures());
        assertEquals(EL | OM | FD | J, off.mask()); // the disable mask covers what exclusive-lock carries
    }

    @Test
    void journalingNeedsExclusiveLock() {
        assertEquals("cannot enable journaling. exclusive-lock must be enabled before enabling journaling.", refusal(L, J, true));
        assertEquals(J, FeatureUpdate.plan(L | EL, J, true).changed());
        assertEquals("cannot disable exclusive-lock. object-map or journaling must be disabled before disabling exclusive-lock.",
                refusal(L | EL | J, EL, false));
    }

    @Test
    void alreadyOnOrOffIsRefused() {
        assertEquals("one or more requested features are already enabled", refusal(DEFAULT, EL, true));
        assertEquals("one or more requested features are already enabled", refusal(DEFAULT, FD, true));
        assertEquals("one or more requested features are already disabled", refusal(L, EL, false));
        assertEquals("one or more requested features are already disabled", refusal(L | EL, OM, false));
        assertEquals("update requires at least one feature", refusal(DEFAULT, 0, true));
    }

    @Test
    void enableMaskNamesTheDependencies() {
        assertEquals(EL | OM | FD, FeatureUpdate.plan(L | EL, OM, true).mask());
        assertEquals(EL, FeatureUpdate.plan(L, EL, true).mask());
    }

    // ---- rebuild: an object's state at a snapshot or HEAD from its snap set ------------------

    private static IoCtx.CloneInfo clone(long id, Long... snaps) {
        return new IoCtx.CloneInfo(id, List.of(snaps), List.of(), 4096);
    }

    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;

    @Test
    void rebuildStatesFollowTheSnapSet() {
        TreeSet<Long> snaps = new TreeSet<>(List.of(4L, 7L));
        // written before snapshot 4, never since: clean at HEAD, and at 7; at 4 it was written in its own span
        IoCtx.SnapSet old = new IoCtx.SnapSet(List.of(clone(IoCtx.CloneInfo.HEAD)), 0);
        assertEquals(ObjectMap.EXISTS_CLEAN, ObjectMapRebuild.stateAt(old, NOSNAP, snaps, true));
        assertEquals(ObjectMap.EXISTS, ObjectMapRebuild.stateAt(old, NOSNAP, snaps, false));
        assertEquals(ObjectMap.EXISTS, ObjectMapRebuild.stateAt(old, 4, snaps, true));
        assertEquals(ObjectMap.EXISTS_CLEAN, ObjectMapRebuild.stateAt(old, 7, snaps, true));
        // rewritten after snapshot 7: a clone serves 4 and 7, HEAD is dirty
        IoCtx.SnapSet rewritten = new IoCtx.SnapSet(List.of(clone(7, 4L, 7L), clone(IoCtx.CloneInfo.HEAD)), 7);
        assertEquals(ObjectMap.EXISTS, ObjectMapRebuild.stateAt(rewritten, NOSNAP, snaps, true));
        assertEquals(ObjectMap.EXISTS, ObjectMapRebuild.stateAt(rewritten, 4, snaps, true));
        assertEquals(ObjectMap.EXISTS_CLEAN, ObjectMapRebuild.stateAt(rewritten, 7, snaps, true));
        // created after snapshot 4: absent there, present at 7 (written in 7's span) and clean at HEAD
        IoCtx.SnapSet late = new IoCtx.SnapSet(List.of(clone(IoCtx.CloneInfo.HEAD)), 4);
        assertEquals(ObjectMap.NONEXISTENT, ObjectMapRebuild.stateAt(late, 4, snaps, true));
        assertEquals(ObjectMap.EXISTS, ObjectMapRebuild.stateAt(late, 7, snaps, true));
        assertEquals(ObjectMap.EXISTS_CLEAN, ObjectMapRebuild.stateAt(late, NOSNAP, snaps, true));
        // removed at HEAD after snapshot 7: only the clone remains
        IoCtx.SnapSet removed = new IoCtx.SnapSet(List.of(clone(7, 4L, 7L)), 7);
        assertEquals(ObjectMap.NONEXISTENT, ObjectMapRebuild.stateAt(removed, NOSNAP, snaps, true));
        assertEquals(ObjectMap.EXISTS_CLEAN, ObjectMapRebuild.stateAt(removed, 7, snaps, true));
    }
}
