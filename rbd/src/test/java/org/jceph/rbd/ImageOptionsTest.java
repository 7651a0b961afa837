package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImageOptionsTest {
    @Test
    void defaultsAreLibrbds() {
        ImageOptions o = ImageOptions.builder(1 << 30).build();
        assertEquals(1 << 30, o.size());
        assertEquals(22, o.order());
        assertEquals(4 << 20, o.objectSize());
        assertEquals(RbdFeatures.LIBRBD_DEFAULT, o.features());
        assertEquals(0, o.stripeUnit());
        assertEquals(0, o.stripeCount());
        assertNull(o.dataPool());
    }

    @Test
    void objectSizeAndOrderAgree() {
        assertEquals(20, ImageOptions.builder(0).objectSize(1 << 20).build().order());
        assertEquals(1L << 25, ImageOptions.builder(0).order(25).build().objectSize());
    }

    @Test
    void badValuesAreRefusedWhenSet() {
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(-1));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(0).order(11));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(0).order(26));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(0).objectSize(3 << 20));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(0).objectSize(0));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(0).striping(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.builder(0).striping(4096, 0));
        assertThrows(NullPointerException.class, () -> ImageOptions.builder(0).dataPool(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageOptions.builder(0).objectSize(1 << 20).striping(3 << 10, 2).build());
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
    }

    @Test
    void openOptions() {
        assertTrue(OpenOptions.atSnapshot("s").readOnly());
        assertEquals("s", OpenOptions.atSnapshot("s").snapshot());
        assertEquals(false, OpenOptions.readWrite().readOnly());
        assertTrue(OpenOptions.readOnlyHead().readOnly());
        assertNull(OpenOptions.readOnlyHead().snapshot());
        assertEquals(Duration.ZERO, OpenOptions.readWrite().withLockTimeout(Duration.ZERO).lockTimeout());
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.readWrite().withLockTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new OpenOptions(false, "s", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> OpenOptions.atSnapshot(""));
        assertThrows(NullPointerException.class, () -> OpenOptions.atSnapshot(null));
    }
}
