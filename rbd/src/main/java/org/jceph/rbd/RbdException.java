package org.jceph.rbd;

/** An image operation that cannot be done: unknown image, unsupported features, bad arguments. */
public class RbdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RbdException(String message) {
        super(message);
    }

    public RbdException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A metadata key (or similar named item) that is not there: ENOENT in the rbd tool. */
    public static final class NoSuchKeyException extends RbdException {
        private static final long serialVersionUID = 1L;

        public NoSuchKeyException(String message) {
            super(message);
        }
    }

    /** The image uses features this client cannot honour for the requested access. */
    public static final class UnsupportedFeaturesException extends RbdException {
        private static final long serialVersionUID = 1L;
        private final long unsupported;

        public UnsupportedFeaturesException(String image, long unsupported, boolean forWrite) {
            super("image " + image + " uses features jceph cannot honour" + (forWrite ? " when writing" : "") + ": "
                    + RbdFeatures.names(unsupported) + (forWrite ? " (open it read-only to read it)" : ""));
            this.unsupported = unsupported;
        }

        public long unsupported() {
            return unsupported;
        }
    }
}
