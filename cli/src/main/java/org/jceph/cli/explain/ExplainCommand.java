package org.jceph.cli.explain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.cli.crushtool.CrushTracePrinter;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;
import org.jceph.osdmap.PgPool;
import org.jceph.osdmap.Placement;
import org.jceph.osdmap.StringHash;
import org.jceph.rados.RadosClient;

/**
 * {@code jceph explain MAP|--cluster POOL OBJECT [--namespace NS] [--key KEY]}: every step from an
 * object's name to the OSDs that store it, with the intermediate values and the reason each OSD
 * is in the final set or not. The same pipeline as {@code jceph osd map}, narrated.
 */
public final class ExplainCommand {
    private ExplainCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> pos = new ArrayList<>();
        List<String> cephArgs = new ArrayList<>();
        boolean cluster = false;
        String ns = "";
        String key = "";
        String format = "text";
        String outFile = null;
        boolean diff = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cluster" -> cluster = true;
                case "--namespace", "-N" -> ns = value(args, ++i);
                case "--key" -> key = value(args, ++i);
                case "--format" -> format = value(args, ++i);
                case "-o", "--output" -> outFile = value(args, ++i);
                case "--diff" -> diff = true;
                case "-c", "--conf", "--id", "--name", "-n", "--keyring", "-k", "-m" -> {
                    cephArgs.add(args[i]);
                    cephArgs.add(value(args, ++i));
                }
                default -> pos.add(args[i]);
            }
        }
        if (!List.of("text", "svg", "html").contains(format)) {
            throw new UsageException("--format is text, svg or html, not " + format);
        }
        if (diff) {
            return DiffCommand.run(pos, format, outFile, out, err);
        }
        if (pos.size() != (cluster ? 2 : 3)) {
            throw new UsageException("usage: explain MAP|--cluster POOL OBJECT [--namespace NS] [--key KEY]"
                    + " [--format text|svg|html] [-o FILE]\n       explain --diff MAP_A MAP_B POOL [--format text|svg|html] [-o FILE]");
        }
        OsdMap map;
        try {
            if (cluster) {
                try (RadosClient c = RadosClient.connect(org.jceph.cli.CliConfig.shortCommand(cephArgs))) {
                    map = c.osdMap();
                }
            } else {
                map = OsdMapCodec.decode(Files.readAllBytes(Path.of(pos.remove(0))));
            }
        } catch (IOException e) {
            err.println("jceph explain: " + e.getMessage());
            return 1;
        }
        String poolName = pos.get(0);
        String object = pos.get(1);
        Long poolId = null;
        for (Map.Entry<Long, String> e : map.poolNames().entrySet()) {
            if (e.getValue().equals(poolName) || String.valueOf(e.getKey()).equals(poolName)) {
                poolId = e.getKey();
            }
        }
        if (poolId == null) {
            err.println("jceph explain: no pool " + poolName + " in osdmap epoch " + map.epoch());
            return 2;
        }
        if (format.equals("text")) {
            explain(map, poolId, object, key, ns, out);
            return 0;
        }
        org.jceph.cli.viz.ExplainPicture pic = new org.jceph.cli.viz.ExplainPicture(map, poolId, object, key, ns);
        return write(format.equals("svg") ? pic.svg().toString() : pic.html(), outFile, out, err);
    }

    /** Writes a picture to the file, or to standard output without one. */
    static int write(String doc, String outFile, PrintStream out, PrintStream err) {
        if (outFile == null) {
            out.print(doc);
            return 0;
        }
        try {
            Files.writeString(Path.of(outFile), doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("jceph explain: cannot write " + outFile + ": " + e.getMessage());
            return 1;
        }
        err.println("wrote " + outFile + " (" + doc.length() + " bytes)");
        return 0;
    }

    static void explain(OsdMap map, long poolId, String object, String key, String ns, PrintStream out) {
        PgPool pool = map.pool(poolId);
        Placement p = new Placement(map);
        String hashName = pool.objectHash() == 2 ? "rjenkins" : pool.objectHash() == 1 ? "linux dcache" : "hash " + pool.objectHash();
        out.printf("osdmap epoch %d, pool %d '%s': %s, size %d, min_size %d, pg_num %d, pgp_num %d, crush rule %d%s%n",
                map.epoch(), poolId, map.poolNames().get(poolId), pool.isErasure() ? "erasure" : "replicated", pool.size(),
                pool.minSize(), pool.pgNum(), pool.pgpNum(), pool.crushRule(),
                pool.hasFlag(PgPool.FLAG_HASHPSPOOL) ? ", hashpspool" : "");

        // 1. name -> hash
        String hashed = key.isEmpty() ? object : key;
        String input = ns.isEmpty() ? "'" + hashed + "'" : "'" + ns + "' 0x1f '" + hashed + "'";
        PgId raw = p.objectToRawPg(poolId, object, key, ns);
        out.printf("1. hash: %s(%s) = 0x%08x%s%n", hashName, input, raw.seed(),
                key.isEmpty() ? "" : "  (the locator key is hashed, not the name)");
        if (pool.objectHash() == 2) {
            byte[] bytes = (ns.isEmpty() ? hashed : ns + "\u001f" + hashed).getBytes(StandardCharsets.UTF_8);
            int check = StringHash.hash(pool.objectHash(), bytes);
            if (Integer.toUnsignedLong(check) != raw.seed()) {
                out.println("   (inconsistent hash: " + Integer.toHexString(check) + ")");
            }
        }
        // 2. pg
        PgId pg = p.rawPgToPg(raw);
        out.printf("2. pg: ceph_stable_mod(0x%08x, pg_num %d, mask 0x%x) = 0x%x  ->  raw pg %s, pg %s%n", raw.seed(),
                pool.pgNum(), pool.pgNumMask(), pg.seed(), raw.pool() + "." + Long.toHexString(raw.seed()), pg);
        // 3. pps
        long folded = Placement.stableMod(raw.seed(), pool.pgpNum(), pool.pgpNumMask());
        int pps = Placement.rawPgToPps(pool, raw);
        out.printf("3. pps: ceph_stable_mod(0x%08x, pgp_num %d, mask 0x%x) = 0x%x; %s = %d (0x%08x)%n", raw.seed(),
                pool.pgpNum(), pool.pgpNumMask(), folded,
                pool.hasFlag(PgPool.FLAG_HASHPSPOOL) ? "hashpspool: crush_hash32_2(0x" + Long.toHexString(folded) + ", pool "
                        + poolId + ")" : "legacy: 0x" + Long.toHexString(folded) + " + pool " + poolId,
                Integer.toUnsignedLong(pps), pps);
        // 4. CRUSH
        int rule = p.findRule(pool);
        out.printf("4. CRUSH: rule %d (%s), x = pps, %d replicas, osd weights from the map, choose_args of pool %d "
                + "(or the default set)%n", rule, p.crush().ruleNames().getOrDefault(rule, "?"), pool.size(), poolId);
        ByteArrayPrinter trace = new ByteArrayPrinter();
        List<Integer> crushOut = p.traceCrush(pool, raw, new CrushTracePrinter(p.crush(), trace.stream()));
        trace.text().lines().forEach(l -> out.println("   | " + l));
        List<Integer> rawSet = p.rawOsds(pool, raw);
        out.println("   CRUSH result " + crushOut + (rawSet.equals(crushOut) ? "" : ", without nonexistent OSDs " + rawSet));
        // 5. upmap
        List<Integer> upmapped = new ArrayList<>(rawSet);
        p.applyUpmap(pool, raw, upmapped);
        List<Integer> explicit = map.pgUpmap().get(pg);
        List<int[]> items = map.pgUpmapItems().get(pg);
        if (explicit == null && items == null) {
            out.println("5. upmap: none for pg " + pg);
        } else {
            StringBuilder sb = new StringBuilder();
            if (explicit != null) {
                sb.append("pg_upmap ").append(explicit).append(' ');
            }
            if (items != null) {
                sb.append("pg_upmap_items");
                for (int[] it : items) {
                    sb.append(" [").append(it[0]).append("->").append(it[1]).append(']');
                }
            }
            out.println("5. upmap: " + sb.toString().trim() + "  ->  " + upmapped);
        }
        // 6. up
        List<Integer> up = p.rawToUp(pool, upmapped);
        out.print("6. up: " + up);
        for (int osd : upmapped) {
            if (!map.exists(osd)) {
                out.print("; osd." + osd + " does not exist");
            } else if (map.isDown(osd)) {
                out.print("; osd." + osd + " is down" + (pool.isErasure() ? " (its position stays, as NONE)" : " (dropped)"));
            }
        }
        out.println();
        // 7. primary affinity
        int upPrimary = Placement.pickPrimary(up);
        List<Integer> reordered = new ArrayList<>(up);
        int affinityPrimary = p.applyPrimaryAffinity(pps, pool, reordered, upPrimary);
        StringBuilder aff = new StringBuilder();
        for (int osd : up) {
            if (osd != Placement.NONE && map.primaryAffinity(osd) != OsdMap.DEFAULT_PRIMARY_AFFINITY) {
                aff.append(String.format(" osd.%d=%.3f", osd, map.primaryAffinity(osd) / 65536.0));
            }
        }
        out.println("7. primary affinity:" + (aff.length() == 0 ? " all 1.0, the first up OSD leads: osd." + upPrimary
                : aff + "  ->  primary osd." + affinityPrimary + ", up " + reordered));
        // 8. temps
        Placement.Result r = p.pgToUpActing(raw);
        List<Integer> temp = map.pgTemp().get(pg);
        Integer primaryTemp = map.primaryTemp().get(pg);
        out.println("8. pg_temp: " + (temp == null ? "none" : temp + " replaces the acting set")
                + "; primary_temp: " + (primaryTemp == null ? "none" : "osd." + primaryTemp));
        out.printf("=> object '%s' -> pg %s -> up %s (primary osd.%d), acting %s (primary osd.%d): ops go to osd.%d%n",
                ns.isEmpty() ? object : ns + "/" + object, r.pg(), r.up(), r.upPrimary(), r.acting(), r.actingPrimary(),
                r.actingPrimary());
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new UsageException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Collects printed lines to indent them. */
    private static final class ByteArrayPrinter {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
