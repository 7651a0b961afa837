package org.jceph.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jceph.rados.RadosClientMXBean;
import org.junit.jupiter.api.Test;

/** The binder reads the client's metrics as they are when the registry polls, under the documented names. */
class RadosClientMetricsTest {
    /** A RadosClientMXBean whose getters answer from a map (attribute name without "get"), changeable. */
    private final Map<String, Object> values = new HashMap<>();
    private final RadosClientMXBean fake = (RadosClientMXBean) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {RadosClientMXBean.class}, (proxy, m, args) -> {
                Object v = values.get(m.getName().substring(3));
                if (v != null) {
                    return v;
                }
                return m.getReturnType() == long.class ? 0L : m.getReturnType() == String.class ? "client.test.1"
                        : m.getReturnType() == Map.class ? new TreeMap<>() : null;
            });

    @Test
    void metersFollowTheClientsCounters() {
        values.put("ReadOps", 7L);
        values.put("WriteOps", 5L);
        values.put("ReadLatencyCount", 6L);
        values.put("ReadLatencyTotalMicros", 6_000L);
        values.put("WriteLatencyCount", 5L);
        values.put("WriteLatencyTotalMicros", 50_000L);
        values.put("OpsInFlight", 1L);
        values.put("BytesInFlight", 4096L);
        values.put("ResendsByReason", new TreeMap<>(Map.of("osd_down", 3L, "session_fault", 2L)));
        values.put("BackoffBlocks", 4L);
        values.put("OsdMapEpoch", 42L);
        values.put("OsdSessions", 3L);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RadosClientMetrics(fake, Tags.of("app", "t")).bindTo(registry);

        FunctionTimer reads = registry.get("jceph.rados.ops").tags("type", "read", "client", "client.test.1", "app", "t")
                .functionTimer();
        assertEquals(6, reads.count());
        assertEquals(6.0, reads.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(1.0, reads.mean(TimeUnit.MILLISECONDS), 1e-9);
        FunctionTimer writes = registry.get("jceph.rados.ops").tag("type", "write").functionTimer();
        assertEquals(5, writes.count());
        assertEquals(50.0, writes.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(7.0, registry.get("jceph.rados.ops.submitted").tag("type", "read").functionCounter().count());
        assertEquals(0.0, registry.get("jceph.rados.ops.submitted").tag("type", "other").functionCounter().count());
        assertEquals(1.0, registry.get("jceph.rados.ops.inflight").gauge().value());
        Gauge bytes = registry.get("jceph.rados.bytes.inflight").gauge();
        assertEquals(4096.0, bytes.value());
        assertEquals("bytes", bytes.getId().getBaseUnit());
        assertEquals(3.0, registry.get("jceph.rados.resends").tag("reason", "osd_down").functionCounter().count());
        assertEquals(2.0, registry.get("jceph.rados.resends").tag("reason", "session_fault").functionCounter().count());
        assertEquals(0.0, registry.get("jceph.rados.resends").tag("reason", "pg_split").functionCounter().count());
        assertEquals(7, registry.get("jceph.rados.resends").functionCounters().size(), "one counter per reason");
        assertEquals(4.0, registry.get("jceph.rados.backoffs").tag("op", "block").functionCounter().count());
        assertEquals(42.0, registry.get("jceph.rados.osdmap.epoch").gauge().value());
        assertEquals(3.0, registry.get("jceph.rados.osd.sessions").gauge().value());

        // the meters read live values: no re-binding needed
        values.put("ReadLatencyCount", 10L);
        values.put("OsdMapEpoch", 43L);
        values.put("OpsInFlight", 0L);
        values.put("ResendsByReason", new TreeMap<>(Map.of("osd_down", 4L)));
        assertEquals(10, reads.count());
        assertEquals(43.0, registry.get("jceph.rados.osdmap.epoch").gauge().value());
        assertEquals(0.0, registry.get("jceph.rados.ops.inflight").gauge().value());
        FunctionCounter down = registry.get("jceph.rados.resends").tag("reason", "osd_down").functionCounter();
        assertEquals(4.0, down.count());
        assertNotNull(registry.get("jceph.rados.watch.reconnects").functionCounter());
    }
}
