package org.jceph.nbd;

/** An export failure that maps to a specific NBD error (errno values as the NBD spec numbers them). */
public class NbdIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int EPERM = 1;
    public static final int EIO = 5;
    public static final int ENOMEM = 12;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EOVERFLOW = 75;
    public static final int ENOTSUP = 95;
    public static final int ESHUTDOWN = 108;

    private final int errno;

    public NbdIoException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public NbdIoException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
