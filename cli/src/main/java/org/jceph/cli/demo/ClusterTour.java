package org.jceph.cli.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.crush.CrushMap;
import org.jceph.encoding.Crc32c;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonMap;
import org.jceph.messenger.mon.MonSession;
import org.jceph.messenger.mon.OsdMapUpdate;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;

/**
 * The demo's live part: a cephx session with the monitor over msgr2, the monmap, the osdmap
 * decoded and re-encoded to the same CRC, the CRUSH map inside it, and placement of a few
 * objects computed on the client, cross-checked with {@code ceph osd map} when the stock CLI is
 * installed.
 */
final class ClusterTour {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> OBJECTS = List.of("hello", "rbd_header.1234", "jceph-demo-object", "a", "zz");

    private ClusterTour() {
    }

    /** Returns the number of failed steps. */
    static int run(Path conf, PrintStream out, PrintStream err) {
        CephConfig config = CephConfig.fromEnvironment("-c", conf.toString());
        int failures = 0;
        try (Messenger messenger = Messenger.forConfig(config)) {
            long t0 = System.nanoTime();
            MonSession session = MonSession.connect(config, messenger);
            try (session) {
                out.printf("[mon]   %s authenticated as %s over msgr2 (%s) in %d ms%n", session.connection().peerAddress(),
                        config.name(), session.connection().mode(), (System.nanoTime() - t0) / 1_000_000);
                MonMap monMap = session.fetchMonMap().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                out.printf("[mon]   monmap epoch %d, fsid %s, %d monitor(s): %s%n", monMap.epoch(), monMap.fsid(),
                        monMap.monitors().size(), monMap.monitors().get(0).addrs());

                OsdMapUpdate update = session.subscribeOsdMap(0, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Map.Entry<Long, byte[]> newest = update.fullMaps().entrySet().stream().reduce((a, b) -> b).orElseThrow();
                byte[] raw = newest.getValue();
                OsdMap map = OsdMapCodec.decode(raw);
                byte[] again = OsdMapCodec.encode(map);
                boolean identical = Arrays.equals(raw, again);
                out.printf("[osdmap] epoch %d: %d bytes, %d OSDs (%d up), %d pools; re-encoded %s, crc32c 0x%08x%n",
                        map.epoch(), raw.length, map.maxOsd(), countUp(map), map.pools().size(),
                        identical ? "byte-identical" : "DIFFERENT", Crc32c.update(-1, raw, 0, raw.length - 4));
                if (!identical) {
                    failures++;
                }
                Placement placement = new Placement(map);
                CrushMap crush = placement.crush();
                out.printf("[crush] %d buckets, %d rules, %d devices; tunables %s%n", crush.bucketSlots().stream().filter(java.util.Objects::nonNull).count(),
                        crush.ruleSlots().stream().filter(java.util.Objects::nonNull).count(), crush.maxDevices(), crush.tunables());
                failures += placements(map, placement, conf, out, err);
            }
            failures += objects(config, conf, out, err);
            failures += images(config, conf, out, err);
        } catch (Exception e) {
            failures++;
            err.println("[mon]   FAILED: " + e);
        }
        return failures;
    }

    /** Writes an object through our own client, reads it back, and lets librados' CLI check it too. */
    private static int objects(CephConfig config, Path conf, PrintStream out, PrintStream err) {
        byte[] data = new byte[256 * 1024];
        new java.util.Random(2010).nextBytes(data);
        String oid = "jceph-demo-object";
        try (RadosClient rados = RadosClient.connect(config)) {
            IoCtx io = rados.ioCtx("jceph-test");
            long t0 = System.nanoTime();
            io.writeFull(oid, data);
            long t1 = System.nanoTime();
            byte[] back = io.read(oid, 0, data.length);
            long t2 = System.nanoTime();
            IoCtx.ObjectStat st = io.stat(oid);
            boolean same = Arrays.equals(data, back) && st.size() == data.length;
            out.printf("[rados] wrote %s (%d KiB) to its primary OSD in %.1f ms, read it back in %.1f ms: %s%n", oid,
                    data.length / 1024, (t1 - t0) / 1e6, (t2 - t1) / 1e6, same ? "identical" : "DIFFERENT");
            int failures = same ? 0 : 1;
            if (onPath("rados")) {
                Path got = Files.createTempFile("jceph-demo", ".bin");
                Process p = new ProcessBuilder("rados", "-c", conf.toString(), "-p", "jceph-test", "get", oid,
                        got.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                boolean done = p.waitFor(30, TimeUnit.SECONDS);
                boolean agrees = done && p.exitValue() == 0 && Arrays.equals(data, Files.readAllBytes(got));
                Files.deleteIfExists(got);
                out.println("[rados] librados' `rados get` of the same object: " + (agrees ? "identical bytes" : "DIFFERENT"));
                failures += agrees ? 0 : 1;
            }
            io.remove(oid);
            return failures;
        } catch (Exception e) {
            err.println("[rados] FAILED: " + e);
            return 1;
        }
    }

    /**
     * Creates an RBD image, writes it across objects, snapshots it, clones the snapshot, writes
     * into the clone (copy-up), and verifies every step by reading back and, when the stock rbd
     * tool is installed, through librbd's own `rbd export`.
     */
    private static int images(CephConfig config, Path conf, PrintStream out, PrintStream err) {
        String name = "jceph-demo-image";
        String clone = "jceph-demo-clone";
        byte[] data = new byte[9 << 20];
        new java.util.Random(2010).nextBytes(data);
        int size = 16 << 20;
        try (RadosClient rados = RadosClient.connect(config)) {
            IoCtx io = rados.ioCtx("jceph-test");
            org.jceph.rbd.RbdImage.create(io, name, size, 22, org.jceph.rbd.RbdFeatures.LAYERING);
            int failures = 0;
            byte[] atSnap = new byte[size];
            System.arraycopy(data, 0, atSnap, 3 << 20, data.length);
            try (org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(io, name, false)) {
                img.writeAsync(3 << 20, data).get(60, TimeUnit.SECONDS);
                byte[] back = img.readAsync(3 << 20, data.length).get(60, TimeUnit.SECONDS);
                boolean same = Arrays.equals(data, back);
                out.printf("[rbd]   created %s (16 MiB, 4 MiB objects, id %s), wrote 9 MiB at 3 MiB across %d objects, "
                        + "read back: %s%n", name, img.id(), ((3L << 20) + data.length - 1) / img.layout().objectSize()
                        - (3L << 20) / img.layout().objectSize() + 1, same ? "identical" : "DIFFERENT");
                failures += same ? 0 : 1;
                img.snapCreate("demo-snap");
                img.writeAsync(0, new byte[1 << 20]).get(60, TimeUnit.SECONDS); // the head moves on
            }
            failures += librbdAgrees(conf, name, atSnap, 1 << 20, out, "the image");
            org.jceph.rbd.RbdImage.clone(io, name, "demo-snap", io, clone, org.jceph.rbd.RbdFeatures.LAYERING,
                    org.jceph.rbd.RbdImage.CloneFormat.V2);
            byte[] cloneModel = atSnap.clone();
            byte[] patch = new byte[100_000];
            Arrays.fill(patch, (byte) 0x5a);
            try (org.jceph.rbd.RbdImage c = org.jceph.rbd.RbdImage.open(io, clone, false)) {
                c.writeAsync(5_000_000, patch).get(60, TimeUnit.SECONDS);
                System.arraycopy(patch, 0, cloneModel, 5_000_000, patch.length);
                boolean same = Arrays.equals(cloneModel, c.readAsync(0, size).get(60, TimeUnit.SECONDS));
                out.printf("[rbd]   snapshot %s@demo-snap cloned (v2) to %s; wrote 100 KB into the clone (copy-up of "
                        + "object 1 from the parent); clone reads as snapshot + write: %s%n", name, clone,
                        same ? "identical" : "DIFFERENT");
                failures += same ? 0 : 1;
            }
            failures += librbdAgrees(conf, clone, cloneModel, 0, out, "the clone");
            org.jceph.rbd.RbdImage.remove(io, clone);
            try (org.jceph.rbd.RbdImage img = org.jceph.rbd.RbdImage.open(io, name, false)) {
                img.snapRemove("demo-snap");
            }
            org.jceph.rbd.RbdImage.remove(io, name);
            return failures;
        } catch (Exception e) {
            err.println("[rbd] FAILED: " + e);
            return 1;
        }
    }

    /**
     * librbd's `rbd export` of {@code image} (snapshot {@code demo-snap} when {@code skip} > 0,
     * else the head) must equal {@code expected}; returns 1 on a difference, 0 otherwise.
     */
    private static int librbdAgrees(Path conf, String image, byte[] expected, int skip, PrintStream out, String what)
            throws IOException, InterruptedException {
        if (!onPath("rbd")) {
            out.println("[rbd]   (the stock rbd tool is not installed: " + what + " not cross-checked)");
            return 0;
        }
        String spec = "jceph-test/" + image + (skip > 0 ? "@demo-snap" : "");
        Path exported = Files.createTempFile("jceph-demo", ".img");
        Files.delete(exported);
        Process p = new ProcessBuilder("rbd", "-c", conf.toString(), "export", spec, exported.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        byte[] got = ok ? Files.readAllBytes(exported) : new byte[0];
        Files.deleteIfExists(exported);
        boolean agrees = ok && Arrays.equals(expected, got);
        out.println("[rbd]   librbd's `rbd export " + spec + "`: " + (agrees ? "our bytes, in place" : "DIFFERENT"));
        return agrees ? 0 : 1;
    }

    private static long countUp(OsdMap map) {
        long n = 0;
        for (int i = 0; i < map.maxOsd(); i++) {
            n += map.isUp(i) ? 1 : 0;
        }
        return n;
    }

    private static int placements(OsdMap map, Placement placement, Path conf, PrintStream out, PrintStream err) {
        long poolId = map.pools().keySet().stream().filter(id -> "jceph-test".equals(map.poolNames().get(id))).findFirst()
                .orElse(map.pools().keySet().iterator().next());
        PgPool pool = map.pool(poolId);
        String poolName = map.poolNames().get(poolId);
        boolean oracle = onPath("ceph");
        int failures = 0;
        for (String name : OBJECTS) {
            Placement.Result r = placement.objectToUpActing(poolId, name, "", "");
            String line = String.format("[place] %s/%s -> pg %s, up %s (primary osd.%d), acting %s (primary osd.%d)",
                    poolName, name, r.pg(), r.up(), r.upPrimary(), r.acting(), r.actingPrimary());
            if (oracle) {
                String theirs = cephOsdMap(conf, poolName, name);
                String ours = r.pg() + " " + r.up() + " " + r.acting();
                boolean same = ours.equals(theirs);
                line += same ? "  = ceph osd map" : "  != ceph osd map: " + theirs;
                failures += same ? 0 : 1;
            }
            out.println(line);
        }
        if (!oracle) {
            out.println("[place] (the stock ceph CLI is not installed: placements not cross-checked)");
        }
        out.printf("[place] pool %s: pg_num %d, size %d, crush rule %d, hashpspool %s%n", poolName, pool.pgNum(),
                pool.size(), pool.crushRule(), pool.hasFlag(1));
        return failures;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code ceph osd map} as "pg [up] [acting]", or an error text. */
    private static String cephOsdMap(Path conf, String pool, String object) {
        try {
            Path outFile = Files.createTempFile("jceph-osd-map", ".json");
            Process p = new ProcessBuilder("ceph", "-c", conf.toString(), "--connect-timeout", "10", "osd", "map", pool,
                    object, "-f", "json").redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(ceph osd map timed out)";
            }
            String json = Files.readString(outFile, StandardCharsets.UTF_8);
            Files.deleteIfExists(outFile);
            Matcher pg = Pattern.compile("\"pgid\":\"([^\"]+)\"").matcher(json);
            Matcher up = Pattern.compile("\"up\":\\[([^\\]]*)\\]").matcher(json);
            Matcher acting = Pattern.compile("\"acting\":\\[([^\\]]*)\\]").matcher(json);
            if (!pg.find() || !up.find() || !acting.find()) {
                return "(unexpected output: " + json.trim() + ")";
            }
            return pg.group(1) + " " + list(up.group(1)) + " " + list(acting.group(1));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static String list(String csv) {
        List<Integer> l = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                l.add(Integer.parseInt(s.trim()));
            }
        }
        return l.toString();
    }
}
