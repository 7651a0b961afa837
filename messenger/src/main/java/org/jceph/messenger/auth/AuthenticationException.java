package org.jceph.messenger.auth;

import org.jceph.messenger.EntityName;

/**
 * Authentication was refused or could not be completed: names the entity, the peer and the reason
 * (e.g. "wrong key or unknown entity (EACCES)"). Never carries key or ticket material.
 */
public class AuthenticationException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    private final transient EntityName entity;
    private final int errno;

    public AuthenticationException(EntityName entity, String peer, String reason, int errno) {
        super("authentication of " + entity + " to " + peer + " failed: " + reason);
        this.reason = reason;
        this.entity = entity;
        this.errno = errno;
    }

    private final String reason;

    /** Why the peer refused us, without the "authentication of ... failed" framing. */
    public String reason() {
        return reason;
    }

    public EntityName entity() {
        return entity;
    }

    /** The positive errno the peer reported (13 = EACCES), or 0 when the failure was local. */
    public int errno() {
        return errno;
    }
}
