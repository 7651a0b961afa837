package org.jceph.rbd.mirror;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rbd.mirror.MirrorTypes.Direction;
import org.jceph.rbd.mirror.MirrorTypes.ImageMode;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.MirrorImage;
import org.jceph.rbd.mirror.MirrorTypes.Peer;
import org.jceph.rbd.mirror.MirrorTypes.SnapNamespace;
import org.jceph.rbd.mirror.MirrorTypes.SnapState;

/** The encodings of cls_rbd's mirroring structs, as Pacific 16.2.15 writes them. */
public final class MirrorCodec {
    private MirrorCodec() {
    }

    /** MirrorPeer's pool id field, which Pacific no longer uses and writes as -1. */
    private static final long UNUSED_POOL = -1;

    /**
     * MirrorPeer v2 (compat 1): uuid, site name, client name, an unused pool id, then (v2)
     * direction, mirror uuid and last-seen time.
     *
     * @param e where to write
     * @param p the peer
     */
    public static void encodePeer(CephEncoder e, Peer p) {
        int mark = e.beginStruct(2, 1);
        e.writeString(p.uuid());
        e.writeString(p.siteName());
        e.writeString(p.clientName());
        e.writeS64Le(UNUSED_POOL);
        e.writeU8(p.direction().code());
        e.writeString(p.mirrorUuid());
        e.writeU32Le(p.lastSeenSec());
        e.writeU32Le(p.lastSeenNsec());
        e.finishStruct(mark);
    }

    /**
     * Reads a MirrorPeer (v1 records are rx-tx peers with no mirror uuid).
     *
     * @param d where to read
     * @return the peer
     */
    public static Peer decodePeer(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("cls::rbd::MirrorPeer", 2);
        String uuid = d.readString();
        String site = d.readString();
        String client = d.readString();
        d.readS64Le();
        Direction dir = Direction.RX_TX;
        String mirrorUuid = "";
        long sec = 0;
        long nsec = 0;
        if (env.version() >= 2) {
            dir = Direction.of(d.readU8());
            mirrorUuid = d.readString();
            sec = d.readU32Le();
            nsec = d.readU32Le();
        }
        d.endStruct(env);
        return new Peer(uuid, dir, site, mirrorUuid, client, sec, nsec);
    }

    /**
     * MirrorImage v2 (compat 1): global id, state (u8), then (v2) mode (u8).
     *
     * @param e where to write
     * @param m the record
     */
    public static void encodeImage(CephEncoder e, MirrorImage m) {
        int mark = e.beginStruct(2, 1);
        e.writeString(m.globalId());
        e.writeU8(m.state().code());
        e.writeU8(m.mode().code());
        e.finishStruct(mark);
    }

    /**
     * Reads a MirrorImage (a v1 record is journal-based).
     *
     * @param d where to read
     * @return the record
     */
    public static MirrorImage decodeImage(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("cls::rbd::MirrorImage", 2);
        String global = d.readString();
        ImageState state = ImageState.of(d.readU8());
        ImageMode mode = env.version() >= 2 ? ImageMode.of(d.readU8()) : ImageMode.JOURNAL;
        d.endStruct(env);
        return new MirrorImage(mode, global, state);
    }

    /**
     * The whole SnapshotNamespace struct (v1) of a mirror snapshot, as snapshot_add takes it:
     * type 3, state (u8), complete, peer uuids (a set), primary mirror uuid, primary snap id,
     * last copied object number and the snap seq map.
     *
     * @param e where to write
     * @param ns the namespace
     */
    public static void encodeNamespace(CephEncoder e, SnapNamespace ns) {
        int mark = e.beginStruct(1, 1);
        e.writeU32Le(SnapNamespace.TYPE);
        e.writeU8(ns.state().code());
        e.writeBool(ns.complete());
        e.writeList(new TreeSet<>(ns.peerUuids()), CephEncoder::writeString);
        e.writeString(ns.primaryMirrorUuid());
        e.writeU64Le(ns.primarySnapId());
        e.writeU64Le(ns.lastCopiedObjectNumber());
        e.writeMap(new java.util.TreeMap<>(ns.snapSeqs()), CephEncoder::writeU64Le, CephEncoder::writeU64Le);
        e.finishStruct(mark);
    }

    /**
     * Reads a SnapshotNamespace struct: the mirror namespace, or null for another type.
     *
     * @param d where to read
     * @return the namespace, or null
     */
    public static SnapNamespace decodeNamespace(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("cls::rbd::SnapshotNamespace", 1);
        long type = d.readU32Le();
        SnapNamespace ns = null;
        if (type == SnapNamespace.TYPE) {
            SnapState state = SnapState.of(d.readU8());
            boolean complete = d.readBool();
            java.util.Set<String> peers = new TreeSet<>(d.readSet(4, CephDecoder::readString));
            String primaryUuid = d.readString();
            long primarySnap = d.readU64Le();
            long copied = d.readU64Le();
            Map<Long, Long> seqs = new LinkedHashMap<>(d.readMap(16, CephDecoder::readU64Le, CephDecoder::readU64Le));
            ns = new SnapNamespace(state, complete, peers, primaryUuid, primarySnap, copied, seqs);
        }
        d.endStruct(env);
        return ns;
    }
}
