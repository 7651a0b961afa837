package org.jceph.rados;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jceph.rados.internal.LatencyHistogram;

/**
 * The metrics of one {@link RadosClient}, live: every getter reads the current value. The hot
 * path only increments {@link LongAdder}s (no allocation, no lock per op); gauges such as the ops
 * in flight are read from the client's own state when asked for. Also the client's MXBean (see
 * {@link RadosClientMXBean}); the optional jceph-micrometer module binds the same numbers to a
 * Micrometer registry.
 */
public final class RadosMetrics implements RadosClientMXBean {
    /** What kind of op: decides which counter and latency histogram it goes to. */
    public enum OpType {
        /** Every step only reads. */
        READ,
        /** At least one step writes. */
        WRITE,
        /** A placement-group op (object listing). */
        OTHER;

        /** @return the name in lower case, as metric tags use it */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why an op was sent again. */
    public enum ResendReason {
        /** A new map changed the op's pg interval (primary, up or acting set, size, pool resend flag). */
        INTERVAL_CHANGE,
        /** A new map changed the pool's pg_num: the pg split or merged. */
        PG_SPLIT,
        /** A new map marked the OSD the op was sent to down. */
        OSD_DOWN,
        /** The session to the OSD failed (reset, keepalive timeout, OSD restart). */
        SESSION_FAULT,
        /** The OSD redirected the op (a cache tier to its base pool). */
        REDIRECT,
        /** The OSD lifted a backoff that held the op. */
        BACKOFF_RELEASED,
        /** The op was parked (no usable primary, paused or full) and a new map let it go. */
        MAP_WAIT;

        /** @return the name in lower case, as metric tags and log lines use it */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final RadosClient client;
    private final LongAdder[] ops = adders(OpType.values().length);
    private final LatencyHistogram[] latency = {new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()};
    private final LongAdder[] resends = adders(ResendReason.values().length);
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder sessionOpens = new LongAdder();
    private final LongAdder sessionFaults = new LongAdder();
    private final LongAdder watchReconnects = new LongAdder();
    private final LongAdder watchListenerErrors = new LongAdder();

    RadosMetrics(RadosClient client) {
        this.client = client;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    // ---- recording, by the client --------------------------------------------------------

    void opStarted(OpType type) {
        ops[type.ordinal()].increment();
    }

    void opCompleted(OpType type, long nanos, boolean failed) {
        latency[type.ordinal()].record(nanos);
        if (failed) {
            errors.increment();
        }
    }

    void opTimedOut() {
        timeouts.increment();
    }

    void resent(ResendReason why) {
        resends[why.ordinal()].increment();
    }

    void sessionOpened() {
        sessionOpens.increment();
    }

    void sessionFaulted() {
        sessionFaults.increment();
    }

    void watchReconnected() {
        watchReconnects.increment();
    }

    void watchListenerFailed() {
        watchListenerErrors.increment();
    }

    // ---- reading, by type and reason -------------------------------------------------------

    /**
     * Ops submitted of one type.
     *
     * @param type the type
     * @return how many
     */
    public long ops(OpType type) {
        return ops[type.ordinal()].sum();
    }

    /**
     * Ops of one type completed (successfully or not; cancelled ones are not counted).
     *
     * @param type the type
     * @return how many
     */
    public long opsCompleted(OpType type) {
        return latency[type.ordinal()].count();
    }

    /**
     * The sum of the latencies of the completed ops of one type.
     *
     * @param type the type
     * @param unit the unit wanted
     * @return the sum, in {@code unit}
     */
    public long latencyTotal(OpType type, TimeUnit unit) {
        return unit.convert(latency[type.ordinal()].sumNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The latency histogram of one type: counts per bucket of {@link #getLatencyBucketBoundsMicros()}.
     *
     * @param type the type
     * @return a copy of the counts
     */
    public long[] latencyHistogram(OpType type) {
        return latency[type.ordinal()].bucketCounts();
    }

    /**
     * Ops sent again for one reason.
     *
     * @param why the reason
     * @return how many
     */
    public long resends(ResendReason why) {
        return resends[why.ordinal()].sum();
    }

    // ---- the MXBean ------------------------------------------------------------------------

    @Override
    public String getClientId() {
        return client.metricsId();
    }

    @Override
    public long getReadOps() {
        return ops(OpType.READ);
    }

    @Override
    public long getWriteOps() {
        return ops(OpType.WRITE);
    }

    @Override
    public long getOtherOps() {
        return ops(OpType.OTHER);
    }

    @Override
    public long getOpErrors() {
        return errors.sum();
    }

    @Override
    public long getOpTimeouts() {
        return timeouts.sum();
    }

    @Override
    public long getOpsCancelled() {
        return client.stats().opsCancelled();
    }

    @Override
    public long getReadLatencyCount() {
        return opsCompleted(OpType.READ);
    }

    @Override
    public long getWriteLatencyCount() {
        return opsCompleted(OpType.WRITE);
    }

    @Override
    public long getOtherLatencyCount() {
        return opsCompleted(OpType.OTHER);
    }

    @Override
    public long getReadLatencyTotalMicros() {
        return latencyTotal(OpType.READ, TimeUnit.MICROSECONDS);
    }

    @Override
    public long getWriteLatencyTotalMicros() {
        return latencyTotal(OpType.WRITE, TimeUnit.MICROSECONDS);
    }

    @Override
    public long getOtherLatencyTotalMicros() {
        return latencyTotal(OpType.OTHER, TimeUnit.MICROSECONDS);
    }

    @Override
    public long[] getReadLatencyHistogram() {
        return latencyHistogram(OpType.READ);
    }

    @Override
    public long[] getWriteLatencyHistogram() {
        return latencyHistogram(OpType.WRITE);
    }

    @Override
    public long[] getOtherLatencyHistogram() {
        return latencyHistogram(OpType.OTHER);
    }

    @Override
    public long[] getLatencyBucketBoundsMicros() {
        return LatencyHistogram.upperBoundsMicros();
    }

    @Override
    public long getOpsInFlight() {
        return client.opsInFlight();
    }

    @Override
    public long getBytesInFlight() {
        return client.bytesInFlight();
    }

    @Override
    public long getResends() {
        long n = 0;
        for (LongAdder a : resends) {
            n += a.sum();
        }
        return n;
    }

    @Override
    public Map<String, Long> getResendsByReason() {
        Map<String, Long> out = new TreeMap<>();
        for (ResendReason r : ResendReason.values()) {
            out.put(r.tag(), resends(r));
        }
        return out;
    }

    /**
     * Ops sent again, by reason.
     *
     * @return the counts
     */
    public Map<ResendReason, Long> resendsByReason() {
        Map<ResendReason, Long> out = new EnumMap<>(ResendReason.class);
        for (ResendReason r : ResendReason.values()) {
            out.put(r, resends(r));
        }
        return out;
    }

    @Override
    public long getBackoffBlocks() {
        return client.stats().backoffBlocks();
    }

    @Override
    public long getBackoffUnblocks() {
        return client.stats().backoffUnblocks();
    }

    @Override
    public long getActiveBackoffs() {
        return client.stats().activeBackoffs();
    }

    @Override
    public long getOpsHeldByBackoff() {
        return client.stats().opsHeldByBackoff();
    }

    @Override
    public long getOsdMapEpoch() {
        return client.osdMap().epoch();
    }

    @Override
    public long getOsdMapFullMaps() {
        return client.mapStats().fullMaps();
    }

    @Override
    public long getOsdMapIncrementals() {
        return client.mapStats().incrementals();
    }

    @Override
    public long getOsdSessions() {
        return client.openOsdSessions().length;
    }

    @Override
    public int[] getOsdSessionIds() {
        return client.openOsdSessions();
    }

    @Override
    public long getOsdSessionOpens() {
        return sessionOpens.sum();
    }

    @Override
    public long getOsdSessionFaults() {
        return sessionFaults.sum();
    }

    @Override
    public long getWatches() {
        return client.lingers.size();
    }

    @Override
    public long getWatchReconnects() {
        return watchReconnects.sum();
    }

    @Override
    public long getWatchListenerErrors() {
        return watchListenerErrors.sum();
    }
}
