package org.jceph.rados.internal.objecter;

/**
 * Where an OSD op stands between submission and its end. What used to be read off sentinels
 * ({@code osd = -1}, a null target, a non-null backoff) is this state.
 * <pre>
 *             submit
 *               |
 *            UNSENT --------------------------------.
 *               | calc target                        |
 *   .-----------+-------------+-------------.        |
 *   v           v             v             v        |
 * SENT      PAUSED       NO_PRIMARY    BACKED_OFF    |
 *   |   (map flags/full) (no usable    (OSD blocked  |
 *   |           |         primary)      its range)   |
 *   |           '---- next map / unblock / fault ----' recalculated: any of the four again
 *   '-- reply, error, timeout, cancel, close --> DONE (from any state)
 * </pre>
 */
public enum OpState {
    /** Admitted within the budget; no target calculated yet. */
    UNSENT,
    /** Sent to its pg's acting primary; waits for the reply, or a resend. */
    SENT,
    /** Held by PAUSERD/PAUSEWR, the cluster's FULL flag or a full pool, until a map lifts it. */
    PAUSED,
    /** Its pg has no primary that is up in the current map; waits for the next map. */
    NO_PRIMARY,
    /** Held by the primary's MOSDBackoff block until the OSD lifts it. */
    BACKED_OFF,
    /** Completed, failed, timed out, cancelled, or ended by the client's close. */
    DONE;

    /**
     * Whether the op is at an OSD: sent there, or held there by its block. Its session's fault
     * and that OSD's unblocks concern it; a new map is checked against the interval it was sent in.
     *
     * @return true for SENT and BACKED_OFF
     */
    public boolean atOsd() {
        return this == SENT || this == BACKED_OFF;
    }
}
