package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jceph.cli.rbd.JcephRbd.Result;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbd feature enable|disable}, {@code rbd object-map rebuild} and {@code rbd config}:
 * the same refusals, exit statuses and results as the stock tool, and each tool reads and
 * checks what the other did.
 */
@RealCluster
class RbdFeatureIT {
    @TempDir
    Path tmp;

    private static Result ours(CephCluster c, String... args) {
        return JcephRbd.runRc(c, args);
    }

    private static String oursOk(CephCluster c, String... args) {
        Result r = ours(c, args);
        assertEquals(0, r.rc(), String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    /**
     * The stock tool's stderr without librbd's log lines, which it may print into the middle of
     * its own line ("...features: TIMESTAMP THREAD -1 librbd::...\n\n(22) ...").
     */
    private static String stockErr(CommandResult r) {
        return lines(CommandResult.withoutCephLogLines(
                r.stderr().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.+]+ [0-9a-f]+ +-?\\d+ [^\\n]*\\n", "")
                        .replaceAll(": \\n+", ": "))); // a log line cut "...features: " from its "(22) ..."
    }

    /** The non-blank lines (the stock tool's line breaks move with the log lines it interleaves). */
    private static String lines(String s) {
        return String.join("\n", s.lines().filter(l -> !l.isBlank()).toList());
    }

    private static String infoLine(CephCluster c, String image, String field) {
        return c.rbdOrThrow("info", image).lines().filter(l -> l.startsWith("\t" + field + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + " in rbd info " + image));
    }

    private static String id(CephCluster c, String image) {
        return infoLine(c, image, "id").substring("\tid: ".length()).strip();
    }

    private byte[] mapObject(CephCluster c, String pool, String oid) throws Exception {
        Path p = tmp.resolve(oid + System.nanoTime());
        c.radosOrThrow("-p", pool, "get", oid, p.toString());
        return Files.readAllBytes(p);
    }

    /** A pool of this class's own, so pool-level config and listings do not meet other tests'. */
    private static String ownPool(CephCluster c, String name) {
        c.cephOrThrow("osd", "pool", "create", name, "8");
        c.rbdOrThrow("pool", "init", name);
        return name;
    }

    @Test
    void refusalsAndResultsMatchStock(CephCluster c) {
        String pool = ownPool(c, "rbdx-feat");
        // {initial features, command, feature words...}
        String[][] cases = {
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "enable", "layering"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "disable", "layering"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "disable", "exclusive-lock"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "enable", "fast-diff"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "disable", "fast-diff"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "disable", "object-map", "exclusive-lock"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "disable", "deep-flatten"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "disable", "striping"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "enable", "bogus"},
            {"layering,exclusive-lock,object-map,fast-diff,deep-flatten", "enable"},
            {"layering", "enable", "deep-flatten"},
            {"layering", "enable", "object-map"},
            {"layering", "enable", "journaling"},
            {"layering", "enable", "exclusive-lock,object-map"},
            {"layering", "enable", "exclusive-lock"},
            {"layering,exclusive-lock", "enable", "fast-diff"},
            {"layering,exclusive-lock", "disable", "object-map"},
            {"layering,exclusive-lock", "disable", "exclusive-lock"},
        };
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String[] k : cases) {
            n++;
            String stockImg = pool + "/s" + n;
            String ourImg = pool + "/o" + n;
            c.rbdOrThrow("create", "--size", "12M", "--image-feature", k[0], stockImg);
            c.rbdOrThrow("create", "--size", "12M", "--image-feature", k[0], ourImg);
            List<String> sArgs = new ArrayList<>(List.of("feature", k[1], stockImg));
            List<String> oArgs = new ArrayList<>(List.of("feature", k[1], ourImg));
            for (int i = 2; i < k.length; i++) {
                sArgs.add(k[i]);
                oArgs.add(k[i]);
            }
            CommandResult s = c.rbd(sArgs.toArray(String[]::new));
            Result o = ours(c, oArgs.toArray(String[]::new));
            String what = String.join(" ", sArgs) + " on " + k[0];
            if (s.exitCode() != o.rc() || !stockErr(s).equals(lines(o.err()))) {
                failures.add(what + ": stock rc " + s.exitCode() + " [" + stockErr(s) + "] ours rc " + o.rc() + " [" + o.err() + "]");
            }
            if (!infoLine(c, stockImg, "features").equals(infoLine(c, ourImg, "features"))
                    || !infoLine(c, stockImg, "flags").equals(infoLine(c, ourImg, "flags"))) {
                failures.add(what + ": stock " + infoLine(c, stockImg, "features") + infoLine(c, stockImg, "flags")
                        + " ours " + infoLine(c, ourImg, "features") + infoLine(c, ourImg, "flags"));
            }
        }
        assertEquals(List.of(), failures);
        // journaling with its dependency met: the stock tool enables it, jceph refuses with its own reason
        c.rbdOrThrow("create", "--size", "12M", "--image-feature", "layering,exclusive-lock", pool + "/j");
        Result j = ours(c, "feature", "enable", pool + "/j", "journaling");
        assertEquals(95, j.rc(), j.err());
        assertTrue(j.err().contains("jceph does not create image journals"), j.err());
        assertEquals("\tfeatures: layering, exclusive-lock", infoLine(c, pool + "/j", "features"));
        // a format 1 image (made by jceph; Pacific's tool no longer creates them): features are not for it
        oursOk(c, "create", "--image-format", "1", "--size", "4M", pool + "/old");
        CommandResult s1 = c.rbd("feature", "enable", pool + "/old", "exclusive-lock");
        Result o1 = ours(c, "feature", "enable", pool + "/old", "exclusive-lock");
        assertEquals(s1.exitCode(), o1.rc());
        assertEquals(stockErr(s1), lines(o1.err()));
        // a missing image: the stock tool's words
        CommandResult sm = c.rbd("feature", "enable", pool + "/nosuch", "exclusive-lock");
        Result om = ours(c, "feature", "enable", pool + "/nosuch", "exclusive-lock");
        assertEquals(sm.exitCode(), om.rc());
        assertEquals(stockErr(sm), lines(om.err()));
    }

    @Test
    void objectMapEnableRebuildAndDisableInteroperate(CephCluster c) throws Exception {
        String pool = ownPool(c, "rbdx-omap");
        Path data = tmp.resolve("data");
        byte[] bytes = new byte[24 << 20];
        Random r = new Random(7);
        for (int i = 0; i < bytes.length; i += 4 << 20) {
            if ((i >> 22) % 3 != 1) { // objects 1 and 4 stay holes
                byte[] chunk = new byte[1 << 20];
                r.nextBytes(chunk);
                System.arraycopy(chunk, 0, bytes, i, chunk.length);
            }
        }
        Files.write(data, bytes);
        // twins: same data (objects 1 and 4 holes), one snapshot, then HEAD rewrites part of object 0
        for (String img : List.of("ours", "stock")) {
            String spec = pool + "/" + img;
            c.rbdOrThrow("import", "--no-progress", "--image-feature", "layering,exclusive-lock", data.toString(), spec);
            c.rbdOrThrow("snap", "create", spec + "@s1");
            c.rbdOrThrow("bench", "--io-type", "write", "--io-size", "4096", "--io-total", "4096", "--io-pattern", "seq", spec);
        }
        // enabling: map created all-NONEXISTENT and flagged invalid, as the stock tool leaves it
        oursOk(c, "feature", "enable", pool + "/ours", "object-map");
        c.rbdOrThrow("feature", "enable", pool + "/stock", "object-map");
        assertEquals(infoLine(c, pool + "/stock", "flags"), infoLine(c, pool + "/ours", "flags"));
        assertEquals("\tflags: object map invalid, fast diff invalid", infoLine(c, pool + "/ours", "flags"));
        String oursId = id(c, pool + "/ours");
        String stockId = id(c, pool + "/stock");
        String objects = c.radosOrThrow("-p", pool, "ls");
        assertTrue(objects.contains("rbd_object_map." + oursId + "\n") || objects.contains("rbd_object_map." + oursId + "\r"),
                objects);
        assertArrayEquals(mapObject(c, pool, "rbd_object_map." + stockId), mapObject(c, pool, "rbd_object_map." + oursId));

        // rebuild HEAD and the snapshot: byte for byte the map the stock tool rebuilds on the twin
        Result rb = ours(c, "object-map", "rebuild", pool + "/ours");
        assertEquals(0, rb.rc(), rb.err());
        assertEquals("Object Map Rebuild: 100% complete...done.\n", rb.err());
        oursOk(c, "object-map", "rebuild", "--no-progress", pool + "/ours@s1");
        c.rbdOrThrow("object-map", "rebuild", "--no-progress", pool + "/stock");
        c.rbdOrThrow("object-map", "rebuild", "--no-progress", pool + "/stock@s1");
        assertEquals("\tflags: ", infoLine(c, pool + "/ours", "flags"));
        assertArrayEquals(mapObject(c, pool, "rbd_object_map." + stockId), mapObject(c, pool, "rbd_object_map." + oursId));
        String snapHex = String.format("%016x", Long.parseLong(
                c.rbdOrThrow("snap", "ls", pool + "/ours").lines().skip(1).findFirst().orElseThrow().strip().split("\\s+")[0]));
        String stockSnapHex = String.format("%016x", Long.parseLong(
                c.rbdOrThrow("snap", "ls", pool + "/stock").lines().skip(1).findFirst().orElseThrow().strip().split("\\s+")[0]));
        assertArrayEquals(mapObject(c, pool, "rbd_object_map." + stockId + "." + stockSnapHex),
                mapObject(c, pool, "rbd_object_map." + oursId + "." + snapHex));
        c.rbdOrThrow("object-map", "check", "--no-progress", pool + "/ours");
        c.rbdOrThrow("object-map", "check", "--no-progress", pool + "/ours@s1");
        // the stock tool's fast-diff answers on our map are its answers on its own
        assertEquals(c.rbdOrThrow("diff", "--from-snap", "s1", pool + "/stock"), c.rbdOrThrow("diff", "--from-snap", "s1", pool + "/ours"));
        assertEquals(c.rbdOrThrow("du", pool + "/ours"), oursOk(c, "du", pool + "/ours"));
        // and ours on the stock tool's rebuilt map
        assertEquals(c.rbdOrThrow("diff", "--from-snap", "s1", pool + "/stock"), oursOk(c, "diff", "--from-snap", "s1", pool + "/stock"));
        assertEquals(c.rbdOrThrow("du", pool + "/stock"), oursOk(c, "du", pool + "/stock"));

        // an object written behind the map's back (object 1 was a hole): the stock check flags the map
        // invalid (it tolerates a map that says EXISTS for a missing object, not the reverse); we rebuild it
        Path piece = tmp.resolve("piece");
        Files.write(piece, new byte[] {1, 2, 3, 4});
        c.radosOrThrow("-p", pool, "put", "rbd_data." + oursId + "." + String.format("%016x", 1), piece.toString());
        c.rbd("object-map", "check", "--no-progress", pool + "/ours");
        assertTrue(infoLine(c, pool + "/ours", "flags").contains("object map invalid"), infoLine(c, pool + "/ours", "flags"));
        oursOk(c, "object-map", "rebuild", "--no-progress", pool + "/ours");
        assertEquals("\tflags: ", infoLine(c, pool + "/ours", "flags"));
        c.rbdOrThrow("object-map", "check", "--no-progress", pool + "/ours");

        // an image without the feature, a missing snapshot: the stock tool's words and status
        c.rbdOrThrow("create", "--size", "4M", "--image-feature", "layering", pool + "/plain");
        for (String spec : List.of(pool + "/plain", pool + "/ours@nosuch")) {
            CommandResult s = c.rbd("object-map", "rebuild", spec);
            Result o = ours(c, "object-map", "rebuild", spec);
            assertEquals(s.exitCode(), o.rc(), spec);
            assertEquals(stockErr(s), lines(o.err()), spec);
        }

        // disabling removes every map object; the stock tool agrees on the result
        oursOk(c, "feature", "disable", pool + "/ours", "object-map");
        assertEquals("\tfeatures: layering, exclusive-lock", infoLine(c, pool + "/ours", "features"));
        assertEquals("\tflags: ", infoLine(c, pool + "/ours", "flags"));
        assertFalse(c.radosOrThrow("-p", pool, "ls").contains("rbd_object_map." + oursId), "map objects left behind");
        // and the stock tool enables what we disabled, ours disables what it enabled
        c.rbdOrThrow("feature", "enable", pool + "/ours", "object-map");
        c.rbdOrThrow("object-map", "rebuild", "--no-progress", pool + "/ours");
        c.rbdOrThrow("object-map", "check", "--no-progress", pool + "/ours");
        oursOk(c, "feature", "disable", pool + "/ours", "fast-diff");
        assertEquals("\tfeatures: layering, exclusive-lock", infoLine(c, pool + "/ours", "features"));
        oursOk(c, "feature", "disable", pool + "/ours", "exclusive-lock");
        c.rbdOrThrow("feature", "enable", pool + "/ours", "exclusive-lock");
        assertEquals("\tfeatures: layering, exclusive-lock", infoLine(c, pool + "/ours", "features"));
    }

    @Test
    void configOverridesMatchStock(CephCluster c) {
        String pool = ownPool(c, "rbdx-conf");
        c.rbdOrThrow("create", "--size", "4M", pool + "/cfg");
        String img = pool + "/cfg";
        // each tool reads what the other set
        oursOk(c, "config", "image", "set", img, "rbd_cache", "false");
        assertEquals("false\n", c.rbdOrThrow("config", "image", "get", img, "rbd_cache"));
        c.rbdOrThrow("config", "image", "set", img, "rbd_qos_iops_limit", "250");
        assertEquals("250\n", oursOk(c, "config", "image", "get", img, "rbd_qos_iops_limit"));
        c.rbdOrThrow("config", "pool", "set", pool, "rbd_cache_size", "1M");
        assertEquals("1M\n", oursOk(c, "config", "pool", "get", pool, "rbd_cache_size"));
        oursOk(c, "config", "pool", "set", pool, "rbd_qos_bps_limit", "1000");
        assertEquals("1000\n", c.rbdOrThrow("config", "pool", "get", pool, "rbd_qos_bps_limit"));
        // listings: every row, source and the header, plain and json, against Pacific (whose option
        // table jceph carries); other releases have other options, so there only the overridden rows
        boolean pacific = c.release().equals("pacific");
        for (List<String> f : List.of(List.<String>of(), List.of("--format", "json"), List.of("--format", "json", "--pretty-format"))) {
            List<String> a = new ArrayList<>(List.of("config", "image", "list"));
            a.addAll(f);
            a.add(img);
            List<String> p = new ArrayList<>(List.of("config", "pool", "list"));
            p.addAll(f);
            p.add(pool);
            if (pacific) {
                assertEquals(c.rbdOrThrow(a.toArray(String[]::new)), oursOk(c, a.toArray(String[]::new)), a.toString());
                assertEquals(c.rbdOrThrow(p.toArray(String[]::new)), oursOk(c, p.toArray(String[]::new)), p.toString());
            } else if (f.isEmpty()) {
                assertEquals(4, overridden(c.rbdOrThrow(a.toArray(String[]::new))).size()); // two image, two pool overrides
                assertEquals(overridden(c.rbdOrThrow(a.toArray(String[]::new))), overridden(oursOk(c, a.toArray(String[]::new))));
                assertEquals(overridden(c.rbdOrThrow(p.toArray(String[]::new))), overridden(oursOk(c, p.toArray(String[]::new))));
            }
        }
        // refusals: same words, same status
        String[][] bad = {
            {"config", "image", "set", img, "rbd_bogus", "1"},
            {"config", "image", "set", img, "rbd_cache", "maybe"},
            {"config", "image", "set", img, "rbd_qos_iops_limit", "abc"},
            {"config", "image", "set", img, "rbd_default_order", "22"},
            {"config", "image", "get", img, "rbd_qos_bps_limit"},
            {"config", "image", "get", img, "conf_x"},
            {"config", "image", "remove", img, "rbd_qos_bps_limit"},
            {"config", "image", "remove", img, "conf_x"},
            {"config", "pool", "get", pool, "rbd_cache"},
            {"config", "pool", "set", pool, "rbd_bogus", "1"},
            {"config", "pool", "remove", pool, "rbd_cache"},
        };
        for (String[] b : bad) {
            CommandResult s = c.rbd(b);
            Result o = ours(c, b);
            assertEquals(s.exitCode(), o.rc(), String.join(" ", b));
            assertEquals(stockErr(s), lines(o.err()), String.join(" ", b));
        }
        // removal by either tool
        oursOk(c, "config", "image", "remove", img, "rbd_qos_iops_limit");
        c.rbdOrThrow("config", "image", "remove", img, "rbd_cache");
        assertEquals("There are 0 metadata on this image.\n", c.rbdOrThrow("image-meta", "list", img));
        oursOk(c, "config", "pool", "remove", pool, "rbd_cache_size");
        c.rbdOrThrow("config", "pool", "remove", pool, "rbd_qos_bps_limit");
        if (pacific) {
            assertEquals(c.rbdOrThrow("config", "pool", "list", pool), oursOk(c, "config", "pool", "list", pool));
        }
        assertEquals(List.of(), overridden(oursOk(c, "config", "pool", "list", pool)));
    }

    /** The rows of a plain config listing that come from a pool or image override, spaces squeezed. */
    private static List<String> overridden(String listing) {
        return listing.lines().filter(l -> l.endsWith(" image ") || l.endsWith(" pool  ")).map(l -> l.replaceAll(" +", " ").strip())
                .toList();
    }

    @Test
    void helpMatchesStockUsageLines(CephCluster c) {
        for (String cmd : List.of("feature enable", "feature disable", "object-map rebuild", "config image list",
                "config image get", "config image set", "config image remove", "config pool list", "config pool get",
                "config pool set", "config pool remove")) {
            List<String> args = new ArrayList<>(List.of("help"));
            args.addAll(List.of(cmd.split(" ")));
            Result o = ours(c, args.toArray(String[]::new));
            assertEquals(0, o.rc());
            String stock = c.rbdOrThrow(args.toArray(String[]::new));
            // the description line, and the command's words in the usage line
            String desc = o.out().lines().skip(2).findFirst().orElseThrow();
            assertTrue(stock.contains("\n" + desc + "\n"), cmd + ": " + desc + " not in " + stock);
            assertTrue(o.out().startsWith("usage: rbd " + cmd + " "), o.out());
            assertTrue(stock.startsWith("usage: rbd " + cmd + " "), stock);
        }
    }
}
