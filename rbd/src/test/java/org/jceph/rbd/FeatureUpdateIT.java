package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.rbd.objectmap.ObjectMap;
import org.junit.jupiter.api.Test;

/**
 * The library API: FeatureUpdate, ObjectMapRebuild and ImageConfig on images librbd then
 * checks, including writes through jceph after the object map was switched on.
 */
class FeatureUpdateIT extends LiveRbdTest {
    private void assertCheckPasses(String spec) {
        CommandResult r = c.rbd("object-map", "check", "--no-progress", pool + "/" + spec);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertFalse(c.rbdOrThrow("info", pool + "/" + spec).contains("invalid"), spec);
    }

    @Test
    void enableRebuildThenWriteKeepsLibrbdsCheckHappy() throws Exception {
        long feats = RbdFeatures.LAYERING | RbdFeatures.EXCLUSIVE_LOCK;
        RbdImage.create(io(), "fu-a", 16L << 20, 22, feats);
        Random r = new Random(3);
        byte[] model = new byte[16 << 20];
        try (RbdImage img = RbdImage.open(io(), "fu-a", false)) {
            byte[] d = new byte[1 << 20];
            r.nextBytes(d);
            img.write(0, d);
            System.arraycopy(d, 0, model, 0, d.length);
            img.snapCreate("s1");
            img.write(9 << 20, d);
            System.arraycopy(d, 0, model, 9 << 20, d.length);
        }
        FeatureUpdate.Plan p = FeatureUpdate.enable(io(), "fu-a", RbdFeatures.OBJECT_MAP);
        assertEquals(RbdFeatures.OBJECT_MAP | RbdFeatures.FAST_DIFF, p.changed());
        String id = RbdImage.list(io()).get("fu-a");
        assertEquals(ObjectMap.FLAG_OBJECT_MAP_INVALID | ObjectMap.FLAG_FAST_DIFF_INVALID, ObjectMap.flags(io(), id));
        assertEquals(2, ObjectMapRebuild.rebuild(io(), "fu-a", null)); // objects 0 and 2
        assertEquals(1, ObjectMapRebuild.rebuild(io(), "fu-a", "s1")); // object 0
        assertEquals(0, ObjectMap.flags(io(), id));
        int[] head = ObjectMap.decodeStates(io().read(ObjectMap.name(id), 0, 0));
        assertArrayEquals(new int[] {ObjectMap.EXISTS_CLEAN, 0, ObjectMap.EXISTS, 0}, head);
        assertCheckPasses("fu-a");
        assertCheckPasses("fu-a@s1");
        // our handle now keeps the map: a write to a new object, then librbd checks again
        try (RbdImage img = RbdImage.open(io(), "fu-a", false)) {
            assertEquals(feats | RbdFeatures.OBJECT_MAP | RbdFeatures.FAST_DIFF, img.features());
            byte[] d = new byte[4096];
            r.nextBytes(d);
            img.write(13 << 20, d);
            System.arraycopy(d, 0, model, 13 << 20, d.length);
            assertTrue(img.objectMapCheck().isEmpty());
        }
        assertCheckPasses("fu-a");
        assertArrayEquals(model, export("fu-a"));
        // and off again: the map objects go
        FeatureUpdate.disable(io(), "fu-a", RbdFeatures.FAST_DIFF);
        try (RbdImage img = RbdImage.open(io(), "fu-a", true)) {
            assertEquals(feats, img.features());
        }
        assertTrue(io().statOrNull(ObjectMap.name(id)) == null);
        assertThrows(ObjectMapRebuild.NoObjectMapException.class, () -> ObjectMapRebuild.rebuild(io(), "fu-a", null));
        assertThrows(FeatureUpdate.RefusedException.class, () -> FeatureUpdate.disable(io(), "fu-a", RbdFeatures.LAYERING));
    }

    @Test
    void configOverridesAreHeaderMetadata() {
        RbdImage.create(io(), "fu-c", 4L << 20, 22, RbdFeatures.LIBRBD_DEFAULT);
        try (RbdImage img = RbdImage.open(io(), "fu-c", false)) {
            ImageConfig.set(img, "rbd_cache", "false");
            assertEquals("false", img.metadataGet("conf_rbd_cache"));
            assertEquals("false", ImageConfig.get(img, "rbd_cache"));
            assertThrows(ImageConfig.NotRbdOptionException.class, () -> ImageConfig.set(img, "rbd_nope", "1"));
            assertThrows(ImageConfig.InvalidValueException.class, () -> ImageConfig.set(img, "rbd_cache", "maybe"));
            ImageConfig.Entry e = ImageConfig.list(img).stream().filter(x -> x.name().equals("rbd_cache")).findFirst()
                    .orElseThrow();
            assertEquals(ImageConfig.Source.IMAGE, e.source());
            ImageConfig.remove(img, "rbd_cache");
            assertThrows(RbdException.NoSuchKeyException.class, () -> ImageConfig.get(img, "rbd_cache"));
        }
        assertEquals("rbd_cache is not set", c.rbd("config", "image", "get", pool + "/fu-c", "rbd_cache").toolStderr()
                .strip().replace("rbd: ", ""));
    }
}
