package org.jceph.rados;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.types.SnapContext;
import org.jceph.rados.IoCtx.NotifyResult;
import org.jceph.rados.IoCtx.WatchListener;
import org.jceph.rados.IoCtx.Watcher;
import org.jceph.rados.IoCtx.WatcherId;
import org.jceph.rados.internal.OsdOp;
import org.jceph.rados.internal.OsdOpMessages;
import org.jceph.rados.internal.objecter.LingerManager;
import org.jceph.rados.internal.objecter.Target;

/**
 * The watch/notify half of {@link IoCtx}: registering, checking and removing watches (the
 * lingers the client keeps registered across faults), the listener glue that acks each
 * notification, notify itself and the decoding of watcher lists and notify completions.
 */
record WatchNotifyOps(IoCtx io) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IoCtx.class);

    CompletableFuture<Long> watchAsync(String oid, WatchListener listener) {
        Args.oid(oid);
        Args.notNull(listener, "listener");
        io.checkOpen();
        long cookie = io.client.cookies.incrementAndGet();
        io.client.watchListeners.put(cookie, ev -> {
            if (ev.opcode() == WatchNotify.EVENT_NOTIFY) {
                byte[] reply;
                try {
                    reply = listener.onNotify(ev.notifyId(), ev.notifierGid(), ev.payload());
                } catch (RuntimeException e) {
                    listenerFailed(oid, cookie, "onNotify", e);
                    reply = new byte[0];
                }
                io.run(oid, OsdOp.notifyAck(ev.notifyId(), cookie, reply == null ? new byte[0] : reply));
            } else if (ev.opcode() == WatchNotify.EVENT_DISCONNECT) {
                try {
                    listener.onDisconnect();
                } catch (RuntimeException e) {
                    listenerFailed(oid, cookie, "onDisconnect", e);
                }
            }
        });
        CompletableFuture<Long> f;
        try {
            LingerManager.Linger linger = io.client.lingerManager.create(io,
                    new Target.Address(io.poolId, io.namespace, io.locatorKey, oid, -1), cookie);
            long faults = io.client.lingerManager.faultsAt(linger);
            f = io.run(oid, OsdOp.watch(cookie, OsdOp.WATCH_OP_WATCH, 30)).thenApply(r -> {
                io.client.lingerManager.registered(linger, faults);
                io.watches.put(cookie, oid);
                return cookie;
            });
        } catch (RuntimeException e) {
            io.client.watchListeners.remove(cookie);
            throw e;
        }
        f.whenComplete((c, e) -> {
            if (e != null) {
                io.client.watchListeners.remove(cookie);
            }
        });
        return f;
    }

    private void listenerFailed(String oid, long cookie, String what, RuntimeException e) {
        io.client.metrics().watchListenerFailed();
        LOG.warn("watch {} on {}: the listener's {} threw", cookie, io.where(oid), what, e);
    }

    Duration watchCheck(long cookie) {
        LingerManager.Linger l = io.client.lingers.get(cookie);
        if (l == null) {
            throw new RadosException.WatchBrokenException("no watch with cookie " + cookie + " in pool '" + io.poolName + "'");
        }
        RadosException broken = l.error();
        if (broken != null) {
            throw new RadosException.WatchBrokenException("watch " + cookie + " on " + io.where(l.oid()) + " is broken: "
                    + broken.getMessage());
        }
        return Duration.ofNanos(io.client.lingerManager.now() - l.confirmedAt());
    }

    CompletableFuture<OsdOpMessages.Reply> pingWatch(LingerManager.Linger l) {
        return io.run(l.oid(), OsdOp.watch(l.cookie(), OsdOp.WATCH_OP_PING, 30), java.time.Duration.ofSeconds(10));
    }

    CompletableFuture<OsdOpMessages.Reply> reconnectWatch(LingerManager.Linger l) {
        // a RECONNECT carries the re-registration's gen, as librados' register_gen; a WATCH afresh carries 0
        return io.run(l.oid(), l.expired() ? OsdOp.watch(l.cookie(), OsdOp.WATCH_OP_WATCH, 30)
                : OsdOp.watch(l.cookie(), OsdOp.WATCH_OP_RECONNECT, l.registerGen(), 30));
    }

    void dropOnOsdOnly(String oid, long cookie) {
        io.await(io.run(oid, OsdOp.watch(cookie, OsdOp.WATCH_OP_UNWATCH, 0)));
    }

    /** How long closing waits for each watch's removal on its OSD. */
    private static final Duration UNWATCH_ON_CLOSE = Duration.ofSeconds(5);

    void unwatchOnClose(LingerManager.Linger l) {
        io.client.lingerManager.remove(l.cookie());
        io.watches.remove(l.cookie());
        try {
            io.client.await(io.client.submit(io.poolId, l.address().namespace(), l.address().key(), l.oid(),
                    List.of(OsdOp.watch(l.cookie(), OsdOp.WATCH_OP_UNWATCH, 0)), OsdOpMessages.NOSNAP,
                    SnapContext.EMPTY, UNWATCH_ON_CLOSE), UNWATCH_ON_CLOSE);
        } finally {
            io.client.watchListeners.remove(l.cookie());
        }
    }

    CompletableFuture<Void> unwatchAsync(String oid, long cookie) {
        Args.oid(oid);
        io.client.lingerManager.remove(cookie);
        io.watches.remove(cookie);
        try {
            return io.run(oid, OsdOp.watch(cookie, OsdOp.WATCH_OP_UNWATCH, 0))
                    .whenComplete((r, e) -> io.client.watchListeners.remove(cookie)).thenApply(r -> null);
        } catch (RuntimeException e) {
            io.client.watchListeners.remove(cookie);
            throw e;
        }
    }

    CompletableFuture<List<Watcher>> listWatchersAsync(String oid) {
        return io.run(oid, OsdOp.listWatchers()).thenApply(r -> decodeWatchers(r.outputs().get(0)));
    }

    static List<Watcher> decodeWatchers(byte[] out) {
        CephDecoder d = CephDecoder.of(out, "obj_list_watch_response_t");
        CephDecoder.Envelope env = d.beginStruct("obj_list_watch_response_t", 1);
        List<Watcher> list = d.readList("watchers", 20, x -> {
            CephDecoder.Envelope item = x.beginStruct("watch_item_t", 1);
            org.jceph.encoding.types.EntityName name = org.jceph.encoding.types.EntityName.decode(x);
            long cookie = x.readU64Le();
            int timeout = (int) x.readU32Le();
            org.jceph.encoding.types.EntityAddr addr = org.jceph.encoding.types.EntityAddr.decode(x);
            x.endStruct(item);
            return new Watcher(name, cookie, timeout, addr);
        });
        d.endStruct(env);
        return new java.util.ArrayList<>(list); // modifiable, as listWatchers has always returned it
    }

    CompletableFuture<NotifyResult> notifyAsync(String oid, byte[] payload, int timeoutSeconds) {
        Args.oid(oid);
        IoCtx.bytes(payload, "payload");
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("timeoutSeconds must be positive: " + timeoutSeconds);
        }
        long cookie = io.client.cookies.incrementAndGet();
        CompletableFuture<WatchNotify.Event> done = new CompletableFuture<>();
        io.client.watchListeners.put(cookie, ev -> {
            if (ev.opcode() == WatchNotify.EVENT_NOTIFY_COMPLETE) {
                done.complete(ev);
            }
        });
        CompletableFuture<NotifyResult> f;
        try {
            f = io.run(oid, OsdOp.notify(cookie, timeoutSeconds, payload)).thenCompose(r -> io.client.lingerManager
                    .awaitNotifyCompletion(done, Duration.ofSeconds(timeoutSeconds + 10L),
                            "notify on " + io.where(oid) + " did not complete")
                    .thenApply(ev -> decodeNotifyResult(ev.data())));
        } catch (RuntimeException e) {
            io.client.watchListeners.remove(cookie);
            throw e;
        }
        f.whenComplete((r, e) -> io.client.watchListeners.remove(cookie));
        return f;
    }

    static NotifyResult decodeNotifyResult(byte[] data) {
        CephDecoder d = CephDecoder.of(data, "notify completion");
        Map<WatcherId, byte[]> replies = new java.util.LinkedHashMap<>();
        int n = d.readCountLe("notify replies", 20);
        for (int i = 0; i < n; i++) {
            WatcherId who = new WatcherId(d.readU64Le(), d.readU64Le());
            replies.put(who, d.readBlob());
        }
        List<WatcherId> missed = new java.util.ArrayList<>();
        if (d.hasRemaining()) {
            int m = d.readCountLe("missed", 16);
            for (int i = 0; i < m; i++) {
                missed.add(new WatcherId(d.readU64Le(), d.readU64Le()));
            }
        }
        return new NotifyResult(java.util.Collections.unmodifiableMap(replies), List.copyOf(missed));
    }
}
