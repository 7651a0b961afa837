package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The feature, op-feature and flag names, one table each, as the rbd tool prints and takes them. */
class RbdFeaturesTest {
    @Test
    void featureNamesByBitWithUnknownBitsNamed() {
        assertEquals("layering, exclusive-lock, object-map, fast-diff, deep-flatten",
                RbdFeatures.names(RbdFeatures.LIBRBD_DEFAULT));
        assertEquals("striping, dirty-cache, unknown-bit-12, unknown-bit-63",
                RbdFeatures.names(RbdFeatures.STRIPINGV2 | RbdFeatures.DIRTY_CACHE | 1L << 12 | 1L << 63));
        assertEquals("", RbdFeatures.names(0));
    }

    @Test
    void featureBitByName() {
        assertEquals(RbdFeatures.LAYERING, RbdFeatures.bit("layering"));
        assertEquals(RbdFeatures.STRIPINGV2, RbdFeatures.bit("striping"));
        assertEquals(RbdFeatures.DIRTY_CACHE, RbdFeatures.bit("dirty-cache"));
        assertEquals(0, RbdFeatures.bit("Layering"));
        assertEquals(0, RbdFeatures.bit(""));
    }

    @Test
    void opFeatureAndFlagNamesLeaveUnknownBitsOut() {
        assertEquals(List.of("clone-child", "snap-trash"),
                ImageInfo.opFeatureNames(ImageInfo.OP_CLONE_CHILD | ImageInfo.OP_SNAP_TRASH | 1L << 4));
        assertEquals(List.of("object map invalid", "fast diff invalid"),
                ImageInfo.flagNames(ImageInfo.FLAG_OBJECT_MAP_INVALID | ImageInfo.FLAG_FAST_DIFF_INVALID | 1L << 40));
        assertEquals(List.of(), ImageInfo.flagNames(0));
    }
}
