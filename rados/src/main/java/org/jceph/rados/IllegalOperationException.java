package org.jceph.rados;

/**
 * A compound operation librados would refuse: no steps, a write without a modifying step, or
 * reads that return data mixed into a write (the OSD returns no data for a write). Thrown before
 * anything is sent.
 */
public final class IllegalOperationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An operation refused before it is sent.
     *
     * @param message what is wrong and what to do instead
     */
    public IllegalOperationException(String message) {
        super(message);
    }
}
