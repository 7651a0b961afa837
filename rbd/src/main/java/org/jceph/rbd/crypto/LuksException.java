package org.jceph.rbd.crypto;

import org.jceph.rbd.RbdException;

/**
 * An encryption operation that cannot be done, with the errno librbd returns for it: EINVAL for
 * an image without a LUKS header or a damaged one, ENOTSUP for a cipher librbd does not support,
 * ENOSPC for an image too small for the header, EEXIST for an image already loaded. Messages never
 * contain passphrases or keys.
 */
public class LuksException extends RbdException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with its errno.
     *
     * @param errno the errno (negative or positive)
     * @param message what went wrong
     */
    public LuksException(int errno, String message) {
        super(errno, message);
    }

    /**
     * An error with errno EIO.
     *
     * @param message what went wrong
     */
    public LuksException(String message) {
        super(message);
    }

    /**
     * An error with errno EIO and its cause.
     *
     * @param message what went wrong
     * @param cause what caused it
     */
    public LuksException(String message, Throwable cause) {
        super(message, cause);
    }

    /** EPERM, as libcryptsetup and librbd return it: no key slot opens with this passphrase. */
    public static final class WrongPassphraseException extends LuksException {
        private static final long serialVersionUID = 1L;

        /** The error. */
        public WrongPassphraseException() {
            super(-1, "no key slot opens with this passphrase");
        }
    }

    /** EINVAL: the image does not start with a LUKS header (of the version asked for). */
    public static final class NotEncryptedException extends LuksException {
        private static final long serialVersionUID = 1L;

        /**
         * The error.
         *
         * @param message what was found instead
         */
        public NotEncryptedException(String message) {
            super(-22, message);
        }
    }
}
