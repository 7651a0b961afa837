package org.jceph.messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.config.MonHost;
import org.junit.jupiter.api.Test;

/** v1 or v2: mon_host spellings, addrvecs and ms_jceph_force_msgr1 (ms_bind_msgr2 does not change a client's choice). */
class AddressPolicyTest {
    static EntityAddr pick(String monHostEntry, boolean msgr2) {
        List<EntityAddrVec> mons = MonHost.parse(monHostEntry);
        assertEquals(1, mons.size(), mons.toString());
        return AddressPolicy.pick(mons.get(0), msgr2);
    }

    @Test
    void v1PrefixAndLegacyPortMeanMsgr1() {
        assertEquals(EntityAddr.TYPE_LEGACY, pick("v1:10.0.0.1", true).type());
        assertEquals(6789, pick("v1:10.0.0.1", true).port());
        assertEquals(EntityAddr.TYPE_LEGACY, pick("10.0.0.1:6789", true).type());
        assertEquals(EntityAddr.TYPE_MSGR2, pick("10.0.0.1:3300", true).type());
    }

    @Test
    void vectorsPreferV2UnlessMsgr2IsOff() {
        assertEquals(EntityAddr.TYPE_MSGR2, pick("[v2:10.0.0.1:3300,v1:10.0.0.1:6789]", true).type());
        EntityAddr v1 = pick("[v2:10.0.0.1:3300,v1:10.0.0.1:6789]", false);
        assertEquals(EntityAddr.TYPE_LEGACY, v1.type());
        assertEquals(6789, v1.port());
        assertNull(pick("v2:10.0.0.1", false), "a v2-only monitor cannot be reached with msgr2 off");
        assertNull(AddressPolicy.pick(null, true));
    }

    @Test
    void configSwitches() {
        CephConfig d = CephConfig.builder().environment(Map.of()).monHost("v1:10.0.0.1").build();
        assertTrue(d.bindMsgr2());
        assertTrue(d.useMsgr2());
        assertFalse(d.msgr2Rev0());
        assertTrue(d.cephxSignMessages());
        CephConfig c = CephConfig.builder().environment(Map.of()).monHost("v1:10.0.0.1")
                .set("ms bind msgr2", "false").set("ms_jceph_msgr2_rev0", "true").set("cephx_sign_messages", "0").build();
        assertFalse(c.bindMsgr2());
        assertTrue(c.useMsgr2(), "a client does not bind: ms_bind_msgr2 leaves it on v2");
        assertFalse(CephConfig.builder().environment(Map.of()).monHost("v1:10.0.0.1")
                .set("ms_jceph_force_msgr1", "yes").build().useMsgr2());
        assertTrue(c.msgr2Rev0());
        assertFalse(c.cephxSignMessages());
        assertEquals(0, d.droppedFeatures());
        assertEquals(org.jceph.encoding.CephFeature.CEPHX_V2.bitMask(), CephConfig.builder().environment(Map.of())
                .monHost("v1:10.0.0.1").set("ms_jceph_drop_features", "cephx_v2").build().droppedFeatures());
        assertThrows(IllegalArgumentException.class, () -> CephConfig.builder().environment(Map.of())
                .monHost("v1:10.0.0.1").set("ms_jceph_drop_features", "warp_drive").build().droppedFeatures());
        CephConfig bad = CephConfig.builder().environment(Map.of()).monHost("v1:10.0.0.1")
                .set("ms_bind_msgr2", "maybe").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::bindMsgr2);
        assertTrue(e.getMessage().contains("ms_bind_msgr2"), e.getMessage());
    }
}
