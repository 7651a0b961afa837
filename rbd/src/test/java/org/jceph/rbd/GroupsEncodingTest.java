package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.junit.jupiter.api.Test;

/**
 * The group encodings against bytes Pacific 16.2.15's rbd wrote (captured with rados
 * getomapval from a cluster where `rbd group create g1`, `group image add` of two images in pool
 * 3, and `group snap create g1@s1` had run).
 */
class GroupsEncodingTest {
    private static final HexFormat HEX = HexFormat.of();

    /** rbd_group_header.102c6b8b4567, key snapshot_10426b8b4567. */
    static final String GROUP_SNAPSHOT = "0101670000000c000000313034323662386234353637020000007331010200000001012000000003"
            + "000000000000000c000000313032386232373231386233040000000000000001012000000003000000000000000c000000313032"
            + "6161623735636365390500000000000000";

    /** rbd_header.1028b27218b3, key rbd_group_ref. */
    static final String GROUP_REF = "01011800000003000000000000000c000000313032633662386234353637";

    /** The SnapshotNamespace inside rbd_header.1028b27218b3's snapshot_0000000000000004 (cls_rbd_snap v8). */
    static final String GROUP_NAMESPACE = "01012c0000000100000003000000000000000c0000003130326336623862343536370c000000"
            + "313034323662386234353637";

    @Test
    void groupSnapshotRecordMatchesPacific() {
        Groups.GroupSnap s = Groups.decodeGroupSnapshot(CephDecoder.of(HEX.parseHex(GROUP_SNAPSHOT), "t"));
        assertEquals(new Groups.GroupSnap("10426b8b4567", "s1", Groups.SNAP_COMPLETE, List.of(
                new Groups.ImageSnap(3, "1028b27218b3", 4), new Groups.ImageSnap(3, "102aab75cce9", 5))), s);
        assertArrayEquals(HEX.parseHex(GROUP_SNAPSHOT), CephEncoder.toBytes(e -> Groups.encodeGroupSnapshot(e, s)));
    }

    @Test
    void groupSpecMatchesPacific() {
        Groups.GroupRef g = Groups.decodeGroupSpec(CephDecoder.of(HEX.parseHex(GROUP_REF), "t"));
        assertEquals(new Groups.GroupRef(3, "102c6b8b4567"), g);
        assertArrayEquals(HEX.parseHex(GROUP_REF), CephEncoder.toBytes(e -> Groups.encodeGroupSpec(e, g)));
    }

    @Test
    void groupSnapshotNamespaceMatchesPacific() {
        Groups.GroupNamespace ns = Groups.decodeNamespace(CephDecoder.of(HEX.parseHex(GROUP_NAMESPACE), "t"));
        assertEquals(new Groups.GroupNamespace(3, "102c6b8b4567", "10426b8b4567"), ns);
        assertArrayEquals(HEX.parseHex(GROUP_NAMESPACE), CephEncoder.toBytes(e -> Groups.encodeGroupNamespace(e, ns)));
        // and the member snapshot's name in that snapshot's record
        assertEquals(".group.3_102c6b8b4567_10426b8b4567", Groups.memberSnapName(3, "102c6b8b4567", "10426b8b4567"));
    }

    @Test
    void userNamespaceIsNotAGroupOne() {
        assertNull(Groups.decodeNamespace(CephDecoder.of(HEX.parseHex("010104000000" + "00000000"), "t")));
    }

    @Test
    void groupImageStatusRoundTrips() {
        byte[] b = CephEncoder.toBytes(e -> Groups.encodeGroupImageStatus(e, "102aab75cce9", 3, Groups.LINK_INCOMPLETE));
        // GroupImageStatus v1 { GroupImageSpec v1 { image id, pool s64 }, state u8 } (cls_rbd keeps only the state
        // byte in the group header, so this one is checked against the struct layout, not a capture)
        assertEquals("01011f000000" + "010118000000" + "0c000000" + HEX.formatHex("102aab75cce9".getBytes())
                + "0300000000000000" + "01", HEX.formatHex(b));
        assertEquals(new Groups.Member(3, "102aab75cce9", null, Groups.LINK_INCOMPLETE),
                Groups.decodeGroupImageStatus(CephDecoder.of(b, "t")));
    }

    @Test
    void truncatedRecordsAreTypedErrors() {
        byte[] cut = HEX.parseHex(GROUP_SNAPSHOT.substring(0, 60));
        assertThrows(DecodeException.class, () -> Groups.decodeGroupSnapshot(CephDecoder.of(cut, "t")));
    }
}
