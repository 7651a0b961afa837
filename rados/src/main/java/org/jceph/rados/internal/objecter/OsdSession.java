package org.jceph.rados.internal.objecter;

import java.util.concurrent.CompletableFuture;
import org.jceph.messenger.Message;
import org.jceph.rados.internal.Backoffs;

/**
 * One session to one OSD: the link (open or opening), the ordered chain of sends on it, and the
 * blocks (MOSDBackoff) the OSD holds on this session. A new session starts with no blocks: the
 * OSD forgets its own when the old session resets.
 */
final class OsdSession {
    final int osd;
    /** The blocks this session holds. */
    final Backoffs.Table blocks = new Backoffs.Table();
    /** Completes when the transport has opened the session (or failed to). */
    final CompletableFuture<Transport.Link> link = new CompletableFuture<>();
    /** The last send queued; guarded by {@code this}. */
    private CompletableFuture<Void> last;

    OsdSession(int osd) {
        this.osd = osd;
    }

    /**
     * Sends {@code m} after every message queued on this session before it, even while the session
     * is still being opened (dependents of one future run in no promised order, so ops resent
     * together to a connecting OSD could otherwise overtake each other: a read before the write it
     * was queued behind).
     */
    synchronized CompletableFuture<Void> send(Message m) {
        CompletableFuture<Void> after = last == null || last.isDone() ? link.thenCompose(l -> l.send(m))
                : last.handle((ok, err) -> null).thenCompose(v -> link).thenCompose(l -> l.send(m));
        last = after.isDone() ? null : after; // nothing to wait for: drop the reference
        return after;
    }

    /** The link if it is open now, else null. */
    Transport.Link openLink() {
        if (!link.isDone() || link.isCompletedExceptionally()) {
            return null;
        }
        Transport.Link l = link.join();
        return l.closed().isDone() ? null : l;
    }

    /** Opening or open: not failed and not closed. */
    boolean usable() {
        if (!link.isDone()) {
            return true;
        }
        return openLink() != null;
    }

    /** Closes the link once it is open. */
    void close() {
        link.thenAccept(Transport.Link::close);
    }
}
