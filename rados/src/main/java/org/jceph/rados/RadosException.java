package org.jceph.rados;

/**
 * An operation the cluster refused, with the negative Linux errno the OSD or monitor returned.
 * {@link #of} maps errno values to the typed subclasses, in one table ({@link Errno} gives the
 * names and texts). The message names what failed (pool, namespace and object where there is
 * one), then the strerror text and the errno, for example
 * {@code "object 'o' in pool 'p': No data available (ENODATA, errno -61)"}. Messages never carry
 * key material.
 *
 * <p>Subclasses, by errno:
 * <ul>
 *   <li>ENOENT: {@link ObjectNotFoundException}, {@link PoolNotFoundException} (both {@link NotFoundException});
 *   <li>EEXIST: {@link ObjectExistsException};
 *   <li>ENODATA: {@link NoDataException};
 *   <li>ECANCELED: {@link CanceledException};
 *   <li>ERANGE: {@link OutOfRangeException};
 *   <li>EMSGSIZE: {@link MessageTooLongException};
 *   <li>ENOSPC and EDQUOT: {@link NoSpaceException};
 *   <li>EBUSY: {@link BusyException};
 *   <li>EPERM and EACCES: {@link PermissionDeniedException};
 *   <li>ETIMEDOUT: {@link TimeoutException};
 *   <li>EBLOCKLISTED: {@link BlocklistedException};
 *   <li>ENOTCONN for a client that was closed: {@link ClientClosedException}.
 * </ul>
 * Any other errno is a plain {@code RadosException}.
 */
public class RadosException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The negative errno. */
    private final int errno;

    /**
     * An error with its errno; the message is {@code what}, the strerror text and the errno.
     *
     * @param errno the errno, negative as Ceph reports it (a positive one is negated)
     * @param what what failed, such as {@code "object 'o' in pool 'p'"}
     */
    public RadosException(int errno, String what) {
        super(what + ": " + Errno.strerror(errno) + " (" + Errno.nameOf(errno) + ", errno " + -Math.abs(errno) + ")");
        this.errno = -Math.abs(errno);
    }

    /**
     * What a future failed with: the cause inside a {@link java.util.concurrent.CompletionException}
     * (dependent stages wrap it), or {@code e} itself.
     *
     * @param e what a future or one of its dependent stages failed with
     * @return the cause that a {@code CompletionException} wraps, else {@code e}
     */
    public static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * The errno, negative, as librados returns it.
     *
     * @return the negative errno, such as -61
     */
    public int errno() {
        return errno;
    }

    /**
     * The errno's entry in the table.
     *
     * @return the entry, or null for an errno the table lacks
     */
    public Errno code() {
        return Errno.of(errno);
    }

    /**
     * The typed exception for an errno a daemon returned.
     *
     * @param errno the errno (negative, as OSDs reply; a positive one is taken as its negation)
     * @param what what failed, named in the message
     * @return the subclass for the errno, or a plain {@code RadosException}
     */
    public static RadosException of(int errno, String what) {
        int e = -Math.abs(errno);
        if (e <= -CompareMismatchException.MAX_ERRNO) {
            return new CompareMismatchException(-(long) e - CompareMismatchException.MAX_ERRNO, what);
        }
        Errno code = Errno.of(e);
        if (code == null) {
            return new RadosException(e, what);
        }
        return switch (code) {
            case ENOENT -> new ObjectNotFoundException(what);
            case EEXIST -> new ObjectExistsException(what);
            case ENODATA -> new NoDataException(what);
            case ECANCELED -> new CanceledException(what);
            case ERANGE -> new OutOfRangeException(what);
            case EMSGSIZE -> new MessageTooLongException(what);
            case ENOSPC, EDQUOT -> new NoSpaceException(e, what);
            case EBUSY -> new BusyException(what);
            case EPERM, EACCES -> new PermissionDeniedException(e, what);
            case ETIMEDOUT -> new TimeoutException(what);
            case EBLOCKLISTED -> new BlocklistedException(what);
            default -> new RadosException(e, what);
        };
    }

    /** ENOENT: something named is not there. */
    public static class NotFoundException extends RadosException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String what) {
            super(Errno.ENOENT.negative(), what);
        }
    }

    /** ENOENT for an object (or an entry an object class looked up) that does not exist. */
    public static final class ObjectNotFoundException extends NotFoundException {
        private static final long serialVersionUID = 1L;

        /**
         * An object that does not exist.
         *
         * @param what the object, such as {@code "object 'o' in pool 'p'"}
         */
        public ObjectNotFoundException(String what) {
            super(what);
        }
    }

    /** ENOENT for a pool: the cluster has no pool of that name or id (any longer). */
    public static final class PoolNotFoundException extends NotFoundException {
        private static final long serialVersionUID = 1L;
        /** The missing pool's name or id. */
        private final String pool;

        /**
         * A pool that does not exist.
         *
         * @param pool the pool's name, or its id as text
         */
        public PoolNotFoundException(String pool) {
            super("pool '" + pool + "' does not exist");
            this.pool = pool;
        }

        /**
         * The missing pool.
         *
         * @return its name, or its id as text
         */
        public String pool() {
            return pool;
        }
    }

    /** EEXIST: an exclusive create of an existing object, or a lock this client already holds. */
    public static final class ObjectExistsException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * An object (or lock) that exists already.
         *
         * @param what what exists
         */
        public ObjectExistsException(String what) {
            super(Errno.EEXIST.negative(), what);
        }
    }

    /** ENODATA: the object has no xattr of that name. */
    public static final class NoDataException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * A missing xattr or similar datum.
         *
         * @param what what is missing
         */
        public NoDataException(String what) {
            super(Errno.ENODATA.negative(), what);
        }
    }

    /** ECANCELED: a comparison step (cmpxattr, cmpext, an omap comparison) did not hold. */
    public static final class CanceledException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * A comparison that did not hold.
         *
         * @param what the op
         */
        public CanceledException(String what) {
            super(Errno.ECANCELED.negative(), what);
        }
    }

    /** ERANGE: a version assertion on an object that moved on, or a value out of range. */
    public static final class OutOfRangeException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * A value or version out of range.
         *
         * @param what the op
         */
        public OutOfRangeException(String what) {
            super(Errno.ERANGE.negative(), what);
        }
    }

    /** EMSGSIZE: an op larger than the OSD accepts (osd_max_write_size, osd_max_object_size and the like). */
    public static final class MessageTooLongException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * An op too large for the OSD.
         *
         * @param what the op
         */
        public MessageTooLongException(String what) {
            super(Errno.EMSGSIZE.negative(), what);
        }
    }

    /** ENOSPC (the cluster or an OSD is full) or EDQUOT (the pool is at its quota). */
    public static final class NoSpaceException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * A write refused for want of space.
         *
         * @param errno -28 (ENOSPC) or -122 (EDQUOT)
         * @param what the op
         */
        public NoSpaceException(int errno, String what) {
            super(errno, what);
        }

        /**
         * Whether a pool quota, rather than full OSDs, refused the write.
         *
         * @return true for EDQUOT
         */
        public boolean quota() {
            return errno() == Errno.EDQUOT.negative();
        }
    }

    /** EBUSY: a lock held by another client, or an object or image in use. */
    public static final class BusyException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * Something in use.
         *
         * @param what what is busy
         */
        public BusyException(String what) {
            super(Errno.EBUSY.negative(), what);
        }
    }

    /** EPERM or EACCES: the caps of our key do not allow it, or an object class refused it. */
    public static final class PermissionDeniedException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * An op the cluster does not permit.
         *
         * @param errno -1 (EPERM) or -13 (EACCES)
         * @param what the op
         */
        public PermissionDeniedException(int errno, String what) {
            super(errno, what);
        }
    }

    /** ETIMEDOUT: the op's timeout (rados_osd_op_timeout, or its own) ran out before a reply came. */
    public static final class TimeoutException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * An op that outlived its timeout.
         *
         * @param what the op and how long it waited
         */
        public TimeoutException(String what) {
            super(Errno.ETIMEDOUT.negative(), what);
        }
    }

    /** EBLOCKLISTED: the monitors blocklisted this client; it must reconnect as a new instance. */
    public static final class BlocklistedException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * An op refused because this client is blocklisted.
         *
         * @param what the op
         */
        public BlocklistedException(String what) {
            super(Errno.EBLOCKLISTED.negative(), what);
        }
    }

    /**
     * ENOTCONN: a watch is broken (the OSD forgot it, or its session failed and it is being
     * registered again; notifications meanwhile may be lost), or there is no such watch.
     */
    public static final class WatchBrokenException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * A watch that is not confirmed.
         *
         * @param what the watch and why
         */
        public WatchBrokenException(String what) {
            super(Errno.ENOTCONN.negative(), what);
        }
    }

    /**
     * A cmpext guard found different bytes: the OSD answers -MAX_ERRNO - offset, the offset of
     * the first differing byte relative to the compared extent.
     */
    public static final class CompareMismatchException extends RadosException {
        private static final long serialVersionUID = 1L;
        /** The kernel's MAX_ERRNO: cmpext results at or below its negation carry an offset. */
        static final int MAX_ERRNO = 4095;
        /** The offset of the first differing byte, relative to the compared extent. */
        private final long offset;

        /**
         * A mismatch.
         *
         * @param offset the first differing byte, relative to the compared extent
         * @param what the op
         */
        public CompareMismatchException(long offset, String what) {
            super((int) Math.max(Integer.MIN_VALUE, -MAX_ERRNO - offset), what + ": the data differ at byte " + offset
                    + " of the compared extent");
            this.offset = offset;
        }

        /**
         * Where the data first differ.
         *
         * @return the offset of the first differing byte, relative to the compared extent
         */
        public long offset() {
            return offset;
        }
    }

    /** ENOTCONN: the {@link RadosClient} was closed before or while the op ran. */
    public static final class ClientClosedException extends RadosException {
        private static final long serialVersionUID = 1L;

        /**
         * An op on a closed client.
         *
         * @param what the op
         */
        public ClientClosedException(String what) {
            super(Errno.ENOTCONN.negative(), what + " (the client is closed)");
        }
    }
}
