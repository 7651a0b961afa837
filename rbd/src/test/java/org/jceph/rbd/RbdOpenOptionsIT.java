package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jceph.fixtures.cluster.CrossRelease;
import org.junit.jupiter.api.Test;

/**
 * The options API against librbd: images created from {@link ImageOptions} as {@code rbd info}
 * describes them, and images opened by id (renamed, in the trash) and read-only at a snapshot.
 */
@CrossRelease
class RbdOpenOptionsIT extends LiveRbdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode info(String image) throws Exception {
        return JSON.readTree(c.rbdOrThrow("info", "--format", "json", pool + "/" + image));
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void imageOptionsCreateWhatRbdInfoDescribes() throws Exception {
        RbdImage.create(io(), "opts1", ImageOptions.builder(20L << 20)
                .objectSize(1 << 20)
                .features(RbdFeatures.LAYERING | RbdFeatures.EXCLUSIVE_LOCK)
                .striping(64 << 10, 4)
                .build());
        JsonNode i = info("opts1");
        assertEquals(20L << 20, i.get("size").asLong());
        assertEquals(20, i.get("order").asInt());
        assertEquals(List.of("layering", "striping", "exclusive-lock"), names(i.get("features")));
        assertEquals(64 << 10, i.get("stripe_unit").asLong());
        assertEquals(4, i.get("stripe_count").asLong());

        // librbd's defaults when nothing but the size is given
        RbdImage.create(io(), "opts2", ImageOptions.builder(8L << 20).build());
        JsonNode d = info("opts2");
        assertEquals(22, d.get("order").asInt());
        assertEquals(List.of("layering", "exclusive-lock", "object-map", "fast-diff", "deep-flatten"),
                names(d.get("features")));
        assertThrows(RbdException.ImageExistsException.class,
                () -> RbdImage.create(io(), "opts2", ImageOptions.builder(1 << 20).build()));
    }

    @Test
    void openByIdFollowsRenamesAndReachesTheTrash() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering", pool + "/byid");
        String id = info("byid").get("id").asText();
        byte[] data = new byte[4096];
        new Random(5).nextBytes(data);
        try (RbdImage img = RbdImage.openById(io(), id, OpenOptions.readWrite())) {
            assertEquals("byid", img.name());
            img.writeAsync(8192, data).get();
        }
        c.rbdOrThrow("rename", pool + "/byid", pool + "/byid2");
        try (RbdImage img = RbdImage.openById(io(), id, OpenOptions.readOnlyHead())) {
            assertEquals("byid2", img.name());
            assertEquals(id, img.id());
            assertArrayEquals(data, img.readAsync(8192, data.length).get());
        }
        c.rbdOrThrow("trash", "mv", pool + "/byid2");
        try (RbdImage img = RbdImage.openById(io(), id, OpenOptions.readOnlyHead())) {
            assertArrayEquals(data, img.readAsync(8192, data.length).get(), "an image in the trash opens by id");
        }
        RbdException.ImageNotFoundException e = assertThrows(RbdException.ImageNotFoundException.class,
                () -> RbdImage.openById(io(), "0123456789ab", OpenOptions.readOnlyHead()));
        assertEquals(-2, e.errno());
        assertTrue(e.getMessage().contains("0123456789ab"), e.getMessage());
        c.rbdOrThrow("trash", "rm", pool + "/" + id);
    }

    @Test
    void openAtASnapshotReadsTheImageAsItWasThen() throws Exception {
        c.rbdOrThrow("create", "--size", "4M", pool + "/atsnap");
        byte[] before = new byte[65536];
        new Random(6).nextBytes(before);
        try (RbdImage img = RbdImage.open(io(), "atsnap", OpenOptions.readWrite())) {
            img.writeAsync(0, before).get();
        }
        c.rbdOrThrow("snap", "create", pool + "/atsnap@s1");
        c.rbdOrThrow("resize", "--size", "8M", pool + "/atsnap");
        try (RbdImage img = RbdImage.open(io(), "atsnap", OpenOptions.readWrite())) {
            img.writeAsync(0, new byte[65536]).get();
        }
        try (RbdImage at = RbdImage.open(io(), "atsnap", OpenOptions.atSnapshot("s1"))) {
            assertEquals(4L << 20, at.size(), "sized as at the snapshot");
            assertArrayEquals(before, at.readAsync(0, before.length).get());
            assertArrayEquals(export("atsnap@s1"), at.readAsync(0, (int) at.size()).get(), "as librbd exports it");
        }
        String id = info("atsnap").get("id").asText();
        try (RbdImage at = RbdImage.openById(io(), id, OpenOptions.atSnapshot("s1"))) {
            assertArrayEquals(before, at.readAsync(0, before.length).get());
        }
        assertThrows(RbdException.NoSuchKeyException.class,
                () -> RbdImage.open(io(), "atsnap", OpenOptions.atSnapshot("nope")));
        assertThrows(IllegalArgumentException.class, () -> new OpenOptions(false, "s1", RbdImage.DEFAULT_LOCK_TIMEOUT));
    }
}
