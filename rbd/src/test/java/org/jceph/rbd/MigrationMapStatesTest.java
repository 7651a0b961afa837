package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jceph.rados.IoCtx;
import org.jceph.rbd.objectmap.ObjectMap;
import org.junit.jupiter.api.Test;

/**
 * The object map states a migration's deep copy sets, derived from an object's snap set the way
 * librbd's object map check (ObjectMapIterateRequest) derives what it expects: destination
 * snapshots 4 (s1) and 6 (s2), then HEAD.
 */
class MigrationMapStatesTest {
    private static final long S1 = 4;
    private static final long S2 = 6;
    private static final long HEAD = RbdImage.NOSNAP_ID;
    private static final NavigableSet<Long> SNAPS = new TreeSet<>(Long::compareUnsigned);

    static {
        SNAPS.add(S1);
        SNAPS.add(S2);
    }

    private static IoCtx.CloneInfo head() {
        return new IoCtx.CloneInfo(IoCtx.CloneInfo.HEAD, List.of(), List.of(), 1 << 20);
    }

    private static IoCtx.CloneInfo clone(long id, Long... snaps) {
        return new IoCtx.CloneInfo(id, List.of(snaps), List.of(), 1 << 20);
    }

    private static int[] states(IoCtx.SnapSet ss, boolean fastDiff) {
        return new int[] {Migration.expectedState(ss, S1, SNAPS, fastDiff),
            Migration.expectedState(ss, S2, SNAPS, fastDiff), Migration.expectedState(ss, HEAD, SNAPS, fastDiff)};
    }

    private static void assertStates(int[] want, int[] got) {
        assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(got));
    }

    @Test
    void unchangedSinceTheFirstSnapshotIsCleanAtHeadToo() {
        // written once (the s1 stage, under snap context seq 0), the same at s2 and HEAD: HEAD was
        // last written before s2, so the check expects EXISTS_CLEAN there, not EXISTS
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(head()), 0);
        assertStates(new int[] {ObjectMap.EXISTS, ObjectMap.EXISTS_CLEAN, ObjectMap.EXISTS_CLEAN}, states(ss, true));
        assertStates(new int[] {ObjectMap.EXISTS, ObjectMap.EXISTS, ObjectMap.EXISTS}, states(ss, false));
    }

    @Test
    void writtenAgainAtHeadIsExistsAtHead() {
        // s1's bytes cloned for s1 and s2 when HEAD's stage wrote under seq 6
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(clone(S2, S1, S2), head()), S2);
        assertStates(new int[] {ObjectMap.EXISTS, ObjectMap.EXISTS_CLEAN, ObjectMap.EXISTS}, states(ss, true));
    }

    @Test
    void createdForTheSecondSnapshot() {
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(head()), S1);
        assertStates(new int[] {ObjectMap.NONEXISTENT, ObjectMap.EXISTS, ObjectMap.EXISTS_CLEAN}, states(ss, true));
    }

    @Test
    void changedForEachSnapshot() {
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(clone(S1, S1), clone(S2, S2), head()), S2);
        assertStates(new int[] {ObjectMap.EXISTS, ObjectMap.EXISTS, ObjectMap.EXISTS}, states(ss, true));
    }

    @Test
    void removedAtHeadAndAbsentObjects() {
        // the head removed (no head in the listing) after s1 and s2 shared one clone
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(clone(S2, S1, S2)), S2);
        assertStates(new int[] {ObjectMap.EXISTS, ObjectMap.EXISTS_CLEAN, ObjectMap.NONEXISTENT}, states(ss, true));
        assertStates(new int[] {ObjectMap.NONEXISTENT, ObjectMap.NONEXISTENT, ObjectMap.NONEXISTENT},
                states(null, true));
    }

    @Test
    void aSnapshotTakenAfterPrepareSeesHeadsStage() {
        // destination snapshot 9 taken after prepare; HEAD's stage wrote under seq 6
        NavigableSet<Long> snaps = new TreeSet<>(Long::compareUnsigned);
        snaps.addAll(List.of(S1, S2, 9L, 11L));
        IoCtx.SnapSet ss = new IoCtx.SnapSet(List.of(clone(S2, S1, S2), head()), S2);
        assertEquals(ObjectMap.EXISTS, Migration.expectedState(ss, 9L, snaps, true));
        assertEquals(ObjectMap.EXISTS_CLEAN, Migration.expectedState(ss, 11L, snaps, true));
        assertEquals(ObjectMap.EXISTS_CLEAN, Migration.expectedState(ss, HEAD, snaps, true));
    }
}
