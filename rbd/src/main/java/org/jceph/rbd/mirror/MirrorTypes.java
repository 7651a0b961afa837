package org.jceph.rbd.mirror;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jceph.rbd.RbdException;
import org.jceph.rados.Errno;

/**
 * The types of snapshot-based RBD mirroring, as cls_rbd stores them (cls::rbd::MirrorMode,
 * MirrorPeer, MirrorImage, MirrorSnapshotNamespace) and as the rbd tool names them.
 */
public final class MirrorTypes {
    private MirrorTypes() {
    }

    /**
     * The enums below: cls_rbd's number for each value and the rbd tool's word for it. cls_rbd
     * numbers each of these types' values from 0 in the order they are declared here, and the
     * rbd tool names a value by its constant's name in lower case with dashes for underscores;
     * a value the tool names otherwise overrides {@link #text()}.
     */
    public interface Coded {
        /** @return cls_rbd's value: the constant's position in its enum */
        default int code() {
            return ((Enum<?>) this).ordinal();
        }

        /** @return the rbd tool's word */
        default String text() {
            return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The value of {@code values} whose cls_rbd number is {@code code} (EINVAL: {@code what} + code). */
    static <E extends Coded> E byCode(E[] values, long code, String what) {
        for (E e : values) {
            if (e.code() == code) {
                return e;
            }
        }
        throw new RbdException(Errno.EINVAL.negative(), what + code);
    }

    /** The value of {@code values} the rbd tool names {@code text} (EINVAL: {@code what} + text). */
    static <E extends Coded> E byText(E[] values, String text, String what) {
        for (E e : values) {
            if (e.text().equals(text)) {
                return e;
            }
        }
        throw new RbdException(Errno.EINVAL.negative(), what + text);
    }

    /** A pool's mirroring mode (cls::rbd::MirrorMode, a u32 in the rbd_mirroring object). */
    public enum Mode implements Coded {
        /** Mirroring off. */
        DISABLED,
        /** Images are mirrored one by one, when enabled. */
        IMAGE,
        /** Every journaling image is mirrored. */
        POOL;

        /**
         * The mode of a cls_rbd value.
         *
         * @param code the value
         * @return the mode
         */
        public static Mode of(long code) {
            return byCode(values(), code, "unknown mirror mode ");
        }

        /**
         * The mode the rbd tool names {@code text}.
         *
         * @param text disabled, image or pool
         * @return the mode
         */
        public static Mode parse(String text) {
            return byText(values(), text, "invalid mirror mode: ");
        }
    }

    /** A peer's direction (cls::rbd::MirrorPeerDirection, a u8). */
    public enum Direction implements Coded {
        /** We only receive from the peer. */
        RX_ONLY,
        /** We only send to the peer. */
        TX_ONLY,
        /** Both ways. */
        RX_TX;

        /**
         * The direction of a cls_rbd value.
         *
         * @param code the value
         * @return the direction
         */
        public static Direction of(int code) {
            return byCode(values(), code, "unknown mirror peer direction ");
        }

        /**
         * The direction the rbd tool names {@code text}.
         *
         * @param text rx-only, tx-only or rx-tx
         * @return the direction
         */
        public static Direction parse(String text) {
            return byText(values(), text, "invalid mirror peer direction: ");
        }
    }

    /**
     * A peer site of a pool (cls::rbd::MirrorPeer v2).
     *
     * @param uuid the peer's uuid in this pool
     * @param direction which way images flow
     * @param siteName the peer's site name
     * @param mirrorUuid the peer's mirror uuid, once rbd-mirror saw it ("" before)
     * @param clientName the client (client.admin) that reaches the peer
     * @param lastSeenSec when rbd-mirror last saw the peer (seconds; 0 never)
     * @param lastSeenNsec its nanoseconds
     */
    public record Peer(String uuid, Direction direction, String siteName, String mirrorUuid, String clientName,
            long lastSeenSec, long lastSeenNsec) {
    }

    /** An image's mirroring mode (cls::rbd::MirrorImageMode). */
    public enum ImageMode implements Coded {
        /** Journal-based. */
        JOURNAL,
        /** Snapshot-based. */
        SNAPSHOT;

        /**
         * The image mode of a cls_rbd value.
         *
         * @param code the value
         * @return the mode
         */
        public static ImageMode of(int code) {
            return byCode(values(), code, "unknown mirror image mode ");
        }

        /**
         * The image mode the rbd tool names {@code text}.
         *
         * @param text journal or snapshot
         * @return the mode
         */
        public static ImageMode parse(String text) {
            return byText(values(), text, "invalid mirror image mode: ");
        }
    }

    /** An image's mirroring state (cls::rbd::MirrorImageState). */
    public enum ImageState implements Coded {
        /** Being disabled. */
        DISABLING,
        /** Mirrored. */
        ENABLED,
        /** Not mirrored. */
        DISABLED,
        /** Being created by rbd-mirror. */
        CREATING;

        /**
         * The state of a cls_rbd value.
         *
         * @param code the value
         * @return the state
         */
        public static ImageState of(int code) {
            return byCode(values(), code, "unknown mirror image state ");
        }
    }

    /**
     * An image's mirroring record in rbd_mirroring (cls::rbd::MirrorImage v2).
     *
     * @param mode journal or snapshot
     * @param globalId the image's id across sites
     * @param state its state
     */
    public record MirrorImage(ImageMode mode, String globalId, ImageState state) {
    }

    /** A mirror snapshot's state (cls::rbd::MirrorSnapshotState, a u8). */
    public enum SnapState implements Coded {
        /** Taken on the primary. */
        PRIMARY,
        /** Taken on the primary as it was demoted. */
        PRIMARY_DEMOTED,
        /** Copied from the primary by rbd-mirror. */
        NON_PRIMARY,
        /** A copied demotion snapshot. */
        NON_PRIMARY_DEMOTED;

        /** @return the word rbd snap ls --all shows ("demoted" for {@link #PRIMARY_DEMOTED}) */
        @Override
        public String text() {
            return this == PRIMARY_DEMOTED ? "demoted" : Coded.super.text();
        }

        /** @return whether this is a primary state (demoted or not) */
        public boolean primary() {
            return this == PRIMARY || this == PRIMARY_DEMOTED;
        }

        /**
         * The state of a cls_rbd value.
         *
         * @param code the value
         * @return the state
         */
        public static SnapState of(int code) {
            return byCode(values(), code, "unknown mirror snapshot state ");
        }
    }

    /**
     * The namespace of a mirror snapshot (cls::rbd::MirrorSnapshotNamespace, SnapshotNamespace type 3).
     *
     * @param state primary, demoted, non-primary...
     * @param complete whether the snapshot is whole (a non-primary one once copied)
     * @param peerUuids the peers the snapshot is linked to (still to be copied to)
     * @param primaryMirrorUuid for a non-primary snapshot, the primary site's mirror uuid
     * @param primarySnapId for a non-primary snapshot, the primary's snap id (CEPH_NOSNAP otherwise)
     * @param lastCopiedObjectNumber copy progress of a non-primary snapshot
     * @param snapSeqs the primary-to-local snap id map of a non-primary snapshot
     */
    public record SnapNamespace(SnapState state, boolean complete, Set<String> peerUuids, String primaryMirrorUuid,
            long primarySnapId, long lastCopiedObjectNumber, Map<Long, Long> snapSeqs) {
        /** SnapshotNamespaceType of mirror snapshots. */
        public static final int TYPE = 3;
    }

    /**
     * A mirror snapshot of an image.
     *
     * @param id its snap id
     * @param name its name (.mirror.primary.GLOBAL_ID.UUID)
     * @param namespace its mirror namespace
     */
    public record MirrorSnapshot(long id, String name, SnapNamespace namespace) {
    }

    /**
     * What librbd's mirror_image_get_info returns.
     *
     * @param globalId the image's global id
     * @param state its mirroring state
     * @param primary whether this site holds the primary
     */
    public record ImageInfo(String globalId, ImageState state, boolean primary) {
    }

    /**
     * An image's status as far as known without rbd-mirror: its record, the local status
     * (null when no rbd-mirror daemon reported one) and, on a primary, its mirror snapshots.
     *
     * @param name the image's name
     * @param mirror its mirroring record
     * @param primary whether it is primary here
     * @param statusFound whether a daemon reported a status
     * @param snapshots its mirror snapshots (oldest first)
     */
    public record ImageStatus(String name, MirrorImage mirror, boolean primary, boolean statusFound,
            List<MirrorSnapshot> snapshots) {
    }
}
