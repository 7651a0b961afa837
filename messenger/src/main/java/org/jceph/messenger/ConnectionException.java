package org.jceph.messenger;

/**
 * A connection could not be established or was lost: names the peer address(es) and the stage
 * (connect, banner, hello, auth, ident, open) where it failed.
 */
public class ConnectionException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
