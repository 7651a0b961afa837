package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.rados.IoCtx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Striping v2 and data pools chosen at create time, by us and by librbd, used by the other. */
class RbdLayoutIT extends LiveRbdTest {
    private static final String DATA_POOL = "jceph-rbd-data";

    @BeforeAll
    void dataPool() {
        if (!c.cephOrThrow("osd", "pool", "ls").lines().anyMatch(DATA_POOL::equals)) {
            c.cephOrThrow("osd", "pool", "create", DATA_POOL, "8");
            c.cephOrThrow("osd", "pool", "application", "enable", DATA_POOL, "rbd");
        }
        client.waitForLatestOsdMap(java.time.Duration.ofSeconds(30));
    }

    private static byte[] fill(RbdImage img, long seed) throws Exception {
        byte[] model = new byte[(int) img.size()];
        Random r = new Random(seed);
        for (int i = 0; i < 12; i++) {
            byte[] d = new byte[1 + r.nextInt(700_000)];
            r.nextBytes(d);
            int off = r.nextInt(model.length - d.length);
            img.writeAsync(off, d).get(30, TimeUnit.SECONDS);
            System.arraycopy(d, 0, model, off, d.length);
        }
        assertArrayEquals(model, img.readAsync(0, model.length).get(30, TimeUnit.SECONDS));
        return model;
    }

    private static String field(String info, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":? (.*)$").matcher(info);
        assertTrue(m.find(), name + " in " + info);
        return m.group(1).trim();
    }

    @Test
    void ourStripedImageIsLibrbdsStripedImage() throws Exception {
        RbdImage.create(io(), "lay-striped", 6L << 20, 22, RbdFeatures.LAYERING, 64 << 10, 4, null);
        String info = c.rbdOrThrow("info", pool + "/lay-striped");
        assertEquals("64 KiB", field(info, "stripe unit"));
        assertEquals("4", field(info, "stripe count"));
        assertTrue(field(info, "features").contains("striping"), info);
        byte[] model;
        try (RbdImage img = RbdImage.open(io(), "lay-striped", false)) {
            model = fill(img, 1);
        }
        assertArrayEquals(model, export("lay-striped"));
        assertThrows(RbdException.class,
                () -> RbdImage.create(io(), "lay-bad", 1 << 20, 22, RbdFeatures.LAYERING, 3000, 2, null));
    }

    @Test
    void dataPoolImagesEitherWay() throws Exception {
        IoCtx data = client.ioCtx(DATA_POOL);
        RbdImage.create(io(), "lay-dp-ours", 8L << 20, 22, RbdFeatures.LAYERING, 0, 0, data);
        c.rbdOrThrow("create", "--size", "8M", "--image-feature", "layering", "--data-pool", DATA_POOL,
                pool + "/lay-dp-theirs");
        String ours = c.rbdOrThrow("info", pool + "/lay-dp-ours");
        String theirs = c.rbdOrThrow("info", pool + "/lay-dp-theirs");
        assertEquals(DATA_POOL, field(ours, "data_pool"));
        assertEquals(field(theirs, "features"), field(ours, "features"), "same feature set as librbd's");
        // librbd names the data objects rbd_data.<header pool id>.<image id> when they live elsewhere
        assertEquals(field(theirs, "block_name_prefix").replaceAll("\\.[0-9a-f]+$", ""),
                field(ours, "block_name_prefix").replaceAll("\\.[0-9a-f]+$", ""));
        for (String name : new String[] {"lay-dp-ours", "lay-dp-theirs"}) {
            byte[] model;
            try (RbdImage img = RbdImage.open(io(), name, false)) {
                model = fill(img, name.length());
                img.snapCreate("s");
                img.writeAsync(0, new byte[4096]).get(30, TimeUnit.SECONDS);
                assertArrayEquals(model, img.atSnapshot("s").readAsync(0, model.length).get(30, TimeUnit.SECONDS));
            }
            byte[] head = model.clone();
            java.util.Arrays.fill(head, 0, 4096, (byte) 0);
            assertArrayEquals(head, export(name), name);
            String prefix = field(c.rbdOrThrow("info", pool + "/" + name), "block_name_prefix");
            assertTrue(c.radosOrThrow("-p", DATA_POOL, "ls").contains(prefix + "."), "data objects in " + DATA_POOL);
            assertTrue(!c.radosOrThrow("-p", pool, "ls").contains(prefix + "."), "and not in " + pool);
            c.rbdOrThrow("snap", "purge", pool + "/" + name);
        }
        RbdImage.remove(io(), "lay-dp-ours");
        c.rbdOrThrow("rm", pool + "/lay-dp-theirs");
    }
}
