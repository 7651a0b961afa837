package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TickerTest {
    @Test
    void manualTickerMovesOnlyWhenAdvanced() {
        Instant start = Instant.parse("2026-01-02T03:04:05Z");
        Ticker.Manual t = Ticker.manual(start);
        assertEquals(0, t.nanoTime());
        assertEquals(start, t.wallClock());
        assertEquals(1_500_000_000L, t.advance(Duration.ofMillis(1500)));
        assertEquals(1_500_000_000L, t.nanoTime());
        assertEquals(start.plusMillis(1500), t.wallClock());
        assertThrows(IllegalArgumentException.class, () -> t.advance(Duration.ofNanos(-1)));
        assertEquals(1_500_000_000L, t.nanoTime());
    }

    @Test
    void systemTickerIsMonotonic() {
        long a = Ticker.SYSTEM.nanoTime();
        long b = Ticker.SYSTEM.nanoTime();
        assertTrue(b - a >= 0);
    }
}
