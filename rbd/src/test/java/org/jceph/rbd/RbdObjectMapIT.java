package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.rbd.objectmap.ObjectMap;
import org.junit.jupiter.api.Test;

/** Our object map, checked by librbd: rbd object-map check, rbd du (fast-diff), rbd export. */
@CrossRelease
class RbdObjectMapIT extends LiveRbdTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private void assertCheckPasses(String image) {
        CommandResult r = c.rbd("object-map", "check", pool + "/" + image);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertFalse((r.stdout() + r.stderr()).contains("object map error"), r.stderr());
        String info = c.rbdOrThrow("info", pool + "/" + image);
        assertFalse(info.contains("invalid"), "librbd's check left the map valid: " + info);
    }

    /** Bytes librbd counts as used for HEAD: every existing data object, clipped to the image size. */
    private long usedFromRados(RbdImage img) {
        long os = 1L << img.order();
        long used = 0;
        for (long n = 0; n * os < img.size(); n++) {
            if (io().statOrNull(String.format("%s.%016x", img.objectPrefix(), n)) != null) {
                used += Math.min(os, img.size() - n * os);
            }
        }
        return used;
    }

    @Test
    void aNewImageGetsAnEmptyMapLibrbdAccepts() throws Exception {
        RbdImage.create(io(), "om-new", 10L << 20, 22, RbdFeatures.LIBRBD_DEFAULT);
        String id = RbdImage.list(io()).get("om-new");
        int[] states = ObjectMap.decodeStates(io().read(ObjectMap.name(id), 0, 0));
        assertEquals(3, states.length);
        assertTrue(Arrays.stream(states).allMatch(s -> s == ObjectMap.NONEXISTENT));
        String info = c.rbdOrThrow("info", pool + "/om-new");
        assertTrue(info.contains("features: layering, exclusive-lock, object-map, fast-diff, deep-flatten"), info);
        assertCheckPasses("om-new");
    }

    @Test
    void randomWritesDiscardsResizesAndSnapshotsKeepTheMapRight() throws Exception {
        RbdImage.create(io(), "om-mix", 24L << 20, 20, RbdFeatures.LIBRBD_DEFAULT);
        Random r = new Random(77);
        byte[] model = new byte[24 << 20];
        List<String> snaps = new ArrayList<>();
        try (RbdImage img = RbdImage.open(io(), "om-mix", false)) {
            for (int step = 0; step < 60; step++) {
                int what = r.nextInt(20);
                if (what < 10) {
                    int len = 1 + r.nextInt(3 << 20);
                    int off = r.nextInt(model.length - len + 1);
                    byte[] d = new byte[len];
                    r.nextBytes(d);
                    img.writeAsync(off, d).get(60, TimeUnit.SECONDS);
                    System.arraycopy(d, 0, model, off, len);
                } else if (what < 14) {
                    // discards, often object-aligned so whole objects go away
                    int os = 1 << 20;
                    int off = r.nextBoolean() ? r.nextInt(model.length / os) * os : r.nextInt(model.length);
                    int len = (int) Math.min(model.length - off, r.nextBoolean() ? (1 + r.nextInt(3)) * os
                            : 1 + r.nextInt(2 << 20));
                    img.discardAsync(off, len).get(60, TimeUnit.SECONDS);
                    Arrays.fill(model, off, off + len, (byte) 0);
                } else if (what < 17) {
                    int newSize = (8 << 20) + r.nextInt(24 << 20) + (r.nextBoolean() ? 0 : r.nextInt(4096));
                    img.resize(newSize);
                    byte[] m = new byte[newSize];
                    System.arraycopy(model, 0, m, 0, Math.min(newSize, model.length));
                    model = m;
                } else if (what < 19 || snaps.isEmpty()) {
                    String name = "s" + step;
                    img.snapCreate(name);
                    snaps.add(name);
                } else {
                    img.snapRemove(snaps.remove(r.nextInt(snaps.size())));
                }
            }
            assertArrayEquals(model, img.readAsync(0, model.length).get(60, TimeUnit.SECONDS));
        }
        assertArrayEquals(model, export("om-mix"), "librbd exports what we model");
        assertCheckPasses("om-mix");
        for (String s : snaps) {
            CommandResult r2 = c.rbd("object-map", "check", pool + "/om-mix@" + s);
            assertEquals(0, r2.exitCode(), s + ": " + r2.stdout() + r2.stderr());
        }
        System.out.println("om-mix ended with " + snaps.size() + " snapshots, " + model.length + " bytes");
    }

    @Test
    void duWithFastDiffReportsTheUsedSizeWeCompute() throws Exception {
        RbdImage.create(io(), "om-du", 20L << 20, 22, RbdFeatures.LIBRBD_DEFAULT);
        Random r = new Random(5);
        long used;
        try (RbdImage img = RbdImage.open(io(), "om-du", false)) {
            for (int i = 0; i < 4; i++) {
                byte[] d = new byte[100_000];
                r.nextBytes(d);
                img.writeAsync(r.nextInt((int) img.size() - d.length), d).get(60, TimeUnit.SECONDS);
            }
            img.discardAsync(0, 4L << 20).get(60, TimeUnit.SECONDS); // object 0 goes
            img.resize((18L << 20) + 12345);
            img.writeAsync(img.size() - 10, new byte[10]).get(60, TimeUnit.SECONDS);
            used = usedFromRados(img);
        }
        assertTrue(used > 0);
        JsonNode du = JSON.readTree(c.rbdOrThrow("du", "--format", "json", pool + "/om-du"));
        JsonNode head = du.get("images").get(0);
        assertEquals("om-du", head.get("name").asText());
        assertEquals((18L << 20) + 12345, head.get("provisioned_size").asLong());
        assertEquals(used, head.get("used_size").asLong(), du.toString());
        assertCheckPasses("om-du");
    }

    @Test
    void librbdCreatedDefaultImagesAreWrittenByUsAndCheckedByLibrbd() throws Exception {
        c.rbdOrThrow("create", "--size", "12M", pool + "/om-theirs");
        byte[] model = new byte[12 << 20];
        Random r = new Random(11);
        try (RbdImage img = RbdImage.open(io(), "om-theirs", false)) {
            for (int i = 0; i < 10; i++) {
                int len = 1 + r.nextInt(1 << 20);
                int off = r.nextInt(model.length - len);
                byte[] d = new byte[len];
                r.nextBytes(d);
                img.writeAsync(off, d).get(60, TimeUnit.SECONDS);
                System.arraycopy(d, 0, model, off, len);
            }
            img.snapCreate("mid");
            img.discardAsync(4 << 20, 4 << 20).get(60, TimeUnit.SECONDS);
            Arrays.fill(model, 4 << 20, 8 << 20, (byte) 0);
            img.writeAsync(0, new byte[] {1, 2, 3}).get(60, TimeUnit.SECONDS);
            model[0] = 1;
            model[1] = 2;
            model[2] = 3;
        }
        assertArrayEquals(model, export("om-theirs"));
        assertCheckPasses("om-theirs");
        CommandResult r2 = c.rbd("object-map", "check", pool + "/om-theirs@mid");
        assertEquals(0, r2.exitCode(), r2.stdout() + r2.stderr());
        // fast-diff between the snapshot and HEAD: objects 0 (written) and 1 (discarded) changed
        String diff = c.rbdOrThrow("diff", "--whole-object", "--from-snap", "mid", "--format", "json", pool + "/om-theirs");
        JsonNode d = JSON.readTree(diff);
        List<Long> offsets = new ArrayList<>();
        d.forEach(n -> offsets.add(n.get("offset").asLong()));
        assertTrue(offsets.contains(0L) && offsets.contains(4L << 20), diff);
        String id = RbdImage.list(io()).get("om-theirs");
        try (RbdImage img = RbdImage.open(io(), "om-theirs", false)) {
            img.snapRemove("mid");
        }
        RbdImage.remove(io(), "om-theirs");
        // Data objects cloned for the removed snapshot stay listed until the OSDs trim it.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> left;
        do {
            Thread.sleep(200);
            left = c.radosOrThrow("-p", pool, "ls").lines().filter(o -> o.contains(id)).toList();
        } while (!left.isEmpty() && System.nanoTime() < until);
        assertTrue(left.isEmpty(), "no data object, header or object map of the image is left: " + left);
    }

    @Test
    void writesInFlightWhenASnapshotIsTakenAreAllInIt() throws Exception {
        RbdImage.create(io(), "om-race", 16L << 20, 22, RbdFeatures.LIBRBD_DEFAULT);
        byte[] a = new byte[64 << 10];
        Arrays.fill(a, (byte) 0xa1);
        byte[] b = new byte[64 << 10];
        Arrays.fill(b, (byte) 0xb2);
        try (RbdImage img = RbdImage.open(io(), "om-race", false)) {
            img.writeAsync(0, new byte[1]).get(60, TimeUnit.SECONDS); // hold the lock first
            List<java.util.concurrent.CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                inFlight.add(img.writeAsync((long) i * (256 << 10), a));
            }
            img.snapCreate("during");
            List<java.util.concurrent.CompletableFuture<Void>> later = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                later.add(img.writeAsync((long) i * (256 << 10), b));
            }
            for (var f : inFlight) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (var f : later) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        Path out = tmp.resolve("race.export");
        c.rbdOrThrow("export", pool + "/om-race@during", out.toString());
        byte[] snap = Files.readAllBytes(out);
        for (int i = 0; i < 64; i++) {
            int off = i * (256 << 10);
            assertArrayEquals(a, Arrays.copyOfRange(snap, off, off + a.length), "write " + i + " is in the snapshot, alone");
        }
        assertCheckPasses("om-race");
    }
}
