package org.jceph.rados;

/**
 * An operation the cluster refused, with the negative Linux errno the OSD or monitor returned.
 * {@link #of} maps errno values to the typed subclasses, in one table.
 */
public class RadosException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public RadosException(int errno, String message) {
        super(message + " (errno " + errno + ")");
        this.errno = errno;
    }

    /**
     * What a future failed with: the cause inside a {@link java.util.concurrent.CompletionException}
     * (dependent stages wrap it), or {@code e} itself.
     */
    public static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The negative errno, as librados returns it. */
    public int errno() {
        return errno;
    }

    /** The typed exception for {@code errno} (negative, as OSDs reply). */
    public static RadosException of(int errno, String what) {
        return switch (errno) {
            case -2 -> new ObjectNotFoundException(what);
            case -17 -> new ObjectExistsException(what);
            case -1, -13 -> new PermissionDeniedException(errno, what);
            case -110 -> new TimeoutException(what);
            default -> new RadosException(errno, what);
        };
    }

    /** ENOENT. */
    public static final class ObjectNotFoundException extends RadosException {
        private static final long serialVersionUID = 1L;

        public ObjectNotFoundException(String what) {
            super(-2, what + ": no such object");
        }
    }

    /** EEXIST. */
    public static final class ObjectExistsException extends RadosException {
        private static final long serialVersionUID = 1L;

        public ObjectExistsException(String what) {
            super(-17, what + ": object exists");
        }
    }

    /** EPERM or EACCES: the caps of our key do not allow it. */
    public static final class PermissionDeniedException extends RadosException {
        private static final long serialVersionUID = 1L;

        public PermissionDeniedException(int errno, String what) {
            super(errno, what + ": permission denied");
        }
    }

    /** ETIMEDOUT: the op's timeout (rados_osd_op_timeout, or its own) ran out before a reply came. */
    public static final class TimeoutException extends RadosException {
        private static final long serialVersionUID = 1L;

        public TimeoutException(String what) {
            super(-110, what);
        }
    }
}
