package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jceph.encoding.types.EntityAddr;
import org.junit.jupiter.api.Test;

/** The active mgr's address out of mgr dump's JSON. */
class MgrAddrTest {
    private static final String DUMP = "{\"epoch\":5,\"active_gid\":4105,\"active_name\":\"x\",\"active_addrs\":{\"addrvec\":"
            + "[{\"type\":\"v2\",\"addr\":\"127.0.0.1:6802\",\"nonce\":1234},{\"type\":\"v1\",\"addr\":\"127.0.0.1:6803\",\"nonce\":1234}]},"
            + "\"available\":true,\"standbys\":[]}";

    @Test
    void picksTheWantedKind() {
        EntityAddr v2 = RadosClient.activeMgrAddr(DUMP, true);
        assertEquals(EntityAddr.TYPE_MSGR2, v2.type());
        assertEquals(6802, v2.socketAddress().getPort());
        assertEquals(1234, v2.nonce());
        assertEquals(6803, RadosClient.activeMgrAddr(DUMP, false).socketAddress().getPort());
    }

    @Test
    void noActiveMgrIsNotFound() {
        String none = "{\"active_addrs\":{\"addrvec\":[{\"type\":\"v2\",\"addr\":\"0.0.0.0:0\",\"nonce\":0}]}}";
        assertThrows(RadosException.NotFoundException.class, () -> RadosClient.activeMgrAddr(none, true));
        assertThrows(RadosException.NotFoundException.class, () -> RadosClient.activeMgrAddr("{}", true));
    }
}
