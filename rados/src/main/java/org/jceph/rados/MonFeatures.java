package org.jceph.rados;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.mon.MonMap;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.messenger.mon.MonSession;
import org.jceph.rados.internal.MonStatMessages;

/**
 * The MonClient duties beyond the osdmap: standing subscriptions to the monmap and to the
 * central config (MConfig), the newest osdmap epoch (MMonGetVersion), cluster capacity (MStatfs)
 * and pool usage (MGetPoolStats). Replies are bounded by the caller's timeout.
 */
final class MonFeatures {
    private final MonSession mon;
    private final AtomicReference<MonMap> monMap = new AtomicReference<>();
    private final AtomicReference<Map<String, String>> config = new AtomicReference<>(Map.of());
    private final AtomicLong configUpdates = new AtomicLong();
    private final AtomicLong handles = new AtomicLong();
    private final Map<Long, CompletableFuture<MonStatMessages.Version>> versionWaiters = new ConcurrentHashMap<>();

    MonFeatures(MonSession mon) {
        this.mon = mon;
        mon.onMessage(this::dispatch);
        MonMap first = mon.lastMonMap();
        monMap.set(first);
        mon.subscribe("monmap", first == null ? 0 : first.epoch() + 1);
        mon.subscribe("config", 0);
    }

    private void dispatch(Message m) {
        MessageType type = MessageType.byNumber(m.type()).orElse(null);
        if (type == null) {
            return;
        }
        switch (type) {
            case MON_MAP -> {
                MonMap next = MonMessages.decodeMonMap(m);
                monMap.accumulateAndGet(next, (a, b) -> a == null || b.epoch() >= a.epoch() ? b : a);
            }
            case CONFIG -> {
                config.set(Map.copyOf(MonStatMessages.decodeConfig(m)));
                configUpdates.incrementAndGet();
            }
            case MON_GET_VERSION_REPLY -> {
                MonStatMessages.Version v = MonStatMessages.decodeVersion(m);
                CompletableFuture<MonStatMessages.Version> w = versionWaiters.remove(v.handle());
                if (w != null) {
                    w.complete(v);
                }
            }
            default -> {
            }
        }
    }

    MonMap monMap() {
        return monMap.get();
    }

    Map<String, String> config() {
        return config.get();
    }

    long configUpdates() {
        return configUpdates.get();
    }

    /** The newest epoch of {@code what} ("osdmap") the monitors have, and the oldest they keep. */
    CompletableFuture<MonStatMessages.Version> version(String what, Duration timeout) {
        long handle = handles.incrementAndGet();
        CompletableFuture<MonStatMessages.Version> f = new CompletableFuture<>();
        versionWaiters.put(handle, f);
        f.whenComplete((v, e) -> versionWaiters.remove(handle));
        mon.sendRaw(MonStatMessages.getVersion(handle, what)).whenComplete((ok, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            }
        });
        return f.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    CompletableFuture<ClusterStat> clusterStat() {
        return mon.call(MonStatMessages.statfs(mon.fsid()), MessageType.STATFS_REPLY)
                .thenApply(MonStatMessages::decodeStatfs);
    }

    CompletableFuture<Map<String, PoolStat>> poolStats(List<String> pools) {
        return mon.call(MonStatMessages.poolStats(mon.fsid(), pools), MessageType.GETPOOLSTATSREPLY)
                .thenApply(MonStatMessages::decodePoolStats);
    }
}
