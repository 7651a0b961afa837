package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CrossRelease;
import org.junit.jupiter.api.Test;

/**
 * Clones, v1 and v2, made by either side and used by the other: reads through to the parent
 * within the overlap, copy-up on first write, discard that never exposes the parent, children
 * listing, flatten, and removal that detaches.
 */
@CrossRelease
class CloneIT extends LiveRbdTest {
    private static final int MIB = 1 << 20;
    private byte[] parentWithSnapshot(String name, String snap, long seed) throws Exception {
        int size = 10 * MIB + 8192;
        RbdImage.create(io(), name, size, 20, RbdFeatures.LAYERING);
        byte[] content = new byte[size];
        Random r = new Random(seed);
        try (RbdImage img = RbdImage.open(io(), name, false)) {
            for (int i = 0; i < 8; i++) {
                byte[] d = new byte[1 + r.nextInt(MIB + 5000)];
                r.nextBytes(d);
                int off = r.nextInt(size - d.length);
                img.writeAsync(off, d).get(30, TimeUnit.SECONDS);
                System.arraycopy(d, 0, content, off, d.length);
            }
            img.snapCreate(snap);
            // the head moves on; the clone must not see this
            img.writeAsync(0, new byte[MIB]).get(30, TimeUnit.SECONDS);
        }
        return content;
    }

    /** Writes, partial-object writes and a discard on a clone; returns the expected content. */
    private byte[] exerciseClone(RbdImage child, byte[] model, long seed) throws Exception {
        model = model.clone();
        Random r = new Random(seed);
        for (int i = 0; i < 10; i++) {
            byte[] d = new byte[1 + r.nextInt(300_000)];
            r.nextBytes(d);
            int off = r.nextInt(model.length - d.length);
            child.writeAsync(off, d).get(30, TimeUnit.SECONDS);
            System.arraycopy(d, 0, model, off, d.length);
        }
        child.discardAsync(2L * MIB + 100, 3L * MIB).get(30, TimeUnit.SECONDS);
        Arrays.fill(model, 2 * MIB + 100, 5 * MIB + 100, (byte) 0);
        assertArrayEquals(model, child.readAsync(0, model.length).get(30, TimeUnit.SECONDS), "our read of the clone");
        RbdImageIT.readViews(child, model, seed, false); // through the parent: the copying read, in a view
        return model;
    }

    @Test
    void ourV2CloneIsALibrbdCloneAndFlattens() throws Exception {
        byte[] atSnap = parentWithSnapshot("cl2-parent", "s1", 1);
        RbdImage.clone(io(), "cl2-parent", "s1", io(), "cl2-child", RbdFeatures.LAYERING, RbdImage.CloneFormat.V2);
        String info = c.rbdOrThrow("info", pool + "/cl2-child");
        assertTrue(info.contains("parent: " + pool + "/cl2-parent@s1"), info);
        assertTrue(info.contains("overlap: 10 MiB"), info);
        assertEquals(List.of(pool + "/cl2-child"),
                Arrays.stream(c.rbdOrThrow("children", pool + "/cl2-parent@s1").split("\n")).map(String::trim)
                        .filter(x -> !x.isEmpty()).toList());
        assertArrayEquals(atSnap, export("cl2-child"), "librbd reads the clone through to the parent");

        byte[] model;
        try (RbdImage child = RbdImage.open(io(), "cl2-child", false)) {
            assertNotNull(child.parent());
            assertArrayEquals(atSnap, child.readAsync(0, atSnap.length).get(30, TimeUnit.SECONDS));
            model = exerciseClone(child, atSnap, 2);
            try (RbdImage parent = RbdImage.open(io(), "cl2-parent", true)) {
                assertEquals(List.of(pool + "/cl2-child"), parent.children("s1", List.of(io())));
            }
        }
        assertArrayEquals(model, export("cl2-child"), "librbd sees our copy-ups and writes");
        assertArrayEquals(atSnap, export("cl2-parent@s1"), "the parent snapshot is untouched");

        try (RbdImage child = RbdImage.open(io(), "cl2-child", false)) {
            child.flatten();
            assertNull(child.parent());
        }
        assertFalse(c.rbdOrThrow("info", pool + "/cl2-child").contains("parent:"));
        assertArrayEquals(model, export("cl2-child"), "flatten keeps the content");
        assertTrue(c.rbdOrThrow("children", pool + "/cl2-parent@s1").isBlank());
        // with no child left, librbd removes the parent's snapshot
        c.rbdOrThrow("snap", "rm", pool + "/cl2-parent@s1");
    }

    @Test
    void ourV1CloneNeedsProtectionAndLibrbdRemovesIt() throws Exception {
        byte[] atSnap = parentWithSnapshot("cl1-parent", "s1", 3);
        assertThrows(RbdException.class, () -> RbdImage.clone(io(), "cl1-parent", "s1", io(), "cl1-child",
                RbdFeatures.LAYERING, RbdImage.CloneFormat.V1));
        try (RbdImage p = RbdImage.open(io(), "cl1-parent", false)) {
            p.snapProtect("s1");
        }
        RbdImage.clone(io(), "cl1-parent", "s1", io(), "cl1-child", RbdFeatures.LAYERING, RbdImage.CloneFormat.V1);
        assertTrue(c.rbdOrThrow("children", pool + "/cl1-parent@s1").contains(pool + "/cl1-child"));
        byte[] model;
        try (RbdImage child = RbdImage.open(io(), "cl1-child", false)) {
            model = exerciseClone(child, atSnap, 4);
        }
        assertArrayEquals(model, export("cl1-child"));
        try (RbdImage p = RbdImage.open(io(), "cl1-parent", false)) {
            assertThrows(RbdException.class, () -> p.snapUnprotect("s1"), "a v1 child keeps the snapshot protected");
        }
        c.rbdOrThrow("rm", pool + "/cl1-child"); // librbd detaches our v1 child
        try (RbdImage p = RbdImage.open(io(), "cl1-parent", false)) {
            p.snapUnprotect("s1");
            p.snapRemove("s1");
        }
    }

    @Test
    void aDefaultFeatureCloneKeepsItsObjectMapThroughCopyUps() throws Exception {
        byte[] atSnap = parentWithSnapshot("clm-parent", "s1", 7);
        RbdImage.clone(io(), "clm-parent", "s1", io(), "clm-child", RbdFeatures.LIBRBD_DEFAULT, RbdImage.CloneFormat.V2);
        byte[] model;
        try (RbdImage child = RbdImage.open(io(), "clm-child", false)) {
            model = exerciseClone(child, atSnap, 8);
            assertTrue(child.holdsExclusiveLock(), "writes took the exclusive lock");
        }
        assertArrayEquals(model, export("clm-child"));
        var check = c.rbd("object-map", "check", pool + "/clm-child");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        assertFalse(c.rbdOrThrow("info", pool + "/clm-child").contains("object map invalid"));
        try (RbdImage child = RbdImage.open(io(), "clm-child", false)) {
            child.flatten();
        }
        assertArrayEquals(model, export("clm-child"));
        check = c.rbd("object-map", "check", pool + "/clm-child");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
    }

    @Test
    void weUseALibrbdClone() throws Exception {
        byte[] atSnap = parentWithSnapshot("lcl-parent", "s1", 5);
        c.rbdOrThrow("snap", "protect", pool + "/lcl-parent@s1");
        c.rbdOrThrow("clone", "--image-feature", "layering", pool + "/lcl-parent@s1", pool + "/lcl-child");
        byte[] model;
        try (RbdImage child = RbdImage.open(io(), "lcl-child", false)) {
            assertNotNull(child.parent(), "librbd's clone has a parent");
            assertArrayEquals(atSnap, child.readAsync(0, atSnap.length).get(30, TimeUnit.SECONDS));
            model = exerciseClone(child, atSnap, 6);
        }
        assertArrayEquals(model, export("lcl-child"), "librbd reads our writes into its clone");
        c.rbdOrThrow("flatten", pool + "/lcl-child");
        try (RbdImage child = RbdImage.open(io(), "lcl-child", true)) {
            assertNull(child.parent());
            assertArrayEquals(model, child.readAsync(0, model.length).get(30, TimeUnit.SECONDS));
        }
        // and our removal of a clone detaches it: make another, remove it, unprotect works
        c.rbdOrThrow("clone", "--image-feature", "layering", pool + "/lcl-parent@s1", pool + "/lcl-child2");
        RbdImage.remove(io(), "lcl-child2");
        assertTrue(c.rbdOrThrow("children", pool + "/lcl-parent@s1").isBlank());
        c.rbdOrThrow("snap", "unprotect", pool + "/lcl-parent@s1");
    }
}
