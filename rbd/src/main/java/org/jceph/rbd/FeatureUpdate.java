package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.WatchNotifyMessages;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * Turning image features on and off after creation (librbd's {@code rbd_update_features},
 * {@code rbd feature enable|disable}), with librbd's rules (Operations::update_features,
 * EnableFeaturesRequest, DisableFeaturesRequest):
 *
 * <ul>
 *   <li>only exclusive-lock, object-map, fast-diff and journaling can be enabled; deep-flatten
 *       can also be disabled (never enabled again); anything else is immutable (EINVAL);</li>
 *   <li>object-map and fast-diff always go together: asking for either turns both on or off;</li>
 *   <li>object-map (and journaling) need exclusive-lock; exclusive-lock cannot go while
 *       object-map or journaling stays;</li>
 *   <li>a feature that is already on (enable) or off (disable) is refused (EINVAL).</li>
 * </ul>
 *
 * <p>Enabling object-map flags the map (and fast-diff) invalid, sets the feature bits, then
 * creates an all-NONEXISTENT map object for HEAD and every snapshot: like librbd, the map
 * stays flagged invalid until {@link ObjectMapRebuild} (or {@code rbd object-map rebuild})
 * recomputes it. Disabling object-map removes those objects, clears the bits, then the flags.
 * The change is made holding the image's exclusive lock (when it has one) and announced to
 * the image's watchers with a header-update notification.
 *
 * <p>Journaling is not supported: jceph neither creates nor removes journals, so enabling it
 * (with its dependencies met) fails with {@link JournalingNotSupportedException}; an image
 * that already journals cannot be opened for writing by jceph at all.
 */
public final class FeatureUpdate {
    private static final long NOSNAP = 0xFFFF_FFFF_FFFF_FFFEL;

    /** RBD_FEATURES_MUTABLE: what can be switched on (the internal bits below excepted). */
    public static final long MUTABLE = RbdFeatures.EXCLUSIVE_LOCK | RbdFeatures.OBJECT_MAP | RbdFeatures.FAST_DIFF
            | RbdFeatures.JOURNALING | RbdFeatures.NON_PRIMARY | RbdFeatures.DIRTY_CACHE;
    /** RBD_FEATURES_MUTABLE_INTERNAL: mutable, but only by librbd itself. */
    public static final long MUTABLE_INTERNAL = RbdFeatures.NON_PRIMARY | RbdFeatures.DIRTY_CACHE;
    /** RBD_FEATURES_DISABLE_ONLY: can be switched off, never on. */
    public static final long DISABLE_ONLY = RbdFeatures.DEEP_FLATTEN;

    private FeatureUpdate() {
    }

    /** librbd refused the change (EINVAL); the message is librbd's reason. */
    public static final class RefusedException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * A refused feature change.
         *
         * @param message why, in librbd's words
         */
        public RefusedException(String message) {
            super(-22, message);
        }
    }

    /** Enabling journaling, which jceph does not implement (EOPNOTSUPP). */
    public static final class JournalingNotSupportedException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * A journaling request jceph cannot carry out.
         *
         * @param image the image's name
         */
        public JournalingNotSupportedException(String image) {
            super(-95, "image " + image + ": jceph does not create image journals; enable journaling with the rbd tool");
        }
    }

    /**
     * What a feature change does, worked out from the image's current features.
     *
     * @param changed the bits that change (after object-map and fast-diff are tied together)
     * @param newFeatures the features afterwards
     * @param mask the mask for cls_rbd set_features (the changed bits and those they depend on)
     * @param flags the header flags set (enable) or cleared (disable): the object map's invalid flags
     * @param enable whether features are switched on
     * @param objectMapChanges whether object map objects are created (enable) or removed (disable):
     *     false when only fast-diff is added to an image that already has object-map
     */
    public record Plan(long changed, long newFeatures, long mask, long flags, boolean enable, boolean objectMapChanges) {
    }

    /**
     * Applies librbd's rules to a request: the plan, or the refusal librbd would give.
     *
     * @param current the image's features now
     * @param requested the features named
     * @param enable switch them on (true) or off (false)
     * @return what changes
     * @throws RefusedException where librbd answers EINVAL
     */
    public static Plan plan(long current, long requested, boolean enable) {
        long om = RbdFeatures.OBJECT_MAP;
        long fd = RbdFeatures.FAST_DIFF;
        long allowed = enable ? MUTABLE : MUTABLE | DISABLE_ONLY;
        if ((requested & allowed) != requested || (requested & MUTABLE_INTERNAL) != 0) {
            throw new RefusedException("cannot update immutable features");
        }
        long req = requested;
        boolean setMap = (req & om) != 0;
        boolean setDiff = (req & fd) != 0;
        if ((enable && ((setMap && (current & fd) == 0) || (setDiff && (current & om) == 0)))
                || (!enable && setMap && (current & fd) != 0)) {
            req |= om | fd;
        }
        if (req == 0) {
            throw new RefusedException("update requires at least one feature");
        }
        if (enable && (req & current) != 0) {
            throw new RefusedException("one or more requested features are already enabled");
        }
        if (!enable && (req & ~current) != 0) {
            throw new RefusedException("one or more requested features are already disabled");
        }
        long changed = enable ? req & ~current : req & current;
        if ((changed & (om | fd)) != 0) {
            changed |= om | fd;
        }
        long mask = changed;
        long flags = 0;
        long newFeatures;
        if (enable) {
            newFeatures = current | changed;
            if ((changed & om) != 0) {
                if ((newFeatures & RbdFeatures.EXCLUSIVE_LOCK) == 0) {
                    throw new RefusedException("cannot enable object-map. exclusive-lock must be enabled before enabling object-map.");
                }
                flags |= ObjectMap.FLAG_OBJECT_MAP_INVALID;
                mask |= RbdFeatures.EXCLUSIVE_LOCK | fd;
            }
            if ((changed & fd) != 0) {
                flags |= ObjectMap.FLAG_FAST_DIFF_INVALID;
                mask |= RbdFeatures.EXCLUSIVE_LOCK | om;
            }
            if ((changed & RbdFeatures.JOURNALING) != 0) {
                if ((newFeatures & RbdFeatures.EXCLUSIVE_LOCK) == 0) {
                    throw new RefusedException("cannot enable journaling. exclusive-lock must be enabled before enabling journaling.");
                }
                mask |= RbdFeatures.EXCLUSIVE_LOCK;
            }
        } else {
            newFeatures = current & ~changed;
            if ((changed & RbdFeatures.EXCLUSIVE_LOCK) != 0) {
                if ((newFeatures & (om | RbdFeatures.JOURNALING)) != 0) {
                    throw new RefusedException("cannot disable exclusive-lock. object-map or journaling must be disabled before "
                            + "disabling exclusive-lock.");
                }
                mask |= om | fd | RbdFeatures.JOURNALING;
            }
            if ((changed & fd) != 0) {
                flags |= ObjectMap.FLAG_FAST_DIFF_INVALID;
            }
            if ((changed & om) != 0) {
                flags |= ObjectMap.FLAG_OBJECT_MAP_INVALID;
            }
        }
        // librbd ties the two together even when object-map is already on (flags both invalid), but
        // creates the map objects only when the image had no object map
        boolean mapChanges = (changed & om) != 0 && (enable ? (current & om) == 0 : true);
        return new Plan(changed, newFeatures, mask, flags, enable, mapChanges);
    }

    /**
     * Switches features on ({@code rbd feature enable}).
     *
     * @param io the image's pool
     * @param image the image's name
     * @param features the feature bits ({@link RbdFeatures})
     * @return what was done
     * @throws RefusedException where librbd refuses the change
     * @throws JournalingNotSupportedException when journaling would have to be enabled
     */
    public static Plan enable(IoCtx io, String image, long features) {
        return update(io, image, features, true);
    }

    /**
     * Switches features off ({@code rbd feature disable}).
     *
     * @param io the image's pool
     * @param image the image's name
     * @param features the feature bits ({@link RbdFeatures})
     * @return what was done
     * @throws RefusedException where librbd refuses the change
     */
    public static Plan disable(IoCtx io, String image, long features) {
        return update(io, image, features, false);
    }

    /**
     * Switches features on or off (librbd's {@code rbd_update_features}).
     *
     * @param io the image's pool
     * @param image the image's name
     * @param features the feature bits
     * @param enable on (true) or off (false)
     * @return what was done
     */
    public static Plan update(IoCtx io, String image, long features, boolean enable) {
        if (org.jceph.rbd.format1.Format1Image.exists(io, image)) {
            throw new RefusedException("old-format images do not support features");
        }
        try (RbdImage img = RbdImage.open(io, image, false)) {
            Plan first = plan(img.features(), features, enable); // refused before any lock is taken, as librbd
            if (enable && (first.changed() & RbdFeatures.JOURNALING) != 0) {
                throw new JournalingNotSupportedException(image);
            }
            IoCtx md = img.metadataIo();
            String header = "rbd_header." + img.id();
            Plan done = img.underMaintenance(() -> {
                Plan p = plan(features(md, header), features, enable); // again, under the lock
                List<RbdImage.Snapshot> snaps = img.snapshots();
                if (enable) {
                    setFlags(md, header, snaps, p.flags(), p.flags());
                    setFeatures(md, header, p.newFeatures(), p.mask());
                    if (p.objectMapChanges()) {
                        createMaps(md, img, snaps);
                    }
                } else {
                    if (p.objectMapChanges()) {
                        List<Long> ids = new ArrayList<>();
                        snaps.forEach(s -> ids.add(s.id()));
                        ObjectMap.removeAll(md, img.id(), ids);
                    }
                    setFeatures(md, header, p.newFeatures(), p.mask());
                    setFlags(md, header, snaps, 0, p.flags());
                }
                return p;
            });
            notifyUpdate(md, header);
            return done;
        }
    }

    /** The HEAD features as the header has them now. */
    static long features(IoCtx md, String header) {
        return CephDecoder.of(md.exec(header, "rbd", "get_features",
                CephEncoder.toBytes(e -> e.writeU64Le(NOSNAP).writeBool(false))), "get_features").readU64Le();
    }

    private static void setFeatures(IoCtx md, String header, long features, long mask) {
        md.exec(header, "rbd", "set_features", CephEncoder.toBytes(e -> e.writeU64Le(features).writeU64Le(mask)));
    }

    /** cls_rbd set_flags for HEAD and every snapshot (librbd's SetFlagsRequest). */
    static void setFlags(IoCtx md, String header, List<RbdImage.Snapshot> snaps, long flags, long mask) {
        if (mask == 0) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        snaps.forEach(s -> ids.add(s.id()));
        ids.add(NOSNAP);
        for (long id : ids) {
            md.exec(header, "rbd", "set_flags", CephEncoder.toBytes(e -> e.writeU64Le(flags).writeU64Le(mask).writeU64Le(id)));
        }
    }

    /** An all-NONEXISTENT map for HEAD and each snapshot, sized to it (librbd's object_map::CreateRequest). */
    private static void createMaps(IoCtx md, RbdImage img, List<RbdImage.Snapshot> snaps) {
        long max = img.size();
        for (RbdImage.Snapshot s : snaps) {
            max = Math.max(max, s.size());
        }
        if (RbdImage.objectCountFor(img.layout(), max) > ObjectMapRebuild.MAX_OBJECTS) {
            throw new RefusedException("image size not compatible with object map");
        }
        ObjectMapRebuild.resizeMap(md, ObjectMap.name(img.id()), RbdImage.objectCountFor(img.layout(), img.size()));
        for (RbdImage.Snapshot s : snaps) {
            ObjectMapRebuild.resizeMap(md, ObjectMap.name(img.id(), s.id()), RbdImage.objectCountFor(img.layout(), s.size()));
        }
    }

    /** Tells the image's watchers to re-read the header (best effort, as librbd's notify_update). */
    static void notifyUpdate(IoCtx md, String header) {
        try {
            md.notify(header, WatchNotifyMessages.headerUpdate(), 5);
        } catch (RadosException e) {
            // watchers also refresh when they next take the lock
        }
    }
}
