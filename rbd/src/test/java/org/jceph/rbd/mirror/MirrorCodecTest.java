package org.jceph.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.mirror.MirrorTypes.Direction;
import org.jceph.rbd.mirror.MirrorTypes.ImageMode;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.MirrorImage;
import org.jceph.rbd.mirror.MirrorTypes.Peer;
import org.jceph.rbd.mirror.MirrorTypes.SnapNamespace;
import org.jceph.rbd.mirror.MirrorTypes.SnapState;
import org.junit.jupiter.api.Test;

/**
 * The mirroring encodings against bytes Pacific 16.2.15's rbd wrote (rados getomapval on a
 * cluster where `rbd mirror pool enable rbd image`, `mirror pool peer add rbd client.admin@site-b`,
 * `mirror image enable img1 snapshot` and `mirror image demote img1` had run).
 */
class MirrorCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String PEER_UUID = "1839dca4-9edb-4420-9e44-bf1760128f70";

    /** rbd_mirroring, key mirror_peer_1839dca4-...: MirrorPeer v2. */
    static final String PEER = "0201570000002400000031383339646361342d396564622d343432302d396534342d6266313736303132"
            + "3866373006000000736974652d620c000000636c69656e742e61646d696effffffffffffffff02000000000000000000000000";

    /** rbd_mirroring, key image_104284afd8ba: MirrorImage v2, enabled, snapshot mode. */
    static final String IMAGE = "02012a0000002400000061316430663961372d396339372d346539362d613863332d636665306634"
            + "3132613238610101";

    /** The SnapshotNamespace of snapshot 4 (the enable's primary snapshot) in its cls_rbd_snap record. */
    static final String PRIMARY_NS = "01014a000000030000000001010000002400000031383339646361342d396564622d343432302d39"
            + "6534342d62663137363031323866373000000000feffffffffffffff000000000000000000000000";

    /** The same for snapshot 5, the demotion snapshot. */
    static final String DEMOTED_NS = "01014a000000030000000101010000002400000031383339646361342d396564622d343432302d39"
            + "6534342d62663137363031323866373000000000feffffffffffffff000000000000000000000000";

    @Test
    void peerMatchesPacific() {
        Peer p = MirrorCodec.decodePeer(CephDecoder.of(HEX.parseHex(PEER), "t"));
        assertEquals(new Peer(PEER_UUID, Direction.RX_TX, "site-b", "", "client.admin", 0, 0), p);
        assertArrayEquals(HEX.parseHex(PEER), CephEncoder.toBytes(e -> MirrorCodec.encodePeer(e, p)));
    }

    @Test
    void imageRecordMatchesPacific() {
        MirrorImage m = MirrorCodec.decodeImage(CephDecoder.of(HEX.parseHex(IMAGE), "t"));
        assertEquals(new MirrorImage(ImageMode.SNAPSHOT, "a1d0f9a7-9c97-4e96-a8c3-cfe0f412a28a", ImageState.ENABLED), m);
        assertArrayEquals(HEX.parseHex(IMAGE), CephEncoder.toBytes(e -> MirrorCodec.encodeImage(e, m)));
    }

    @Test
    void primaryAndDemotedNamespacesMatchPacific() {
        SnapNamespace primary = MirrorCodec.decodeNamespace(CephDecoder.of(HEX.parseHex(PRIMARY_NS), "t"));
        assertEquals(new SnapNamespace(SnapState.PRIMARY, true, Set.of(PEER_UUID), "", MirrorImages.NOSNAP, 0, Map.of()),
                primary);
        assertArrayEquals(HEX.parseHex(PRIMARY_NS), CephEncoder.toBytes(e -> MirrorCodec.encodeNamespace(e, primary)));
        SnapNamespace demoted = MirrorCodec.decodeNamespace(CephDecoder.of(HEX.parseHex(DEMOTED_NS), "t"));
        assertEquals(SnapState.PRIMARY_DEMOTED, demoted.state());
        assertArrayEquals(HEX.parseHex(DEMOTED_NS), CephEncoder.toBytes(e -> MirrorCodec.encodeNamespace(e, demoted)));
    }

    @Test
    void nonPrimaryNamespaceRoundTrips() {
        SnapNamespace ns = new SnapNamespace(SnapState.NON_PRIMARY, false, Set.of(), "remote-uuid", 12, 3,
                Map.of(12L, 7L, 10L, 5L));
        byte[] b = CephEncoder.toBytes(e -> MirrorCodec.encodeNamespace(e, ns));
        assertEquals(ns, MirrorCodec.decodeNamespace(CephDecoder.of(b, "t")));
    }

    @Test
    void otherNamespacesAreNotMirrorOnes() {
        byte[] user = HEX.parseHex("010104000000" + "00000000");
        assertNull(MirrorCodec.decodeNamespace(CephDecoder.of(user, "t")));
    }

    @Test
    void unknownValuesAreTypedErrors() {
        String badState = PRIMARY_NS.substring(0, 20) + "07" + PRIMARY_NS.substring(22);
        RbdException e = assertThrows(RbdException.class,
                () -> MirrorCodec.decodeNamespace(CephDecoder.of(HEX.parseHex(badState), "t")));
        assertEquals(-22, e.errno());
        assertThrows(RbdException.class, () -> MirrorTypes.Mode.parse("journal"));
        assertEquals(MirrorTypes.Mode.POOL, MirrorTypes.Mode.of(2));
    }

    /** Every value's cls_rbd number (cls_rbd_types.h) and rbd word, so a reordered constant fails here. */
    @Test
    void codesAndWordsAreClsRbdsAndTheTools() {
        assertEquals("0 disabled,1 image,2 pool", table(MirrorTypes.Mode.values()));
        assertEquals("0 rx-only,1 tx-only,2 rx-tx", table(Direction.values()));
        assertEquals("0 journal,1 snapshot", table(ImageMode.values()));
        assertEquals("0 disabling,1 enabled,2 disabled,3 creating", table(ImageState.values()));
        assertEquals("0 primary,1 demoted,2 non-primary,3 non-primary-demoted", table(SnapState.values()));
        assertEquals(Direction.TX_ONLY, Direction.parse("tx-only"));
        assertEquals(ImageMode.SNAPSHOT, ImageMode.of(1));
        assertEquals(ImageState.CREATING, ImageState.of(3));
        assertEquals(SnapState.PRIMARY_DEMOTED, SnapState.of(1));
    }

    private static String table(MirrorTypes.Coded[] values) {
        StringBuilder b = new StringBuilder();
        for (MirrorTypes.Coded c : values) {
            b.append(b.length() == 0 ? "" : ",").append(c.code()).append(' ').append(c.text());
        }
        return b.toString();
    }
}
