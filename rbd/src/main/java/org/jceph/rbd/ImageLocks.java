package org.jceph.rbd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.LockInfo;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.lock.ExclusiveLock;

/**
 * librbd's lock calls: advisory locks listed, taken and broken (what {@link RbdImage#lockers},
 * {@link RbdImage#lockAdd} and {@link RbdImage#lockRemove} do), {@code rbd_unlock} (give up an
 * advisory lock we hold), and the exclusive lock that librbd manages on the header: taken and
 * given up on the user's word ({@code rbd_lock_acquire}, {@code rbd_lock_release}), inspected
 * and broken ({@code rbd_lock_get_owners}, {@code rbd_lock_break}).
 *
 * <p>Both kinds live in one cls_lock lock named {@code rbd_lock} on {@code rbd_header.ID}. The
 * managed one is exclusive, tagged {@code internal}, with a cookie {@code auto <watch handle>};
 * its owner is named by the address it took the lock from ({@code ip:port/nonce}), which is
 * what get_owners returns and break takes.
 */
public final class ImageLocks {
    private ImageLocks() {
    }

    /** How long a break waits for the OSD map that carries the owner's blocklisting. */
    static final Duration BLOCKLIST_WAIT = Duration.ofSeconds(30);

    /**
     * Releases the advisory lock {@code cookie} this client holds (librbd's {@code rbd_unlock}).
     *
     * @param img the image
     * @param cookie the lock id given when it was taken
     * @throws RbdException.NoSuchKeyException (ENOENT) when this client holds no such lock
     */
    public static void unlock(RbdImage img, String cookie) {
        try {
            img.metadataIo().unlock(header(img), ExclusiveLock.LOCK_NAME, cookie);
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.NoSuchKeyException("this client holds no lock " + cookie + " on image " + img.name());
        }
    }

    /**
     * Takes the image's exclusive lock and keeps it (librbd's {@code rbd_lock_acquire} in
     * exclusive mode): from now on the handle follows librbd's StandardPolicy, so peers asking
     * for the lock are refused with EROFS, and after {@link #release} writes fail with EROFS
     * until the lock is acquired again.
     *
     * @param img the image, open for writing, with the exclusive-lock feature
     * @throws RbdException EROFS on a read-only handle, EINVAL without the exclusive-lock feature,
     *                      or the lock's own failure (a peer that refuses, a timeout)
     */
    public static void acquire(RbdImage img) {
        lockOf(img).acquireManually();
    }

    /**
     * Gives the exclusive lock up (librbd's {@code rbd_lock_release}).
     *
     * @param img the image
     * @throws RbdException EINVAL when this handle does not hold the lock
     */
    public static void release(RbdImage img) {
        ExclusiveLock lock = lockOf(img);
        if (!lock.isOwner()) {
            throw new RbdException(Errno.EINVAL.negative(), "this handle does not own the exclusive lock of image "
                    + img.name());
        }
        lock.shutdown();
    }

    private static ExclusiveLock lockOf(RbdImage img) {
        if (img.readOnly()) {
            throw new RbdException(Errno.EROFS.negative(), "image " + img.name() + " is open read-only");
        }
        ExclusiveLock lock = img.exclusiveLock();
        if (lock == null) {
            throw new RbdException(Errno.EINVAL.negative(), "image " + img.name()
                    + " does not have the exclusive-lock feature");
        }
        return lock;
    }

    /**
     * The owners of the image's managed exclusive lock (librbd's {@code rbd_lock_get_owners}):
     * the one owner's address, {@code ip:port/nonce}.
     *
     * @param img the image (with the exclusive-lock feature)
     * @return one address, or an empty list when nobody holds the lock (librbd: ENOENT)
     * @throws RbdException EINVAL without the exclusive-lock feature, EBUSY when the header's
     *                      lock is an advisory one rather than librbd's
     */
    public static List<String> owners(RbdImage img) {
        LockInfo.Locker owner = managedOwner(img);
        return owner == null ? List.of() : List.of(address(owner));
    }

    /**
     * Breaks the managed exclusive lock held by {@code owner} (librbd's {@code rbd_lock_break}
     * in exclusive mode, with librbd's default rbd_blocklist_on_break_lock): the owner's address
     * is blocklisted first, so that it can write no more, then its lock is broken.
     *
     * @param img the image, open for writing
     * @param owner the owner's address, as {@link #owners} returned it
     * @throws RbdException.NoSuchKeyException (ENOENT) when nobody holds the lock
     * @throws RbdException EBUSY when someone else holds it, EROFS on a read-only handle, EINVAL
     *                      without the exclusive-lock feature
     */
    public static void breakLock(RbdImage img, String owner) {
        if (img.readOnly()) {
            throw new RbdException(Errno.EROFS.negative(), "image " + img.name() + " is open read-only");
        }
        LockInfo.Locker holder = managedOwner(img);
        if (holder == null) {
            throw new RbdException.NoSuchKeyException("nobody holds the exclusive lock of image " + img.name());
        }
        if (!address(holder).equals(owner)) {
            throw new RbdException(Errno.EBUSY.negative(), "the exclusive lock of image " + img.name()
                    + " is held by " + address(holder) + ", not " + owner);
        }
        IoCtx io = img.metadataIo();
        RadosClient client = io.client();
        long before = client.osdMap().epoch();
        client.monCommand(Map.of("prefix", "osd blocklist", "blocklistop", "add", "addr", owner));
        client.waitForMap(m -> m.epoch() > before, BLOCKLIST_WAIT);
        try {
            io.breakLock(header(img), ExclusiveLock.LOCK_NAME, holder.name(), holder.cookie());
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.NoSuchKeyException("the exclusive lock of image " + img.name() + " was already gone");
        }
    }

    /** The managed lock's holder, null when the lock is free. */
    private static LockInfo.Locker managedOwner(RbdImage img) {
        if ((img.features() & RbdFeatures.EXCLUSIVE_LOCK) == 0) {
            throw new RbdException(Errno.EINVAL.negative(), "image " + img.name()
                    + " does not have the exclusive-lock feature");
        }
        LockInfo info;
        try {
            info = img.metadataIo().getLockInfo(header(img), ExclusiveLock.LOCK_NAME);
        } catch (RadosException.ObjectNotFoundException e) {
            return null;
        }
        if (info.lockers().isEmpty()) {
            return null;
        }
        LockInfo.Locker l = info.lockers().get(0);
        if (info.type() != LockInfo.EXCLUSIVE || info.lockers().size() != 1 || !ExclusiveLock.LOCK_TAG.equals(info.tag())
                || !l.cookie().startsWith(ExclusiveLock.COOKIE_PREFIX + " ")) {
            throw new RbdException(Errno.EBUSY.negative(), "image " + img.name()
                    + " is locked by an advisory lock, not by librbd's exclusive lock");
        }
        return l;
    }

    private static String header(RbdImage img) {
        return "rbd_header." + img.id();
    }

    /** An address as librbd gives a lock owner's: ip:port/nonce, no type prefix. */
    static String address(LockInfo.Locker l) {
        String s = l.addr().toString();
        int colon = s.indexOf(':');
        return colon > 0 && s.substring(0, colon).matches("any|v1|v2|none|type\\d+") ? s.substring(colon + 1) : s;
    }

    // ---- advisory locks (rbd lock add/ls/rm), for RbdImage's API ------------------------------

    /** The advisory (or librbd-managed) lock on the header: type, tag and holders ({@link RbdImage#lockers}). */
    static org.jceph.rados.LockInfo lockers(RbdImage img) {
        return img.md.getLockInfo("rbd_header." + img.id, ExclusiveLock.LOCK_NAME);
    }

    /** Takes an advisory lock, exclusive or shared ({@link RbdImage#lockAdd}). */
    static void lockAdd(RbdImage img, String cookie, String sharedTag) {
        try {
            img.md.lock("rbd_header." + img.id, ExclusiveLock.LOCK_NAME, sharedTag != null, cookie, sharedTag == null ? ""
                    : sharedTag, "", 0);
        } catch (RadosException e) {
            if (e.errno() == Errno.EBUSY.negative() || e.errno() == Errno.EEXIST.negative()) {
                throw new RbdImage.LockHeldException("lock is already held by someone else");
            }
            throw e;
        }
    }

    /** Breaks an advisory lock held by "client.N" ({@link RbdImage#lockRemove}). */
    static void lockRemove(RbdImage img, String cookie, String locker) {
        if (!locker.matches("client\\.\\d+")) {
            throw new RbdException("locker must be client.<id>, not " + locker);
        }
        try {
            img.md.breakLock("rbd_header." + img.id, ExclusiveLock.LOCK_NAME, new org.jceph.encoding.types.EntityName(
                    org.jceph.encoding.types.EntityName.TYPE_CLIENT, Long.parseLong(locker.substring(7))), cookie);
        } catch (RadosException.ObjectNotFoundException e) {
            throw new RbdException.NoSuchKeyException("no lock " + cookie + " held by " + locker + " on image " + img.name);
        }
    }
}
