package org.jceph.rados;

import java.util.Map;

/**
 * A {@link RadosClient}'s metrics over JMX, registered as
 * {@code org.jceph:type=RadosClient,name=<entity>.<global id>} (for instance
 * {@code client.admin.4215}) while the client is open. The counters are librados' Objecter perf
 * counters in spirit: monotonic counts since the client connected, and gauges of what is in
 * flight now. {@link RadosClient#metrics()} gives the same numbers to Java code.
 */
public interface RadosClientMXBean {
    /** @return the client's id: its entity name and global id, {@code client.admin.4215} */
    String getClientId();

    /** @return read ops submitted (ops whose steps only read) */
    long getReadOps();

    /** @return write ops submitted (ops with at least one step that writes) */
    long getWriteOps();

    /** @return other ops submitted (placement-group ops: object listing) */
    long getOtherOps();

    /** @return ops that ended with an error (an errno from the OSD, a timeout, a closed client) */
    long getOpErrors();

    /** @return ops that ended with a timeout */
    long getOpTimeouts();

    /** @return ops cancelled through their futures */
    long getOpsCancelled();

    /** @return read ops completed, as counted by their latency histogram */
    long getReadLatencyCount();

    /** @return write ops completed, as counted by their latency histogram */
    long getWriteLatencyCount();

    /** @return other ops completed, as counted by their latency histogram */
    long getOtherLatencyCount();

    /** @return the sum of completed read ops' latencies, in microseconds */
    long getReadLatencyTotalMicros();

    /** @return the sum of completed write ops' latencies, in microseconds */
    long getWriteLatencyTotalMicros();

    /** @return the sum of completed other ops' latencies, in microseconds */
    long getOtherLatencyTotalMicros();

    /** @return read op latencies, counts per bucket of {@link #getLatencyBucketBoundsMicros()} */
    long[] getReadLatencyHistogram();

    /** @return write op latencies, counts per bucket of {@link #getLatencyBucketBoundsMicros()} */
    long[] getWriteLatencyHistogram();

    /** @return other op latencies, counts per bucket of {@link #getLatencyBucketBoundsMicros()} */
    long[] getOtherLatencyHistogram();

    /**
     * @return each histogram bucket's exclusive upper bound in microseconds: 1, 2, 4, ... (powers
     *         of two), the last one {@link Long#MAX_VALUE}
     */
    long[] getLatencyBucketBoundsMicros();

    /** @return ops admitted and not completed yet */
    long getOpsInFlight();

    /** @return the payload bytes of the ops in flight (as objecter_inflight_op_bytes counts them) */
    long getBytesInFlight();

    /** @return ops sent again, for any reason */
    long getResends();

    /**
     * @return ops sent again by reason: interval_change, pg_split, osd_down, session_fault,
     *         redirect, backoff_released, map_wait (see {@link RadosMetrics.ResendReason})
     */
    Map<String, Long> getResendsByReason();

    /** @return MOSDBackoff blocks received */
    long getBackoffBlocks();

    /** @return MOSDBackoff unblocks received */
    long getBackoffUnblocks();

    /** @return blocks in force now */
    long getActiveBackoffs();

    /** @return times an op was held back by a block instead of being sent */
    long getOpsHeldByBackoff();

    /** @return the epoch of the client's OSDMap */
    long getOsdMapEpoch();

    /** @return full OSDMaps decoded */
    long getOsdMapFullMaps();

    /** @return incremental OSDMaps applied */
    long getOsdMapIncrementals();

    /** @return OSD sessions open now */
    long getOsdSessions();

    /** @return the OSDs a session is open to now, ascending */
    int[] getOsdSessionIds();

    /** @return OSD sessions opened */
    long getOsdSessionOpens();

    /** @return OSD sessions lost to a fault (connection reset, keepalive timeout, OSD restart) */
    long getOsdSessionFaults();

    /** @return watches registered now */
    long getWatches();

    /** @return watch re-registrations (after a fault, an interval change or an expired watch) */
    long getWatchReconnects();

    /** @return exceptions thrown by watch listeners (each also logged at WARN) */
    long getWatchListenerErrors();
}
