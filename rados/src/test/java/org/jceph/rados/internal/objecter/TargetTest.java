package org.jceph.rados.internal.objecter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.OsdMapEdit;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.rados.internal.Backoffs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The target calculation on the capture cluster's map (fixtures/osdmap/epochs/full.47), edited
 * for each case: one decision per call, no side effects, in the Objecter's order.
 */
class TargetTest {
    /** No OSD has a block. */
    private static final java.util.function.IntFunction<Backoffs.Table> NO_BLOCKS = osd -> null;
    private static OsdMap base;
    private static long pool;

    @BeforeAll
    static void load() throws IOException {
        base = OsdMapCodec.decode(org.jceph.rados.internal.CapturedEpochs.bytes("full.47"));
        pool = base.pools().entrySet().stream().filter(e -> !e.getValue().isErasure()).findFirst().orElseThrow().getKey();
    }

    private static Target.Address obj(String oid) {
        return new Target.Address(pool, "", "", oid, -1);
    }

    private static PgPool withFlags(PgPool p, long flags) {
        return p.withPlacement(p.type(), p.size(), p.minSize(), p.crushRule(), p.pgNum(), p.pgpNum(), p.pgNumTarget(),
                p.pgpNumTarget(), p.flags() | flags);
    }

    private static OsdMap withPoolFlags(long flags) {
        return OsdMapEdit.of(base).pool(pool, base.poolNames().get(pool), withFlags(base.pool(pool), flags)).build();
    }

    @Test
    void aReachablePrimaryIsSentTo() {
        Placement p = new Placement(base);
        Target t = Target.calc(p, obj("a"), true, NO_BLOCKS);
        assertEquals(Target.Action.SEND, t.action());
        PgId raw = p.objectToRawPg(pool, "a", "", "");
        assertEquals(raw, t.rawPg());
        assertEquals(p.pgToUpActing(raw), t.placement());
        assertEquals(t.placement().actingPrimary(), t.primary());
        assertTrue(base.isUp(t.primary()));
        assertEquals(SPgId.NO_SHARD, t.shard(), "a replicated pool has no shards");
        assertNull(t.heldBy());
    }

    @Test
    void aPgOpGoesToItsSeedsPg() {
        Target t = Target.calc(new Placement(base), new Target.Address(pool, "", "", "", 3), false, NO_BLOCKS);
        assertEquals(Target.Action.SEND, t.action());
        assertEquals(new PgId(pool, 3), t.rawPg());
    }

    @Test
    void aPoolThatIsGoneFailsTheOp() {
        OsdMap m = OsdMapEdit.of(base).removePool(pool).build();
        Target t = Target.calc(new Placement(m), obj("a"), false, NO_BLOCKS);
        assertEquals(Target.Action.POOL_GONE, t.action());
        assertEquals(-1, t.primary());
        assertNull(t.placement());
    }

    @Test
    void aPoolAtItsQuotaFailsWritesOnly() {
        Placement p = new Placement(withPoolFlags(PgPool.FLAG_FULL_QUOTA));
        assertEquals(Target.Action.POOL_QUOTA, Target.calc(p, obj("a"), true, NO_BLOCKS).action());
        assertEquals(Target.Action.SEND, Target.calc(p, obj("a"), false, NO_BLOCKS).action());
    }

    @Test
    void pauseAndFullFlagsHoldWhatTheyName() {
        Map<Long, boolean[]> cases = Map.of( // map flag -> {holds reads, holds writes}
                Target.MAP_FLAG_PAUSERD, new boolean[] {true, false},
                Target.MAP_FLAG_PAUSEWR, new boolean[] {false, true},
                Target.MAP_FLAG_FULL, new boolean[] {false, true});
        cases.forEach((flag, holds) -> {
            Placement p = new Placement(OsdMapEdit.of(base).flags(base.flags() | flag).build());
            assertEquals(holds[0] ? Target.Action.PAUSED : Target.Action.SEND,
                    Target.calc(p, obj("a"), false, NO_BLOCKS).action(), "read, flag " + flag);
            Target w = Target.calc(p, obj("a"), true, NO_BLOCKS);
            assertEquals(holds[1] ? Target.Action.PAUSED : Target.Action.SEND, w.action(), "write, flag " + flag);
        });
        Placement fullPool = new Placement(withPoolFlags(PgPool.FLAG_FULL));
        Target w = Target.calc(fullPool, obj("a"), true, NO_BLOCKS);
        assertEquals(Target.Action.PAUSED, w.action());
        assertNull(w.placement(), "a held op has no target");
        assertEquals(Target.Action.SEND, Target.calc(fullPool, obj("a"), false, NO_BLOCKS).action());
    }

    @Test
    void aPgWithoutAnUpPrimaryParksTheOp() {
        OsdMapEdit e = OsdMapEdit.of(base);
        for (int osd = 0; osd < base.maxOsd(); osd++) {
            e.osd(osd, 1 /* CEPH_OSD_EXISTS, not UP */, 0x10000);
        }
        Target t = Target.calc(new Placement(e.build()), obj("a"), false, NO_BLOCKS);
        assertEquals(Target.Action.NO_PRIMARY, t.action());
        assertEquals(-1, t.primary());
        assertNotNull(t.placement(), "the placement is kept: the next map is compared with it");
    }

    @Test
    void aBlockOfThePrimarysSessionHoldsTheObjectsInItsRange() {
        Placement p = new Placement(base);
        Target sent = Target.calc(p, obj("a"), true, NO_BLOCKS);
        Backoffs.Table table = new Backoffs.Table();
        var h = obj("a").hobject(sent.rawPg().seed());
        Backoffs.Backoff block = new Backoffs.Backoff(new SPgId(sent.placement().pg(), -1), 47, Backoffs.OP_BLOCK, 9, h, h);
        table.block(block);
        Target held = Target.calc(p, obj("a"), true, osd -> osd == sent.primary() ? table : null);
        assertEquals(Target.Action.BACKED_OFF, held.action());
        assertSame(block, held.heldBy());
        assertEquals(sent.primary(), held.primary());
        // another object of another pg is not held by it
        String other = "b";
        for (int i = 0; p.objectToRawPg(pool, other, "", "").equals(sent.rawPg()); i++) {
            other = "b" + i;
        }
        Target free = Target.calc(p, obj(other), true, osd -> osd == sent.primary() ? table : null);
        assertEquals(Target.Action.SEND, free.action());
        assertNull(free.heldBy());
    }

    @Test
    void opStatesAtAnOsdAreSentAndBackedOff() {
        for (OpState s : OpState.values()) {
            assertEquals(s == OpState.SENT || s == OpState.BACKED_OFF, s.atOsd(), s.name());
        }
    }
}
