package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.rbd.format1.Format1Header;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.layout.StripingLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our on-disk RBD layouts against librbd on the live cluster (objects moved with the stock
 * {@code rados} tool until jceph's own RADOS client lands): a format 1 header we encode is opened
 * by {@code rbd}, and what {@code rbd} writes into it we decode; our striping places image bytes
 * in the very objects and offsets where librbd put them.
 */
@RealCluster
class RbdOnDiskLayoutIT {
    @TempDir
    Path tmp;

    @Test
    void librbdOpensAFormat1ImageWeWroteAndWeReadWhatItChanged(CephCluster c) throws IOException {
        String pool = c.testPool();
        Format1Header header = new Format1Header("rb.0.1234.5678abcd", 22, 12L << 20, 0, List.of());
        Path h = tmp.resolve("header");
        Files.write(h, header.encode());
        c.radosOrThrow("-p", pool, "put", Format1Header.headerObject("seed"), h.toString());
        byte[] block = new byte[4 << 20];
        new Random(1).nextBytes(block);
        Path d = tmp.resolve("obj1");
        Files.write(d, block);
        c.radosOrThrow("-p", pool, "put", Striper.format1DataObject("rb.0.1234.5678abcd", 1), d.toString());

        String info = c.rbdOrThrow("info", "--format", "json", pool + "/seed");
        assertTrue(info.contains("\"format\":1"), info);
        assertTrue(info.contains("\"size\":12582912"), info);
        assertTrue(info.contains("\"order\":22"), info);
        assertTrue(info.contains("\"block_name_prefix\":\"rb.0.1234.5678abcd\""), info);

        Path exported = tmp.resolve("export.raw");
        c.rbdOrThrow("export", pool + "/seed", exported.toString());
        byte[] image = Files.readAllBytes(exported);
        byte[] want = new byte[12 << 20];
        System.arraycopy(block, 0, want, 4 << 20, block.length);
        assertArrayEquals(want, image, "librbd reads zeros for absent objects and our object 1 in place");

        c.rbdOrThrow("snap", "create", pool + "/seed@before");
        c.rbdOrThrow("resize", "--size", "16M", pool + "/seed");
        Path back = tmp.resolve("header.back");
        c.radosOrThrow("-p", pool, "get", Format1Header.headerObject("seed"), back.toString());
        Format1Header changed = Format1Header.decode(Files.readAllBytes(back));
        assertEquals(16L << 20, changed.imageSize());
        assertEquals("rb.0.1234.5678abcd", changed.blockName());
        assertEquals(1, changed.snaps().size());
        assertEquals("before", changed.snaps().get(0).name());
        assertEquals(12L << 20, changed.snaps().get(0).imageSize());
        assertTrue(changed.snapSeq() >= changed.snaps().get(0).id());
    }

    @Test
    void ourStripingFindsEveryByteWhereLibrbdPutIt(CephCluster c) throws IOException {
        String pool = c.testPool();
        byte[] data = new byte[6 << 20];
        new Random(2).nextBytes(data);
        Path raw = tmp.resolve("striped.raw");
        Files.write(raw, data);
        c.rbdOrThrow("import", "--object-size", "1M", "--stripe-unit", "65536", "--stripe-count", "4",
                raw.toString(), pool + "/striped");
        String info = c.rbdOrThrow("info", "--format", "json", pool + "/striped");
        Matcher m = Pattern.compile("\"block_name_prefix\":\"rbd_data\\.([0-9a-f]+)\"").matcher(info);
        assertTrue(m.find(), info);
        String id = m.group(1);
        StripingLayout layout = new StripingLayout(1 << 20, 65536, 4);

        Map<Long, byte[]> objects = new HashMap<>();
        Random r = new Random(3);
        for (int t = 0; t < 12; t++) {
            long off = r.nextInt(data.length - 1);
            int len = 1 + r.nextInt(Math.min(600_000, data.length - (int) off));
            byte[] got = new byte[len];
            for (ObjectExtent e : Striper.fileToExtents(layout, off, len)) {
                byte[] obj = objects.computeIfAbsent(e.objectNumber(), n -> fetch(c, pool, Striper.format2DataObject(id, n)));
                long at = e.offset();
                for (long[] b : e.bufferExtents()) {
                    System.arraycopy(obj, (int) at, got, (int) b[0], (int) b[1]);
                    at += b[1];
                }
            }
            byte[] want = new byte[len];
            System.arraycopy(data, (int) off, want, 0, len);
            assertArrayEquals(want, got, "image range at " + off + " of " + len + " bytes");
        }
    }

    private byte[] fetch(CephCluster c, String pool, String object) {
        try {
            Path p = tmp.resolve(object);
            c.radosOrThrow("-p", pool, "get", object, p.toString());
            byte[] b = Files.readAllBytes(p);
            return b.length == 1 << 20 ? b : java.util.Arrays.copyOf(b, 1 << 20);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
