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
 * The demo's live part: a cephx session with the monitor, the monmap, the osdmap decoded and
 * re-encoded to the same CRC, the CRUSH map inside it, placement of a few objects computed on the
 * client, objects and RBD images written and read, each cross-checked with the stock tools
 * ({@code ceph osd map}, {@code rados get}, {@code rbd export}) when they are there.
 *
 * <p>Everything happens in one pool: the one given with {@code --pool}, which must exist, or else a
 * temporary pool the tour creates and deletes again.
 */
final class ClusterTour {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> OBJECTS = List.of("hello", "rbd_header.1234", "jceph-demo-object", "a", "zz");

    private ClusterTour() {
    }

    /**
     * Returns the number of failed steps. {@code pool} null: a temporary pool; {@code tools}: where
     * the cross-checking tools come from.
     */
    static int run(Path conf, String pool, StockTools tools, PrintStream out, PrintStream err) {
        CephConfig config = CephConfig.fromEnvironment("-c", conf.toString());
        try (RadosClient admin = RadosClient.connect(config)) {
            if (pool != null) {
                if (!admin.listPools().containsValue(pool)) {
                    err.println("[pool]  FAILED: pool '" + pool + "' does not exist on this cluster (create it, or leave "
                            + "out --pool and the demo uses a temporary pool)");
                    return 1;
                }
                return tour(config, conf, pool, tools, out, err);
            }
            String temporary = "jceph-demo-" + Long.toHexString(new java.util.Random().nextLong() >>> 24);
            try {
                admin.createPool(temporary, 8);
            } catch (RuntimeException e) {
                err.println("[pool]  FAILED: cannot create a temporary pool (" + e.getMessage() + "); give an existing "
                        + "pool with --pool NAME");
                return 1;
            }
            int failures = 0;
            try {
                out.println("[pool]  created the temporary pool " + temporary + " (8 PGs); it is deleted at the end");
                admin.enableApplication(temporary, "rbd");
                failures += tour(config, conf, temporary, tools, out, err);
            } finally {
                try {
                    admin.deletePool(temporary);
                    out.println("[pool]  deleted the temporary pool " + temporary);
                } catch (RuntimeException e) {
                    failures++;
                    err.println("[pool]  could not delete the temporary pool " + temporary + " (" + e.getMessage()
                            + "); delete it with: ceph osd pool rm " + temporary + " " + temporary
                            + " --yes-i-really-really-mean-it");
                }
            }
            return failures;
        } catch (Exception e) {
            err.println("[pool]  FAILED: " + e);
            return 1;
        }
    }

    private static int tour(CephConfig config, Path conf, String pool, StockTools tools, PrintStream out,
            PrintStream err) {
        int failures = 0;
        try (Messenger messenger = Messenger.forConfig(config)) {
            long t0 = System.nanoTime();
            MonSession session = MonSession.connect(config, messenger);
            try (session) {
                org.jceph.messenger.Connection con = session.connection();
                String protocol = con.protocolVersion() == 1 ? "msgr1" : "msgr2 (" + con.mode() + ")";
                out.printf("[mon]   %s authenticated as %s over %s in %d ms%n", con.peerAddress(),
                        config.name(), protocol, (System.nanoTime() - t0) / 1_000_000);
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
                failures += placements(map, placement, conf, pool, tools, out, err);
            }
            failures += objects(config, conf, pool, tools, out, err);
            failures += images(config, conf, pool, tools, out, err);
        } catch (Exception e) {
            failures++;
            err.println("[mon]   FAILED: " + e);
        }
        return failures;
    }

    /** Writes an object through our own client, reads it back, and lets librados' CLI check it too. */
    private static int objects(CephConfig config, Path conf, String pool, StockTools tools, PrintStream out,
            PrintStream err) {
        byte[] data = new byte[256 * 1024];
        new java.util.Random(2010).nextBytes(data);
        String oid = "jceph-demo-object";
        try (RadosClient rados = RadosClient.connect(config)) {
            IoCtx io = rados.ioCtx(pool);
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
            if (tools.has("rados")) {
                Path got = Files.createTempFile("jceph-demo", ".bin");
                Process p = new ProcessBuilder(tools.command("rados", "-c", conf.toString(), "-p", pool, "get", oid,
                        got.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                boolean done = p.waitFor(30, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly();
                }
                boolean agrees = done && p.exitValue() == 0 && Arrays.equals(data, Files.readAllBytes(got));
                Files.deleteIfExists(got);
                out.println("[rados] librados' `rados get` of the same object" + tools.where() + ": "
                        + (agrees ? "identical bytes" : "DIFFERENT"));
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
    private static int images(CephConfig config, Path conf, String pool, StockTools tools, PrintStream out,
            PrintStream err) {
        String name = "jceph-demo-image";
        String clone = "jceph-demo-clone";
        byte[] data = new byte[9 << 20];
        new java.util.Random(2010).nextBytes(data);
        int size = 16 << 20;
        try (RadosClient rados = RadosClient.connect(config)) {
            IoCtx io = rados.ioCtx(pool);
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
            failures += librbdAgrees(conf, pool, tools, name, atSnap, 1 << 20, out, "the image");
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
            failures += librbdAgrees(conf, pool, tools, clone, cloneModel, 0, out, "the clone");
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
    private static int librbdAgrees(Path conf, String pool, StockTools tools, String image, byte[] expected, int skip,
            PrintStream out, String what) throws IOException, InterruptedException {
        if (!tools.has("rbd")) {
            out.println("[rbd]   (the stock rbd tool is not installed: " + what + " not cross-checked)");
            return 0;
        }
        String spec = pool + "/" + image + (skip > 0 ? "@demo-snap" : "");
        Path exported = Files.createTempFile("jceph-demo", ".img");
        Files.delete(exported);
        Process p = new ProcessBuilder(tools.command("rbd", "-c", conf.toString(), "export", spec, exported.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        boolean ok = done && p.exitValue() == 0;
        byte[] got = ok ? Files.readAllBytes(exported) : new byte[0];
        Files.deleteIfExists(exported);
        boolean agrees = ok && Arrays.equals(expected, got);
        out.println("[rbd]   librbd's `rbd export " + spec + "`" + tools.where() + ": " + (agrees ? "our bytes, in place" : "DIFFERENT"));
        return agrees ? 0 : 1;
    }

    private static long countUp(OsdMap map) {
        long n = 0;
        for (int i = 0; i < map.maxOsd(); i++) {
            n += map.isUp(i) ? 1 : 0;
        }
        return n;
    }

    private static int placements(OsdMap map, Placement placement, Path conf, String poolName, StockTools tools,
            PrintStream out, PrintStream err) {
        long poolId = map.pools().keySet().stream().filter(id -> poolName.equals(map.poolNames().get(id))).findFirst()
                .orElse(-1L);
        if (poolId < 0) {
            err.println("[place] FAILED: pool '" + poolName + "' is not in osdmap epoch " + map.epoch());
            return 1;
        }
        PgPool pool = map.pool(poolId);
        boolean oracle = tools.has("ceph");
        int failures = 0;
        for (String name : OBJECTS) {
            Placement.Result r = placement.objectToUpActing(poolId, name, "", "");
            String line = String.format("[place] %s/%s -> pg %s, up %s (primary osd.%d), acting %s (primary osd.%d)",
                    poolName, name, r.pg(), r.up(), r.upPrimary(), r.acting(), r.actingPrimary());
            if (oracle) {
                String theirs = cephOsdMap(tools, conf, poolName, name);
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

    /** {@code ceph osd map} as "pg [up] [acting]", or an error text. */
    private static String cephOsdMap(StockTools tools, Path conf, String pool, String object) {
        try {
            Path outFile = Files.createTempFile("jceph-osd-map", ".json");
            Process p = new ProcessBuilder(tools.command("ceph", "-c", conf.toString(), "--connect-timeout", "10", "osd",
                    "map", pool, object, "-f", "json")).redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
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
