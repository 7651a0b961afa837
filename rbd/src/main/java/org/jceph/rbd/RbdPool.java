package org.jceph.rbd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;

/**
 * Pool-level RBD calls: {@code rbd_pool_init} ({@code rbd pool init}), {@code rbd_pool_stats_get}
 * ({@code rbd pool stats}) and the pool's metadata ({@code rbd_pool_metadata_get/set/remove/list},
 * cls_rbd metadata on the pool's {@code rbd_info} object, the same store that holds the
 * {@code conf_*} pool config overrides).
 */
public final class RbdPool {
    private RbdPool() {
    }

    /** The pool's RBD object: validation marker as data, pool metadata as omap. */
    static final String RBD_INFO = "rbd_info";
    private static final String VALIDATE = "validate";
    private static final String OVERWRITE_VALIDATED = "overwrite validated";
    private static final long NOSNAP = -2L;
    /** How long init waits for the OSD map that tags the pool. */
    static final Duration APPLICATION_WAIT = Duration.ofSeconds(60);

    /** The pool is tagged with another application (EPERM); {@code force} would retag it. */
    public static final class OtherApplicationException extends RbdException {
        private static final long serialVersionUID = 1L;

        OtherApplicationException(String pool) {
            super(Errno.EPERM.negative(), "pool " + pool + " is already registered to a different application");
        }
    }

    /**
     * Prepares a pool for RBD as librbd's pool init does: tags it with the {@code rbd}
     * application (waiting for the OSD map that says so), creates {@code rbd_trash} when the cluster
     * is Reef or newer (as that librbd does), then, once, proves that it takes
     * self-managed snapshots and overwrites: a snapshot id is allocated and dropped, and
     * {@code rbd_info} is written "validate", then overwritten "overwrite validated" (a pool
     * that already says so is left alone).
     *
     * @param io the pool
     * @param force retag a pool another application uses
     * @throws OtherApplicationException when the pool belongs to another application and not {@code force}
     * @throws RbdException EINVAL when the pool takes no self-managed snapshots or overwrites
     */
    public static void init(IoCtx io, boolean force) {
        RadosClient client = io.client();
        String pool = io.poolName();
        if (!client.applications(pool).contains("rbd")) {
            try {
                client.monCommand(Map.of("prefix", "osd pool application enable", "pool", pool, "app", "rbd",
                        "yes_i_really_mean_it", force));
            } catch (RadosException e) {
                if (e.errno() == Errno.EPERM.negative()) {
                    throw new OtherApplicationException(pool);
                }
                throw e;
            }
            long poolId = io.poolId();
            client.waitForMap(m -> m.pool(poolId) != null && m.pool(poolId).applicationMetadata().containsKey("rbd"),
                    APPLICATION_WAIT);
        }
        createTrashObject(io);
        validate(io);
    }

    /** The first Ceph release whose librbd creates {@code rbd_trash} at pool init and namespace create. */
    static final int RELEASE_EAGER_TRASH = 18;

    /**
     * Creates the namespace's (empty) {@code rbd_trash} as librbd does from Reef on (18.2.4, Ceph
     * tracker 64800: an image can then be moved to the trash, so removed, even when the OSDs are
     * full). Pacific's librbd creates it at the first removal; against a Pacific cluster (by
     * require_osd_release) we leave it to that, as its tool does.
     */
    static void createTrashObject(IoCtx io) {
        if (io.client().osdMap().requireOsdRelease() >= RELEASE_EAGER_TRASH) {
            io.operate(Trash.OBJECT, new IoCtx.Operation().create(false));
        }
    }

    private static void validate(IoCtx pool) {
        IoCtx io = pool.duplicate();
        io.setNamespace(""); // the marker lives in the default namespace
        String content;
        try {
            content = new String(io.read(RBD_INFO, 0, 0), StandardCharsets.UTF_8);
        } catch (RadosException.ObjectNotFoundException e) {
            content = null;
        }
        if (OVERWRITE_VALIDATED.equals(content)) {
            return;
        }
        if (!VALIDATE.equals(content)) {
            long snap;
            try {
                snap = io.selfManagedSnapCreate(); // puts a new pool in self-managed snapshot mode
            } catch (RadosException e) {
                if (e.errno() == Errno.EINVAL.negative()) {
                    throw new RbdException(Errno.EINVAL.negative(), "pool " + io.poolName()
                            + " is not configured for self-managed snapshots (it has pool snapshots)");
                }
                throw e;
            }
            RuntimeException failed = null;
            try {
                io.operate(RBD_INFO, new IoCtx.Operation().create(true).write(0,
                        VALIDATE.getBytes(StandardCharsets.UTF_8)));
            } catch (RadosException.ObjectExistsException e) {
                // written by an earlier attempt
            } catch (RadosException e) {
                failed = e.errno() == Errno.EOPNOTSUPP.negative() ? new RbdException(Errno.EINVAL.negative(),
                        "pool " + io.poolName() + " does not support overwrites") : e;
            }
            try {
                io.selfManagedSnapRemove(snap);
            } catch (RadosException e) {
                // not fatal, as for librbd: the id is only wasted
            }
            if (failed != null) {
                throw failed;
            }
        }
        try {
            io.operate(RBD_INFO, new IoCtx.Operation().write(0, OVERWRITE_VALIDATED.getBytes(StandardCharsets.UTF_8)));
        } catch (RadosException e) {
            if (e.errno() == Errno.EOPNOTSUPP.negative()) {
                throw new RbdException(Errno.EINVAL.negative(), "pool " + io.poolName() + " does not support overwrites");
            }
            throw e;
        }
    }

    /**
     * What {@code rbd_pool_stats_get} counts, for the images (format 2, named, plus those being
     * removed through the trash) and for the rest of the trash: how many, their HEAD sizes, the
     * largest size each had (HEAD or a snapshot), and their snapshots. Format 1 images are not
     * counted, as librbd does not count them.
     *
     * @param images image count
     * @param provisionedBytes sum of HEAD sizes
     * @param maxProvisionedBytes sum of each image's largest size
     * @param snapshots snapshot count
     * @param trashImages images in the trash
     * @param trashProvisionedBytes sum of their HEAD sizes
     * @param trashMaxProvisionedBytes sum of their largest sizes
     * @param trashSnapshots their snapshots
     */
    public record Stats(long images, long provisionedBytes, long maxProvisionedBytes, long snapshots,
                        long trashImages, long trashProvisionedBytes, long trashMaxProvisionedBytes,
                        long trashSnapshots) {
    }

    /**
     * The pool's RBD statistics ({@code rbd_pool_stats_get} with every option).
     *
     * @param io the pool (and namespace)
     * @return the counts
     */
    public static Stats stats(IoCtx io) {
        List<String> images = new ArrayList<>(RbdImage.list(io).values());
        List<String> trashed = new ArrayList<>();
        for (Trash.Entry e : Trash.list(io)) {
            if (e.source() == Trash.SOURCE_REMOVING) {
                images.add(e.id());
            } else {
                trashed.add(e.id());
            }
        }
        long[] a = sum(io, images);
        long[] t = sum(io, trashed);
        return new Stats(images.size(), a[0], a[1], a[2], trashed.size(), t[0], t[1], t[2]);
    }

    /** {HEAD bytes, largest bytes, snapshots} over the images; one gone meanwhile counts nothing. */
    private static long[] sum(IoCtx io, List<String> ids) {
        long[] out = new long[3];
        for (String id : ids) {
            String header = "rbd_header." + id;
            try {
                long head = size(io, header, NOSNAP);
                long max = head;
                SnapContext snapc = SnapContext.decode(CephDecoder.of(io.exec(header, "rbd", "get_snapcontext",
                        new byte[0]), "get_snapcontext"));
                for (long snap : snapc.snaps()) {
                    max = Math.max(max, size(io, header, snap));
                }
                out[0] += head;
                out[1] += max;
                out[2] += snapc.snaps().size();
            } catch (RadosException.ObjectNotFoundException e) {
                // removed while we counted (librbd ignores it too)
            }
        }
        return out;
    }

    private static long size(IoCtx io, String header, long snap) {
        CephDecoder d = CephDecoder.of(io.exec(header, "rbd", "get_size", CephEncoder.toBytes(e -> e.writeU64Le(snap))),
                "get_size");
        d.readU8();
        return d.readU64Le();
    }

    /**
     * A pool metadata value ({@code rbd_pool_metadata_get}).
     *
     * @param io the pool
     * @param key the key
     * @return the value
     * @throws RbdException.NoSuchKeyException when the pool has no such key
     */
    public static String metadataGet(IoCtx io, String key) {
        return ImageMetadata.get(io, RBD_INFO, "pool " + io.poolName(), key);
    }

    /**
     * Sets a pool metadata key ({@code rbd_pool_metadata_set}); a {@code conf_} key must name an
     * rbd option and carry a value it accepts, as librbd checks.
     *
     * @param io the pool
     * @param key the key
     * @param value the value
     * @throws RbdException EINVAL for a {@code conf_} key or value librbd would refuse
     */
    public static void metadataSet(IoCtx io, String key, String value) {
        if (key.startsWith(ImageConfig.PREFIX)) {
            ImageConfig.checkValue(io, key.substring(ImageConfig.PREFIX.length()), value);
        }
        ImageMetadata.setCopied(io, RBD_INFO, key, value);
    }

    /**
     * Removes a pool metadata key ({@code rbd_pool_metadata_remove}).
     *
     * @param io the pool
     * @param key the key
     * @throws RbdException.NoSuchKeyException when the pool has no such key
     */
    public static void metadataRemove(IoCtx io, String key) {
        ImageMetadata.remove(io, RBD_INFO, "pool " + io.poolName(), key);
    }

    /**
     * Every pool metadata key and value ({@code rbd_pool_metadata_list}), {@code conf_} keys included.
     *
     * @param io the pool
     * @return the values by key (empty for a pool without {@code rbd_info})
     */
    public static SortedMap<String, String> metadataList(IoCtx io) {
        try {
            return ImageMetadata.list(io, RBD_INFO);
        } catch (RadosException.ObjectNotFoundException e) {
            return new java.util.TreeMap<>();
        }
    }
}
