package org.jceph.rbd.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.mirror.MirrorTypes.Direction;
import org.jceph.rbd.mirror.MirrorTypes.ImageState;
import org.jceph.rbd.mirror.MirrorTypes.MirrorImage;
import org.jceph.rbd.mirror.MirrorTypes.Mode;
import org.jceph.rbd.mirror.MirrorTypes.Peer;

/**
 * Pool-level mirroring, as librbd's api/Mirror does it: the mode, the pool's mirror uuid and
 * peers (omap of the {@code rbd_mirroring} object, through cls_rbd) and the site name (the
 * monitors' config-key {@code rbd/mirror/site_name}, the cluster's fsid when unset).
 */
public final class MirrorPool {
    private MirrorPool() {
    }

    /** The object holding a pool's (namespace's) mirroring state. */
    public static final String OBJECT = "rbd_mirroring";

    /** The config-key of the site name. */
    public static final String SITE_NAME_KEY = "rbd/mirror/site_name";

    /** How many mirrored images cls_rbd lists per call. */
    private static final int LIST_CHUNK = 1024;

    /**
     * rbd_mirror_mode_get: the pool's mode, DISABLED when it was never set.
     *
     * @param io the pool (and namespace)
     * @return the mode
     */
    public static Mode modeGet(IoCtx io) {
        try {
            return Mode.of(CephDecoder.of(io.exec(OBJECT, "rbd", "mirror_mode_get", new byte[0]), "mirror_mode_get")
                    .readU32Le());
        } catch (RadosException.NotFoundException e) {
            return Mode.DISABLED;
        }
    }

    /**
     * rbd_mirror_uuid_get: the pool's mirror uuid (made when mirroring is first enabled).
     *
     * @param io the pool
     * @return the uuid, or null when mirroring never was enabled
     */
    public static String uuidGet(IoCtx io) {
        try {
            return CephDecoder.of(io.exec(OBJECT, "rbd", "mirror_uuid_get", new byte[0]), "mirror_uuid_get").readString();
        } catch (RadosException.NotFoundException e) {
            return null;
        }
    }

    /**
     * rbd_mirror_remote_namespace_get (Squid's librbd): the namespace of the remote pool this
     * pool or namespace mirrors with. When none was set (cls_rbd ENOENT), or the OSDs predate the
     * call (EOPNOTSUPP), it is the same namespace as the local one.
     *
     * @param io the pool, in the namespace asked about
     * @return the remote namespace's name ("" for the default namespace)
     */
    public static String remoteNamespaceGet(IoCtx io) {
        try {
            return CephDecoder.of(io.exec(OBJECT, "rbd", "mirror_remote_namespace_get", new byte[0]),
                    "mirror_remote_namespace_get").readString();
        } catch (RadosException e) {
            if (e.errno() == Errno.ENOENT.negative() || e.errno() == Errno.EOPNOTSUPP.negative()) {
                return io.namespace();
            }
            throw e;
        }
    }

    /**
     * rbd_mirror_mode_set. Enabling makes the pool's mirror uuid if there is none. Disabling
     * refuses (EINVAL) while images are mirrored in image mode; cls_rbd refuses (EBUSY) while
     * peers are registered. Pool mode does not turn on journal-based mirroring of journaling
     * images (jceph has no journal); it refuses (EINVAL) while images are mirrored by snapshots.
     *
     * @param io the pool
     * @param mode the new mode
     */
    public static void modeSet(IoCtx io, Mode mode) {
        Mode current = modeGet(io);
        if (current == mode) {
            return;
        }
        if (mode != Mode.DISABLED && uuidGet(io) == null) {
            String uuid = UUID.randomUUID().toString();
            io.exec(OBJECT, "rbd", "mirror_uuid_set", CephEncoder.toBytes(e -> e.writeString(uuid)));
        }
        if (mode == Mode.DISABLED) {
            for (String imageId : imageIds(io).keySet()) {
                MirrorImage m = MirrorImages.record(io, imageId);
                if (m != null && m.state() == ImageState.ENABLED) {
                    throw new RbdException(Errno.EINVAL.negative(), "mirroring is enabled on one or more images");
                }
            }
        } else if (mode == Mode.POOL) {
            for (String imageId : imageIds(io).keySet()) {
                MirrorImage m = MirrorImages.record(io, imageId);
                if (m != null && m.mode() == MirrorTypes.ImageMode.SNAPSHOT) {
                    throw new RbdException(Errno.EINVAL.negative(),
                            "snapshot-based mirroring is enabled on one or more images");
                }
            }
        }
        io.exec(OBJECT, "rbd", "mirror_mode_set", CephEncoder.toBytes(e -> e.writeU32Le(mode.code())));
        MirroringNotify.send(io, MirroringNotify.modeUpdated(mode));
    }

    /**
     * rbd_mirror_site_name_get: the site name, or the cluster's fsid when none was set.
     *
     * @param client the cluster
     * @return the name
     */
    public static String siteNameGet(RadosClient client) {
        try {
            String v = client.monCommand(Map.of("prefix", "config-key get", "key", SITE_NAME_KEY));
            if (!v.isEmpty()) {
                return v;
            }
        } catch (RadosException.NotFoundException e) {
            // unset: the fsid names the site
        }
        return client.fsid().toString();
    }

    /**
     * rbd_mirror_site_name_set: an empty name (or the fsid) removes the setting.
     *
     * @param client the cluster
     * @param name the new name
     */
    public static void siteNameSet(RadosClient client, String name) {
        if (name.isEmpty() || name.equals(client.fsid().toString())) {
            client.monCommand(Map.of("prefix", "config-key rm", "key", SITE_NAME_KEY));
        } else {
            client.monCommand(Map.of("prefix", "config-key set", "key", SITE_NAME_KEY, "val", name));
        }
    }

    /**
     * rbd_mirror_peer_site_list.
     *
     * @param io the pool
     * @return the peers, in uuid order
     */
    public static List<Peer> peers(IoCtx io) {
        try {
            CephDecoder d = CephDecoder.of(io.exec(OBJECT, "rbd", "mirror_peer_list", new byte[0]), "mirror_peer_list");
            return d.readList(4 + 4 + 4 + 8 + 2, MirrorCodec::decodePeer);
        } catch (RadosException.NotFoundException e) {
            return List.of();
        }
    }

    /**
     * rbd_mirror_peer_site_add: a new peer with a random uuid. Refuses the local site's own
     * name (EINVAL); cls_rbd refuses it while mirroring is disabled (EINVAL) and a site name
     * that is already a peer (EEXIST).
     *
     * @param io the pool
     * @param siteName the peer's site (cluster) name
     * @param clientName the client that reaches it
     * @param direction rx-only or rx-tx (tx-only is refused, as librbd does)
     * @return the peer's uuid
     */
    public static String peerAdd(IoCtx io, String siteName, String clientName, Direction direction) {
        if (direction == Direction.TX_ONLY) {
            throw new RbdException(Errno.EINVAL.negative(), "tx-only peers are not supported");
        }
        if (siteName.equals(siteNameGet(io.client()))) {
            throw new RbdException(Errno.EINVAL.negative(), "cannot add self as remote peer");
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            Peer p = new Peer(UUID.randomUUID().toString(), direction, siteName, "", clientName, 0, 0);
            try {
                io.exec(OBJECT, "rbd", "mirror_peer_add", CephEncoder.toBytes(e -> MirrorCodec.encodePeer(e, p)));
                return p.uuid();
            } catch (RadosException e) {
                if (e.errno() != Errno.ESTALE.negative()) {
                    throw e;
                }
                // that uuid is taken: draw another
            }
        }
        throw new RbdException(Errno.ESTALE.negative(), "no free peer uuid after 8 draws");
    }

    /**
     * rbd_mirror_peer_site_remove: unlinks the peer from every mirror snapshot of the pool's
     * snapshot-mirrored images (removing snapshots no other peer needs), then drops the peer.
     * An unknown uuid is not an error.
     *
     * @param io the pool
     * @param uuid the peer's uuid
     */
    public static void peerRemove(IoCtx io, String uuid) {
        try {
            io.client().monCommand(Map.of("prefix", "config-key rm", "key", peerKey(io, uuid)));
        } catch (RadosException.NotFoundException e) {
            // no attributes were set
        }
        MirrorImages.unlinkPeerEverywhere(io, uuid);
        io.exec(OBJECT, "rbd", "mirror_peer_remove", CephEncoder.toBytes(e -> e.writeString(uuid)));
    }

    /**
     * rbd_mirror_peer_site_set_name.
     *
     * @param io the pool
     * @param uuid the peer
     * @param siteName its new site name
     */
    public static void peerSetName(IoCtx io, String uuid, String siteName) {
        if (siteName.equals(siteNameGet(io.client()))) {
            throw new RbdException(Errno.EINVAL.negative(), "cannot set self as remote peer");
        }
        io.exec(OBJECT, "rbd", "mirror_peer_set_cluster", CephEncoder.toBytes(e -> {
            e.writeString(uuid);
            e.writeString(siteName);
        }));
    }

    /**
     * rbd_mirror_peer_site_set_client_name.
     *
     * @param io the pool
     * @param uuid the peer
     * @param clientName its new client name
     */
    public static void peerSetClient(IoCtx io, String uuid, String clientName) {
        io.exec(OBJECT, "rbd", "mirror_peer_set_client", CephEncoder.toBytes(e -> {
            e.writeString(uuid);
            e.writeString(clientName);
        }));
    }

    /**
     * rbd_mirror_peer_site_set_direction.
     *
     * @param io the pool
     * @param uuid the peer
     * @param direction its new direction
     */
    public static void peerSetDirection(IoCtx io, String uuid, Direction direction) {
        io.exec(OBJECT, "rbd", "mirror_peer_set_direction", CephEncoder.toBytes(e -> {
            e.writeString(uuid);
            e.writeU8(direction.code());
        }));
    }

    /** The config-key prefix of peer attributes: then the pool id, "/", the peer uuid. */
    public static final String PEER_KEY_PREFIX = "rbd/mirror/peer/";

    /** Peer attribute: the peer cluster's monitors. */
    public static final String ATTR_MON_HOST = "mon_host";

    /** Peer attribute: the cephx key that reaches the peer (a secret: never logged). */
    public static final String ATTR_KEY = "key";

    private static String peerKey(IoCtx io, String uuid) {
        return PEER_KEY_PREFIX + io.poolId() + "/" + uuid;
    }

    /**
     * rbd_mirror_peer_site_get_attributes: what reaches the peer (mon_host, key), kept in the
     * monitors' config-key store as librbd keeps it.
     *
     * @param io the pool
     * @param uuid the peer
     * @return the attributes, empty when none were set
     */
    public static java.util.SortedMap<String, String> peerAttributes(IoCtx io, String uuid) {
        String v;
        try {
            v = io.client().monCommand(Map.of("prefix", "config-key get", "key", peerKey(io, uuid)));
        } catch (RadosException.NotFoundException e) {
            return new TreeMap<>();
        }
        return FlatJson.parse(v);
    }

    /**
     * rbd_mirror_peer_site_set_attributes: replaces the peer's attributes (ENOENT for an unknown peer).
     *
     * @param io the pool
     * @param uuid the peer
     * @param attributes mon_host and key, or fewer
     */
    public static void peerSetAttributes(IoCtx io, String uuid, Map<String, String> attributes) {
        if (peers(io).stream().noneMatch(p -> p.uuid().equals(uuid))) {
            throw new RbdException(Errno.ENOENT.negative(), "mirror peer " + uuid + " does not exist");
        }
        try {
            io.client().monCommand(Map.of("prefix", "config-key set", "key", peerKey(io, uuid), "val",
                    FlatJson.write(new TreeMap<>(attributes))));
        } catch (RadosException e) {
            // the monitor command's text holds the key: the error must not carry it
            throw RadosException.of(e.errno(), "config-key set " + peerKey(io, uuid) + " failed");
        }
    }

    /**
     * The pool's mirrored images (mirror_image_list): image id to global id.
     *
     * @param io the pool (and namespace)
     * @return the images, by id
     */
    public static SortedMap<String, String> imageIds(IoCtx io) {
        SortedMap<String, String> all = new TreeMap<>();
        String after = "";
        while (true) {
            String from = after;
            Map<String, String> chunk;
            try {
                chunk = CephDecoder.of(io.exec(OBJECT, "rbd", "mirror_image_list", CephEncoder.toBytes(e -> {
                    e.writeString(from);
                    e.writeU64Le(LIST_CHUNK);
                })), "mirror_image_list").readMap(8, CephDecoder::readString, CephDecoder::readString);
            } catch (RadosException.NotFoundException e) {
                return all;
            }
            all.putAll(chunk);
            if (chunk.size() < LIST_CHUNK) {
                return all;
            }
            after = new ArrayList<>(new TreeMap<>(chunk).keySet()).get(chunk.size() - 1);
        }
    }
}
