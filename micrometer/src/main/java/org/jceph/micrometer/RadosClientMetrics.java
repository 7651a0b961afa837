package org.jceph.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosClientMXBean;
import org.jceph.rados.RadosMetrics;

/**
 * Binds a {@link RadosClient}'s metrics to a Micrometer registry. The meters read the client's
 * own counters ({@link RadosClient#metrics()}, the numbers its MXBean shows) when the registry
 * polls them: binding adds nothing to the op path.
 *
 * <pre>{@code
 * new RadosClientMetrics(client).bindTo(registry);
 * }</pre>
 *
 * <p>Meters, each tagged {@code client} (the entity and global id, as the MXBean's name) plus
 * the extra tags given:
 * <ul>
 *   <li>{@code jceph.rados.ops} (function timer, tag {@code type} = read, write, other): ops
 *       completed and their total latency;</li>
 *   <li>{@code jceph.rados.ops.submitted} (counter, tag {@code type});</li>
 *   <li>{@code jceph.rados.ops.errors}, {@code jceph.rados.ops.timeouts} (counters);</li>
 *   <li>{@code jceph.rados.ops.inflight}, {@code jceph.rados.bytes.inflight} (gauges);</li>
 *   <li>{@code jceph.rados.resends} (counter, tag {@code reason}: interval_change, pg_split,
 *       osd_down, session_fault, redirect, backoff_released, map_wait);</li>
 *   <li>{@code jceph.rados.backoffs} (counter, tag {@code op} = block, unblock) and
 *       {@code jceph.rados.backoffs.active} (gauge);</li>
 *   <li>{@code jceph.rados.osdmap.epoch} (gauge);</li>
 *   <li>{@code jceph.rados.osd.sessions} (gauge), {@code jceph.rados.osd.session.faults} (counter);</li>
 *   <li>{@code jceph.rados.watches} (gauge), {@code jceph.rados.watch.reconnects} (counter).</li>
 * </ul>
 * Function meters hold what they read weakly, as Micrometer's do; the binder itself holds the
 * metrics object, so remove the meters from the registry when the client is closed for good.
 */
public final class RadosClientMetrics implements MeterBinder {
    private final RadosClientMXBean metrics;
    private final Tags tags;

    /**
     * A binder for {@code client}'s metrics, tagged with its id.
     *
     * @param client the client
     */
    public RadosClientMetrics(RadosClient client) {
        this(client.metrics(), Tags.empty());
    }

    /**
     * A binder for a client's metrics, tagged with its id and {@code extraTags}.
     *
     * @param metrics the client's metrics ({@link RadosClient#metrics()}, or an MXBean proxy)
     * @param extraTags tags added to every meter
     */
    public RadosClientMetrics(RadosClientMXBean metrics, Iterable<Tag> extraTags) {
        this.metrics = metrics;
        this.tags = Tags.of(extraTags).and("client", metrics.getClientId());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RadosMetrics.OpType type : RadosMetrics.OpType.values()) {
            Tags t = tags.and("type", type.tag());
            ToDoubleFunction<RadosClientMXBean> submitted;
            java.util.function.ToLongFunction<RadosClientMXBean> completed;
            ToDoubleFunction<RadosClientMXBean> totalMicros;
            switch (type) {
                case READ -> {
                    submitted = RadosClientMXBean::getReadOps;
                    completed = RadosClientMXBean::getReadLatencyCount;
                    totalMicros = RadosClientMXBean::getReadLatencyTotalMicros;
                }
                case WRITE -> {
                    submitted = RadosClientMXBean::getWriteOps;
                    completed = RadosClientMXBean::getWriteLatencyCount;
                    totalMicros = RadosClientMXBean::getWriteLatencyTotalMicros;
                }
                default -> {
                    submitted = RadosClientMXBean::getOtherOps;
                    completed = RadosClientMXBean::getOtherLatencyCount;
                    totalMicros = RadosClientMXBean::getOtherLatencyTotalMicros;
                }
            }
            FunctionTimer.builder("jceph.rados.ops", metrics, completed, totalMicros, TimeUnit.MICROSECONDS)
                    .tags(t).description("RADOS ops completed and their latency").register(registry);
            counter(registry, "jceph.rados.ops.submitted", t, "RADOS ops submitted", submitted);
        }
        counter(registry, "jceph.rados.ops.errors", tags, "RADOS ops that ended with an error",
                RadosClientMXBean::getOpErrors);
        counter(registry, "jceph.rados.ops.timeouts", tags, "RADOS ops that timed out",
                RadosClientMXBean::getOpTimeouts);
        gauge(registry, "jceph.rados.ops.inflight", tags, "RADOS ops in flight", RadosClientMXBean::getOpsInFlight);
        Gauge.builder("jceph.rados.bytes.inflight", metrics, RadosClientMXBean::getBytesInFlight)
                .tags(tags).baseUnit("bytes").description("payload bytes of the RADOS ops in flight").register(registry);
        for (RadosMetrics.ResendReason why : RadosMetrics.ResendReason.values()) {
            counter(registry, "jceph.rados.resends", tags.and("reason", why.tag()), "RADOS ops sent again",
                    m -> m.getResendsByReason().getOrDefault(why.tag(), 0L));
        }
        counter(registry, "jceph.rados.backoffs", tags.and("op", "block"), "MOSDBackoff messages",
                RadosClientMXBean::getBackoffBlocks);
        counter(registry, "jceph.rados.backoffs", tags.and("op", "unblock"), "MOSDBackoff messages",
                RadosClientMXBean::getBackoffUnblocks);
        gauge(registry, "jceph.rados.backoffs.active", tags, "OSD backoffs in force",
                RadosClientMXBean::getActiveBackoffs);
        gauge(registry, "jceph.rados.osdmap.epoch", tags, "epoch of the client's OSDMap",
                RadosClientMXBean::getOsdMapEpoch);
        gauge(registry, "jceph.rados.osd.sessions", tags, "OSD sessions open", RadosClientMXBean::getOsdSessions);
        counter(registry, "jceph.rados.osd.session.faults", tags, "OSD sessions lost to a fault",
                RadosClientMXBean::getOsdSessionFaults);
        gauge(registry, "jceph.rados.watches", tags, "watches registered", RadosClientMXBean::getWatches);
        counter(registry, "jceph.rados.watch.reconnects", tags, "watch re-registrations",
                RadosClientMXBean::getWatchReconnects);
    }

    private void counter(MeterRegistry registry, String name, Tags t, String description,
                         ToDoubleFunction<RadosClientMXBean> f) {
        FunctionCounter.builder(name, metrics, f).tags(t).description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, Tags t, String description,
                       ToDoubleFunction<RadosClientMXBean> f) {
        Gauge.builder(name, metrics, f).tags(t).description(description).register(registry);
    }
}
