package org.jceph.rbd;

import org.jceph.rados.Errno;

/**
 * An image operation that cannot be done: unknown image, unsupported features, a lock that cannot
 * be had, bad arguments. Each carries an errno, negative as librbd returns it ({@code -5}, EIO,
 * when nothing more specific applies). What the cluster itself refused comes out as the
 * {@link org.jceph.rados.RadosException} the OSD or monitor answered with.
 */
public class RbdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The negative errno. */
    private final int errno;

    /**
     * An error with errno EIO.
     *
     * @param message what went wrong
     */
    public RbdException(String message) {
        this(-5, message);
    }

    /**
     * An error with its errno.
     *
     * @param errno the errno (a positive one is negated)
     * @param message what went wrong
     */
    public RbdException(int errno, String message) {
        super(message);
        this.errno = -Math.abs(errno);
    }

    /**
     * An error with errno EIO and its cause.
     *
     * @param message what went wrong
     * @param cause what caused it
     */
    public RbdException(String message, Throwable cause) {
        super(message, cause);
        this.errno = Errno.EIO.negative();
    }

    /**
     * The errno, negative as librbd returns it.
     *
     * @return the errno, such as -2 for a missing image
     */
    public int errno() {
        return errno;
    }

    /** ENOENT: no image of that name in the pool. */
    public static final class ImageNotFoundException extends RbdException {
        private static final long serialVersionUID = 1L;
        /** The missing image's name. */
        private final String image;
        /** The pool it was looked for in. */
        private final String pool;

        /**
         * A missing image.
         *
         * @param image the image's name
         * @param pool the pool's name
         */
        public ImageNotFoundException(String image, String pool) {
            super(Errno.ENOENT.negative(), "no image " + image + " in pool " + pool);
            this.image = image;
            this.pool = pool;
        }

        /**
         * The missing image.
         *
         * @return its name
         */
        public String image() {
            return image;
        }

        /**
         * The pool it was looked for in.
         *
         * @return the pool's name
         */
        public String pool() {
            return pool;
        }
    }

    /** EEXIST: an image of that name exists already. */
    public static final class ImageExistsException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * An image that exists.
         *
         * @param message names the image and pool
         */
        public ImageExistsException(String message) {
            super(Errno.EEXIST.negative(), message);
        }
    }

    /** EBUSY: the image is in use (watched, locked) where the operation needs it idle. */
    public static final class ImageBusyException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * An image in use.
         *
         * @param message names the image and who uses it
         */
        public ImageBusyException(String message) {
            super(Errno.EBUSY.negative(), message);
        }
    }

    /** A metadata key (or similar named item) that is not there: ENOENT in the rbd tool. */
    public static final class NoSuchKeyException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * A missing key.
         *
         * @param message names the key
         */
        public NoSuchKeyException(String message) {
            super(Errno.ENOENT.negative(), message);
        }
    }

    /** ETIMEDOUT: the image's exclusive lock could not be taken before the lock timeout. */
    public static final class LockTimeoutException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * A lock acquisition that timed out.
         *
         * @param message names the image and the timeout
         */
        public LockTimeoutException(String message) {
            super(Errno.ETIMEDOUT.negative(), message);
        }
    }

    /**
     * EBUSY: the image's exclusive lock is held in a way we must not take over (not librbd's, or
     * the owner refuses to hand it over).
     */
    public static final class LockBusyException extends RbdException {
        private static final long serialVersionUID = 1L;

        /**
         * A lock that cannot be had.
         *
         * @param message names the image and the holder
         */
        public LockBusyException(String message) {
            super(Errno.EBUSY.negative(), message);
        }
    }

    /** The image uses features this client cannot honour for the requested access (EOPNOTSUPP). */
    public static final class UnsupportedFeaturesException extends RbdException {
        private static final long serialVersionUID = 1L;
        /** The feature bits that cannot be honoured. */
        private final long unsupported;

        /**
         * Features that cannot be honoured.
         *
         * @param image the image's name
         * @param unsupported the feature bits
         * @param forWrite whether the image was opened for writing
         */
        public UnsupportedFeaturesException(String image, long unsupported, boolean forWrite) {
            super(Errno.EOPNOTSUPP.negative(), "image " + image + " uses features jceph cannot honour"
                    + (forWrite ? " when writing" : "") + ": "
                    + RbdFeatures.names(unsupported) + (forWrite ? " (open it read-only to read it)" : ""));
            this.unsupported = unsupported;
        }

        /**
         * The feature bits that cannot be honoured.
         *
         * @return the bits
         */
        public long unsupported() {
            return unsupported;
        }
    }
}
